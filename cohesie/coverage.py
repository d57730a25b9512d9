"""Coverage: which share of the inhabitants lives within a distance of placed furniture.

Method (areal interpolation with an even spread). A sector's inhabitants are spread evenly
over its area, so the inhabitants within reach of furniture are

    inwoners × area(sector ∩ U) / area(sector)

where U is the union of discs of ``radius`` metres around every counted piece of furniture.
This is exactly tobler's ``area_interpolate`` with ``inwoners`` as an extensive variable and
the covered part of each sector as target zone (``tests/test_coverage.py`` checks that both
agree). It is computed with shapely directly because each sector maps to one target piece, so
tobler's generic source × target overlay adds nothing but an import of 1-2 s.

Counted furniture: layer ``meubilair``, status ``geplaatst``, with a location, of the chosen
type(s), and placed on or before ``end`` when given (an empty placement date counts, as
elsewhere in :mod:`cohesie.indicators`). Furniture just outside the municipality counts too:
inhabitants near the border are within reach of it. Everything is in EPSG:31370 (metres).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import areas
from cohesie.errors import CohesieError
from cohesie.layers import LAYERS

FURNITURE = "meubilair"
PLACED = "geplaatst"
DEFAULT_RADIUS_M = 300.0
# Segments per quarter circle: the 256-gon's area is 0.01 % short of the true disc, so a
# share computed here differs from pi r² by less than 1e-4 relative.
QUAD_SEGS = 64
# indicator column -> furniture type (None = any type)
COVERAGE_COLUMNS: dict[str, str | None] = {
    **{f"dekking_{t}_pct": t for t in LAYERS[FURNITURE].types},
    "dekking_meubilair_pct": None,
}


def check_radius(radius) -> float:
    """``radius`` as a positive finite number of metres; a Dutch error otherwise."""
    try:
        value = float(radius)
    except (TypeError, ValueError):
        raise CohesieError(f"Straal '{radius}' is geen getal; geef een afstand in meter, "
                           "bv. 300.") from None
    if not math.isfinite(value) or value <= 0:
        raise CohesieError(f"Straal {radius} m is ongeldig: geef een afstand groter dan 0 "
                           "meter, bv. 300.")
    return value


def _type_tuple(types: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if types is None:
        return None
    if isinstance(types, str):
        return (types,)
    return tuple(types) or None


def placed_furniture(points: pd.DataFrame, *, types: str | Iterable[str] | None = None,
                     end=None) -> pd.DataFrame:
    """Furniture records that count for coverage (see the module docstring).

    Parameters
    ----------
    points : DataFrame
        All records (``Dataset.points``): ``layer, type, status, datum, x, y`` in EPSG:31370.
    types : str or iterable of str, optional
        Furniture type(s) to keep; ``None`` (or an empty list) keeps every type.
    end : date-like, optional
        Keep furniture placed on or before this date (empty placement date counts).
    """
    keep = (points["layer"] == FURNITURE) & (points["status"] == PLACED)
    keep &= points["x"].notna() & points["y"].notna()
    wanted = _type_tuple(types)
    if wanted is not None:
        keep &= points["type"].isin(wanted)
    if end is not None:
        keep &= points["datum"].isna() | (points["datum"] <= pd.Timestamp(end))
    return points[keep]


def reach(x, y, *, radius: float):
    """Union of discs of ``radius`` metres around the points (shapely geometry, EPSG:31370).

    Empty geometry when there are no points.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if len(x) == 0:
        return shapely.Polygon()
    discs = shapely.buffer(shapely.points(x, y), radius, quad_segs=QUAD_SEGS)
    return shapely.union_all(discs)


def furniture_reach(points: pd.DataFrame, *, radius: float = DEFAULT_RADIUS_M,
                    types: str | Iterable[str] | None = None, end=None):
    """Area within ``radius`` metres of counted furniture (shapely geometry, EPSG:31370)."""
    radius = check_radius(radius)
    placed = placed_furniture(points, types=types, end=end)
    return reach(placed["x"].to_numpy(), placed["y"].to_numpy(), radius=radius)


def covered_inhabitants(sectors: gpd.GeoDataFrame, covered) -> np.ndarray:
    """Inhabitants of each sector living in ``covered``, population spread evenly by area.

    Parameters
    ----------
    sectors : GeoDataFrame
        Sectors (EPSG:31370) with ``inwoners``.
    covered : shapely geometry
        The reached area, e.g. from :func:`furniture_reach`.

    Returns
    -------
    ndarray of float
        One value per sector row, in row order (0 for sectors without area).
    """
    geoms = sectors.geometry.values
    total = shapely.area(geoms)
    if covered.is_empty or len(sectors) == 0:
        return np.zeros(len(sectors))
    inside = shapely.area(shapely.intersection(geoms, covered))
    share = np.divide(inside, total, out=np.zeros(len(sectors)), where=total > 0)
    # a sector without a population figure adds nobody (its inhabitants are unknown)
    return np.nan_to_num(sectors["inwoners"].to_numpy(dtype="float64")) * np.clip(share, 0.0, 1.0)


