"""Journeys through the dashboard in Chromium, one test per role, done as a person would:
clicks and key presses at screen coordinates, checks on what the screen shows."""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_script
from cohesie import dataset


@contextlib.contextmanager
def user_page(browser, url: str, *, width: int = 1440, height: int = 900, init_script: str | None = None):
    """A fresh browser window of ``width``×``height`` on the app at ``url``, every request to
    another host aborted (as on an intranet); yields the page and the list of its JavaScript
    errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


# -- policymaker: Indicatoren sorts numerically and shows Belgian numbers --------------------
# Glide's data grid draws on a canvas; its accessibility table holds the raw values, not what is
# drawn. To check what the user sees, every fillText on the grid's canvases is recorded with its
# position on the canvas (after the canvas transform, in CSS pixels); adding the canvas's place
# on the screen gives screen coordinates, so the texts of one column can be read in screen order.
RECORD_CANVAS_TEXT = """
window.__drawn = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  const c = this.canvas;
  if (c.closest && c.closest('[data-testid="stDataFrame"]')) {
    const p = this.getTransform().transformPoint(new DOMPoint(x, y));
    const dpr = window.devicePixelRatio || 1;
    window.__drawn.push({text: String(text), x: p.x / dpr, y: p.y / dpr});
  }
  return fillText.call(this, text, x, y, ...rest);
};
"""


def _drawn(page) -> list[dict]:
    """Texts drawn on the first table's canvases so far, at their screen coordinates now."""
    return page.evaluate("""() => {
        const r = document.querySelector('[data-testid="stDataFrame"] canvas').getBoundingClientRect();
        return window.__drawn.map(d => ({text: d.text, x: r.left + d.x, y: r.top + d.y}));
    }""")


def _column_span(page, header: str) -> tuple[float, float, float]:
    """(left, right, bottom of the header) on the screen of the column under ``header``: up to
    the next header drawn on the same line."""
    drawn = _drawn(page)
    head = [d for d in drawn if d["text"] == header][-1]
    after = [d["x"] for d in drawn if abs(d["y"] - head["y"]) < 1 and d["x"] > head["x"] + 20]
    return head["x"] - 10, (min(after) if after else head["x"] + 200) - 6, head["y"] + 10


def _column_texts(page, span: tuple[float, float, float]) -> list[str]:
    """The cell texts last drawn in the column ``span``, top to bottom."""
    left, right, top = span
    cells: dict[float, str] = {}
    for d in _drawn(page):  # in drawing order: the last text at a row position is what is shown
        if left <= d["x"] <= right and d["y"] > top:
            cells[round(d["y"])] = d["text"]
    return [cells[y] for y in sorted(cells)]


def _belgian_int(text: str) -> int:
    import re

    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), f"geen Belgisch geheel getal: {text!r}"
    return int(text.replace(".", ""))


