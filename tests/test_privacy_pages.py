"""Privacy on the pages: small signal counts hidden outside admin, signals as points only for admins."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit_folium
from conftest import REPO, demo_with_accounts
from streamlit.testing.v1 import AppTest

from cohesie import auth
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("privacy") / "data")


def _page(demo_dir, monkeypatch, page, user=None, **state):
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    if user:
        at.session_state["auth_token"] = auth.login(open_store(demo_dir), user, "geheim-123")
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# one week of signals: many sectors then have 1 to 4 signals
WEEK = {"f_period": (dt.date(2025, 3, 3), dt.date(2025, 3, 9)), "i_level": "sector"}


def _sent(at):
    """The first table as sent to the browser: its values (numeric, what the grid sorts on) and
    the texts the grid shows (the Styler's display values)."""
    from streamlit import dataframe_util

    element = at.dataframe[0]
    return element.value, dataframe_util.convert_arrow_bytes_to_pandas_df(
        element.proto.arrow_data.styler.display_values)


def test_small_signal_counts_are_hidden_for_editors(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "indicatoren", "eva", **WEEK)
    values, texts = _sent(at)
    shown = set(texts["signalen"])
    assert "< 5" in shown
    assert not shown & {"1", "2", "3", "4"}
    assert not set(values["signalen"]) & {1, 2, 3, 4}  # the true count never reaches the browser
    hidden = texts["signalen"].isin(["< 5", "verborgen"])
    assert values.loc[hidden, "signalen_per_1000"].isna().all()
    assert any("verborgen" in c.value for c in at.caption)


def test_admin_sees_the_counts(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "indicatoren", "ada", **WEEK)
    shown = set(_sent(at)[1]["signalen"])
    assert shown & {"1", "2", "3", "4"} and "< 5" not in shown


def test_signals_layer_download_only_for_admins(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "gegevens")
    options = at.selectbox(key="g_layer").options
    assert "Signalen" not in options and "Meubilair" in options
    at = _page(demo_dir, monkeypatch, "gegevens", "ada")
    assert "Signalen" in at.selectbox(key="g_layer").options
