"""Pure spatial operations: CRS handling, point→sector join, display geometry."""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from cohesie import settings

_TO_ANALYSIS: dict[int, Transformer] = {}


def to_analysis_xy(x, y, *, crs: int) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinates from EPSG ``crs`` to EPSG:31370 (x=east, y=north in metres).

    For EPSG:4326 pass ``x`` = longitude and ``y`` = latitude.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if crs == settings.ANALYSIS_CRS:
        return x, y
    if crs not in _TO_ANALYSIS:
        _TO_ANALYSIS[crs] = Transformer.from_crs(crs, settings.ANALYSIS_CRS, always_xy=True)
    return _TO_ANALYSIS[crs].transform(x, y)


@functools.lru_cache(maxsize=1)
def _display_transformer() -> Transformer:
    # building a Transformer costs about 20 ms and this runs several times per rerun
    return Transformer.from_crs(settings.ANALYSIS_CRS, settings.DISPLAY_CRS, always_xy=True)


def to_display_lonlat(x, y) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:31370 x/y to longitude/latitude (EPSG:4326)."""
    return _display_transformer().transform(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"))


def sector_of_points(x, y, sectors: gpd.GeoDataFrame) -> np.ndarray:
    """Code of the sector each point (EPSG:31370) lies in, ``None`` outside every sector.

    Uses one STRtree bulk query; a point on a shared border goes to the lowest sector index.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    result = np.full(len(x), None, dtype=object)
    if len(x) == 0 or len(sectors) == 0:
        return result
    pts = shapely.points(x, y)
    tree = shapely.STRtree(sectors.geometry.values)
    point_idx, sector_idx = tree.query(pts, predicate="intersects")
    if len(point_idx):
        order = np.lexsort((sector_idx, point_idx))
        point_idx, sector_idx = point_idx[order], sector_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        codes = sectors["code"].to_numpy()
        result[point_idx[first]] = codes[sector_idx[first]]
    return result


def distance_to_area(x, y, area) -> np.ndarray:
    """Distance in metres from each point to the polygon ``area`` (0 inside)."""
    return shapely.distance(shapely.points(np.asarray(x, float), np.asarray(y, float)), area)


def municipality_outline(sectors: gpd.GeoDataFrame):
    """The union of all sectors (EPSG:31370)."""
    return shapely.union_all(sectors.geometry.values)


def display_geojson(frame: gpd.GeoDataFrame, columns: list[str]) -> str:
    """GeoJSON in EPSG:4326 for the web map: simplified (metres) and rounded coordinates.

    The full geometry stays in storage for analysis; this is only what the browser draws.
    """
    out = frame[[*columns, "geometry"]].copy()
    out["geometry"] = out.geometry.simplify(settings.DISPLAY_SIMPLIFY_M, preserve_topology=True)
    out = out.to_crs(settings.DISPLAY_CRS)
    out["geometry"] = shapely.set_precision(out.geometry.values, 10 ** -settings.DISPLAY_DECIMALS)
    return out.to_json(drop_id=True, ensure_ascii=False)


def centroids_lonlat(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Representative point of each polygon as lon/lat (always inside the polygon)."""
    pts = frame.geometry.representative_point()
    lon, lat = to_display_lonlat(pts.x, pts.y)
    return pd.DataFrame({"lon": lon, "lat": lat}, index=frame.index)
