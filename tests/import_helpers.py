"""Helpers shared by the import tests: a demo data directory, points placed inside or outside
the demo municipality, files built in code, the command line in a subprocess and counts."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np

from cohesie import demo, operations, spatial
from cohesie.storage import open_store

REPO = Path(__file__).resolve().parent.parent


def build_demo_dir(path: Path) -> Path:
    """The demo municipality (NIS 99999) written to ``path``."""
    operations.build_demo(open_store(path))
    return path


def copy_dir(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def inside_lonlat(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` lon/lat pairs within 1.5 km of the demo centre (the outline is ≥ 3.5 km away)."""
    rng = np.random.default_rng(seed)
    x = demo.CENTRE[0] + rng.uniform(-1500, 1500, n)
    y = demo.CENTRE[1] + rng.uniform(-1500, 1500, n)
    return spatial.to_display_lonlat(x, y)


def inside_xy(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` Lambert 72 points within 1.5 km of the demo centre."""
    rng = np.random.default_rng(seed)
    return (demo.CENTRE[0] + rng.uniform(-1500, 1500, n), demo.CENTRE[1] + rng.uniform(-1500, 1500, n))


def far_lonlat() -> tuple[float, float]:
    """A point 20 km east of the demo centre (outside the municipality)."""
    lon, lat = spatial.to_display_lonlat([demo.CENTRE[0] + 20_000], [demo.CENTRE[1]])
    return float(lon[0]), float(lat[0])


def table_text(header: list[str], rows: list[list], sep: str = ",") -> str:
    lines = [sep.join(header)] + [sep.join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def good_rows(n: int, *, prefix: str = "S", decimal: str = ".", seed: int = 1) -> list[list]:
    """Signal rows ``id, categorie, datum, lat, lon`` inside the demo municipality."""
    lon, lat = inside_lonlat(n, seed)
    fmt = (lambda v: f"{v:.6f}".replace(".", decimal))
    return [[f"{prefix}{i + 1}", "zwerfvuil", "2024-12-31", fmt(a), fmt(o)] for i, (a, o) in enumerate(zip(lat, lon))]


SIGNAL_HEADER = ["id", "categorie", "datum", "lat", "lon"]


def run_cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cohesie", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, env=env)


def count(data_dir: Path, layer: str | None = None) -> int:
    con = sqlite3.connect(Path(data_dir) / "cohesie.sqlite")
    try:
        if layer is None:
            return con.execute("SELECT count(*) FROM points").fetchone()[0]
        return con.execute("SELECT count(*) FROM points WHERE layer=?", (layer,)).fetchone()[0]
    finally:
        con.close()


def point(data_dir: Path, layer: str, record_id: str) -> dict | None:
    con = sqlite3.connect(Path(data_dir) / "cohesie.sqlite")
    try:
        cur = con.execute("SELECT * FROM points WHERE layer=? AND id=?", (layer, record_id))
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row))
    finally:
        con.close()
