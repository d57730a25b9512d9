"""The Presentatie view model (:mod:`cohesie.presentation`) and its map labels, on three wijken
built in code whose every figure can be checked by hand.

Wijk (code)            sectors  inwoners  meubilair geplaatst / voorgesteld  signalen
Kerkhoek (11111A0)     2        2500      2 / 2 (+1 verwijderd)              26
Beekveld (11111B0)     1        2000      1 / 0                              10
Aardenburg (11111C0)   1         500      0 / 0                               3
city                            5000      3 / 2                              39 → 7,8 per 1000

Aardenburg's 3 signals are a small count ("< 5"); Beekveld's 10 are hidden with it, since the
city total is published and would give Aardenburg's count away.
"""

from __future__ import annotations

import json
import math
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from cohesie import maps, presentation, views
from cohesie.classify import HIDDEN_COLOUR
from cohesie.indicators import Filters
from cohesie.dataset import Dataset
from cohesie.storage import POINT_COLUMNS

X0, Y0 = 150_000, 190_000
A, B, C = "11111A0", "11111B0", "11111C0"
NAMES = {A: "Kerkhoek", B: "Beekveld", C: "Aardenburg"}


def _sectors() -> gpd.GeoDataFrame:
    rows = [("11111A00-", "Noord", A, 1000, 0), ("11111A01-", "Midden", A, 1500, 1),
            ("11111B00-", "Zuid", B, 2000, 2), ("11111C00-", "Oost", C, 500, 3)]
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows], "naam": [r[1] for r in rows],
         "deelgemeente": "11111A", "deelgemeente_naam": "Stad", "nis": "11111", "gemeente_naam": "Proefstad",
         "wijk_code": [r[2] for r in rows], "wijk_naam": [NAMES[r[2]] for r in rows],
         "inwoners": [r[3] for r in rows]},
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for *_, i in rows], crs=31370)


def _points(sectors: gpd.GeoDataFrame) -> pd.DataFrame:
    sector_of = {w: sectors.loc[sectors["wijk_code"] == w, "code"].iloc[0] for w in NAMES}
    rows = []

    def add(layer, wijk, status, n=1, kind="gevelbank"):
        for _ in range(n):
            rows.append({"layer": layer, "id": f"{layer}{len(rows)}", "naam": f"r{len(rows)}", "type": kind,
                         "status": status, "datum": pd.Timestamp("2024-03-01"), "wijk_code": wijk,
                         "sector": sector_of[wijk]})

    add("meubilair", A, "geplaatst", 2)
    add("meubilair", A, "voorstel")
    add("meubilair", A, "goedgekeurd")
    add("meubilair", A, "verwijderd")
    add("meubilair", B, "geplaatst")
    add("signalen", A, "open", 26, kind="zwerfvuil")
    add("signalen", B, "open", 10, kind="zwerfvuil")
    add("signalen", C, "open", 3, kind="zwerfvuil")
    frame = pd.DataFrame(rows).reindex(columns=list(POINT_COLUMNS))
    frame["einddatum"] = pd.NaT
    return frame


@pytest.fixture(scope="module")
def data() -> Dataset:
    sectors = _sectors()
    return Dataset(sectors=sectors, points=_points(sectors), acties=pd.DataFrame(),
                   meta={"gemeente": "Proefstad", "nis": "11111", "is_demo": "1",
                         "bron_sectoren": "Statbel 2024", "bevolking_jaar": "2024"},
                   imports=pd.DataFrame())


@pytest.fixture(scope="module")
def areas(data):
    return views.area_frames(data.sectors)


def figures(view) -> dict:
    return {f.key: f for f in view.figures}


def all_texts(view) -> str:
    """Every text of the view model a person can see."""
    parts = [view.title, view.subtitle, view.source, view.note, view.legend_title]
    parts += [f"{f.label} {f.value} {f.city}" for f in view.figures]
    parts += [text for _, text in view.legend]
    parts += [text for _, text in view.styles.values()]
    parts += [label.name for label in view.labels]
    return "\n".join(parts)


def test_title_is_the_wijk_name_without_its_code(data, areas):
    view = presentation.presentation(data, areas, wijk=A)
    assert view.title == "Kerkhoek"
    assert A not in view.title and A not in view.subtitle
    assert view.subtitle == "wijk 3 van 3 in Proefstad"  # Aardenburg, Beekveld, Kerkhoek
    city = presentation.presentation(data, areas, wijk=None)
    assert city.title == "Heel Proefstad"
    assert city.subtitle == "3 wijken, 5.000 inwoners"
    assert presentation.presentation(data, areas, wijk="99999Z9").title == "Heel Proefstad"


