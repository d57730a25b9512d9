"""Where to put new furniture: suggested sites (maximal covering) and the effect of one site.

Suggestions solve a maximal covering location problem (MCLP, Church & ReVelle 1974) with
spopt's :class:`spopt.locate.MCLP` and the CBC solver bundled with PuLP:

- demand: the inhabitants not yet within ``radius`` metres of placed furniture of the type,
  spread evenly over each sector's area (as in :mod:`cohesie.coverage`) and cut into grid cells
  of ``grid_spacing`` metres; each piece (cell ∩ uncovered part of one sector) is one demand
  unit at a point on its surface, weighted by its inhabitants (optionally × the sector's
  signals per 1000 inhabitants relative to the city's);
- candidates: the centres of the same grid cells that lie inside the municipality;
- a candidate covers a demand unit when the unit's point is within ``radius`` metres.

CBC starts from the greedy solution and stops within the call's time budget (default 6 s),
returning the best solution found; ``attrs["optimaal"]`` says whether it proved optimality.
The first call also imports spopt (2-3 s); :func:`preload` does that ahead of time.

The reported gain of each site is computed exactly (areas, not grid points): sites are put in
the order that adds the most at each step, and ``winst_inwoners`` is what a site adds to the
existing furniture and the sites ranked before it. The gains add up to all inhabitants the
suggestions newly bring within reach.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import coverage, settings, spatial
from cohesie.errors import CohesieError
from cohesie.indicators import Filters, filter_points

DEFAULT_GRID_M = 100.0  # finest default spacing of candidates and demand cells
TARGET_CELLS = 10_000  # default spacing grows so that a municipality has about this many cells
DEFAULT_TIME_LIMIT_S = 6.0  # budget of one call; the solver stops early to stay within it
MIN_SOLVER_S = 1.0  # CBC always gets at least this long
RANKING_RESERVE_S = 0.5  # kept for ranking the chosen sites after CBC
MAX_CANDIDATES = 30_000  # beyond this the model no longer answers within seconds
SUGGESTION_COLUMNS = ["rang", "x", "y", "lon", "lat", "sector", "sector_naam", "wijk_code",
                      "wijk_naam", "winst_inwoners", "winst_gewogen", "geometry"]


# -- checks ------------------------------------------------------------------------------

def _check_count(n) -> int:
    try:
        value = int(n)
    except (TypeError, ValueError):
        raise CohesieError(f"Aantal locaties '{n}' is geen geheel getal; kies bv. 5.") from None
    if value != n or value < 1:
        raise CohesieError(f"Aantal locaties {n} is ongeldig: kies een geheel getal vanaf 1.")
    return value


def _check_spacing(spacing) -> float:
    try:
        value = float(spacing)
    except (TypeError, ValueError):
        value = float("nan")
    if not math.isfinite(value) or value <= 0:
        raise CohesieError(f"Rasterafstand {spacing} is ongeldig: geef een afstand groter dan 0 "
                           "meter, bv. 100.")
    return value


def default_grid_spacing(sectors: gpd.GeoDataFrame, *, radius: float) -> float:
    """Grid spacing in metres used when none is given: the largest of 100 m, ``radius / 3``
    and the spacing giving about 10,000 cells over the sectors' area.

    The model grows with the number of cells times the candidates within reach of each
    (π (radius / spacing)² ≈ 28 at radius / 3), so this keeps it solvable in seconds.
    """
    area = float(shapely.area(sectors.geometry.values).sum())
    return max(DEFAULT_GRID_M, radius / 3, math.sqrt(area / TARGET_CELLS))


def preload() -> None:
    """Import spopt and PuLP now (2-3 s: spopt pulls in libpysal and pointpats), so that the
    first :func:`suggest_sites` does not pay for it; e.g. once per process from a page."""
    import pulp  # noqa: F401
    from spopt.locate import MCLP  # noqa: F401


# -- demand and candidates ---------------------------------------------------------------

def signal_factor(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, start=None,
                  end=None) -> np.ndarray:
    """Per sector row: its signals per 1000 inhabitants divided by the city's rate.

    Signals are records of layer ``signalen`` (not ``verwijderd``) dated in ``[start, end]``
    and located in a sector. 1 means "as many signals per inhabitant as the city"; 0 for a
    sector without signals or inhabitants. All ones when there are no signals at all.
    """
    sig = filter_points(points, Filters(start=start, end=end, layers=("signalen",)))
    counts = sig["sector"].value_counts()
    per_sector = sectors["code"].map(counts).fillna(0).to_numpy(dtype="float64")
    people = np.nan_to_num(sectors["inwoners"].to_numpy(dtype="float64"))  # unknown: none counted
    if per_sector.sum() == 0 or people.sum() == 0:
        return np.ones(len(sectors))
    city_rate = per_sector.sum() / people.sum()
    rate = np.divide(per_sector, people, out=np.zeros(len(sectors)), where=people > 0)
    return rate / city_rate


def demand_units(sectors: gpd.GeoDataFrame, covered, *, spacing: float,
                 factor: np.ndarray | None = None) -> pd.DataFrame:
    """Uncovered inhabitants cut into grid cells of ``spacing`` metres.

    Parameters
    ----------
    sectors : GeoDataFrame
        Sectors (EPSG:31370) with ``inwoners``.
    covered : shapely geometry
        Area already within reach (:func:`cohesie.coverage.furniture_reach`).
    spacing : float
        Cell size in metres.
    factor : ndarray, optional
        Demand weight per sector row (e.g. :func:`signal_factor`); 1 when omitted.

    Returns
    -------
    DataFrame
        ``x, y`` (a point on the piece, EPSG:31370), ``inwoners`` (living in the piece) and
        ``gewicht`` (inhabitants × factor).
    """
    parts = coverage.uncovered_parts(sectors.reset_index(drop=True), covered)
    empty = pd.DataFrame({c: pd.Series(dtype="float64") for c in ("x", "y", "inwoners", "gewicht")})
    if parts.empty:
        return empty
    weight = np.ones(len(sectors)) if factor is None else np.asarray(factor, dtype="float64")
    row_of = pd.Series(np.arange(len(sectors)), index=sectors["code"].to_numpy())
    part_factor = weight[row_of.reindex(parts["code"]).to_numpy()]
    # the same origin as candidate_sites, so every candidate is the centre of a demand cell
    xmin, ymin = shapely.total_bounds(sectors.geometry.values)[:2]
    _, _, xmax, ymax = shapely.total_bounds(parts.geometry.values)
    xs = np.arange(xmin, xmax, spacing)
    ys = np.arange(ymin, ymax, spacing)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    cells = shapely.box(gx, gy, gx + spacing, gy + spacing)
    cell_idx, part_idx = shapely.STRtree(parts.geometry.values).query(cells, predicate="intersects")
    pieces = shapely.intersection(cells[cell_idx], parts.geometry.values[part_idx])
    people = shapely.area(pieces) * parts["inwoners_per_km2"].to_numpy()[part_idx] / 1e6
    keep = people > 1e-9  # border slivers of zero area
    if not keep.any():
        return empty
    where = shapely.get_coordinates(shapely.point_on_surface(pieces[keep]))
    return pd.DataFrame({"x": where[:, 0], "y": where[:, 1], "inwoners": people[keep],
                         "gewicht": people[keep] * part_factor[part_idx[keep]]})


def candidate_sites(sectors: gpd.GeoDataFrame, *, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Regular grid of candidate sites (cell centres, ``spacing`` metres) inside the sectors.

    Returns x and y arrays in EPSG:31370.
    """
    outline = spatial.municipality_outline(sectors)
    xmin, ymin, xmax, ymax = outline.bounds
    count = math.ceil((xmax - xmin) / spacing) * math.ceil((ymax - ymin) / spacing)
    if count > MAX_CANDIDATES * 4:
        raise CohesieError(f"Rasterafstand {spacing:g} m geeft te veel kandidaatlocaties "
                           f"(ongeveer {count}); kies een grotere rasterafstand.")
    gx, gy = np.meshgrid(np.arange(xmin + spacing / 2, xmax, spacing),
                         np.arange(ymin + spacing / 2, ymax, spacing))
    gx, gy = gx.ravel(), gy.ravel()
    inside = shapely.contains_xy(outline, gx, gy)
    if inside.sum() > MAX_CANDIDATES:
        raise CohesieError(f"Rasterafstand {spacing:g} m geeft {int(inside.sum())} "
                           f"kandidaatlocaties (meer dan {MAX_CANDIDATES}); kies een grotere "
                           "rasterafstand.")
    return gx[inside], gy[inside]


