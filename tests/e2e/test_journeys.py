"""Journeys through the dashboard in Chromium, one test per role, done as a person would:
clicks and key presses at screen coordinates, checks on what the screen shows."""

from __future__ import annotations

import re

from tests.e2e.conftest import wait_for_script


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
    from cohesie.storage import Store
    from tests.e2e.conftest import MAP_FRAME

    sectors = Store(demo_dir).load().sectors
    wijken = sectors.drop_duplicates("wijk_code")
    names = sorted(wijken["wijk_naam"])
    width, height = 1920, 1080
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(app_url) else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_screen(box) -> bool:
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height

    def map_labels(frame) -> list[str]:
        return frame.locator(".cohesie-area-label").all_inner_texts()

    try:
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
    finally:
        context.close()
