"""The Kaart's view model (cohesie.mapview) on the demo, without Streamlit; its PNG and map."""

from __future__ import annotations

import html
import json
import math
import re

import pandas as pd
import pytest

from cohesie import counting, dataset, exports, maps, mapview, operations, spatial, views
from cohesie.classify import HIDDEN_COLOUR
from cohesie.formatting import formatter
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.storage import open_store

ALL = Filters(layers=tuple(LAYERS))
# one week of signals: many sectors have 1-4 of them, so suppression has work to do
ONE_WEEK = Filters(layers=tuple(LAYERS), start=pd.Timestamp("2025-03-01"), end=pd.Timestamp("2025-03-07 23:59"))
NL_NUMBER = r"\d{1,3}(?:\.\d{3})*(?:,\d+)?"
EN_NUMBER = r"\d{1,3}(?:,\d{3})*(?:\.\d+)?"


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    """The demo as the dashboard loads it (:class:`cohesie.ui.Loaded`)."""
    from cohesie.ui import Loaded

    d = tmp_path_factory.mktemp("mapview") / "data"
    operations.build_demo(open_store(d))
    data = dataset.load(open_store(d))
    frames = views.area_frames(data.sectors)
    return Loaded(data, frames, {}, views.bounds_latlon(data.sectors),
                  index=counting.PointIndex(data.points, data.sectors),
                  centroids={level: spatial.centroids_lonlat(f) for level, f in frames.items()})


def view(current, filters=ALL, *, indicator="signalen_per_1000", level="sector", method="quantiles",
         admin=False, lang="nl"):
    return mapview.map_view(current, filters, indicator=indicator, level=level, method=method, admin=admin,
                            lang=lang, year=2026)


@pytest.mark.parametrize("level", ["sector", "wijk"])
@pytest.mark.parametrize("method", ["quantiles", "equal_interval", "natural_breaks"])
def test_legend_has_no_empty_classes_and_counts_every_area(current, level, method):
    v = view(current, level=level, method=method)
    counts = [int(re.search(r"\((\d+) gebied(en)?\)$", text).group(1)) for _, text in v.legend]
    assert all(n > 0 for n in counts), v.legend
    assert sum(counts) == len(current.areas[level])
    for _, text in v.legend:  # never a zero-width class such as "597,7 – 597,7"
        bounds = re.findall(NL_NUMBER, text.split(" (")[0])
        assert len(bounds) in (1, 2) and (len(bounds) == 1 or bounds[0] != bounds[1]), text


def test_tooltips_legend_and_figures_are_belgian_in_dutch_and_english_in_english(current):
    nl, en = view(current, lang="nl"), view(current, lang="en")
    code = next(c for c, (_, tip) in nl.styles.items() if re.search(r"\d\.\d{3},\d$", tip))  # above 1000
    assert re.search(r"\d\.\d{3},\d$", nl.styles[code][1])
    assert re.search(r"\d,\d{3}\.\d$", en.styles[code][1])
    assert nl.styles[code][1].split()[-1].replace(".", "").replace(",", ".") == en.styles[code][1].split()[-1].replace(",", "")
    assert all(re.fullmatch(rf"{NL_NUMBER} – {NL_NUMBER} \(\d+ gebied(en)?\)", t) for _, t in nl.legend), nl.legend
    assert all(re.fullmatch(rf"{EN_NUMBER} – {EN_NUMBER} \(\d+ areas?\)", t) for _, t in en.legend), en.legend
    figures = {key: text for key, _, text in nl.figures}
    assert figures["inwoners"] == formatter("nl").integer(current.data.sectors["inwoners"].sum())
    assert "." in figures["inwoners"] and "." in figures["signalen"]  # 88.000, 100.000
    assert {key: text for key, _, text in en.figures}["signalen"].count(",") == 1


def test_proposed_furniture_is_a_figure_of_its_own(current):
    v = view(current)
    labels = {key: label for key, label, _ in v.figures}
    assert labels.get("meubilair_voorstel") == "Voorstellen meubilair"
    assert list(labels)[:2] == ["inwoners", "wijken"]
    without = view(current, Filters(layers=("projecten",)))
    assert "meubilair_voorstel" not in {key for key, _, _ in without.figures}


