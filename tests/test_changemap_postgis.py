"""The Kaart's year and change views on PostGIS (signals counted per period in the database)
show what they show on SQLite."""

from __future__ import annotations

import streamlit_folium
from conftest import REPO
from streamlit.testing.v1 import AppTest
from test_postgis_pages import FakeFolium, backends, overlay_payload, use  # noqa: F401  (fixture)


def kaart(monkeypatch, backend, view: str) -> tuple[dict, str, dict]:
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
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state["_keep_m_mode"] = view
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    legend = next(m.value for m in [*at.markdown, *at.html] if "aria-label='legende'" in m.value)
    payload = overlay_payload([c["feature_group_to_add"] for c in fake.calls if c["key"] == "kaart"][-1])
    return {m.label: m.value for m in at.metric}, legend, payload


def test_year_and_change_views_equal_on_both_backends(backends, monkeypatch):  # noqa: F811
    for view in ("jaar", "verandering"):
        lite = kaart(monkeypatch, backends["sqlite"], view)
        pg = kaart(monkeypatch, backends["postgis"], view)
        assert lite == pg, view
        assert ("verandering" in lite[1]) == (view == "verandering")
