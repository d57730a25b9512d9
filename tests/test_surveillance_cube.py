"""The early warning counts from the point index as a numpy cube (issue 15 item 4: memory at
Flanders scale): the same counts as the long table, and the same tested rows and numbers as
the long-table path (:func:`test_series` of :func:`signal_counts`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stats_helpers import grid_sectors, monthly_signals

from cohesie import surveillance as sv
from cohesie.counting import PointIndex


def simulated(months: pd.PeriodIndex, seed: int = 5):
    """Sectors of a 4 × 4 grid; three categories at different rates (one never in some
    sectors, one starting late), a surge in the last month, some removed signals."""
    rng = np.random.default_rng(seed)
    sectors = grid_sectors(4, per_wijk=2)
    t = np.arange(len(months))
    rates = {}
    for i, code in enumerate(sectors["code"]):
        rates[(code, "zwerfvuil")] = 2.0 + 0.5 * i + np.sin(2 * np.pi * t / 12)
        if i % 3:
            rates[(code, "hangjongeren")] = np.where(t > len(months) // 2, 1.5, 0.0)
        if i < 4:
            rates[(code, "wildplassen")] = np.full(len(months), 0.4)
    surge = rates[("S11", "zwerfvuil")].copy()
    surge[-1] *= 6
    rates[("S11", "zwerfvuil")] = surge
    points = monthly_signals(rng, sectors, rates, months)
    points.loc[points.index[::17], "status"] = "verwijderd"
    return PointIndex(points, sectors), sectors, points


def reference_counts(points: pd.DataFrame, sectors, level: str, per: str) -> pd.DataFrame:
    """Counted signals by plain pandas: removed signals never count, zeros are rows."""
    col = {"sector": ("sector", "code", "naam"), "wijk": ("wijk_code", "wijk_code", "wijk_naam")}[level]
    kept = points[(points["status"] != "verwijderd") & points["datum"].notna()]
    freq = sv.PERIODS[per]
    period = kept["datum"].dt.to_period(freq)
    n = kept.groupby([kept[col[0]].astype(str), kept["type"].astype(str), period]).size()
    full = pd.MultiIndex.from_product(
        [sorted(sectors[col[1]].astype(str).unique()), sorted(kept["type"].unique()),
         pd.period_range(period.min(), period.max(), freq=freq)], names=["code", "categorie", "periode"])
    out = n.reindex(full, fill_value=0).rename("n").astype("int64").reset_index()
    names = sectors.drop_duplicates(col[1]).set_index(col[1])[col[2]]
    out.insert(1, "naam", out["code"].map(names).astype(object))
    return out


@pytest.mark.parametrize("level", ["sector", "wijk"])
@pytest.mark.parametrize("per", ["month", "quarter"])
def test_cube_counts_are_the_long_table(level, per):
    index, sectors, points = simulated(pd.period_range("2022-01", "2025-12", freq="M"))
    counts, last = sv.signal_counts(index, sectors, level=level, per=per)
    cube = sv.signal_cube(index, sectors, level=level, per=per)
    assert cube.n.dtype == np.int32 and cube.last_date == last
    pd.testing.assert_frame_equal(counts, reference_counts(points, sectors, level, per), check_dtype=False)
    pd.testing.assert_frame_equal(cube.frame(), counts)
    assert int(cube.n.sum()) == int((points["status"] != "verwijderd").sum())


@pytest.mark.parametrize("level,per,until,start", [
    ("sector", "month", None, "2022-01"),
    ("wijk", "month", "2025-09", "2022-01"),
    ("sector", "quarter", None, "2022-01"),
    ("sector", "month", None, "2025-01"),   # less than a year of history: not tested
    ("wijk", "month", "2024-03", "2023-06"),  # a history cut short by the data's start
])
def test_cube_path_gives_the_long_table_path_results(level, per, until, start):
    months = pd.period_range(start, "2025-12", freq="M")
    index, sectors, _ = simulated(months)
    settings = sv.AlertSettings(min_excess=0.0)
    counts, last = sv.signal_counts(index, sectors, level=level, per=per)
    period = sv.parse_until(until, per, sv.last_complete_period(last, per))
    old = sv.test_series(counts[counts["periode"] <= period], per=per, period=period, settings=settings)
    new = sv.test_cube(sv.signal_cube(index, sectors, level=level, per=per), per=per, period=period,
                       settings=settings)
    pd.testing.assert_frame_equal(new, old)
    assert len(new) == counts.groupby(["code", "categorie"]).ngroups
    got = sv.alerts(index, sectors, level=level, per=per, until=until, settings=settings)
    pd.testing.assert_frame_equal(got.table, old)
    if start == "2022-01" and level == "sector" and per == "month":
        assert ("S11", "zwerfvuil") in set(zip(got.flagged["code"], got.flagged["categorie"]))
        assert set(old["opmerking"]) >= {"", "geen_geschiedenis"}
    if start == "2025-01":
        assert set(old["opmerking"]) == {"te_korte_geschiedenis"}