def test_signals_suppressed_for_non_admins_and_not_for_admins(current):
    viewer, admin = view(current, ONE_WEEK), view(current, ONE_WEEK, admin=True)
    hidden = viewer.areas.loc[viewer.areas["hidden"], "code"].tolist()
    assert viewer.hidden_areas == len(hidden) > 0
    for code in hidden:
        colour, tip = viewer.styles[code]
        assert colour == HIDDEN_COLOUR and tip.endswith(("< 5", "verborgen")), tip
    assert viewer.legend[-1][0] == HIDDEN_COLOUR
    assert viewer.legend[-1][1] == f"verborgen (< 5) ({len(hidden)} gebieden)"
    # the classes hold the shown areas only, so no class bound is a hidden area's rate
    shown_counts = [int(re.search(r"\((\d+) gebied", t).group(1)) for c, t in viewer.legend if c != HIDDEN_COLOUR]
    assert sum(shown_counts) + len(hidden) == len(current.areas["sector"])
    circles = viewer.circles.set_index("code")
    small = circles.loc[circles.index.isin(hidden)]
    assert len(small) and small["signalen"].isna().all() and (small["radius"] == mapview.MIN_RADIUS).all()
    assert set(small["label"]) <= {"< 5", "verborgen"}
    # nothing of the real count reaches the browser: not in the text, not in the size
    real = admin.circles.set_index("code").loc[small.index, "signalen"]
    fg = maps.overlay(level="sector", styles=viewer.styles, highlight=[], points=viewer.points.head(0),
                      signal_counts=viewer.circles, signal_word="signalen")
    sent = json.loads(next(iter(fg._children.values())).payload_js)["circles"]  # [lat, lon, radius, text]
    assert len(sent) == len(viewer.circles)  # in the same order
    for (_, _, radius, text), code, name in zip(sent, viewer.circles["code"], viewer.circles["naam"]):
        if code in small.index:
            text = html.unescape(text)
            assert text in (f"{name}: < 5 signalen", f"{name}: verborgen signalen"), text
            assert str(int(real[code])) not in text and radius == mapview.MIN_RADIUS

    assert admin.hidden_areas == 0 and not admin.areas["hidden"].any()
    assert all(colour != HIDDEN_COLOUR for colour, _ in admin.legend)
    assert admin.circles["signalen"].notna().all()
    assert (admin.circles["label"] == [formatter("nl").integer(n) for n in admin.circles["signalen"]]).all()


def test_filtered_wijk_gives_a_view_centred_on_it_that_fits_it(current):
    sectors = current.data.sectors
    whole = view(current)
    for wijk in sectors["wijk_code"].unique()[:4]:
        v = view(current, Filters(layers=tuple(LAYERS), wijken=(wijk,)))
        (south, west), (north, east) = views.bounds_latlon(sectors[sectors["wijk_code"] == wijk])
        lat, lon = v.center
        assert south <= lat <= north and west <= lon <= east
        assert v.zoom > whole.zoom and v.bounds == [[south, west], [north, east]]
        assert v.highlight == [wijk]
    (south, west), (north, east) = current.bounds
    assert south <= whole.center[0] <= north and west <= whole.center[1] <= east


def test_fit_view_picks_the_largest_zoom_that_fits():
    # around the equator 2° of longitude and latitude are ~1.42 px at zoom 0 (256 px = 360°)
    assert mapview.fit_view([[-1, -1], [1, 1]], width=720, height=470) == {"center": [0.0, 0.0], "zoom": 8}
    # the Kaart at zoom 12 for a city 8 km across at 51° N: it fits 470 px and not at 13
    v = mapview.fit_view([[51.05, 4.0], [51.12, 4.12]])
    px_at = lambda z: (0.12 / 360 * 256 * 2 ** z,  # noqa: E731
                       (math.asinh(math.tan(math.radians(51.12))) - math.asinh(math.tan(math.radians(51.05))))
                       / (2 * math.pi) * 256 * 2 ** z)
    w, h = px_at(v["zoom"])
    assert w <= 0.9 * mapview.MAP_WIDTH and h <= 0.9 * mapview.MAP_HEIGHT
    w1, h1 = px_at(v["zoom"] + 1)
    assert w1 > 0.9 * mapview.MAP_WIDTH or h1 > 0.9 * mapview.MAP_HEIGHT


def test_png_draws_the_same_view_with_wijk_names(current):
    from PIL import Image
    import io

    v = view(current, ONE_WEEK)
    seen = {}

    def inspect(fig):
        ax = fig.axes[0]
        legend = ax.get_legend()
        seen["legend"] = [t.get_text() for t in legend.get_texts()]
        seen["colours"] = [tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in legend.get_patches()]
        seen["title"] = legend.get_title().get_text()
        seen["texts"] = {t.get_text() for t in ax.texts}
        seen["heading"] = ax.get_title(loc="left")

    png = exports.map_png(v, dpi=60, inspect=inspect)
    assert Image.open(io.BytesIO(png)).format == "PNG"
    assert seen["legend"] == [text for _, text in v.legend]
    from matplotlib.colors import to_rgb

    assert seen["colours"] == [tuple(round(c, 3) for c in to_rgb(colour)) for colour, _ in v.legend]
    assert seen["title"] == v.indicator_label and seen["heading"] == v.header[0]
    assert set(current.areas["wijk"]["naam"]) <= seen["texts"]  # wijk names on the map
    assert any(t.endswith(" km") or t.endswith(" m") for t in seen["texts"])  # metric scale bar

    wijk = current.areas["wijk"].iloc[3]
    one = view(current, Filters(layers=tuple(LAYERS), wijken=(wijk["code"],)))
    exports.map_png(one, dpi=40, inspect=inspect)
    assert seen["legend"] == [text for _, text in one.legend]
    assert wijk["naam"] in seen["texts"] and not (set(current.areas["wijk"]["naam"]) - {wijk["naam"]}) & seen["texts"]
    assert set(one.areas["code"]) == set(current.data.sectors.loc[current.data.sectors["wijk_code"] == wijk["code"], "code"])


