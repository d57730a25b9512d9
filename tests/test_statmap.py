"""The Kaart's early warning ("Opvallend") and hot-spot mode (issue 13) in its one view model
(:func:`cohesie.mapview.map_view`, :mod:`cohesie.statmap`), on small simulated cities with a
planted truth: a grid of squares as sectors (``tests/stats_helpers.py``)."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from stats_helpers import grid_sectors, monthly_signals, signal_points

from cohesie import exports, hotspots, maps, mapview, spatial, statmap, surveillance, views
from cohesie.counting import PointIndex
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.dataset import Dataset

MONTHS = pd.period_range("2023-01", "2025-12", freq="M")
SURGE_WIJK = "W11"  # sectors S22, S23, S32, S33


def loaded(sectors, points):
    """A :class:`cohesie.ui.Loaded` of ``sectors`` and ``points`` as the app builds it."""
    from cohesie.ui import Loaded

    acties = pd.DataFrame({"pleinmaker_id": pd.Series(dtype=object), "datum": pd.Series(dtype="datetime64[ns]")})
    data = Dataset(sectors=sectors, points=points, acties=acties,
                   meta={"gemeente": "Proefstad", "nis": "11111", "data_version": "1"},
                   imports=pd.DataFrame(columns=["tijdstip"]))
    frames = views.area_frames(sectors)
    return Loaded(data, frames, {}, views.bounds_latlon(sectors), index=PointIndex(points, sectors),
                  centroids={level: spatial.centroids_lonlat(f) for level, f in frames.items()})


def seasonal(base: float) -> np.ndarray:
    return base * (1 + 0.3 * np.sin(2 * np.pi * np.arange(len(MONTHS)) / 12))


@pytest.fixture(scope="module")
def surge():
    """Two categories in 16 sectors for three years; in December 2025 five times as many
    hangjongeren in the four sectors of wijk W11 (about 48 more than usual)."""
    rng = np.random.default_rng(11)
    sectors = grid_sectors(4, per_wijk=2)
    rates = {(code, cat): seasonal(3.0) for code in sectors["code"] for cat in ("zwerfvuil", "hangjongeren")}
    for code in ("S22", "S23", "S32", "S33"):
        rates[(code, "hangjongeren")] = seasonal(3.0)
        rates[(code, "hangjongeren")][-1] *= 5
    points = monthly_signals(rng, sectors, rates, MONTHS)
    points.loc[points.index[-1], "datum"] = pd.Timestamp("2025-12-31")  # December is complete
    return sectors, points


def view(current, filters=Filters(layers=("signalen",)), **kw):
    kw.setdefault("indicator", "signalen_per_1000")
    kw.setdefault("level", "wijk")
    kw.setdefault("method", "quantiles")
    kw.setdefault("admin", False)
    return mapview.map_view(current, filters, year=2025, **kw)


def payload(fg) -> dict:
    return json.loads(next(iter(fg._children.values())).payload_js)


def test_flagged_wijk_is_in_the_map_view_with_its_marker_outline_and_tooltip(surge):
    sectors, points = surge
    current = loaded(sectors, points)
    v = view(current)
    w = v.warning
    assert w.period == "2025-12" and w.codes == [SURGE_WIJK]
    assert w.period_shown == "dec 2025" and w.rows.iloc[0]["Periode"] == "dec 2025"
    assert set(w.numbers) == {"Waargenomen", "Verwacht", "p-waarde (gecorrigeerd)"} <= set(w.rows.columns)
    # the count of the tooltip, counted here straight from the simulated points
    in_dec = points[(points["wijk_code"] == SURGE_WIJK) & (points["type"] == "hangjongeren")
                    & (pd.to_datetime(points["datum"]).dt.to_period("M") == pd.Period("2025-12", "M"))]
    observed = len(in_dec)
    assert observed > 30
    (marker,) = w.markers.itertuples(index=False)
    assert marker.naam == "Wijk 1-1"
    (line,) = marker.lines
    assert re.fullmatch(rf"Opvallend: hangjongeren dec 2025, {observed} waargenomen, \d+ verwacht", line), line
    expected = int(re.search(r"(\d+) verwacht", line).group(1))
    assert 6 <= expected <= 25  # about 4 sectors x 3 a month (with the season), far below what was seen
    # the marker sits on the wijk (a square: inside its bounds is inside it)
    lon_min, lat_min, lon_max, lat_max = current.areas["wijk"].to_crs(4326).set_index("code").loc[
        [SURGE_WIJK]].total_bounds
    assert lat_min < marker.lat < lat_max and lon_min < marker.lon < lon_max
    # the list: one row, the wijk named with its code, the count in full (3 digits at most)
    assert len(w.rows) == 1
    assert w.rows.iloc[0]["Wijk"] == "Wijk 1-1 (W11)" and w.rows.iloc[0]["Waargenomen"] == str(observed)
    assert w.summary == "1 opvallend in dec 2025"
    # the overlay sends marker and outline (the area's own tooltip is that of the map mode)
    assert "Opvallend" not in v.styles[SURGE_WIJK][1]
    fg = maps.overlay(level=v.level, styles=v.styles, highlight=[], points=v.points, signal_counts=v.circles,
                      alerts=w.markers, flagged=w.codes)
    sent = payload(fg)
    assert sent["flagged"] == [SURGE_WIJK]
    ((lat, lon, lines),) = sent["alerts"]
    assert html.unescape(lines[0]) == "<strong>Wijk 1-1</strong>" and lines[1] == line
    assert (lat, lon) == (round(marker.lat, 5), round(marker.lon, 5))


def test_nothing_flagged_reads_niets_opvallend_and_sends_no_marker(surge):
    sectors, points = surge
    quiet = points[~((points["wijk_code"] == SURGE_WIJK) & (points["datum"] >= "2025-12-01")
                     & (points["type"] == "hangjongeren"))]
    v = view(loaded(sectors, quiet))
    assert v.warning.codes == [] and v.warning.rows.empty and v.warning.markers.empty
    assert v.warning.summary == "Niets opvallend in dec 2025"
    assert "Opvallend" not in " ".join(text for _, text in v.styles.values())


def test_minimum_excess_is_applied_like_the_statistics_without_fitting_again(surge):
    sectors, points = surge
    index = PointIndex(points, sectors)
    once = surveillance.alerts(index, sectors, level="sector", settings=surveillance.AlertSettings(min_excess=0))
    for m in (0.0, 5.0, 12.0, 60.0):
        direct = surveillance.alerts(index, sectors, level="sector", settings=surveillance.AlertSettings(min_excess=m))
        assert statmap.flags(once.table, min_excess=m).tolist() == direct.table["opvallend"].tolist()
    assert statmap.flags(once.table, min_excess=0).sum() >= 1
    assert statmap.flags(once.table, min_excess=60).sum() == 0  # no sector rose by 60


def test_wijk_and_category_filters_narrow_the_list_not_the_test(surge):
    sectors, points = surge
    current = loaded(sectors, points)
    other = view(current, Filters(layers=("signalen",), wijken=("W00",)))
    assert other.warning.codes == [] and other.warning.period == "2025-12"
    only_litter = view(current, Filters(layers=("signalen",), types={"signalen": ("zwerfvuil",)}))
    assert only_litter.warning.codes == []
    assert view(current, Filters(layers=("signalen",), wijken=(SURGE_WIJK,))).warning.codes == [SURGE_WIJK]


def test_switched_off_signals_layer_gives_no_early_warning_and_says_so(surge):
    v = view(loaded(*surge), Filters(layers=("projecten",)))
    assert v.warning.codes == [] and "staat uit" in v.warning.summary


def test_with_the_signals_in_a_shared_database_the_kaart_says_the_early_warning_is_not_there_yet(surge):
    from dataclasses import replace

    v = view(replace(loaded(*surge), signals_in_database=True))
    assert v.warning.codes == [] and "PostGIS" in v.warning.summary and "cohesie alerts" in v.warning.summary


def small_count_city():
    """One wijk series with a single signal in three years and four in the tested month: a
    flag (with minimum excess 0) on a count that must show as "< 5" to non-admins."""
    sectors = grid_sectors(2, per_wijk=2)  # one wijk W00
    dates = ["2023-01-10"] + ["2025-12-05", "2025-12-09", "2025-12-18", "2025-12-31"]
    points = signal_points(x=[150_100.0] * 5, y=[190_100.0] * 5, datum=dates, type_=["zorgsignaal"] * 5,
                           sector=["S00"] * 5, wijk_code=["W00"] * 5)
    return sectors, points


def test_non_admin_sees_less_than_five_but_the_flag():
    current = loaded(*small_count_city())
    viewer = view(current, min_excess=0)
    admin = view(current, min_excess=0, admin=True)
    assert viewer.warning.codes == admin.warning.codes == ["W00"]  # the flag shows to everyone
    assert admin.warning.rows.iloc[0]["Waargenomen"] == "4"
    assert viewer.warning.rows.iloc[0]["Waargenomen"] == "< 5"
    (line,) = viewer.warning.markers.iloc[0]["lines"]
    assert line.startswith("Opvallend: zorgsignaal dec 2025, < 5 waargenomen, ")
    # the hidden count reaches the browser nowhere: not in the marker, not in a tooltip
    fg = maps.overlay(level=viewer.level, styles=viewer.styles, highlight=[], points=viewer.points,
                      signal_counts=viewer.circles, alerts=viewer.warning.markers, flagged=viewer.warning.codes)
    sent = html.unescape(json.dumps(payload(fg)))
    assert "4 waargenomen" not in sent and "< 5 waargenomen" in sent
    # the default minimum excess (5 signals) does not flag a rise of four
    assert view(current).warning.codes == []


# -- hot spots ------------------------------------------------------------------------------
N = 10
CLUSTER = {f"S{r}{c}" for r in (3, 4, 5) for c in (3, 4, 5)}


@pytest.fixture(scope="module")
def cluster():
    """10 × 10 squares of 1000 inhabitants; about 20 signals each in May 2025, 60 in a 3 × 3
    block (as tests/test_hotspots.py); in one far corner sector only 3 signals."""
    rng = np.random.default_rng(5)
    sectors = grid_sectors(N, per_wijk=5)
    mean = np.where(sectors["code"].isin(CLUSTER), 60.0, 20.0)
    counts = pd.Series(rng.poisson(mean), index=sectors["code"])
    counts["S99"] = 3
    by_code = sectors.set_index("code")
    parts = []
    for code, n in counts.items():
        c = by_code.loc[code, "geometry"].centroid
        parts.append(signal_points(x=[c.x] * n, y=[c.y] * n, datum=["2025-05-15"] * n, type_=["zwerfvuil"] * n,
                                   sector=[code] * n, wijk_code=[by_code.loc[code, "wijk_code"]] * n))
    points = pd.concat(parts, ignore_index=True)
    points["id"] = [f"P{i}" for i in range(len(points))]
    return sectors, points, counts


def hot_view(current, filters=Filters(layers=tuple(LAYERS)), **kw):
    return view(current, filters, mode=statmap.MODE_HOTSPOTS, **kw)


def legend_counts(legend) -> dict[str, int]:
    out = {}
    for _, text in legend:
        m = re.fullmatch(r"(.+) \((\d+) sector(?:en)?\)", text)
        assert m, text
        out[m.group(1)] = int(m.group(2))
    return out


def test_hot_spot_mode_colours_the_planted_cluster_and_counts_the_classes(cluster):
    sectors, points, _ = cluster
    v = hot_view(loaded(sectors, points))
    assert v.level == "sector" and v.mode == "hotspots"  # Gi* runs on sectors whatever the level
    colour = dict(zip(v.areas["code"], v.areas["colour"]))
    hot = {c for c, col in colour.items() if col in (statmap.HOTSPOT_COLOURS[hotspots.HOT_99],
                                                     statmap.HOTSPOT_COLOURS[hotspots.HOT_95])}
    assert colour["S44"] == statmap.HOTSPOT_COLOURS[hotspots.HOT_99]  # the block's centre
    assert {"S34", "S43", "S44", "S45", "S54"} <= hot  # the cross of the block at least
    assert hot <= {f"S{r}{c}" for r in range(2, 7) for c in range(2, 7)}  # nothing far from it
    counts = legend_counts(v.legend)
    # every sector in exactly one row; the four classes always listed, in this order
    assert list(counts) == ["hot spot 99 %", "hot spot 95 %", "niet significant", "cold spot"]
    assert sum(counts.values()) == N * N
    assert counts["hot spot 99 %"] + counts["hot spot 95 %"] == len(hot)
    assert counts["niet significant"] == N * N - len(hot) - counts["cold spot"]
    assert [c for c, _ in v.legend] == [statmap.HOTSPOT_COLOURS[k] for k in statmap.MAIN_CLASSES]
    assert v.indicator_label == "Hot spots van signalen per 1000 inwoners"
    assert v.notes[0].startswith("Getis-Ord Gi*") and v.circles.empty
    assert v.styles["S44"][1].startswith("Sector 4-4: hot spot 99 % (")
    assert v.png_name == "kaart_hotspots.png"


def test_hot_spot_tooltips_hide_a_small_count_s_rate_for_non_admins(cluster):
    sectors, points, counts = cluster
    current = loaded(sectors, points)
    viewer, admin = hot_view(current), hot_view(current, admin=True)
    assert counts["S99"] == 3
    assert viewer.styles["S99"][1].endswith("(signalen < 5)")  # 3 per 1000 would give the 3 away
    assert admin.styles["S99"][1].endswith("(3,0 per 1000 inwoners)")
    assert viewer.areas.set_index("code").loc["S99", "colour"] == admin.areas.set_index("code").loc["S99", "colour"]
    assert "(3,0 per 1000" not in " ".join(text for _, text in viewer.styles.values())
    # complementary: with the wijk's total known, one other sector of its wijk is hidden too
    wijk = sectors.set_index("code").loc["S99", "wijk_code"]
    in_wijk = sectors.loc[sectors["wijk_code"] == wijk, "code"]
    hidden = [c for c in in_wijk if "(signalen " in viewer.styles[c][1]]
    assert len(hidden) == 2 and viewer.styles[next(c for c in hidden if c != "S99")][1].endswith("(signalen verborgen)")


def test_period_and_category_filters_apply_and_a_wijk_filter_only_dims(cluster):
    sectors, points, _ = cluster
    current = loaded(sectors, points)
    whole = hot_view(current)
    dimmed = hot_view(current, Filters(layers=tuple(LAYERS), wijken=("W00",)))
    # counting the other wijken as 0 would make the filtered wijk a hot spot: it is not done
    colours = dict(zip(whole.areas["code"], whole.areas["colour"]))
    assert len(dimmed.areas) == 25 and dimmed.highlight == ["W00"]
    assert {c: colours[c] for c in dimmed.areas["code"]} == dict(zip(dimmed.areas["code"], dimmed.areas["colour"]))
    assert {k: v[0] for k, v in dimmed.styles.items()} == {k: v[0] for k, v in whole.styles.items() if k in
                                                           set(dimmed.styles)}
    before = hot_view(current, Filters(layers=tuple(LAYERS), end=pd.Timestamp("2025-04-30")))
    other_kind = hot_view(current, Filters(layers=tuple(LAYERS), types={"signalen": ("hangjongeren",)}))
    for empty in (before, other_kind):  # no signal counted: said so, nothing coloured as a class
        assert empty.legend == [] and empty.notes[-1].startswith("Geen signalen in de gekozen periode")
        assert set(empty.areas["colour"]) == {statmap.HOTSPOT_COLOURS[hotspots.NOT_SIGNIFICANT]}


def test_hot_spot_png_shows_the_same_classes_legend_and_method(cluster):
    sectors, points, _ = cluster
    v = hot_view(loaded(sectors, points), lang="en")
    seen = {}

    def inspect(fig):
        ax = fig.axes[0]
        leg = ax.get_legend()
        seen["legend"] = [t.get_text() for t in leg.get_texts()]
        seen["title"] = leg.get_title().get_text()
        seen["faces"] = [p.get_facecolor() for p in leg.get_patches()]
        seen["texts"] = " ".join(t.get_text() for t in fig.texts)

    png = exports.map_png(v, dpi=40, inspect=inspect)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert seen["legend"] == [text for _, text in v.legend]
    assert seen["legend"][0].startswith("hot spot 99% (") and "sectors)" in seen["legend"][2]
    assert seen["title"].replace("\n", " ") == "Hot spots of signals per 1000 inhabitants"  # wrapped
    assert "Getis-Ord Gi*" in seen["texts"]
    from matplotlib.colors import to_rgba

    assert [tuple(f) for f in seen["faces"]] == [to_rgba(c) for c, _ in v.legend]


def test_png_outlines_the_flagged_area(surge):
    from matplotlib.legend import Legend

    v = view(loaded(*surge))
    seen = {}

    def inspect(fig):
        ax = fig.axes[0]
        seen["legend"] = [t.get_text() for t in ax.get_legend().get_texts()]
        seen["flags"] = [[t.get_text() for t in a.get_texts()] for a in ax.artists if isinstance(a, Legend)]
        seen["red"] = [c for c in ax.collections if tuple(c.get_edgecolor()[0][:3]) == (0xd7 / 255, 0x19 / 255,
                                                                                       0x1c / 255)]

    exports.map_png(v, dpi=40, inspect=inspect)
    assert seen["legend"] == [text for _, text in v.legend]  # the classes, as on screen
    assert seen["flags"] == [["1 opvallend in dec 2025"]]
    assert len(seen["red"]) == 1  # the outline of the flagged wijk


def test_the_hot_spot_mode_is_in_the_address_bar():
    from cohesie import urlstate

    query = urlstate.map_to_query(mode=statmap.MODE_HOTSPOTS, period=None, compare=None, per="year",
                                  measure="verschil")
    assert query == {"weergave": "hotspots"}
    assert urlstate.map_from_query(query) == {"m_mode": "hotspots"}
    assert urlstate.map_to_query(mode="periode", period=None, compare=None, per="year", measure="verschil") == {}


def test_a_flagged_count_that_would_give_away_a_small_one_is_hidden_as_on_the_wijkfiche():
    """Eight zorgsignalen (flagged) and two hangjongeren in the wijk in December 2025: the wijk's
    total for the month is published, so showing the 8 would give away the 2. The Kaart's list
    hides it ("verborgen") for non-admins, with the rule of the Wijkfiche's Opvallend block."""
    from cohesie import statview

    sectors = grid_sectors(2, per_wijk=2)  # one wijk W00
    dates = (["2023-01-10", "2024-03-04"] + [f"2025-12-{d:02d}" for d in (2, 5, 8, 11, 14, 17, 20, 31)]
             + ["2023-06-01", "2024-06-01", "2025-12-03", "2025-12-04"])
    kinds = ["zorgsignaal"] * 10 + ["hangjongeren"] * 4
    n = len(dates)
    points = signal_points(x=[150_100.0] * n, y=[190_100.0] * n, datum=dates, type_=kinds,
                           sector=["S00"] * n, wijk_code=["W00"] * n)
    current = loaded(sectors, points)
    viewer, admin = view(current, min_excess=0), view(current, min_excess=0, admin=True)
    assert viewer.warning.codes == admin.warning.codes == ["W00"]
    row = admin.warning.rows.iloc[0]
    assert row["Categorie"] == "zorgsignaal" and row["Waargenomen"] == "8"
    assert viewer.warning.rows.iloc[0]["Waargenomen"] == "verborgen"
    assert "verborgen waargenomen" in viewer.warning.markers.iloc[0]["lines"][0]
    # the Wijkfiche's block of the same wijk hides the same cell
    result = surveillance.alerts(current.index, sectors, level="wijk",
                                 settings=surveillance.AlertSettings(min_excess=0))
    block = statview.opvallend(lambda level: result, sectors, wijk="W00", admin=False, with_sectors=False)
    shown = block.tested.set_index("Categorie")["Waargenomen"]
    assert shown["zorgsignaal"] == "verborgen" and shown["hangjongeren"] == "< 5"