def test_policymaker_sorts_indicatoren(browser, app_url):
    """At 1440×900 a policymaker opens Indicatoren, clicks the header of "Signalen (aantal)"
    and sees the wijken ordered by their count (numerically, twice for both directions), the
    counts written the Belgian way (12.270), km² with a decimal comma and the name column
    pinned when the table scrolls sideways."""
    with user_page(browser, app_url, init_script=RECORD_CANVAS_TEXT) as (page, errors):
        page.goto(app_url + "/indicatoren")
        wait_for_script(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        box = grid.bounding_box()
        assert box["y"] >= 0 and box["y"] + 200 < 900, box  # the header and rows are on screen

        area = _column_texts(page, _column_span(page, "Oppervlakte (km²)"))
        assert area and all(re.fullmatch(r"\d+,\d\d", a) for a in area), area  # "2,37", never "2.370"
        signals = _column_span(page, "Signalen (aantal)")
        before = [_belgian_int(v) for v in _column_texts(page, signals)]
        assert len(before) >= 8 and any(v >= 10_000 for v in before) and any(v < 10_000 for v in before)

        header = next(d for d in _drawn(page) if d["text"] == "Signalen (aantal)")
        for direction in ("ascending", "descending"):
            page.evaluate("() => { window.__drawn = []; }")
            page.mouse.click(header["x"] + 20, header["y"])
            page.wait_for_timeout(1000)
            page.screenshot(path=f"/tmp/indicatoren_sorted_{direction}.png")
            shown = _column_texts(page, signals)
            values = [_belgian_int(v) for v in shown]
            assert len(values) >= 8, shown
            expected = sorted(values, reverse=direction == "descending")
            assert values == expected, f"{direction}: {shown}"
        assert max(values) == max(before)  # the highest count comes first after the second click

        # scroll the table sideways: the name column stays where it is
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 150)
        page.evaluate("() => { window.__drawn = []; }")
        page.mouse.wheel(2000, 0)
        page.wait_for_timeout(800)
        drawn = _drawn(page)
        names = [d for d in drawn if d["text"] == "Naam"]
        assert names and abs(names[-1]["x"] - (box["x"] + 8)) < 6, names[-1:]
        assert any(d["text"].startswith("Inwoners binnen") for d in drawn)  # it did scroll
        page.screenshot(path="/tmp/indicatoren_scrolled.png")

        # per sector, care signals are suppressed: sorted, hidden cells read "verborgen" and "< 5"
        # and sit where their stand-ins put them (below every count, between 0 and 5)
        radio = page.get_by_text("Sector", exact=True).first.bounding_box()
        page.mouse.click(radio["x"] + radio["width"] / 2, radio["y"] + radio["height"] / 2)
        wait_for_script(page)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 150)
        page.mouse.wheel(-5000, 0)  # back to the left edge, then the care signals into view
        page.wait_for_timeout(500)
        page.evaluate("() => { window.__drawn = []; }")
        page.mouse.wheel(300, 0)
        page.wait_for_timeout(800)
        care = _column_span(page, "Zorgsignalen (aantal)")
        head = next(d for d in reversed(_drawn(page)) if d["text"] == "Zorgsignalen (aantal)")
        assert box["x"] < head["x"] < box["x"] + box["width"] - 40, head
        page.evaluate("() => { window.__drawn = []; }")
        page.mouse.click(head["x"] + 20, head["y"])
        page.wait_for_timeout(1000)
        page.screenshot(path="/tmp/indicatoren_care_sorted.png")
        shown = _column_texts(page, care)
        # the order the stand-ins give: every hidden cell, then the zeros, then "< 5", then counts;
        # the demo plants sectors with none and with 1-4 care signals (demo.CARE_SPARSE)
        kinds = ["verborgen" if v == "verborgen" else "0" if v == "0" else "< 5" if v == "< 5" else "n"
                 for v in shown]
        assert kinds == sorted(kinds, key=["verborgen", "0", "< 5", "n"].index), shown
        assert {"verborgen", "0", "< 5"} <= set(kinds), shown
        rest = [_belgian_int(v) for v, k in zip(shown, kinds) if k == "n"]
        assert rest and rest == sorted(rest) and min(rest) >= 5, shown


# -- policymaker: a click on the Kaart selects the sector under the pointer; a wijk filter zooms
# Visible spots on sector shapes (iframe pixels), each with the place under it in degrees as Leaflet
# has it and the sector drawn there (code): views.sector_at must agree with it at a centre.
_SECTOR_SPOTS_JS = """() => {
  const C = window.cohesie, map = C.map, r = map.getContainer().getBoundingClientRect(), out = [];
  C.layers.sector.eachLayer(l => {
    const p = map.latLngToContainerPoint(l.getCenter());
    const x = r.left + p.x, y = r.top + p.y;
    if (p.x < 20 || p.y < 20 || p.x > r.width - 20 || p.y > r.height - 20) { return; }
    if (document.elementFromPoint(x, y) !== l._path) { return; }  // a marker or control covers it
    const ll = map.containerPointToLatLng([p.x, p.y]);
    out.push({x: x, y: y, lat: ll.lat, lng: ll.lng, code: l.feature.properties.code});
  });
  return out;
}"""
# Whole screen pixels (as a mouse gives them) less than one pixel below a border between two
# sectors, found by the browser's own hit test: the sector drawn on top at the pixel (code) differs
# from the one a pixel higher. The map's frame sits at a fractional height on the page, so inside
# it such a click is at a fraction of a pixel; Chromium gives the mouse events whole pixels, and a
# click that Leaflet placed there (the truncated position, old_code) selected the neighbour.
_BORDER_SPOTS_JS = """([dx, dy]) => {
  const C = window.cohesie, r = C.map.getContainer().getBoundingClientRect(), out = [];
  const paths = new Map();
  C.layers.sector.eachLayer(l => paths.set(l._path, l.feature.properties.code));
  const at = (x, y) => paths.get(document.elementFromPoint(x, y));  // undefined: no sector on top
  for (let px = Math.ceil(dx + r.left + 20); px < dx + r.right - 20; px += 9) {
    for (let py = Math.ceil(dy + r.top + 20); py < dy + r.bottom - 20; py++) {
      const x = px - dx, y = py - dy, code = at(x, y), above = at(x, y - 1);
      if (code && above && code !== above) {
        out.push({x: x, y: y, code: code, above: above, old_code: at(x, Math.floor(y)) || null});
      }
    }
  }
  return out;
}"""
_MAP_BOUNDS_JS = """() => { const b = window.cohesie.map.getBounds();
  return {south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast(),
          zoom: window.cohesie.map.getZoom()}; }"""


