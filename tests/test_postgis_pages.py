"""On PostGIS the pages never load the signals into Python, and show what they show on SQLite.

The demo municipality is written into both backends; the app's loader (``ui.loaded``) and the
pages (through AppTest) run against each, and their figures, tables and counts are compared.
"""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit_folium
from conftest import REPO
from pandas.testing import assert_frame_equal, assert_series_equal
from pg_helpers import Schema
from streamlit.testing.v1 import AppTest

from cohesie import counting, dataset, indicators, operations
from cohesie.areas import LEVELS
from cohesie.storage import open_store

FILTERS = [
    indicators.Filters(),
    indicators.Filters(start=pd.Timestamp("2024-03-01"), end=pd.Timestamp("2024-06-30 23:59")),
    indicators.Filters(start=pd.Timestamp("2025-01-01"), types={"signalen": ("zorgsignaal", "zwerfvuil")},
                       statuses={"meubilair": ("geplaatst",), "signalen": ("open",)}),
]


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    """(data dir, url) of the demo in SQLite and in a fresh PostGIS schema."""
    schema = Schema()
    sqlite_dir, pg_dir = tmp_path_factory.mktemp("sqlite"), tmp_path_factory.mktemp("pgfiles")
    operations.build_demo(open_store(sqlite_dir))
    operations.build_demo(open_store(pg_dir, url=schema.url))
    yield {"sqlite": (sqlite_dir, None), "postgis": (pg_dir, schema.url)}
    schema.drop()


def use(monkeypatch, backend):
    data_dir, url = backend
    monkeypatch.setenv("COHESIE_DATA_DIR", str(data_dir))
    if url:
        monkeypatch.setenv("COHESIE_DB_URL", url)
    else:
        monkeypatch.delenv("COHESIE_DB_URL", raising=False)


@pytest.mark.parametrize("filters", FILTERS, ids=["alles", "periode", "typen"])
def test_store_counts_equal_on_both_backends(backends, filters):
    sqlite_store = open_store(backends["sqlite"][0])
    pg_store = open_store(backends["postgis"][0], url=backends["postgis"][1])
    sqlite = counting.DatabaseCounts(sqlite_store, dataset.load_sectors(sqlite_store))
    pg = counting.DatabaseCounts(pg_store, dataset.load_sectors(pg_store))
    assert_series_equal(pg.layer_totals(filters), sqlite.layer_totals(filters))
    assert sqlite.layer_totals(filters)["signalen"] > 0
    expected = sqlite.signals_per_month(filters)
    assert not expected.empty
    assert_frame_equal(pg.signals_per_month(filters), expected)
    wijk = dataset.load_sectors(sqlite_store)["wijk_code"].iloc[3]
    one = indicators.Filters(start=filters.start, end=filters.end, types=filters.types, wijken=(wijk,))
    assert_frame_equal(pg.signals_per_month(one), sqlite.signals_per_month(one))


def test_point_summary_equal_on_both_backends(backends):
    sqlite = open_store(backends["sqlite"][0])
    pg = open_store(backends["postgis"][0], url=backends["postgis"][1])
    expected = sqlite.point_summary()
    assert expected["n"].sum() == len(sqlite.read_points())
    assert_frame_equal(pg.point_summary(), expected)


def test_loader_keeps_signals_in_the_database_and_counts_equal(backends, monkeypatch):
    from cohesie import ui

    loaded = {}
    for name, backend in backends.items():
        use(monkeypatch, backend)
        loaded[name] = ui.loaded()
    lite, pg = loaded["sqlite"], loaded["postgis"]
    assert not lite.signals_in_database and pg.signals_in_database
    # SQLite: the signals are in the point index (persisted arrays), not in pandas (issue 15)
    assert "signalen" not in set(lite.data.points["layer"])
    assert lite.index.layer_totals()["signalen"] > 0
    assert "signalen" not in set(pg.data.points["layer"])  # the 100,000 signals stay in PostGIS
    assert_frame_equal(pg.summary, lite.summary)
    for filters in FILTERS:
        for level in LEVELS:
            assert_frame_equal(ui.area_counts(pg, level, filters).sort_index(),
                               ui.area_counts(lite, level, filters), check_names=False, check_dtype=False)
        assert_series_equal(ui.layer_totals(pg, filters), ui.layer_totals(lite, filters))
        assert_frame_equal(ui.signals_per_month(pg, filters), ui.signals_per_month(lite, filters))
        pts = [ui.map_points(c, filters).sort_values(["layer", "id"], ignore_index=True) for c in (lite, pg)]
        assert_frame_equal(pts[1], pts[0], check_dtype=False)


class FakeFolium:
    def __init__(self):
        self.calls = []

    def __call__(self, fig, key=None, **kwargs):
        self.calls.append({"key": key, **kwargs})
        return None


def overlay_payload(fg) -> dict:
    """The map overlay's data, with points and circles in a fixed order (records may be read
    from the two databases in another order)."""
    import json

    payload = json.loads(next(iter(fg._children.values())).payload_js)
    payload["points"] = sorted(payload["points"])
    payload["circles"] = sorted(payload["circles"])
    return payload


def run_pages(monkeypatch, backend) -> dict:
    """What the Kaart, Indicatoren, Wijkfiche and Gegevens pages show on ``backend``."""
    from streamlit.runtime.pages_manager import PagesManager

    use(monkeypatch, backend)
    monkeypatch.setenv("COHESIE_TILES", "geen")
    fake = FakeFolium()
    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {"kaart": {m.label: m.value for m in at.metric},
             "overlay": overlay_payload([c["feature_group_to_add"] for c in fake.calls if c["key"] == "kaart"][-1])}
    at.switch_page("pages/indicatoren.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown["indicatoren"] = at.dataframe[0].value
    at.switch_page("pages/wijkfiche.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown["wijkfiche"] = ({m.label: (m.value, m.delta) for m in at.metric}, [d.value for d in at.dataframe])
    at.switch_page("pages/gegevens.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown["gegevens"] = [t.value for t in at.table]
    return shown


def test_pages_show_the_same_on_both_backends(backends, monkeypatch):
    lite = run_pages(monkeypatch, backends["sqlite"])
    pg = run_pages(monkeypatch, backends["postgis"])
    assert lite["kaart"] == pg["kaart"]
    assert int("".join(ch for ch in lite["kaart"]["Signalen"] if ch.isdigit())) > 0  # "100.000"
    assert lite["overlay"] == pg["overlay"]  # same colours, circles and points on the map
    assert_frame_equal(pg["indicatoren"], lite["indicatoren"], check_dtype=False)
    assert lite["wijkfiche"][0] == pg["wijkfiche"][0]
    for a, b in zip(lite["wijkfiche"][1], pg["wijkfiche"][1]):
        assert_frame_equal(b, a, check_dtype=False)
    for a, b in zip(lite["gegevens"], pg["gegevens"]):
        if "records" in a.columns:
            assert a.equals(b)
            assert a["records"].astype(int).sum() == len(open_store(backends["sqlite"][0]).read_points())
