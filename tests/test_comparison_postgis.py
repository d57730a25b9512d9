"""Vergelijken on PostGIS (signals counted in the database, never loaded) shows what it shows on
SQLite: the same table and the same trend lines."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit_folium
from conftest import REPO
from pandas.testing import assert_frame_equal
from pg_helpers import Schema
from streamlit.testing.v1 import AppTest

from cohesie import dataset, operations
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    schema = Schema()
    sqlite_dir, pg_dir = tmp_path_factory.mktemp("sqlite"), tmp_path_factory.mktemp("pgfiles")
    operations.build_demo(open_store(sqlite_dir))
    operations.build_demo(open_store(pg_dir, url=schema.url))
    yield {"sqlite": (sqlite_dir, None), "postgis": (pg_dir, schema.url)}
    schema.drop()


def comparison_page(monkeypatch, backend, codes: str):
    from streamlit.runtime.pages_manager import PagesManager

    data_dir, url = backend
    monkeypatch.setenv("COHESIE_DATA_DIR", str(data_dir))
    if url:
        monkeypatch.setenv("COHESIE_DB_URL", url)
    else:
        monkeypatch.delenv("COHESIE_DB_URL", raising=False)
    monkeypatch.setenv("COHESIE_TILES", "geen")
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.run()
    at.query_params["vergelijk"] = codes
    at.switch_page("pages/vergelijken.py").run()
    assert not at.exception, [e.value for e in at.exception]
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    charts = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart" and '"Jaar"' in e.proto.spec]
    lines = [pd.concat([convert_arrow_bytes_to_pandas_df(d.data.data) for d in c.proto.datasets]) for c in charts]
    return at.dataframe[0].value, lines


def test_comparison_is_the_same_on_both_backends(backends, monkeypatch):
    sectors = dataset.load(open_store(backends["sqlite"][0])).sectors
    wijk = sorted(sectors["wijk_code"].unique())[0]
    codes = f"{wijk},{sorted(sectors['code'])[5]},stad"
    lite_table, lite_charts = comparison_page(monkeypatch, backends["sqlite"], codes)
    pg_table, pg_charts = comparison_page(monkeypatch, backends["postgis"], codes)
    assert_frame_equal(pg_table, lite_table)
    assert lite_table["waarde_0"].str.len().gt(0).all()
    assert len(lite_charts) == len(pg_charts) == 1
    assert_frame_equal(pg_charts[0].reset_index(drop=True), lite_charts[0].reset_index(drop=True), check_dtype=False)
    assert {"Stad"} < set(lite_charts[0]["reeks"])