def _spread(spots: list[dict], n: int, *, apart: float = 80, first=lambda s: False) -> list[dict]:
    """``n`` spots at least ``apart`` px from each other, those with ``first(spot)`` true
    before the others, then the lowest on the map first (the first click is where the old page
    scrolled away under the pointer)."""
    chosen: list[dict] = []
    for s in sorted(spots, key=lambda s: (not first(s), -s["y"])):
        if all((s["x"] - c["x"]) ** 2 + (s["y"] - c["y"]) ** 2 >= apart ** 2 for c in chosen):
            chosen.append(s)
        if len(chosen) == n:
            break
    return chosen


def test_policymaker_clicks_and_zoom(browser, app_url, demo_dir):
    """At 1440×900 a policymaker clicks five visible sectors on the Kaart, then four spots less
    than a pixel from a border between two sectors; each time the selection beside the map
    names the sector that was drawn under the pointer (with its wijk, the inhabitants written
    the Belgian way and the Wijkfiche button), visible without scrolling, and the page does not
    scroll. Then filtering one wijk in the sidebar zooms the map to it."""
    from cohesie import views
    from cohesie.formatting import formatter
    from cohesie.storage import open_store
    from tests.e2e.conftest import MAP_FRAME

    sectors = dataset.load(open_store(demo_dir)).sectors
    with user_page(browser, app_url) as (page, errors):
        page.goto(app_url + "/")
        wait_for_script(page)
        page.wait_for_selector(MAP_FRAME, timeout=60_000)
        frame = page.query_selector(MAP_FRAME).content_frame()
        frame.wait_for_function("() => document.body.getAttribute('data-cohesie-loaded') === '1' && "
                                "window.cohesie.payload !== null", timeout=60_000)
        page.wait_for_timeout(800)
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["y"] + box["height"] <= 900, f"de kaart loopt onder het scherm door: {box}"
        page.screenshot(path="/tmp/kaart_journey_start.png")

        spots = _spread(frame.evaluate(_SECTOR_SPOTS_JS), 5)
        assert len(spots) == 5, spots
        for spot in spots:  # at a centre the stored geometry and the drawn shape agree
            assert views.sector_at(spot["lat"], spot["lng"], sectors)["code"] == spot["code"], spot
        # near borders: those where the truncated position lies in the other sector first
        borders = frame.evaluate(_BORDER_SPOTS_JS, [box["x"], box["y"]])
        near = _spread(borders, 4, apart=60, first=lambda s: s["old_code"] != s["code"])
        assert len(near) == 4, borders
        by_code = sectors.set_index("code")
        scroll0 = page.evaluate("() => window.scrollY")
        for i, spot in enumerate(spots + near):
            sector = {"code": spot["code"], **by_code.loc[spot["code"]].to_dict()}
            page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
            # the page did not move under the pointer (window or Streamlit's own scroll box)
            assert page.evaluate("() => window.scrollY") == scroll0
            assert page.locator(MAP_FRAME).bounding_box()["y"] == box["y"], "de pagina scrolde bij de klik"
            info = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text=f"({sector['code']})")
            try:
                info.wait_for(timeout=20_000)
            except Exception:
                shown = page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()
                raise AssertionError(f"klik {i + 1} op sector {sector['code']} ({spot}): getoond {shown}") from None
            wait_for_script(page)
            assert page.evaluate("() => window.scrollY") == scroll0
            assert page.locator(MAP_FRAME).bounding_box()["y"] == box["y"], "de pagina scrolde na de klik"
            text = info.inner_text()
            assert sector["naam"] in text and sector["wijk_naam"] in text, (i, text)
            assert f"{formatter('nl').integer(sector['inwoners'])} inwoners" in text, text
            button = page.get_by_role("button", name=f"Open de wijkfiche van {sector['wijk_naam']}")
            for element in (info, button):  # beside the map, visible without scrolling
                b = element.bounding_box()
                assert b and 0 <= b["y"] and b["y"] + b["height"] <= 900, (i, b)
            page.screenshot(path=f"/tmp/kaart_journey_click{i + 1}.png")

        before = frame.evaluate(_MAP_BOUNDS_JS)
        wijk = sectors.drop_duplicates("wijk_code").sort_values("inwoners").iloc[0]  # any wijk will do
        page.get_by_role("combobox", name="Wijken").click()
        page.get_by_role("option", name=f"{wijk['wijk_naam']} ({wijk['wijk_code']})").click()
        page.keyboard.press("Escape")
        frame.wait_for_function("() => window.cohesie.payload.highlight.length === 1", timeout=60_000)
        wait_for_script(page)
        page.wait_for_timeout(800)
        after = frame.evaluate(_MAP_BOUNDS_JS)
        (south, west), (north, east) = views.bounds_latlon(sectors[sectors["wijk_code"] == wijk["wijk_code"]])
        assert after["zoom"] > before["zoom"], (before, after)
        # the whole wijk is on the map, and the map is not much larger than the wijk
        assert after["south"] <= south and after["north"] >= north and after["west"] <= west and after["east"] >= east
        assert min((after["north"] - after["south"]) / (north - south),
                   (after["east"] - after["west"]) / (east - west)) < 2.5, (after, (south, west, north, east))
        page.screenshot(path="/tmp/kaart_journey_zoom.png")
        assert not errors, errors


