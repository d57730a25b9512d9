"""Wijk tables as cities have them: Provincies in Cijfers' kerntabel (2025 and 2020-2024), its
name list, the city's own CSV, other column names (``--map``), sector vintages and the
"onbekend" wijk; every refusal a Dutch message with exit 2 and nothing changed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import SHARED, shared_file, tiny_statbel_frame, write_statbel_2024, write_statbel_2025_zip
from shapely.geometry import box
from test_cli import assert_refused, in_process, snapshot

from cohesie import areas, dataset, operations
from cohesie.ingest import wijken
from cohesie.storage import open_store

ATTRIBUTION = ("Wijken voor omgevingsanalyse. (c) gemeentebesturen, verzameld door Data & Analyse "
               "van de Vlaamse provincies")


def run(data_dir: Path, *args):
    [result] = in_process(data_dir, [args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


def stored(data_dir: Path) -> pd.DataFrame:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return pd.read_sql_query("SELECT sector, wijk_code, wijk_naam FROM wijkindeling ORDER BY sector", con)
    finally:
        con.close()


def xlsx(path: Path, frame: pd.DataFrame, *, sheet: str = "Sheet1") -> Path:
    frame.to_excel(path, index=False, sheet_name=sheet)
    return path


# -- fixtures built in code: sectors 11111A00-, 11111A01-, 11111B00- (set before 2025) ---------------
@pytest.fixture(scope="module")
def sectors_template(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("wijktabellen")
    sectors = write_statbel_2024(d / "sectoren_2024.geojson", tiny_statbel_frame(unlocated=True))
    data = d / "data"
    [result] = in_process(data, [("import-sectors", sectors, "--nis", "11111")])
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(sectors_template, tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(sectors_template, d)
    return d


@pytest.fixture
def kerntabel_2024(tmp_path) -> Path:
    """PinC's 2020-2024 kerntabel: 3 sectors and the onbekend row; wijk codes as numbers, as
    Excel keeps them."""
    return xlsx(tmp_path / "statsec2024_ggw72024_11111.xlsx", pd.DataFrame({
        "statsec2024": ["11111A00-", "11111A01-", "11111B00-", "11111ZZZZ"],
        "ggw72024": [1111101, 1111101, 1111102, 1111199]}), sheet="statsec_ggw7_readonly")


@pytest.fixture
def kerntabel_2025(tmp_path) -> Path:
    """PinC's 2025 kerntabel: 11111A01- was split into 11111A01K and 11111A01L."""
    return xlsx(tmp_path / "statsec_ggw7_11111.xlsx", pd.DataFrame({
        "statsec": ["11111A00-", "11111A01K", "11111A01L", "11111B00-", "11111ZZZZ"],
        "ggw7": ["11111W01", "11111W01", "11111W01", "11111W02", "11111WONB"]}))


@pytest.fixture
def namenlijst(tmp_path) -> Path:
    return xlsx(tmp_path / "ggw7_namen_11111.xlsx", pd.DataFrame({
        "sequencenr": ["1", "2", "3"],
        "geoitem code": ["11111W01", "11111W02", "11111WONB"],
        "short name": ["Noordkant", "Zuidkant", "Proefstad - niet te lokaliseren"],
        "name": ["Noordkant (Proefstad)", "Zuidkant (Proefstad)", "Proefstad - niet te lokaliseren"]}))


# -- the PinC kerntabel ------------------------------------------------------------------------------
def test_pinc_kerntabel_xlsx_is_read_not_a_crash(data, kerntabel_2024):
    """Before, every XLSX went through a text decoder: neither UTF-8 nor Windows-1252 could
    decode it, ``text`` stayed unassigned and the command died with UnboundLocalError (exit 1)."""
    result = run(data, "import-wijken", kerntabel_2024)
    assert result.returncode == 0, result.stderr
    assert "2 wijken geïmporteerd (3 sectoren)" in result.stdout
    # no names in the kerntabel: the code is the name, and that is said
    assert "geen wijknamen: de wijkcode is de naam (1111101, 1111102)" in result.stdout
    assert "11111ZZZZ" in result.stdout and "1111199" in result.stdout
    assert stored(data).values.tolist() == [["11111A00-", "1111101", "1111101"],
                                            ["11111A01-", "1111101", "1111101"],
                                            ["11111B00-", "1111102", "1111102"]]
    meta = open_store(data).meta()
    assert meta["wijken_vintage"] == "2020-2024"
    assert meta["wijken_dekking"] == "3/3"
    assert meta["bron_wijken"] == kerntabel_2024.name
    assert meta["wijken_onbekend"] == "1111199"
    assert meta["attributie_wijken"] == ATTRIBUTION
    assert meta["sectoren_vintage"] == "2018-2024"  # recorded by import-sectors, kept
    # the onbekend wijk holds only the unlocated sector, which has no polygon: no area
    assert areas.area_table(dataset.load(open_store(data)).sectors, "wijk")["code"].tolist() == ["1111101", "1111102"]


