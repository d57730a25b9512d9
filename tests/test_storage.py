"""The database of a data directory: transactions, data version, loading."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from conftest import tiny_statbel_frame

from cohesie import areas, dataset
from cohesie.storage import Store, open_store


def sectors_of_11111():
    frame = tiny_statbel_frame()
    return frame[frame["nis"] == "11111"].reset_index(drop=True)


def table(store: Store, name: str) -> list[tuple]:
    con = sqlite3.connect(store.path)
    try:
        return con.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
    finally:
        con.close()


def test_load_of_a_missing_directory_is_empty(tmp_path):
    store = open_store(tmp_path / "bestaat-niet")
    data = dataset.load(store)
    assert data.empty and data.version == 0 and data.meta == {} and data.nis is None
    assert not data.is_demo
    assert list(data.sectors.columns) == [*areas.empty_sectors().columns]
    assert data.points.empty
    assert store.data_version() == 0
    assert store.meta() == {}
    assert not (tmp_path / "bestaat-niet").exists()  # reading creates nothing


def test_load_of_an_empty_directory_is_empty(tmp_path):
    (tmp_path / "leeg").mkdir()
    assert dataset.load(open_store(tmp_path / "leeg")).empty


def test_data_version_increments_per_write(tmp_path):
    store = open_store(tmp_path / "data")
    with store.transaction() as con:
        con.write_sectors(sectors_of_11111())
        con.set_meta(nis="11111")
    assert store.data_version() == 1
    with store.transaction() as con:
        con.write_population(pd.DataFrame({"sector": ["11111A00-"], "inwoners": [10]}), jaar="2025")
    assert store.data_version() == 2
    data = dataset.load(store)
    assert data.version == 2 and data.nis == "11111"
    assert data.sectors["code"].tolist() == ["11111A00-", "11111A01-", "11111B00-"]
    # sectors without a population figure have no data, not 0 inhabitants
    assert data.sectors["inwoners"].iloc[0] == 10 and data.sectors["inwoners"].iloc[1:].isna().all()
    # without a wijkindeling, a wijk is the first 7 characters of the sector code
    assert data.sectors["wijk_code"].tolist() == ["11111A0", "11111A0", "11111B0"]
    assert data.sectors.crs.to_epsg() == 31370
    assert data.sectors.geometry.area.tolist() == pytest.approx([1e6] * 3)


def test_failed_transaction_leaves_the_database_as_it_was(tmp_path):
    store = open_store(tmp_path / "data")
    with store.transaction() as con:
        con.write_sectors(sectors_of_11111())
        con.set_meta(nis="11111", gemeente="Proefstad")
    before = (table(store, "sectors"), table(store, "meta"), store.data_version())

    with pytest.raises(RuntimeError, match="halverwege"):
        with store.transaction() as con:
            con.clear_all()
            con.set_meta(nis="22222")
            raise RuntimeError("halverwege mislukt")
    assert (table(store, "sectors"), table(store, "meta"), store.data_version()) == before

    # a database error in the middle of a write (NOT NULL on nis) rolls back the rest too
    broken = sectors_of_11111()
    broken.loc[2, "nis"] = None
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as con:
            con.write_sectors(broken)
    assert (table(store, "sectors"), table(store, "meta"), store.data_version()) == before


def test_points_upsert_keeps_one_row_per_layer_and_id(tmp_path):
    store = open_store(tmp_path / "data")
    rec = pd.DataFrame({"layer": ["meubilair"], "id": ["m1"], "naam": ["bank"], "type": ["gevelbank"],
                        "status": ["geplaatst"], "datum": [pd.Timestamp("2024-01-02")],
                        "x": [150_500.0], "y": [190_500.0], "sector": ["11111A00-"]})
    with store.transaction() as con:
        con.upsert_points(rec)
    with store.transaction() as con:
        con.upsert_points(rec.assign(naam="nieuwe bank"))
    pts = dataset.load(store).points
    assert len(pts) == 1
    assert pts[["naam", "version"]].iloc[0].tolist() == ["nieuwe bank", 2]
    assert pts["datum"].iloc[0] == pd.Timestamp("2024-01-02")


def test_rejects_file_is_kept(tmp_path):
    store = open_store(tmp_path / "data")
    rejects = pd.DataFrame({"rij": [2], "reden": ["rij 2: naam is leeg"], "naam": [""]})
    path = store.write_rejects(rejects, layer="meubilair", source="mijn bestand.csv")
    assert path.parent == tmp_path / "data" / "geweigerd"
    assert "meubilair_mijn_bestand" in path.name
    assert pd.read_csv(path, encoding="utf-8-sig")["reden"].tolist() == ["rij 2: naam is leeg"]


def test_a_display_file_is_written_once_and_then_found(tmp_path, monkeypatch):
    """ui._load makes the display GeoJSON only when has_display_file says it is missing; the
    file is written under a temporary name, so one that exists is whole."""
    from cohesie import settings

    monkeypatch.setattr(settings, "static_dir", lambda: tmp_path / "static")
    s = open_store(tmp_path / "data")
    name = "sector_0123456789abcdef.geojson"
    assert not s.has_display_file(name)
    target = s.write_display_file(name, '{"type": "FeatureCollection", "features": []}')
    assert s.has_display_file(name) and target == tmp_path / "static" / "generated" / name
    assert not s.has_display_file("wijk_0123456789abcdef.geojson")
    assert not list(target.parent.glob("*.tmp"))