# -- presenter: the council view at 1920×1080 ------------------------------------------------
def _font_px(locator) -> list[float]:
    """Computed font sizes (CSS px) of every element ``locator`` matches."""
    return [float(s.removesuffix("px")) for s in locator.evaluate_all(
        "els => els.map(e => getComputedStyle(e).fontSize)")]


def test_presenter_council_view(browser, app_url, demo_dir):
    """On a 1920×1080 projector the presenter opens Presentatie: the title comes first (the demo
    notice and the source are a footer below it, on the screen without scrolling), the legend
    and every wijk's name on the map are at least 18 px, a wijk shows its name (no code) with
    the city's value beside each figure, the indicator picker recolours the map, and the back
    link, clicked where it is on the screen, opens the Kaart."""
    from cohesie.storage import open_store
    from tests.e2e.conftest import MAP_FRAME

    sectors = dataset.load(open_store(demo_dir)).sectors
    wijken = sectors.drop_duplicates("wijk_code")
    names = sorted(wijken["wijk_naam"])
    width, height = 1920, 1080

    def on_screen(box) -> bool:
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height

    def map_labels(frame) -> list[str]:
        return frame.locator(".cohesie-area-label").all_inner_texts()

    with user_page(browser, app_url, width=width, height=height) as (page, errors):
        page.goto(app_url + "/presentatie")
        wait_for_script(page)
        page.wait_for_selector(MAP_FRAME, timeout=60_000)
        frame = page.query_selector(MAP_FRAME).content_frame()
        frame.wait_for_function(f"() => document.body.getAttribute('data-cohesie-loaded') === '1' && "
                                f"document.querySelectorAll('.cohesie-area-label').length >= {len(names)}",
                                timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path="/tmp/presenter_city.png")

        # nothing to scroll: title, figures, map, legend and footer are on one screen
        assert page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                             " return m.scrollHeight <= m.clientHeight + 1; }"), "de pagina moet scrollen"
        title = page.locator("h1.cohesie-title")
        assert title.inner_text() == "Heel Demostad"
        title_box = title.bounding_box()
        banner = page.locator('[data-testid="stAlert"]').filter(has_text="Demogegevens")
        banner_box = banner.bounding_box()
        assert banner_box["y"] >= title_box["y"] + title_box["height"], (banner_box, title_box)
        assert on_screen(banner_box), banner_box
        source = page.get_by_text("Bron:", exact=False).first
        assert on_screen(source.bounding_box()), source.bounding_box()
        assert page.get_by_text("gegevensversie", exact=False).first.bounding_box()["y"] > title_box["y"]
        map_box = page.locator(MAP_FRAME).bounding_box()
        assert map_box["height"] >= 600 and map_box["width"] >= 1300 and on_screen(map_box), map_box
        assert banner_box["y"] >= map_box["y"] + map_box["height"]  # a footer, below the map

        legend = page.locator('[role="figure"]')
        rows = legend.locator("span").filter(has_text=re.compile(r"\d"))
        assert rows.count() >= 3
        assert min(_font_px(rows)) >= 18 and min(_font_px(legend.locator("strong"))) >= 18
        assert on_screen(legend.bounding_box())

        assert sorted(map_labels(frame)) == names
        assert min(_font_px(frame.locator(".cohesie-area-label"))) >= 18
        inside = frame.evaluate("""() => [...document.querySelectorAll('.cohesie-area-label')].every(e => {
            const r = e.getBoundingClientRect();
            return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; })""")
        assert inside, "niet elke wijknaam staat binnen de kaart"

        # next: the first wijk by name, its name as title, the city's value beside each figure
        nxt = page.get_by_role("button", name="volgende").bounding_box()
        page.mouse.click(nxt["x"] + nxt["width"] / 2, nxt["y"] + nxt["height"] / 2)
        page.wait_for_function(f"() => document.querySelector('h1.cohesie-title').innerText === {names[0]!r}",
                               timeout=60_000)
        wait_for_script(page)
        page.wait_for_timeout(1000)
        page.screenshot(path="/tmp/presenter_wijk.png")
        assert not any(code in page.locator("h1.cohesie-title").inner_text() + page.locator(
            "p.cohesie-subtitle").inner_text() for code in wijken["wijk_code"])
        deltas = page.locator('[data-testid="stMetricDelta"]').all_inner_texts()
        assert len(deltas) == page.locator('[data-testid="stMetric"]').count() >= 4, deltas
        assert all(re.fullmatch(r"stad: [\d.]+(,\d)?", d.strip()) for d in deltas), deltas
        assert min(_font_px(page.locator('[data-testid="stMetricDelta"] p'))) >= 18
        assert page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                             " return m.scrollHeight <= m.clientHeight + 1; }"), "de wijkpagina moet scrollen"
        assert sorted(map_labels(frame)) == names

        # the indicator picker: a large option, clicked where it is, changes the legend
        option = page.locator('[data-testid="stRadio"] label').filter(has_text="Meubilair per 1000 inwoners")
        box = option.bounding_box()
        assert box["height"] >= 24 and min(_font_px(option.locator("p"))) >= 18
        page.mouse.click(box["x"] + 12, box["y"] + box["height"] / 2)
        legend.locator("strong").filter(has_text="Meubilair per 1000 inwoners").wait_for(timeout=60_000)
        wait_for_script(page)
        assert page.locator("h1.cohesie-title").inner_text() == names[0]  # still the same wijk

        # back to the Kaart by the link at its place on the screen
        back = page.locator('[data-testid="stPageLink"] a').filter(has_text="Terug naar de kaart").bounding_box()
        assert on_screen(back)
        page.mouse.click(back["x"] + back["width"] / 2, back["y"] + back["height"] / 2)
        page.get_by_role("heading", name="Kaart van Demostad").wait_for(timeout=60_000)
        wait_for_script(page)
        page.screenshot(path="/tmp/presenter_back_to_kaart.png")
        assert not errors, errors


