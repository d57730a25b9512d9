"""The Kaart's early warning and hot-spot mode (issue 13) in Chromium: the "!" marker of a planted
rise shows its tooltip on hover, the flagged sector is outlined in red, and the hot-spot mode
colours the sectors by class with the flag still on the map."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from tests.e2e.conftest import REPO, running_app, wait_for_script
from cohesie import dataset

PLANTED_SECTOR = "99999A02-"
ALERT_RED = "#d7191c"
HOT_COLOURS = {"#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#d9d9d9", "#bdbdbd"}


@pytest.fixture(scope="module")
def planted_url(browser, tmp_path_factory):
    """The demo plus 33 zwerfvuil signals in October 2026 in one sector, loaded with the
    command line as a user would; the app running on it."""
    d = tmp_path_factory.mktemp("e2e_kaart13")
    run = dict(cwd=REPO, check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(d), "demo"], **run)
    from cohesie.storage import open_store

    p = dataset.load(open_store(d)).sectors.set_index("code").loc[PLANTED_SECTOR, "geometry"].representative_point()
    csv = d.parent / "plant13.csv"
    pd.DataFrame([{"id": f"PLANT{i}", "type": "zwerfvuil", "status": "open", "datum": f"2026-10-{1 + i % 28:02d}",
                   "x": p.x + i, "y": p.y} for i in range(33)]).to_csv(csv, index=False)
    subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(d), "import-points", str(csv),
                    "--layer", "signalen", "--crs", "31370"], **run)
    with running_app(browser, d, tmp_path_factory.mktemp("e2e_kaart13_logs") / "streamlit.log") as url:
        yield url


STROKE_JS = """(code) => { let out = null;
  window.cohesie.layers.sector.eachLayer(l => { if (l.feature.properties.code === code) { out = l.options.color; } });
  return out; }"""


def test_alert_marker_tooltip_outline_and_hot_spot_mode(browser, planted_url):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(planted_url + "/")
    wait_for_script(page, timeout=180_000)
    box = page.get_by_text(re.compile(r"\d+ opvallend in okt 2026"))
    box.wait_for(timeout=60_000)
    n = int(box.inner_text().split()[0])
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    markers = frame.locator(".cohesie-alert")
    markers.first.wait_for(timeout=60_000)
    assert markers.count() == n  # one marker per flagged sector (the demo has rises of its own)
    handle = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    # hover the marker of the planted sector: its tooltip says why
    where = handle.evaluate("""(code) => { const C = window.cohesie; let p = null;
        C.layers.sector.eachLayer(l => { if (l.feature.properties.code === code) { p = l; } });
        const a = C.payload.alerts.find(a => p.getBounds().contains([a[0], a[1]]));
        const pt = C.map.latLngToContainerPoint([a[0], a[1]]); return [pt.x, pt.y]; }""", PLANTED_SECTOR)
    box_ = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.move(box_["x"] + where[0], box_["y"] + where[1])
    tip = frame.locator(".leaflet-tooltip").filter(has_text="Beukenstraat")
    tip.wait_for(timeout=10_000)
    text = tip.inner_text()
    assert "Opvallend: zwerfvuil okt 2026" in text and "waargenomen" in text and "verwacht" in text, text
    assert handle.evaluate(STROKE_JS, PLANTED_SECTOR) == ALERT_RED

    # the hot-spot mode: sectors coloured by class, the flag still there
    page.get_by_role("combobox", name="Weergave").click()
    page.get_by_role("option", name="Hot spots").click()
    wait_for_script(page, timeout=180_000)
    page.get_by_text("hot spot 99 %", exact=False).first.wait_for(timeout=60_000)
    handle.wait_for_function("() => window.cohesie.payload && window.cohesie.payload.circles.length === 0",
                             timeout=60_000)
    palette = set(handle.evaluate("() => window.cohesie.payload.palette"))
    assert palette <= HOT_COLOURS, palette
    assert handle.evaluate(STROKE_JS, PLANTED_SECTOR) == ALERT_RED
    assert frame.locator(".cohesie-alert").count() == n
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    page.close()
