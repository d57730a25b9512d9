"""The Kaart page with the early warning ("Opvallend") and the hot-spot mode (issue 13), through
Streamlit's AppTest on the demo (which has rises of its own) with one more planted rise: 33
zwerfvuil signals in October 2026 in sector Beukenstraat (99999A02-), where the demo has about 4
a month. ``st_folium`` is replaced
by the fake of tests/test_app.py (AppTest cannot render it)."""

from __future__ import annotations

import json
import re
from html import unescape

import pandas as pd
import pytest
import streamlit_folium
from conftest import REPO
from streamlit.testing.v1 import AppTest
from test_app import FakeFolium, navigation_as_on_a_running_server  # noqa: F401 - the autouse fixture

from cohesie import dataset, hotspots, operations, statmap
from cohesie.storage import open_store

PLANTED_SECTOR, PLANTED = "99999A02-", 33


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("kaart13") / "data"
    operations.build_demo(open_store(d))
    sector = dataset.load(open_store(d)).sectors.set_index("code").loc[PLANTED_SECTOR, "geometry"].representative_point()
    rows = [{"id": f"PLANT{i}", "type": "zwerfvuil", "status": "open", "datum": f"2026-10-{1 + i % 28:02d}",
             "x": sector.x + i, "y": sector.y} for i in range(PLANTED)]
    path = d.parent / "plant.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    operations.import_points(open_store(d), path, layer="signalen", crs=31370)
    return d


@pytest.fixture
def folium(monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    return fake


@pytest.fixture
def kaart(planted_dir, folium, monkeypatch):
    monkeypatch.setenv("COHESIE_DATA_DIR", str(planted_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sent(folium) -> dict:
    """The overlay payload of the last main map the page sent."""
    fg = [c for c in folium.calls if c["key"] == "kaart"][-1]["feature_group_to_add"]
    return json.loads(next(iter(fg._children.values())).payload_js)


def opvallend_table(at) -> pd.DataFrame:
    """The "Opvallend" list as shown: the page's one light HTML table (ui.static_table)."""
    (html_text,) = [str(m.value) for m in at.html if 'class="cohesie-table"' in str(m.value)]
    cells = lambda tag, text: [unescape(c) for c in re.findall(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", text)]
    head = cells("th", html_text)
    rows = [cells("td", r) for r in re.findall(r"<tr>(.*?)</tr>", html_text.split("<tbody>", 1)[1])]
    return pd.DataFrame(rows, columns=head)


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_opvallend_list_marker_and_flag_on_the_kaart(kaart, folium):
    at = kaart
    assert "Opvallend (okt 2026)" in texts(at.subheader)
    assert not at.dataframe  # a light HTML table, no data grid beside the map
    rows = opvallend_table(at)
    # beside the map: how many rows the list has
    assert re.search(rf"\*\*{len(rows)} opvallend in okt 2026\*\*", texts(at.error)), texts(at.error)
    planted = rows[rows["Sector"] == f"Beukenstraat ({PLANTED_SECTOR})"]
    assert list(planted["Categorie"]) == ["zwerfvuil"]
    waargenomen = int(planted["Waargenomen"].iloc[0])
    assert waargenomen >= PLANTED  # the planted signals and the demo's own of that month
    payload = sent(folium)
    assert PLANTED_SECTOR in payload["flagged"] and len(payload["flagged"]) == len(payload["alerts"])
    lines = [line for _, _, ls in payload["alerts"] for line in ls]
    assert any(line.startswith(f"Opvallend: zwerfvuil okt 2026, {waargenomen} waargenomen, ") for line in lines)
    assert "Benjamini-Hochberg" in texts(at.caption)


def test_minimum_excess_and_level_change_the_list(kaart, folium):
    at = kaart
    at.number_input(key="m_min_excess").set_value(40).run()  # the planted rise is about 28 above
    assert not at.exception
    assert "Niets opvallend in okt 2026 (per sector)." in texts(at.info)
    assert sent(folium)["alerts"] == [] and sent(folium)["flagged"] == []
    at.number_input(key="m_min_excess").set_value(5).run()
    at.radio(key="m_level").set_value("wijk").run()
    assert not at.exception
    wijken = list(opvallend_table(at)["Wijk"])
    assert wijken and all(re.fullmatch(r".+ \(99999[A-Z]\d\)", w) for w in wijken)  # wijk codes, not sectors
    assert sent(folium)["level"] == "wijk" and len(sent(folium)["flagged"]) == len(set(wijken))
    # the minimum survives a switch of language (one widget per language, the value kept)
    at.number_input(key="m_min_excess").set_value(1000).run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Nothing notable in Oct 2026 (per neighbourhood)." in texts(at.info)
    assert at.number_input(key="m_min_excess_en").value == 1000


def test_hot_spot_mode_on_the_kaart(kaart, folium):
    at = kaart
    at.selectbox(key="m_mode").select(statmap.MODE_HOTSPOTS).run()
    assert not at.exception, [e.value for e in at.exception]
    legend = texts([*at.markdown, *at.html])
    assert "Hot spots van signalen per 1000 inwoners" in legend
    for label in ("hot spot 99 %", "hot spot 95 %", "niet significant", "cold spot"):
        assert label + " (" in legend
    assert any(c.value.startswith("Getis-Ord Gi*") for c in at.caption)
    payload = sent(folium)
    assert payload["level"] == "sector" and payload["circles"] == []
    shown = {payload["palette"][i] for i, _ in payload["styles"].values()}
    assert shown <= set(statmap.HOTSPOT_COLOURS.values())
    assert statmap.HOTSPOT_COLOURS[hotspots.NOT_SIGNIFICANT] in shown
    assert at.selectbox(key="m_indicator").disabled and at.radio(key="m_level").disabled
    # the flag stays on the map in this mode too
    assert PLANTED_SECTOR in payload["flagged"]
    # and it speaks English
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Hot spots of signals per 1000 inhabitants" in texts([*at.markdown, *at.html])
    assert "hot spot 99% (" in texts([*at.markdown, *at.html])