def test_selection_is_the_sector_under_the_click(current):
    sectors = current.data.sectors
    one = sectors.iloc[[7]]
    where = spatial.centroids_lonlat(one)
    s = mapview.selection_at(sectors, float(where["lat"].iloc[0]), float(where["lon"].iloc[0]))
    row = one.iloc[0]
    assert (s.sector_code, s.wijk_code, s.inhabitants) == (row["code"], row["wijk_code"], int(row["inwoners"]))
    assert f"{formatter('nl').integer(row['inwoners'])} inwoners" in s.text
    assert s.button == f"Open de wijkfiche van {row['wijk_naam']}"
    assert mapview.selection_at(sectors, 50.0, 3.0) is None
    w = mapview.selection_of_wijk(sectors, row["wijk_code"], lang="en")
    assert w.inhabitants == int(sectors.loc[sectors["wijk_code"] == row["wijk_code"], "inwoners"].sum())
    assert w.text.startswith("Selected: neighbourhood")


def test_the_sector_drawn_under_the_pointer_decides_the_selection(current):
    """The browser names the sector it drew under the pointer (maps.clicked_sector): near a
    border the click's point can lie in the neighbour's stored geometry, and the drawn one wins;
    '' (nothing drawn there) selects nothing; without a name, or an unknown one, the point decides."""
    sectors = current.data.sectors
    here, other = sectors.iloc[7], sectors.iloc[20]
    where = spatial.centroids_lonlat(sectors.iloc[[7]])
    lat, lng = float(where["lat"].iloc[0]), float(where["lon"].iloc[0])
    assert mapview.selection_at(sectors, lat, lng, under_pointer=other["code"]).sector_code == other["code"]
    assert mapview.selection_at(sectors, lat, lng, under_pointer="") is None
    assert mapview.selection_at(sectors, lat, lng, under_pointer=None).sector_code == here["code"]
    assert mapview.selection_at(sectors, lat, lng, under_pointer="00000X00-").sector_code == here["code"]
    assert mapview.selection_at(sectors, 50.0, 3.0, under_pointer=other["code"]).sector_code == other["code"]


def test_clicked_sector_reads_the_value_the_base_map_sends():
    assert maps.clicked_sector({maps.CLICKED_SECTOR: "12025A00-", "last_clicked": None}) == "12025A00-"
    assert maps.clicked_sector({maps.CLICKED_SECTOR: ""}) == ""
    assert maps.clicked_sector({maps.CLICKED_SECTOR: None}) is None
    assert maps.clicked_sector(None) is None
    assert maps.clicked_sector({}) is None


def test_base_map_does_not_take_keyboard_focus_and_has_a_metric_scale(current):
    m = maps.base_map(bounds=current.bounds, sectors_url="/s.geojson", wijken_url="/w.geojson",
                      assets={"js": [], "css": []}, tiles=maps.NO_TILES, height=mapview.MAP_HEIGHT)
    html = m.get_root().render()
    assert re.search(r'"keyboard":\s*false', html)  # focusing the map scrolled the page (issue 10)
    assert "L.control.scale({imperial: false, metric: true})" in html
    assert "L.control.scale()" not in html  # folium's own adds miles and feet


def test_per_version_statics_give_the_same_bounds_labels_and_flags_as_computing_them_per_rerun(current):
    """mapview.MapStatics (kept per data version by the app) against the per-rerun computation
    it replaced: bounds of the filtered wijken, wijk label points, late pleinmakers."""
    statics = mapview.map_statics(current.data, current.areas)
    sectors = current.data.sectors
    wijken = sorted(sectors["wijk_code"].dropna().astype(str).unique())
    for chosen in [(), (wijken[0],), tuple(wijken[1:4]), tuple(wijken)]:
        in_view = sectors[sectors["wijk_code"].isin(chosen)] if chosen else sectors
        assert mapview._bounds_of(statics, chosen) == views.bounds_latlon(in_view)
    assert mapview._bounds_of(statics, ("geen-wijk",)) is None
    where = current.areas["wijk"].geometry.representative_point()
    assert statics.wijk_labels["x"].tolist() == where.x.tolist()
    assert statics.wijk_labels["naam"].tolist() == current.areas["wijk"]["naam"].tolist()
    from cohesie import indicators

    late = set(indicators.pleinmakers_without_action(current.index.of_layer("pleinmakers"), current.data.acties,
                                                     year=2026)["id"])
    assert mapview._late_pleinmakers(current, statics, 2026) == late