def test_name_list_gives_the_short_names(data, kerntabel_2025, namenlijst, tmp_path):
    # the sectors of the 2025 set, so the 2025 table covers them
    frame = tiny_statbel_frame(unlocated=False).iloc[:3].copy()
    frame["code"] = ["11111A00-", "11111A01K", "11111B00-"]
    frame = pd.concat([frame, frame.iloc[[1]].assign(code="11111A01L")], ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(3, 0, 4, 1),
                                              box(2, 0, 3, 1)], crs=31370)
    frame = frame.set_geometry(frame.geometry.translate(150_000, 190_000))
    fresh = tmp_path / "data2025"
    sectors = write_statbel_2024(tmp_path / "sectoren_2025.geojson", frame)
    assert run(fresh, "import-sectors", sectors, "--nis", "11111").returncode == 0
    result = run(fresh, "import-wijken", kerntabel_2025, "--names", namenlijst)
    assert result.returncode == 0, result.stderr
    assert "2 wijken geïmporteerd (4 sectoren)" in result.stdout
    table = stored(fresh)
    assert dict(zip(table["sector"], table["wijk_naam"])) == {
        "11111A00-": "Noordkant", "11111A01K": "Noordkant", "11111A01L": "Noordkant",
        "11111B00-": "Zuidkant"}
    assert open_store(fresh).meta()["bron_wijknamen"] == namenlijst.name


def test_names_from_a_wijk_polygon_file(data, kerntabel_2024, tmp_path):
    polygons = gpd.GeoDataFrame({"geoitem": ["1111101", "1111102"], "naam": ["Noordkant", "Zuidkant"]},
                                geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=31370)
    path = tmp_path / "wijken.geojson"
    polygons.to_file(path, driver="GeoJSON")
    result = run(data, "import-wijken", kerntabel_2024, "--names", path)
    assert result.returncode == 0, result.stderr
    assert stored(data)["wijk_naam"].tolist() == ["Noordkant", "Noordkant", "Zuidkant"]
    assert "wijkcode is de naam" not in result.stdout
    # the onbekend wijk is not in the name list: said, not refused
    assert "1111199" in result.stdout


def test_kerntabel_as_csv(data, tmp_path):
    path = tmp_path / "statsec2024_ggw72024.csv"
    path.write_text("statsec2024;ggw72024\n11111A00-;1111101\n11111A01-;1111101\n11111B00-;1111102\n"
                    "11111ZZZZ;1111199\n", encoding="utf-8")
    result = run(data, "import-wijken", path)
    assert result.returncode == 0, result.stderr
    assert open_store(data).meta()["wijken_vintage"] == "2020-2024"


# -- sector vintages ---------------------------------------------------------------------------------
def test_2025_table_against_2024_sectors_is_refused_with_the_vintages(data, kerntabel_2025, namenlijst):
    [result] = assert_refused(data, [(("import-wijken", kerntabel_2025, "--names", namenlijst),
                                      "past niet bij de geladen sectoren")])
    err = result.stderr
    assert "dekt 2 van de 3 geladen sectoren; 1 ontbreken (bv. 11111A01-)" in err
    assert "2 sectorcode(s) uit statsec_ggw7_11111.xlsx bestaan niet" in err
    assert "11111A01K, 11111A01L" in err
    assert "gebruikt sectorcodes van 2025; de geladen sectoren zijn een set van vóór 2025" in err
    assert "--onbekend" in err
    assert "11111ZZZZ" not in err  # the unlocated sector is no unknown code


