"""Shared fixtures: tiny hand-checkable sectors and a data directory built in code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "geodata"


def shared_file(*parts: str) -> Path:
    """A file of ../shared/geodata, or skip the test when the folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"gedeelde referentiegegevens ontbreken: {path}")
    return path


@pytest.fixture
def three_sectors() -> gpd.GeoDataFrame:
    """Three 1 km x 1 km sectors in a row (EPSG:31370), 2024 GeoJSON layout."""
    x0, y0 = 150_000, 190_000
    return gpd.GeoDataFrame(
        {
            "cd_sector": ["11111A00-", "11111A01-", "11111B00-"],
            "tx_sector_descr_nl": ["Noord", "Midden", "Zuid"],
            "cd_sub_munty": ["11111A", "11111A", "11111B"],
            "tx_sub_munty_nl": ["Stad", "Stad", "Dorp"],
            "cd_munty_refnis": ["11111", "11111", "11111"],
            "tx_munty_descr_nl": ["Proefstad"] * 3,
        },
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)],
        crs=31370,
    )


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data directory, also set as $COHESIE_DATA_DIR."""
    d = tmp_path / "data"
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    return d
