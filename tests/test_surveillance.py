"""Early warning (issue 13 item 1): planted surges are flagged, null series rarely are, the
counting follows the project's rules, the view model hides small counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from stats_helpers import grid_sectors, monthly_signals, signal_points

from cohesie import surveillance as sv
from cohesie.counting import PointIndex
from cohesie.errors import CohesieError

MONTHS = pd.period_range("2023-01", "2026-01", freq="M")  # 36 months of history + 2026-01 tested


def seasonal_mean(base: float, months=MONTHS, *, amplitude=0.3, trend_per_year=0.0) -> np.ndarray:
    t = np.arange(len(months))
    return base * np.exp(amplitude * np.sin(2 * np.pi * t / 12) + trend_per_year * t / 12)


def counts_frame(series: dict, months=MONTHS) -> pd.DataFrame:
    """``{(code, category): counts}`` as the long frame :func:`signal_counts` returns."""
    rows = [pd.DataFrame({"code": code, "naam": f"Gebied {code}", "categorie": cat, "periode": months,
                          "n": np.asarray(values, dtype="int64")}) for (code, cat), values in series.items()]
    return pd.concat(rows, ignore_index=True)


def test_planted_surge_is_flagged_and_nothing_else():
    rng = np.random.default_rng(13)
    series = {}
    for i in range(15):
        for cat in ("zwerfvuil", "hangjongeren"):
            series[(f"W{i:02d}", cat)] = rng.poisson(seasonal_mean(5 + 2 * i))
    mean = seasonal_mean(20)
    planted = rng.poisson(mean)
    planted[-1] = int(round(3 * mean[-1]))  # three times the expected count in the tested month
    series[("W99", "zwerfvuil")] = planted
    table = sv.test_series(counts_frame(series), per="month")
    assert len(table) == 31 and set(table["periode"]) == {"2026-01"}
    flagged = table[table["opvallend"]]
    assert list(zip(flagged["code"], flagged["categorie"])) == [("W99", "zwerfvuil")]
    row = flagged.iloc[0]
    assert row["waargenomen"] == planted[-1]
    assert row["verwacht"] == pytest.approx(mean[-1], rel=0.3)  # the seasonal expectation, not the surge
    assert row["p_gecorrigeerd"] <= 0.05 and row["overschot"] >= 5


def _null_p_values(rng, n_series: int, *, dispersion: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    series = {}
    for i in range(n_series):
        mean = seasonal_mean(rng.uniform(2, 40), trend_per_year=rng.uniform(-0.2, 0.2))
        if dispersion == 1.0:
            values = rng.poisson(mean)
        else:  # negative binomial with variance dispersion × mean
            size = mean / (dispersion - 1)
            values = rng.negative_binomial(size, size / (size + mean))
        series[(f"A{i:03d}", "x")] = values
    table = sv.test_series(counts_frame(series), per="month")
    return table["p_waarde"].to_numpy(), table["opvallend"].to_numpy()


@pytest.mark.parametrize("dispersion", [1.0, 2.5])
def test_null_series_give_no_more_false_alarms_than_nominal(dispersion):
    """200 series without any surge (Poisson, and overdispersed negative binomial): the share
    of one-sided p-values under 5 % stays within what 5 % allows for 200 draws (the 95 %
    binomial bound), and after correction next to nothing is flagged."""
    p, flagged = _null_p_values(np.random.default_rng(2026), 200, dispersion=dispersion)
    assert np.isfinite(p).all()
    bound = stats.binom.ppf(0.95, 200, 0.05) / 200
    assert (p < 0.05).mean() <= bound
    assert flagged.mean() <= 0.05


def test_a_rise_that_follows_the_trend_is_expected():
    """A series doubling every year: the expectation follows the trend (within 20 % of the true
    mean), so its continuation is not flagged."""
    rng = np.random.default_rng(7)
    mean = seasonal_mean(10, trend_per_year=np.log(2), amplitude=0.0)
    values = rng.poisson(mean)
    values[-1] = int(round(mean[-1]))
    table = sv.test_series(counts_frame({("W1", "zwerfvuil"): values}), per="month")
    assert table["model"].iloc[0].startswith("trend")
    assert table["verwacht"].iloc[0] == pytest.approx(mean[-1], rel=0.2)
    assert not table["opvallend"].iloc[0]


def test_minimum_excess_decides_with_significance():
    rng = np.random.default_rng(3)
    values = rng.poisson(np.full(len(MONTHS), 1.0))
    values[-1] = 9  # very unlikely for a mean of about 1, but only about 8 above it
    frame = counts_frame({("W1", "wildplassen"): values})
    assert sv.test_series(frame, settings=sv.AlertSettings(min_excess=5))["opvallend"].iloc[0]
    assert not sv.test_series(frame, settings=sv.AlertSettings(min_excess=10))["opvallend"].iloc[0]


def test_short_or_empty_history_is_not_tested_and_said_so():
    months = pd.period_range("2025-06", "2026-01", freq="M")  # 7 months of history
    frame = counts_frame({("W1", "x"): [3, 4, 2, 5, 3, 4, 3, 20]}, months=months)
    result = sv.alerts_from_counts(frame, per="month")
    assert result.table["opmerking"].iloc[0] == "te_korte_geschiedenis"
    assert np.isnan(result.table["p_waarde"].iloc[0]) and not result.table["opvallend"].iloc[0]
    assert "minder dan een jaar geschiedenis" in result.notes[0]
    zeros = counts_frame({("W1", "x"): [0] * (len(MONTHS) - 1) + [2]})
    assert sv.test_series(zeros)["opmerking"].iloc[0] == "geen_geschiedenis"


def test_p_value_is_the_upper_tail():
    # Poisson(2): P(Y >= 4) = 1 - e^-2 (1 + 2 + 2 + 4/3)
    assert sv.upper_p_value(4, 2.0, 2.0) == pytest.approx(1 - np.exp(-2) * (1 + 2 + 2 + 4 / 3))
    assert sv.upper_p_value(0, 2.0, 2.0) == 1.0
    # a wider predictive distribution makes the same count less surprising
    assert sv.upper_p_value(10, 4.0, 12.0) > sv.upper_p_value(10, 4.0, 4.0)


@pytest.mark.parametrize("last, per, expected", [
    ("2025-10-31", "month", "2025-10"), ("2025-10-30", "month", "2025-09"),
    ("2025-12-31", "quarter", "2025-Q4"), ("2025-11-30", "quarter", "2025-Q3")])
def test_last_complete_period(last, per, expected):
    assert sv.period_label(sv.last_complete_period(pd.Timestamp(last), per)) == expected


def test_until_picks_the_last_complete_period_or_says_why_not():
    last = pd.Period("2026-10", freq="M")
    assert sv.period_label(sv.parse_until("2026-05", "month", last)) == "2026-05"
    assert sv.period_label(sv.parse_until("2026-05", "quarter", pd.Period("2026Q3", freq="Q"))) == "2026-Q1"
    assert sv.period_label(sv.parse_until("2026-06", "quarter", pd.Period("2026Q3", freq="Q"))) == "2026-Q2"
    with pytest.raises(CohesieError, match="laatste volledige periode in de gegevens is 2026-10"):
        sv.parse_until("2027-01", "month", last)
    with pytest.raises(CohesieError, match="geen maand; schrijf JJJJ-MM"):
        sv.parse_until("mei", "month", last)


def test_signal_counts_follow_the_counting_rules():
    """Hand-counted: removed signals and other layers never count, zeros are rows, areas of
    the level without signals are rows."""
    sectors = grid_sectors(2, per_wijk=1)
    points = pd.concat([
        signal_points(x=[1.0] * 4, y=[1.0] * 4, type_=["zwerfvuil", "zwerfvuil", "zwerfvuil", "wildplassen"],
                      datum=["2025-01-05", "2025-03-01", "2025-03-20", "2025-03-02"], sector=["S00"] * 4,
                      wijk_code=["W00"] * 4, status=["open", "verwijderd", "afgesloten", "open"]),
        signal_points(x=[1.0], y=[1.0], type_=["gevelbank"], datum=["2025-02-01"], sector=["S00"],
                      wijk_code=["W00"], status=["geplaatst"], layer="meubilair", ids=["M1"]),
    ], ignore_index=True)
    counts, last = sv.signal_counts(PointIndex(points, sectors), sectors, level="wijk", per="month")
    assert last == pd.Timestamp("2025-03-20")
    assert set(counts["code"]) == {"W00", "W01", "W10", "W11"}
    w00 = counts[counts["code"] == "W00"]
    w00 = w00.set_index([w00["categorie"], w00["periode"].astype(str)])["n"]
    assert w00.to_dict() == {("wildplassen", "2025-01"): 0, ("wildplassen", "2025-02"): 0,
                             ("wildplassen", "2025-03"): 1, ("zwerfvuil", "2025-01"): 1,
                             ("zwerfvuil", "2025-02"): 0, ("zwerfvuil", "2025-03"): 1}
    assert counts.loc[counts["code"] == "W11", "n"].sum() == 0
    assert counts.loc[counts["code"] == "W00", "naam"].iloc[0] == "Wijk 0-0"


def test_alerts_end_to_end_find_a_surge_in_simulated_signals():
    rng = np.random.default_rng(11)
    sectors = grid_sectors(4, per_wijk=2)
    months = pd.period_range("2023-01", "2025-12", freq="M")
    rates = {(code, cat): seasonal_mean(3.0, months)
             for code in sectors["code"] for cat in ("zwerfvuil", "hangjongeren")}
    surge = seasonal_mean(3.0, months)
    surge[-1] *= 5  # the four sectors of wijk W11 together: about 4 x 3 x 4 = 48 more
    for code in ("S22", "S23", "S32", "S33"):
        rates[(code, "hangjongeren")] = surge
    points = monthly_signals(rng, sectors, rates, months)
    points.loc[points.index[-1], "datum"] = pd.Timestamp("2025-12-31")  # December is complete
    result = sv.alerts(PointIndex(points, sectors), sectors, level="wijk", per="month")
    assert result.period == "2025-12"
    assert list(zip(result.flagged["code"], result.flagged["categorie"])) == [("W11", "hangjongeren")]
    assert len(result.table) == 4 * 2
    quarterly = sv.alerts(PointIndex(points, sectors), sectors, level="wijk", per="quarter")
    assert quarterly.period == "2025-Q4"


def test_shown_hides_small_counts_for_everyone_but_admins_and_speaks_english():
    values = np.full(len(MONTHS), 1)
    values[-1] = 3
    frame = counts_frame({("W1", "zorgsignaal"): values})
    nl = sv.alerts_from_counts(frame, per="month", admin=False)
    assert nl.shown["Waargenomen"].iloc[0] == "< 5"
    assert nl.shown["Opvallend"].iloc[0] == "nee"
    assert sv.alerts_from_counts(frame, per="month", admin=True).shown["Waargenomen"].iloc[0] == "3"
    en = sv.alerts_from_counts(frame, per="month", lang="en", admin=True)
    assert list(en.shown.columns[3:7]) == ["Observed", "Expected", "p-value", "Notable"]
    assert "latest complete month" in en.method and "Benjamini-Hochberg" in en.method
    assert "," in nl.shown["Verwacht"].iloc[0]  # Belgian decimal comma


def test_alerts_key_is_hashable_and_changes_with_the_settings():
    from cohesie.indicators import Filters

    a = sv.alerts_key(level="wijk", per="month", until=None, filters=Filters(), settings=sv.AlertSettings(),
                      lang="nl", admin=False)
    b = sv.alerts_key(level="wijk", per="month", until=None, filters=Filters(),
                      settings=sv.AlertSettings(min_excess=2), lang="nl", admin=False)
    assert hash(a) != hash(b) and a != b


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=len(MONTHS), max_size=len(MONTHS)),
       st.floats(0, 20))
def test_any_series_gives_a_valid_deterministic_row(values, min_excess):
    """Whatever the counts: a p-value in [0, 1] (or not tested), a finite expectation, the flag
    exactly when both rules hold, and the same answer twice."""
    frame = counts_frame({("W1", "x"): values})
    settings_ = sv.AlertSettings(min_excess=min_excess)
    row = sv.test_series(frame, settings=settings_).iloc[0]
    again = sv.test_series(frame, settings=settings_).iloc[0]
    assert row.equals(again)
    if row["opmerking"] == "":
        assert 0 <= row["p_waarde"] <= 1 and np.isfinite(row["verwacht"]) and row["verwacht"] >= 0
    assert row["opvallend"] == bool(row["opmerking"] == "" and row["p_gecorrigeerd"] <= 0.05
                                    and row["waargenomen"] - row["verwacht"] >= min_excess)
