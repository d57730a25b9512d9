"""The point index persisted per data version (:func:`cohesie.counting.load_index`,
:mod:`cohesie.storage.columnar`) against the index rebuilt from every record and the pandas
reference; a new data version, a damaged or missing file are rebuilt; the kept sector grid
answers as ``geopandas.sjoin``."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal
from test_counting import demo_filters
from test_indicators import make_points, make_sectors, write_store

from cohesie import counting, dataset, indicators, operations, spatial
from cohesie.areas import LEVELS
from cohesie.indicators import Filters
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("pointindex") / "data"
    operations.build_demo(open_store(d))
    return d


def loaded(store, **kw):
    """What the app's ``ui._load`` does on SQLite: non-signal records in pandas, the rest from
    the persisted index."""
    data = dataset.load(store, point_layers=counting.NON_EVENT_LAYERS)
    return data, counting.load_index(store, data.points, data.sectors, version=data.version, **kw)


def index_files(store) -> list:
    return sorted(p.name for p in store.index_dir.glob("points-*"))


def assert_same_counts(index, full, points, sectors, filters):
    """``index`` (persisted) equals ``full`` (rebuilt from every record) and the pandas reference."""
    for level in LEVELS:
        expected = indicators.area_counts(sectors, points, level, filters)
        assert_frame_equal(index.area_counts(level, filters), full.area_counts(level, filters))
        assert_frame_equal(index.area_counts(level, filters), expected, check_names=False,
                           check_index_type=len(expected) > 0)
    assert_series_equal(index.layer_totals(filters), indicators.layer_totals(points, filters))
    expected = indicators.signals_per_month(points, filters)
    got = index.signals_per_month(filters)
    assert got.empty if expected.empty else got.equals(expected), (got, expected)
    assert np.array_equal(np.sort(index.datum[index.mask(filters)]), np.sort(full.datum[full.mask(filters)]))
    def drawn(ix):  # the same records (the order of the non-signal records may differ)
        return ix.map_points(filters).sort_values(["layer", "id"], ignore_index=True)

    assert_frame_equal(drawn(index), drawn(full))


def test_persisted_index_equals_rebuilt_index_and_reference_on_the_demo(demo_dir):
    store = open_store(demo_dir)
    everything = dataset.load(store)
    full = counting.PointIndex(everything.points, everything.sectors)
    data, first = loaded(store, chunk=7_000)  # built in chunks and written
    assert index_files(store), "no index file written"
    assert (data.points["layer"] != "signalen").all()  # no signal in pandas
    _, index = loaded(store)  # read back from the file
    assert index.n == first.n == full.n == len(everything.points)
    for filters in demo_filters(everything.sectors):
        assert_same_counts(index, full, everything.points, everything.sectors, filters)
    assert_frame_equal(index.point_summary(), counting.point_summary(everything.points))
    signals = everything.points[everything.points["layer"] == "signalen"]
    got = index.signal_records()
    assert len(got) == len(signals)
    assert sorted(got["sector"].astype(object).fillna("-")) == sorted(signals["sector"].fillna("-"))
    # the weighted suggestions read signal rows: categorical columns give the same weights
    from cohesie import suggest

    assert np.allclose(suggest.signal_factor(everything.sectors, pd.concat([data.points, got])),
                       suggest.signal_factor(everything.sectors, everything.points))


def test_persisted_index_on_hand_checked_data(tmp_path):
    sectors, points = make_sectors(), make_points()
    store = write_store(tmp_path / "data", sectors, points)
    everything = dataset.load(store)
    full = counting.PointIndex(everything.points, everything.sectors)
    loaded(store, chunk=2)
    _, index = loaded(store)
    for filters in [Filters(), Filters(end=pd.Timestamp("2024-12-31"), wijken=("W2",)),
                    Filters(types={"signalen": ("zwerfvuil",)}, layers=("signalen",))]:
        assert_same_counts(index, full, everything.points, everything.sectors, filters)
    assert_frame_equal(index.point_summary(), counting.point_summary(everything.points))


def test_index_is_rebuilt_when_the_data_version_changes(tmp_path):
    sectors, points = make_sectors(), make_points()
    store = write_store(tmp_path / "data", sectors, points)
    _, before = loaded(store)
    files_before = index_files(store)
    extra = points[points["layer"] == "signalen"].head(3).assign(id=["n1", "n2", "n3"])
    with store.transaction() as con:
        con.upsert_points(extra)
    data, after = loaded(store)
    assert index_files(store) != files_before and len(index_files(store)) == 1  # the old one removed
    assert after.layer_totals()["signalen"] == before.layer_totals()["signalen"] + 3
    everything = dataset.load(store)
    assert_series_equal(after.layer_totals(), indicators.layer_totals(everything.points))


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "manifest", "wrong-length", "bad-codes"])
def test_damaged_or_missing_index_file_is_rebuilt(tmp_path, damage):
    sectors, points = make_sectors(), make_points()
    store = write_store(tmp_path / "data", sectors, points)
    _, good = loaded(store)
    folder = store.index_dir / index_files(store)[0]
    target = folder / "type.npy"
    if damage == "missing":
        target.unlink()
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[:-3])
    elif damage == "garbage":
        target.write_bytes(b"not numpy at all")
    elif damage == "manifest":
        (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    elif damage == "wrong-length":
        np.save(target, np.zeros(1, np.int32))
    elif damage == "bad-codes":
        np.save(target, np.full(len(np.load(target)), 99, np.int32))
    assert store.read_arrays("points", folder.name.split("-", 1)[1]) is None or damage == "bad-codes"
    _, again = loaded(store)  # no traceback: rebuilt
    for level in LEVELS:
        assert_frame_equal(again.area_counts(level), good.area_counts(level))
    assert store.read_arrays("points", folder.name.split("-", 1)[1]) is not None  # written again
    _, third = loaded(store)
    assert_series_equal(third.layer_totals(), good.layer_totals())


def test_unwritable_index_folder_still_gives_the_index(tmp_path):
    sectors, points = make_sectors(), make_points()
    store = write_store(tmp_path / "data", sectors, points)
    store.index_dir.parent.mkdir(parents=True, exist_ok=True)
    store.index_dir.write_text("a file where the folder should be", encoding="utf-8")
    _, index = loaded(store)
    everything = dataset.load(store)
    assert_series_equal(index.layer_totals(), indicators.layer_totals(everything.points))


def test_kept_grid_gives_the_sectors_of_sjoin(demo_dir):
    sectors = dataset.load_sectors(open_store(demo_dir))
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = sectors.total_bounds
    x, y = rng.uniform(minx - 200, maxx + 200, 60_000), rng.uniform(miny - 200, maxy + 200, 60_000)
    first = spatial.sector_of_points(x, y, sectors)
    grid = spatial.sector_grid(sectors)
    assert spatial.sector_grid(sectors) is grid  # kept, not built again
    assert spatial.sector_grid(sectors.iloc[:-1]) is not grid  # another sector set: its own grid
    again = spatial.sector_of_points(x, y, sectors)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=sectors.crs)
    joined = gpd.sjoin(pts, sectors[["code", "geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    expected = joined["code"].astype(object).where(joined["code"].notna(), None).to_numpy()
    assert list(first) == list(again) == list(expected)


def test_postgis_statistics_index_equals_sqlite(tmp_path):
    """On PostGIS the statistics' index (every signal) is read in chunks with a server-side
    cursor into the same arrays; counts equal SQLite's and the pandas reference."""
    import os
    import uuid
    from urllib.parse import quote

    url = os.environ.get("COHESIE_TEST_DB_URL")
    if not url:
        pytest.skip("COHESIE_TEST_DB_URL is not set (no PostGIS database)")
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database,
                            autocommit=True)
    schema = f"pi_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        sep = "&" if "?" in url else "?"
        pg_url = f"{url}{sep}options={quote(f'-csearch_path={schema},public')}"
        sectors, points = make_sectors(), make_points()
        pg = write_store(tmp_path / "pg", sectors, points, url=pg_url)
        lite = write_store(tmp_path / "lite", sectors, points)
        data = dataset.load(pg, point_layers=counting.NON_EVENT_LAYERS)
        index = counting.load_index(pg, data.points, data.sectors, version=data.version, chunk=3)
        _, expected = loaded(lite)
        everything = dataset.load(lite)
        for level in LEVELS:
            assert_frame_equal(index.area_counts(level), expected.area_counts(level))
        assert_series_equal(index.layer_totals(), indicators.layer_totals(everything.points))
        assert_frame_equal(index.point_summary(), counting.point_summary(everything.points))
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()