def test_each_figure_of_a_wijk_has_the_city_value_beside_it(data, areas):
    shown = figures(presentation.presentation(data, areas, wijk=A, admin=True))
    assert (shown["inwoners"].value, shown["inwoners"].city) == ("2.500", "stad: 5.000")
    # placed furniture only; proposals (voorstel + goedgekeurd) are their own figure
    assert (shown["meubilair"].label, shown["meubilair"].value, shown["meubilair"].city) == (
        "Meubilair geplaatst", "2", "stad: 3")
    assert (shown["meubilair_voorstel"].value, shown["meubilair_voorstel"].city) == ("2", "stad: 2")
    # 26 / 2500 * 1000 = 10,4 and the city's 39 / 5000 * 1000 = 7,8 (from totals, not a mean)
    assert (shown["signalen_per_1000"].value, shown["signalen_per_1000"].city) == ("10,4", "stad: 7,8")
    city = figures(presentation.presentation(data, areas, wijk=None))
    assert city["inwoners"].value == "5.000" and city["inwoners"].city == ""
    assert city["meubilair"].value == "3"


def test_english_numbers_and_words(data, areas):
    view = presentation.presentation(data, areas, wijk=A, admin=True, lang="en")
    shown = figures(view)
    assert (shown["inwoners"].value, shown["inwoners"].city) == ("2,500", "city: 5,000")
    assert (shown["signalen_per_1000"].value, shown["signalen_per_1000"].city) == ("10.4", "city: 7.8")
    assert shown["meubilair"].label == "Street furniture placed"
    assert view.subtitle == "neighbourhood 3 of 3 in Proefstad"
    assert view.indicator_label == "Signals per 1000 inhabitants"
    assert all("," not in text.split("(")[0] for _, text in view.legend)  # 6.0 – 10.4 (1 area)
    assert any("." in text for _, text in view.legend)
    dutch = presentation.presentation(data, areas, wijk=A, admin=True)
    assert all("," in text for _, text in dutch.legend)


def test_a_label_for_every_wijk_inside_it_and_the_shown_one_marked(data, areas):
    view = presentation.presentation(data, areas, wijk=B)
    assert sorted(label.name for label in view.labels) == sorted(NAMES.values())
    shapes = areas["wijk"].to_crs(4326).set_index("naam").geometry
    for label in view.labels:
        assert shapes[label.name].contains(Point(label.lon, label.lat)), label
    assert [label.name for label in view.labels if label.selected] == ["Beekveld"]
    assert not any(label.selected for label in presentation.presentation(data, areas).labels)


def test_small_signal_counts_are_hidden_for_non_admins(data, areas):
    view = presentation.presentation(data, areas, wijk=C, indicator="signalen_per_1000")
    assert figures(view)["signalen_per_1000"].value == "verborgen (< 5)"
    assert view.styles[C][0] == HIDDEN_COLOUR and view.styles[B][0] == HIDDEN_COLOUR
    assert view.styles[A][0] != HIDDEN_COLOUR
    texts = all_texts(view)
    # Aardenburg 3 / 500 * 1000 = 6,0 and Beekveld 10 / 2000 * 1000 = 5,0 appear nowhere
    assert "6,0" not in texts and "5,0" not in texts
    assert (HIDDEN_COLOUR, "verborgen (< 5) (2 gebieden)") in view.legend
    # the hidden wijken are in no class (a class count would tell their range) and not "no data"
    assert [text for _, text in view.legend if _ != HIDDEN_COLOUR] == ["10,4 (1 gebied)"]
    assert view.note
    admin = presentation.presentation(data, areas, wijk=C, indicator="signalen_per_1000", admin=True)
    assert figures(admin)["signalen_per_1000"].value == "6,0"
    assert HIDDEN_COLOUR not in {colour for colour, _ in admin.styles.values()}
    assert "verborgen" not in all_texts(admin) and not admin.note


def test_other_indicators_are_not_hidden(data, areas):
    view = presentation.presentation(data, areas, indicator="meubilair_per_1000")
    assert HIDDEN_COLOUR not in {colour for colour, _ in view.styles.values()}
    assert view.legend_title == "Meubilair per 1000 inwoners"
    # 2 / 2500, 1 / 2000 and 0 / 500 per 1000: three classes, one wijk each
    assert [text.split(" (")[1] for _, text in view.legend] == ["1 gebied)"] * 3


def test_indicator_offer_is_small_and_unknown_ones_fall_back(data, areas):
    assert 3 <= len(presentation.indicator_options()) <= 6
    view = presentation.presentation(data, areas, indicator="dekking_gevelbank_pct")
    assert view.indicator == presentation.DEFAULT_INDICATOR
    assert list(view.indicator_options) == list(presentation.INDICATORS)


