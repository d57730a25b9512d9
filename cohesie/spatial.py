"""Pure spatial operations: CRS handling, point→sector join, display geometry."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy import ndimage  # at import, not inside the first join (0.2 s the first time)

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


GRID_CELL_M = 40.0  # measured on Flanders (1M points): 30 m builds slower, 60 m sends more points to the exact query
GRID_MIN_POINTS = 20_000


def sector_of_points(x, y, sectors: gpd.GeoDataFrame, *, grid: "SectorGrid | None" = None) -> np.ndarray:
    """Code of the sector each point (EPSG:31370) lies in, ``None`` outside every sector.

    A point on a shared border goes to the lowest sector index. With ``grid`` (a
    :class:`SectorGrid` of these sectors, e.g. cached per sectors version) most points are
    answered by an array lookup and only those near a border go through the exact query;
    the answer is the same.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    result = np.full(len(x), None, dtype=object)
    if len(x) == 0 or len(sectors) == 0:
        return result
    if grid is None:
        # the grid costs about half a second to build for Flanders, and saves seconds per
        # million points, so it is built once per sector set and kept (sector_grid); for a
        # handful of points the exact query alone is faster
        grid = sector_grid(sectors) if len(x) >= GRID_MIN_POINTS else SectorGrid(sectors.geometry.values, cell=0)
    index = grid.sector_index(x, y)
    found = index >= 0
    result[found] = sectors["code"].to_numpy()[index[found]]
    return result


_GRIDS: "OrderedDict[str, SectorGrid]" = OrderedDict()
_GRIDS_KEPT = 2
_GRIDS_LOCK = threading.Lock()


def sectors_key(sectors: gpd.GeoDataFrame) -> str:
    """A hash of the sector codes (in order) and their shapes (WKB): which sector set this is
    (about 15 ms for Flanders' 9,562 sectors)."""
    h = hashlib.sha1()
    h.update("\x1f".join(map(str, sectors["code"])).encode("utf-8"))
    h.update(b"".join(shapely.to_wkb(np.asarray(sectors.geometry.values))))
    return h.hexdigest()


def sector_grid(sectors: gpd.GeoDataFrame, *, cell: float = GRID_CELL_M) -> "SectorGrid":
    """The :class:`SectorGrid` of ``sectors``, built once per sector set (codes + shapes, see
    :func:`sectors_key`) and kept for the next call; the last two sets are kept."""
    key = f"{sectors_key(sectors)}:{cell:g}"
    with _GRIDS_LOCK:
        grid = _GRIDS.get(key)
        if grid is not None:
            _GRIDS.move_to_end(key)
            return grid
    grid = SectorGrid(sectors.geometry.values, cell=cell)
    with _GRIDS_LOCK:
        _GRIDS[key] = grid
        while len(_GRIDS) > _GRIDS_KEPT:
            _GRIDS.popitem(last=False)
    return grid


