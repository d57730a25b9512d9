"""Privacy on the pages: small signal counts hidden outside admin, signals as points only for admins."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit_folium
from conftest import REPO, demo_with_accounts
from streamlit.testing.v1 import AppTest

from cohesie import auth
from cohesie.storage import Store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("privacy") / "data")


def _page(demo_dir, monkeypatch, page, user=None, **state):
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    if user:
        at.session_state["auth_token"] = auth.login(Store(demo_dir), user, "geheim-123")
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# one week of signals: many sectors then have 1 to 4 signals
WEEK = {"f_period": (dt.date(2025, 3, 3), dt.date(2025, 3, 9)), "i_level": "sector"}


def test_small_signal_counts_are_hidden_for_editors(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "indicatoren", "eva", **WEEK)
    table = at.dataframe[0].value
    shown = set(table["signalen"].astype(str))
    assert "< 5" in shown
    assert not shown & {"1", "2", "3", "4"}
    hidden = table["signalen"].isin(["< 5", "verborgen"])
    assert table.loc[hidden, "signalen_per_1000"].isna().all()
    assert any("verborgen" in c.value for c in at.caption)


def test_admin_sees_the_counts(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "indicatoren", "ada", **WEEK)
    values = set(at.dataframe[0].value["signalen"].astype(str))
    assert values & {"1", "2", "3", "4"} and "< 5" not in values


def test_signals_layer_download_only_for_admins(demo_dir, monkeypatch):
    at = _page(demo_dir, monkeypatch, "gegevens")
    options = at.selectbox(key="g_layer").options
    assert "Signalen" not in options and "Meubilair" in options
    at = _page(demo_dir, monkeypatch, "gegevens", "ada")
    assert "Signalen" in at.selectbox(key="g_layer").options