# -- the optimisation --------------------------------------------------------------------

def _coverage_lists(demand: pd.DataFrame, cx: np.ndarray, cy: np.ndarray, radius: float):
    """Merged demand rows (identical candidate sets summed) and the candidates in use.

    Merging rows that are covered by exactly the same candidates, and dropping candidates
    that cover nothing, leaves the optimum unchanged and makes the model smaller.
    """
    from scipy.spatial import cKDTree

    lists = cKDTree(np.c_[cx, cy]).query_ball_point(demand[["x", "y"]].to_numpy(), radius)
    merged: dict[tuple, float] = {}
    for cands, w in zip(lists, demand["gewicht"].to_numpy()):
        if cands and w > 0:
            key = tuple(sorted(cands))
            merged[key] = merged.get(key, 0.0) + w
    used = np.array(sorted({j for key in merged for j in key}), dtype="int64")
    position = {j: k for k, j in enumerate(used)}
    rows = [np.array([position[j] for j in key], dtype="int64") for key in merged]
    return rows, np.fromiter(merged.values(), dtype="float64", count=len(merged)), used


def _greedy(rows: list[np.ndarray], weights: np.ndarray, n_cand: int, p: int) -> list[int]:
    """Greedy MCLP (add the candidate covering the most uncovered weight, p times)."""
    from scipy import sparse

    indptr = np.r_[0, np.cumsum([len(r) for r in rows])]
    a = sparse.csr_matrix((np.ones(indptr[-1]), np.concatenate(rows), indptr),
                          shape=(len(rows), n_cand)).tocsc()
    open_w = weights.copy()
    chosen: list[int] = []
    for _ in range(p):
        gain = a.T @ open_w
        gain[chosen] = -1
        best = int(np.argmax(gain))
        chosen.append(best)
        open_w[a.indices[a.indptr[best]:a.indptr[best + 1]]] = 0
    return chosen


