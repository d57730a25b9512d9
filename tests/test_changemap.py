"""The Kaart per year and its 'Verandering' (cohesie.changemap, classify.diverging, mapview):
three sectors and two years with answers worked out by hand, suppression per period for
non-admins against admins, classes symmetric around 0, the view model, the PNG, the URL and
the page in AppTest."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import demo_with_accounts, open_dashboard
from test_indicators import make_points, make_sectors, write_store

from cohesie import changemap, counting, dataset, exports, mapview, spatial, trends, urlstate, views
from cohesie.classify import DIVERGING, HIDDEN_COLOUR, NO_DATA_COLOUR, diverging
from cohesie.indicators import Filters
from cohesie.layers import LAYERS

N, M, Z = "11111A00-", "11111A01-", "11111B00-"  # Noord, Midden (wijk W1), Zuid (wijk W2)
# inhabitants (make_sectors): Noord 1000, Midden 500, Zuid 0


def signals(sector, year, n, start=0):
    return [("signalen", f"s-{sector}-{year}-{i}", "zwerfvuil", "open", f"{year}-0{1 + i % 9}-15", None,
             sector, None) for i in range(start, start + n)]


# layer, id, type, status, datum, einddatum, sector, wijk
RECORDS = [
    ("meubilair", "b1", "gevelbank", "geplaatst", "2023-03-01", None, N, None),  # stands end 2023 and 2024
    ("meubilair", "b2", "gevelbank", "geplaatst", "2024-06-01", None, N, None),  # end 2024 only
    ("meubilair", "b3", "gevelbank", "geplaatst", "2023-01-01", "2024-03-01", M, None),  # end 2023 only
    ("projecten", "p1", "burendag", "lopend", "2023-02-01", "2023-06-30", N, None),  # on no 31 December
    *signals(N, 2023, 6), *signals(N, 2024, 9),  # flow: reported in the year
    *signals(M, 2023, 5), *signals(M, 2024, 2),  # 2 in 2024: "< 5" for non-admins
    *signals(Z, 2024, 7),  # 0 in 2023: no percentage
]
# By hand, stock at 31 December / flow in the year:
#   meubilair  N 1 → 2 (+1, +100 %), M 1 → 0 (−1, −100 %), Z 0 → 0 (±0, percent undefined)
#   projecten  N 0 → 0 (p1 ended in June)
#   signalen   N 6 → 9 (+3, +50 %), M 5 → 2 (−3, −60 %), Z 0 → 7 (+7, percent undefined)
# Non-admin, per period: 2024 M = 2 is "< 5"; N is the other sector of wijk W1 (whose total is
# shown), so N is "verborgen" in 2024 too. Both show no change; Z is shown.


@pytest.fixture(scope="module")
def sectors():
    return make_sectors().iloc[:3].copy()


@pytest.fixture(scope="module")
def points():
    return make_points(RECORDS)


def change(points, sectors, indicator, *, admin, level="sector", start="2023", end="2024"):
    counts = trends.counts_per_period(points, sectors, level=level)
    table = trends.indicators_per_period(sectors, counts, level=level)
    numeric, hidden = trends.protect_per_period(table, sectors, level=level, admin=admin)
    return changemap.change_per_area(numeric, hidden, indicator=indicator, start=start, end=end).set_index("code")


def test_stock_and_flow_per_year_by_hand(points, sectors):
    furniture = change(points, sectors, "meubilair", admin=True)
    assert furniture[["begin", "eind"]].to_dict("index") == {
        N: {"begin": 1.0, "eind": 2.0}, M: {"begin": 1.0, "eind": 0.0}, Z: {"begin": 0.0, "eind": 0.0}}
    assert change(points, sectors, "projecten", admin=True).loc[N, ["begin", "eind"]].tolist() == [0.0, 0.0]
    signal = change(points, sectors, "signalen", admin=True)
    assert signal[["begin", "eind"]].to_dict("index") == {
        N: {"begin": 6.0, "eind": 9.0}, M: {"begin": 5.0, "eind": 2.0}, Z: {"begin": 0.0, "eind": 7.0}}


def test_change_absolute_and_percent_by_hand(points, sectors):
    furniture = change(points, sectors, "meubilair", admin=True)
    assert furniture["verschil"].to_dict() == {N: 1.0, M: -1.0, Z: 0.0}
    assert furniture.loc[N, "pct"] == 100.0 and furniture.loc[M, "pct"] == -100.0
    signal = change(points, sectors, "signalen", admin=True)
    assert signal["verschil"].to_dict() == {N: 3.0, M: -3.0, Z: 7.0}
    assert signal.loc[N, "pct"] == 50.0 and signal.loc[M, "pct"] == -60.0
    # per 1000 inhabitants: Noord 6 → 9 per 1000; Zuid has no inhabitants, so no rate
    rate = change(points, sectors, "signalen_per_1000", admin=True)
    assert rate.loc[N, "verschil"] == pytest.approx(3.0) and rate.loc[N, "pct"] == pytest.approx(50.0)
    assert math.isnan(rate.loc[Z, "verschil"]) and not rate.loc[Z, "start_nul"]


def test_start_zero_has_no_percentage(points, sectors):
    signal = change(points, sectors, "signalen", admin=True)
    assert math.isnan(signal.loc[Z, "pct"]) and signal.loc[Z, "start_nul"]
    assert not signal.loc[N, "start_nul"]
    furniture = change(points, sectors, "meubilair", admin=True)  # 0 → 0: no change, no percent
    assert furniture.loc[Z, "verschil"] == 0 and math.isnan(furniture.loc[Z, "pct"])


def test_hidden_in_one_period_hides_the_change_for_non_admins_only(points, sectors):
    shown = change(points, sectors, "signalen", admin=False)
    assert shown["verborgen"].to_dict() == {N: True, M: True, Z: False}
    for code in (N, M):  # neither period's count, nor the change
        assert shown.loc[code, ["begin", "eind", "verschil", "pct"]].isna().all()
    assert shown.loc[M, "verborgen_tekst"] == ("", "< 5") and shown.loc[N, "verborgen_tekst"] == ("", "verborgen")
    assert shown.loc[Z, "verschil"] == 7.0
    rate = change(points, sectors, "signalen_per_1000", admin=False)
    assert rate.loc[[N, M], ["begin", "eind", "verschil"]].isna().all().all()
    # furniture is never suppressed
    assert not change(points, sectors, "meubilair", admin=False)["verborgen"].any()
    admin = change(points, sectors, "signalen", admin=True)
    assert not admin["verborgen"].any() and admin.loc[M, "verschil"] == -3.0
    # wijken: W1 11 → 11, W2 0 → 7, nothing to hide
    wijk = change(points, sectors, "signalen", admin=False, level="wijk")
    assert wijk["verschil"].to_dict() == {"W1": 0.0, "W2": 7.0} and not wijk["verborgen"].any()


def test_which_indicators_have_a_value_per_period():
    assert changemap.per_period_indicator("signalen_per_1000") and changemap.per_period_indicator("meubilair")
    assert changemap.per_period_indicator("meubilair_voorstel")
    assert not changemap.per_period_indicator("inwoners") and not changemap.per_period_indicator("dekking_alle")
    assert changemap.palette_for("signalen_per_km2") == "RdBu" and changemap.palette_for("meubilair") == "BrBG"


# -- diverging classes ------------------------------------------------------------------------
def test_classes_symmetric_around_zero_by_hand():
    # largest |change| 5, three classes per side: tops ceil(5/3) = 2, ceil(10/3) = 4, 5; the
    # classes −5…−5 and +3…+4 hold no area and are left out, −4…−3 shows its extreme −3
    c = diverging(pd.Series([-3, -1, 0, 0, 2, 5, np.nan]))
    assert c.ranges == [(-3, -3), (-2, -1), (0, 0), (1, 2), (5, 5)]
    assert c.counts == [1, 1, 2, 1, 1] and c.no_data == 1
    palette = DIVERGING["RdBu"]
    assert list(c.value_colours) == [palette[1], palette[2], palette[3], palette[3], palette[4], palette[6],
                                     NO_DATA_COLOUR]
    # −3 and +3 are in mirrored classes: the same distance from the neutral middle
    mirrored = diverging(pd.Series([-3, 3, 0, 5]))
    a, b = mirrored.value_colours.iloc[0], mirrored.value_colours.iloc[1]
    assert palette.index(a) + palette.index(b) == 6 and mirrored.value_colours.iloc[2] == palette[3]


@pytest.mark.parametrize("method", ["equal_interval", "quantiles", "natural_breaks"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classes_are_symmetric_and_zero_is_the_middle(method, seed):
    rng = np.random.default_rng(seed)
    half = np.round(rng.normal(0, 20, 40))
    mirrored = diverging(pd.Series(np.concatenate([half, -half, [0, 0]])), method=method)
    # data that is its own mirror image: the classes, counts and colours are mirrored too
    assert mirrored.ranges == [(-high, -low) for low, high in reversed(mirrored.ranges)]
    assert mirrored.counts == mirrored.counts[::-1]
    palette = DIVERGING["RdBu"]
    assert [palette.index(c) for c in mirrored.colours] == [6 - palette.index(c) for c in mirrored.colours[::-1]]
    assert mirrored.ranges[len(mirrored.ranges) // 2] == (0, 0)
    # any data: 0 is the neutral middle, every value lies inside its class, no empty side class
    values = pd.Series(np.round(rng.normal(5, 20, 80)))
    values.iloc[:3] = 0
    c = diverging(values, method=method)
    assert c.colours[c.ranges.index((0, 0))] == palette[3]
    assert (c.value_colours.iloc[:3] == palette[3]).all()
    assert sum(c.counts) == len(values) and all(n > 0 for r, n in zip(c.ranges, c.counts) if r != (0, 0))
    bounds = dict(zip(c.colours, c.ranges))
    for value, colour in zip(values, c.value_colours):
        low, high = bounds[colour]
        assert low <= value <= high


def test_only_increases_still_show_the_neutral_middle_and_the_decimals():
    c = diverging(pd.Series([0.04, 1.26, 0.5]), decimals=1)
    assert c.ranges[0] == (0, 0) and c.counts[0] == 1  # 0,04 shows as 0,0: no change
    legend = [text for _, text in c.legend(no_change="geen verandering")]
    assert legend[0] == "±0,0 geen verandering (1 gebied)"
    assert legend[-1].startswith("+") and legend[-1].endswith("+1,3 (1 gebied)")
    negative = diverging(pd.Series([-2, -7]))
    assert [t for _, t in negative.legend()][0].startswith("−7")  # a real minus sign


# -- the view model -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def current(tmp_path_factory, sectors, points):
    from cohesie.ui import Loaded

    store = write_store(tmp_path_factory.mktemp("changemap") / "data", sectors, points)
    data = dataset.load(store)
    frames = views.area_frames(data.sectors)
    return Loaded(data, frames, {}, views.bounds_latlon(data.sectors),
                  index=counting.PointIndex(data.points, data.sectors),
                  centroids={level: spatial.centroids_lonlat(f) for level, f in frames.items()},
                  summary=counting.point_summary(data.points))


ALL = Filters(layers=tuple(LAYERS))


def change_view(current, *, admin, indicator="signalen", measure="verschil", lang="nl", level="sector"):
    return mapview.map_view(current, ALL, indicator=indicator, level=level, method="equal_interval",
                            admin=admin, lang=lang, year=2026, mode="verandering", compare=("2023", "2024"),
                            measure=measure)


def test_view_model_in_change_mode_non_admin_has_no_hidden_count(current):
    v = change_view(current, admin=False)
    assert v.mode == "verandering" and v.compare == ("2023", "2024")
    assert v.legend_title == "Signalen (aantal): verandering 2023 → 2024"
    texts = [text for _, text in v.legend]
    # only Zuid's +7 is classified (tops 3, 5, 7; the empty classes left out); Noord and Midden are hidden
    assert texts == ["±0 geen verandering (0 gebieden)", "+6 – +7 (1 gebied)",
                     "verborgen (< 5 in een van beide periodes) (2 gebieden)"]
    assert v.styles[Z][1] == "Zuid: Signalen (aantal)\n2023 → 2024: 0 → 7, +7 (procent niet bepaald: 2023 was 0)"
    for code in (N, M):
        colour, tip = v.styles[code]
        assert colour == HIDDEN_COLOUR and "verborgen" in tip
        naam = {N: "Noord", M: "Midden"}[code]
        assert tip == f"{naam}: Signalen (aantal)\n2023 → 2024: verborgen (< 5 signalen in een van beide periodes)"
    # none of the hidden counts (Noord 6 and 9, Midden 5 and 2) nor their changes (+3, −3) is anywhere
    shown = " ".join([*(tip for _, tip in v.styles.values()), *texts, *v.notes, *v.header])
    for leak in ("6 →", "→ 9", "5 →", "→ 2,", "+3", "−3", "+50", "−60"):
        assert leak not in shown, (leak, shown)
    assert v.areas.set_index("code")["hidden"].to_dict() == {N: True, M: True, Z: False}
    assert v.circles.empty  # no circles of one period on a change map
    # the city total has 1-4 signals in neither year (11 and 18): shown
    assert "Hele stad: 2023 11 → 2024 18, +7 (+64 %)." in v.notes
    assert v.title.endswith("2023 → 2024")
    assert v.figures_note == "De kerncijfers bovenaan gelden voor 2024." and v.figures_note not in v.notes


def test_view_model_in_change_mode_admin(current):
    v = change_view(current, admin=True)
    texts = [text for _, text in v.legend]
    # changes −3, +3, +7: tops ceil(7/3) = 3, ceil(14/3) = 5, 7
    assert texts == ["−3 – −1 (1 gebied)", "±0 geen verandering (0 gebieden)", "+1 – +3 (1 gebied)",
                     "+6 – +7 (1 gebied)"]
    assert v.styles[N][1] == "Noord: Signalen (aantal)\n2023 → 2024: 6 → 9, +3 (+50 %)"
    assert v.styles[M][1] == "Midden: Signalen (aantal)\n2023 → 2024: 5 → 2, −3 (−60 %)"
    assert v.styles[N][0] == DIVERGING["RdBu"][4] and v.styles[M][0] == DIVERGING["RdBu"][2]  # more = warm


def test_view_model_percent_measure_and_english(current):
    v = change_view(current, admin=True, indicator="meubilair", measure="pct", lang="en")
    texts = [text for _, text in v.legend]
    # −100 % and +100 %: tops 34, 67, 100 per side
    assert texts == ["−100% – −68% (1 area)", "±0% no change (0 areas)", "+68% – +100% (1 area)",
                     "percent not defined (2023 was 0) (1 area)"]
    assert texts[-1] == "percent not defined (2023 was 0) (1 area)"
    palette = DIVERGING["BrBG"]  # less furniture = brown
    assert v.styles[M][0] == palette[0] and v.styles[N][0] == palette[6]
    assert v.styles[Z][1].endswith("0 → 0, ±0 (percent not defined: 2023 was 0)")


def test_view_model_one_year_uses_stock_and_flow(current):
    v = mapview.map_view(current, ALL, indicator="meubilair", level="sector", method="quantiles", admin=False,
                         year=2026, mode="jaar", period="2024")
    assert v.period == "2024" and v.legend_title == "Meubilair (aantal) · 2024"
    assert {code: tip.split()[-1] for code, (_, tip) in v.styles.items()} == {N: "2", M: "0", Z: "0"}
    assert dict((k, text) for k, _, text in v.figures)["meubilair"] == "2"
    y2023 = mapview.map_view(current, ALL, indicator="signalen", level="sector", method="quantiles", admin=False,
                             year=2026, mode="jaar", period="2023")
    assert {code: tip.split()[-1] for code, (_, tip) in y2023.styles.items()} == {N: "6", M: "5", Z: "0"}
    # 2024 for non-admins: Midden "< 5", Noord "verborgen"
    y2024 = mapview.map_view(current, ALL, indicator="signalen", level="sector", method="quantiles", admin=False,
                             year=2026, mode="jaar", period="2024")
    assert y2024.styles[M][1].endswith("< 5") and y2024.styles[N][1].endswith("verborgen")
    assert y2024.circles.set_index("code")["signalen"].isna().loc[[N, M]].all()


def test_indicator_without_periods_falls_back_with_a_note(current):
    v = mapview.map_view(current, ALL, indicator="inwoners", level="sector", method="quantiles", admin=False,
                         year=2026, mode="verandering", compare=("2023", "2024"))
    assert v.mode == "periode" and any("heeft geen waarde per jaar" in n for n in v.notes)


def test_png_shows_the_change_map_and_its_legend(current):
    from matplotlib.colors import to_rgb

    v = change_view(current, admin=False)
    seen = {}

    def inspect(fig):
        legend = fig.axes[0].get_legend()
        seen["legend"] = [t.get_text().replace("\n", " ") for t in legend.get_texts()]  # long rows wrap
        seen["colours"] = [tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in legend.get_patches()]
        seen["title"] = legend.get_title().get_text().replace("\n", " ")
        seen["heading"] = fig.axes[0].get_title(loc="left").replace("\n", " ")
        seen["footer"] = " ".join(t.get_text() for t in fig.texts)

    exports.map_png(v, dpi=40, inspect=inspect)
    assert seen["legend"] == [text for _, text in v.legend]
    assert seen["colours"] == [tuple(round(c, 3) for c in to_rgb(colour)) for colour, _ in v.legend]
    assert seen["title"] == v.legend_title
    assert "Hele stad" in seen["footer"] and "2023 → 2024" in v.header[0] and seen["heading"] == v.header[0]


def test_default_periods_are_the_last_ones_that_are_over(points):
    summary = counting.point_summary(points)  # records from 2023 to 2024
    assert changemap.complete_labels(summary, today="2024-07-01") == ["2023"]
    labels = changemap.period_labels(summary)
    assert changemap.default_pair(labels, changemap.complete_labels(summary, today="2025-01-01")) == ("2023", "2024")
    assert changemap.default_pair(labels, ["2023"]) == ("2023", "2024")  # too few over: the last two
    assert changemap.default_period(labels, ["2023"]) == "2023"
    assert changemap.running_note(["2023", "2024"], ["2023"], labels).startswith("2024 is nog niet voorbij")
    assert changemap.running_note(["2023"], ["2023"], labels) is None


def test_view_and_periods_in_the_url():
    query = urlstate.map_to_query(mode="verandering", period=None, compare=("2024", "2025"), per="year",
                                  measure="pct")
    assert query == {"weergave": "verandering", "perioden": "2024,2025", "maat": "pct"}
    assert urlstate.map_from_query(query) == {"m_mode": "verandering", "m_per": "year",
                                              "m_compare": ("2024", "2025"), "m_measure": "pct"}
    quarter = urlstate.map_to_query(mode="jaar", period="2025-Q3", compare=None, per="quarter", measure="verschil")
    assert quarter == {"weergave": "jaar", "per": "kwartaal", "periode": "2025-Q3"}
    assert urlstate.map_from_query(quarter)["m_per"] == "quarter"
    assert urlstate.map_to_query(mode="periode", period=None, compare=None, per="year", measure="verschil") == {}
    assert urlstate.map_from_query({"weergave": "onzin"}) == {}


# -- the page -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("changepage") / "data")


def legend_markdown(at) -> str:
    return next(m.value for m in [*at.markdown, *at.html] if "aria-label='legende'" in m.value)


def test_page_switches_to_change_mode_and_shows_the_diverging_legend(demo_dir, monkeypatch):
    at = open_dashboard(demo_dir, monkeypatch)
    at.switch_page("pages/kaart.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "verandering" not in legend_markdown(at)
    next(s for s in at.selectbox if s.key == "m_mode").set_value("verandering").run()
    assert not at.exception, [e.value for e in at.exception]
    legend = legend_markdown(at)
    # by default the last two years that are over (the demo runs into this year)
    year = pd.Timestamp.today().year
    assert f"Signalen per 1000 inwoners: verandering {year - 2} → {year - 1}" in legend
    assert "geen verandering" in legend and "+" in legend and "−" in legend
    assert at.query_params.get("weergave") in ("verandering", ["verandering"])
    slider = next(s for s in at.select_slider if s.key == "m_compare")
    slider.set_value((str(year - 3), str(year))).run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"verandering {year - 3} → {year}" in legend_markdown(at)
    assert any(c.value.startswith(f"Hele stad: {year - 3}") for c in at.caption)
    assert any("is nog niet voorbij" in c.value for c in at.caption)  # this year is still running
    assert at.query_params.get("perioden") in (f"{year - 3},{year}", [f"{year - 3},{year}"])
    next(s for s in at.selectbox if s.key == "m_mode").set_value("jaar").run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"Signalen per 1000 inwoners · {year - 1}" in legend_markdown(at)


def test_what_the_browser_gets_in_change_mode(current):
    """The overlay sent to the map: two-line tooltips (escaped, then a line break), no circles,
    and none of the hidden counts."""
    import json

    from cohesie import maps

    v = change_view(current, admin=False)
    fg = maps.overlay(level="sector", styles=v.styles, highlight=[], points=v.points.head(0),
                      signal_counts=v.circles, signal_word="signalen")
    payload = json.loads(next(iter(fg._children.values())).payload_js)
    assert not payload.get("circles")
    sent = json.dumps(payload, ensure_ascii=False)
    assert "Zuid: Signalen (aantal)<br>2023 → 2024: 0 → 7, +7" in sent
    assert "&lt; 5 signalen" in sent and "< 5" not in sent  # still escaped
    for leak in ("6 →", "→ 9", "5 →", "+3", "−3"):
        assert leak not in sent, leak
    hostile = maps.overlay(level="sector", styles={"x": ("#fff", "<b>\nz")}, highlight=[], points=v.points.head(0),
                           signal_counts=None)
    assert json.loads(next(iter(hostile._children.values())).payload_js)["styles"]["x"][1] == "&lt;b&gt;<br>z"


def test_change_between_quarters_by_hand(current):
    """Stock on the quarter's last day: on 31/3/2023 Noord has b1 (placed 1/3), on 30/6/2024 b1
    and b2 (placed 1/6); Midden's b3 stands until 1/3/2024. Signals in the quarter: Noord 3
    (January-March 2023) and 3 (April-June 2024)."""
    def quarter_view(indicator):
        return mapview.map_view(current, ALL, indicator=indicator, level="sector", method="equal_interval",
                                admin=True, year=2026, mode="verandering", per="quarter",
                                compare=("2023-Q1", "2024-Q2"))

    furniture = quarter_view("meubilair")
    assert furniture.compare == ("2023-Q1", "2024-Q2")
    assert furniture.styles[N][1].endswith("2023-Q1 → 2024-Q2: 1 → 2, +1 (+100 %)")
    assert furniture.styles[M][1].endswith("1 → 0, −1 (−100 %)")
    assert quarter_view("signalen").styles[N][1].endswith("3 → 3, ±0 (±0 %)")
