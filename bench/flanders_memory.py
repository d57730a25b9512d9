"""Where the memory of a Flanders server start goes: the steps of ``ui._load`` and the Kaart's
early warning, one after the other in one interpreter, with its peak (VmHWM) and current
(VmRSS) resident memory after each. Prints figures; asserts nothing.

    .venv/bin/python bench/flanders_memory.py /tmp/cohesie_fl/flanders [--level sector]

The folder is one bench/flanders.py built (its index file present: the warm start).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def memory() -> str:
    status = Path("/proc/self/status").read_text().splitlines()
    kb = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmHWM", "VmRSS"))}
    return f"peak {kb['VmHWM'] / 1024:5.0f} MB, now {kb['VmRSS'] / 1024:5.0f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--level", default="sector", choices=["sector", "wijk"])
    args = ap.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()

    def step(name: str) -> None:
        print(f"{time.perf_counter() - t0:7.1f} s wall {time.process_time() - c0:6.1f} s CPU  {name:34s} {memory()}",
              flush=True)

    import folium  # noqa: F401 (what the server has imported too)
    import streamlit  # noqa: F401

    from cohesie import counting, dataset, spatial, surveillance, views
    from cohesie.indicators import Filters
    from cohesie.storage import open_store
    step("imports")
    s = open_store(args.data)
    data = dataset.load(s, point_layers=counting.NON_EVENT_LAYERS)
    step("Store.load(non-signal layers)")
    index = counting.load_index(s, data.points, data.sectors, version=data.version)
    step(f"load_index ({index.n:,} records)")
    index.point_summary()
    step("point_summary")
    frames = views.area_frames(data.sectors)
    step("area_frames")
    views.display_layers(data.sectors, frames["wijk"])
    step("display_layers")
    {lv: spatial.centroids_lonlat(f) for lv, f in frames.items()}
    step("centroids")
    for lv in ("sector", "wijk"):
        index.area_counts(lv, Filters())
    step("area_counts sector + wijk")
    surveillance.alerts(index, data.sectors, level=args.level, per="month",
                        settings=surveillance.AlertSettings(min_excess=0.0))
    step(f"early warning ({args.level}, month)")
    print(f"load average at the end: {__import__('os').getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
