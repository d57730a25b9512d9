"""Settings, read when called so tests and the command line can redirect them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NIS = "12025"  # Mechelen; the only place the code names a municipality
DB_FILENAME = "cohesie.sqlite"
ANALYSIS_CRS = 31370  # Belgian Lambert 72, metres
DISPLAY_CRS = 4326
STATBEL_CRS_2008 = 3812
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILES_ATTRIBUTION = "&copy; OpenStreetMap-bijdragers"
# Display geometry: simplify tolerance in metres (EPSG:31370) and decimals of degrees kept.
DISPLAY_SIMPLIFY_M = 5.0
DISPLAY_DECIMALS = 5


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: ``explicit``, else ``$COHESIE_DATA_DIR``, else ``geodata/``."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("COHESIE_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return PROJECT_ROOT / "geodata"


def db_url(explicit: str | None = None) -> str | None:
    """Database URL: ``explicit`` (``--db-url``), else ``$COHESIE_DB_URL``; None means the
    embedded SQLite file in the data directory."""
    value = explicit or os.environ.get("COHESIE_DB_URL") or ""
    return value.strip() or None


def static_dir() -> Path:
    """Folder Streamlit serves at ``/app/static`` (``server.enableStaticServing``)."""
    return PROJECT_ROOT / "static"


def tiles_url() -> str:
    """Background tile URL; ``"geen"`` means no background (set ``COHESIE_TILES``)."""
    return os.environ.get("COHESIE_TILES", DEFAULT_TILES)
