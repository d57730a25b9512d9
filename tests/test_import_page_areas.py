"""The Importeren page for area files through AppTest: a wijk table (with the column mapping the
command line's --map gives), a population file, and refused files that change nothing."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from conftest import REPO, shared_file, tiny_statbel_frame, write_population, write_statbel_2024
from streamlit.testing.v1 import AppTest

from cohesie import auth, operations
from cohesie.storage import open_store


@pytest.fixture
def data(tmp_path, monkeypatch):
    """Proefstad (11111): three sectors, no wijk table or population yet; editor eva."""
    d = tmp_path / "data"
    store = open_store(d)
    operations.import_sectors(store, write_statbel_2024(tmp_path / "s.geojson", tiny_statbel_frame()), nis="11111")
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    return d


def rows(data_dir, table: str) -> list[tuple]:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall())
    finally:
        con.close()


def open_page(kind: str, *, login: bool = True, lang: str = "nl") -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = lang
    if login:
        at.session_state["auth_token"] = auth.login(open_store(), "eva", "geheim-123")
    at.run()
    at.switch_page("pages/importeren.py")
    at.run()
    assert not at.exception, at.exception
    if login:
        at.radio(key="imp_kind").set_value(kind)
        at.run()
        assert not at.exception, at.exception
    return at


def upload(at: AppTest, key: str, name: str, content: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    return at


def mapping_box(at: AppTest, fld: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith("imp_amap_") and s.key.endswith(f"_{fld}"))


def test_only_editors_see_the_kinds(data):
    at = open_page("wijkindeling", login=False)
    assert not at.get("radio") and not at.get("file_uploader")
    assert any("Om te bewerken moet je aangemeld zijn" in i.value for i in at.info)


def test_wijk_table_with_own_column_names_is_mapped_and_imported(data):
    at = open_page("wijkindeling")
    assert at.radio(key="imp_kind").options == ["Punten (een laag)", "Statistische sectoren (polygonen)",
                                                "Wijkindeling (sector → wijk)", "Bevolking per sector"]
    table = "SEC;GEBIED;OMSCHRIJVING\n11111A00-;W1;Noord\n11111A01-;W1;Noord\n11111B00-;W2;Zuid\n"
    upload(at, "imp_upload_wijkindeling", "indeling.csv", table.encode("cp1252"))
    assert at.dataframe[0].value.shape == (3, 3)  # the preview
    sector = mapping_box(at, "sector")
    assert sector.value == "— geen —"  # 'SEC' is not a recognised name
    sector.set_value("SEC")
    mapping_box(at, "wijk_code").set_value("GEBIED")
    mapping_box(at, "wijk_naam").set_value("OMSCHRIJVING")
    at.run()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error and not at.warning  # every sector in a wijk: green
    assert any("2 wijken geïmporteerd" in s.value for s in at.success)
    assert rows(data, "wijkindeling") == [("11111A00-", "W1", "Noord"), ("11111A01-", "W1", "Noord"),
                                          ("11111B00-", "W2", "Zuid")]
    assert open_store(data).meta()["bron_wijken"] == "indeling.csv"
    command = at.code[-1].value
    assert command.startswith("python -m cohesie import-wijken indeling.csv")
    assert "--map SEC=sector" in command and "--map GEBIED=wijk_code" in command


def test_refused_wijk_table_changes_nothing(data, tmp_path):
    at = open_page("wijkindeling")
    before = (data / "cohesie.sqlite").read_bytes()  # after the login, which is audited
    # the 2025 table names a sector that is not loaded and leaves one out: refused without --onbekend
    table = "statsec,ggw7\n11111A00-,11111W01\n11111A01-,11111W01\n11111B0K-,11111W02\n"
    upload(at, "imp_upload_wijkindeling", "statsec_ggw7.csv", table.encode())
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.success
    (error,) = at.error
    assert "statsec_ggw7.csv: niets geïmporteerd, er is niets gewijzigd." in error.value
    assert str(tmp_path) not in error.value  # no server path
    shown = " ".join(" ".join(map(str, t.value.iloc[:, 0])) for t in at.table) + error.value
    assert "11111B00-" in shown  # the loaded sector the table leaves out is named
    assert rows(data, "wijkindeling") == []
    assert (data / "cohesie.sqlite").read_bytes() == before


def test_onbekend_puts_the_left_out_sector_in_the_onbekend_wijk_with_a_warning(data):
    at = open_page("wijkindeling")
    table = "statsec,ggw7\n11111A00-,11111W01\n11111A01-,11111W01\n11111ZZZZ,11111WONB\n"
    upload(at, "imp_upload_wijkindeling", "statsec_ggw7.csv", table.encode())
    at.checkbox(key="imp_onbekend").check()
    at.run()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error and not at.success
    (warning,) = at.warning  # imported, but a sector was left out of the real wijken
    assert "1 wijken geïmporteerd (3 sectoren, waarvan 1 in 'onbekend')" in warning.value
    notes = " ".join(m.value for m in at.markdown)
    assert "Gegevenscontrole: 1 sector(en) zonder echte wijk (in" in notes
    assert "--onbekend" in at.code[-1].value
    wijk = dict((s, w) for s, w, _ in rows(data, "wijkindeling"))
    assert wijk["11111B00-"] == "11111WONB"


def test_population_file_is_imported_and_a_sector_without_figure_is_reported(data, tmp_path):
    at = open_page("bevolking")
    content = write_population(tmp_path / "OPENDATA_SECTOREN_2024.txt",
                               [("11111", "11111A00-", "1000"), ("11111", "11111A01-", "500")]).read_bytes()
    upload(at, "imp_upload_bevolking", "OPENDATA_SECTOREN_2024.txt", content)
    assert mapping_box(at, "sector").value == "CD_SECTOR"
    assert mapping_box(at, "inwoners").value == "TOTAL"
    # a file that leaves a sector out is refused unless the editor accepts it as partial
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("past niet bij de geladen sectoren" in e.value for e in at.error)
    assert rows(data, "population") == []
    at.checkbox(key="imp_gedeeltelijk").check()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    (warning,) = [w for w in at.warning if "Bevolking 2024 geïmporteerd" in w.value]
    assert "1500 inwoners in 2 sectoren" in warning.value
    notes = " ".join(m.value for m in at.markdown)
    assert "11111B00-" in notes and "niet 0" in notes
    assert rows(data, "population") == [("11111A00-", 1000, "2024"), ("11111A01-", 500, "2024")]
    # recorded under the name it was uploaded with (not the stored copy's hash-prefixed name)
    assert open_store(data).meta()["bron_bevolking"] == "OPENDATA_SECTOREN_2024.txt"


def test_population_with_a_pop_column_through_the_mapping(data, tmp_path):
    at = open_page("bevolking")
    table = "SECTOR,AANTAL_MENSEN\n11111A00-,10\n11111A01-,20\n11111B00-,30\n"
    upload(at, "imp_upload_bevolking", "telling.csv", table.encode())
    at.text_input(key="imp_year").input("2023")
    mapping_box(at, "inwoners").set_value("AANTAL_MENSEN")
    at.run()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Bevolking 2023 geïmporteerd: 60 inwoners in 3 sectoren" in s.value for s in at.success)
    assert "--map AANTAL_MENSEN=inwoners" in at.code[-1].value and "--year 2023" in at.code[-1].value


def test_refused_population_file_changes_nothing(data, tmp_path):
    operations.import_population(open_store(data), write_population(
        tmp_path / "OPENDATA_SECTOREN_2024.txt", [("11111", "11111A00-", "1"), ("11111", "11111A01-", "2"),
                                                  ("11111", "11111B00-", "3")]))
    at = open_page("bevolking")
    before = (data / "cohesie.sqlite").read_bytes()  # after the login, which is audited
    content = write_population(tmp_path / "x.txt", [("22222", "22222A00-", "300")]).read_bytes()
    upload(at, "imp_upload_bevolking", "OPENDATA_SECTOREN_2025.txt", content)
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert "niets geïmporteerd, er is niets gewijzigd" in error.value
    assert "geen sectoren van gemeente 11111" in error.value
    assert (data / "cohesie.sqlite").read_bytes() == before


def test_the_page_in_english_keeps_the_operation_messages(data):
    at = open_page("wijkindeling", lang="en")
    assert at.radio(key="imp_kind").options[2] == "Neighbourhood table (sector → neighbourhood)"
    upload(at, "imp_upload_wijkindeling", "w.csv",
           b"sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord\n11111B00-,W2,Zuid\n")
    assert mapping_box(at, "wijk_code").label == "neighbourhood code (required)"
    at.button(key="imp_area_run").click()
    at.run()
    assert any("2 wijken geïmporteerd" in s.value for s in at.success)
    assert at.subheader[-1].value == "Report"


def test_shared_pinc_table_and_names_on_the_page(tmp_path, monkeypatch):
    sectors = shared_file("mechelen", "sh_statbel_statistical_sectors_3812_20240101_12025.geojson")
    table = shared_file("pinc", "statsec2024_ggw72024_12025.xlsx")
    d = tmp_path / "m"
    store = open_store(d)
    operations.import_sectors(store, sectors, nis="12025")
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    at = open_page("wijkindeling")
    upload(at, "imp_upload_wijkindeling", table.name, table.read_bytes())
    assert mapping_box(at, "sector").value == "statsec2024"
    assert mapping_box(at, "wijk_code").value == "ggw72024"
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("12 wijken geïmporteerd (97 sectoren)" in m.value for m in at.success)
    assert len(pd.DataFrame(rows(d, "wijkindeling"))) == 97


def test_sector_gpkg_with_sector_municip_pop_columns(data, tmp_path):
    frame = tiny_statbel_frame()
    gpkg = tmp_path / "sectoren_gis.gpkg"
    import geopandas as gpd

    gpd.GeoDataFrame({"SECTOR": frame["code"], "MUNICIP": frame["nis"], "POP": [10, 20, 30, 40]},
                     geometry=frame.geometry, crs=31370).to_file(gpkg, driver="GPKG")
    at = open_page("sectoren")
    upload(at, "imp_upload_sectoren", gpkg.name, gpkg.read_bytes())
    assert mapping_box(at, "sector").value == "SECTOR"
    assert mapping_box(at, "nis").value == "MUNICIP"
    assert mapping_box(at, "inwoners").value == "POP"
    at.text_input(key="imp_nis").set_value("11111")
    at.run()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("3 sectoren van gemeente 11111 geïmporteerd." in s.value for s in at.success), \
        [m.value for m in [*at.success, *at.warning, *at.error]]
    assert rows(data, "population") == [("11111A00-", 10, None), ("11111A01-", 20, None), ("11111B00-", 30, None)]
    assert at.code[-1].value == "python -m cohesie import-sectors sectoren_gis.gpkg --nis 11111"


def test_statbel_2025_zipped_shapefile_replaces_the_sectors(data, tmp_path):
    from conftest import write_statbel_2025_zip

    zipped = write_statbel_2025_zip(tmp_path / "sh_statbel_statistical_sectors_31370_20250101.shp.zip",
                                    tiny_statbel_frame())
    at = open_page("sectoren")
    upload(at, "imp_upload_sectoren", zipped.name, zipped.read_bytes())
    assert mapping_box(at, "sector").value == "CS01012025"
    at.text_input(key="imp_nis").set_value("11111")
    at.run()
    at.button(key="imp_area_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("3 sectoren van gemeente 11111 geïmporteerd." in s.value for s in at.success)
    meta = open_store(data).meta()
    assert meta["bron_sectoren"] == zipped.name and meta["sectoren_vintage"] == "2025"