def test_onbekend_puts_the_uncovered_sectors_in_the_onbekend_wijk(data, kerntabel_2025, namenlijst):
    result = run(data, "import-wijken", kerntabel_2025, "--names", namenlijst, "--onbekend")
    assert result.returncode == 0, result.stderr
    assert "2 wijken geïmporteerd (3 sectoren, waarvan 1 in 'onbekend')" in result.stdout
    assert "--onbekend: 1 geladen sector(en)" in result.stdout and "11111A01-" in result.stdout
    assert "2 sectorcode(s) uit statsec_ggw7_11111.xlsx bestaan niet" in result.stdout
    table = stored(data).set_index("sector")
    assert table.loc["11111A01-"].tolist() == ["11111WONB", "Proefstad - niet te lokaliseren"]
    meta = open_store(data).meta()
    assert (meta["wijken_onbekend"], meta["wijken_onbekend_sectoren"]) == ("11111WONB", "1")
    assert meta["wijken_dekking"] == "2/3" and meta["wijken_vintage"] == "2025"
    # the sectors put there stay visible and counted, under the bucket's own name
    loaded = dataset.load(open_store(data))
    wijk_level = areas.area_table(loaded.sectors, "wijk").set_index("code")["naam"]
    assert wijk_level.to_dict() == {"11111W01": "Noordkant", "11111W02": "Zuidkant",
                                    "11111WONB": "Proefstad - niet te lokaliseren"}


def test_unknown_codes_are_a_note_when_every_sector_is_covered(data, tmp_path):
    path = tmp_path / "wijken.csv"
    path.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord\n"
                    "11111B00-,W2,Zuid\n11111C00-,W3,Nieuw\n22222A00-,W9,Elders\n", encoding="utf-8")
    result = run(data, "import-wijken", path)
    assert result.returncode == 0, result.stderr
    assert "2 sectorcode(s) uit wijken.csv bestaan niet in de geladen sectoren" in result.stdout
    assert "1 ervan horen bij een andere gemeente" in result.stdout
    assert len(stored(data)) == 3


# -- the city's own table, --map, empty names -----------------------------------------------------------
def test_city_csv_with_empty_names_fills_them_from_the_code(data, tmp_path):
    path = tmp_path / "wijkindeling.csv"
    path.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noordkant\n11111A01-,W1,\n"
                    "11111B00-,W2,\n", encoding="utf-8")
    result = run(data, "import-wijken", path)
    assert result.returncode == 0, result.stderr
    assert "1 wijk(en) zonder naam: de wijkcode is de naam (W2)" in result.stdout
    assert stored(data)["wijk_naam"].tolist() == ["Noordkant", "Noordkant", "W2"]
    assert open_store(data).meta().get("attributie_wijken") is None  # not a PinC table


def test_city_table_as_xlsx(data, tmp_path):
    path = xlsx(tmp_path / "wijkindeling.xlsx", pd.DataFrame({
        "sector": ["11111A00-", "11111A01-", "11111B00-"], "wijk_code": ["W1", "W1", "W2"],
        "wijk_naam": ["Noordkant", "Noordkant", "Zuidkant"]}))
    result = run(data, "import-wijken", path)
    assert result.returncode == 0, result.stderr
    assert stored(data)["wijk_code"].tolist() == ["W1", "W1", "W2"]


def test_map_names_other_columns(data, tmp_path):
    path = tmp_path / "gis.csv"
    path.write_text("SEC_ID;BUURT;BUURTNAAM\n11111A00-;B1;Noord\n11111A01-;B1;Noord\n11111B00-;B2;Zuid\n",
                    encoding="utf-8")
    before = snapshot(data)
    refused = run(data, "import-wijken", path)
    assert refused.returncode == 2
    assert "geen kolom met de sectorcode en de wijkcode" in refused.stderr
    assert "SEC_ID, BUURT, BUURTNAAM" in refused.stderr and "--map SECTOR=sector" in refused.stderr
    assert snapshot(data) == before
    result = run(data, "import-wijken", path, "--map", "SEC_ID=sector", "--map", "BUURT=wijk_code",
                 "--map", "BUURTNAAM=wijk_naam")
    assert result.returncode == 0, result.stderr
    assert stored(data).values.tolist() == [["11111A00-", "B1", "Noord"], ["11111A01-", "B1", "Noord"],
                                            ["11111B00-", "B2", "Zuid"]]


def test_map_recognised_names_upper_case(data, tmp_path):
    """``SECTOR, WIJK`` are recognised; --map WIJK=wijk_code says the same explicitly."""
    path = tmp_path / "gis.csv"
    path.write_text("SECTOR,WIJK\n11111A00-,B1\n11111A01-,B1\n11111B00-,B2\n", encoding="utf-8")
    assert run(data, "import-wijken", path).returncode == 0
    result = run(data, "import-wijken", path, "--map", "SECTOR=sector", "--map", "WIJK=wijk_code")
    assert result.returncode == 0, result.stderr
    assert stored(data)["wijk_code"].tolist() == ["B1", "B1", "B2"]


