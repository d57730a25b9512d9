"""The planted patterns of the demo, checked on the generated data by plain counts.

The demo (cohesie/demo.py, README "The demo and its planted patterns") promises a seasonal
shape per category, a hot spot of adjacent sectors, a recent surge in one wijk and a drop near
one pleinmaker after its start. These tests count signals with pandas only — no statistics
code of the project — so the statistics pages are checked against a truth that is known here.
"""

import numpy as np
import pandas as pd
import pytest

from cohesie import demo


@pytest.fixture(scope="module")
def built():
    return demo.build()


@pytest.fixture(scope="module")
def signals(built):
    s = built.points[built.points["layer"] == "signalen"].copy()
    s["month"] = s["datum"].dt.to_period("M")
    return s


def full_years(signals):
    """The calendar years with all twelve months in the data."""
    per_year = signals.groupby(signals["datum"].dt.year)["month"].nunique()
    return per_year.index[per_year == 12].tolist()


def test_history_is_long_enough_for_a_seasonal_model_and_ends_at_the_fixed_date(signals):
    assert signals["datum"].max() == demo.REFERENCE_DATE  # not today's date
    assert signals["datum"].max() == pd.Timestamp("2026-10-31")
    latest_complete = pd.Period("2026-10", freq="M")
    years_before = [y for y in full_years(signals) if y < latest_complete.year]
    assert len(years_before) >= 3
    # every month has signals: no gap a seasonal model would trip over
    span = pd.period_range(signals["datum"].min(), signals["datum"].max(), freq="M")
    assert signals["month"].nunique() == len(span)


@pytest.mark.parametrize("category, low", [("hangjongeren", 2.0), ("wildplassen", 2.0)])
def test_summer_has_clearly_more_than_winter_in_the_summer_categories(signals, category, low):
    s = signals[(signals["type"] == category) & signals["datum"].dt.year.isin(full_years(signals))]
    months = s["datum"].dt.month
    summer, winter = months.isin([6, 7, 8]).sum(), months.isin([12, 1, 2]).sum()
    assert summer / winter >= low


def test_winter_categories_peak_in_winter_and_each_category_has_its_own_shape(signals):
    s = signals[signals["datum"].dt.year.isin(full_years(signals))]
    table = s.groupby([s["datum"].dt.month, "type"]).size().unstack()
    for category in ("zorgsignaal", "burenoverlast"):
        assert table.loc[[12, 1, 2], category].sum() > 1.15 * table.loc[[6, 7, 8], category].sum()
    peaks = table.idxmax()
    assert peaks["hangjongeren"] in (6, 7, 8) and peaks["wildplassen"] in (6, 7, 8)
    assert peaks["zorgsignaal"] in (11, 12, 1, 2)


def test_sector_counts_follow_inhabitants(built, signals):
    """Outside the hot spot, the rate per 1000 inhabitants varies, but only modestly."""
    per_sector = signals["sector"].value_counts()
    pop = built.population.set_index("sector")["inwoners"]
    rate = (per_sector.reindex(pop.index).fillna(0) / pop * 1000).drop(demo.HOTSPOT_SECTORS)
    assert rate.quantile(0.9) / rate.quantile(0.1) < 2.0
    assert np.corrcoef(per_sector.reindex(pop.index).fillna(0), pop)[0, 1] > 0.8


def test_hot_spot_sectors_are_adjacent_and_have_a_clearly_higher_rate(built, signals):
    sectors = built.sectors.set_index("code")
    spot = sectors.loc[demo.HOTSPOT_SECTORS].geometry
    for code, geom in spot.items():  # each touches another one of the spot
        assert any(geom.touches(other) for c, other in spot.items() if c != code), code
    pop = built.population.set_index("sector")["inwoners"]
    counts = signals["sector"].value_counts().reindex(pop.index).fillna(0)
    spot_rate = counts[demo.HOTSPOT_SECTORS].sum() / pop[demo.HOTSPOT_SECTORS].sum()
    rest = counts.drop(demo.HOTSPOT_SECTORS)
    rest_rate = rest.sum() / pop.drop(demo.HOTSPOT_SECTORS).sum()
    assert spot_rate / rest_rate >= 2.0


def surge_wijk_code(built):
    table = built.wijkindeling.drop_duplicates("wijk_code")
    return table.loc[table["wijk_naam"] == demo.SURGE_WIJK, "wijk_code"].item()


def test_surge_in_the_latest_complete_month(built, signals):
    code = surge_wijk_code(built)
    s = signals[(signals["wijk_code"] == code) & (signals["type"] == demo.SURGE_CATEGORY)]
    october = s[s["datum"].dt.month == 10].groupby(s["datum"].dt.year).size()
    latest, earlier = october[2026], october.drop(2026)
    assert len(earlier) >= 3
    assert latest >= 100  # a sizeable count, not a blip of a few
    assert 2.2 <= latest / earlier.mean() <= 3.5
    assert latest > earlier.max() + 4 * np.sqrt(earlier.mean())  # far beyond the year-to-year noise


