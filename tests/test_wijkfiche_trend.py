"""The Wijkfiche's "Trend per jaar": the wijk's values per year against the trend counting,
the city line from the totals, the change from the previous year, suppression per year for
non-admins, and the page with its chart."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import demo_with_accounts, open_dashboard

from cohesie import counting, dataset, trends, wijkfiche
from cohesie.indicators import Filters
from cohesie.storage import open_store
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

YEAR = 2026  # years before it are complete


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("trend") / "data")


@pytest.fixture(scope="module")
def data(demo_dir):
    return dataset.load(open_store(demo_dir))


@pytest.fixture(scope="module")
def counts(data):
    index = counting.PointIndex(data.points, data.sectors)
    return trends.counts_per_period(data.points, data.sectors, level="wijk", engine=index)


def fiche_of(data, counts, *, code=None, admin=True, indicator=None):
    return wijkfiche.wijkfiche(data, wijk=code, filters=Filters(), admin=admin, lang="nl", year=YEAR,
                               per_period=lambda level, f: counts, trend_indicator=indicator)


def series(trend, label) -> pd.Series:
    rows = trend.data[trend.data["reeks"] == label]
    return rows.set_index("periode")["waarde"]


def test_wijk_counts_per_year_are_the_trend_counts(data, counts):
    fiche = fiche_of(data, counts, indicator="signalen")
    trend = fiche.trend
    assert trend.indicator == "signalen" and trend.decimals == 0
    own = counts[counts["code"] == fiche.code].set_index("periode")["signalen"].astype(float)
    # years before the city's first signal are left out (no records yet, not years with none)
    city_all = counts.groupby("periode")["signalen"].sum()
    first = city_all[city_all > 0].index.min()
    assert list(trend.periods) == [p for p in own.index if p >= first] and len(trend.periods) >= 2
    assert (city_all[city_all.index < first] == 0).all()
    own = own.reindex(trend.periods)
    pd.testing.assert_series_equal(series(trend, trend.series[0]), own, check_names=False)
    city = counts.groupby("periode")["signalen"].sum().astype(float).reindex(trend.periods)
    pd.testing.assert_series_equal(series(trend, trend.series[1]), city, check_names=False)
    # the pandas reference engine (the default) gives the same line
    default = wijkfiche.wijkfiche(data, wijk=fiche.code, filters=Filters(), admin=True, lang="nl", year=YEAR,
                                  trend_indicator="signalen").trend
    pd.testing.assert_frame_equal(default.data, trend.data)


def test_default_rate_city_line_and_change(data, counts):
    fiche = fiche_of(data, counts)
    trend = fiche.trend
    assert trend.indicator == "signalen_per_1000" and trend.decimals == 1
    assert {"signalen", "signalen_per_1000", "meubilair", "meubilair_per_1000"} <= set(trend.options)
    table = trends.indicators_per_period(data.sectors, counts, level="wijk")
    own = table[table["code"] == fiche.code].set_index("periode")["signalen_per_1000"].reindex(trend.periods)
    assert np.allclose(series(trend, trend.series[0]).to_numpy(), own.to_numpy())
    totals = table.groupby("periode")[["signalen", "inwoners"]].sum().reindex(trend.periods)
    assert np.allclose(series(trend, trend.series[1]).to_numpy(),
                       (totals["signalen"] / totals["inwoners"] * 1000).to_numpy())
    # change of the last complete year (2025 with YEAR 2026) from the year before
    assert trend.change_year == "2025"
    now, before = own.loc["2025"], own.loc["2024"]
    assert trend.change == pytest.approx(now - before)
    assert trend.change_pct == pytest.approx(round((now - before) / before * 100, 1))
    assert trend.change_text == wijkfiche.formatter("nl").number(now - before, 1, sign=True)
    assert "," in trend.change_pct_text and trend.change_pct_text.endswith(" %")


def test_percent_empty_when_previous_year_is_zero(data, counts):
    code = fiche_of(data, counts).code
    zeroed = counts.copy()
    zeroed.loc[(zeroed["code"] == code) & (zeroed["periode"] == "2024"), "signalen"] = 0
    trend = fiche_of(data, zeroed, code=code, indicator="signalen").trend
    now = counts[(counts["code"] == code) & (counts["periode"] == "2025")]["signalen"].iloc[0]
    assert trend.change == now and trend.change_pct is None and trend.change_pct_text == ""


def test_non_admin_hidden_years_are_gaps_and_hide_the_change(data, counts):
    code = fiche_of(data, counts).code
    small = counts.copy()
    small.loc[(small["code"] == code) & (small["periode"] == "2024"), "signalen"] = 3
    for indicator in ("signalen", "signalen_per_1000"):
        admin = fiche_of(data, small, code=code, admin=True, indicator=indicator).trend
        viewer = fiche_of(data, small, code=code, admin=False, indicator=indicator).trend
        assert series(admin, admin.series[0]).loc["2024"] > 0
        assert pd.isna(series(viewer, viewer.series[0]).loc["2024"])  # a gap, never the value
        row = viewer.data[(viewer.data["reeks"] == viewer.series[0]) & (viewer.data["periode"] == "2024")]
        assert row["tekst"].iloc[0] == wijkfiche.formatter("nl").no_data
        # the line goes on in a new piece after the gap
        assert viewer.data.loc[viewer.data["periode"] == "2025", "deel"].iloc[0] > \
            viewer.data.loc[viewer.data["periode"] == "2023", "deel"].iloc[0]
        assert admin.change is not None and viewer.change is None and viewer.change_text == ""
        assert "1 tot 4" in viewer.note and (admin.note is None or "1 tot 4" not in admin.note)
        assert not viewer.data["waarde"].isin([3.0]).any()
    # a count that is not a signal is never hidden
    stock = fiche_of(data, small, code=code, admin=False, indicator="meubilair").trend
    assert series(stock, stock.series[0]).notna().all() and (stock.note is None or "1 tot 4" not in stock.note)


def test_page_shows_the_trend_chart(demo_dir, monkeypatch):
    at = open_dashboard(demo_dir, monkeypatch)
    at.switch_page("pages/wijkfiche.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Trend per jaar" in [s.value for s in at.subheader]
    box = next(s for s in at.selectbox if s.key == "w_trend")
    assert box.value == "signalen_per_1000"
    (chart,) = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart"
                and '"Jaar"' in e.proto.spec]
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Signalen per 1000 inwoners"
    rows = pd.concat([convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets])
    assert {"Stad"} < set(rows["reeks"]) and rows["waarde"].notna().all()
    box.set_value("meubilair").run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(s for s in at.selectbox if s.key == "w_trend").value == "meubilair"
    assert any("Verandering" in m.label for m in at.metric)


def test_page_trend_in_english(demo_dir, monkeypatch):
    at = open_dashboard(demo_dir, monkeypatch)
    at.session_state["lang"] = "en"
    at.switch_page("pages/wijkfiche.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Trend per year" in [s.value for s in at.subheader]
    (chart,) = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart" and '"Year"' in e.proto.spec]
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Signals per 1000 inhabitants"
    assert "format(datum.value, ',.1~f')" == spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"]


def test_page_trend_per_quarter(demo_dir, monkeypatch):
    """Choosing "Kwartaal" draws the trend per quarter (labels 2024-Q3) and its table."""
    at = open_dashboard(demo_dir, monkeypatch)
    at.switch_page("pages/wijkfiche.py").run()
    radio = next(r for r in at.radio if r.key == "w_trend_per")
    assert radio.value == "year"
    radio.set_value("quarter").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Trend per kwartaal" in [s.value for s in at.subheader]
    (chart,) = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart" and '"Kwartaal"' in e.proto.spec]
    rows = pd.concat([convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets])
    assert rows["periode"].str.fullmatch(r"\d{4}-Q[1-4]").all()
    assert any(e.label == "Tabel per kwartaal" for e in at.expander)
