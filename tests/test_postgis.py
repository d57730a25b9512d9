"""The PostGIS backend against the embedded one: same data in, same answers out; geometry a
GIS user can open; Dutch errors for a wrong URL; two stores on one database."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from pg_helpers import Schema, admin_connection, base_url, pg_url  # noqa: F401 (fixture)
from test_counting import check_three_proposals
from test_indicators import BY_STATUS, EXPLICIT, area_count_dict, make_sectors, status_points, write_store

from cohesie import counting, dataset, indicators, operations
from cohesie.__main__ import run
from cohesie.areas import LEVELS
from cohesie.layers import LAYERS
from cohesie.storage import ConflictError, Store, open_store


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The demo municipality written once into each backend."""
    schema = Schema()
    sqlite = open_store(tmp_path_factory.mktemp("sqlite"))
    pg = open_store(tmp_path_factory.mktemp("pgfiles"), url=schema.url)
    operations.build_demo(sqlite)
    operations.build_demo(pg)
    yield sqlite, pg
    schema.drop()


def test_store_by_url_is_postgis(both):
    sqlite, pg = both
    assert type(sqlite).__name__ == "Store" and not sqlite.counts_in_database
    assert type(pg).__name__ == "PostgisStore" and pg.counts_in_database
    assert "PostgreSQL" in pg.location and "@" not in pg.location  # no credentials in messages


def test_sql_join_on_import_equals_python(both):
    """Demo points are written through the staging table and joined with ST_Intersects in
    SQL; every record ends in the same sector and wijk as the embedded backend's join."""
    sqlite, pg = both
    cols = ["layer", "id", "sector", "wijk_code", "x", "y", "status", "datum", "version"]
    a = dataset.load(sqlite).points[cols].sort_values(["layer", "id"], ignore_index=True)
    b = dataset.load(pg).points[cols].sort_values(["layer", "id"], ignore_index=True)
    assert len(a) == 100_154
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    sa, sb = dataset.load(sqlite).sectors, dataset.load(pg).sectors
    assert sa["code"].tolist() == sb["code"].tolist()
    assert sb.geometry.area.to_numpy() == pytest.approx(sa.geometry.area.to_numpy())


PERIODS = [
    indicators.Filters(),
    indicators.Filters(start=pd.Timestamp("2024-03-01"), end=pd.Timestamp("2024-06-30 23:59")),
    indicators.Filters(end=pd.Timestamp("2023-01-01")),
    indicators.Filters(start=pd.Timestamp("2025-01-01"),
                       types={"signalen": ("zorgsignaal", "zwerfvuil")},
                       statuses={"meubilair": ("geplaatst",)}),
    indicators.Filters(statuses={"meubilair": ("voorstel", "afgewezen", "verwijderd"),
                                 "projecten": ("gepland",)}),
]


def db_counts(store) -> counting.DatabaseCounts:
    """The counts in ``store``'s database (SQL), with the hierarchy of its sectors."""
    return counting.DatabaseCounts(store, dataset.load_sectors(store))


@pytest.fixture(scope="module")
def demo_reference(both):
    """The pandas reference and the numpy index on the demo records as SQLite holds them."""
    data = dataset.load(both[0])
    return (counting.PandasCounts(data.points, data.sectors), counting.PointIndex(data.points, data.sectors),
            data)


@pytest.mark.parametrize("filters", PERIODS, ids=["alles", "periode", "tot-2023", "typen", "statussen"])
def test_counts_in_sql_equal_pandas(both, demo_reference, filters):
    """SQL in PostGIS and in SQLite, numpy and pandas give the same counts on the demo: per
    area at every level, per layer and signals per month."""
    reference, index, data = demo_reference
    implementations = {"postgis": db_counts(both[1]), "sqlite": db_counts(both[0]), "numpy": index}
    for level in LEVELS:
        expected = reference.area_counts(level, filters)
        assert expected.to_numpy().sum() > 0
        for name, counts in implementations.items():
            pd.testing.assert_frame_equal(counts.area_counts(level, filters), expected, check_names=False,
                                          obj=f"{name} {level}")
    for name, counts in implementations.items():
        pd.testing.assert_series_equal(counts.layer_totals(filters), reference.layer_totals(filters), obj=name)
        expected = reference.signals_per_month(filters)
        if expected.empty:
            assert counts.signals_per_month(filters).empty
        else:
            pd.testing.assert_frame_equal(counts.signals_per_month(filters), expected, obj=name)