def _solve_mclp(rows: list[np.ndarray], weights: np.ndarray, n_cand: int, p: int, *,
                deadline: float) -> tuple[list[int], bool]:
    """Solve the MCLP with spopt's model and PuLP's CBC; return chosen candidates, optimal?

    spopt's ``MCLP.from_cost_matrix`` loops in Python over the dense demand × candidate
    matrix (≈4 µs per pair, minutes for a city at 100 m); the model below is the same
    (same variables via spopt's ``FacilityModelBuilder``, objective max Σ wᵢ yᵢ, Σ xⱼ = p,
    Σ_{j covers i} xⱼ ≥ yᵢ), with each coverage constraint built from the few candidates
    within reach. A greedy solution is given to CBC as warm start, so stopping early still
    returns a solution at least that good. CBC stops in time to return by ``deadline`` (a
    ``time.perf_counter()`` value), assuming writing the model for CBC and reading its answer
    take about as long as building the model did (which tracks the machine's load).
    """
    import pulp
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    # PuLP 3.3 announces its 4.0 API on every LpVariable spopt 0.7 creates and on the bundled
    # CBC; both work in the pinned 3.3 and the notes would flood logs and test output.
    built_from = time.perf_counter()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(pulp|spopt)\b")
        warnings.filterwarnings("ignore", message=r"(Constructing LpVariable|PULP_CBC_CMD)",
                                category=DeprecationWarning)
        problem = pulp.LpProblem("mclp", pulp.LpMaximize)
        model = MCLP("mclp", problem)
        FacilityModelBuilder.add_facility_integer_variable(model, range(n_cand), "x[{i}]")
        FacilityModelBuilder.add_client_integer_variable(model, range(len(rows)), "y[{i}]")
        x, y = model.fac_vars, model.cli_vars
        problem += pulp.lpSum(float(w) * y[i] for i, w in enumerate(weights)), "objective function"
        for i, cands in enumerate(rows):
            problem += pulp.lpSum(x[j] for j in cands) >= y[i]
        FacilityModelBuilder.add_facility_constraint(model, p)

        start = set(_greedy(rows, weights, n_cand, p))
        for j, var in enumerate(x):
            var.setInitialValue(1 if j in start else 0)
        for i, cands in enumerate(rows):
            y[i].setInitialValue(1 if start.intersection(cands.tolist()) else 0)
        now = time.perf_counter()
        limit = max(MIN_SOLVER_S, deadline - now - (now - built_from) - RANKING_RESERVE_S)
        try:
            model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit, warmStart=True),
                        results=False)
        except RuntimeError as err:  # spopt's check_status: no solution at all
            raise CohesieError(f"De optimalisatie vond geen oplossing ({err}); probeer een "
                               "grotere rasterafstand of minder locaties.") from None
    chosen = [j for j, var in enumerate(x) if (var.value() or 0) > 0.5]
    return chosen, problem.sol_status == pulp.LpSolutionOptimal


