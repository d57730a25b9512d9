"""The Presentatie's "Vergelijk" and "Trend" slides (issue 12 item 5): the view model on three
wijken built in code whose every figure is worked out by hand below, the charts, the slide in
the URL, and the page switching slides.

Wijk (code)            inwoners  meubilair geplaatst (stock)        signalen 2024 / 2025 (flow)
Kerkhoek (11111A0)     2500      2 on 01/03/2023, 1 on 01/06/2024   10 / 16  = 26 → 10,4 per 1000
Beekveld (11111B0)     2000      1 on 01/01/2024                     6 /  8  = 14 →  7,0 per 1000
Aardenburg (11111C0)    500      0                                   3 /  0  =  3 →  6,0 per 1000
city                   5000      2 / 4 / 4 at the end of 2023-2025  19 / 24  = 43 →  8,6 per 1000

Meubilair per wijk 3, 1, 0: ranks 1, 2, 3 of 3 and a mean of 4 / 3 = 1,3 per wijk. Projects,
pleinmakers and actors are 0 everywhere: every wijk shares rank 1. For everyone but admins
Aardenburg's 3 signals are "< 5" and Beekveld's 14 are hidden with it (the city total would give
Aardenburg's count away), so only Kerkhoek is ranked on signals ("1 van 1"). Per year the same
happens in 2024 (3 and 6 hidden); 2025 has no small count. Signals start in 2024, so the signal
trend leaves 2023 out; furniture stands from 2023.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from conftest import demo_with_accounts, open_dashboard
from shapely.geometry import box

from cohesie import presentation, trends, views
from cohesie.formatting import vega_number_expr
from cohesie.indicators import Filters
from cohesie.dataset import Dataset
from cohesie.storage import POINT_COLUMNS

X0, Y0 = 150_000, 190_000
A, B, C = "11111A0", "11111B0", "11111C0"
NAMES = {A: "Kerkhoek", B: "Beekveld", C: "Aardenburg"}
YEAR = 2026  # 2024 and 2025 are complete


def _sectors() -> gpd.GeoDataFrame:
    rows = [("11111A00-", "Noord", A, 1000, 0), ("11111A01-", "Midden", A, 1500, 1),
            ("11111B00-", "Zuid", B, 2000, 2), ("11111C00-", "Oost", C, 500, 3)]
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows], "naam": [r[1] for r in rows],
         "deelgemeente": "11111A", "deelgemeente_naam": "Stad", "nis": "11111", "gemeente_naam": "Proefstad",
         "wijk_code": [r[2] for r in rows], "wijk_naam": [NAMES[r[2]] for r in rows],
         "inwoners": [r[3] for r in rows]},
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for *_, i in rows], crs=31370)


def _points(sectors) -> pd.DataFrame:
    sector_of = {w: sectors.loc[sectors["wijk_code"] == w, "code"].iloc[0] for w in NAMES}
    rows = []

    def add(layer, wijk, status, day, n=1, kind="gevelbank"):
        for _ in range(n):
            rows.append({"layer": layer, "id": f"{layer}{len(rows)}", "naam": f"r{len(rows)}", "type": kind,
                         "status": status, "datum": pd.Timestamp(day), "wijk_code": wijk,
                         "sector": sector_of[wijk]})

    add("meubilair", A, "geplaatst", "2023-03-01", 2)
    add("meubilair", A, "geplaatst", "2024-06-01")
    add("meubilair", A, "verwijderd", "2023-05-01")  # never counts
    add("meubilair", B, "geplaatst", "2024-01-01")
    for wijk, n2024, n2025 in ((A, 10, 16), (B, 6, 8), (C, 3, 0)):
        add("signalen", wijk, "open", "2024-04-01", n2024, kind="zwerfvuil")
        add("signalen", wijk, "open", "2025-09-01", n2025, kind="zwerfvuil")
    frame = pd.DataFrame(rows).reindex(columns=list(POINT_COLUMNS))
    frame["einddatum"] = pd.NaT
    return frame


def _dataset(**extra) -> Dataset:
    sectors = _sectors()
    return Dataset(sectors=sectors, points=_points(sectors), acties=pd.DataFrame(),
                   meta={"gemeente": "Proefstad", "nis": "11111", "is_demo": "1",
                         "bron_sectoren": "Statbel 2024", "bevolking_jaar": "2024"},
                   imports=pd.DataFrame(), **extra)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return _dataset()


@pytest.fixture(scope="module")
def areas(data):
    return views.area_frames(data.sectors)


def view_of(data, areas, **kwargs):
    kwargs.setdefault("year", YEAR)
    return presentation.presentation(data, areas, **kwargs)


def panels(view) -> dict:
    return {p.key: p for p in view.compare.panels}


def line(trend, label) -> dict:
    rows = trend.data[trend.data["reeks"] == label]
    return dict(zip(rows["periode"], rows["waarde"]))


# -- Vergelijk --------------------------------------------------------------------------------
def test_compare_ranks_each_wijk_and_draws_the_city(data, areas):
    view = view_of(data, areas, wijk=A, admin=True, slide="vergelijk")
    shown = panels(view)
    assert list(shown) == ["meubilair", "projecten", "pleinmakers", "actoren", "signalen_per_1000"]
    furniture = shown["meubilair"]
    assert (furniture.label, furniture.text, furniture.rank_text) == ("Meubilair geplaatst", "3", "1 van 3")
    assert furniture.summary == "1 van 3 · stad: 4"  # the city's total beside the big number
    assert furniture.city == pytest.approx(4 / 3)  # a count's line: the mean per wijk
    assert furniture.line_label == "stippellijn: gemiddelde per wijk (1,3)"
    assert furniture.bars["naam"].tolist() == ["Kerkhoek", "Beekveld", "Aardenburg"]  # highest first
    assert furniture.bars["rol"].tolist() == ["wijk", "ander", "ander"]
    signals = shown["signalen_per_1000"]
    assert (signals.text, signals.rank_text, signals.city_text) == ("10,4", "1 van 3", "8,6")
    assert signals.city == pytest.approx(8.6)  # 43 / 5000 * 1000, from the totals
    assert signals.line_label == "stippellijn: de stad (8,6)"
    assert signals.bars["tekst"].tolist() == ["10,4", "7,0", "6,0"]
    # equal values share the best rank, and the text says so: no projects anywhere
    assert shown["projecten"].rank_text == "1 van 3, gedeeld met 2"
    other = panels(view_of(data, areas, wijk=C, admin=True, slide="vergelijk"))
    assert other["meubilair"].rank_text == "3 van 3" and other["signalen_per_1000"].rank_text == "3 van 3"
    assert panels(view_of(data, areas, wijk=B, admin=True, slide="vergelijk"))["meubilair"].rank_text == "2 van 3"
    assert "1 = hoogste waarde" in view.compare.rank_note


def test_compare_hidden_signal_counts_are_neither_shown_nor_ranked(data, areas):
    own = panels(view_of(data, areas, wijk=A, slide="vergelijk"))["signalen_per_1000"]
    assert own.rank_text == "1 van 1"  # only Kerkhoek's count is shown
    assert own.bars["naam"].tolist() == ["Kerkhoek"]
    assert own.note == "Niet gerangschikt: 2 met een verborgen aantal."
    view = view_of(data, areas, wijk=C, slide="vergelijk")
    hidden = panels(view)["signalen_per_1000"]
    assert hidden.text == "verborgen (< 5)" and hidden.rank_text == "" and hidden.rank.rank is None
    assert "Aardenburg" not in hidden.bars["naam"].tolist() and "Beekveld" not in hidden.bars["naam"].tolist()
    assert hidden.summary == "stad: 8,6"
    assert view.compare.note.startswith("Aardenburg heeft geen balk bij Signalen per 1000 inw.")
    # the hidden rates 6,0 and 7,0 reach neither the texts nor the chart's data
    texts = " ".join([p.text + p.summary + " ".join(p.bars["tekst"]) for p in view.compare.panels])
    assert "6,0" not in texts and "7,0" not in texts
    spec = presentation.compare_chart(view).to_dict()
    values = {row.get("waarde") for rows in spec["datasets"].values() for row in rows}
    assert not values & {6.0, 7.0}
    # furniture is never hidden
    assert panels(view)["meubilair"].rank_text == "3 van 3"


def test_compare_for_the_whole_city(data, areas):
    view = view_of(data, areas, wijk=None, slide="vergelijk")
    shown = panels(view)
    assert shown["meubilair"].text == "4" and shown["meubilair"].rank is None
    assert shown["meubilair"].summary == "gem. 1,3 per wijk"
    assert shown["signalen_per_1000"].text == "8,6"
    assert not any((p.bars["rol"] == "wijk").any() for p in view.compare.panels)


def test_compare_shows_only_the_layers_switched_on(data, areas):
    view = view_of(data, areas, wijk=A, slide="vergelijk", filters=Filters(layers=("signalen", "meubilair")))
    assert [p.key for p in view.compare.panels] == ["meubilair", "signalen_per_1000"]
    assert view.compare.columns == 2


def test_context_figures_are_compared_too():
    meta = pd.DataFrame([{"kolom": "aandeel_65", "niveau": "wijk", "naam": "Aandeel 65+", "eenheid": "%",
                          "bron": "stad", "jaar": 2024, "soort": "rate", "volgorde": 1}])
    values = pd.DataFrame({"niveau": "wijk", "code": [A, B, C], "kolom": "aandeel_65", "waarde": [20.0, 10.0, 30.0]})
    data = _dataset(context=values, context_meta=meta)
    view = view_of(data, views.area_frames(data.sectors), wijk=A, slide="vergelijk", admin=True)
    figure = panels(view)["aandeel_65"]
    assert figure.label == "Aandeel 65+ (%)"
    assert (figure.text, figure.rank_text) == ("20,0", "2 van 3")
    # the city: the mean weighted by inhabitants, (20 × 2500 + 10 × 2000 + 30 × 500) / 5000 = 17
    assert figure.city == pytest.approx(17.0) and figure.line_label == "stippellijn: de stad (17,0)"
    assert figure.bars["naam"].tolist() == ["Aardenburg", "Kerkhoek", "Beekveld"]


def test_compare_chart_is_readable_on_a_projector(data, areas):
    view = view_of(data, areas, wijk=A, admin=True, slide="vergelijk")
    spec = presentation.compare_chart(view).to_dict()
    assert len(spec["concat"]) == 5 and spec["columns"] == 3
    by_title = {p["title"]["text"]: p for p in spec["concat"]}
    signals = by_title["Signalen per 1000 inw."]
    bars, *rest = signals["layer"]
    x = bars["encoding"]["x"]
    assert x["title"] == "Per 1000 inwoners" and x["axis"]["labelExpr"] == vega_number_expr(1, "nl")
    assert x["axis"]["labelFontSize"] >= 15 and bars["encoding"]["y"]["axis"]["labelFontSize"] >= 15
    assert bars["encoding"]["y"]["sort"] == ["Kerkhoek", "Beekveld", "Aardenburg"]
    rule = next(layer for layer in rest if layer["mark"]["type"] == "rule")
    assert spec["datasets"][rule["data"]["name"]] == [{"waarde": pytest.approx(8.6)}]
    assert signals["title"]["subtitle"] == "1 van 3 · stippellijn: de stad (8,6)"
    # a count axis has whole, distinct tick values (no "0, 0, 1, 1")
    ticks = by_title["Meubilair geplaatst"]["layer"][0]["encoding"]["x"]["axis"]["values"]
    assert ticks == sorted(set(ticks)) and all(float(v).is_integer() for v in ticks)


def test_english_compare(data, areas):
    view = view_of(data, areas, wijk=A, admin=True, slide="vergelijk", lang="en")
    shown = panels(view)
    assert shown["signalen_per_1000"].summary == "1 of 3 · city: 8.6"
    assert shown["meubilair"].line_label == "dashed line: mean per neighbourhood (1.3)"
    assert view.slides == {"kaart": "Map", "vergelijk": "Compare", "trend": "Trend", "opvallend": "Notable"}


# -- Trend ------------------------------------------------------------------------------------
def test_trend_only_counted_on_the_trend_slide(data, areas):
    asked = []

    def per_period(level, filters):
        asked.append((level, filters.wijken))
        return trends.counts_per_period(data.points, data.sectors, level=level, filters=filters)

    assert view_of(data, areas, wijk=A, slide="vergelijk", per_period=per_period).trend is None
    assert asked == []
    view = view_of(data, areas, wijk=A, slide="trend", per_period=per_period, filters=Filters(wijken=(A,)))
    assert asked == [("wijk", ())]  # the city stays the whole city
    assert view.trend.trend is not None


def test_trend_of_a_count_per_year_with_the_city_and_the_change(data, areas):
    slide = view_of(data, areas, wijk=A, admin=True, slide="trend", trend_indicator="signalen").trend
    trend = slide.trend
    assert trend.series == ["Kerkhoek", "Stad"]
    assert trend.periods == ["2024", "2025"]  # no signals before 2024: not a year with none
    assert line(trend, "Kerkhoek") == {"2024": 10, "2025": 16}
    assert line(trend, "Stad") == {"2024": 19, "2025": 24}
    assert slide.sentence == "Kerkhoek, signalen (aantal): 16 in 2025, 6 meer dan in 2024 (+60,0 %)."
    assert slide.measure == "Per jaar: de signalen gemeld in dat jaar."
    assert "Perioden vóór 2024 zijn weggelaten" in slide.note


def test_trend_of_a_rate(data, areas):
    slide = view_of(data, areas, wijk=A, admin=True, slide="trend").trend
    assert slide.trend.indicator == "signalen_per_1000"
    assert line(slide.trend, "Kerkhoek") == pytest.approx({"2024": 4.0, "2025": 6.4})  # 10 and 16 per 2500
    assert line(slide.trend, "Stad") == pytest.approx({"2024": 3.8, "2025": 4.8})  # 19 and 24 per 5000
    assert slide.sentence == "Kerkhoek, signalen per 1000 inwoners: 6,4 in 2025, 2,4 meer dan in 2024 (+60,0 %)."
    assert slide.title == "Signalen per 1000 inwoners per jaar"


def test_trend_of_stock_counts_what_stood_on_31_december(data, areas):
    slide = view_of(data, areas, wijk=A, admin=True, slide="trend", trend_indicator="meubilair").trend
    assert line(slide.trend, "Kerkhoek") == {"2023": 2, "2024": 3, "2025": 3}  # the removed one never counts
    assert line(slide.trend, "Stad") == {"2023": 2, "2024": 4, "2025": 4}
    assert slide.sentence == "Kerkhoek, meubilair (aantal): 3 in 2025, evenveel als in 2024."
    assert slide.measure == "Per jaar: wat er op 31 december van dat jaar stond."
    # a year still running is marked, and the change is the last complete year's
    running = view_of(data, areas, wijk=A, admin=True, slide="trend", trend_indicator="meubilair", year=2025).trend
    assert running.running == ("2025",) and running.period_labels["2025"] == "2025 (lopend)"
    assert running.sentence == "Kerkhoek, meubilair (aantal): 3 in 2024, 1 meer dan in 2023 (+50,0 %)."
    assert "2025 loopt nog" in running.note


def test_trend_suppression_per_year_for_non_admins(data, areas):
    viewer = view_of(data, areas, wijk=C, slide="trend", trend_indicator="signalen").trend
    assert pd.isna(line(viewer.trend, "Aardenburg")["2024"])  # a gap, never the 3
    assert line(viewer.trend, "Aardenburg")["2025"] == 0
    assert 3.0 not in viewer.trend.data["waarde"].tolist()
    assert viewer.sentence == ""
    assert "De verandering wordt niet getoond" in viewer.note
    admin = view_of(data, areas, wijk=C, admin=True, slide="trend", trend_indicator="signalen").trend
    assert line(admin.trend, "Aardenburg") == {"2024": 3, "2025": 0}
    assert admin.sentence == "Aardenburg, signalen (aantal): 0 in 2025, 3 minder dan in 2024 (-100,0 %)."
    # Kerkhoek's own years are not small: shown to everyone
    assert view_of(data, areas, wijk=A, slide="trend", trend_indicator="signalen").trend.sentence.startswith(
        "Kerkhoek, signalen (aantal): 16 in 2025")


def test_trend_of_the_whole_city(data, areas):
    slide = view_of(data, areas, wijk=None, admin=True, slide="trend", trend_indicator="signalen").trend
    assert slide.trend.series == ["Stad"]
    # 24 - 19 = 5, 5 / 19 = 26,3 %
    assert slide.sentence == "Proefstad, signalen (aantal): 24 in 2025, 5 meer dan in 2024 (+26,3 %)."


def test_english_trend_sentence(data, areas):
    slide = view_of(data, areas, wijk=A, admin=True, slide="trend", trend_indicator="signalen", lang="en").trend
    assert slide.sentence == "Kerkhoek, signals (count): 16 in 2025, 6 more than in 2024 (+60.0%)."


def test_trend_chart_has_labelled_axes_and_a_dashed_city(data, areas):
    view = view_of(data, areas, wijk=A, admin=True, slide="trend", trend_indicator="meubilair", year=2025)
    spec = presentation.trend_chart(view).to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert encoding["x"]["title"] == "Jaar" and encoding["y"]["title"] == "Meubilair (aantal)"
    assert encoding["x"]["sort"] == ["2023", "2024", "2025 (lopend)"]
    assert encoding["y"]["axis"]["labelExpr"] == vega_number_expr(0, "nl")
    assert encoding["strokeDash"]["scale"]["range"] == [[1, 0], [9, 6]]  # the city dashed
    assert min(encoding["x"]["axis"]["labelFontSize"], encoding["y"]["axis"]["labelFontSize"]) >= 18
    solid = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {row["periode"] for row in solid} == {"2023", "2024"}  # the running year is drawn pale apart


# -- slides and the URL -----------------------------------------------------------------------
def test_slide_from_the_url_and_back():
    assert presentation.slide_from_query({"dia": "trend"}) == "trend"
    assert presentation.slide_from_query({"dia": "vergelijk"}) == "vergelijk"
    assert presentation.slide_from_query({"dia": "Trend"}) == "kaart"  # unknown: the map
    assert presentation.slide_from_query({}) == "kaart"
    assert [presentation.next_slide(s) for s in presentation.SLIDES] == ["vergelijk", "trend", "opvallend", "kaart"]
    assert presentation.next_slide("kaart", -1) == "opvallend"


def test_unknown_slide_shows_the_map(data, areas):
    view = view_of(data, areas, slide="dia-7")
    assert view.slide == "kaart" and view.trend is None


# -- the page ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("slides") / "data")


def charts(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]


def slide_control(at):
    return next(w for w in at.button_group if w.key == "p_slide")


def test_page_switches_slides_and_keeps_them_in_the_url(demo_dir, monkeypatch):
    at = open_dashboard(demo_dir, monkeypatch)
    at.switch_page("pages/presentatie.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert slide_control(at).value == "kaart" and "dia" not in at.query_params and not charts(at)

    slide_control(at).set_value("vergelijk").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["dia"] == "vergelijk"
    (spec,) = charts(at)
    assert "concat" in spec and len(spec["concat"]) == 5
    assert [m.label for m in at.metric][-1] == "Signalen per 1000 inw."

    slide_control(at).set_value("trend").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["dia"] == "trend"
    (spec,) = charts(at)
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Jaar"
    radio = next(r for r in at.radio if r.key == "p_trend")
    assert radio.value == "signalen_per_1000"
    radio.set_value("meubilair").run()
    assert not at.exception, [e.value for e in at.exception]
    assert charts(at)[0]["layer"][0]["encoding"]["y"]["title"] == "Meubilair (aantal)"

    # the keys of a presenter's clicker: PageDown → the next slide (Opvallend), then round the end
    next(b for b in at.button if b.key == "p_slide_next").click().run()
    assert slide_control(at).value == "opvallend" and at.query_params["dia"] == "opvallend"
    assert not at.exception, [e.value for e in at.exception]
    next(b for b in at.button if b.key == "p_slide_next").click().run()
    assert slide_control(at).value == "kaart" and "dia" not in at.query_params
    next(b for b in at.button if b.key == "p_slide_prev").click().run()
    next(b for b in at.button if b.key == "p_slide_prev").click().run()
    assert slide_control(at).value == "trend" and at.query_params["dia"] == "trend"
    # the trend's indicator survived the visit to the map
    assert next(r for r in at.radio if r.key == "p_trend").value == "meubilair"


def test_a_link_opens_its_slide(demo_dir, monkeypatch):
    at = open_dashboard(demo_dir, monkeypatch)
    at.query_params["dia"] = "vergelijk"
    at.switch_page("pages/presentatie.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert slide_control(at).value == "vergelijk"
    assert "concat" in charts(at)[0]


def test_slides_in_english_show_no_dutch(demo_dir, monkeypatch):
    from cohesie import i18n

    dutch = {nl for nl, en in i18n.EN.items() if nl != en and len(nl) > 12 and "{" not in nl}
    at = open_dashboard(demo_dir, monkeypatch)
    at.session_state["lang"] = "en"
    at.switch_page("pages/presentatie.py").run()
    for slide, words in (("vergelijk", ["Count", "dashed line: the city"]), ("trend", ["Year", "Signals per 1000"])):
        slide_control(at).set_value(slide).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = [f"{m.label} {m.value}" for m in at.metric] + [c.value for c in at.caption]
        shown += [m.value for m in at.markdown] + [json.dumps(spec) for spec in charts(at)]
        text = "\n".join(shown)
        assert all(word in text for word in words), (slide, words)
        assert not [nl for nl in dutch if nl in text], slide