def test_early_warning_with_cells_kept_per_version_equals_the_one_computed_per_filter_set(current):
    """ui keeps statmap.warning_cells per data version: passed in, the rows and markers are the
    ones early_warning computes itself, for sectors and wijken, admin or not, whatever wijken."""
    from cohesie import statmap, surveillance

    wijken = sorted(current.data.sectors["wijk_code"].dropna().astype(str).unique())
    shown = 0
    for level in ("sector", "wijk"):
        result = surveillance.alerts(current.index, current.data.sectors, level=level, per="month",
                                     settings=surveillance.AlertSettings(min_excess=0.0))
        for admin in (False, True):
            cells = statmap.warning_cells(result, current.data.sectors, level=level, admin=admin)
            asked = []
            for filters in (ALL, Filters(wijken=(wijken[0],)), Filters(wijken=tuple(wijken[:3]))):
                kw = dict(level=level, per="month", min_excess=0.0, admin=admin, lang="nl")
                a = mapview.early_warning_of(current, filters, lambda lv, p: result, **kw)
                b = mapview.early_warning_of(current, filters, lambda lv, p: result, **kw,
                                             cells_of=lambda lv, p: asked.append((lv, p)) or cells)
                assert asked[-1] == (level, "month")
                assert a.summary == b.summary and a.codes == b.codes
                pd.testing.assert_frame_equal(a.rows, b.rows)
                pd.testing.assert_frame_equal(pd.DataFrame(a.markers), pd.DataFrame(b.markers))
                shown += len(a.rows)
    assert shown > 0  # some rows were compared


def test_early_warning_depends_only_on_the_filters_it_is_kept_by(current):
    """ui keeps the early warning per mapview.warning_filters: the full filters and that part
    of them give the same rows, markers and summary."""
    wijk = sorted(current.data.sectors["wijk_code"].dropna().astype(str).unique())[0]
    full = Filters(layers=("signalen", "meubilair"), start=pd.Timestamp("2024-01-01"), wijken=(wijk,),
                   types={"signalen": ("zwerfvuil",), "meubilair": ("gevelbank",)})
    for filters in (ALL, full, Filters(layers=("meubilair",))):
        kw = dict(level="sector", per="month", min_excess=0.0, admin=False, lang="nl")
        a = mapview._early_warning(current, filters, None, **kw)
        b = mapview.early_warning_of(current, filters, None, **kw)
        assert a.summary == b.summary and a.codes == b.codes
        pd.testing.assert_frame_equal(a.rows, b.rows)
        pd.testing.assert_frame_equal(pd.DataFrame(a.markers), pd.DataFrame(b.markers))


def test_area_frames_persisted_per_sector_set_equal_the_dissolved_ones(tmp_path, current):
    """ui._load reads the dissolved levels from the store's arrays: written on the first call,
    read on the next, equal to areas.area_table; another sector set or a damaged file is
    computed again (never a traceback)."""
    sectors = current.data.sectors
    store = open_store(tmp_path / "data")
    expected = views.area_frames(sectors)
    first = views.area_frames(sectors, store=store)
    assert list(store.index_dir.glob("areas-*"))  # persisted
    again = views.area_frames(sectors, store=store)
    for level, frame in expected.items():
        pd.testing.assert_frame_equal(first[level], frame)
        pd.testing.assert_frame_equal(again[level], frame)
        assert again[level].crs == frame.crs
    # a sector with a new name: another key, its wijk's name follows
    renamed = sectors.assign(wijk_naam=sectors["wijk_naam"].where(sectors["wijk_code"] != sectors["wijk_code"].iloc[0],
                                                                  "Nieuwe naam"))
    got = views.area_frames(renamed, store=store)
    pd.testing.assert_frame_equal(got["wijk"], views.area_frames(renamed)["wijk"])
    assert "Nieuwe naam" in set(got["wijk"]["naam"])
    # damaged: a shape file cut short
    (folder,) = store.index_dir.glob("areas-*")
    target = folder / "wijk.wkb.npy"
    target.write_bytes(target.read_bytes()[:200])
    pd.testing.assert_frame_equal(views.area_frames(renamed, store=store)["wijk"], views.area_frames(renamed)["wijk"])
