"""Population composition (issue 12): a population file with inhabitants per age group or sex
stores each group's share per sector as a context figure, combined to wijken and the city
weighted by inhabitants.

Three sectors: A00 and A01 form wijk W1, B00 wijk W2.

Wide file: A00 100 inhabitants (0-17: 20, 18-64: 60, 65+: 20; men 40, women 60), A01 300 (30,
210, 60; 150, 150), B00 600 (120, 300, 180; 300, 300). Shares of 65+: 20, 20, 30 %; W1
(20 + 60) / 400 = 20 %, the city (20 + 60 + 180) / 1000 = 26 %. 0-17: W1 50 / 400 = 12,5 %,
city 170 / 1000 = 17 %. Women: A00 60 %, W1 210 / 400 = 52,5 %, city 510 / 1000 = 51 %.

Long file (Statbel-like, one row per sector × sex × single age): A00 M 5 y 10, F 5 y 10, M 30 y
20, F 70 y 20 (60 inhabitants: 0-17 20, 65+ 20, women 30); A01 M 40 y 30, F 80 y 10 (40: 65+
10, women 10); B00 F 10 y 100 (100: 0-17 100, women 100). A00 65+ 33,333 %; W1 65+ 30 / 100 =
30 %, city 30 / 200 = 15 %; W1 women 40 %, city 140 / 200 = 70 %.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pg_helpers import pg_url  # noqa: F401 (fixture)
from shapely.geometry import box

from cohesie import context, dataset
from cohesie.__main__ import run
from cohesie.ingest import population
from cohesie.storage import Store, open_store

CODES = ["11111A00-", "11111A01-", "11111B00-"]


def _fill(store: Store) -> Store:
    x0, y0 = 150_000, 190_000
    sectors = gpd.GeoDataFrame(
        {"code": CODES, "naam": ["Noord", "Midden", "Zuid"], "deelgemeente": ["11111A", "11111A", "11111B"],
         "deelgemeente_naam": ["Stad", "Stad", "Dorp"], "nis": ["11111"] * 3, "gemeente_naam": ["Proefstad"] * 3},
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)], crs=31370)
    with store.transaction() as con:
        con.write_sectors(sectors)
        con.write_wijkindeling(pd.DataFrame({"sector": CODES, "wijk_code": ["W1", "W1", "W2"],
                                             "wijk_naam": ["Eerste", "Eerste", "Tweede"]}))
        con.set_meta(nis="11111", gemeente="Proefstad")
    return store


@pytest.fixture
def data_dir(tmp_path):
    _fill(open_store(tmp_path / "data"))
    return tmp_path / "data"


WIDE = ("sector;inwoners;0-17;18-64;65+;mannen;vrouwen\n11111A00-;100;20;60;20;40;60\n"
        "11111A01-;300;30;210;60;150;150\n11111B00-;600;120;300;180;300;300\n")
LONG = ("CD_REFNIS|CD_SECTOR|CD_SEX|CD_AGE|MS_POPULATION\n11111|11111A00-|M|5|10\n11111|11111A00-|F|5|10\n"
        "11111|11111A00-|M|30|20\n11111|11111A00-|F|70|20\n11111|11111A01-|M|40|30\n11111|11111A01-|F|80|10\n"
        "11111|11111B00-|F|10|100\n")


def _import(data_dir, path, text) -> int:
    path.write_text(text, encoding="utf-8")
    return run(["--data-dir", str(data_dir), "import-population", str(path)])


def _figures(data_dir, level):
    data = dataset.load(open_store(data_dir))
    return data, context.figures(data.sectors, data.context, data.context_meta, level=level)


def test_wide_age_groups_and_sex_become_shares_per_sector_and_weighted_per_wijk(data_dir, tmp_path, capsys):
    assert _import(data_dir, tmp_path / "bevolking_2024.csv", WIDE) == 0
    assert "samenstelling als contextcijfers" in capsys.readouterr().out
    data, sectors = _figures(data_dir, "sector")
    assert dict(zip(data.sectors["code"], data.sectors["inwoners"])) == dict(zip(CODES, [100, 300, 600]))
    shares = sectors.values
    assert shares.loc[CODES, "aandeel_65plus"].tolist() == [20.0, 20.0, 30.0]
    assert shares.loc[CODES, "aandeel_0_17"].tolist() == [20.0, 10.0, 20.0]
    assert shares.loc[CODES, "aandeel_vrouwen"].tolist() == [60.0, 50.0, 50.0]
    assert shares.loc[CODES, "aandeel_mannen"].tolist() == [40.0, 50.0, 50.0]
    assert sectors.labels["aandeel_65plus"] == "Aandeel 65+ (%)"
    meta = data.context_meta.set_index("kolom")
    assert set(meta["bron"]) == {"bevolkingsbestand"} and set(meta["jaar"].astype(str)) == {"2024"}
    assert set(meta["soort"]) == {"rate"}
    _, wijken = _figures(data_dir, "wijk")
    assert wijken.values.loc["W1", "aandeel_65plus"] == pytest.approx(20.0)
    assert wijken.values.loc["W1", "aandeel_0_17"] == pytest.approx(12.5)
    assert wijken.values.loc["W1", "aandeel_vrouwen"] == pytest.approx(52.5)
    assert wijken.values.loc["W2", "aandeel_65plus"] == pytest.approx(30.0)
    _, city = _figures(data_dir, "gemeente")
    assert city.values["aandeel_65plus"].iloc[0] == pytest.approx(26.0)
    assert city.values["aandeel_0_17"].iloc[0] == pytest.approx(17.0)
    assert city.values["aandeel_vrouwen"].iloc[0] == pytest.approx(51.0)


def test_statbel_long_format_is_pivoted_and_single_ages_grouped(data_dir, tmp_path):
    assert _import(data_dir, tmp_path / "bevolking_sector_leeftijd_2025.txt", LONG) == 0
    data, sectors = _figures(data_dir, "sector")
    assert dict(zip(data.sectors["code"], data.sectors["inwoners"])) == dict(zip(CODES, [60, 40, 100]))
    v = sectors.values
    assert v.loc["11111A00-", "aandeel_65plus"] == pytest.approx(100 / 3, abs=1e-3)
    assert v.loc["11111A01-", "aandeel_18_64"] == pytest.approx(75.0)
    assert v.loc["11111A01-", "aandeel_0_17"] == 0.0  # a class without inhabitants is 0 %, not missing
    assert v.loc["11111B00-", "aandeel_vrouwen"] == pytest.approx(100.0)
    _, wijken = _figures(data_dir, "wijk")
    assert wijken.values.loc["W1", "aandeel_65plus"] == pytest.approx(30.0, abs=1e-3)
    assert wijken.values.loc["W1", "aandeel_vrouwen"] == pytest.approx(40.0, abs=1e-3)
    _, city = _figures(data_dir, "gemeente")
    assert city.values["aandeel_65plus"].iloc[0] == pytest.approx(15.0, abs=1e-3)
    assert city.values["aandeel_vrouwen"].iloc[0] == pytest.approx(70.0, abs=1e-3)
    assert set(data.context_meta["jaar"].astype(str)) == {"2025"}


def test_long_format_with_age_classes_as_text(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text("sector,leeftijdsklasse,aantal\n11111A00-,0-17,30\n11111A00-,18-64,50\n11111A00-,65 en ouder,20\n",
                    encoding="utf-8")
    read = population.population_from_file(path, nis="11111")
    assert read.long and read.table["inwoners"].tolist() == [100]
    shares = read.composition.set_index("kolom")["waarde"]
    assert shares.to_dict() == {"aandeel_0_17": 30.0, "aandeel_18_64": 50.0, "aandeel_65plus": 20.0}


def test_a_file_without_groups_behaves_as_before(data_dir, tmp_path):
    assert _import(data_dir, tmp_path / "b.csv", WIDE) == 0
    plain = "sector;inwoners\n11111A00-;110\n11111A01-;290\n11111B00-;600\n"
    (tmp_path / "p.csv").write_text(plain, encoding="utf-8")
    read = population.population_from_file(tmp_path / "p.csv", nis="11111")
    assert read.composition.empty and read.composition_meta.empty and not read.long
    assert _import(data_dir, tmp_path / "p.csv", plain) == 0
    data, sectors = _figures(data_dir, "sector")
    assert data.sectors.set_index("code").loc["11111A00-", "inwoners"] == 110
    # the earlier shares stay (a file without groups does not touch the context figures)
    assert sectors.values.loc["11111A00-", "aandeel_65plus"] == 20.0


@pytest.mark.parametrize("text, expected", [
    ("sector;inwoners;65+\n11111A00-;100;120\n11111A01-;300;1\n11111B00-;600;2\n", "65+ (120) is meer dan"),
    ("sector;inwoners;65+\n11111A00-;100;veel\n11111A01-;300;1\n11111B00-;600;2\n", "'veel' is geen aantal"),
    ("sector,geslacht,aantal\n11111A00-,M,5\n11111A00-,M,6\n11111A01-,V,3\n11111B00-,V,3\n",
     "staat meer dan eens in het bestand met geslacht 'M'"),
    ("sector,geslacht,aantal\n11111A00-,X,5\n11111A01-,V,3\n11111B00-,V,3\n", "'X' in kolom 'geslacht' is geen geslacht"),
])
def test_bad_groups_are_refused_and_change_nothing(data_dir, tmp_path, capsys, text, expected):
    assert _import(data_dir, tmp_path / "ok.csv", WIDE) == 0
    before = dataset.load(open_store(data_dir))
    capsys.readouterr()
    assert _import(data_dir, tmp_path / "slecht.csv", text) != 0
    err = capsys.readouterr()
    assert expected in err.out + err.err
    after = dataset.load(open_store(data_dir))
    pd.testing.assert_frame_equal(before.context, after.context)
    assert before.sectors["inwoners"].tolist() == after.sectors["inwoners"].tolist()


def test_recognised_group_names():
    assert [population.age_class(n) for n in ("0-17", "leeftijd_18_64", "65+", "65 en ouder", "POP_65PLUS",
                                              "0 - 4 jaar", "TOTAL", "12025")] == \
        ["0-17", "18-64", "65+", "65+", "65+", "0-4", None, None]
    assert [population.sex_of(n) for n in ("M", "F", "V", "mannen", "Vrouwen", "pop_f", "CD_SECTOR")] == \
        ["mannen", "vrouwen", "vrouwen", "mannen", "vrouwen", "vrouwen", None]


def test_the_import_page_path_stores_the_composition_too(data_dir, tmp_path):
    from cohesie import areaimport

    path = tmp_path / "upload.csv"
    path.write_text(WIDE, encoding="utf-8")
    report = areaimport.run(open_store(data_dir), path, kind="bevolking", original="bevolking_2024.csv", year="2024")
    assert report.level == "success", report.message
    assert "Aandeel 65+ (%)" in report.message
    _, wijken = _figures(data_dir, "wijk")
    assert wijken.values.loc["W1", "aandeel_65plus"] == pytest.approx(20.0)
    bad = tmp_path / "slecht.csv"
    bad.write_text("sector;inwoners;65+\n11111A00-;100;120\n11111A01-;300;1\n11111B00-;600;2\n", encoding="utf-8")
    refused = areaimport.run(open_store(data_dir), bad, kind="bevolking", original="slecht.csv")
    assert refused.level == "error" and "niets gewijzigd" in refused.message
    assert any("meer dan het aantal inwoners" in p for p in refused.problems.iloc[:, 0])


def test_postgis_stores_the_same_shares(pg_url, tmp_path):  # noqa: F811
    store = _fill(open_store(tmp_path / "pg", url=pg_url))
    path = tmp_path / "bevolking_2024.csv"
    path.write_text(WIDE, encoding="utf-8")
    assert run(["--db-url", pg_url, "--data-dir", str(tmp_path / "pg"), "import-population", str(path)]) == 0
    data = dataset.load(store)
    wijken = context.figures(data.sectors, data.context, data.context_meta, level="wijk")
    assert wijken.values.loc["W1", "aandeel_65plus"] == pytest.approx(20.0)
    assert wijken.values.loc["W1", "aandeel_vrouwen"] == pytest.approx(52.5)
    assert set(data.context_meta["bron"]) == {"bevolkingsbestand"}