# -- bad input: every problem at once, exit 2, nothing changed ---------------------------------------
def test_problems_of_a_table_are_reported_together(data, tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text("sector,wijk_code,wijk_naam\n"
                    "11111A00-,W1,Noord\n"      # row 2
                    ",W1,Noord\n"               # row 3: no sector
                    "11111A01-,,\n"             # row 4: no wijk
                    "1111A0,W2,Zuid\n"          # row 5: no sector code
                    "11111B00-,W2,Zuid\n"       # row 6
                    "11111B00-,W1,Noord\n"      # row 7: B00- in two wijken
                    "11111A01-,W2,Zuiderkant\n",  # row 8: W2 has two names
                    encoding="utf-8")
    [result] = assert_refused(data, [(("import-wijken", path), "fout.csv")])
    err = result.stderr
    assert "rij 3, kolom sector: de sectorcode is leeg (wijk W1)" in err
    assert "rij 4, kolom wijk_code: sector 11111A01- heeft geen wijkcode" in err
    assert "rij 5, kolom sector: '1111A0' heeft niet de vorm van een sectorcode" in err
    assert "sector 11111B00- staat in meer dan één wijk (W2, W1, rijen 6, 7)" in err
    assert "wijk W2 heeft meer dan één naam in de tabel (Zuid, Zuiderkant)" in err


@pytest.mark.parametrize("content, message", [
    (b"", "is leeg"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "geen tabel maar een PNG-afbeelding"),
    (b"PK\x03\x04 kapot", "geen tabel maar een zip-archief"),
    (b"a,b\n1,2\n", "geen kolom met de sectorcode en de wijkcode"),
])
def test_unusable_files_get_a_dutch_message(data, tmp_path, content, message):
    path = tmp_path / "wijken.csv"
    path.write_bytes(content)
    assert_refused(data, [(("import-wijken", path), message)])


def test_bad_names_file_and_bad_map(data, kerntabel_2024, tmp_path):
    assert_refused(data, [
        (("import-wijken", kerntabel_2024, "--names", tmp_path / "weg.xlsx"), "Bestand niet gevonden"),
        (("import-wijken", kerntabel_2024, "--map", "statsec2024=buurt"), "veld 'buurt' bestaat niet"),
        (("import-wijken", kerntabel_2024, "--map", "NERGENS=sector"), "kolom 'NERGENS' staat niet in"),
        (("import-wijken", kerntabel_2024, "--map", "zonder-is-teken"), "--map 'zonder-is-teken' is ongeldig"),
    ])


def test_name_list_giving_one_wijk_two_names_is_refused(data, kerntabel_2024, tmp_path):
    names = xlsx(tmp_path / "namen.xlsx", pd.DataFrame({
        "geoitem code": ["1111101", "1111101"], "short name": ["Noord", "Noordkant"]}))
    assert_refused(data, [(("import-wijken", kerntabel_2024, "--names", names),
                           "rij 3: wijk 1111101 heeft al de naam 'Noord', hier 'Noordkant'")])


# -- the attribution line ------------------------------------------------------------------------------
def test_attribution_in_the_export_header_only_for_a_pinc_table(data, kerntabel_2024, tmp_path):
    assert run(data, "import-wijken", kerntabel_2024).returncode == 0
    header = operations.export_header(dataset.load(open_store(data)), "Kaart", "geen filters")
    assert header[2] == ATTRIBUTION
    own = tmp_path / "eigen.csv"
    own.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,N\n11111A01-,W1,N\n11111B00-,W2,Z\n",
                   encoding="utf-8")
    assert run(data, "import-wijken", own).returncode == 0
    assert ATTRIBUTION not in operations.export_header(dataset.load(open_store(data)), "Kaart", "geen filters")


