"""Early-warning benchmark (issue 13): alerts for all wijken (and sectors) × categories on the
demo's 100,000 simulated signals, against baselines measured in the same run.

Run from the repository root::

    python bench/bench_alerts.py          # median of 5 runs per figure
    python bench/bench_alerts.py --runs 9

Method: the demo municipality is generated in memory (``cohesie.demo.build``: 97 sectors,
12 wijken, 100,000 signals over January 2024 - October 2026, 5 categories); the
:class:`cohesie.counting.PointIndex` is built once, as the app does per data version. After one
warm-up call (imports of statsmodels and scipy), each figure is the median wall time of
``--runs`` calls:

- baseline A: counting the same signals per area × category × month with the index
  (``surveillance.signal_counts``, numpy);
- baseline B: the same count as a pandas ``groupby(...).size()`` on the records;
- ``surveillance.alerts`` (counting + one GLM per series + Benjamini-Hochberg) per level and
  period length; reported as wall and CPU seconds and as a ratio to baseline A and B (wall),
  and to A in CPU time.

Nothing is asserted; the figures go in the README ("Performance").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_time(fn, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (the machine may be shared: the CPU
    time depends much less on other jobs)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import pandas as pd

    from cohesie import areas, demo, surveillance
    from cohesie.counting import PointIndex

    built = demo.build()
    sectors, _ = areas.attach_wijken(built.sectors, built.wijkindeling)
    points = built.points
    signals = int((points["layer"] == "signalen").sum())
    start = time.perf_counter()
    index = PointIndex(points, sectors)
    index_s = time.perf_counter() - start
    surveillance.alerts(index, sectors, level="wijk", per="month")  # warm-up: imports

    def pandas_count(level):
        column = "wijk_code" if level == "wijk" else "sector"
        s = points[(points["layer"] == "signalen") & (points["status"] != "verwijderd")]
        return s.groupby([s[column], s["type"], s["datum"].dt.to_period("M")]).size()

    print(f"# bench_alerts: {signals:,} signals, {len(sectors)} sectors, "
          f"{sectors['wijk_code'].nunique()} wijken; Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs")
    print(f"PointIndex build (once per data version): {index_s:.3f} s")
    rows = []
    for level in ("wijk", "sector"):
        base_a, base_a_cpu = median_time(lambda: surveillance.signal_counts(index, sectors, level=level,
                                                                             per="month"), args.runs)
        base_b, base_b_cpu = median_time(lambda: pandas_count(level), args.runs)
        for per in ("month", "quarter"):
            result = surveillance.alerts(index, sectors, level=level, per=per)
            took, took_cpu = median_time(lambda: surveillance.alerts(index, sectors, level=level, per=per),
                                         args.runs)
            rows.append({"niveau": level, "periode": per, "reeksen": len(result.table),
                         "opvallend": int(result.table["opvallend"].sum()), "alerts_s": round(took, 3),
                         "alerts_cpu_s": round(took_cpu, 3), "tellen_numpy_s": round(base_a, 4),
                         "tellen_pandas_s": round(base_b, 4), "x_numpy": round(took / base_a, 1),
                         "x_pandas": round(took / base_b, 1),
                         "x_numpy_cpu": round(took_cpu / base_a_cpu, 1) if base_a_cpu else None})
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
