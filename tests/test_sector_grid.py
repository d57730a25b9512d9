"""The grid index of the point→sector join answers exactly as the plain STRtree query."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from cohesie import dataset, operations, spatial
from cohesie.storage import open_store


def exact(x, y, geoms):
    """Reference written out here: every polygon each point intersects, the lowest index wins."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    point_idx, sector_idx = shapely.STRtree(geoms).query(shapely.points(x, y), predicate="intersects")
    out = np.full(len(x), -1)
    np.minimum.at(out_lowest := np.full(len(x), len(geoms)), point_idx, sector_idx)
    found = out_lowest < len(geoms)
    out[found] = out_lowest[found]
    return out


def border_points(geoms, rng, n=2000):
    """Points exactly on sector borders (vertices and points along edges) and just off them."""
    lines = shapely.segmentize(shapely.boundary(geoms), 7.3)
    xy = shapely.get_coordinates(lines)
    pick = xy[rng.choice(len(xy), min(n, len(xy)), replace=False)]
    return np.vstack([pick, pick + 1e-9, pick - 1e-7, pick + [0.5, -0.5]])


@pytest.fixture(scope="module")
def demo_sectors(tmp_path_factory):
    d = tmp_path_factory.mktemp("grid") / "data"
    operations.build_demo(open_store(d))
    return dataset.load_sectors(open_store(d))


@pytest.mark.parametrize("cell", [50.0, 120.0, 333.0])
def test_grid_equals_exact_join_on_the_demo(demo_sectors, cell):
    geoms = demo_sectors.geometry.values
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = demo_sectors.total_bounds
    pad = 2000
    rand = np.column_stack([rng.uniform(minx - pad, maxx + pad, 100_000), rng.uniform(miny - pad, maxy + pad, 100_000)])
    pts = np.vstack([rand, border_points(geoms, rng), [[np.nan, np.nan], [minx - 1e6, miny]]])
    grid = spatial.SectorGrid(geoms, cell=cell)
    got = grid.sector_index(pts[:, 0], pts[:, 1])
    np.testing.assert_array_equal(got, exact(pts[:, 0], pts[:, 1], geoms))
    assert (got == -1).any() and (got >= 0).mean() > 0.3  # both inside and outside points tested
    assert (grid.table >= 0).any() and (grid.table == -2).any()  # both kinds of cells used


def test_grid_on_squares_with_points_on_shared_edges_and_corners():
    """Four 1 km squares: a point on a shared edge or corner goes to the lowest index."""
    geoms = np.array([box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(0, 1000, 1000, 2000),
                      box(1000, 1000, 2000, 2000)])
    x = np.array([1000, 1000, 500, 1000, 0, 2000, 2000.0001, 999.999999, 250, 1500])
    y = np.array([500, 1000, 1000, 1500, 0, 2000, 1000, 1999.99, 250, 1500])
    grid = spatial.SectorGrid(geoms, cell=100)
    got = grid.sector_index(x, y)
    np.testing.assert_array_equal(got, exact(x, y, geoms))
    assert got.tolist() == [0, 0, 0, 2, 0, 3, -1, 2, 0, 3]


def test_sector_of_points_same_with_and_without_grid(demo_sectors):
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = demo_sectors.total_bounds
    x, y = rng.uniform(minx, maxx, 30_000), rng.uniform(miny, maxy, 30_000)  # above GRID_MIN_POINTS
    with_grid = spatial.sector_of_points(x, y, demo_sectors)
    without = spatial.sector_of_points(x, y, demo_sectors, grid=spatial.SectorGrid(demo_sectors.geometry.values, cell=0))
    assert list(with_grid) == list(without)


def test_exact_query_same_for_few_and_many_points(demo_sectors):
    """Below and above the size where the points become the tree (10,000 points)."""
    geoms = demo_sectors.geometry.values
    rng = np.random.default_rng(9)
    minx, miny, maxx, maxy = demo_sectors.total_bounds
    pts = np.vstack([np.column_stack([rng.uniform(minx, maxx, 30_000), rng.uniform(miny, maxy, 30_000)]),
                     border_points(geoms, rng)])
    tree = shapely.STRtree(geoms)
    many = spatial._exact_index(tree, pts[:, 0], pts[:, 1])
    few = np.concatenate([spatial._exact_index(tree, pts[i:i + 5000, 0], pts[i:i + 5000, 1])
                          for i in range(0, len(pts), 5000)])
    np.testing.assert_array_equal(many, exact(pts[:, 0], pts[:, 1], geoms))
    np.testing.assert_array_equal(few, many)


@pytest.mark.parametrize("cell", [40.0, 97.0])
def test_thin_border_band_equals_exact_join_on_random_polygons_and_grid_lines(cell):
    """Only the cells a border touches go through the exact query (December 2026; before, every
    vertex cell with its 8 neighbours): Voronoi cells of random seeds, points at random, on the
    borders, on and next to grid lines and on a border that runs along a grid line."""
    rng = np.random.default_rng(7)
    seeds = shapely.points(rng.uniform(0, 3000, 60), rng.uniform(0, 3000, 60))
    frame = box(0, 0, 3000, 3000)
    geoms = np.array([shapely.intersection(g, frame) for g in
                      shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds)))])
    geoms = np.append(geoms, box(-2 * cell, -2 * cell, 10 * cell - 2 * cell, 5 * cell - 2 * cell))  # along grid lines
    grid = spatial.SectorGrid(geoms, cell=cell)
    k = np.arange(-3, 40)
    on_lines = np.column_stack([grid.x0 + k * cell, rng.uniform(-100, 3100, len(k))])
    near_lines = np.vstack([on_lines + [1e-9, 0], on_lines - [1e-9, 0], on_lines[:, ::-1]])
    rand = rng.uniform(-200, 3200, (50_000, 2))
    pts = np.vstack([rand, border_points(geoms, rng), on_lines, near_lines])
    got = grid.sector_index(pts[:, 0], pts[:, 1])
    np.testing.assert_array_equal(got, exact(pts[:, 0], pts[:, 1], geoms))
    assert 0 < (grid.table == -2).mean() < (0.35 if cell < 50 else 0.75)  # both kinds of cells
