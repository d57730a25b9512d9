"""Shared fixtures: tiny hand-checkable sectors and a data directory built in code."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "geodata"

# The tests run as in development: an exception on a page stays an exception (AppTest's
# at.exception, the browser's stException) instead of the calm message the project's config
# gives users (client.showErrorDetails "none"); tests of that message set "none" themselves.
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"


def pytest_make_parametrize_id(config, val, argname):
    """File contents (bytes) are named by their length in test ids, not spelled out: contents
    made at collection time (random bytes, a zip with the current time in it) would otherwise
    give each pytest-xdist worker other test names, and xdist refuses to run then."""
    if isinstance(val, (bytes, bytearray)):
        return f"{len(val)}bytes"
    return None


def shared_file(*parts: str) -> Path:
    """A file of ../shared/geodata, or skip the test when the folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"gedeelde referentiegegevens ontbreken: {path}")
    return path


@pytest.fixture
def three_sectors() -> gpd.GeoDataFrame:
    """Three 1 km x 1 km sectors in a row (EPSG:31370), 2024 GeoJSON layout."""
    x0, y0 = 150_000, 190_000
    return gpd.GeoDataFrame(
        {
            "cd_sector": ["11111A00-", "11111A01-", "11111B00-"],
            "tx_sector_descr_nl": ["Noord", "Midden", "Zuid"],
            "cd_sub_munty": ["11111A", "11111A", "11111B"],
            "tx_sub_munty_nl": ["Stad", "Stad", "Dorp"],
            "cd_munty_refnis": ["11111", "11111", "11111"],
            "tx_munty_descr_nl": ["Proefstad"] * 3,
        },
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)],
        crs=31370,
    )


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data directory, also set as $COHESIE_DATA_DIR."""
    d = tmp_path / "data"
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    return d


# -- Statbel files built in code ------------------------------------------------------------
# Two municipalities so that filtering on --nis has something to drop: 11111 (the three squares
# above, deelgemeenten A and B) and 22222 (one square further east).
TINY_SECTORS = [
    # code, naam, deelgemeente, deelgemeente_naam, nis, gemeente_naam, x index
    ("11111A00-", "Noord", "11111A", "Stad", "11111", "Proefstad", 0),
    ("11111A01-", "Midden", "11111A", "Stad", "11111", "Proefstad", 1),
    ("11111B00-", "Zuid", "11111B", "Dorp", "11111", "Proefstad", 2),
    ("22222A00-", "Elders", "22222A", "Buurdorp", "22222", "Buurgemeente", 5),
]
TINY_X0, TINY_Y0 = 150_000, 190_000  # EPSG:31370, lower-left corner of the first square


def tiny_statbel_frame(*, unlocated: bool = False) -> gpd.GeoDataFrame:
    """The tiny sectors with normalised column names, EPSG:31370, 1 km x 1 km squares.

    ``unlocated`` adds Statbel's ``11111ZZZZ`` "niet te lokaliseren" without a polygon.
    """
    rows = list(TINY_SECTORS)
    geoms = [box(TINY_X0 + i * 1000, TINY_Y0, TINY_X0 + (i + 1) * 1000, TINY_Y0 + 1000)
             for *_, i in rows]
    if unlocated:
        rows.append(("11111ZZZZ", "Niet te lokaliseren", "11111Z", "Stad", "11111", "Proefstad", -1))
        geoms.append(None)
    cols = ["code", "naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam"]
    return gpd.GeoDataFrame([r[:6] for r in rows], columns=cols,
                            geometry=gpd.GeoSeries(geoms, crs=31370))


def write_statbel_2024(path: Path, frame: gpd.GeoDataFrame, *, crs: int = 3812) -> Path:
    """Write ``frame`` in Statbel's 2018-2024 GeoJSON layout (lowercase fields, EPSG:3812)."""
    out = gpd.GeoDataFrame(
        {
            "cd_sector": frame["code"],
            "tx_sector_descr_nl": frame["naam"],
            "tx_sector_descr_fr": frame["naam"],
            "cd_sub_munty": frame["deelgemeente"],
            "tx_sub_munty_nl": frame["deelgemeente_naam"],
            "cd_munty_refnis": frame["nis"],
            "tx_munty_descr_nl": frame["gemeente_naam"],
            "cd_country": "BE",
            "ms_area_ha": frame.geometry.area / 1e4,
        },
        geometry=frame.geometry,
    ).to_crs(crs)
    driver = "GPKG" if path.suffix == ".gpkg" else "GeoJSON"
    out.to_file(path, driver=driver)
    return path