# -- exact gains -------------------------------------------------------------------------

class _Remaining:
    """Uncovered parts of the sectors with their density, shrinking as sites are added."""

    def __init__(self, sectors: gpd.GeoDataFrame, covered, factor: np.ndarray | None = None):
        parts = coverage.uncovered_parts(sectors.reset_index(drop=True), covered)
        self.geoms = parts.geometry.values.copy()
        self.density = parts["inwoners_per_km2"].to_numpy() / 1e6  # inhabitants per m²
        if factor is None:
            self.weighted = self.density
        else:
            row_of = pd.Series(np.arange(len(sectors)), index=sectors["code"].to_numpy())
            self.weighted = self.density * np.asarray(factor)[row_of.reindex(parts["code"]).to_numpy()]

    def gain(self, disc) -> tuple[float, float]:
        """Inhabitants (plain, weighted) in the remaining parts within ``disc``."""
        hit = shapely.intersects(self.geoms, disc)
        if not hit.any():
            return 0.0, 0.0
        area = shapely.area(shapely.intersection(self.geoms[hit], disc))
        return float(area @ self.density[hit]), float(area @ self.weighted[hit])

    def remove(self, disc) -> None:
        hit = shapely.intersects(self.geoms, disc)
        self.geoms[hit] = shapely.difference(self.geoms[hit], disc)


def _disc(x: float, y: float, radius: float):
    return shapely.buffer(shapely.Point(x, y), radius, quad_segs=coverage.QUAD_SEGS)


def _empty_suggestions() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in SUGGESTION_COLUMNS[:-1]})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=settings.ANALYSIS_CRS))


