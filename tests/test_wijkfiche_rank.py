"""The Wijkfiche's rank among the wijken and its strip plot: the view model against the
Indicatoren table of the same data, suppression for non-admins, the PDF, the CSV and the page.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from conftest import demo_with_accounts

from cohesie import dataset, exports, indicatorview, wijkfiche
from cohesie.indicators import Filters
from cohesie.storage import open_store

DAY = Filters(start=pd.Timestamp("2025-03-05"), end=pd.Timestamp("2025-03-05 23:59"))  # few signals
COLUMNS = ["inwoners", "signalen", "signalen_per_1000", "meubilair_per_1000", "dekking_meubilair_pct"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("rank") / "data")


@pytest.fixture(scope="module")
def data(demo_dir):
    return dataset.load(open_store(demo_dir))


def position(table: pd.DataFrame, column: str, code: str) -> int:
    """Where ``code`` stands in ``table`` sorted on ``column`` from high to low (ties: first)."""
    ordered = table.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)
    own = float(table.set_index("code").loc[code, column])
    return int(ordered.index[ordered[column] == own][0]) + 1


def test_admin_rank_is_the_position_in_the_indicatoren_table(data):
    view = indicatorview.indicator_table(data, Filters(), level="wijk", admin=True)
    fiches = wijkfiche.wijkfiches(data, filters=Filters(), admin=True, lang="nl")
    assert len(fiches) == len(view.table) == 12
    for fiche in fiches:
        for column in COLUMNS:
            expected = position(view.table, column, fiche.code)
            assert fiche.ranks[column].rank == expected, (fiche.code, column)
            assert fiche.comparison.values.loc[column, "rang"] == expected
            assert fiche.comparison.text.loc[column, "rang"] == f"{expected} van 12"
    # every rank 1..12 is taken once for a column without ties
    assert sorted(f.ranks["inwoners"].rank for f in fiches) == list(range(1, 13))


def test_non_admin_ranks_use_shown_signal_counts_only(data):
    view = indicatorview.indicator_table(data, DAY, level="wijk", admin=False)
    shown = view.table[view.hidden["signalen"] == ""]
    hidden = set(view.table.loc[view.hidden["signalen"] != "", "code"])
    assert hidden and len(shown) >= 2, "the demo week should hide some wijken and show others"
    fiches = {f.code: f for f in wijkfiche.wijkfiches(data, filters=DAY, admin=False, lang="nl")}
    for code, fiche in fiches.items():
        for column in ("signalen", "signalen_per_1000"):
            rank = fiche.ranks[column]
            if code in hidden:
                assert rank.rank is None and rank.hidden
                assert fiche.comparison.text.loc[column, "rang"] == ""
                assert np.isnan(fiche.comparison.values.loc[column, "rang"])
            else:
                assert rank.rank == position(shown, column, code)
                assert rank.of == len(shown.dropna(subset=[column])) and rank.withheld == len(hidden)
        # the strip plot draws no wijk whose count is hidden, in the signal rows
        dots = fiche.distribution.of(["signalen", "signalen_per_1000"])
        drawn = set(dots.loc[dots["rol"] != "stad", "naam"])
        names = dict(zip(view.table["code"], view.table["naam"]))
        assert not drawn & {names[c] for c in hidden}
        assert len(dots[dots["kolom"] == "signalen"]) == len(shown)
    one = fiches[min(hidden)]
    assert one.distribution.note and "signalen" in one.distribution.note
    assert "met een verborgen aantal" in one.labels["rank_note"]
    # an admin sees every wijk ranked
    admin = wijkfiche.wijkfiche(data, wijk=min(hidden), filters=DAY, admin=True, lang="nl")
    assert admin.ranks["signalen"].rank is not None and admin.ranks["signalen"].of == 12


def test_strip_plot_marks_this_wijk_once_and_the_city_for_rates(data):
    code = sorted(data.sectors["wijk_code"].unique())[3]
    fiche = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=True, lang="en")
    rows = fiche.distribution.of(["signalen_per_1000"])
    assert (rows["rol"] == "wijk").sum() == 1 and (rows["rol"] == "ander").sum() == 11
    city = rows[rows["rol"] == "stad"]
    assert len(city) == 1 and city["tekst"].iloc[0] == fiche.comparison.text.loc["signalen_per_1000", "stad"]
    assert rows.loc[rows["rol"] == "wijk", "waarde"].iloc[0] == pytest.approx(
        fiche.comparison.values.loc["signalen_per_1000", "wijk"])
    assert fiche.distribution.labels["signalen_per_1000"].endswith(f"({fiche.ranks['signalen_per_1000'].rank} of 12)")
    assert set(rows["legenda"]) == {fiche.naam, "Other neighbourhoods", "City"}


def test_pdf_and_csv_carry_the_rank(data):
    from pypdf import PdfReader

    code = sorted(data.sectors["wijk_code"].unique())[5]
    fiche = wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=False, lang="nl")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.wijkfiche_pdf([fiche]))).pages)
    assert "Rang" in text
    for column in COLUMNS:
        assert fiche.comparison.text.loc[column, "rang"] in text
    csv = wijkfiche.csv_frame(fiche)
    comparison = csv[csv["Onderdeel"] == fiche.labels["comparison"]]
    assert comparison["Rang"].tolist() == [str(r.rank) for r in fiche.ranks.values()]
    assert set(comparison["Gerangschikte wijken"]) == {"12"}


@pytest.fixture
def app(demo_dir, monkeypatch):
    from conftest import open_dashboard

    return open_dashboard(demo_dir, monkeypatch, timeout=60)


def strip_chart(at) -> tuple[dict, pd.DataFrame]:
    """The strip plot's Vega-Lite spec and the rows it draws."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    (chart,) = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart" and "facet" in json.loads(e.proto.spec)]
    rows = pd.concat([convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets])
    return json.loads(chart.proto.spec), rows


