"""The Kaart's view model with the early warning and hot spots (issue 13): what a rerun costs
when the statistics come from the app's cache, against computing them, on the demo.

Run from the repository root::

    python bench/bench_kaart_statistics.py            # median of 3 runs per figure
    python bench/bench_kaart_statistics.py --runs 5

Method: the demo is built in a temporary data directory (97 sectors, 12 wijken, 100,000
signals) and loaded as the app loads it (``PointIndex`` once). Each figure is the median wall
and CPU time of ``mapview.map_view`` on the sector level, no filters:

- baseline: the indicator map with the early warning from a cache (``alerts_of`` returns a
  result computed before, as ``ui.kaart_alerts`` does on a rerun);
- the same with the early warning computed in the call (a first visit per data version);
- the hot-spot mode with hot spots and early warning from a cache;
- the hot-spot mode with both computed.

Nothing is asserted; the machine may be shared, so the CPU time is the figure to trust.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_time(fn, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from cohesie import counting, hotspots, mapview, operations, spatial, statmap, surveillance, views
    from cohesie.indicators import Filters
    from cohesie.layers import LAYERS
    from cohesie import dataset
    from cohesie.storage import open_store
    from cohesie.ui import Loaded

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "data")
        operations.build_demo(store)
        data = dataset.load(store)
    frames = views.area_frames(data.sectors)
    current = Loaded(data, frames, {}, views.bounds_latlon(data.sectors),
                     index=counting.PointIndex(data.points, data.sectors),
                     centroids={lv: spatial.centroids_lonlat(f) for lv, f in frames.items()},
                     summary=counting.point_summary(data.points))
    filters = Filters(layers=tuple(LAYERS))
    cached_alerts = surveillance.alerts(current.index, data.sectors, level="sector", per="month",
                                        settings=surveillance.AlertSettings(min_excess=0.0))
    hf = statmap.hot_spot_filters(filters)
    cached_spots = hotspots.hot_spots_of_rates(data.sectors, current.index.area_counts("sector", hf)["signalen"])

    def run(mode, *, cached):
        return mapview.map_view(
            current, filters, indicator="signalen_per_1000", level="sector", method="quantiles", admin=False,
            mode=mode, alerts_of=(lambda lv, per: cached_alerts) if cached else None,
            hot_spots_of=(lambda f: cached_spots) if cached else None)

    run("periode", cached=True)  # warm-up: imports of statsmodels, esda, libpysal
    run(statmap.MODE_HOTSPOTS, cached=False)
    rows = []
    base_wall, base_cpu = median_time(lambda: run("periode", cached=True), args.runs)
    for name, mode, cached in (("indicator, statistics cached (baseline)", "periode", True),
                               ("indicator, early warning computed", "periode", False),
                               ("hot spots, statistics cached", statmap.MODE_HOTSPOTS, True),
                               ("hot spots, both computed", statmap.MODE_HOTSPOTS, False)):
        wall, cpu = (base_wall, base_cpu) if cached and mode == "periode" else median_time(
            lambda: run(mode, cached=cached), args.runs)
        rows.append((name, wall, cpu, cpu / base_cpu))
    print(f"map_view on the demo, sector level, median of {args.runs} runs")
    print(f"{'':42} {'wall':>8} {'CPU':>8} {'CPU ÷ baseline':>15}")
    for name, wall, cpu, ratio in rows:
        print(f"{name:42} {wall:7.3f}s {cpu:7.3f}s {ratio:14.1f}×")


if __name__ == "__main__":
    main()