def test_counts_per_period_in_sql_equal_pandas(both, demo_reference):
    from cohesie import trends

    reference, index, data = demo_reference
    filters = PERIODS[3]
    periods = trends.data_periods(both[1].point_summary(), per="year", filters=filters)
    expected = trends.counts_per_period(data.points, data.sectors, level="wijk", filters=filters, periods=periods)
    assert expected["signalen"].sum() > 0
    for engine in (db_counts(both[1]), db_counts(both[0]), index):
        got = trends.counts_per_period(None, data.sectors, level="wijk", filters=filters, periods=periods,
                                       engine=engine)
        pd.testing.assert_frame_equal(got, expected)


def test_counts_with_wijk_filter_and_wijk_only_records(both):
    """A wijk-only record counts in its wijk, deelgemeente and city, never in a sector."""
    sqlite, pg = both
    wijk = dataset.load_sectors(sqlite)["wijk_code"].iloc[0]
    rec = {"layer": "projecten", "id": f"W-{uuid.uuid4().hex[:6]}", "naam": "wijknetwerk",
           "type": "netwerk", "status": "lopend", "datum": pd.Timestamp("2024-01-01"),
           "wijk_ref": wijk, "wijk_code": wijk}
    for store in both:
        store.create_point(rec, user="test")
    filters = indicators.Filters(wijken=(wijk,), layers=("projecten",))
    data = dataset.load(sqlite)
    reference = counting.PandasCounts(data.points, data.sectors)
    for level in LEVELS:
        expected = reference.area_counts(level, filters)
        for store in both:
            pd.testing.assert_frame_equal(db_counts(store).area_counts(level, filters), expected, check_names=False)
    assert db_counts(pg).area_counts("wijk", filters).loc[wijk, "projecten"] >= 1


def test_indicators_cli_equal_on_both_backends(both, capsys):
    sqlite, pg = both
    outputs = []
    for store in both:
        url = getattr(store, "url", None)
        args = ["--data-dir", str(store.data_dir), *(["--db-url", url] if url else []),
                "indicators", "--level", "wijk", "--from", "2024-01-01", "--to", "2024-12-31"]
        assert run(args) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") == 13  # header + 12 wijken


def test_geometry_columns_a_gis_user_can_open(both):
    _, pg = both
    with pg._connection() as con:
        cols = con.execute(
            "SELECT f_table_name, f_geometry_column, type, srid FROM geometry_columns "
            "WHERE f_table_schema = current_schema() ORDER BY 1").fetchall()
        gist = con.execute(
            "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexdef ILIKE '%USING gist%' ORDER BY 1").fetchall()
        located = con.execute("SELECT count(*) FROM points WHERE geom IS NOT NULL").fetchone()[0]
    assert cols == [("points", "geom", "POINT", 31370), ("sectors", "geom", "MULTIPOLYGON", 31370)]
    assert gist == [("points",), ("sectors",)]
    assert located == dataset.load(pg).points["x"].notna().sum()


def test_two_stores_on_one_database_see_each_others_edits(both, tmp_path):
    """What two app instances do: each keys its cache on the version stored in the database."""
    _, pg = both
    other = open_store(tmp_path, url=pg.url)
    seen = other.data_version()
    rec = dataset.load(pg, point_layers=["meubilair"]).points.iloc[0]
    pg.update_point("meubilair", rec["id"], {"opmerking": "door instantie 1"}, user="a",
                    expected_version=int(rec["version"]))
    assert other.data_version() == seen + 1
    assert other.get_point("meubilair", rec["id"])["opmerking"] == "door instantie 1"
    with pytest.raises(ConflictError, match="Iemand anders") as err:
        other.update_point("meubilair", rec["id"], {"opmerking": "door instantie 2"}, user="b",
                           expected_version=int(rec["version"]))
    assert err.value.current["opmerking"] == "door instantie 1"
    assert other.history("meubilair", rec["id"])["gebruiker"].tolist()[-1] == "a"


def test_users_and_shared_secret(pg_url, tmp_path, capsys):
    """The first admin is created on the database; both instances sign with one secret."""
    import io
    import sys

    sys_stdin = sys.stdin
    sys.stdin = io.StringIO("geheim-wachtwoord\n")
    try:
        assert run(["--db-url", pg_url, "--data-dir", str(tmp_path / "a"), "user", "add", "ada",
                    "--role", "admin", "--password-stdin"]) == 0
    finally:
        sys.stdin = sys_stdin
    assert "ada aangemaakt met rol admin" in capsys.readouterr().out
    one, two = open_store(tmp_path / "a", url=pg_url), open_store(tmp_path / "b", url=pg_url)
    assert two.get_user("ada")["rol"] == "admin"
    assert one.secret() == two.secret() and len(one.secret()) == 32
    from cohesie import auth

    assert auth.login(two, "ada", "geheim-wachtwoord")


