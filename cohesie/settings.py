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


# -- login and uploads (issue 14) ------------------------------------------------------------
LOGIN_MAX_FAILURES = 5  # failed logins per account or per client address ...
LOGIN_WINDOW_SECONDS = 15 * 60  # ... within this window; then refused until the window passes
DEFAULT_SESSION_HOURS = 8.0
DEFAULT_MAX_UPLOAD_MB = 50
DEFAULT_MAX_ZIP_MEMBERS = 1000


def _number(name: str, default: float) -> float:
    """A positive number from the environment variable ``name`` (``default`` if unset/invalid)."""
    try:
        value = float(os.environ.get(name, "").strip().replace(",", "."))
    except ValueError:
        return default
    return value if value > 0 else default


def session_hours() -> float:
    """How long a login lasts: ``$COHESIE_SESSION_HOURS``, default 8 hours."""
    return _number("COHESIE_SESSION_HOURS", DEFAULT_SESSION_HOURS)


def max_upload_mb() -> float:
    """Largest file an import accepts, in MB (10^6 bytes): ``$COHESIE_MAX_UPLOAD_MB``, else
    Streamlit's ``server.maxUploadSize`` (``$STREAMLIT_SERVER_MAX_UPLOAD_SIZE``, else
    ``.streamlit/config.toml``), else 50. The upload widget and the import engine (command line
    and page) then refuse the same files."""
    explicit = _number("COHESIE_MAX_UPLOAD_MB", 0) or _number("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", 0)
    if explicit:
        return explicit
    try:
        import tomllib

        with open(PROJECT_ROOT / ".streamlit" / "config.toml", "rb") as fh:
            value = tomllib.load(fh).get("server", {}).get("maxUploadSize")
        return float(value) if value and float(value) > 0 else float(DEFAULT_MAX_UPLOAD_MB)
    except (OSError, ValueError, TypeError):
        return float(DEFAULT_MAX_UPLOAD_MB)


def max_unzipped_mb() -> float:
    """Largest total uncompressed size of an archive (zip, xlsx) in MB:
    ``$COHESIE_MAX_UNZIPPED_MB``, default ten times :func:`max_upload_mb`."""
    return _number("COHESIE_MAX_UNZIPPED_MB", 10 * max_upload_mb())


def max_zip_members() -> int:
    """Most files an archive may hold: ``$COHESIE_MAX_ZIP_MEMBERS``, default 1000."""
    return int(_number("COHESIE_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS))


def login_per_address() -> bool:
    """Count failed logins per client address too (``$COHESIE_LOGIN_PER_ADDRESS``, default on;
    set ``0`` behind a reverse proxy that shows every user with the proxy's address)."""
    return os.environ.get("COHESIE_LOGIN_PER_ADDRESS", "1").strip().lower() not in ("0", "nee", "no", "false", "off")
