"""The Plaatsing page in AppTest: click → effect, proposal by an editor, no editing for others."""

from __future__ import annotations

import pytest
import streamlit_folium
from conftest import REPO, demo_with_accounts
from streamlit.testing.v1 import AppTest

from cohesie import auth, dataset, spatial
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("place") / "data")


@pytest.fixture
def click_at(demo_dir, monkeypatch):
    """Patch st_folium so the placement map reports a click inside the first demo sector."""
    sectors = dataset.load(open_store(demo_dir)).sectors
    p = sectors.geometry.iloc[0].representative_point()
    lon, lat = spatial.to_display_lonlat([p.x], [p.y])
    reply = {"last_clicked": {"lat": float(lat[0]), "lng": float(lon[0])}}
    monkeypatch.setattr(streamlit_folium, "st_folium",
                        lambda fig, key=None, **kw: reply if key == "plaatsen" else None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    return sectors.iloc[0]


def _page(token=None, **state) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    if token:
        at.session_state["auth_token"] = token
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/plaatsing.py")
    at.run()
    at.run()  # the click is stored, then the page reruns with it
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_click_shows_sector_distance_and_new_inhabitants(click_at):
    at = _page()
    text = _markdown(at)
    assert f"({click_at['code']})" in text and "Dichtstbijzijnde gevelbank" in text
    assert "nieuw" in text and "binnen bereik" in text
    # not logged in: no form to save, only the explanation
    assert not any(b.label == "Bewaar als voorstel" for b in at.button)
    assert any("Om te bewerken moet je aangemeld zijn" in i.value for i in at.info)


def test_editor_saves_a_proposal(click_at, demo_dir):
    store = open_store(demo_dir)
    token = auth.login(store, "eva", "geheim-123")
    before = (dataset.load(store).points["status"] == "voorstel").sum()
    at = _page(token)
    at.text_input(key="pl_name").input("Bank bij de kerk")
    at.button[[b.label for b in at.button].index("Bewaar als voorstel")].click()
    at.run()
    assert not at.exception
    points = dataset.load(store).points
    assert (points["status"] == "voorstel").sum() == before + 1
    new = points[points["naam"] == "Bank bij de kerk"].iloc[0]
    assert new["sector"] == click_at["code"]
    assert store.history("meubilair", new["id"])["gebruiker"].tolist() == ["eva"]


@pytest.mark.parametrize("state", [
    {"auth_token": "eva.vervalst"},
    {"auth_token": auth.issue_token("eva", b"andere-sleutel"), "role": "admin", "user": "eva"},
])
def test_crafted_session_state_gives_no_editing(click_at, demo_dir, state):
    at = _page(**state)
    assert not any(b.label in ("Bewaar als voorstel", "Maak voorstel") for b in at.button)
    assert not any("Aangemeld als" in c.value for c in at.caption)


def test_viewer_role_cannot_edit(click_at, demo_dir):
    token = auth.login(open_store(demo_dir), "vic", "geheim-123")
    at = _page(token)
    assert any("Aangemeld als **vic** (viewer)" in c.value for c in at.caption)
    assert not any(b.label == "Bewaar als voorstel" for b in at.button)