def test_db_upgrade_from_revision_1(pg_url, tmp_path, capsys):
    from alembic import command

    from cohesie.storage import schema

    store = open_store(tmp_path, url=pg_url)
    with store.engine.begin() as con:
        command.upgrade(schema._alembic_config(con), "0001")
    assert store.revision() == "0001"
    assert run(["--db-url", pg_url, "db", "upgrade"]) == 0
    assert f"van versie 0001 naar {schema.HEAD}" in capsys.readouterr().out
    with store._connection() as con:
        assert con.execute("SELECT to_regclass('points_layer_datum')").fetchone()[0] is not None
    assert run(["--db-url", pg_url, "db", "upgrade"]) == 0
    assert f"al bij (versie {schema.HEAD})" in capsys.readouterr().out


def test_unreachable_database_says_where_and_how(capsys, tmp_path):
    base_url()  # only meaningful where psycopg and a test setup exist
    code = run(["--data-dir", str(tmp_path), "--db-url",
                "postgresql+psycopg://niemand@127.0.0.1:9/cohesie", "indicators", "--level", "wijk"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "127.0.0.1:9" in err and "niet bereikbaar" in err and "COHESIE_DB_URL" in err


def test_unsupported_url_is_refused(capsys):
    code = run(["--db-url", "mysql://iemand@host/db", "db", "status"])
    err = capsys.readouterr().err
    assert code == 2 and "wordt niet ondersteund" in err and "postgresql+psycopg://" in err


def test_database_without_postgis_says_create_extension(capsys):
    url = base_url()
    name = f"zonder_postgis_{uuid.uuid4().hex[:8]}"
    try:
        with admin_connection(url) as con:
            con.execute(f"CREATE DATABASE {name}")
    except Exception as err:  # noqa: BLE001 - a role without CREATEDB cannot run this check
        pytest.skip(f"kan geen testdatabase aanmaken: {err}")
    try:
        from sqlalchemy.engine import make_url

        other = make_url(url).set(database=name).render_as_string(hide_password=False)
        code = run(["--db-url", other, "db", "upgrade"])
        err = capsys.readouterr().err
        assert code == 2 and "CREATE EXTENSION postgis" in err and name in err
    finally:
        with admin_connection(url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name}")


def test_layers_cover_every_count_column(both):
    """The counts in the database name every layer plus zorgsignalen and meubilair_voorstel, in
    both backends."""
    for store in both:
        assert list(db_counts(store).area_counts("gemeente").columns) == [*LAYERS, "zorgsignalen",
                                                                          "meubilair_voorstel"]
        assert list(db_counts(store).layer_totals().index) == [*LAYERS, "meubilair_voorstel"]


@pytest.fixture(scope="module")
def by_status(tmp_path_factory):
    """One record per status (test_indicators.STATUS_RECORDS) in PostGIS."""
    schema = Schema()
    yield write_store(tmp_path_factory.mktemp("pgstatus"), make_sectors(), status_points(), url=schema.url)
    schema.drop()


@pytest.mark.parametrize("level", LEVELS)
def test_sql_counts_by_status_by_hand(by_status, level):
    counts = db_counts(by_status)
    assert area_count_dict(counts.area_counts(level)) == BY_STATUS[level]
    for filters, _ in [(indicators.Filters(), None), *EXPLICIT]:
        expected = indicators.area_counts(make_sectors(), status_points(), level, filters)
        pd.testing.assert_frame_equal(counts.area_counts(level, filters), expected,
                                      check_names=False, check_dtype=False,
                                      check_index_type=len(expected) > 0)


def test_sql_totals_by_status_and_explicit_filter(by_status):
    counts = db_counts(by_status)
    pd.testing.assert_series_equal(counts.layer_totals(), indicators.layer_totals(status_points()))
    for filters, expected in EXPLICIT:
        got = counts.layer_totals(filters)
        assert got[["meubilair", "meubilair_voorstel", "projecten"]].tolist() == [
            expected["meubilair"], expected["meubilair_voorstel"], expected["projecten"]]


def test_proposing_three_benches_in_postgis(pg_url, tmp_path):
    check_three_proposals(write_store(tmp_path / "data", make_sectors(), status_points(), url=pg_url))
