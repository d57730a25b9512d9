"""Suggested sites and the effect of one site, on the three sectors of ``test_coverage``.

With ``grid_spacing=200`` the candidate grid (cell centres from the lower-left corner
150000, 190000) holds every sector centre, e.g. (150500, 190500). A 500 m disc at a centre
lies inside its 1 km² sector and covers π 0.5² = 0.785398 of it; any other spot puts part of
the disc outside the sector.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from test_coverage import (  # noqa: F401 - mechelen is a fixture
    CENTRE,
    CIRCLE,
    DISC_300,
    X0,
    Y0,
    bench,
    furniture,
    make_sectors,
    mechelen,
    mechelen_furniture,
)

from cohesie import coverage, spatial, suggest
from cohesie.errors import CohesieError

DISC_500 = math.pi * 500**2 / 1e6
NOORD, MIDDEN, ZUID = "11111A00-", "11111A01-", "11111B00-"


def sites(result) -> list[tuple[float, float]]:
    return [(round(x, 6), round(y, 6)) for x, y in zip(result["x"], result["y"])]


def covered_total(sectors, pts, **kw) -> float:
    return coverage.coverage_per_area(sectors, pts, level="gemeente", **kw)["inwoners_gedekt"].sum()


def with_sites(pts: pd.DataFrame, result, typ: str = "gevelbank") -> pd.DataFrame:
    """``pts`` plus the suggested sites as placed furniture of ``typ``."""
    extra = furniture(*(bench(x, y, typ=typ) for x, y in zip(result["x"], result["y"])))
    extra["id"] = [f"nieuw{k}" for k in range(len(extra))]
    return pd.concat([pts, extra], ignore_index=True)


def signals(n: int, x: float, y: float, datum: str = "2024-03-01") -> list[tuple]:
    return [(x, y, "zwerfvuil", "open", datum, "signalen")] * n


# -- suggestions -------------------------------------------------------------------------
def test_one_site_goes_to_the_centre_of_the_only_populated_sector():
    result = suggest.suggest_sites(make_sectors(inwoners=(0, 0, 3000)), furniture(), n=1,
                                   radius=500, grid_spacing=200)
    assert list(result.columns) == suggest.SUGGESTION_COLUMNS
    assert result.crs.to_epsg() == 31370
    assert sites(result) == [CENTRE[ZUID]]
    row = result.iloc[0]
    assert row["rang"] == 1
    where = (row["sector"], row["sector_naam"], row["wijk_code"], row["wijk_naam"])
    assert where == (ZUID, "Zuid", "W2", "Wijk twee")
    assert row["winst_inwoners"] == pytest.approx(3000 * DISC_500, rel=CIRCLE)
    assert row["winst_gewogen"] == row["winst_inwoners"]
    x, y = spatial.to_analysis_xy([row["lon"]], [row["lat"]], crs=4326)
    assert (x[0], y[0]) == pytest.approx(CENTRE[ZUID], abs=1e-3)
    assert result.attrs["totaal_winst"] == pytest.approx(row["winst_inwoners"])


def test_two_sites_rank_the_larger_gain_first():
    result = suggest.suggest_sites(make_sectors(inwoners=(1000, 0, 3000)), furniture(), n=2,
                                   radius=500, grid_spacing=200)
    assert sites(result) == [CENTRE[ZUID], CENTRE[NOORD]]
    assert result["rang"].tolist() == [1, 2]
    assert result["winst_inwoners"].tolist() == pytest.approx([3000 * DISC_500, 1000 * DISC_500], rel=CIRCLE)


def test_existing_furniture_of_the_same_type_already_covers_its_area():
    sectors = make_sectors(inwoners=(1000, 0, 3000))
    pts = furniture(bench(*CENTRE[ZUID], typ="gevelbank"))
    # Zuid's centre is taken for benches: the rest of Zuid (four corners of 161 inhabitants)
    # is worth less than Noord's centre (785).
    bank = suggest.suggest_sites(sectors, pts, n=1, radius=500, grid_spacing=200,
                                 furniture_type="gevelbank")
    assert sites(bank) == [CENTRE[NOORD]]
    assert bank["winst_inwoners"].iloc[0] == pytest.approx(1000 * DISC_500, rel=CIRCLE)
    # a bench does not count when looking for a picnic table
    table = suggest.suggest_sites(sectors, pts, n=1, radius=500, grid_spacing=200,
                                  furniture_type="picknicktafel")
    assert sites(table) == [CENTRE[ZUID]]


def test_gains_add_up_to_the_increase_in_coverage():
    rng = np.random.default_rng(3)
    sectors = make_sectors()
    xs, ys = rng.uniform(X0, X0 + 3000, 3), rng.uniform(Y0, Y0 + 1000, 3)
    pts = furniture(*(bench(x, y) for x, y in zip(xs, ys)))
    result = suggest.suggest_sites(sectors, pts, n=3, radius=300, grid_spacing=100)
    assert len(result) == 3
    gains = result["winst_inwoners"].to_numpy()
    assert (gains > 0).all() and (np.diff(gains) <= 1e-9).all()
    before = covered_total(sectors, pts, radius=300)
    after = covered_total(sectors, with_sites(pts, result), radius=300)
    assert gains.sum() == pytest.approx(after - before, rel=1e-9)


def test_signal_weighting_favours_the_sector_with_many_signals_per_inhabitant():
    sectors = make_sectors(inwoners=(1000, 0, 3000))
    pts = furniture(*signals(50, *CENTRE[NOORD]), *signals(7, X0 + 100, Y0 + 100, datum="2019-01-01"))
    plain = suggest.suggest_sites(sectors, pts, n=1, radius=500, grid_spacing=200)
    assert sites(plain) == [CENTRE[ZUID]]
    weighted = suggest.suggest_sites(sectors, pts, n=1, radius=500, grid_spacing=200,
                                     weight_by_signals=True, start="2024-01-01", end="2024-12-31")
    assert sites(weighted) == [CENTRE[NOORD]]
    row = weighted.iloc[0]
    # Noord: 50 signals per 1000 inhabitants; city: 50 per 4000 → factor 4
    assert row["winst_inwoners"] == pytest.approx(1000 * DISC_500, rel=CIRCLE)
    assert row["winst_gewogen"] == pytest.approx(4 * 1000 * DISC_500, rel=CIRCLE)
    factor = suggest.signal_factor(sectors, pts, start="2024-01-01", end="2024-12-31")
    assert factor.tolist() == pytest.approx([4.0, 0.0, 0.0])
    # the 2019 signals sit in Noord too: over all years 57 per 1000 vs 57 per 4000
    assert suggest.signal_factor(sectors, pts).tolist() == pytest.approx([4.0, 0.0, 0.0])


def test_no_signals_means_no_weighting():
    sectors = make_sectors(inwoners=(1000, 0, 3000))
    assert suggest.signal_factor(sectors, furniture()).tolist() == [1.0, 1.0, 1.0]


def test_nothing_left_to_cover_gives_no_suggestions():
    sectors = make_sectors()
    pts = furniture(*(bench(*CENTRE[c]) for c in (NOORD, MIDDEN, ZUID)))
    result = suggest.suggest_sites(sectors, pts, n=2, radius=800, grid_spacing=200)
    assert result.empty
    assert list(result.columns) == suggest.SUGGESTION_COLUMNS


def test_fewer_sites_than_asked_when_more_would_add_nothing():
    # a single populated 1 km² sector and a 2 km radius: one site covers everybody
    result = suggest.suggest_sites(make_sectors(inwoners=(0, 0, 3000)), furniture(), n=3,
                                   radius=2000, grid_spacing=200)
    assert len(result) == 1
    assert result["winst_inwoners"].iloc[0] == pytest.approx(3000)


@pytest.mark.parametrize("kw, message", [
    ({"n": 0}, "Aantal locaties"),
    ({"n": 2.5}, "Aantal locaties"),
    ({"n": "vijf"}, "Aantal locaties"),
    ({"n": 1, "radius": 0}, "Straal"),
    ({"n": 1, "grid_spacing": -100}, "Rasterafstand"),
    ({"n": 1, "grid_spacing": 1}, "te veel kandidaatlocaties"),
])
def test_invalid_input_is_refused_in_dutch(kw, message):
    with pytest.raises(CohesieError, match=message):
        suggest.suggest_sites(make_sectors(), furniture(), **kw)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 3.3 notes about its 4.0 API
def test_sparse_model_reaches_the_optimum_of_spopts_own_builder():
    import pulp
    from spopt.locate import MCLP

    rng = np.random.default_rng(11)
    demand = rng.uniform(0, 2000, (80, 2))
    cand = rng.uniform(0, 2000, (30, 2))
    weights = rng.integers(1, 50, 80).astype(float)
    dist = np.hypot(*(demand[:, None, :] - cand[None, :, :]).transpose(2, 0, 1))
    reference = MCLP.from_cost_matrix(dist, weights, service_radius=400, p_facilities=3)
    reference.solve(pulp.PULP_CBC_CMD(msg=False))
    best = pulp.value(reference.problem.objective)
    rows = [np.flatnonzero(r <= 400) for r in dist]
    keep = [k for k, r in enumerate(rows) if len(r)]
    chosen, optimal = suggest._solve_mclp([rows[k] for k in keep], weights[keep], len(cand), 3,
                                          deadline=time.perf_counter() + 60)
    assert optimal and len(chosen) == 3
    ours = sum(w for r, w in zip(rows, weights) if set(r) & set(chosen))
    assert ours == pytest.approx(best)


# -- one site --------------------------------------------------------------------------
def test_placement_effect_checked_by_hand():
    x, y = CENTRE[NOORD]
    pts = furniture(bench(x + 400, y, typ="gevelbank"), bench(x, y + 100, typ="picknicktafel"))
    effect = suggest.placement_effect(make_sectors(), pts, x, y, furniture_type="gevelbank", radius=300)
    where = (effect.sector, effect.sector_naam, effect.wijk_code, effect.wijk_naam)
    assert where == (NOORD, "Noord", "W1", "Wijk een")
    assert effect.afstand_m == pytest.approx(400)
    assert effect.dichtstbij_id == "m1"
    assert effect.inwoners_bereik == pytest.approx(1000 * DISC_300, rel=CIRCLE)
    # two 300 m discs 400 m apart overlap in a lens of 2r² acos(d/2r) - (d/2) sqrt(4r² - d²)
    lens = 2 * 300**2 * math.acos(400 / 600) - 200 * math.sqrt(4 * 300**2 - 400**2)
    assert effect.nieuw_bereik == pytest.approx(1000 * (DISC_300 - lens / 1e6), rel=1e-3)
    assert effect.radius == 300
    any_type = suggest.placement_effect(make_sectors(), pts, x, y, radius=300)
    assert (any_type.afstand_m, any_type.dichtstbij_id) == (pytest.approx(100), "m2")
    assert set(effect.as_dict()) >= {"x", "y", "lon", "lat", "sector", "wijk_code", "afstand_m",
                                     "nieuw_bereik"}


def test_placement_effect_from_a_map_click_in_lon_lat():
    x, y = CENTRE[MIDDEN]
    lon, lat = spatial.to_display_lonlat([x], [y])
    effect = suggest.placement_effect(make_sectors(), furniture(), float(lon[0]), float(lat[0]),
                                      crs=4326, furniture_type="boekenruilkast")
    assert (effect.x, effect.y) == pytest.approx((x, y), abs=1e-3)
    assert (effect.lon, effect.lat) == pytest.approx((lon[0], lat[0]))
    assert effect.sector == MIDDEN
    assert effect.afstand_m is None and effect.dichtstbij_id is None  # nothing of that type yet
    assert effect.nieuw_bereik == pytest.approx(2000 * DISC_300, rel=CIRCLE)


def test_placement_effect_outside_the_municipality():
    effect = suggest.placement_effect(make_sectors(), furniture(bench(*CENTRE[NOORD])), X0 - 5000, Y0,
                                      furniture_type="gevelbank")
    assert effect.sector is None and effect.wijk_code is None
    assert effect.inwoners_bereik == 0 and effect.nieuw_bereik == 0
    assert effect.afstand_m == pytest.approx(math.hypot(5500, 500))


def test_placement_effect_refuses_a_bad_radius():
    with pytest.raises(CohesieError, match="Straal"):
        suggest.placement_effect(make_sectors(), furniture(), *CENTRE[NOORD], radius=-1)


# -- Mechelen (shared reference files; skipped when absent) -------------------------------
def test_mechelen_suggestions(mechelen):  # noqa: F811 - fixture imported above
    sectors = mechelen.sectors
    pts = mechelen_furniture(sectors)
    result = suggest.suggest_sites(sectors, pts, n=3, furniture_type="gevelbank")
    assert len(result) == 3
    assert result["sector"].notna().all()
    info = sectors.set_index("code")
    assert result["wijk_code"].tolist() == info.loc[result["sector"], "wijk_code"].tolist()
    assert (np.diff(result["winst_inwoners"]) <= 1e-9).all()
    before = covered_total(sectors, pts, types="gevelbank")
    after = covered_total(sectors, with_sites(pts, result), types="gevelbank")
    assert result["winst_inwoners"].sum() == pytest.approx(after - before, rel=1e-9)
    # each site adds inhabitants that no existing gevelbank reached
    first = result.iloc[0]
    effect = suggest.placement_effect(sectors, pts, first["x"], first["y"], furniture_type="gevelbank")
    assert effect.nieuw_bereik == pytest.approx(first["winst_inwoners"], rel=1e-9)
    assert effect.sector == first["sector"]


def test_default_grid_spacing_grows_with_radius_and_area():
    three = make_sectors()  # 3 km²
    assert suggest.default_grid_spacing(three, radius=300) == 100
    assert suggest.default_grid_spacing(three, radius=600) == 200
    big = make_sectors().iloc[:1].copy()
    big["geometry"] = [box(X0, Y0, X0 + 20_000, Y0 + 20_000)]  # 400 km²: 10,000 cells of 200 m
    assert suggest.default_grid_spacing(big, radius=300) == pytest.approx(200)


def test_the_plaatsing_suggestions_weigh_by_the_signals_given_apart():
    """The page passes the signals apart (the app keeps them in the point index, not in
    data.points): given, they are added and weigh; not given, no weighting."""
    from types import SimpleNamespace

    from cohesie import placement
    from cohesie.indicators import Filters

    sectors = make_sectors(inwoners=(1000, 0, 3000))
    sig = furniture(*signals(50, *CENTRE[NOORD]))
    data = SimpleNamespace(sectors=sectors, points=furniture())
    period = Filters(start="2024-01-01", end="2024-12-31")
    weighted = placement.suggestions(data, n=1, radius=500, furniture_type="gevelbank", filters=period, signals=sig)
    direct = suggest.suggest_sites(sectors, pd.concat([data.points, sig]), n=1, radius=500, furniture_type="gevelbank",
                                   weight_by_signals=True, start="2024-01-01", end="2024-12-31")
    pd.testing.assert_frame_equal(weighted, pd.DataFrame(direct.drop(columns="geometry")))
    assert "geometry" not in weighted.columns and weighted["winst_gewogen"].iloc[0] > 0
    plain = placement.suggestions(data, n=1, radius=500, furniture_type="gevelbank", filters=period)
    assert weighted["sector"].iloc[0] == NOORD and plain["sector"].iloc[0] == ZUID