def test_surge_in_the_latest_complete_quarter_and_only_there(built, signals):
    code = surge_wijk_code(built)
    q3 = signals[signals["datum"].dt.month.isin([7, 8, 9])]
    per_year = q3.groupby(["wijk_code", "type", q3["datum"].dt.year]).size()
    latest = per_year.xs(2026, level=2)
    mean = per_year.drop(2026, level=2).groupby(level=[0, 1]).mean()
    ratio, z = latest / mean, (latest - mean) / np.sqrt(mean)  # z: in Poisson standard deviations
    assert 2.2 <= ratio[(code, demo.SURGE_CATEGORY)] <= 3.5
    assert z[(code, demo.SURGE_CATEGORY)] > 10
    others = z.drop((code, demo.SURGE_CATEGORY))
    assert others.max() < 4  # no other wijk or category surges (hot spot included)

def before_after(signals, x, y, start, radius):
    months = 24
    before = (signals["datum"] >= start - pd.DateOffset(months=months)) & (signals["datum"] < start)
    after = (signals["datum"] >= start) & (signals["datum"] < start + pd.DateOffset(months=months))
    near = np.hypot(signals["x"] - x, signals["y"] - y) <= radius
    return ((near & before).sum(), (near & after).sum(), (~near & before).sum(), (~near & after).sum())


def test_drop_near_the_pleinmaker_after_its_start_while_the_city_stays_level(built, signals):
    pm = built.points[(built.points["layer"] == "pleinmakers")].set_index("id").loc[demo.DROP_PLEINMAKER]
    start = pm["datum"]
    assert start + pd.DateOffset(months=24) <= signals["datum"].max() + pd.Timedelta(days=1)
    assert start - pd.DateOffset(months=24) >= signals["datum"].min()
    near_before, near_after, rest_before, rest_after = before_after(signals, pm["x"], pm["y"], start, 300)
    assert near_before >= 200  # enough signals for the comparison to mean something
    near_ratio, rest_ratio = near_after / near_before, rest_after / rest_before
    assert 0.55 <= near_ratio <= 0.72  # planted: about 38 % fewer
    assert 0.95 <= rest_ratio <= 1.05  # the rest of the city stays level
    assert near_ratio / rest_ratio <= 0.75


def test_other_pleinmakers_with_a_full_window_show_no_drop(built, signals):
    """The null case: a pleinmaker without planted effect compares like the rest of the city."""
    pms = built.points[built.points["layer"] == "pleinmakers"].set_index("id")
    checked = 0
    for pid, pm in pms.drop(demo.DROP_PLEINMAKER).iterrows():
        start = pm["datum"]
        if start - pd.DateOffset(months=24) < signals["datum"].min() or \
                start + pd.DateOffset(months=24) > signals["datum"].max() + pd.Timedelta(days=1):
            continue
        nb, na, rb, ra = before_after(signals, pm["x"], pm["y"], start, 300)
        assert 0.8 <= (na / nb) / (ra / rb) <= 1.2, pid
        checked += 1
    assert checked >= 1


def test_demo_is_deterministic_signal_for_signal(built):
    again = demo.build()
    cols = ["id", "type", "datum", "status", "bron", "sector", "wijk_code"]
    a = built.points[built.points["layer"] == "signalen"]
    b = again.points[again.points["layer"] == "signalen"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True))
    assert np.array_equal(a[["x", "y"]].to_numpy(), b[["x", "y"]].to_numpy())
    pd.testing.assert_frame_equal(built.acties, again.acties)
    assert built.population.equals(again.population)



def test_no_pleinmaker_action_before_its_start(built):
    """The planted pleinmaker starts late (October 2024): its actions of that year follow the start."""
    start = built.points[built.points["layer"] == "pleinmakers"].set_index("id")["datum"]
    acties = built.acties
    assert (acties["datum"] >= acties["pleinmaker_id"].map(start)).all()
    assert (acties.loc[acties["pleinmaker_id"] == demo.DROP_PLEINMAKER, "datum"].dt.year == 2024).any()


def test_the_least_populated_sectors_have_few_care_signals(built, signals):
    """So the privacy rules have cells to hide per sector, even over the whole period."""
    pop = built.population.set_index("sector")["inwoners"].sort_values(kind="stable")
    care = signals.loc[signals["type"] == "zorgsignaal", "sector"].value_counts()
    assert care.reindex(pop.index[:3]).fillna(0).tolist() == list(demo.CARE_SPARSE)
    assert care.reindex(pop.index[3:]).fillna(0).min() >= 5
