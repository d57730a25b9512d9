"""``import-population`` with any table (Statbel, CSV, XLSX, a GPKG's attributes), sector
vintages, and sectors without a figure: unknown inhabitants, never 0 (issue 11, items 3-4).

The tiny municipality 11111 has sectors 11111A00-, 11111A01- (wijk W1) and 11111B00- (W2).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import streamlit_folium
from conftest import (
    REPO,
    TINY_POPULATION,
    shared_file,
    tiny_statbel_frame,
    write_population,
    write_statbel_2024,
)
from streamlit.testing.v1 import AppTest
from test_app import FakeFolium, navigation_as_on_a_running_server  # noqa: F401 (autouse fixture)
from test_cli import assert_refused, in_process, read_csv

from cohesie import areas, dataset, indicators, operations
from cohesie.ingest import population
from cohesie.storage import open_store

CODES = ["11111A00-", "11111A01-", "11111B00-"]


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory):
    """Sectors of the 2018-2024 layout (``cd_sector``), the wijken and two signals in A00."""
    base = tmp_path_factory.mktemp("pop")
    sectors = write_statbel_2024(base / "sectors_2024.geojson", tiny_statbel_frame())
    wijken = base / "wijken.csv"
    wijken.write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord\n"
                      "11111B00-,W2,Zuid\n", encoding="utf-8")
    d = base / "data"
    results = in_process(d, [("import-sectors", sectors, "--nis", "11111"), ("import-wijken", wijken)])
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    return d


@pytest.fixture
def loaded(loaded_template, tmp_path):
    import shutil

    d = tmp_path / "data"
    shutil.copytree(loaded_template, d)
    return d


def imported(d, *args):
    [result] = in_process(d, [("import-population", *args)])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result


def inhabitants(d) -> dict:
    return dataset.load(open_store(d)).sectors.set_index("code")["inwoners"].to_dict()


# -- files of every kind ---------------------------------------------------------------------
def test_statbel_file_as_before(loaded):
    path = write_population(loaded.parent / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION)
    result = imported(loaded, path)
    assert "Bevolking 2025 geïmporteerd: 1500 inwoners in 3 sectoren." in result.stdout
    assert "7 inwoners" in result.stdout  # 11111ZZZZ, not located
    assert inhabitants(loaded) == {"11111A00-": 1000, "11111A01-": 500, "11111B00-": 0}
    data = dataset.load(open_store(loaded))
    assert data.unlocated_population == 7
    assert data.meta["bevolking_jaar"] == "2025" and data.meta["bevolking_vintage"] == "2025"
    assert data.meta["bevolking_dekking"] == "3/3"


def test_csv_with_other_column_names_and_belgian_numbers(loaded):
    path = loaded.parent / "bevolking.csv"
    path.write_text("statsec;Gemeente;bevolking\n11111A00-;11111;1.200\n11111A01-;11111;300\n"
                    "11111B00-;11111;45\n22222A00-;22222;9.999\n", encoding="cp1252")
    result = imported(loaded, path, "--year", "2023")
    assert "Bevolking 2023 geïmporteerd: 1545 inwoners in 3 sectoren." in result.stdout
    assert inhabitants(loaded) == {"11111A00-": 1200, "11111A01-": 300, "11111B00-": 45}


def test_xlsx_with_mapped_columns(loaded):
    path = loaded.parent / "inwoners.xlsx"
    pd.DataFrame({"Sectorcode Statbel": CODES, "Aantal inw.": [10, 20, 30]}).to_excel(path, index=False)
    [refused] = in_process(loaded, [("import-population", path)])
    assert refused.returncode == 2
    assert "Sectorcode Statbel, Aantal inw." in refused.stderr and "--map" in refused.stderr
    imported(loaded, path, "--map", "Sectorcode Statbel=sector", "--map", "Aantal inw.=inwoners")
    assert inhabitants(loaded) == {"11111A00-": 10, "11111A01-": 20, "11111B00-": 30}
    assert dataset.load(open_store(loaded)).meta["bevolking_jaar"] is None  # no year in the name, none given


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_attribute_table_of_a_polygon_file(loaded, suffix):
    frame = tiny_statbel_frame()
    path = loaded.parent / f"sectoren_met_pop{suffix}"
    gpd.GeoDataFrame({"SECTOR": frame["code"], "MUNICIP": frame["nis"].astype(int), "POP": [7, 8, 9, 10]},
                     geometry=frame.geometry, crs=31370).to_file(path)
    result = imported(loaded, path, "--year", "2024")
    assert "Bevolking 2024 geïmporteerd: 24 inwoners in 3 sectoren." in result.stdout
    assert inhabitants(loaded) == {"11111A00-": 7, "11111A01-": 8, "11111B00-": 9}


def test_reader_reports_every_bad_value_at_once(tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text("sector,inwoners\n11111A00-,veel\n11111A01-,-4\n11111B00-,2.5\n11111B00-,3\n",
                    encoding="utf-8")
    with pytest.raises(population.ValidationError) as err:
        population.population_from_file(path, nis="11111")
    assert err.value.problems == ["rij 2: inwoners 'veel' is geen aantal inwoners",
                                  "rij 3: inwoners '-4' is geen aantal inwoners",
                                  "rij 4: inwoners '2.5' is geen aantal inwoners",
                                  "sector 11111B00- staat meer dan eens in het bestand; laat één rij "
                                  "per sector over"]


def test_bad_files_are_refused_and_change_nothing(loaded):
    base = loaded.parent
    bad = base / "fout.csv"
    bad.write_text("sector,inwoners\n11111A00-,veel\n11111A01-,-4\n", encoding="utf-8")
    none = base / "geen.csv"
    none.write_text("sector,inwoners\n99999A00-,10\n", encoding="utf-8")
    other = base / "anders.csv"
    other.write_text("sector,inwoners\n22222A00-,10\n", encoding="utf-8")
    cols = base / "kolommen.csv"
    cols.write_text("a,b\n1,2\n", encoding="utf-8")
    split = base / "gesplitst.csv"
    split.write_text("statsec,inwoners\n11111A00-,1\n11111A01-,2\n11111B0AK,3\n11111B0AL,4\n", encoding="utf-8")
    assert_refused(loaded, [
        (("import-population", bad), r"ongeldige bevolkingscijfers.*rij 2: inwoners 'veel'.*rij 3: inwoners '-4'"),
        (("import-population", none), r"geen sectoren van gemeente 11111.*99999"),
        (("import-population", other), r"geen sectoren van gemeente 11111.*22222"),
        (("import-population", cols), r"geen kolom met de sectorcode en het aantal inwoners.*a, b.*--map"),
        (("import-population", bad, "--map", "x=inwoners"), r"--map klopt niet.*geen kolom 'x'"),
        (("import-population", bad, "--year", "vorig jaar"), r"--year 'vorig jaar' is geen jaartal"),
        (("import-population", split),
         r"past niet bij de geladen sectoren \(1 van de 3 .*niets gewijzigd.*dekt 2 van de 3.*11111B00-"
         r".*--gedeeltelijk"),
    ])


def test_a_file_that_covers_no_loaded_sector_is_refused(loaded, tmp_path):
    path = tmp_path / "ander_jaar.csv"
    # codes of municipality 11111 but none of them loaded (an entirely different set)
    path.write_text("sector,inwoners\n11111C00-,10\n11111C01-,20\n", encoding="utf-8")
    assert_refused(loaded, [(("import-population", path),
                             r"voor geen enkele geladen sector.*dekt 0 van de 3.*Geen enkele code komt overeen")])


# -- another vintage: refused by default; with --gedeeltelijk accepted, reported, the uncovered
# sectors without a figure -----------------------------------------------------------------------
@pytest.fixture
def other_vintage(loaded):
    """A population table of the 2025 set (PinC's ``statsec`` column) in which 11111B00- was
    split into 11111B0AK and 11111B0AL: it leaves one loaded sector out and has two unknown codes."""
    path = loaded.parent / "bevolking_2025.csv"
    path.write_text("statsec,inwoners\n11111A00-,1000\n11111A01-,500\n11111B0AK,40\n11111B0AL,60\n",
                    encoding="utf-8")
    return loaded, imported(loaded, path, "--gedeeltelijk")


def test_other_vintage_is_refused_without_gedeeltelijk(loaded):
    path = loaded.parent / "bevolking_2025.csv"
    path.write_text("statsec,inwoners\n11111A00-,1000\n11111A01-,500\n11111B0AK,40\n11111B0AL,60\n",
                    encoding="utf-8")
    assert_refused(loaded, [(("import-population", path),
                             r"gebruikt sectorcodes van 2025; de geladen sectoren zijn een set van vóór 2025"
                             r".*--gedeeltelijk")])


def test_other_vintage_is_reported(other_vintage):
    d, result = other_vintage
    out = result.stdout
    assert "1500 inwoners in 2 sectoren; 1 sector(en) zonder bevolkingscijfer (geen gegevens)" in out
    assert "dekt 2 van de 3 geladen sectoren; 1 ontbreken (bv. 11111B00-)" in out
    assert "2 sectorcode(s) uit bevolking_2025.csv bestaan niet" in out and "11111B0AK" in out
    assert "gebruikt sectorcodes van 2025; de geladen sectoren zijn een set van vóór 2025" in out
    assert "niet 0" in out  # the sectors without a figure are listed as no data
    meta = dataset.load(open_store(d)).meta
    assert meta["bevolking_vintage"] == "2025" and meta["sectoren_vintage"] == "2018-2024"
    assert meta["bevolking_dekking"] == "2/3"
    assert meta["bron_bevolking"] == "bevolking_2025.csv"


def test_sector_without_figure_has_unknown_inhabitants_not_zero(other_vintage):
    d, _ = other_vintage
    data = dataset.load(open_store(d))
    values = inhabitants(d)
    assert values["11111A00-"] == 1000 and values["11111A01-"] == 500
    assert np.isnan(values["11111B00-"])
    assert data.unlocated_population == 0  # the unknown codes are not 'niet te lokaliseren'
    assert areas.without_population(data.sectors).tolist() == ["11111B00-"]


def test_indicators_are_empty_not_zero_for_unknown_inhabitants(other_vintage):
    d, _ = other_vintage
    sector, wijk, city = in_process(d, [("indicators", "--level", level) for level in ("sector", "wijk", "gemeente")])
    s = read_csv(sector.stdout).set_index("code")
    assert pd.isna(s.loc["11111B00-", "inwoners"]) and pd.isna(s.loc["11111B00-", "signalen_per_1000"])
    assert pd.isna(s.loc["11111B00-", "inwoners_per_km2"])
    assert s.loc["11111A00-", "inwoners"] == 1000 and s.loc["11111A00-", "inwoners_per_km2"] == 1000.0
    assert s.loc["11111A00-", "signalen_per_1000"] == 0.0  # a known 0 stays 0
    w = read_csv(wijk.stdout).set_index("code")
    assert w.loc["W1", "inwoners"] == 1500 and w.loc["W1", "meubilair_per_1000"] == 0.0
    assert pd.isna(w.loc["W2", "inwoners"]) and pd.isna(w.loc["W2", "meubilair_per_1000"])
    g = read_csv(city.stdout)
    # the city's total leaves the unknown sector out; its rates would be overstated, so empty
    assert g["inwoners"].iloc[0] == 1500
    assert pd.isna(g["signalen_per_1000"].iloc[0]) and pd.isna(g["inwoners_per_km2"].iloc[0])


def test_per_area_and_city_reference_with_a_partly_known_area():
    frame = tiny_statbel_frame()[lambda f: f["nis"] == "11111"]
    sectors, _ = areas.attach_wijken(frame, pd.DataFrame({"sector": CODES, "wijk_code": ["W1", "W1", "W2"],
                                                          "wijk_naam": ["Noord", "Noord", "Zuid"]}))
    sectors, _ = areas.attach_population(sectors, pd.DataFrame({"sector": CODES[1:], "inwoners": [500, 200]}))
    points = pd.DataFrame({"layer": ["signalen"] * 3, "id": ["s1", "s2", "s3"], "type": ["eenzaamheid"] * 3,
                           "status": ["open"] * 3, "datum": pd.to_datetime(["2024-01-01"] * 3),
                           "sector": ["11111A00-", "11111A01-", "11111B00-"], "wijk_code": ["W1", "W1", "W2"]})
    wijk = indicators.per_area(sectors, points, level="wijk").set_index("code")
    assert wijk.loc["W1", "inwoners"] == 500  # the known sector only ...
    assert wijk.loc["W1", "signalen"] == 2
    assert pd.isna(wijk.loc["W1", "signalen_per_1000"])  # ... so no rate: 2/500 would overstate it
    assert wijk.loc["W2", "signalen_per_1000"] == 5.0  # 1 per 200 inhabitants
    assert "sectoren_zonder_bevolking" not in wijk.columns  # the table's columns are unchanged
    city = indicators.city_reference(indicators.per_area(sectors, points, level="gemeente"))
    assert city["inwoners"] == 700 and city["signalen"] == 3 and np.isnan(city["signalen_per_1000"])
    known, _ = areas.attach_population(sectors.drop(columns="inwoners"),
                                       pd.DataFrame({"sector": CODES, "inwoners": [300, 500, 200]}))
    city = indicators.city_reference(indicators.per_area(known, points, level="gemeente"))
    assert city["signalen_per_1000"] == 3.0


# -- the shared Mechelen samples -------------------------------------------------------------
def test_mechelen_population_of_the_2025_set_against_the_2024_sectors(tmp_path):
    """The PinC 2025 kerntabel's sector codes as a population table (built here in tmp_path)
    against Statbel's 2018-2024 sector file: a real vintage mismatch."""
    sectors = shared_file("mechelen", "sh_statbel_statistical_sectors_3812_20240101_12025.geojson")
    kerntabel = shared_file("pinc", "statsec_ggw7_12025.xlsx")
    codes = pd.read_excel(kerntabel, dtype=str)["statsec"].str.strip()
    path = tmp_path / "bevolking_2025.csv"
    pd.DataFrame({"statsec": codes, "inwoners": 100}).to_csv(path, index=False)
    d = tmp_path / "data"
    [sect] = in_process(d, [("import-sectors", sectors, "--nis", "12025")])
    assert sect.returncode == 0, sect.stderr
    assert_refused(d, [(("import-population", path), r"dekt 89 van de 97.*gebruikt sectorcodes van 2025.*--gedeeltelijk")])
    result = imported(d, path, "--gedeeltelijk")
    data = dataset.load(open_store(d))
    missing = areas.without_population(data.sectors)
    assert 0 < len(missing) < 97
    assert f"{len(missing)} sector(en) zonder bevolkingscijfer" in result.stdout
    assert "gebruikt sectorcodes van 2025" in result.stdout and "vóór 2025" in result.stdout
    unknown = set(codes) - set(data.sectors["code"]) - {"12025ZZZZ"}
    assert f"{len(unknown)} sectorcode(s) uit bevolking_2025.csv bestaan niet" in result.stdout


def test_mechelen_statbel_population_covers_the_sectors(tmp_path):
    sectors = shared_file("mechelen", "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    pop = shared_file("mechelen", "OPENDATA_SECTOREN_2025_12025_synthetic.txt")
    d = tmp_path / "data"
    [sect] = in_process(d, [("import-sectors", sectors, "--nis", "12025")])
    assert sect.returncode == 0, sect.stderr
    result = imported(d, pop)
    assert "zonder bevolkingscijfer" not in result.stdout
    assert areas.without_population(dataset.load(open_store(d)).sectors).empty


# -- the pages with sectors without a figure -------------------------------------------------
PAGES = ["kaart", "indicatoren", "wijkfiche", "gegevens", "plaatsing", "presentatie", "importeren"]


@pytest.fixture(scope="module")
def partial_demo(tmp_path_factory):
    """The demo with a population file that leaves three sectors out."""
    d = tmp_path_factory.mktemp("partial") / "data"
    store = open_store(d)
    operations.build_demo(store)
    demo = dataset.load(store)
    left_out = demo.sectors["code"].iloc[[0, 1, 40]].tolist()
    table = demo.sectors[~demo.sectors["code"].isin(left_out)][["code", "inwoners"]]
    path = d.parent / "bevolking.csv"
    table.rename(columns={"code": "sector"}).to_csv(path, index=False)
    operations.import_population(store, path, year=2025, partial=True)
    return d, left_out


@pytest.fixture
def partial_app(partial_demo, monkeypatch):
    monkeypatch.setattr(streamlit_folium, "st_folium", FakeFolium())
    monkeypatch.setenv("COHESIE_DATA_DIR", str(partial_demo[0]))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_sectors_without_population(partial_app, page):
    at = partial_app
    if page != "kaart":
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    page_text = " ".join(str(e.value) for kind in (at.markdown, at.info, at.caption, at.metric) for e in kind)
    assert "nan" not in page_text.lower().split() and "None" not in page_text.split()


def test_kaart_says_the_total_leaves_sectors_out(partial_app, partial_demo):
    labels = {m.label: m.value for m in partial_app.metric}
    assert "Inwoners (zonder 3 sector(en) zonder bevolkingscijfer)" in labels


def test_indicatoren_sector_table_has_empty_rates_for_them(partial_app, partial_demo):
    _, left_out = partial_demo
    at = partial_app
    at.switch_page("pages/indicatoren.py")
    at.run()
    at.radio(key="i_level").set_value("sector").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("code")
    assert table.loc[left_out, "inwoners"].isna().all()
    assert table.loc[left_out, "signalen_per_1000"].isna().all()
    known = table.drop(index=left_out)
    assert known["inwoners"].notna().all() and (known["inwoners"] > 0).any()


def test_indicatoren_says_why_rates_are_empty(partial_app, partial_demo):
    at = partial_app
    at.switch_page("pages/indicatoren.py")
    at.run()
    info = " ".join(str(e.value) for e in at.info)
    assert "3 sector(en) zonder bevolkingscijfer" in info and "niet 0" in info


def test_indicator_view_note_only_when_sectors_lack_a_figure(partial_demo, tmp_path):
    from cohesie import indicatorview

    partial = indicatorview.indicator_table(dataset.load(open_store(partial_demo[0])), level="wijk", lang="en")
    assert partial.population_note.startswith("3 sector(s) without a population figure")
    full = tmp_path / "data"
    operations.build_demo(open_store(full))
    assert indicatorview.indicator_table(dataset.load(open_store(full)), level="wijk").population_note == ""