def _exact_index(tree: shapely.STRtree, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Index of the first (lowest-index) polygon of ``tree`` each point intersects, -1 if none."""
    out = np.full(len(x), -1, dtype=np.int64)
    if len(x) == 0:
        return out
    if len(x) >= 10_000:
        # many points: a tree of the points queried with the polygons, which GEOS prepares,
        # is about 1.6x faster than testing each point against unprepared polygons
        sector_idx, point_idx = shapely.STRtree(shapely.points(x, y)).query(
            tree.geometries, predicate="intersects")
    else:
        point_idx, sector_idx = tree.query(shapely.points(x, y), predicate="intersects")
    if len(point_idx):
        order = np.lexsort((sector_idx, point_idx))
        point_idx, sector_idx = point_idx[order], sector_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        out[point_idx[first]] = sector_idx[first]
    return out


_EDGE = 1e-6  # in cells (40 µm at 40 m): a vertex this close to a cell edge marks both sides


class SectorGrid:
    """A grid over the sectors that answers point→sector by array lookup away from borders.

    Cells of ``cell`` metres that no sector border crosses lie wholly inside one sector (or
    outside all): a point there gets that sector from the array. Points in cells a border
    crosses (and their neighbours, to be safe) go through the exact STRtree query, so the
    answer equals :func:`_exact_index` for every point, also on a border or outside.
    ``cell=0`` builds no grid (every point goes through the exact query).

    How cells are classified: the borders are densified to vertices at most ``cell / 2``
    apart, so a segment between two consecutive vertices crosses at most one grid line per
    axis. Every cell holding a vertex is marked (both cells when the vertex lies on or within
    a rounding error of their shared edge), and for a segment that changes both column and
    row both corner cells between its ends are marked: together every cell the border
    touches. Unmarked cells form (4-)connected regions that no border enters; one exact query
    per region (at a cell centre) gives the sector of the whole region. (Until December 2026
    every vertex cell was marked with its 8 neighbours: a band about twice as wide.)
    """

    def __init__(self, geometries, *, cell: float = GRID_CELL_M):
        self.geometries = np.asarray(geometries)
        self.tree = shapely.STRtree(self.geometries)
        self.cell = float(cell)
        self.table = None
        if not self.cell or len(self.geometries) == 0:
            return
        minx, miny, maxx, maxy = shapely.total_bounds(self.geometries)
        self.x0, self.y0 = minx - 2 * cell, miny - 2 * cell
        self.nx = int(np.ceil((maxx - self.x0) / cell)) + 3
        self.ny = int(np.ceil((maxy - self.y0) / cell)) + 3
        lines = shapely.segmentize(shapely.boundary(self.geometries), cell / 2)
        xy = shapely.get_coordinates(lines)
        border = np.zeros((self.ny, self.nx), dtype=bool)
        # the cells of each vertex, taken on both sides when it lies within a rounding error of
        # a cell edge (a border along a grid line marks the cells on both sides of it)
        fx, fy = (xy[:, 0] - self.x0) / cell, (xy[:, 1] - self.y0) / cell
        lo_x, hi_x = self._clip(np.floor(fx - _EDGE), self.nx), self._clip(np.floor(fx + _EDGE), self.nx)
        lo_y, hi_y = self._clip(np.floor(fy - _EDGE), self.ny), self._clip(np.floor(fy + _EDGE), self.ny)
        for cy in (lo_y, hi_y):
            for cx in (lo_x, hi_x):
                border[cy, cx] = True
        # between two consecutive vertices (at most cell / 2 apart, so at most one grid line
        # crossed per axis) a segment that changes both column and row passes through one of
        # the two corner cells: mark both. Consecutive vertices of different rings or sectors
        # only mark two cells more, which is safe (a marked cell goes through the exact query).
        cx, cy = self._clip(np.floor(fx), self.nx), self._clip(np.floor(fy), self.ny)
        border[cy[1:], cx[:-1]] = True
        border[cy[:-1], cx[1:]] = True
        labels, n = ndimage.label(~border)
        flat = labels.ravel()
        first = np.empty(n + 1, dtype=np.int64)
        first[flat] = np.arange(len(flat), dtype=np.int32)  # any cell of a region will do: the last one
        regions, first = np.arange(1, n + 1), first[1:]
        cx = self.x0 + (first % self.nx + 0.5) * cell
        cy = self.y0 + (first // self.nx + 0.5) * cell
        dtype = np.int16 if len(self.geometries) < 2 ** 15 else np.int32
        of_region = np.full(n + 1, -2, dtype=dtype)  # label 0 = border cells: exact query
        of_region[regions] = _exact_index(self.tree, cx, cy)
        self.table = of_region[labels]

    @staticmethod
    def _clip(cells: np.ndarray, n: int) -> np.ndarray:
        return np.clip(cells, 0, n - 1).astype(np.int64)

    def sector_index(self, x, y) -> np.ndarray:
        """Index (into the geometries) of the sector of each point, -1 outside every sector."""
        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        if self.table is None:
            return _exact_index(self.tree, x, y)
        ix = np.floor((x - self.x0) / self.cell)
        iy = np.floor((y - self.y0) / self.cell)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)  # NaN compares False
        out = np.full(len(x), -1, dtype=np.int64)  # outside the grid: outside every sector
        out[inside] = self.table[iy[inside].astype(np.int64), ix[inside].astype(np.int64)]
        exact = np.flatnonzero(out == -2)
        out[exact] = _exact_index(self.tree, x[exact], y[exact])
        return out


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
