"""The Presentatie's slides in Chromium at 1920×1080: a link opens "Vergelijk", PageDown (a
presenter's clicker) goes on to "Trend" and round to the map, each slide fits the screen
without scrolling and its chart is drawn; the screenshots are kept in /tmp for a person to look at."""

from __future__ import annotations

import contextlib

from tests.e2e.conftest import wait_for_script
from cohesie import dataset

WIDTH, HEIGHT = 1920, 1080
CHART = '[data-testid="stVegaLiteChart"]'


@contextlib.contextmanager
def projector(browser, url: str):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


def fits(page) -> bool:
    return page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                         " return m.scrollHeight <= m.clientHeight + 1; }")


def chart_drawn(page) -> dict:
    page.wait_for_selector(f"{CHART} svg, {CHART} canvas", timeout=60_000)
    return page.locator(CHART).first.bounding_box()


def test_slides_open_from_a_link_and_follow_the_clicker(browser, app_url, demo_dir):
    from cohesie.storage import open_store

    sectors = dataset.load(open_store(demo_dir)).sectors
    first = sectors.drop_duplicates("wijk_code").sort_values("wijk_naam").iloc[0]
    with projector(browser, app_url) as (page, errors):
        page.goto(f"{app_url}/presentatie?wijk={first['wijk_code']}&dia=vergelijk")
        wait_for_script(page)
        box = chart_drawn(page)
        page.wait_for_timeout(800)
        page.screenshot(path="/tmp/presentatie_vergelijk.png")
        assert page.locator("h1.cohesie-title").inner_text() == first["wijk_naam"]
        assert box["width"] >= 1200 and box["height"] >= 500 and box["y"] + box["height"] <= HEIGHT, box
        assert fits(page), "de dia Vergelijk moet scrollen"
        assert page.get_by_text("van 12", exact=False).first.is_visible()  # the ranks, "3 van 12"

        page.locator("h1.cohesie-title").click()  # the keys go to the page, not to a widget
        page.keyboard.press("PageDown")
        wait_for_script(page)
        page.wait_for_function("() => location.search.includes('dia=trend')", timeout=30_000)
        box = chart_drawn(page)
        page.wait_for_timeout(800)
        page.screenshot(path="/tmp/presentatie_trend.png")
        assert box["height"] >= 600 and box["y"] + box["height"] <= HEIGHT, box
        assert fits(page), "de dia Trend moet scrollen"
        sentence = page.locator("p.cohesie-sentence")
        assert sentence.inner_text().startswith(first["wijk_naam"] + ", signalen per 1000 inwoners: ")

        page.keyboard.press("PageDown")  # the fourth slide, Opvallend (issue 13)
        wait_for_script(page)
        page.wait_for_function("() => location.search.includes('dia=opvallend')", timeout=30_000)
        assert fits(page), "de dia Opvallend moet scrollen"

        page.keyboard.press("PageDown")  # and round to the map
        wait_for_script(page)
        page.wait_for_function("() => !location.search.includes('dia=')", timeout=30_000)
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        assert fits(page)
        assert not errors, errors
