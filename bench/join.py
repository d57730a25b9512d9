"""Only the point-to-sector join of bench/run.py (issue 15 item 6), repeated: 1,000,000 random
points into the 9,562 Flanders sectors, ours (grid kept per sector set) vs ``geopandas.sjoin``.

    .venv/bin/python bench/join.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if not run.SHARED.exists():
        print(f"Overgeslagen: {run.SHARED} ontbreekt (gedeelde referentiegegevens).")
        return 0
    print(f"machine: {run.machine()}; load average {os.getloadavg()[0]:.1f}")
    sectors = run.flanders_sectors()
    for i in range(args.repeat):
        j = run.join_benchmark(sectors)
        print(f"run {i}: ours {j['ours_s']:.2f} s, sjoin {j['sjoin_s']:.2f} s, ratio {j['ours_s'] / j['sjoin_s']:.3f} "
              f"(rounds {', '.join(f'{a:.2f}/{b:.2f}' for a, b in zip(j['ours_all'], j['sjoin_all']))}); "
              f"grid built once {j['build_s']:.2f} s (with it in every call: "
              f"{(j['ours_s'] + j['build_s']) / j['sjoin_s']:.3f}); same sector {j['agree'] * 100:.3f} %; "
              f"load average {j['load']:.1f}", flush=True)
        print(f"       CPU: ours {j['ours_cpu_s']:.2f} s, sjoin {j['sjoin_cpu_s']:.2f} s, ratio "
              f"{j['ours_cpu_s'] / j['sjoin_cpu_s']:.3f} (per round {', '.join(f'{r:.3f}' for r in j['ratio_cpu_rounds'])});"
              f" grid building {j['build_cpu_s']:.2f} s CPU", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
