"""Context figures (issue 12 item 4): import per sector or wijk, combine to every level, show.

Three 1 km sectors with 100, 300 and 600 inhabitants; sectors A00 and A01 form wijk W1 (400
inhabitants) in deelgemeente 11111A, sector B00 forms wijk W2 (600) in 11111B. A share of 10, 20
and 30 % gives W1 (10·100 + 20·300) / 400 = 17,5 and the city (1000 + 6000 + 18000) / 1000 = 25;
counts 5, 7 and 11 give W1 12 and the city 23.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pg_helpers import pg_url  # noqa: F401 (fixture)
from shapely.geometry import box

from cohesie import context, dataset, indicatorview
from cohesie.__main__ import run
from cohesie.storage import Store, open_store

CODES = ["11111A00-", "11111A01-", "11111B00-"]
PEOPLE = [100, 300, 600]


def _fill(store: Store, people=PEOPLE) -> Store:
    x0, y0 = 150_000, 190_000
    sectors = gpd.GeoDataFrame(
        {"code": CODES, "naam": ["Noord", "Midden", "Zuid"], "deelgemeente": ["11111A", "11111A", "11111B"],
         "deelgemeente_naam": ["Stad", "Stad", "Dorp"], "nis": ["11111"] * 3, "gemeente_naam": ["Proefstad"] * 3},
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)], crs=31370)
    with store.transaction() as con:
        con.write_sectors(sectors)
        con.write_wijkindeling(pd.DataFrame({"sector": CODES, "wijk_code": ["W1", "W1", "W2"],
                                             "wijk_naam": ["Eerste", "Eerste", "Tweede"]}))
        pop = pd.DataFrame({"sector": CODES, "inwoners": people}).dropna()
        con.write_population(pop, jaar="2024")
        con.set_meta(nis="11111", gemeente="Proefstad")
    return store


@pytest.fixture
def store(tmp_path) -> Store:
    return _fill(open_store(tmp_path / "data"))


def _sector_file(path, rows=None):
    rows = rows or [("11111A00-", "10", "5", "Noord"), ("11111A01-", "20", "7", "Midden"),
                    ("11111B00-", "30", "11", "Zuid")]
    text = "statsec;Aandeel 65+;kinderen_armoede;naam\n" + "".join(";".join(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _wijk_file(path):
    path.write_text("ggw7,score\nW1,\"6,0\"\nW2,8\n", encoding="utf-8")
    return path


def _import_both(store, tmp_path, argv_base):
    assert run([*argv_base, "import-indicators", str(_sector_file(tmp_path / "sec.csv")), "--level", "sector",
                "--count", "kinderen_armoede", "--name", "Aandeel 65+=Aandeel 65-plussers",
                "--unit", "Aandeel 65+=%", "--source", "Stadsmonitor", "--year", "2024"]) == 0
    assert run([*argv_base, "import-indicators", str(_wijk_file(tmp_path / "wijk.csv")), "--level", "wijk",
                "--name", "score=Tevredenheid buurt", "--unit", "score=/10"]) == 0


def _indicators(argv_base, level, capsys) -> pd.DataFrame:
    capsys.readouterr()
    assert run([*argv_base, "indicators", "--level", level]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"code": str})


# -- the pure aggregation, by hand ---------------------------------------------------------
def _pure_inputs(people=PEOPLE):
    sectors = pd.DataFrame({"code": CODES, "wijk_code": ["W1", "W1", "W2"],
                            "deelgemeente": ["11111A", "11111A", "11111B"], "nis": ["11111"] * 3,
                            "inwoners": people})
    values = pd.DataFrame({"niveau": "sector", "code": CODES * 2, "kolom": ["aandeel"] * 3 + ["aantal"] * 3,
                           "waarde": [10.0, 20.0, 30.0, 5.0, 7.0, 11.0]})
    values = pd.concat([values, pd.DataFrame({"niveau": "wijk", "code": ["W1", "W2"], "kolom": "score",
                                              "waarde": [6.0, 8.0]})], ignore_index=True)
    meta = pd.DataFrame({"kolom": ["aandeel", "aantal", "score"], "niveau": ["sector", "sector", "wijk"],
                         "naam": ["Aandeel 65+", "Kinderen in armoede", "Score"], "eenheid": ["%", None, "/10"],
                         "bron": "test", "jaar": "2024", "soort": ["rate", "count", "rate"]})
    return sectors, values, meta


def test_weighted_mean_and_sums_by_hand():
    sectors, values, meta = _pure_inputs()
    wijk = context.figures(sectors, values, meta, level="wijk").values
    assert wijk.loc["W1", "aandeel"] == pytest.approx(17.5)
    assert wijk.loc["W2", "aandeel"] == pytest.approx(30.0)
    assert wijk.loc["W1", "aantal"] == 12 and wijk.loc["W2", "aantal"] == 11
    assert wijk.loc["W1", "score"] == 6 and wijk.loc["W2", "score"] == 8
    city = context.figures(sectors, values, meta, level="gemeente").values.loc["11111"]
    assert city["aandeel"] == pytest.approx(25.0)  # not the plain mean 20
    assert city["aantal"] == 23
    assert city["score"] == pytest.approx(7.2)  # (6·400 + 8·600) / 1000
    deel = context.figures(sectors, values, meta, level="deelgemeente")
    assert deel.values.loc["11111A", "aandeel"] == pytest.approx(17.5)
    assert deel.values["score"].isna().all()  # a wijk figure does not split into deelgemeenten
    assert any("Score (/10) is per wijk geladen" in n for n in deel.notes)
    sector = context.figures(sectors, values, meta, level="sector")
    assert sector.values.loc["11111A01-", "aandeel"] == 20 and sector.values["score"].isna().all()
    assert sector.labels["aandeel"] == "Aandeel 65+ (%)" and sector.labels["aantal"] == "Kinderen in armoede"


def test_areas_without_population_are_left_out_of_the_mean_and_reported():
    sectors, values, meta = _pure_inputs(people=[100, np.nan, 600])
    result = context.figures(sectors, values, meta, level="gemeente")
    assert result.values.loc["11111", "aandeel"] == pytest.approx((10 * 100 + 30 * 600) / 700, abs=1e-3)
    assert result.values.loc["11111", "aantal"] == 23  # counts do not need inhabitants
    assert any("11111A01-" in n and "tellen niet mee" in n for n in result.notes)


def test_a_count_with_a_missing_part_stays_empty():
    sectors, values, meta = _pure_inputs()
    values = values[~((values["kolom"] == "aantal") & (values["code"] == "11111A00-"))]
    wijk = context.figures(sectors, values, meta, level="wijk").values
    assert np.isnan(wijk.loc["W1", "aantal"]) and wijk.loc["W2", "aantal"] == 11
    assert wijk.loc["W1", "aandeel"] == pytest.approx(17.5)


# -- command line and storage --------------------------------------------------------------
def test_cli_import_and_indicators_output(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    before = _indicators(argv, "wijk", capsys)
    _import_both(store, tmp_path, argv)
    out = capsys.readouterr().out
    assert "aandeel_65 (gewogen gemiddelde)" in out and "kinderen_armoede (aantal)" in out
    assert "Kolom 'naam' bevat geen getallen" in out
    wijk = _indicators(argv, "wijk", capsys)
    # the existing columns keep their positions; the context figures come last, in import order
    assert list(wijk.columns) == [*before.columns, "aandeel_65", "kinderen_armoede", "score"]
    row = wijk.set_index("code")
    assert row.loc["W1", "aandeel_65"] == pytest.approx(17.5)
    assert row.loc["W1", "kinderen_armoede"] == 12
    assert row.loc["W2", "score"] == 8
    city = _indicators(argv, "gemeente", capsys).iloc[0]
    assert city["aandeel_65"] == pytest.approx(25.0) and city["kinderen_armoede"] == 23
    assert city["score"] == pytest.approx(7.2)
    assert run([*argv, "indicators", "--level", "sector"]) == 0
    captured = capsys.readouterr()
    assert "niet per sector" in captured.err
    sector = pd.read_csv(io.StringIO(captured.out)).set_index("code")
    assert sector["score"].isna().all() and sector.loc["11111B00-", "aandeel_65"] == 30
    data = dataset.load(store)
    meta = data.context_meta.set_index("kolom")
    assert meta.loc["aandeel_65", ["naam", "eenheid", "bron", "jaar", "soort"]].tolist() == \
        ["Aandeel 65-plussers", "%", "Stadsmonitor", "2024", "rate"]
    assert meta.loc["kinderen_armoede", "soort"] == "count" and meta.loc["score", "bron"] == "wijk.csv"


def test_reimport_replaces_a_column_and_keeps_the_others(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    _import_both(store, tmp_path, argv)
    path = tmp_path / "nieuw.csv"
    path.write_text("code,score\nW1,1\nW2,2\n", encoding="utf-8")
    assert run([*argv, "import-indicators", str(path), "--level", "wijk"]) == 0
    city = _indicators(argv, "gemeente", capsys).iloc[0]
    assert city["score"] == pytest.approx(1.6)  # (1·400 + 2·600) / 1000
    assert city["kinderen_armoede"] == 23
    assert list(dataset.load(store).context_meta["kolom"]) == ["aandeel_65", "kinderen_armoede", "score"]


def test_bad_files_are_refused_with_every_problem_and_nothing_changes(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    _import_both(store, tmp_path, argv)
    version = store.data_version()
    stored = dataset.load(store).context.sort_values(["kolom", "code"]).reset_index(drop=True)
    bad = _sector_file(tmp_path / "fout.csv", rows=[
        ("11111A00-", "veel", "5", "Noord"), ("11111A01-", "20", "7", "Midden"), ("11111A01-", "21", "8", "Dubbel"),
        ("99999Z00-", "30", "11", "Elders")])
    capsys.readouterr()
    assert run([*argv, "import-indicators", str(bad), "--level", "sector", "--count", "bestaat_niet"]) == 2
    err = capsys.readouterr().err
    assert "niets gewijzigd" in err
    assert "rij 2, kolom 'Aandeel 65+': 'veel' is geen getal" in err
    assert "11111A01- staat meer dan eens" in err
    assert "99999Z00-" in err and "geen geladen sector" in err
    assert "--count bestaat_niet" in err
    assert "Traceback" not in err
    assert store.data_version() == version
    after = dataset.load(store).context.sort_values(["kolom", "code"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(after, stored)
    # a figure may not take the name of a built-in indicator, nor a wrong level
    clash = tmp_path / "clash.csv"
    clash.write_text("wijk,inwoners\nW1,3\nW2,4\n", encoding="utf-8")
    assert run([*argv, "import-indicators", str(clash), "--level", "wijk"]) == 2
    assert "naam van een bestaande indicator" in capsys.readouterr().err
    assert run([*argv, "import-indicators", str(_wijk_file(tmp_path / "w.csv")), "--level", "sector"]) == 2
    assert "geen kolom met de sectorcode" in capsys.readouterr().err
    assert run([*argv, "import-indicators", str(clash), "--level", "wijk", "--year", "vorig"]) == 2
    assert store.data_version() == version


def test_missing_areas_are_reported_and_get_no_figure(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    path = _sector_file(tmp_path / "deel.csv", rows=[("11111A00-", "10", "5", "x"), ("11111B00-", "30", "11", "y")])
    assert run([*argv, "import-indicators", str(path), "--level", "sector", "--count", "kinderen_armoede"]) == 0
    assert "1 geladen sector(s) staan niet in deel.csv" in capsys.readouterr().out
    wijk = _indicators(argv, "wijk", capsys).set_index("code")
    assert np.isnan(wijk.loc["W1", "kinderen_armoede"])  # a sum with a part missing is unknown
    assert wijk.loc["W1", "aandeel_65"] == pytest.approx(10.0)  # the mean of what is known


def test_map_names_the_code_column_and_xlsx_is_read(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    path = tmp_path / "eigen.xlsx"
    pd.DataFrame({"Gebied": CODES, "index": [0.2, 0.4, 0.5]}).to_excel(path, index=False)
    assert run([*argv, "import-indicators", str(path), "--level", "sector", "--map", "Gebied=code",
                "--name", "index=Kansarmoede-index"]) == 0
    city = _indicators(argv, "gemeente", capsys).iloc[0]
    assert city["index"] == pytest.approx((0.2 * 100 + 0.4 * 300 + 0.5 * 600) / 1000)


# -- the Indicatoren page's view model -----------------------------------------------------
def test_indicatoren_view_model_shows_the_figure_with_its_label(store, tmp_path):
    _import_both(store, tmp_path, ["--data-dir", str(store.data_dir)])
    data = dataset.load(store)
    options = indicatorview.indicator_options(300, data=data)
    assert options["aandeel_65"] == "Aandeel 65-plussers (%)"
    assert options["score"] == "Tevredenheid buurt (/10)"
    assert list(options)[:3] == list(indicatorview.indicator_options(300))[:3]
    view = indicatorview.indicator_table(data, level="wijk", indicator="aandeel_65")
    assert view.indicator_label == "Aandeel 65-plussers (%)"
    assert view.labels["kinderen_armoede"] == "kinderen_armoede"
    assert view.city_text == "25,0"
    table = view.table.set_index("code")
    texts = view.texts.set_index(view.table["code"])
    assert table.loc["W1", "aandeel_65"] == pytest.approx(17.5)
    assert texts.loc["W1", "aandeel_65"] == "17,5" and texts.loc["W1", "kinderen_armoede"] == "12"
    assert texts.loc["W1", "score"] == "6,00"  # values below 10 keep two decimals
    assert table.loc["W1", "aandeel_65_tov_stad"] == pytest.approx(0.7)
    assert view.chart["naam"].tolist() == ["Tweede", "Eerste"]  # ranked: 30 above 17,5
    assert "Aandeel 65-plussers (%)" in view.export_frame().columns
    english = indicatorview.indicator_table(data, level="deelgemeente", indicator="score", lang="en")
    assert english.table["score"].isna().all()
    assert any("not per sub-municipality" in n or "not per" in n for n in english.context_notes)


def test_indicatoren_page_offers_the_figure(store, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from conftest import REPO

    _import_both(store, tmp_path, ["--data-dir", str(store.data_dir)])
    monkeypatch.setenv("COHESIE_DATA_DIR", str(store.data_dir))
    at = AppTest.from_file(str(REPO / "pages" / "indicatoren.py"), default_timeout=60)
    at.run()
    if at.exception:
        pytest.skip(f"page needs the app frame: {at.exception[0].message[:80]}")
    picker = at.selectbox(key="i_indicator")
    assert "Aandeel 65-plussers (%)" in picker.options


# -- PostGIS: the same answers ---------------------------------------------------------------
def test_postgis_stores_and_combines_the_same_figures(pg_url, tmp_path, capsys):  # noqa: F811
    store = _fill(open_store(tmp_path / "pg", url=pg_url))
    argv = ["--db-url", pg_url, "--data-dir", str(tmp_path / "pg")]
    _import_both(store, tmp_path, argv)
    wijk = _indicators(argv, "wijk", capsys).set_index("code")
    assert wijk.loc["W1", "aandeel_65"] == pytest.approx(17.5) and wijk.loc["W1", "kinderen_armoede"] == 12
    city = _indicators(argv, "gemeente", capsys).iloc[0]
    assert city["aandeel_65"] == pytest.approx(25.0) and city["score"] == pytest.approx(7.2)
    meta = dataset.load(store).context_meta.set_index("kolom")
    assert meta.loc["aandeel_65", "naam"] == "Aandeel 65-plussers" and meta.loc["kinderen_armoede", "soort"] == "count"
    version = store.data_version()
    bad = _sector_file(tmp_path / "fout.csv", rows=[("11111A00-", "veel", "5", "x"), ("11111A01-", "2", "5", "y")])
    assert run([*argv, "import-indicators", str(bad), "--level", "sector"]) == 2
    assert store.data_version() == version
    assert len(dataset.load(store).context) == 8  # 3 + 3 sector values, 2 wijk values


def test_per_period_output_keeps_periode_last(store, tmp_path, capsys):
    argv = ["--data-dir", str(store.data_dir)]
    _import_both(store, tmp_path, argv)
    capsys.readouterr()
    assert run([*argv, "indicators", "--level", "wijk", "--per", "year"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns)[-4:] == ["aandeel_65", "kinderen_armoede", "score", "periode"]


# -- the Kaart's view model ------------------------------------------------------------------
def test_map_colours_areas_by_a_context_figure_with_its_label(store, tmp_path):
    from cohesie import mapview, spatial, views
    from cohesie.counting import PointIndex
    from cohesie.indicators import Filters
    from cohesie.ui import Loaded

    _import_both(store, tmp_path, ["--data-dir", str(store.data_dir)])
    data = dataset.load(store)
    frames = views.area_frames(data.sectors)
    current = Loaded(data, frames, {}, views.bounds_latlon(data.sectors), index=PointIndex(data.points, data.sectors),
                     centroids={lv: spatial.centroids_lonlat(f) for lv, f in frames.items()})
    view = mapview.map_view(current, Filters(), indicator="aandeel_65", level="wijk", method="quantiles",
                            admin=False, year=2026)
    assert view.indicator_label == "Aandeel 65-plussers (%)"
    assert view.styles["W1"][1] == "Eerste: Aandeel 65-plussers (%) 17,5"
    assert view.styles["W2"][1] == "Tweede: Aandeel 65-plussers (%) 30,0"
    assert view.styles["W1"][0] != view.styles["W2"][0]  # two values, two classes
    sector = mapview.map_view(current, Filters(), indicator="kinderen_armoede", level="sector",
                              method="quantiles", admin=False, year=2026)
    assert sector.styles["11111B00-"][1] == "Zuid: kinderen_armoede 11"


def test_map_of_a_wijk_figure_per_sector_has_no_data_and_does_not_fail(store, tmp_path):
    from cohesie import mapview, spatial, views
    from cohesie.counting import PointIndex
    from cohesie.indicators import Filters
    from cohesie.ui import Loaded

    _import_both(store, tmp_path, ["--data-dir", str(store.data_dir)])
    data = dataset.load(store)
    frames = views.area_frames(data.sectors)
    current = Loaded(data, frames, {}, views.bounds_latlon(data.sectors), index=PointIndex(data.points, data.sectors),
                     centroids={lv: spatial.centroids_lonlat(f) for lv, f in frames.items()})
    view = mapview.map_view(current, Filters(), indicator="score", level="sector", method="quantiles",
                            admin=False, year=2026)
    assert view.styles["11111A00-"][1] == "Noord: Tevredenheid buurt (/10) geen gegevens"
