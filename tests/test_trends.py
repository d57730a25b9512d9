"""Counts per period (:mod:`cohesie.trends`): three sectors and two years with answers checked
by hand, the stock and flow rules, quarters, suppression per period, the command line, and the
numpy and SQL engines against the pandas reference."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from test_indicators import make_points, make_sectors, write_store

from cohesie import counting, dataset, operations, privacy, trends
from cohesie.__main__ import run
from cohesie.areas import LEVELS
from cohesie.indicators import COUNT_COLUMNS, Filters
from cohesie.storage import open_store

N, M, Z = "11111A00-", "11111A01-", "11111B00-"  # Noord, Midden (wijk W1), Zuid (wijk W2)

# layer, id, type, status, datum, einddatum, sector (or None), wijk (records without a point)
RECORDS = [
    ("meubilair", "b1", "gevelbank", "geplaatst", "2023-03-10", None, N, None),  # 2023 and 2024
    ("meubilair", "b2", "gevelbank", "verwijderd", "2023-05-01", None, N, None),  # never
    ("meubilair", "b3", "picknicktafel", "geplaatst", "2024-12-31", None, M, None),  # last day: 2024
    ("meubilair", "b4", "gevelbank", "geplaatst", "2023-01-05", "2024-06-30", Z, None),  # taken away: 2023
    ("meubilair", "v1", "gevelbank", "voorstel", "2023-04-01", None, M, None),  # proposal 2023, 2024
    ("projecten", "p1", "burendag", "lopend", "2023-02-01", "2023-12-31", Z, None),  # ends 31/12: 2023
    ("projecten", "p2", "burendag", "afgerond", "2023-03-01", "2023-06-30", N, None),  # Q1, Q2 only
    ("projecten", "p3", "ontmoeting", "gepland", "2024-01-01", None, M, None),  # planned: never
    ("signalen", "s1", "zwerfvuil", "open", "2023-01-15", None, N, None),  # 2023
    ("signalen", "s2", "zorgsignaal", "open", "2024-12-31", None, Z, None),  # 2024, care signal
    ("signalen", "s3", "zwerfvuil", "afgesloten", "2024-01-01", None, N, None),  # 2024
    ("signalen", "s4", "zwerfvuil", "verwijderd", "2024-05-05", None, N, None),  # never
    ("signalen", "s5", "hangjongeren", "open", "2024-03-03", None, None, "W1"),  # wijk only, 2024
]


def c(meubilair=0, projecten=0, signalen=0, zorgsignalen=0, meubilair_voorstel=0, pleinmakers=0,
      actoren=0) -> dict:
    return {"pleinmakers": pleinmakers, "meubilair": meubilair, "projecten": projecten,
            "signalen": signalen, "actoren": actoren, "zorgsignalen": zorgsignalen,
            "meubilair_voorstel": meubilair_voorstel}


BY_YEAR = {
    "sector": {
        (N, "2023"): c(meubilair=1, signalen=1), (N, "2024"): c(meubilair=1, signalen=1),
        (M, "2023"): c(meubilair_voorstel=1), (M, "2024"): c(meubilair=1, meubilair_voorstel=1),
        (Z, "2023"): c(meubilair=1, projecten=1), (Z, "2024"): c(signalen=1, zorgsignalen=1),
    },
    "wijk": {
        ("W1", "2023"): c(meubilair=1, signalen=1, meubilair_voorstel=1),
        ("W1", "2024"): c(meubilair=2, signalen=2, meubilair_voorstel=1),  # s3 + s5,
        ("W2", "2023"): c(meubilair=1, projecten=1), ("W2", "2024"): c(signalen=1, zorgsignalen=1),
    },
}


@pytest.fixture
def sectors():
    return make_sectors().iloc[:3].copy()


@pytest.fixture
def points():
    return make_points(RECORDS)


def as_dict(table: pd.DataFrame) -> dict:
    return {(code, period): dict(zip(COUNT_COLUMNS, row))
            for code, period, row in zip(table["code"], table["periode"],
                                         table[list(COUNT_COLUMNS)].to_numpy().tolist())}


@pytest.mark.parametrize("level", ["sector", "wijk"])
def test_counts_per_year_by_hand(points, sectors, level):
    table = trends.counts_per_period(points, sectors, level=level, per="year")
    assert as_dict(table) == BY_YEAR[level]
    assert list(table.columns) == ["code", "periode", *COUNT_COLUMNS]
    assert (table.dtypes[list(COUNT_COLUMNS)] == "int64").all()


def test_stock_on_the_last_day_flow_within_the_period(points, sectors):
    """A bench placed in March counts at the end of that year and the next; one taken away
    mid-2024 only in 2023; a project ending on 31 December counts that year only, one that
    ends in June in no year; signals only in the year they were reported."""
    rows = as_dict(trends.counts_per_period(points, sectors, level="sector", per="year"))
    assert [rows[(N, y)]["meubilair"] for y in ("2023", "2024")] == [1, 1]  # b1
    assert [rows[(Z, y)]["meubilair"] for y in ("2023", "2024")] == [1, 0]  # b4
    assert [rows[(Z, y)]["projecten"] for y in ("2023", "2024")] == [1, 0]  # p1
    assert [rows[(N, y)]["projecten"] for y in ("2023", "2024")] == [0, 0]  # p2 ended in June
    assert [rows[(M, y)]["meubilair"] for y in ("2023", "2024")] == [0, 1]  # b3 on 31/12/2024
    assert [rows[(N, y)]["signalen"] for y in ("2023", "2024")] == [1, 1]  # s1, s3 (s4 removed)


def test_quarters_labels_and_stock(points, sectors):
    table = trends.counts_per_period(points, sectors, level="sector", per="quarter")
    labels = list(dict.fromkeys(table["periode"]))
    assert labels == [f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)]
    rows = as_dict(table)
    # p2 runs from 1 March to 30 June 2023: on the last day of Q1 and Q2, not after
    assert [rows[(N, p)]["projecten"] for p in labels] == [1, 1, 0, 0, 0, 0, 0, 0]
    # b4 stands from 5 January 2023 until 30 June 2024 (its einddatum is that quarter's last day)
    assert [rows[(Z, p)]["meubilair"] for p in labels] == [1, 1, 1, 1, 1, 1, 0, 0]
    # signals in their quarter: s2 on 31 December 2024, care signal too
    assert [rows[(Z, p)]["zorgsignalen"] for p in labels] == [0] * 7 + [1]
    assert [rows[(N, p)]["signalen"] for p in labels] == [1, 0, 0, 0, 1, 0, 0, 0]


def test_periods_follow_the_data_and_the_filters(points):
    summary = counting.point_summary(points)
    assert [p.label for p in trends.data_periods(summary, per="year")] == ["2023", "2024"]
    cut = Filters(start=pd.Timestamp("2024-04-01"))
    assert [p.label for p in trends.data_periods(summary, per="quarter", filters=cut)] == \
        ["2024-Q2", "2024-Q3", "2024-Q4"]
    q3 = trends.periods_between("2024-08-01", "2024-08-02", per="quarter")[0]
    assert (q3.label, q3.start, q3.end) == ("2024-Q3", pd.Timestamp("2024-07-01"), pd.Timestamp("2024-09-30"))
    assert trends.data_periods(summary.iloc[:0], per="year") == []
    with pytest.raises(Exception, match="Onbekende periode"):
        trends.periods_between("2024-01-01", "2024-02-01", per="month")


def test_filters_apply_to_every_period(points, sectors):
    only_signals = Filters(layers=("signalen",), types={"signalen": ("zorgsignaal",)})
    table = trends.counts_per_period(points, sectors, level="sector", per="year", filters=only_signals)
    assert {k: v for k, v in as_dict(table).items() if any(v.values())} == \
        {(Z, "2024"): c(signalen=1, zorgsignalen=1)}
    proposals = Filters(statuses={"meubilair": ("voorstel",)})
    rows = as_dict(trends.counts_per_period(points, sectors, level="sector", per="year", filters=proposals))
    assert rows[(M, "2023")]["meubilair"] == 1 and rows[(N, "2023")]["meubilair"] == 0


def test_change_from_previous_by_hand(points, sectors):
    table = trends.change_from_previous(trends.counts_per_period(points, sectors, level="wijk", per="year"))
    w1 = table[table["code"] == "W1"].set_index("periode")
    w2 = table[table["code"] == "W2"].set_index("periode")
    assert np.isnan(w1.loc["2023", "signalen_verschil"]) and np.isnan(w1.loc["2023", "signalen_verschil_pct"])
    assert w1.loc["2024", "signalen_verschil"] == 1 and w1.loc["2024", "signalen_verschil_pct"] == 100.0
    assert w1.loc["2024", "meubilair_verschil_pct"] == 100.0
    assert w2.loc["2024", "meubilair_verschil"] == -1 and w2.loc["2024", "meubilair_verschil_pct"] == -100.0
    # from 0 to 1: a change of 1, no percentage
    assert w2.loc["2024", "signalen_verschil"] == 1 and np.isnan(w2.loc["2024", "signalen_verschil_pct"])


def test_suppression_per_period(sectors):
    """2023: W2 has 2 signals ("< 5") and W1 is hidden with it (the city total is published);
    2024: 9 and 12 are shown; a change next to a hidden count is hidden; admins see all."""
    table = pd.DataFrame({"code": ["W1", "W1", "W1", "W2", "W2", "W2"],
                          "periode": ["2023", "2024", "2025"] * 2,
                          "signalen": [7, 9, 10, 2, 12, 13], "zorgsignalen": [0] * 6,
                          "signalen_per_1000": [7.0, 9.0, 10.0, 2.0, 12.0, 13.0]})
    table = trends.change_from_previous(table, columns=("signalen",))
    numeric, hidden = trends.protect_per_period(table, sectors, level="wijk")
    assert hidden["signalen"].tolist() == [privacy.COMPLEMENTARY, "", "", privacy.PRIMARY, "", ""]
    assert numeric["signalen"].isna().tolist() == [True, False, False, True, False, False]
    assert numeric["signalen_per_1000"].isna().tolist() == [True, False, False, True, False, False]
    # 2024's change would give away 2023's hidden count; 2025's change is shown
    assert numeric["signalen_verschil"].isna().tolist() == [True, True, False, True, True, False]
    assert numeric.loc[2, "signalen_verschil"] == 1 and numeric.loc[5, "signalen_verschil"] == 1
    assert 7 not in numeric["signalen"].tolist() and 2 not in numeric["signalen"].tolist()
    same, none = trends.protect_per_period(table, sectors, level="wijk", admin=True)
    assert_frame_equal(same, table) and none.shape[1] == 0


def test_suppression_on_the_fixture_is_per_period(points, sectors):
    table = trends.counts_per_period(points, sectors, level="sector", per="year")
    numeric, hidden = trends.protect_per_period(table, sectors, level="sector")
    assert set(hidden.loc[table["signalen"].between(1, 4), "signalen"]) == {privacy.PRIMARY}
    assert numeric.loc[table["signalen"].between(1, 4), "signalen"].isna().all()
    assert (numeric["meubilair"] == table["meubilair"]).all()  # only signals are suppressed


def test_indicators_per_period_rates_from_that_period(points, sectors):
    counts = trends.counts_per_period(points, sectors, level="sector", per="year")
    table = trends.indicators_per_period(sectors, counts, level="sector").set_index(["code", "periode"])
    # Noord: 1000 inhabitants, 1 km²; Midden 500 inhabitants
    assert table.loc[(N, "2024"), "signalen_per_1000"] == 1.0
    assert table.loc[(M, "2024"), "meubilair_per_1000"] == 2.0
    assert table.loc[(M, "2023"), "meubilair_per_1000"] == 0.0
    assert table.loc[(Z, "2023"), "projecten_per_km2"] == 1.0


def read_cli(capsys, *args) -> pd.DataFrame:
    capsys.readouterr()
    assert run(list(args)) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"code": str, "periode": str})


def test_cli_per_year_and_quarter(tmp_path, capsys, points, sectors):
    d = tmp_path / "data"
    write_store(d, sectors, points)
    today = read_cli(capsys, "--data-dir", str(d), "indicators", "--level", "sector")
    yearly = read_cli(capsys, "--data-dir", str(d), "indicators", "--level", "sector", "--per", "year")
    assert list(yearly.columns) == [*today.columns, "periode"]
    assert list(zip(yearly["code"], yearly["periode"])) == [(s, y) for s in (N, M, Z) for y in ("2023", "2024")]
    assert as_dict(yearly) == BY_YEAR["sector"]
    one = yearly.set_index(["code", "periode"])
    assert one.loc[(N, "2024"), "signalen_per_1000"] == 1.0
    # coverage with the furniture standing on the last day: Midden has its bench only in 2024
    assert one.loc[(M, "2023"), "dekking_meubilair_pct"] == 0
    assert one.loc[(M, "2024"), "dekking_meubilair_pct"] > 0
    quarterly = read_cli(capsys, "--data-dir", str(d), "indicators", "--level", "wijk", "--per", "quarter",
                         "--from", "2024-01-01")
    assert list(dict.fromkeys(quarterly["periode"])) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert quarterly.groupby("periode")["signalen"].sum().tolist() == [2, 0, 0, 1]


def test_cli_output_is_machine_readable(tmp_path, capsys, points, sectors):
    d = tmp_path / "data"
    write_store(d, sectors, points)
    capsys.readouterr()
    assert run(["--data-dir", str(d), "indicators", "--level", "sector", "--per", "year"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    # ',' separates fields (never a decimal comma: every line has the header's field count)
    assert len(lines) == 7 and {line.count(",") for line in lines} == {lines[0].count(",")}
    assert ",1000.0," in lines[1]  # '.' decimals: Noord's 1000 inhabitants per km²


def test_cli_help_explains_per(capsys):
    with pytest.raises(SystemExit):
        run(["indicators", "--help"])
    out = capsys.readouterr().out
    assert "--per" in out and "laatste dag" in out and "2024-Q3" in out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("trends") / "data"
    operations.build_demo(open_store(d))
    return dataset.load(open_store(d))


@pytest.mark.parametrize("level,per,filters", [
    *((level, "year", Filters()) for level in LEVELS),
    ("wijk", "quarter", Filters()),
    ("sector", "year", Filters(layers=("signalen", "meubilair"), types={"signalen": ("zorgsignaal",)},
                               statuses={"meubilair": ("voorstel", "goedgekeurd")})),
    ("deelgemeente", "quarter", Filters(start=pd.Timestamp("2024-04-01"), end=pd.Timestamp("2025-06-30"),
                                        statuses={"projecten": ("gepland",)})),
])
def test_numpy_equals_pandas_on_the_demo(demo, level, per, filters):
    index = counting.PointIndex(demo.points, demo.sectors)
    expected = trends.counts_per_period(demo.points, demo.sectors, level=level, per=per, filters=filters)
    got = trends.counts_per_period(demo.points, demo.sectors, level=level, per=per, filters=filters,
                                   engine=index)
    assert expected[list(COUNT_COLUMNS)].to_numpy().sum() > 0
    assert_frame_equal(got, expected)


def test_numpy_equals_pandas_on_the_fixture_by_quarter(points, sectors):
    index = counting.PointIndex(points, sectors)
    for level in LEVELS:
        assert_frame_equal(trends.counts_per_period(points, sectors, level=level, per="quarter", engine=index),
                           trends.counts_per_period(points, sectors, level=level, per="quarter"))


def test_postgis_equals_pandas(tmp_path, points, sectors, capsys):
    from pg_helpers import Schema

    schema = Schema()  # skips without $COHESIE_TEST_DB_URL
    try:
        pg = write_store(tmp_path / "pg", sectors, points, url=schema.url)
        lite_store = write_store(tmp_path / "lite", sectors, points)
        periods = trends.data_periods(pg.point_summary(), per="quarter")
        assert [p.label for p in periods][0] == "2023-Q1" and len(periods) == 8
        for store in (pg, lite_store):  # SQL in PostGIS and in SQLite
            engine = counting.DatabaseCounts(store, dataset.load_sectors(store))
            for level in LEVELS:
                for per in ("year", "quarter"):
                    expected = trends.counts_per_period(points, sectors, level=level, per=per)
                    got = trends.counts_per_period(
                        None, sectors, level=level, per=per, engine=engine,
                        periods=trends.data_periods(store.point_summary(), per=per))
                    assert_frame_equal(got, expected)
        for per in ("year", "quarter"):
            lite = read_cli(capsys, "--data-dir", str(tmp_path / "lite"), "indicators", "--level", "wijk",
                            "--per", per)
            in_db = read_cli(capsys, "--db-url", schema.url, "--data-dir", str(tmp_path / "pg"), "indicators",
                             "--level", "wijk", "--per", per)
            assert_frame_equal(in_db, lite)
    finally:
        schema.drop()
