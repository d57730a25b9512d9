"""Vergelijken in the browser: a shared link /vergelijken?vergelijk=... opened on a fresh server
at 1440×900 shows the comparison of exactly those areas, with their ranks and the city."""

from __future__ import annotations

from cohesie import dataset
from cohesie.storage import open_store
from tests.e2e.test_links import fresh_app, open_page  # noqa: F401  (fixture)

CELLS_JS = """() => Array.from(document.querySelector('[data-testid="stDataFrame"]')
                              .querySelectorAll('td, th')).map(c => c.innerText)"""


def test_shared_comparison_link_opens_the_same_areas(browser, fresh_app, demo_dir):  # noqa: F811
    sectors = dataset.load(open_store(demo_dir)).sectors
    wijken = sorted(sectors["wijk_code"].unique())[:2]
    names = [sectors.loc[sectors["wijk_code"] == w, "wijk_naam"].iloc[0] for w in wijken]
    context, page = open_page(browser, fresh_app, f"/vergelijken?vergelijk={wijken[0]},{wijken[1]},stad")
    try:
        assert page.inner_text("h1").strip() == "Vergelijken"
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        page.wait_for_function(f"() => ({CELLS_JS})().includes('Signalen (aantal)')", timeout=60_000)
        cells = page.evaluate(CELLS_JS)
        for name in names:
            assert name in cells, (name, cells[:20])
        assert "Stad" in cells and any(c.endswith("van 12") for c in cells), cells[:40]
        # the selection is in the URL after the run, so the link can be copied again
        assert f"vergelijk={wijken[0]}%2C{wijken[1]}%2Cstad" in page.url.replace(",", "%2C")
        body = page.inner_text("body")
        assert "Traceback" not in body and "Page not found" not in body
        page.screenshot(path="/tmp/vergelijken_e2e.png")
    finally:
        context.close()