@pytest.mark.parametrize("lang, word", [("nl", "van"), ("en", "of")])
def test_page_shows_the_rank_and_the_strip_plot(app, lang, word):
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    app.session_state["lang"] = lang
    app.switch_page("pages/wijkfiche.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    table = app.dataframe[0]
    config = json.loads(table.proto.columns)
    assert config["rang"]["label"] == ("Rang" if lang == "nl" else "Rank")
    assert table.value["rang"].dtype.kind == "f"  # sorts as a number
    picker = app.multiselect(key="w_spreiding" if lang == "nl" else "w_spreiding_en")
    assert picker.value == [c for c in table.value.index if c.endswith("_per_1000")]
    assert picker.format_func("signalen_per_1000") == table.value.loc["signalen_per_1000", "indicator"]
    shown = convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)["rang"]
    assert shown.str.fullmatch(rf"\d+ {word} 12").all()  # what the grid shows: "3 van 12"
    assert [int(s.split()[0]) for s in shown] == table.value["rang"].astype(int).tolist()
    caption = "\n".join(c.value for c in app.caption)
    assert ("12 wijken" if lang == "nl" else "12 neighbourhoods") in caption
    spec, dots = strip_chart(app)
    assert set(dots["kolom"]) == {c for c in table.value.index if c.endswith("_per_1000")}
    assert dots["rij"].str.endswith(f" {word} 12)").all()
    assert (dots["rol"] == "wijk").sum() == dots["kolom"].nunique()
    assert spec["title"]["text"] == \
        ("Waarde (eigen schaal per indicator)" if lang == "nl" else "Value (own scale per indicator)")
    # picking one indicator leaves one row
    app.multiselect(key="w_spreiding" if lang == "nl" else "w_spreiding_en").set_value(["inwoners"]).run()
    assert not app.exception
    _, dots = strip_chart(app)
    assert set(dots["kolom"]) == {"inwoners"} and len(dots) == 12
    assert dots["rij"].iloc[0].startswith("Inwoners (" if lang == "nl" else "Inhabitants (")