def suggest_sites(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, n: int,
                  radius: float = coverage.DEFAULT_RADIUS_M, furniture_type: str | None = None,
                  grid_spacing: float | None = None, weight_by_signals: bool = False,
                  start=None, end=None,
                  time_limit: float = DEFAULT_TIME_LIMIT_S) -> gpd.GeoDataFrame:
    """Propose ``n`` sites that together bring the most uncovered inhabitants within reach.

    Parameters
    ----------
    sectors : GeoDataFrame
        Sectors (EPSG:31370) with ``code, naam, wijk_code, wijk_naam, inwoners``.
    points : DataFrame
        All records: placed furniture sets the existing coverage; signals the weights.
    n : int
        Number of sites to propose (≥ 1).
    radius : float
        Reach of one piece of furniture in metres (default 300).
    furniture_type : str, optional
        Only furniture of this type counts as existing coverage; ``None``: any type.
    grid_spacing : float, optional
        Spacing of candidate sites and size of demand cells in metres. Default
        :func:`default_grid_spacing` (100 m for Mechelen at 300 m).
    weight_by_signals : bool
        Weight demand by the sector's signals per 1000 inhabitants relative to the city's
        (:func:`signal_factor`), so sites in sectors with many signals rank higher.
    start, end : date-like, optional
        Signals dated in this period count for the weights; furniture placed after ``end``
        does not count as existing.
    time_limit : float
        Seconds this call may take (default 6). CBC gets what is left after preparing the
        model and stops with its best solution so far (never worse than the greedy one it
        starts from); ``attrs["optimaal"]`` says whether it proved optimality.

    Returns
    -------
    GeoDataFrame
        EPSG:31370 points, one row per useful site (fewer than ``n`` when fewer sites add
        inhabitants), in rank order: ``rang`` (1 = adds most), ``x, y`` (EPSG:31370),
        ``lon, lat``, ``sector, sector_naam, wijk_code, wijk_naam``, ``winst_inwoners``
        (inhabitants newly within reach that this site adds to the existing furniture and the
        sites ranked before it) and ``winst_gewogen`` (the same weighted by signals; equal to
        ``winst_inwoners`` without weighting). ``attrs`` holds ``optimaal`` (CBC proved the
        grid model optimal), ``kandidaten``, ``vraageenheden``, ``totaal_winst`` and
        ``seconden``.
    """
    started = time.perf_counter()
    p = _check_count(n)
    radius = coverage.check_radius(radius)
    spacing = _check_spacing(default_grid_spacing(sectors, radius=radius)
                             if grid_spacing is None else grid_spacing)
    sectors = sectors.reset_index(drop=True)
    cx, cy = candidate_sites(sectors, spacing=spacing)  # first: refuses a too fine grid
    preload()  # counted in the time budget
    covered = coverage.furniture_reach(points, radius=radius, types=furniture_type, end=end)
    factor = signal_factor(sectors, points, start=start, end=end) if weight_by_signals else None
    demand = demand_units(sectors, covered, spacing=spacing, factor=factor)
    out = _empty_suggestions()
    out.attrs.update(optimaal=True, kandidaten=len(cx), vraageenheden=len(demand),
                     totaal_winst=0.0, seconden=0.0)
    if demand.empty or len(cx) == 0:
        out.attrs["seconden"] = time.perf_counter() - started
        return out
    rows, weights, used = _coverage_lists(demand, cx, cy, radius)
    if not rows:
        out.attrs["seconden"] = time.perf_counter() - started
        return out
    chosen, optimal = _solve_mclp(rows, weights, len(used), min(p, len(used)),
                                  deadline=started + time_limit)
    sx, sy = cx[used[chosen]], cy[used[chosen]]

    remaining = _Remaining(sectors, covered, factor)
    discs = [_disc(a, b, radius) for a, b in zip(sx, sy)]
    order, gains = [], []
    left = list(range(len(discs)))
    while left:  # rank: the site adding most (by the optimised weight) first
        scored = [(remaining.gain(discs[k]), k) for k in left]
        (plain, weighted), best = max(scored, key=lambda s: (s[0][1], -s[1]))
        if weighted <= 0 and plain <= 0:
            break
        order.append(best)
        gains.append((plain, weighted))
        remaining.remove(discs[best])
        left.remove(best)
    if not order:
        out.attrs.update(optimaal=optimal, seconden=time.perf_counter() - started)
        return out
    sx, sy = sx[order], sy[order]
    lon, lat = spatial.to_display_lonlat(sx, sy)
    codes = spatial.sector_of_points(sx, sy, sectors)
    info = sectors.set_index("code")
    frame = pd.DataFrame({
        "rang": np.arange(1, len(order) + 1), "x": sx, "y": sy, "lon": lon, "lat": lat,
        "sector": codes,
        "sector_naam": [info.at[c, "naam"] if c is not None else None for c in codes],
        "wijk_code": [info.at[c, "wijk_code"] if c is not None else None for c in codes],
        "wijk_naam": [info.at[c, "wijk_naam"] if c is not None else None for c in codes],
        "winst_inwoners": [g[0] for g in gains],
        "winst_gewogen": [g[1] for g in gains],
    })
    result = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.points(sx, sy),
                                                             crs=settings.ANALYSIS_CRS))
    result.attrs.update(optimaal=optimal, kandidaten=len(cx), vraageenheden=len(demand),
                        totaal_winst=float(frame["winst_inwoners"].sum()),
                        seconden=time.perf_counter() - started)
    return result


# -- one proposed site -------------------------------------------------------------------