def test_attribution_in_the_data_source_line_of_the_pages(data, kerntabel_2024, monkeypatch):
    import streamlit_folium
    from conftest import REPO
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    assert run(data, "import-wijken", kerntabel_2024).returncode == 0
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # as tests/test_app.py: st.navigation on every run
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(data))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ATTRIBUTION in [c.value for c in at.caption]
    at.switch_page("pages/gegevens.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ATTRIBUTION in [c.value for c in at.caption]


# -- the readers on their own ---------------------------------------------------------------------------
def test_read_wijk_table_collects_instead_of_raising(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("sector,wijk\n11111A00-,\n11111A01-,W1\n", encoding="utf-8")
    with pytest.raises(wijken.ValidationError) as err:
        wijken.read_wijk_table(path)
    assert err.value.problems == ["rij 2, kolom wijk: sector 11111A00- heeft geen wijkcode; vul de wijk in"]
    read = wijken.read_wijk_table(path, collect=True)
    assert read.problems == err.value.problems
    assert read.table["sector"].tolist() == ["11111A01-"]


def test_onbekend_wijk_codes():
    for code in ("12025WONB", "12025ONB", "1202599", "21001_ONB", "12025wonb"):
        assert areas.is_unlocated_wijk(code), code
    # 21002_99 is Vogelzang, a real wijk of Oudergem
    for code in ("12025W03", "1202503", "21001_58", "21002_99", "W99", "99999A1"):
        assert not areas.is_unlocated_wijk(code), code


# -- the shared Provincies in Cijfers samples with the Mechelen sectors (skipped when absent) ----------
PINC = ("pinc",)
MECHELEN = ("mechelen",)


@pytest.fixture(scope="module")
def mechelen_template(tmp_path_factory) -> Path:
    sectors = shared_file(*MECHELEN, "sh_statbel_statistical_sectors_3812_20240101_12025.geojson")
    d = tmp_path_factory.mktemp("mechelen") / "data"
    [result] = in_process(d, [("import-sectors", sectors, "--nis", "12025")])
    assert result.returncode == 0, result.stderr
    return d


@pytest.fixture
def mechelen(mechelen_template, tmp_path) -> Path:
    d = tmp_path / "mechelen"
    shutil.copytree(mechelen_template, d)
    return d


def test_shared_2024_kerntabel_covers_the_97_sectors_exactly(mechelen):
    result = run(mechelen, "import-wijken", shared_file(*PINC, "statsec2024_ggw72024_12025.xlsx"),
                 "--names", shared_file(*MECHELEN, "wijken_12025.geojson"))
    assert result.returncode == 0, result.stderr
    assert "12 wijken geïmporteerd (97 sectoren)" in result.stdout
    assert "bestaan niet" not in result.stdout  # no unknown codes
    table = stored(mechelen)
    assert len(table) == 97 and table["wijk_naam"].nunique() == 12
    own = pd.read_csv(shared_file(*MECHELEN, "wijkindeling_12025.csv"), dtype=str)
    assert (table.set_index("sector")["wijk_naam"].sort_index()
            == own.set_index("sector")["wijk_naam"].sort_index()).all()
    meta = open_store(mechelen).meta()
    assert (meta["wijken_vintage"], meta["wijken_dekking"]) == ("2020-2024", "97/97")
    assert meta["attributie_wijken"] == ATTRIBUTION


def test_shared_2025_kerntabel_refused_then_accepted_with_onbekend(mechelen):
    table = shared_file(*PINC, "statsec_ggw7_12025.xlsx")
    names = shared_file(*PINC, "ggw7_namen_12025.xlsx")
    [refused] = assert_refused(mechelen, [(("import-wijken", table, "--names", names),
                                           "past niet bij de geladen sectoren")])
    assert "dekt 89 van de 97 geladen sectoren; 8 ontbreken" in refused.stderr
    assert "14 sectorcode(s)" in refused.stderr
    assert "gebruikt sectorcodes van 2025; de geladen sectoren zijn een set van vóór 2025" in refused.stderr
    result = run(mechelen, "import-wijken", table, "--names", names, "--onbekend")
    assert result.returncode == 0, result.stderr
    assert "waarvan 8 in 'onbekend'" in result.stdout
    stored_table = stored(mechelen)
    assert len(stored_table) == 97
    assert (stored_table["wijk_code"] == "12025WONB").sum() == 8
    assert set(stored_table.loc[stored_table["wijk_code"] == "12025WONB", "wijk_naam"]) == {
        "Mechelen - niet te lokaliseren"}
    assert "Nekkerspoel" in set(stored_table["wijk_naam"])
    loaded = dataset.load(open_store(mechelen))
    assert len(areas.area_table(loaded.sectors, "wijk")) == 13  # 12 wijken and 'onbekend'


@pytest.mark.skipif(not SHARED.exists(), reason="gedeelde referentiegegevens ontbreken")
def test_shared_name_list_reads_short_names():
    names = wijken.read_wijk_names(shared_file(*PINC, "ggw7_namen_12025.xlsx"))
    assert names.pinc and names.names["12025W10"] == "Nekkerspoel"
    assert len(names.names) == 13


def test_recognised_columns_of_the_layouts():
    assert wijken.recognised_columns(["statsec", "ggw7"]) == {"sector": "statsec", "wijk_code": "ggw7"}
    assert wijken.recognised_columns(["Statsec2024", "GGW72024"]) == {"sector": "Statsec2024",
                                                                      "wijk_code": "GGW72024"}
    assert wijken.recognised_columns(["sector", "wijk_code", "wijk_naam"]) == {
        "sector": "sector", "wijk_code": "wijk_code", "wijk_naam": "wijk_naam"}
    assert wijken.recognised_columns(["SEC_ID", "BUURT"]) == {}


def test_the_files_own_onbekend_wijk_takes_the_uncovered_sectors(data, tmp_path):
    """A city table whose unlocated sector lies in a wijk of its own naming (W9)."""
    path = tmp_path / "eigen.csv"
    path.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111B00-,W2,Zuid\n"
                    "11111ZZZZ,W9,Onbekend\n", encoding="utf-8")
    result = run(data, "import-wijken", path, "--onbekend")
    assert result.returncode == 0, result.stderr
    assert "2 wijken geïmporteerd (3 sectoren, waarvan 1 in 'onbekend')" in result.stdout
    assert stored(data).set_index("sector").loc["11111A01-"].tolist() == ["W9", "Onbekend"]
    assert open_store(data).meta()["wijken_onbekend"] == "W9"


def test_codes_of_another_form_are_a_note_not_a_refusal(data, tmp_path):
    """Real Statbel codes have a digit after the NIS too (1100212MQ); a code that does not look
    like a sector code at all is said, and refuses nothing when every loaded sector is covered."""
    path = tmp_path / "wijken.csv"
    path.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord\n"
                    "11111B00-,W2,Zuid\n1100212MQ,W7,Elders\n1.11E+08,W8,Kapot\n", encoding="utf-8")
    result = run(data, "import-wijken", path)
    assert result.returncode == 0, result.stderr
    assert "1 rij(en) met een code die niet de vorm van een sectorcode heeft" in result.stdout
    assert "rij 6, kolom sector: '1.11E+08'" in result.stdout
    assert "1100212MQ" in result.stdout  # an unknown code, of another municipality
    assert len(stored(data)) == 3


