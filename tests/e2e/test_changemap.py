"""The Kaart's 'Verandering' view in Chromium: switching the view recolours the map through the
overlay (the base map stays, the view stays, the whole map inside 1440×900), the diverging
legend shows, and the link opens the same view."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MAP_FRAME, wait_for_script
from tests.e2e.test_map import DEMO_SECTORS, DEMO_WIJKEN, VIEW_JS


def legend_text(page) -> str:
    return page.locator("[aria-label='legende']").inner_text()


def test_switch_to_change_view_and_open_its_link(session):
    page = session.page
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(session.url + "/")
    wait_for_script(page)
    frame = session.wait_for_map(min_paths=DEMO_SECTORS + DEMO_WIJKEN)
    page.wait_for_timeout(800)
    view = frame.evaluate(VIEW_JS)
    styles_before = frame.evaluate("() => JSON.stringify(window.cohesie.payload.styles)")
    received = sum(session.received)
    page.get_by_role("combobox", name="Weergave").click()
    page.get_by_role("option", name="Verandering: jaren").click()
    frame.wait_for_function("(before) => JSON.stringify(window.cohesie.payload.styles) !== before",
                            arg=styles_before, timeout=60_000)
    wait_for_script(page)
    page.wait_for_timeout(300)
    legend = legend_text(page)
    assert "verandering" in legend and "geen verandering" in legend and "−" in legend and "+" in legend
    assert frame.evaluate("() => window.cohesie.payload.circles.length") == 0
    assert frame.evaluate(VIEW_JS) == pytest.approx(view)  # the map kept its view
    assert sum(session.received) - received < 150_000  # the base map was not sent again
    box = page.locator(MAP_FRAME).bounding_box()  # the whole map inside 1440×900, not scrolled
    assert page.evaluate("() => window.scrollY") == 0 and 0 <= box["y"] and box["y"] + box["height"] <= 900
    assert "weergave=verandering" in page.url and "perioden=" in page.url
    # a colleague opens the link: the same view and legend
    link = page.url
    page.goto(link)
    wait_for_script(page)
    session.wait_for_map(min_paths=DEMO_SECTORS + DEMO_WIJKEN)
    assert legend_text(page) == legend
    assert not session.page_errors
    assert page.locator('[data-testid="stException"]').count() == 0