@dataclass(frozen=True)
class PlacementEffect:
    """What placing one piece of furniture at a spot would change.

    Attributes
    ----------
    x, y : float
        The spot in EPSG:31370 (metres).
    lon, lat : float
        The spot in EPSG:4326.
    sector, sector_naam, wijk_code, wijk_naam : str or None
        Where the spot lies; ``None`` outside every sector.
    afstand_m : float or None
        Distance in metres to the nearest placed furniture of the type (any type when no
        type was given); ``None`` when there is none.
    dichtstbij_id : str or None
        ``id`` of that nearest furniture.
    inwoners_bereik : float
        Inhabitants within ``radius`` metres of the spot (population spread by area).
    nieuw_bereik : float
        Of those, the inhabitants not yet within reach of placed furniture of the type.
    radius : float
        The reach used, in metres.
    """

    x: float
    y: float
    lon: float
    lat: float
    sector: str | None
    sector_naam: str | None
    wijk_code: str | None
    wijk_naam: str | None
    afstand_m: float | None
    dichtstbij_id: str | None
    inwoners_bereik: float
    nieuw_bereik: float
    radius: float

    def as_dict(self) -> dict:
        """The attributes as a plain dict (e.g. for a table)."""
        return asdict(self)


def placement_effect(sectors: gpd.GeoDataFrame, points: pd.DataFrame, x: float, y: float, *,
                     furniture_type: str | None = None,
                     radius: float = coverage.DEFAULT_RADIUS_M, end=None,
                     crs: int = settings.ANALYSIS_CRS) -> PlacementEffect:
    """Sector, wijk, nearest existing furniture and newly reached inhabitants of one spot.

    Parameters
    ----------
    sectors : GeoDataFrame
        Sectors (EPSG:31370) with ``code, naam, wijk_code, wijk_naam, inwoners``.
    points : DataFrame
        All records; placed furniture of ``furniture_type`` is the existing furniture.
    x, y : float
        The spot, in EPSG ``crs`` (for a map click: ``x`` = longitude, ``y`` = latitude,
        ``crs=4326``).
    furniture_type : str, optional
        Type of the planned furniture; ``None`` compares with any type.
    radius : float
        Reach in metres (default 300).
    end : date-like, optional
        Only furniture placed on or before this date exists.
    crs : int
        EPSG code of ``x`` and ``y`` (default 31370).
    """
    radius = coverage.check_radius(radius)
    ax, ay = spatial.to_analysis_xy([x], [y], crs=crs)
    px, py = float(ax[0]), float(ay[0])
    if not (math.isfinite(px) and math.isfinite(py)):
        raise CohesieError(f"Locatie ({x}, {y}) is ongeldig in EPSG:{crs}.")
    lon, lat = spatial.to_display_lonlat([px], [py])
    sectors = sectors.reset_index(drop=True)
    code = spatial.sector_of_points([px], [py], sectors)[0]
    info = sectors.set_index("code").loc[code] if code is not None else None
    placed = coverage.placed_furniture(points, types=furniture_type, end=end)
    afstand = nearest_id = None
    if len(placed):
        d = np.hypot(placed["x"].to_numpy(dtype="float64") - px,
                     placed["y"].to_numpy(dtype="float64") - py)
        k = int(np.argmin(d))
        afstand, nearest_id = float(d[k]), placed["id"].iloc[k]
    covered = coverage.reach(placed["x"].to_numpy(), placed["y"].to_numpy(), radius=radius)
    disc = _disc(px, py, radius)
    everyone = coverage.covered_inhabitants(sectors, disc).sum()
    new, _ = _Remaining(sectors, covered).gain(disc)
    return PlacementEffect(
        x=px, y=py, lon=float(lon[0]), lat=float(lat[0]), sector=code,
        sector_naam=None if info is None else info["naam"],
        wijk_code=None if info is None else info["wijk_code"],
        wijk_naam=None if info is None else info["wijk_naam"],
        afstand_m=afstand, dichtstbij_id=None if nearest_id is None else str(nearest_id),
        inwoners_bereik=float(everyone), nieuw_bereik=float(new), radius=radius)
