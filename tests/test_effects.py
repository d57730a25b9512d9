""""Werkt het?" (issue 13 item 3): a planted effect is recovered within its interval, the
estimate is the ratio of rates computed by hand, null effects keep their nominal coverage,
too few signals give no number, bad interventions a Dutch message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stats_helpers import X0, Y0, grid_sectors, signal_points

from cohesie import effects
from cohesie.counting import PointIndex
from cohesie.errors import CohesieError

CENTRE = (X0 + 2000.0, Y0 + 2000.0)  # middle of a 8 x 8 grid of 500 m squares
START = pd.Timestamp("2024-01-15")
MONTHS = pd.period_range("2022-01", "2025-12", freq="M")  # 24 before, Jan 2024, 23 after ...


def _intervention(**overrides) -> pd.DataFrame:
    values = dict(x=[CENTRE[0]], y=[CENTRE[1]], type_=["burendag"], datum=[START], sector=["S44"],
                  wijk_code=["W11"], status=["lopend"], layer="projecten", ids=["P1"], naam=["Buurtfeest"])
    values.update(overrides)
    return signal_points(**values)


def simulate(rng, *, inside_rate=15.0, outside_rate=300.0, effect=1.0, months=MONTHS, start=START,
             radius=300.0, city_trend=1.15) -> pd.DataFrame:
    """Signals per month: ``inside_rate`` within ``radius`` of the centre, ``outside_rate``
    spread over the rest of a 4 km square; after the start month the whole city changes by
    ``city_trend`` and the inside by ``effect`` more."""
    s = start.to_period("M")
    after = np.asarray(months > s)
    parts = []
    for i, month in enumerate(months):
        factor = city_trend if after[i] else 1.0
        n_in = rng.poisson(inside_rate * factor * (effect if after[i] else 1.0))
        n_out = rng.poisson(outside_rate * factor)
        r = radius * np.sqrt(rng.random(n_in)) * 0.999
        a = rng.uniform(0, 2 * np.pi, n_in)
        xs = [CENTRE[0] + r * np.cos(a)]
        ys = [CENTRE[1] + r * np.sin(a)]
        ox, oy = rng.uniform(X0, X0 + 4000, 3 * n_out), rng.uniform(Y0, Y0 + 4000, 3 * n_out)
        far = np.hypot(ox - CENTRE[0], oy - CENTRE[1]) > radius
        xs.append(ox[far][:n_out])
        ys.append(oy[far][:n_out])
        x, y = np.concatenate(xs), np.concatenate(ys)
        day = month.to_timestamp() + pd.to_timedelta(rng.integers(0, month.days_in_month, len(x)), unit="D")
        parts.append(signal_points(x=x, y=y, type_=["zwerfvuil"] * len(x), datum=day, sector=["S44"] * len(x),
                                   wijk_code=["W11"] * len(x)))
    out = pd.concat(parts, ignore_index=True)
    out["id"] = [f"SIG{i}" for i in range(len(out))]
    out.loc[out.index[-1], "datum"] = months[-1].end_time.normalize()  # the last month is complete
    return out


def index_of(signals: pd.DataFrame, intervention: pd.DataFrame | None = None) -> PointIndex:
    points = pd.concat([intervention if intervention is not None else _intervention(), signals],
                       ignore_index=True)
    return PointIndex(points, grid_sectors(8, per_wijk=4))


def test_planted_effect_is_recovered_within_its_interval():
    result = effects.effect(index_of(simulate(np.random.default_rng(1), effect=0.6)), "projecten", "P1",
                            months=18)
    row = result.row
    assert row["ci_laag_pct"] < -40 < row["ci_hoog_pct"]  # the planted -40 %
    assert row["effect_pct"] == pytest.approx(-40, abs=12)
    assert row["ci_hoog_pct"] < 0  # and clearly a fall
    assert result.sentence.startswith("In de 18 maanden na de start daalden de signalen binnen 300 m met ")
    assert "Dat wijst op samenhang, niet noodzakelijk op oorzaak." in result.sentence
    assert set(effects.EFFECT_COLUMNS) <= set(row)


def test_estimate_is_the_ratio_of_rates_of_the_four_counts():
    """Independent of the regression: the estimate equals (in_after/in_before)/(out_after/
    out_before) of the four totals; the monthly series adds up to them; the start month is
    left out."""
    result = effects.effect(index_of(simulate(np.random.default_rng(2), effect=1.3)), "projecten", "P1",
                            months=12)
    r = result.row
    by_hand = (r["binnen_na"] / r["binnen_voor"]) / (r["buiten_na"] / r["buiten_voor"])
    assert r["effect_pct"] == pytest.approx((by_hand - 1) * 100, abs=0.051)
    series = result.series
    assert len(series) == 2 * 2 * 12 and pd.Timestamp("2024-01-01") not in set(series["maand"])
    inside = series[series["binnen"]]
    assert inside.loc[inside["fase"] == "voor", "signalen"].sum() == r["binnen_voor"]
    assert inside.loc[inside["fase"] == "na", "signalen"].sum() == r["binnen_na"]
    assert inside.loc[inside["fase"] == "voor", "index"].mean() == pytest.approx(100)
    assert result.start == pd.Timestamp("2024-01-15")


def test_interval_without_overdispersion_is_the_poisson_wald_interval():
    """Constant monthly counts (no extra variation): the interval is exp(log r ± 1.96·se) with
    se² = 1/a + 1/b + 1/c + 1/d of the four totals, computed by hand."""
    ratio, low, high = effects.did_poisson([10] * 12, [5] * 12, [100] * 12, [100] * 12)
    se = np.sqrt(1 / 120 + 1 / 60 + 1 / 1200 + 1 / 1200)
    assert ratio == pytest.approx(0.5)
    assert low == pytest.approx(0.5 * np.exp(-1.959964 * se), rel=1e-6)
    assert high == pytest.approx(0.5 * np.exp(1.959964 * se), rel=1e-6)


def test_null_effect_intervals_cover_zero_at_about_the_nominal_rate():
    """40 simulated interventions without an effect (overdispersed months: the city's level
    wanders): at least 90 % of the 95 % intervals contain 0."""
    rng = np.random.default_rng(3)
    covered = []
    for _ in range(40):
        n_b = n_a = 12
        level = rng.gamma(20, 1 / 20, n_b + n_a)  # month-to-month variation shared by the city
        ib, ia = rng.poisson(20 * level[:n_b]), rng.poisson(20 * level[n_b:])
        ob, oa = rng.poisson(400 * level[:n_b]), rng.poisson(400 * level[n_b:])
        _, low, high = effects.did_poisson(ib, ia, ob, oa)
        covered.append(low <= 1 <= high)
    assert np.mean(covered) >= 0.9


def test_too_few_signals_gives_no_number():
    result = effects.effect(index_of(simulate(np.random.default_rng(4), inside_rate=0.3)), "projecten", "P1",
                            months=12)
    assert result.row["effect_pct"] is None and result.row["ci_laag_pct"] is None
    assert result.sentence.startswith("Te weinig signalen binnen 300 m")
    assert not result.estimated


def test_english_sentence():
    result = effects.effect(index_of(simulate(np.random.default_rng(1), effect=0.6)), "projecten", "P1",
                            months=12, lang="en")
    assert result.sentence.startswith("In the 12 months after the start, signals within 300 m fell by ")


@pytest.mark.parametrize("layer, record_id, overrides, months, message", [
    ("projecten", "P404", {}, 12, "Geen record met id 'P404' in de laag projecten"),
    ("signalen", "SIG1", {}, 12, "bevat geen ingrepen"),
    ("projecten", "P1", {"datum": [pd.NaT]}, 12, "heeft geen startdatum"),
    ("projecten", "P1", {"x": [np.nan], "y": [np.nan]}, 12, "heeft geen locatie"),
    ("projecten", "P1", {"status": ["verwijderd"]}, 12, "verwijderd"),
    ("projecten", "P1", {"datum": [pd.Timestamp("2025-06-01")]}, 12, "nog geen 12 volledige maanden na de start"),
    ("projecten", "P1", {"datum": [pd.Timestamp("2023-06-15")]}, 18, "geen 18 maanden vóór de start"),
    ("meubilair", "P1", {"layer": "meubilair", "status": ["voorstel"]}, 12, "is niet geplaatst"),
])
def test_bad_interventions_get_a_dutch_message(layer, record_id, overrides, months, message):
    signals = simulate(np.random.default_rng(5), outside_rate=20)
    with pytest.raises(CohesieError, match=message):
        effects.effect(index_of(signals, _intervention(**overrides)), layer, record_id, months=months)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

monthly = st.lists(st.integers(1, 60), min_size=6, max_size=6)


@settings(max_examples=25, deadline=None)
@given(monthly, monthly, monthly, monthly)
def test_estimate_is_always_the_ratio_of_the_four_totals(ib, ia, ob, oa):
    """For any positive monthly counts the regression's estimate is the hand-computed ratio of
    rates, inside its interval (a property of the Poisson model with area and month effects)."""
    ratio, low, high = effects.did_poisson(ib, ia, ob, oa)
    assert ratio == pytest.approx((sum(ia) / sum(ib)) / (sum(oa) / sum(ob)), rel=1e-5)
    assert low <= ratio <= high
