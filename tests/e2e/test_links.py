"""Links a colleague shares: every page's deep link works on a fresh server, the filters and the
selected wijk travel in the URL, and the Streamlit chrome has no Deploy button."""

from __future__ import annotations

import pytest

from cohesie import dataset
from cohesie.storage import open_store
from tests.e2e.conftest import start_streamlit, stop, wait_for_script, REPO

PAGES = {"kaart": "Kaart van Demostad", "indicatoren": "Indicatoren per gebied", "plaatsing": "Plaatsing",
         "presentatie": "Demostad", "gegevens": "Gegevens", "wijkfiche": "Wijkfiche"}


@pytest.fixture
def fresh_app(demo_dir, tmp_path):
    """A server nobody has visited yet (the case where Streamlit's legacy pages/ mode kicks in)."""
    proc, url = start_streamlit(REPO / "dashboard.py", data_dir=demo_dir, log=tmp_path / "streamlit.log")
    yield url
    stop(proc)


def open_page(browser, base: str, path: str, *, width: int = 1440, height: int = 900):
    """A page at ``base + path``, every request to another host aborted (as on an intranet)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:", "about:"))
                  else r.abort())
    page = context.new_page()
    page.goto(base + path)
    wait_for_script(page, timeout=90_000)
    page.wait_for_selector("h1", timeout=90_000)
    return context, page


@pytest.mark.parametrize("path", ["kaart", "indicatoren", "plaatsing"])
def test_deep_link_on_a_fresh_server(browser, fresh_app, path):
    context, page = open_page(browser, fresh_app, f"/{path}")
    try:
        body = page.inner_text("body")
        assert "Page not found" not in body and "niet gevonden" not in body
        assert PAGES[path] in page.inner_text("h1")
        # the real navigation (page titles), not the file names of the legacy pages/ mode
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Indicatoren" in nav and "dashboard" not in nav and "Plaatsing" in nav
        assert "Demogegevens" in body  # the shared frame is there
        assert page.title() != "Streamlit"
    finally:
        context.close()


def test_every_page_has_its_own_title_and_no_deploy_button(browser, app_url):
    context, page = open_page(browser, app_url, "/indicatoren")
    try:
        assert page.title().startswith("Indicatoren")
        assert page.get_by_role("button", name="Deploy").count() == 0
        assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    finally:
        context.close()


def test_filters_and_wijk_travel_in_the_url(browser, app_url, demo_dir):
    sectors = dataset.load(open_store(demo_dir)).sectors
    wijk = sorted(sectors["wijk_code"].unique())[2]
    naam = sectors.loc[sectors["wijk_code"] == wijk, "wijk_naam"].iloc[0]
    shared = f"/wijkfiche?wijk={wijk}&lagen=meubilair,signalen&van=2025-01-01&tot=2025-06-30"
    context, page = open_page(browser, app_url, shared)
    try:
        assert naam in page.inner_text("h1")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Meubilair" in sidebar and "Pleinmakers" not in sidebar.split("Wijken")[0]
        assert "Periode: 01/01/2025 – 30/06/2025" in sidebar  # the period as text
        page.locator("summary").filter(has_text="Periode kiezen").click()  # and in its calendar
        dates = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input')
        dates.first.wait_for(timeout=30_000)
        assert [dates.nth(i).input_value() for i in range(dates.count())] == ["2025-01-01", "2025-06-30"]
        # the URL keeps the state after the page has run (so it can be copied again)
        assert f"wijk={wijk}" in page.url and "lagen=meubilair%2Csignalen" in page.url.replace(",", "%2C")
    finally:
        context.close()
