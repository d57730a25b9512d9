"""The counting implementations against the pandas reference functions of
:mod:`cohesie.indicators` (:class:`cohesie.counting.PandasCounts`): the numpy fast path
(:class:`cohesie.counting.PointIndex`) and the database (:class:`cohesie.counting.DatabaseCounts`,
SQL in SQLite and, with ``$COHESIE_TEST_DB_URL``, in PostGIS), on the hand-checked
municipality and on the demo, for several filter sets."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal
from test_indicators import (
    BY_STATUS,
    EXPLICIT,
    PERIOD,
    area_count_dict,
    make_points,
    make_sectors,
    status_points,
    write_store,
)

from cohesie import auth, counting, dataset, edits, indicators, operations, trends, views
from cohesie.areas import LEVELS
from cohesie.indicators import TOTAL_COLUMNS, Filters
from cohesie.layers import LAYERS
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("counting") / "data"
    operations.build_demo(open_store(d))
    return open_store(d), dataset.load(open_store(d))


@pytest.fixture(scope="module")
def demo(demo_store):
    return demo_store[1]


def demo_filters(sectors) -> list[Filters]:
    wijken = tuple(sectors["wijk_code"].unique())
    return [
        Filters(),
        Filters(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-12-31 23:59")),
        Filters(end=pd.Timestamp("2023-01-01")),
        Filters(layers=("signalen", "meubilair"), types={"signalen": ("zwerfvuil", "zorgsignaal")},
                statuses={"meubilair": ("geplaatst",)}),
        Filters(start=pd.Timestamp("2023-05-01"), wijken=wijken[:3],
                statuses={"signalen": ("open",), "projecten": ()}),
        Filters(wijken=("bestaat-niet",)),
        Filters(types={"onbekende-laag": ("x",)}, statuses={"signalen": ("geen-status",)}),
        Filters(statuses={"meubilair": ("voorstel", "afgewezen", "verwijderd"),
                          "projecten": ("gepland",)}),
        Filters(layers=("meubilair",), statuses={"meubilair": ("goedgekeurd",)}),
    ]


def check_equal(points, sectors, filters):
    index = counting.PointIndex(points, sectors)
    for level in LEVELS:
        expected = indicators.area_counts(sectors, points, level, filters)
        got = index.area_counts(level, filters)
        assert_frame_equal(got, expected, check_names=False, check_index_type=len(expected) > 0)
        # what the pages show: per_area from counts equals per_area counting itself
        assert_frame_equal(indicators.per_area(sectors, None, level=level, filters=filters, counts=got),
                           indicators.per_area(sectors, points, level=level, filters=filters))
    assert index.filtered(filters).equals(indicators.filter_points(points, filters))
    assert index.counted(filters).equals(indicators.counted_points(points, filters))
    assert_series_equal(index.layer_totals(filters), indicators.layer_totals(points, filters))
    assert indicators.key_figures(sectors, None, filters, totals=index.layer_totals(filters)) == \
        indicators.key_figures(sectors, points, filters)
    expected = indicators.signals_per_month(points, filters)
    got = index.signals_per_month(filters)
    if expected.empty:
        assert got.empty
    else:
        assert_frame_equal(got, expected)
    assert_frame_equal(index.map_points(filters), views.points_for_map(points, filters))


@pytest.mark.parametrize("filters", [Filters(), PERIOD, Filters(end=pd.Timestamp("2024-12-31"), wijken=("W2",)),
                                     Filters(types={"signalen": ("zwerfvuil",)}, layers=("signalen",))],
                         ids=["alles", "periode", "wijk", "type"])
def test_fast_path_equals_reference_on_hand_checked_data(filters):
    check_equal(make_points(), make_sectors(), filters)


@pytest.mark.parametrize("filters", [Filters(), *(f for f, _ in EXPLICIT)],
                         ids=["standaard", "afgewezen-voorstel", "goedgekeurd-gepland", "alleen-verwijderd",
                              "lege-keuze"])
def test_fast_path_equals_reference_on_one_record_per_status(filters):
    check_equal(status_points(), make_sectors(), filters)


def test_fast_path_counts_by_status_by_hand():
    index = counting.PointIndex(status_points(), make_sectors())
    for level in LEVELS:
        assert area_count_dict(index.area_counts(level)) == BY_STATUS[level]
    for filters, expected in EXPLICIT:
        got = index.layer_totals(filters)
        assert got[["meubilair", "meubilair_voorstel", "projecten"]].tolist() == [
            expected["meubilair"], expected["meubilair_voorstel"], expected["projecten"]]
    # the map keeps drawing proposals (b2, b3, b6 has no point) and planned projects (q2)
    assert sorted(index.map_points(Filters())["id"]) == ["b1", "b2", "b3", "b4", "q1", "q2", "q3", "r1"]


def check_three_proposals(store) -> None:
    """Propose three benches in ``store`` (holding :func:`status_points`) as an editor does;
    the key figure "meubilair" stays, ``meubilair_voorstel`` rises by 3, the map draws them.
    The figures come from the numpy index (the app on SQLite) and the store (SQL on PostGIS)."""
    sectors = make_sectors()
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    token = auth.login(store, "eva", "geheim-123")

    def figures():
        data = dataset.load(store)
        index = counting.PointIndex(data.points, data.sectors)
        shown = indicators.key_figures(data.sectors, None, totals=index.layer_totals())
        in_db = counting.DatabaseCounts(store, data.sectors).layer_totals()
        assert shown == indicators.key_figures(data.sectors, None, totals=in_db)
        return shown, len(index.map_points(Filters()))

    before, drawn_before = figures()
    for i, (x, y) in enumerate([(150_100, 190_100), (151_200, 190_300), (152_500, 190_900)]):
        edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam=f"Bank {i}", x=x, y=y)
    after, drawn_after = figures()
    assert (before["meubilair"], before["meubilair_voorstel"]) == (1, 3)
    assert (after["meubilair"], after["meubilair_voorstel"]) == (1, 6)
    assert drawn_after == drawn_before + 3  # proposals are still drawn on the map
    in_db = counting.DatabaseCounts(store, dataset.load_sectors(store))
    assert in_db.area_counts("gemeente").loc["11111", ["meubilair", "meubilair_voorstel"]].tolist() == [1, 6]


def test_proposing_three_benches_leaves_the_key_figure_and_raises_proposals(tmp_path):
    """What was seen: "Meubilair" went up with every test proposal (58 → 67 on the demo).
    Now it counts placed benches; the three proposals raise ``meubilair_voorstel``."""
    check_three_proposals(write_store(tmp_path / "data", make_sectors(), status_points()))


def test_key_figure_furniture_is_placed_furniture_on_the_demo(demo):
    index = counting.PointIndex(demo.points, demo.sectors)
    furniture = demo.points[demo.points["layer"] == "meubilair"]
    totals = index.layer_totals()
    assert totals["meubilair"] == (furniture["status"] == "geplaatst").sum()
    assert totals["meubilair_voorstel"] == furniture["status"].isin(["voorstel", "goedgekeurd"]).sum()
    assert 0 < totals["meubilair"] < len(furniture)


def test_fast_path_on_hand_checked_data_by_hand():
    """Two of the hand-worked figures of test_indicators, straight from the index."""
    index = counting.PointIndex(make_points(), make_sectors())
    wijk = index.area_counts("wijk", PERIOD)
    assert wijk.loc["W1", "signalen"] == 3  # s1, s3, s6 (s2 before, s5 removed)
    assert wijk.loc["W2", "zorgsignalen"] == 1  # s4
    assert index.layer_totals(PERIOD)["signalen"] == 5  # s1, s3, s4, s6, s7


def test_fast_path_equals_reference_on_the_demo(demo):
    for filters in demo_filters(demo.sectors):
        check_equal(demo.points, demo.sectors, filters)


# -- every implementation of the counting interface against the pandas reference -------------

def check_counts(implementations, points, sectors, filters, *, per=("year",)) -> None:
    """Each of ``implementations`` (any :class:`cohesie.counting.Counts`) answers as the pandas
    reference on ``points``: area counts at every level, layer totals, signals per month and,
    for each period length of ``per``, counts per period."""
    reference = counting.PandasCounts(points, sectors)
    for level in LEVELS:
        expected = reference.area_counts(level, filters)
        for counts in implementations:
            assert_frame_equal(counts.area_counts(level, filters), expected, check_names=False,
                               check_index_type=len(expected) > 0)
    expected = reference.layer_totals(filters)
    for counts in implementations:
        assert_series_equal(counts.layer_totals(filters), expected)
    expected = reference.signals_per_month(filters)
    for counts in implementations:
        got = counts.signals_per_month(filters)
        if expected.empty:
            assert got.empty
        else:
            assert_frame_equal(got, expected)
    summary = counting.point_summary(points)
    for length in per:
        periods = trends.data_periods(summary, per=length, filters=filters)
        for level in ("wijk", "gemeente"):
            expected = trends.counts_per_period(points, sectors, level=level, filters=filters, periods=periods)
            for counts in implementations:
                got = trends.counts_per_period(None, sectors, level=level, filters=filters, periods=periods,
                                               engine=counts)
                assert_frame_equal(got, expected)


def stored(tmp_path, backend: str, sectors, points):
    """``points`` written into a store of ``backend`` (PostGIS skips without its test DB);
    returns the store and a finaliser."""
    if backend == "sqlite":
        return write_store(tmp_path / "data", sectors, points), lambda: None
    from pg_helpers import Schema

    schema = Schema()  # skips without $COHESIE_TEST_DB_URL
    return write_store(tmp_path / "pg", sectors, points, url=schema.url), schema.drop


HAND_FILTERS = [Filters(), PERIOD, Filters(end=pd.Timestamp("2024-12-31"), wijken=("W2",)),
                Filters(types={"signalen": ("zwerfvuil",)}, layers=("signalen",)),
                Filters(start=pd.Timestamp("2024-03-01 12:00"), end=pd.Timestamp("2024-12-31 23:59")),
                *(f for f, _ in EXPLICIT)]


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_every_implementation_equals_reference_on_hand_checked_data(tmp_path, backend):
    """pandas, numpy and SQL on the hand-checked municipality and on one record per status:
    the reference runs on the records as the store gives them back."""
    for name, records in (("hand", make_points()), ("status", status_points())):
        store, done = stored(tmp_path / name, backend, make_sectors(), records)
        try:
            data = dataset.load(store)
            assert len(data.points) == len(records)
            implementations = [counting.PointIndex(data.points, data.sectors),
                               counting.DatabaseCounts(store, data.sectors)]
            for n, filters in enumerate(HAND_FILTERS):
                # counts per period (pandas per period is the slow part) for the first three
                check_counts(implementations, data.points, data.sectors, filters,
                             per=("year", "quarter") if n < 3 else ())
        finally:
            done()


def test_database_counts_by_hand_on_sqlite(tmp_path):
    """Figures worked out by hand (test_indicators) straight from SQL in SQLite."""
    store = write_store(tmp_path / "data", make_sectors(), make_points())
    counts = counting.DatabaseCounts(store, dataset.load_sectors(store))
    wijk = counts.area_counts("wijk", PERIOD)
    assert wijk.loc["W1", "signalen"] == 3  # s1, s3, s6 (s2 before, s5 removed)
    assert wijk.loc["W2", "zorgsignalen"] == 1  # s4
    assert counts.layer_totals(PERIOD)["signalen"] == 5  # s1, s3, s4, s6, s7
    groups = counts.grouped(PERIOD)
    assert list(groups.columns) == ["sector", "wijk_code", "layer", "n", "zorg", "voorstel"]
    assert groups.loc[groups["layer"] == "signalen", "n"].sum() == 5
    with pytest.raises(Exception, match="Onbekend niveau"):
        counts.area_counts("provincie")


def test_database_counts_equal_reference_on_the_demo(demo_store):
    """SQL in SQLite against pandas and numpy on the demo, for every demo filter set."""
    store, data = demo_store
    implementations = [counting.DatabaseCounts(store, data.sectors), counting.PointIndex(data.points, data.sectors)]
    for n, filters in enumerate(demo_filters(data.sectors)):
        # counts per year (pandas per period is the slow part) for the first three filter sets
        check_counts(implementations, data.points, data.sectors, filters, per=("year",) if n < 3 else ())


def test_point_summary_in_sql_equals_pandas(demo_store):
    store, data = demo_store
    assert_frame_equal(store.point_summary(), counting.point_summary(data.points))


def test_database_counts_on_an_empty_store(tmp_path):
    store = open_store(tmp_path / "leeg")
    counts = counting.DatabaseCounts(store, dataset.load_sectors(store))
    assert counts.area_counts("wijk").empty
    assert_series_equal(counts.layer_totals(), pd.Series(0, index=list(TOTAL_COLUMNS), dtype="int64"))
    assert counts.signals_per_month().empty
    assert store.point_summary().empty


def test_signal_circles_from_counts_equal_counting_points(demo):
    index = counting.PointIndex(demo.points, demo.sectors)
    from cohesie import areas, spatial

    for level in ("sector", "wijk"):
        frame = areas.area_table(demo.sectors, level)
        for filters in demo_filters(demo.sectors)[:5]:
            expected = views.signal_circles(demo.points, demo.sectors, frame, filters, level=level)
            got = views.signal_circles(None, demo.sectors, frame, filters, level=level,
                                       counts=index.area_counts(level, filters),
                                       centroids=spatial.centroids_lonlat(frame))
            assert_frame_equal(got, expected)


def test_filter_masks_are_cached_and_read_only(demo):
    index = counting.PointIndex(demo.points, demo.sectors)
    a = index.mask(PERIOD)
    b = index.mask(Filters(start=PERIOD.start, end=PERIOD.end, types={"meubilair": ()}))
    assert a is b  # an empty type choice is no filter: same key
    with pytest.raises(ValueError):
        a[0] = not a[0]


def test_filters_key_round_trip():
    f = Filters(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-12-31 23:59"),
                layers=("signalen",), types={"signalen": ("b", "a")}, wijken=("W2", "W1"))
    back = counting.filters_from_key(counting.filters_key(f))
    assert counting.filters_key(back) == counting.filters_key(f)
    assert back.start == f.start and back.end == f.end and back.types == {"signalen": ("a", "b")}


def test_filters_are_hashable_whatever_order_the_choices_came_in():
    """Filters is a cache key itself: the same choice given as dicts in another order, or with
    lists, is the same key; types/statuses still read like a dict."""
    a = Filters(start=pd.Timestamp("2024-01-01"), types={"signalen": ("a", "b"), "meubilair": ("gevelbank",)},
                statuses={"projecten": ["lopend"]}, wijken=["W1"])
    b = Filters(start=pd.Timestamp("2024-01-01"), types={"meubilair": ["gevelbank"], "signalen": ("a", "b")},
                statuses={"projecten": ("lopend",)}, wijken=("W1",))
    assert a == b and hash(a) == hash(b) and {a: "bewaard"}[b] == "bewaard"
    assert a.types.get("signalen") == ("a", "b") and a.types.get("projecten", ()) == ()
    assert dict(a.statuses) == {"projecten": ("lopend",)} and a.wijken == ("W1",)
    assert a != Filters(start=pd.Timestamp("2024-01-01"), types={"signalen": ("a",)})
    with pytest.raises(TypeError):
        a.types["signalen"] = ("c",)  # read-only: a key never changes under the cache


def test_point_summary_by_hand():
    summary = counting.point_summary(make_points()).set_index(["layer", "type"])
    assert summary.loc[("signalen", "zwerfvuil"), "n"] == 5  # s1, s2, s5, s8, s9
    assert summary.loc[("signalen", "zorgsignaal"), "zonder_punt"] == 1  # s6
    assert summary.loc[("projecten", "burendag"), "eerste"] == pd.Timestamp("2023-01-01")
    assert summary.loc[("signalen", "zwerfvuil"), "laatste"] == pd.Timestamp("2025-01-01")
    assert summary["n"].sum() == len(make_points())
    assert set(summary.index.get_level_values("layer")) == set(LAYERS)


def test_empty_points():
    empty = make_points([])
    index = counting.PointIndex(empty, make_sectors())
    assert index.area_counts("wijk").empty
    assert index.layer_totals().sum() == 0
    assert index.signals_per_month().empty
    assert counting.point_summary(empty).empty
    assert_series_equal(index.layer_totals(), pd.Series(0, index=list(TOTAL_COLUMNS), dtype="int64"))
