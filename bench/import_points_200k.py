"""Time a 200,000-row point import through the command line (prints figures; not a test).

Usage: ``python bench/import_points_200k.py`` — builds the demo in a temporary data directory,
writes a semicolon CSV with decimal commas and Belgian dates, imports it twice (new, then
unchanged) and once more with 1% bad rows.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cohesie import demo, operations, spatial  # noqa: E402
from cohesie.storage import open_store  # noqa: E402

N = 200_000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        operations.build_demo(open_store(data))
        rng = np.random.default_rng(7)
        x = demo.CENTRE[0] + rng.uniform(-2000, 2000, N)
        y = demo.CENTRE[1] + rng.uniform(-2000, 2000, N)
        lon, lat = spatial.to_display_lonlat(x, y)
        frame = pd.DataFrame({"id": [f"B{i}" for i in range(N)], "categorie": "zwerfvuil",
                              "datum": "31/12/2024", "lat": lat.round(6), "lon": lon.round(6)})
        good = Path(tmp) / "groot.csv"
        frame.to_csv(good, sep=";", decimal=",", index=False)
        bad = frame.copy()
        bad.loc[::100, "datum"] = "gisteren"
        bad_path = Path(tmp) / "groot_fouten.csv"
        bad.to_csv(bad_path, sep=";", decimal=",", index=False)
        for label, path in (("nieuw", good), ("ongewijzigd", good), ("1% fout", bad_path)):
            t0 = time.perf_counter()
            res = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data), "import-points",
                                  str(path), "--layer", "signalen"], cwd=REPO, capture_output=True, text=True)
            took = time.perf_counter() - t0
            print(f"{label:12s} {took:5.1f} s  rc={res.returncode}  {res.stdout.splitlines()[0][:90]}")


if __name__ == "__main__":
    main()