def coverage_per_area(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, level: str,
                      radius: float = DEFAULT_RADIUS_M,
                      types: str | Iterable[str] | None = None, end=None) -> pd.DataFrame:
    """Share of inhabitants per area within ``radius`` metres of placed furniture.

    Parameters
    ----------
    sectors : GeoDataFrame
        Sectors (EPSG:31370) with ``code, wijk_code, deelgemeente, nis, inwoners``.
    points : DataFrame
        All records; only counted furniture is used (:func:`placed_furniture`).
    level : {"sector", "wijk", "deelgemeente", "gemeente"}
        Area level of the rows.
    radius : float
        Distance in metres (default 300).
    types : str or iterable of str, optional
        Furniture type(s); ``None`` means any type.
    end : date-like, optional
        Count furniture placed on or before this date.

    Returns
    -------
    DataFrame
        One row per area, sorted by code: ``code``, ``inwoners``, ``inwoners_gedekt``
        (inhabitants within reach, a fraction because population is spread by area) and
        ``dekking_pct`` (percentage; empty for an area without inhabitants).
    """
    if level not in areas.LEVELS:
        raise CohesieError(f"Onbekend niveau '{level}'. Kies uit: {', '.join(areas.LEVELS)}.")
    covered = furniture_reach(points, radius=radius, types=types, end=end)
    frame = pd.DataFrame({
        "code": sectors[areas.LEVEL_CODE[level]].astype(str).to_numpy(),
        "inwoners": sectors["inwoners"].fillna(0).to_numpy(dtype="int64"),  # unknown: none counted
        "inwoners_gedekt": covered_inhabitants(sectors, covered),
    })
    out = frame.groupby("code", as_index=False, sort=True).sum()
    people = out["inwoners"].where(out["inwoners"] > 0)
    out["dekking_pct"] = out["inwoners_gedekt"] / people * 100
    return out


def coverage_columns(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, level: str,
                     radius: float = DEFAULT_RADIUS_M, end=None,
                     decimals: int = 2) -> pd.DataFrame:
    """The coverage indicators of :data:`COVERAGE_COLUMNS`, one row per area of ``level``.

    Returns
    -------
    DataFrame
        ``code`` plus ``dekking_<type>_pct`` per furniture type and ``dekking_meubilair_pct``
        (any type): percentage of inhabitants within ``radius`` metres, rounded.
    """
    out = None
    for column, kind in COVERAGE_COLUMNS.items():
        part = coverage_per_area(sectors, points, level=level, radius=radius, types=kind,
                                 end=end)
        part = part[["code", "dekking_pct"]].rename(columns={"dekking_pct": column})
        out = part if out is None else out.merge(part, on="code", how="outer")
    out[list(COVERAGE_COLUMNS)] = out[list(COVERAGE_COLUMNS)].round(decimals)
    return out


def uncovered_areas(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *,
                    radius: float = DEFAULT_RADIUS_M,
                    types: str | Iterable[str] | None = None, end=None) -> gpd.GeoDataFrame:
    """The "gaten": the part of each sector farther than ``radius`` metres from furniture.

    Parameters are as in :func:`coverage_per_area`.

    Returns
    -------
    GeoDataFrame
        EPSG:31370, one row per sector with an uncovered part: ``code, naam, wijk_code,
        wijk_naam, inwoners`` (of the whole sector), ``inwoners_ongedekt`` (living in the
        uncovered part), ``oppervlakte_km2`` (of the uncovered part), ``inwoners_per_km2``
        (the sector's density) and the uncovered geometry.
    """
    covered = furniture_reach(points, radius=radius, types=types, end=end)
    return uncovered_parts(sectors, covered)


def uncovered_parts(sectors: gpd.GeoDataFrame, covered) -> gpd.GeoDataFrame:
    """:func:`uncovered_areas` for an already computed reached area ``covered``."""
    geoms = sectors.geometry.values
    total = shapely.area(geoms)
    rest = geoms if covered.is_empty else shapely.difference(geoms, covered)
    rest_area = shapely.area(rest)
    people = np.nan_to_num(sectors["inwoners"].to_numpy(dtype="float64"))  # unknown: none counted
    density = np.divide(people, total, out=np.zeros(len(sectors)), where=total > 0)
    cols = [c for c in ("code", "naam", "wijk_code", "wijk_naam", "inwoners") if c in sectors]
    out = gpd.GeoDataFrame(pd.DataFrame(sectors[cols]).reset_index(drop=True),
                           geometry=gpd.GeoSeries(rest, crs=sectors.crs))
    out["inwoners_ongedekt"] = density * rest_area
    out["oppervlakte_km2"] = rest_area / 1e6
    out["inwoners_per_km2"] = density * 1e6
    return out[~shapely.is_empty(rest) & (rest_area > 0)].reset_index(drop=True)
