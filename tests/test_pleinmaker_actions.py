"""Pleinmaker follow-up on the Wijkfiche: flagged without an action this year; editors record one."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit_folium
from conftest import REPO, demo_with_accounts
from streamlit.testing.v1 import AppTest

from cohesie import auth, dataset
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("acties") / "data")


def test_editor_records_action_and_flag_disappears(demo_dir, monkeypatch):
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    store = open_store(demo_dir)
    data = dataset.load(store)
    year = dt.date.today().year
    done = set(data.acties.loc[data.acties["datum"].dt.year == year, "pleinmaker_id"])
    pm = data.points[(data.points["layer"] == "pleinmakers") & ~data.points["id"].isin(done)].iloc[0]
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.session_state["auth_token"] = auth.login(store, "eva", "geheim-123")
    at.session_state["selected_wijk"] = pm["wijk_code"]
    at.run()
    at.switch_page("pages/wijkfiche.py")
    at.run()
    assert not at.exception
    assert any(pm["naam"] in w.value and f"Zonder actie in {year}" in w.value for w in at.warning)
    at.selectbox(key=f"actie_pm_{pm['wijk_code']}").select(pm["id"])
    at.text_input(key=f"actie_tekst_{pm['wijk_code']}").input("Burendag op het plein")
    at.button[[b.label for b in at.button].index("Actie bewaren")].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    acties = dataset.load(store).acties
    assert ((acties["pleinmaker_id"] == pm["id"]) & (acties["datum"].dt.year == year)).any()
    assert not any(pm["naam"] in w.value and "Zonder actie" in w.value for w in at.warning)
    assert store.history("pleinmakers", pm["id"])["actie"].iloc[-1] == "actie"
