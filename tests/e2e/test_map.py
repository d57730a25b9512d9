"""The Kaart page in Chromium: offline, no rerun on pan/zoom, filters, hover and click."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MAP_FRAME, wait_for_script
from cohesie import dataset

DEMO_SECTORS, DEMO_WIJKEN = 97, 12

VIEW_JS = "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"

# A point (in iframe pixels) on a sector shape that no marker covers, with that sector's code.
FREE_SECTOR_POINT_JS = """() => {
  const C = window.cohesie, found = [];
  C.layers.sector.eachLayer(l => {
    const p = window.map.latLngToContainerPoint(l.getCenter());
    const r = window.map.getContainer().getBoundingClientRect();
    const x = r.left + p.x, y = r.top + p.y;
    if (document.elementFromPoint(x, y) === l._path) {
      found.push({x: x, y: y, code: l.feature.properties.code, label: l.feature.properties.label});
    }
  });
  return found[0] || null;
}"""


def open_map(session):
    session.page.goto(session.url + "/")
    wait_for_script(session.page)
    return session.wait_for_map(min_paths=DEMO_SECTORS + DEMO_WIJKEN)


def frame_offset(session):
    """Top-left of the map iframe in page pixels, with the whole map scrolled into view (a
    click focuses the iframe, and the browser would scroll a partly hidden one)."""
    session.page.locator(MAP_FRAME).scroll_into_view_if_needed()
    box = session.page.locator(MAP_FRAME).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= session.page.viewport_size["height"]
    return box["x"], box["y"]


def test_map_renders_with_outside_requests_blocked(session):
    frame = open_map(session)
    page = session.page
    paths = frame.locator("path.leaflet-interactive").count()
    payload = frame.evaluate("() => window.cohesie.payload")
    # sectors + wijken + one circle per area with signals + the located point records
    assert paths >= DEMO_SECTORS + DEMO_WIJKEN + len(payload["points"])
    assert len(payload["points"]) > 0 and len(payload["circles"]) > 0
    # every script and stylesheet of the map comes from the app itself
    sources = frame.evaluate("""() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')]
                                 .map(e => e.src || e.href)""")
    assert sources, "de kaart laadt geen eigen scripts?"
    assert all(src.startswith(session.url) for src in sources), sources
    # what was blocked are only images (tiles, icons): never a script, stylesheet or data
    assert {kind for kind, _ in session.blocked} <= {"image"}, session.blocked
    assert not session.page_errors
    assert page.locator('[data-testid="stException"]').count() == 0


def test_no_background_renders_shapes_without_tile_requests(session):
    open_map(session)
    page = session.page
    page.get_by_role("combobox", name="Achtergrond").click()
    page.get_by_role("option", name="geen achtergrond").click()
    wait_for_script(page)
    session.blocked.clear()
    frame = session.wait_for_map(min_paths=DEMO_SECTORS + DEMO_WIJKEN)
    page.wait_for_timeout(500)
    assert frame.locator("img.leaflet-tile").count() == 0
    assert not [u for _, u in session.blocked if "tile" in u]


def test_pan_and_zoom_do_not_rerun_the_script(session):
    frame = open_map(session)
    page = session.page
    page.wait_for_timeout(1000)  # the component's initial value has been reported
    before_sent = len(session.sent)
    view0 = frame.evaluate(VIEW_JS)
    x0, y0 = frame_offset(session)
    page.mouse.move(x0 + 300, y0 + 300)
    page.mouse.down()
    page.mouse.move(x0 + 420, y0 + 360, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-in").click()
    page.mouse.wheel(0, -200)
    page.wait_for_timeout(1500)  # longer than the component's 250 ms debounce
    view1 = frame.evaluate(VIEW_JS)
    assert view1 != view0 and view1[2] > view0[2]
    # a rerun needs a message from the browser to the server; none was sent
    assert len(session.sent) == before_sent
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state") == "notRunning"


def test_filter_change_updates_map_keeps_view_and_stays_small(session, demo_dir):
    frame = open_map(session)
    page = session.page
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(800)
    view = frame.evaluate(VIEW_JS)
    styles_before = frame.evaluate("() => JSON.stringify(window.cohesie.payload.styles)")
    received = sum(session.received)
    page.locator('[data-testid="stRadio"]').get_by_text("Wijken", exact=True).click()
    frame.wait_for_function("() => window.cohesie.payload.level === 'wijk'", timeout=60_000)
    wait_for_script(page)
    page.wait_for_timeout(300)
    sent_to_browser = sum(session.received) - received
    assert frame.evaluate("() => JSON.stringify(window.cohesie.payload.styles)") != styles_before
    assert frame.evaluate(VIEW_JS) == pytest.approx(view)
    # the base map and its sector geometry are not sent again
    assert sent_to_browser < 100_000, f"{sent_to_browser} bytes na een filterwijziging"
    # a sidebar filter: choosing one wijk dims the others and zooms the map to it (issue 10)
    page.get_by_role("combobox", name="Wijken").click()
    option = page.get_by_role("option").filter(has_text="(").first  # not "Select all"
    wijk = option.inner_text().strip().rsplit("(", 1)[1].rstrip(")")
    option.click()
    page.keyboard.press("Escape")
    frame.wait_for_function("() => window.cohesie.payload.highlight.length === 1", timeout=60_000)
    wait_for_script(page)
    page.wait_for_timeout(500)
    from cohesie import views
    from cohesie.storage import open_store

    sectors = dataset.load(open_store(demo_dir)).sectors
    (south, west), (north, east) = views.bounds_latlon(sectors[sectors["wijk_code"] == wijk])
    lat, lon, _ = frame.evaluate(VIEW_JS)
    assert south <= lat <= north and west <= lon <= east
    assert not session.page_errors


def test_hover_shows_name_and_value_and_click_selects(session):
    frame = open_map(session)
    page = session.page
    spot = frame.evaluate(FREE_SECTOR_POINT_JS)
    assert spot, "geen vrije plek op een sector gevonden"
    x0, y0 = frame_offset(session)
    page.mouse.move(x0 + spot["x"], y0 + spot["y"])
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.first.wait_for(timeout=10_000)
    text = tooltip.first.inner_text()
    name = spot["label"].rsplit(" (", 1)[0]
    assert name in text and "Signalen per 1000 inwoners" in text and any(ch.isdigit() for ch in text)
    page.mouse.click(x0 + spot["x"], y0 + spot["y"])
    selected = page.get_by_text("Geselecteerd: sector")
    selected.wait_for(timeout=30_000)
    assert spot["code"] in selected.inner_text()
    button = page.get_by_role("button", name="Open de wijkfiche van")
    wijk = button.inner_text().removeprefix("Open de wijkfiche van ").strip()
    button.click()
    page.get_by_role("heading", name=f"Wijkfiche {wijk}").wait_for(timeout=30_000)
    assert not session.page_errors
