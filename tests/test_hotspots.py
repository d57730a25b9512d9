"""Hot spots (issue 13 item 2): a planted cluster on a grid of squares is found, null data
gives next to no hot spots, sectors without inhabitants and islands are classed apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from stats_helpers import X0, Y0, grid_sectors, signal_points

from cohesie import hotspots
from cohesie.counting import PointIndex

N = 10  # 10 x 10 squares
CLUSTER = {f"S{r}{c}" for r in (3, 4, 5) for c in (3, 4, 5)}


def _counts(rng, sectors, *, cluster_factor: float) -> pd.Series:
    mean = np.where(sectors["code"].isin(CLUSTER), 20.0 * cluster_factor, 20.0)
    return pd.Series(rng.poisson(mean), index=sectors["code"])


def _cells_near_cluster() -> set[str]:
    return {f"S{r}{c}" for r in range(2, 7) for c in range(2, 7)}


def test_planted_cluster_is_found():
    sectors = grid_sectors(N, per_wijk=5)
    result = hotspots.hot_spots_of_rates(sectors, _counts(np.random.default_rng(5), sectors, cluster_factor=3))
    table = result.table.set_index("code")
    assert table.loc["S44", "klasse"] == hotspots.HOT_99  # the centre of the cluster
    hot = set(table.index[table["klasse"].isin([hotspots.HOT_99, hotspots.HOT_95])])
    assert CLUSTER - {"S33", "S35", "S53", "S55"} <= hot  # the cross of the cluster at least
    assert hot <= _cells_near_cluster()  # and nothing far from it
    assert (table.loc[list(hot), "z"] > 0).all()
    assert table.loc["S44", "waarde"] == pytest.approx(table.loc["S44", "signalen"] / 1000 * 1000)
    assert list(result.table.columns[:6]) == hotspots.HOTSPOT_COLUMNS


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_null_data_gives_next_to_no_hot_spots(seed):
    sectors = grid_sectors(N, per_wijk=5)
    table = hotspots.hot_spots_of_rates(sectors, _counts(np.random.default_rng(seed), sectors,
                                                         cluster_factor=1)).table
    assert (table["klasse"] != hotspots.NOT_SIGNIFICANT).sum() <= 2
    assert table["p_waarde"].between(0, 1).all()


def test_planted_cold_spot_is_a_cold_spot():
    sectors = grid_sectors(N, per_wijk=5)
    table = hotspots.hot_spots_of_rates(sectors, _counts(np.random.default_rng(8), sectors,
                                                         cluster_factor=0.1)).table.set_index("code")
    assert table.loc["S44", "klasse"] == hotspots.COLD and table.loc["S44", "z"] < 0


def test_sectors_without_inhabitants_and_islands_are_left_out_and_said_so():
    sectors = grid_sectors(3, per_wijk=3)
    sectors.loc[sectors["code"] == "S11", "inwoners"] = 0
    sectors.loc[sectors["code"] == "S22", "inwoners"] = np.nan
    island = sectors.iloc[[0]].copy()
    island["code"], island["naam"] = "S99", "Eiland"
    island["geometry"] = [box(X0 + 9000, Y0, X0 + 9500, Y0 + 500)]
    sectors = pd.concat([sectors, island], ignore_index=True)
    counts = pd.Series(10, index=sectors["code"])
    result = hotspots.hot_spots_of_rates(sectors, counts)
    table = result.table.set_index("code")
    assert table.loc["S11", "klasse"] == table.loc["S22", "klasse"] == hotspots.NO_INHABITANTS
    assert np.isnan(table.loc["S11", "waarde"]) and np.isnan(table.loc["S11", "z"])
    assert table.loc["S99", "klasse"] == hotspots.NO_NEIGHBOURS
    assert any("S11, S22" in n for n in result.notes) and any("S99" in n and "eilanden" in n for n in result.notes)
    # equal rates everywhere else: nothing stands out
    assert set(table.drop(["S11", "S22", "S99"])["klasse"]) == {hotspots.NOT_SIGNIFICANT}


def test_hot_spots_count_signals_of_one_category_in_the_period():
    sectors = grid_sectors(2, per_wijk=1)
    points = signal_points(x=[X0 + 10] * 3, y=[Y0 + 10] * 3, type_=["zwerfvuil", "zwerfvuil", "wildplassen"],
                           datum=["2025-01-05", "2025-06-01", "2025-01-07"], sector=["S00"] * 3,
                           wijk_code=["W00"] * 3)
    result = hotspots.hot_spots(PointIndex(points, sectors), sectors, category="zwerfvuil",
                                start=pd.Timestamp("2025-01-01"), end=pd.Timestamp("2025-03-31"))
    assert result.table.set_index("code").loc["S00", "signalen"] == 1
    assert result.table.set_index("code").loc["S00", "waarde"] == pytest.approx(1.0)  # 1 per 1000 inhabitants


def test_labels_and_method_in_english():
    assert hotspots.class_labels("en")[hotspots.HOT_99] == "hot spot 99%"
    assert hotspots.method_line("en").startswith("Getis-Ord Gi*")