# -- policymaker: the Wijkfiche follows the sidebar's wijk and layer filters -----------------
def _click_centre(page, locator) -> None:
    box = locator.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 900, box  # on the screen
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_policymaker_wijkfiche_follows_filter(browser, app_url, demo_dir):
    """At 1440×900 a policymaker types a wijk into the sidebar's Wijken filter on the Kaart,
    opens the Wijkfiche from the navigation and finds the fiche of that wijk (title, picker,
    URL); switching Actoren off in the Lagen filter removes the actors' list and every actors
    row from the fiche's tables, while the fiche stays on the same wijk."""
    from cohesie.storage import open_store

    sectors = dataset.load(open_store(demo_dir)).sectors
    wijk = sectors.drop_duplicates("wijk_code").sort_values("wijk_naam").iloc[-1]  # not the default first
    with user_page(browser, app_url) as (page, errors):
        page.goto(app_url + "/")
        wait_for_script(page)
        _click_centre(page, page.get_by_role("combobox", name="Wijken"))
        page.keyboard.type(wijk["wijk_naam"])
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        wait_for_script(page)

        _click_centre(page, page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Wijkfiche"))
        title = page.get_by_role("heading", name=f"Wijkfiche {wijk['wijk_naam']}", exact=True)
        title.wait_for(timeout=60_000)
        wait_for_script(page)
        assert f"wijk={wijk['wijk_code']}" in page.url, page.url
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Wijk").first
        html = picker.evaluate("e => e.outerHTML")
        assert f"{wijk['wijk_naam']} ({wijk['wijk_code']})" in html, html[:2000]
        page.get_by_role("heading", name=re.compile(r"^Actoren \(\d+\)")).wait_for(timeout=30_000)
        page.screenshot(path="/tmp/wijkfiche_journey_filtered.png")

        # Actoren off: click the cross on its tag in the Lagen filter
        _click_centre(page, page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Remove Actoren"))
        wait_for_script(page)
        page.get_by_role("heading", name=re.compile(r"^Meubilair \(\d+\)")).wait_for(timeout=30_000)
        assert page.get_by_role("heading", name=f"Wijkfiche {wijk['wijk_naam']}", exact=True).is_visible()
        # the click's rerun may not have begun when wait_for_script looked: wait for its result
        expect(page.get_by_role("heading", name=re.compile(r"^Actoren"))).to_have_count(0, timeout=30_000)
        wait_for_script(page)
        # the comparison table's rows (its accessible cells hold what the canvas draws)
        rows_js = """() => Array.from(document.querySelector('[data-testid="stDataFrame"]')
                                      .querySelectorAll('td')).map(c => c.innerText)"""
        try:
            # the table has been drawn again (its rows are there) and holds no actors
            page.wait_for_function(f"() => {{ const c = ({rows_js})(); return c.includes('Meubilair (aantal)') "
                                   f"&& !c.some(t => t.startsWith('Actoren')); }}", timeout=30_000)
        except Exception:
            raise AssertionError(f"de vergelijking toont geen meubilair of nog actoren: {page.evaluate(rows_js)}") from None
        cells = page.evaluate(rows_js)
        assert "Meubilair (aantal)" in cells and "Inwoners" in cells, cells
        comparison = page.locator('[data-testid="stDataFrame"]').first
        comparison.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path="/tmp/wijkfiche_journey_no_actors.png")
        assert not errors, errors


# -- editor: one suggestion makes one proposal; approve and move the same record ---------------
def _editor_click(page, locator) -> None:
    """Scroll ``locator`` into view as a person would and click the middle of it."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_editor_proposes_approves_moves(browser, demo_dir, tmp_path_factory):
    """At 1440×900 editor eva asks for suggestions and clicks "Maak voorstel" twice: one new
    record, and a toast names it. She approves it: the picker stays on that record and its label
    says goedgekeurd at once. She clicks the map and moves it there: the audit log shows that one
    record only, and its history reads "status: voorstel → goedgekeurd"."""
    import shutil

    from cohesie import auth
    from cohesie.storage import open_store
    from tests.e2e.conftest import MAP_FRAME, log_in, running_app, wait_for_script

    data = tmp_path_factory.mktemp("e2e_editor") / "data"
    shutil.copytree(demo_dir, data)
    store = open_store(data)
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    with running_app(browser, data, tmp_path_factory.mktemp("e2e_editor_logs") / "streamlit.log") as url:
        with user_page(browser, url) as (page, errors):
            page.goto(url + "/plaatsing")
            wait_for_script(page)
            log_in(page, "eva", "geheim-123")
            ids_before = set(dataset.load(store).points["id"])
            audit_before = len(store.recent_changes(10_000))

            _editor_click(page, page.get_by_role("button", name="Stel 3 locaties voor"))
            make = page.get_by_role("button", name="Maak voorstel").first
            make.wait_for(timeout=60_000)
            wait_for_script(page)
            make.scroll_into_view_if_needed()
            box = make.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.click(x, y)
            page.mouse.click(x, y)  # the second click of an impatient user, before the rerun
            toast = page.locator('[data-testid="stToast"]').filter(has_text="Voorstel bewaard: Meubilair: Suggestie 1")
            toast.first.wait_for(timeout=60_000)
            page.get_by_text("Voorstel gemaakt:").first.wait_for(timeout=60_000)
            wait_for_script(page)
            page.screenshot(path="/tmp/safe_editing_1_proposed.png")
            page.mouse.click(x, y)  # and once more after it: the button is now disabled
            wait_for_script(page)
            new = sorted(set(dataset.load(store).points["id"]) - ids_before)
            assert len(new) == 1, new
            record = new[0]
            assert record[:8] in toast.first.inner_text()

            picker = page.get_by_role("combobox", name="Record")  # shows the saved record
            picker.scroll_into_view_if_needed()
            assert f"· voorstel · {record[:8]}" in picker.input_value()
            approve = page.get_by_role("button", name="→ goedgekeurd")
            approve.scroll_into_view_if_needed()
            box = approve.bounding_box()
            page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a double click
            wait_for_script(page)
            page.locator('[data-testid="stToast"]').filter(has_text="Status gewijzigd:").first.wait_for(timeout=30_000)
            assert store.get_point("meubilair", record)["status"] == "goedgekeurd"  # not one step further
            wait_for_script(page)  # the toast can show before the run that redraws the buttons ends
            expect(approve).to_be_disabled(timeout=30_000)
            label = picker.input_value()
            assert f"· goedgekeurd · {record[:8]}" in label, label  # same record, new status at once
            assert "(voorstel)" not in label
            page.screenshot(path="/tmp/safe_editing_2_approved.png")

            # move it: click the map (in full view) at a spot inside the municipality
            frame_el = page.locator(MAP_FRAME)
            frame_el.scroll_into_view_if_needed()
            map_frame = page.query_selector(MAP_FRAME).content_frame()
            map_frame.wait_for_function("() => document.body.getAttribute('data-cohesie-loaded') === '1'",
                                        timeout=60_000)
            box = frame_el.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 900, box
            page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
            page.get_by_text("Dichtstbijzijnde gevelbank").wait_for(timeout=60_000)
            wait_for_script(page)
            assert f"· goedgekeurd · {record[:8]}" in picker.input_value()
            _editor_click(page, page.get_by_role("button", name="Verplaats naar de gekozen plek"))
            wait_for_script(page)
            page.locator('[data-testid="stToast"]').filter(has_text="Verplaatst:").first.wait_for(timeout=30_000)
            audit = store.recent_changes(10_000)
            mine = audit.iloc[: len(audit) - audit_before]
            assert list(mine["record_id"].unique()) == [record], mine[["actie", "record_id"]]
            assert sorted(mine["actie"]) == ["aangemaakt", "status", "verplaatst"]

            history = page.locator('[data-testid="stMarkdown"]').filter(has_text="status: voorstel → goedgekeurd")
            history.first.scroll_into_view_if_needed()
            text = history.first.inner_text()
            assert "status: voorstel → goedgekeurd · eva · " in text
            assert "m verplaatst" in text and "aangemaakt als voorstel" in text
            assert "{" not in text
            page.screenshot(path="/tmp/safe_editing_3_moved.png")
            assert not errors, errors