def test_a_row_with_too_many_fields_is_refused_with_its_row_number(data, tmp_path):
    path = tmp_path / "wijken.csv"
    path.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord, extra\n"
                    "11111B00-,W2,Zuid\n", encoding="utf-8")
    assert_refused(data, [(("import-wijken", path), "rij 3: 4 velden in plaats van 3")])


def test_other_kinds_of_file_are_named(data, namenlijst, tmp_path):
    population = tmp_path / "OPENDATA_SECTOREN_2025.txt"
    population.write_text("CD_REFNIS|CD_SECTOR|TOTAL\n11111|11111A00-|10\n", encoding="utf-8")
    sectors = tmp_path / "sectoren.csv"
    sectors.write_text("cd_sector,tx_sector_descr_nl\n11111A00-,Noord\n", encoding="utf-8")
    assert_refused(data, [
        (("import-wijken", namenlijst), "lijkt een lijst met wijknamen: geef die met --names"),
        (("import-wijken", population), "lijkt een bevolkingsbestand van Statbel"),
        (("import-wijken", sectors), "lijkt een sectorbestand van Statbel: importeer het met import-sectors"),
    ])


def test_same_codes_under_other_column_names_is_no_mismatch(tmp_path, kerntabel_2024):
    """A sector file in Statbel's 2025 layout can carry codes that are also in the 2020-2024 set
    (as the shared Mechelen sample does). A 2020-2024 wijk table with exactly those codes fits:
    it is imported, with a note that explains why two set names meet."""
    zipped = write_statbel_2025_zip(tmp_path / "sectoren_2025.shp.zip", tiny_statbel_frame(unlocated=True))
    data = tmp_path / "data"
    assert run(data, "import-sectors", zipped, "--nis", "11111").returncode == 0
    assert open_store(data).meta()["sectoren_vintage"] == "2025"  # from the column names
    result = run(data, "import-wijken", kerntabel_2024)
    assert result.returncode == 0, result.stderr
    assert "maar de codes zijn precies dezelfde: voor deze gemeente past de tabel" in result.stdout
    meta = open_store(data).meta()
    assert (meta["sectoren_vintage"], meta["wijken_vintage"], meta["wijken_dekking"]) == ("2025", "2020-2024", "3/3")
