"""Point → sector join and CRS conversion on the three-square fixture."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Transformer

from cohesie import spatial

X0, Y0 = 150_000, 190_000  # lower-left corner of the three_sectors fixture


@pytest.fixture
def sectors(three_sectors):
    """The three squares with the normalised ``code`` column the join uses."""
    return three_sectors.rename(columns={"cd_sector": "code"})


def test_points_inside_on_border_and_outside(sectors):
    x = [X0 + 500, X0 + 1500, X0 + 2500, X0 + 1000, X0 + 3000, X0 - 10, X0 + 500]
    y = [Y0 + 500, Y0 + 500, Y0 + 999, Y0 + 500, Y0 + 500, Y0 + 500, Y0 + 1001]
    codes = spatial.sector_of_points(x, y, sectors)
    assert codes.tolist() == [
        "11111A00-",  # inside Noord
        "11111A01-",  # inside Midden
        "11111B00-",  # inside Zuid
        "11111A00-",  # on the Noord/Midden border: the first sector wins, counted once
        "11111B00-",  # on the outer edge of Zuid still belongs to it
        None,  # 10 m west of the municipality
        None,  # 1 m north of it
    ]


def test_border_point_goes_to_lowest_index_whatever_the_order(sectors):
    reordered = sectors.iloc[[1, 0, 2]].reset_index(drop=True)
    assert spatial.sector_of_points([X0 + 1000], [Y0 + 500], reordered).tolist() == ["11111A01-"]


def test_no_points_or_no_sectors(sectors):
    assert spatial.sector_of_points([], [], sectors).tolist() == []
    assert spatial.sector_of_points([X0], [Y0], sectors.iloc[:0]).tolist() == [None]


def test_wgs84_to_lambert72_matches_pyproj():
    lon, lat = np.array([4.4777, 3.7174, 5.5]), np.array([51.0259, 51.0543, 50.6])
    expected = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True).transform(lon, lat)
    x, y = spatial.to_analysis_xy(lon, lat, crs=4326)
    np.testing.assert_allclose(x, expected[0], atol=1e-6)
    np.testing.assert_allclose(y, expected[1], atol=1e-6)
    # longitude is x: eastwards moves x up, northwards moves y up
    assert x[2] > x[0] > x[1]
    assert y[2] < y[0]


def test_lambert2008_to_lambert72_is_about_500_km_offset():
    x08, y08 = np.array([650_000.0, 700_000.0]), np.array([670_000.0, 640_000.0])
    expected = Transformer.from_crs("EPSG:3812", "EPSG:31370", always_xy=True).transform(x08, y08)
    x, y = spatial.to_analysis_xy(x08, y08, crs=3812)
    np.testing.assert_allclose(x, expected[0], atol=1e-6)
    np.testing.assert_allclose(y, expected[1], atol=1e-6)
    # the two Belgian Lambert grids differ by roughly 500 km in both axes (within tens of metres)
    np.testing.assert_allclose(x, x08 - 500_000, atol=50)
    np.testing.assert_allclose(y, y08 - 500_000, atol=50)


def test_lambert72_is_passed_through_and_round_trips():
    x, y = spatial.to_analysis_xy([150_500.0], [190_500.0], crs=31370)
    assert (x[0], y[0]) == (150_500.0, 190_500.0)
    lon, lat = spatial.to_display_lonlat(x, y)
    back = spatial.to_analysis_xy(lon, lat, crs=4326)
    np.testing.assert_allclose([back[0][0], back[1][0]], [150_500.0, 190_500.0], atol=0.01)  # 1 cm


def test_distance_to_area(sectors):
    outline = spatial.municipality_outline(sectors)
    assert outline.area == pytest.approx(3e6)
    d = spatial.distance_to_area([X0 + 500, X0 - 300, X0 + 3000 + 400], [Y0 + 500, Y0 + 500, Y0 + 1300],
                                 outline)
    np.testing.assert_allclose(d, [0, 300, 500])


def test_display_geojson_is_wgs84_and_rounded(sectors):
    text = spatial.display_geojson(sectors, ["code"])
    data = json.loads(text)
    assert [f["properties"]["code"] for f in data["features"]] == sectors["code"].tolist()
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 2.4 < lon < 6.5 and 49.4 < lat < 51.6
    assert all(len(repr(v).split(".")[1]) <= 5 for v in (lon, lat))


def test_centroids_lie_inside(sectors):
    where = spatial.centroids_lonlat(sectors)
    x, y = spatial.to_analysis_xy(where["lon"], where["lat"], crs=4326)
    assert spatial.sector_of_points(x, y, sectors).tolist() == sectors["code"].tolist()
