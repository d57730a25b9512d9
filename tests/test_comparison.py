"""Vergelijken: the view model on three sectors in two wijken with hand-known answers (values,
ranks "n van N", one set of classes across the small maps, trend values, suppression for
non-admins), the URL round trip, the PDF and the XLSX, and the page in AppTest."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import demo_with_accounts, open_dashboard
from shapely.geometry import box

from cohesie import classify, comparison, dataset, exports, privacy, urlstate
from cohesie.indicators import Filters
from cohesie.dataset import Dataset
from cohesie.storage import POINT_COLUMNS, open_store

X0, Y0 = 150_000, 190_000
CODES = ["11111A00-", "11111A01-", "11111B00-"]  # S1, S2 in wijk W1 (deelgemeente A); S3 in W2 (B)
WIJK = dict(zip(CODES, ["W1", "W1", "W2"]))
PEOPLE = [1000, 2000, 500]
# signals: S1 6 in 2024 and 4 in 2025, S2 3 in 2024, S3 20 in 2025; one bench in S1 since 2023
SIGNALS = [("11111A00-", "2024-03-01", 6), ("11111A00-", "2025-03-01", 4), ("11111A01-", "2024-05-01", 3),
           ("11111B00-", "2025-06-01", 20)]


def make_data() -> Dataset:
    sectors = gpd.GeoDataFrame(
        {"code": CODES, "naam": ["Noord", "Midden", "Zuid"], "deelgemeente": ["11111A", "11111A", "11111B"],
         "deelgemeente_naam": ["Stad", "Stad", "Dorp"], "nis": ["11111"] * 3, "gemeente_naam": ["Proefstad"] * 3,
         "wijk_code": ["W1", "W1", "W2"], "wijk_naam": ["Wijk een", "Wijk een", "Wijk twee"],
         "inwoners": np.array(PEOPLE, dtype="int64")},
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)], crs=31370)
    rows = []
    for sector, day, n in SIGNALS:
        i = CODES.index(sector)
        for k in range(n):
            rows.append({"layer": "signalen", "id": f"s{len(rows)}", "naam": "", "type": "zwerfvuil",
                         "status": "open", "datum": day, "x": X0 + i * 1000 + 500, "y": Y0 + 500,
                         "sector": sector, "wijk_code": WIJK[sector]})
    rows.append({"layer": "meubilair", "id": "m1", "naam": "bank", "type": "gevelbank", "status": "geplaatst",
                 "datum": "2023-01-01", "x": X0 + 500, "y": Y0 + 400, "sector": CODES[0], "wijk_code": "W1"})
    points = pd.DataFrame(rows).reindex(columns=[*POINT_COLUMNS, "version", "updated_at"])
    for col in ("datum", "einddatum"):
        points[col] = pd.to_datetime(points[col])
    context = pd.DataFrame({"niveau": "wijk", "code": ["W1", "W2"], "kolom": "score", "waarde": [6.0, 8.0]})
    meta = pd.DataFrame({"kolom": ["score"], "niveau": ["wijk"], "naam": ["Tevredenheid"], "eenheid": ["/10"],
                         "bron": ["enquête"], "jaar": ["2024"], "soort": ["rate"], "volgorde": [1]})
    return Dataset(sectors=sectors, points=points, acties=pd.DataFrame(columns=["pleinmaker_id", "datum"]),
                   meta={"gemeente": "Proefstad", "nis": "11111", "bron_sectoren": "test", "bron_bevolking": "test",
                         "data_version": "1"},
                   imports=pd.DataFrame({"tijdstip": ["2026-11-30T10:00:00"]}), context=context, context_meta=meta)


LAYERS = Filters(layers=("meubilair", "signalen"))


@pytest.fixture(scope="module")
def data():
    return make_data()


def view_of(data, codes, *, admin=True, indicator=None, lang="nl"):
    return comparison.comparison(data, areas=codes, filters=LAYERS, admin=admin, lang=lang, indicator=indicator)


def column_of(view, code):
    return next(i for i, a in enumerate(view.areas) if a.code == code)


def test_values_ranks_and_city_by_hand(data):
    view = view_of(data, ["W1", "W2", "11111A00-", "stad"])
    assert [a.level for a in view.areas] == ["wijk", "wijk", "sector", "gemeente"]
    text, values = view.table.text, view.table.values
    w1, w2, s1 = (column_of(view, c) for c in ("W1", "W2", "11111A00-"))
    # signals: W1 6+4+3 = 13, W2 20, city 33; per 1000: 13/3000, 20/500, 33/3500
    assert values.loc["signalen", f"waarde_{w1}"] == 13 and values.loc["signalen", f"waarde_{w2}"] == 20
    assert values.loc["signalen", "stad"] == 33
    assert text.loc["signalen_per_1000", f"waarde_{w1}"] == "4,3"
    assert text.loc["signalen_per_1000", f"waarde_{w2}"] == "40,0"
    assert text.loc["signalen_per_1000", "stad"] == "9,4"
    assert text.loc["inwoners", "stad"] == "3.500"
    # ranks among the areas of each level: W2 has the most signals of 2 wijken, S1 (10) is 2nd of 3 sectors
    assert text.loc["signalen", f"rang_{w2}"] == "1 van 2" and text.loc["signalen", f"rang_{w1}"] == "2 van 2"
    assert text.loc["inwoners", f"rang_{w1}"] == "1 van 2"
    assert text.loc["signalen", f"rang_{s1}"] == "2 van 3" and view.ranks[("11111A00-", "signalen")].of == 3
    assert "rang_3" not in text  # the city has no rank
    # the context figure is a row too: W1 6, W2 8 (rank 1), a sector has no value
    score = [k for k in values.index if k == "score"]
    assert score, list(values.index)
    assert values.loc["score", f"waarde_{w1}"] == 6 and values.loc["score", f"waarde_{w2}"] == 8
    assert text.loc["score", f"rang_{w2}"] == "1 van 2"
    assert text.loc["score", f"waarde_{s1}"] == ""


def test_non_admin_never_gets_a_hidden_count(data):
    view = view_of(data, ["11111A00-", "11111A01-", "11111B00-"], admin=False)
    text, values = view.table.text, view.table.values
    # S2 has 3 signals: "< 5"; S1 (10) the other sector of W1 is complementary "verborgen"
    assert text.loc["signalen", "waarde_1"] == privacy.PRIMARY
    assert text.loc["signalen", "waarde_0"] == privacy.COMPLEMENTARY
    for i in (0, 1):
        assert np.isnan(values.loc["signalen", f"waarde_{i}"])
        assert np.isnan(values.loc["signalen_per_1000", f"waarde_{i}"])
        assert text.loc["signalen", f"rang_{i}"] == ""
    # S3 is ranked among the shown sectors only
    assert text.loc["signalen", "waarde_2"] == "20" and text.loc["signalen", "rang_2"] == "1 van 1"
    signal_rows = values.loc[["signalen", "signalen_per_1000"], [c for c in values if c.startswith("waarde_")]]
    assert set(signal_rows.stack().dropna()) == {20.0, 40.0}  # S3 only: no hidden count, no stand-in
    frame = view.export_frame().set_index("Indicator")
    assert frame.loc["Signalen (aantal)", "Midden (sector 11111A01-)"] == privacy.PRIMARY
    assert frame.loc["Signalen (aantal)", "Noord (sector 11111A00-)"] == privacy.COMPLEMENTARY
    # the admin sees the counts and their ranks
    admin = view_of(data, ["11111A00-", "11111A01-", "11111B00-"], admin=True)
    assert admin.table.values.loc["signalen", "waarde_1"] == 3
    assert admin.table.text.loc["signalen", "rang_1"] == "3 van 3"


def _colours(small) -> dict:
    return dict(zip(small.sectors["code"], small.sectors["kleur"]))


def test_small_maps_share_one_set_of_classes(data):
    view = view_of(data, ["W1", "W2", "stad"], indicator="signalen_per_1000")
    w1, w2, city = (_colours(m) for m in view.maps)
    assert set(w1) == {"11111A00-", "11111A01-"} and set(w2) == {"11111B00-"} and len(city) == 3
    # sector rates 10, 1,5 and 40: three values, three classes from light to dark
    palette = classify.PALETTES[3]
    assert city == {"11111A01-": palette[0], "11111A00-": palette[1], "11111B00-": palette[2]}
    assert w1 == {k: city[k] for k in w1} and w2 == {k: city[k] for k in w2}  # the same colours everywhere
    assert [c for c, _ in view.legend] == palette
    # non-admin: the hidden sectors are grey-purple, the one shown sector alone in its class
    hidden = view_of(data, ["W1", "W2"], indicator="signalen_per_1000", admin=False)
    assert set(_colours(hidden.maps[0]).values()) == {classify.HIDDEN_COLOUR}
    assert _colours(hidden.maps[1])["11111B00-"] != classify.HIDDEN_COLOUR


def _series(trend, label) -> list:
    rows = trend.data[trend.data["reeks"] == label].set_index("periode")["waarde"]
    return [None if pd.isna(v) else float(v) for v in rows.reindex(trend.periods)]


def test_trend_per_year_and_suppression(data):
    view = view_of(data, ["W1", "W2"], indicator="signalen")
    trend = view.trend
    # no signal anywhere in 2023 (the bench's year): not a year with none, left out and said so
    assert trend.periods == ["2024", "2025"] and "vóór 2024 zijn weggelaten" in trend.note
    assert _series(trend, "Wijk een") == [9, 4] and _series(trend, "Wijk twee") == [0, 20]
    assert _series(trend, "Stad") == [9, 24] and trend.series[-1] == trend.city_series == "Stad"
    # the bench stands on 31 December of every year since 2023 (stock)
    bench = view_of(data, ["W1", "W2"], indicator="meubilair").trend
    assert _series(bench, "Wijk een") == [1, 1, 1] and _series(bench, "Wijk twee") == [0, 0, 0]
    # non-admin: W1's 4 signals of 2025 are a gap, never the count
    hidden = view_of(data, ["W1", "W2"], indicator="signalen", admin=False).trend
    assert _series(hidden, "Wijk een")[0] == 9 and _series(hidden, "Wijk een")[1] is None
    assert 4.0 not in set(hidden.data["waarde"].dropna()) and hidden.note
    # a context figure has no trend, but a note says so
    score = view_of(data, ["W1", "W2"], indicator="score")
    assert score.trend is None and any("Geen trend" in n for n in score.notes)


def test_unknown_and_repeated_codes_are_dropped(data):
    areas = comparison.resolve(data.sectors, ["W1", "bestaat-niet", "W1", "11111", "11111A", "11111B00-", "W2"])
    assert [(a.code, a.level) for a in areas] == [("W1", "wijk"), ("stad", "gemeente"), ("11111A", "deelgemeente"),
                                                 ("11111B00-", "sector")]


def test_url_round_trip(data):
    view = view_of(data, ["W2", "11111A00-", "stad"], indicator="meubilair_per_1000")
    query = urlstate.comparison_to_query(view.codes, view.indicator, default_indicator="signalen_per_1000")
    assert query == {"vergelijk": "W2,11111A00-,stad", "indicator": "meubilair_per_1000"}
    known = comparison.area_index(data.sectors)
    codes, indicator = urlstate.comparison_from_query(query, known=known, indicators=view.options)
    again = view_of(data, codes, indicator=indicator)
    assert again.codes == view.codes and again.indicator == view.indicator
    pd.testing.assert_frame_equal(again.table.text, view.table.text)
    # a stale link: unknown codes and indicator are ignored
    assert urlstate.comparison_from_query({"vergelijk": "X,W1", "indicator": "oud"}, known=known,
                                          indicators=view.options) == (["W1"], None)


def test_xlsx_has_the_view_models_numbers(data):
    from openpyxl import load_workbook

    view = view_of(data, ["W1", "W2", "stad"], admin=False)
    book = load_workbook(io.BytesIO(exports.comparison_xlsx(view)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == view.header[0] and rows[0][0].startswith("Vergelijking Wijk een")
    start = next(i for i, r in enumerate(rows) if r[0] == "Indicator")
    head = rows[start]
    assert head[1] == "Wijk een (wijk W1)" and head[2] == "Wijk een: rang" and head[-1] == "Stad"
    by_label = {r[0]: r for r in rows[start + 1:] if r[0]}
    signals = by_label["Signalen (aantal)"]
    assert signals[1] == 13 and signals[2] == 2 and signals[3] == 2 and signals[4] == 20 and signals[-1] == 33
    rate = by_label["Signalen per 1000 inwoners"]
    assert isinstance(rate[1], float) and rate[1] == pytest.approx(4.3) and rate[-1] == pytest.approx(9.4)
    assert by_label["Inwoners"][1] == 3000


def test_pdf_shows_the_table(data):
    view = view_of(data, ["W1", "W2", "stad"])
    pdf = exports.comparison_pdf(view)
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for piece in ("Vergelijking Wijk een", "Wijk twee", "1 van 2", "40,0", "9,4", "Bron"):
        assert piece in text, piece


# -- the page ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("vergelijken") / "data")


def test_page_opens_the_comparison_of_the_url(demo_dir, monkeypatch):
    wijken = sorted(dataset.load(open_store(demo_dir)).sectors["wijk_code"].unique())
    at = open_dashboard(demo_dir, monkeypatch)
    at.query_params["vergelijk"] = f"{wijken[0]},{wijken[1]},stad"
    at.switch_page("pages/vergelijken.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Vergelijken"
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["indicator", "waarde_0", "rang_0"] and "stad" in table.columns
    assert table["rang_0"].str.endswith("van 12").all()
    assert at.multiselect(key="v_areas").value == [wijken[0], wijken[1], "stad"]
    # the trend: one line per wijk and the city dashed, labelled axes
    import json

    (chart,) = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart" and '"Jaar"' in e.proto.spec]
    spec = json.loads(chart.proto.spec)
    encoding = spec["layer"][0]["encoding"]
    assert encoding["y"]["title"] == "Signalen per 1000 inwoners" and encoding["x"]["title"] == "Jaar"
    dashes = dict(zip(encoding["strokeDash"]["scale"]["domain"], encoding["strokeDash"]["scale"]["range"]))
    assert dashes["Stad"] == [6, 4] and sum(d == [1, 0] for d in dashes.values()) == 2
    # choosing another indicator keeps the areas and writes it into the URL
    at.selectbox(key="v_indicator").select("meubilair_per_1000").run()
    assert not at.exception
    assert at.query_params.get("indicator") in ("meubilair_per_1000", ["meubilair_per_1000"])
    assert at.query_params.get("vergelijk") in (f"{wijken[0]},{wijken[1]},stad", [f"{wijken[0]},{wijken[1]},stad"])


def test_page_in_english_shows_no_dutch_text(demo_dir, monkeypatch):
    from cohesie import i18n

    wijken = sorted(dataset.load(open_store(demo_dir)).sectors["wijk_code"].unique())
    at = open_dashboard(demo_dir, monkeypatch)
    at.session_state["lang"] = "en"
    at.query_params["vergelijk"] = f"{wijken[0]},stad"
    at.switch_page("pages/vergelijken.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [str(getattr(e, "value", "")) for kind in ("title", "subheader", "caption", "info", "markdown")
             for e in getattr(at, kind)]
    shown += [str(w.label) for kind in ("selectbox", "multiselect") for w in getattr(at, kind)]
    table = at.dataframe[0].value
    shown += [str(v) for v in table.to_numpy().ravel()]
    text = "\n".join(shown)
    assert "Compare" in text and "of 12" in text and "Signals per 1000 inhabitants" in text
    dutch = {nl for nl, en in i18n.EN.items() if nl != en and len(nl) > 12 and "{" not in nl}
    assert not sorted(d for d in dutch if d in text)


def test_wijkfiche_links_to_the_comparison_of_its_wijk(demo_dir, monkeypatch):
    wijk = sorted(dataset.load(open_store(demo_dir)).sectors["wijk_code"].unique())[2]
    at = open_dashboard(demo_dir, monkeypatch)
    at.query_params["wijk"] = wijk
    at.switch_page("pages/wijkfiche.py").run()
    assert not at.exception, [e.value for e in at.exception]
    links = [e for e in at.main if getattr(e, "type", "") == "page_link" or "page_link" in str(type(e.proto))]
    protos = [e.proto for e in links]
    assert protos, "no page link on the Wijkfiche"
    link = next(p for p in protos if "Vergelijk" in p.label)
    assert "vergelijken" in link.page and f"vergelijk={wijk}" in link.query_string


def test_no_areas_is_an_empty_comparison(data):
    view = view_of(data, ["bestaat-niet"])
    assert view.areas == [] and view.table.empty and view.maps == [] and view.trend is None
    assert "stad" in view.choices and "W1" in view.choices and "11111B00-" in view.choices


def test_page_hides_small_counts_for_editors_not_for_admins(demo_dir, monkeypatch):
    import datetime as dt

    from cohesie import auth, indicatorview

    data = dataset.load(open_store(demo_dir))
    week = Filters(start=pd.Timestamp("2025-03-03"), end=pd.Timestamp("2025-03-09 23:59"))
    table = indicatorview.indicator_table(data, week, level="sector", admin=True).table
    small = table.loc[table["signalen"].between(1, 4), ["code", "signalen"]].head(3)
    assert len(small) == 3, "the demo week should have sectors with 1 to 4 signals"

    def page(user):
        at = open_dashboard(demo_dir, monkeypatch)
        at.session_state["auth_token"] = auth.login(open_store(demo_dir), user, "geheim-123")
        at.session_state["f_period"] = (dt.date(2025, 3, 3), dt.date(2025, 3, 9))
        at.query_params["vergelijk"] = ",".join(small["code"])
        at.switch_page("pages/vergelijken.py").run()
        assert not at.exception, [e.value for e in at.exception]
        sent = at.dataframe[0].value.set_index("indicator")
        return [sent.loc["Signalen (aantal)", f"waarde_{i}"] for i in range(3)]

    assert page("eva") == ["< 5"] * 3
    assert page("ada") == [str(n) for n in small["signalen"]]


def test_missing_population_is_a_note_and_no_rate(data):
    from dataclasses import replace as dc_replace

    sectors = data.sectors.copy()
    sectors["inwoners"] = [1000.0, 2000.0, np.nan]  # Zuid (W2) has no figure
    view = view_of(dc_replace(data, sectors=sectors), ["W1", "W2"])
    text = view.table.text
    assert text.loc["signalen_per_1000", "waarde_1"] == ""  # W2's rate is unknown, not 0
    assert text.loc["signalen_per_1000", "rang_1"] == "" and text.loc["signalen_per_1000", "rang_0"] == "1 van 1"
    assert any("zonder bevolkingscijfer" in n for n in view.notes)
    assert any("1 zonder waarde" in n for n in view.notes)


def test_trend_per_quarter(data):
    """Signals per quarter by hand: W1 6 in 2024-Q1 (S1, March), 3 in 2024-Q2 (S2, May), 4 in
    2025-Q1; W2 20 in 2025-Q2; the quarters before the first signal (the bench's 2023) left out."""
    trend = comparison.comparison(data, areas=["W1", "W2"], filters=LAYERS, admin=True, lang="nl",
                                  indicator="signalen", per="quarter").trend
    assert trend.periods == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert _series(trend, "Wijk een") == [6, 3, 0, 0, 4, 0]
    assert _series(trend, "Wijk twee") == [0, 0, 0, 0, 0, 20]
    assert _series(trend, "Stad") == [6, 3, 0, 0, 4, 20]
    assert trend.x_title == "Kwartaal" and trend.title.startswith("Trend per kwartaal")
    # non-admin: W1's 3 signals of 2024-Q2 are a gap, never the count
    hidden = comparison.comparison(data, areas=["W1", "W2"], filters=LAYERS, admin=False, lang="nl",
                                   indicator="signalen", per="quarter").trend
    assert _series(hidden, "Wijk een")[1] is None and 3.0 not in set(hidden.data["waarde"].dropna())
    assert "Kwartalen met 1 tot 4 signalen" in hidden.note


def test_page_trend_per_quarter_is_in_the_url(demo_dir, monkeypatch):
    wijken = sorted(dataset.load(open_store(demo_dir)).sectors["wijk_code"].unique())
    at = open_dashboard(demo_dir, monkeypatch)
    at.query_params["vergelijk"] = f"{wijken[0]},{wijken[1]}"
    at.query_params["per"] = "kwartaal"
    at.switch_page("pages/vergelijken.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Trend per kwartaal") for s in at.subheader)
    assert at.radio(key="v_per").value == "quarter"
    at.radio(key="v_per").set_value("year").run()
    assert any(s.value.startswith("Trend per jaar") for s in at.subheader)
    assert "per" not in at.query_params