def write_statbel_2025_zip(path: Path, frame: gpd.GeoDataFrame, *, prj: bool = True) -> Path:
    """Write ``frame`` as Statbel's 2025 zipped shapefile: ``<name>.shp/<name>.*`` in the zip."""
    import shutil
    import zipfile

    stem = path.name.removesuffix(".zip").removesuffix(".shp")
    work = path.parent / f"_build_{stem}"
    work.mkdir(parents=True, exist_ok=True)
    out = gpd.GeoDataFrame(
        {
            "CS01012025": frame["code"],
            "T_SEC_NL": frame["naam"],
            "T_SEC_FR": frame["naam"],
            "C_NIS7": frame["code"].str.slice(0, 7),
            "C_NIS6": frame["deelgemeente"],
            "T_NIS6_NL": frame["deelgemeente_naam"],
            "CNIS5_2025": frame["nis"],
            "T_MUN_NL": frame["gemeente_naam"],
            "C_COUNTRY": "BE",
            "M_AREA_HA": frame.geometry.area / 1e4,
        },
        geometry=frame.geometry,
    ).to_crs(31370)
    out.to_file(work / f"{stem}.shp", driver="ESRI Shapefile", encoding="UTF-8")
    if not prj:
        (work / f"{stem}.prj").unlink()
    with zipfile.ZipFile(path, "w") as zf:
        for part in sorted(work.iterdir()):
            zf.write(part, f"{stem}.shp/{part.name}")
    shutil.rmtree(work)
    return path


def write_population(path: Path, rows: list[tuple[str, str, str]], *, bom: bool = True) -> Path:
    """Statbel ``OPENDATA_SECTOREN`` layout, pipe-separated; ``rows`` are (nis, sector, total)."""
    header = ("CD_REFNIS|CD_SECTOR|TOTAL|DT_STRT_SECTOR|DT_STOP_SECTOR|OPPERVLAKKTE IN HM²|"
              "TX_DESCR_SECTOR_NL|TX_DESCR_SECTOR_FR|TX_DESCR_NL|TX_DESCR_FR")
    lines = [header] + [f"{nis}|{sector}|{total}|01/01/2025|31/12/9999|100|x|x|Proefstad|Proefstad"
                        for nis, sector, total in rows]
    text = "\n".join(lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
    return path


TINY_POPULATION = [("11111", "11111A00-", "1000"), ("11111", "11111A01-", "500"),
                   ("11111", "11111B00-", "0"), ("11111", "11111ZZZZ", "7"),
                   ("22222", "22222A00-", "300")]


PASSWORD = "geheim-123"
ACCOUNTS = {"ada": "admin", "eva": "editor", "vic": "viewer"}


def demo_with_accounts(path: Path) -> Path:
    """The demo in ``path`` with one account per role (ada admin, eva editor, vic viewer)."""
    from cohesie import auth, operations
    from cohesie.storage import open_store

    store = open_store(path)
    operations.build_demo(store)
    hashed = auth.hash_password(PASSWORD)
    for name, role in ACCOUNTS.items():
        store.save_user(name, rol=role, password_hash=hashed)
    return path


def open_dashboard(data_dir: Path, monkeypatch, *, timeout: float = 90):
    """``dashboard.py`` in AppTest on ``data_dir``, run once, as on a server that has run before:
    ``st.navigation`` on every run (Streamlit's legacy ``pages/`` mode off), no map component
    (AppTest cannot render it), no background tiles."""
    import streamlit_folium
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
