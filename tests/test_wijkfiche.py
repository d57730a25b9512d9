"""The Wijkfiche view model (cohesie.wijkfiche) and what renders it: the page, the PDF, the CSV.

One demo data directory; answers are recomputed here from the raw sectors and records, not
read back from the view model.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, demo_with_accounts

from cohesie import dataset, exports, i18n, indicators, privacy, wijkfiche
from cohesie.formatting import formatter
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.storage import open_store

WEEK = Filters(start=pd.Timestamp("2025-03-03"), end=pd.Timestamp("2025-03-09 23:59"))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("wijkfiche") / "data")


@pytest.fixture(scope="module")
def data(demo_dir):
    return dataset.load(open_store(demo_dir))


def wijken(data) -> list[str]:
    return sorted(data.sectors["wijk_code"].unique())


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def csv_rows(fiche) -> pd.DataFrame:
    """The CSV download as a Belgian spreadsheet reads it (``;``, decimal comma; header lines
    skipped)."""
    text = wijkfiche.csv_bytes(fiche).decode("utf-8-sig")
    assert [line[2:] for line in text.splitlines()[:len(fiche.header)]] == fiche.header
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    # 11 columns: the rank and the wijken ranked among them, the context figures' source, the
    # trend's change from the previous period in numbers and percent
    assert body.splitlines()[0].count(";") == 10
    return pd.read_csv(io.StringIO(body), sep=";", decimal=",")


# -- the same numbers on screen, in the PDF and in the CSV -----------------------------------
def test_screen_pdf_and_csv_show_the_same_numbers(data):
    code = wijken(data)[3]
    fiche = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=True, lang="nl")
    in_wijk = data.sectors[data.sectors["wijk_code"] == code]
    inhabitants = int(in_wijk["inwoners"].sum())
    signals = indicators.counted_points(data.points, Filters(layers=("signalen",), wijken=(code,))) \
        if hasattr(indicators, "counted_points") else \
        indicators.filter_points(data.points, Filters(layers=("signalen",), wijken=(code,)))
    rate = len(signals) / inhabitants * 1000

    # screen model, checked against the raw data
    assert fiche.code == code and fiche.title == f"Wijkfiche {in_wijk['wijk_naam'].iloc[0]}"
    assert fiche.figure("inwoners").value == inhabitants
    assert fiche.figure("inwoners").text == formatter("nl").integer(inhabitants)
    assert "." in fiche.figure("inwoners").text  # 4 digits or more: Belgian thousands point
    assert fiche.figure("oppervlakte_km2").text.endswith(" km²") and "," in fiche.figure("oppervlakte_km2").text
    assert fiche.figure("signalen_per_1000").value == pytest.approx(rate, abs=1e-3)
    assert fiche.comparison.values.loc["signalen", "wijk"] == len(signals)
    month_total = fiche.signals.table.to_numpy().sum()
    assert month_total == len(signals)

    # PDF: every key figure and every comparison cell as on screen
    text = pdf_text(exports.wijkfiche_pdf([fiche]))
    assert fiche.title in text
    for figure in fiche.figures:
        assert figure.text in text, figure
    for _, row in fiche.comparison.text.iterrows():
        for cell in (row["wijk"], row["stad"], row["verhouding"]):
            assert cell in text, (row["indicator"], cell)
    for line in fiche.header:
        assert line in text

    # CSV: the same values, numeric
    rows = csv_rows(fiche)
    subject, value = rows.columns[1], rows.columns[2]
    assert pd.api.types.is_float_dtype(rows[value])  # decimal commas, read as numbers
    by_subject = rows.set_index(subject)
    assert by_subject.loc["Inwoners", value] == inhabitants
    # exactly the figure the screen and the PDF show (613,4), not a longer 613,412
    from babel.numbers import parse_decimal

    shown = fiche.comparison.text.loc["signalen_per_1000", "wijk"]
    assert float(by_subject.loc["Signalen per 1000 inwoners", value]) == float(parse_decimal(shown, locale="nl_BE"))
    assert float(by_subject.loc["Signalen per 1000 inwoners", value]) == pytest.approx(
        fiche.comparison.values.loc["signalen_per_1000", "wijk"], abs=0.05)
    months = rows[rows[rows.columns[0]] == "Signalen per maand"]
    assert months[value].sum() == len(signals)


# -- filters -------------------------------------------------------------------------------
def test_layers_switched_off_are_neither_listed_nor_counted(data):
    code = wijken(data)[0]
    everything = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=False)
    assert everything.record_list("actoren") is not None and len(everything.record_list("actoren").table)
    assert (everything.points["layer"] == "actoren").any()

    without = tuple(k for k in LAYERS if k != "actoren")
    fiche = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(layers=without), admin=False)
    assert fiche.record_list("actoren") is None
    assert not [k for k in fiche.comparison.values.index if k.startswith("actoren")]
    assert not (fiche.points["layer"] == "actoren").any()
    assert "Actoren" not in pdf_text(exports.wijkfiche_pdf([fiche]))
    assert not csv_rows(fiche).iloc[:, 1].str.contains("Actoren").any()

    no_signals = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(layers=("meubilair",)), admin=False)
    assert no_signals.signals is None and no_signals.figure("signalen_per_1000") is None
    assert [r.layer for r in no_signals.records] == ["meubilair"]


def test_type_and_status_filters_apply_to_the_lists(data):
    furniture = data.points[data.points["layer"] == "meubilair"]
    code = furniture.groupby("wijk_code")["type"].nunique().idxmax()  # a wijk with several types
    fiche = wijkfiche.wijkfiche(data, wijk=code, admin=False,
                                filters=Filters(types={"meubilair": ("gevelbank",)},
                                                statuses={"meubilair": ("geplaatst",)}))
    listed = fiche.record_list("meubilair").table.values
    raw = data.points[(data.points["layer"] == "meubilair") & (data.points["wijk_code"] == code)
                      & (data.points["type"] == "gevelbank") & (data.points["status"] == "geplaatst")]
    assert len(listed) == len(raw) > 0
    assert len(raw) < (furniture["wijk_code"] == code).sum()  # the filter left records out
    assert set(listed["type"]) == {"gevelbank"} and set(listed["status"]) == {"geplaatst"}


def test_opens_on_the_filtered_wijk_and_offers_only_the_filtered_ones(data):
    codes = wijken(data)
    chosen = (codes[5], codes[2])
    filters = Filters(wijken=chosen)
    assert wijkfiche.wijkfiche(data, wijk=None, filters=filters, admin=False).code == codes[5]
    assert wijkfiche.wijkfiche(data, wijk=codes[0], filters=filters, admin=False).code == codes[5]
    fiche = wijkfiche.wijkfiche(data, wijk=codes[2], filters=filters, admin=False)
    assert fiche.code == codes[2]
    assert list(fiche.options) == list(chosen)
    # the city it is compared with is still the whole city
    whole = wijkfiche.wijkfiche(data, wijk=codes[2], filters=Filters(), admin=False)
    assert fiche.figure("inwoners").city == whole.figure("inwoners").city == data.sectors["inwoners"].sum()
    assert [f.code for f in wijkfiche.wijkfiches(data, filters=filters, admin=False)] == list(chosen)


# -- privacy -------------------------------------------------------------------------------
def test_small_signal_counts_are_suppressed_for_non_admins_only(data):
    fiches = {admin: wijkfiche.wijkfiches(data, filters=WEEK, admin=admin) for admin in (False, True)}
    small_months = 0
    for shown, full in zip(fiches[False], fiches[True]):
        raw = full.signals.table
        if raw.empty:
            continue
        small = (raw >= 1) & (raw <= 4)
        small_months += int(small.to_numpy().sum())
        small = small.to_numpy()
        assert np.isnan(shown.signals.table.to_numpy(dtype=float)[small]).all()
        assert (shown.signals.text.to_numpy()[small] == privacy.PRIMARY).all()
        # what the chart sends to the browser never holds a count of 1 to 4
        assert not shown.signals.data["aantal"].between(1, 4).any()
        assert full.signals.hidden == 0
    assert small_months > 0  # the week really has small counts

    day = Filters(start=pd.Timestamp("2025-03-05"), end=pd.Timestamp("2025-03-05 23:59"))
    fiches = {admin: wijkfiche.wijkfiches(data, filters=day, admin=admin) for admin in (False, True)}
    counts = {f.code: f.comparison.values.loc["signalen", "wijk"] for f in fiches[True]}
    small_wijk = next(c for c, n in counts.items() if 1 <= n <= 4)
    shown = next(f for f in fiches[False] if f.code == small_wijk)
    assert shown.comparison.text.loc["signalen", "wijk"] == "< 5"
    assert shown.comparison.values.loc["signalen", "wijk"] == wijkfiche.PRIMARY_STAND_IN
    assert np.isnan(shown.comparison.values.loc["signalen_per_1000", "wijk"])
    assert shown.figure("signalen").text == "< 5" and shown.figure("signalen_per_1000") is None
    assert shown.signals.hidden > 0 and shown.signals.note
    # at most 4 signals, so every month cell is hidden: the chart says so, not "no signals"
    assert shown.signals.empty and shown.signals.empty_text != "Geen signalen in deze periode."
    rows = csv_rows(shown).set_index(csv_rows(shown).columns[1])
    assert pd.isna(rows.loc["Signalen (aantal)", rows.columns[1]])  # neither count nor stand-in
    assert rows.loc["Signalen (aantal)", rows.columns[-1]] == "< 5"
    admin = next(f for f in fiches[True] if f.code == small_wijk)
    assert admin.comparison.text.loc["signalen", "wijk"] == str(int(counts[small_wijk]))


# -- language ------------------------------------------------------------------------------
def test_english_headers_and_numbers(data):
    code = wijken(data)[3]
    fiche = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=True, lang="en")
    assert fiche.title.startswith("Neighbourhood profile ")
    assert list(fiche.comparison.headers.values()) == ["Indicator", "Neighbourhood", "City", "Ratio", "Rank"]
    assert fiche.comparison.text.loc["inwoners", "indicator"] == "Inhabitants"
    assert fiche.record_list("pleinmakers").table.headers["naam"] == "Name"
    assert fiche.record_list("meubilair").table.headers["datum"] == "Date placed"
    assert fiche.record_list("actoren").title.startswith("Actors (")
    assert (fiche.signals.title, fiche.signals.x_title, fiche.signals.legend_title) == \
        ("Signals per month", "Month", "Category")
    assert fiche.signals.months[0][:3] in {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                           "Oct", "Nov", "Dec"}
    inhabitants = int(data.sectors.loc[data.sectors["wijk_code"] == code, "inwoners"].sum())
    assert fiche.figure("inwoners").text == f"{inhabitants:,}"  # English thousands comma
    dutch = {nl for nl, en in i18n.EN.items() if nl != en and len(nl) > 3}
    shown = [*fiche.comparison.headers.values(), *fiche.comparison.text["indicator"], *fiche.labels.values(),
             *(h for r in fiche.records for h in r.table.headers.values()), *(f.label for f in fiche.figures)]
    assert not [s for s in shown if s in dutch]
    text = pdf_text(exports.wijkfiche_pdf([fiche]))
    assert "Neighbourhood" in text and "City" in text and "Ratio" in text and "page 1" in text
    assert "Verhouding" not in text and "pagina" not in text


def test_every_string_of_the_fiche_has_an_english_entry():
    used = set()
    for path in (REPO / "cohesie" / "wijkfiche.py", REPO / "pages" / "wijkfiche.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("t", "header") and isinstance(node.args[0].value, str):
                    used.add(node.args[0].value)
    used |= {text for lay in LAYERS.values() for text in (lay.type_label, lay.date_label, *lay.extra)}
    assert len(used) > 30
    assert not sorted(used - set(i18n.EN))


# -- the PDF chart -------------------------------------------------------------------------
def test_pdf_chart_uses_the_screen_colours_and_keeps_its_legend_off_the_bars(data):
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    fiche = wijkfiche.wijkfiche(data, wijk=wijken(data)[0], filters=Filters(), admin=False)
    chart = fiche.signals
    assert chart.colours == wijkfiche.category_colours(chart.categories)
    fig, ax = exports._chart_figure(chart, lang="nl")
    try:
        fig.canvas.draw()
        bars = {to_hex(p.get_facecolor()).lower() for p in ax.patches}
        assert bars == {c.lower() for c in chart.colours.values()}
        legend = ax.get_legend().get_window_extent()
        plot = ax.get_window_extent()
        assert legend.x0 >= plot.x1  # beside the plot, never over a bar
        assert [t.get_text() for t in ax.get_xticklabels()] == chart.ticks
        assert len(chart.ticks) <= wijkfiche.MAX_AXIS_LABELS
    finally:
        plt.close(fig)


def test_known_categories_keep_their_colour_in_every_wijk():
    a = wijkfiche.category_colours(["zwerfvuil", "wildplassen"])
    b = wijkfiche.category_colours(["hangjongeren", "zwerfvuil", "graffiti"])
    assert a["zwerfvuil"] == b["zwerfvuil"]
    assert len(set(b.values())) == 3


# -- the page (AppTest) ----------------------------------------------------------------------
@pytest.fixture
def app(demo_dir, monkeypatch):
    from conftest import open_dashboard

    return open_dashboard(demo_dir, monkeypatch, timeout=90)


def test_page_opens_on_the_wijk_filtered_in_the_sidebar(app, data):
    code = wijken(data)[-1]
    name = data.sectors.loc[data.sectors["wijk_code"] == code, "wijk_naam"].iloc[0]
    app.multiselect(key="f_wijken").set_value([code]).run()
    app.switch_page("pages/wijkfiche.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == f"Wijkfiche {name}"
    picker = app.selectbox(key="w_wijk")
    assert picker.value == code and len(picker.options) == 1


def test_page_without_actors_shows_no_actors(app):
    app.multiselect(key="f_layers").set_value([k for k in LAYERS if k != "actoren"]).run()
    app.switch_page("pages/wijkfiche.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    headings = [h.value for h in app.subheader]
    assert any(h.startswith("Meubilair (") for h in headings)
    assert not any(h.startswith("Actoren") for h in headings)
    assert not any("contactrol" in d.value.columns for d in app.dataframe)


def test_page_chart_has_the_palette_and_english_labels(app):
    import json

    app.session_state["lang"] = "en"
    app.switch_page("pages/wijkfiche.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    charts = [e for e in app.main if getattr(e, "type", "") == "vega_lite_chart"
              and not {"facet", "layer"} & set(json.loads(e.proto.spec))]  # ranks: faceted; trend: layered
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    colour = spec["encoding"]["color"]
    assert colour["scale"]["range"] == [wijkfiche.CATEGORY_COLOURS[c] for c in colour["scale"]["domain"]
                                        if c in wijkfiche.CATEGORY_COLOURS]
    assert spec["encoding"]["x"]["title"] == "Month" and spec["encoding"]["y"]["title"] == "Number of signals"
    assert app.title[0].value.startswith("Neighbourhood profile ")
    config = json.loads(app.dataframe[0].proto.columns)
    assert [config[c]["label"] for c in ("indicator", "wijk", "stad", "verhouding")] == \
        ["Indicator", "Neighbourhood", "City", "Ratio"]
    assert config["indicator"]["pinned"] is True


def test_picking_another_wijk_puts_it_in_the_url(app, data):
    app.switch_page("pages/wijkfiche.py")
    app.run()
    other = wijken(data)[4]
    app.selectbox(key="w_wijk").set_value(other).run()
    assert not app.exception, [e.value for e in app.exception]
    name = data.sectors.loc[data.sectors["wijk_code"] == other, "wijk_naam"].iloc[0]
    assert app.title[0].value == f"Wijkfiche {name}"
    assert app.query_params.get("wijk") in (other, [other])


def test_pleinmakers_without_an_action_this_year_are_named(data):
    year = dt.date.today().year
    done = set(data.acties.loc[data.acties["datum"].dt.year == year, "pleinmaker_id"])
    pm = data.points[(data.points["layer"] == "pleinmakers") & (data.points["status"] == "actief")
                     & ~data.points["id"].isin(done)].iloc[0]
    fiche = wijkfiche.wijkfiche(data, wijk=pm["wijk_code"], filters=Filters(), admin=False, year=year)
    assert pm["naam"] in fiche.late_pleinmakers and pm["naam"] in fiche.late_text
    assert fiche.late_text in pdf_text(exports.wijkfiche_pdf([fiche])).replace("\n", " ")
    hidden = dataclasses.replace(Filters(), layers=("meubilair",))
    assert wijkfiche.wijkfiche(data, wijk=pm["wijk_code"], filters=hidden, admin=False).late_pleinmakers == []


def test_small_map_names_the_layers_in_the_fiche_language(data):
    from cohesie import maps

    fiche = wijkfiche.wijkfiche(data, wijk=None, filters=Filters(), admin=True, lang="en")
    assert len(fiche.points), "the demo wijk has records to draw"
    html = maps.small_map(shapes_geojson=fiche.shapes_geojson(), points=fiche.points,
                          assets={"js": [], "css": []}, layer_labels=fiche.layer_names).get_root().render()
    shown = {fiche.layer_names[k] for k in fiche.points["layer"]}
    assert all(f"{label}: " in html for label in shown)
    assert not any(f"{LAYERS[k].label}: " in html for k in set(fiche.points["layer"]) if LAYERS[k].label not in shown)