def test_steps_go_through_the_wijken_by_name_and_honour_the_wijk_filter(data, areas):
    assert presentation.presentation(data, areas).steps == (None, C, B, A)
    view = presentation.presentation(data, areas, wijk=B, filters=Filters(wijken=(A, B)))
    assert view.steps == (None, B, A)
    assert figures(view)["inwoners"].city == "stad: 5.000"  # the city stays the whole city
    assert view.subtitle == "wijk 1 van 2 in Proefstad"
    outside = presentation.presentation(data, areas, wijk=C, filters=Filters(wijken=(A, B)))
    assert outside.wijk is None and outside.title == "Heel Proefstad"


def test_counts_callable_is_used_with_the_filters_but_all_wijken(data, areas):
    asked = []

    def counts(level, filters):
        asked.append((level, filters.wijken, filters.layers))
        from cohesie.indicators import area_counts

        return area_counts(data.sectors, data.points, level, filters)

    presentation.presentation(data, areas, counts=counts, filters=Filters(layers=("signalen",), wijken=(A,)))
    assert asked == [("wijk", (), ("signalen",))]


def test_view_fits_the_shown_area_into_the_map(data, areas):
    city = presentation.presentation(data, areas)
    one = presentation.presentation(data, areas, wijk=C)
    assert one.zoom > city.zoom
    assert city.zoom % presentation.ZOOM_STEP == 0
    # the city is 4 km wide: at the chosen zoom it fits the map width, one step more it does not
    width_px = presentation.MAP_SIZE[0]
    metres = 156543.03 * math.cos(math.radians(city.center[0]))
    assert 4000 / (metres / 2 ** city.zoom) <= width_px
    assert 4000 / (metres / 2 ** (city.zoom + presentation.ZOOM_STEP)) > width_px * 0.92
    lat, lon = one.center
    assert areas["wijk"].to_crs(4326).set_index("code").geometry[C].contains(Point(lon, lat))


def test_footer_source_line(data, areas):
    view = presentation.presentation(data, areas, filters_text="periode 01/01/2024 – 31/12/2024")
    assert view.source == "Bron: Statbel 2024, bevolking 2024 · filters: periode 01/01/2024 – 31/12/2024"
    assert view.is_demo
    assert presentation.presentation(data, areas, lang="en").source.endswith("filters: no filters")


def test_area_labels_are_escaped_readable_and_do_not_take_the_pointer():
    fg = folium.FeatureGroup()
    maps.area_labels(fg, [(51.0, 4.0, "Kerk<b>hoek</b>`${alert(1)}`"), (51.1, 4.1, "Beekveld", True)], font_px=18)
    m = folium.Map()
    fg.add_to(m)
    script = m.get_root().render()
    icons = [json.loads(text) for text in re.findall(r'"html": ("(?:[^"\\]|\\.)*")', script)]
    assert len(icons) == 2
    first, second = icons
    assert "Kerk&lt;b&gt;hoek&lt;/b&gt;&#96;&#36;{alert(1)}&#96;</span>" in first
    assert "<b>" not in first and "${" not in first
    assert "font:600 18px" in first and "pointer-events:none" in first
    assert "font:800 22px" in second and ">Beekveld</span>" in second  # the selected one is larger
    assert script.count('"interactive": false') == 2


def test_names_of_neighbouring_wijken_do_not_overlap_when_there_is_room():
    # two strips 300 m wide and 3 km tall side by side: at zoom 13 (about 12 m per pixel) a
    # name of 10 characters at 20 px is about 124 px ≈ 1.5 km wide, so the two middles collide
    frame = gpd.GeoDataFrame({"naam": ["Westerwijk", "Oosterwijk"]},
                             geometry=[box(X0, Y0, X0 + 300, Y0 + 3000), box(X0 + 300, Y0, X0 + 600, Y0 + 3000)],
                             crs=31370)
    lon, lat = presentation.label_points(frame, zoom=13, font_px=20)
    shapes = frame.to_crs(4326).geometry
    assert all(shapes[i].contains(Point(lon[i], lat[i])) for i in range(2))
    metres_per_px = 156543.03 * math.cos(math.radians(lat[0])) / 2 ** 13
    back = gpd.GeoSeries.from_xy(lon, lat, crs=4326).to_crs(31370)
    apart_px = abs(back.y[0] - back.y[1]) / metres_per_px
    assert apart_px >= 1.3 * 20, apart_px  # one name moved above or below the other
    # with room enough (zoomed in) neither moves: both on the middle line of their strip, level
    lon, lat = presentation.label_points(frame, zoom=17, font_px=20)
    back = gpd.GeoSeries.from_xy(lon, lat, crs=4326).to_crs(31370)
    assert back.x.round().tolist() == [X0 + 150, X0 + 450]
    assert round(back.y[0]) == round(back.y[1])
