"""Server CPU of a rerun: the demo app after a filter change vs a bare page with one st_folium
of the same sectors, measured in the same run (issue 15, item 2). No browser: the websocket
client of bench/loadgen.py.

    .venv/bin/python bench/rerun_cost.py                 # 3 alternating rounds of 12 reruns each
    .venv/bin/python bench/rerun_cost.py --rounds 5 --reruns 20

Both servers run at the same time on their own ports; the rounds alternate app, bare, app, ...
so both see the same machine load. CPU = user + system seconds of the server process (psutil)
over the reruns of a round, divided by their number; the bare page's script is the one of
bench/run.py (``BARE_PAGE``: a folium.Map with a folium.GeoJson of the same display GeoJSON,
one st_folium call). The app's reruns are the filter changes of bench/loadgen.py (wijken, layers;
each round starts at other wijken, so most filter sets are new). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loadgen  # noqa: E402
import run  # noqa: E402


def serve(script: Path, data: Path, cwd: Path, log: Path) -> tuple[subprocess.Popen, str]:
    return loadgen.serve(script, data, cwd, log, wait_s=90)


def bare_script(data: Path, out_dir: Path) -> Path:
    return run.bare_script(data, out_dir, "bare_rerun.py")


async def first_load(url: str) -> tuple[loadgen.Session, float]:
    s = loadgen.Session(url, 180.0)
    await s.connect()
    return s, await s.rerun()


async def round_app(s: loadgen.Session, proc: psutil.Process, n: int, reruns: int) -> tuple[float, list]:
    times = []
    cpu0 = loadgen.cpu_seconds(proc)
    for k in range(reruns):
        loadgen.filter_change(s, n, k)
        times.append(await s.rerun())
    return (loadgen.cpu_seconds(proc) - cpu0) / reruns, times


async def round_bare(s: loadgen.Session, proc: psutil.Process, reruns: int) -> tuple[float, list]:
    times = []
    cpu0 = loadgen.cpu_seconds(proc)
    for _ in range(reruns):
        times.append(await s.rerun())
    return (loadgen.cpu_seconds(proc) - cpu0) / reruns, times


async def measure(app_url, app_pid, bare_url, bare_pid, args) -> dict:
    app_p, bare_p = psutil.Process(app_pid), psutil.Process(bare_pid)
    res: dict = {"loadavg_start": os.getloadavg()}
    # cold: the first session after each server started (the app loads its data here)
    cpu0 = loadgen.cpu_seconds(app_p)
    app, res["app_cold_first_load_s"] = await first_load(app_url)
    res["app_cold_first_load_cpu_s"] = loadgen.cpu_seconds(app_p) - cpu0
    cpu0 = loadgen.cpu_seconds(bare_p)
    bare, res["bare_cold_first_load_s"] = await first_load(bare_url)
    res["bare_cold_first_load_cpu_s"] = loadgen.cpu_seconds(bare_p) - cpu0
    # warm: a new session on a warm server
    for label, url, p in (("app", app_url, app_p), ("bare", bare_url, bare_p)):
        walls, cpus = [], []
        for _ in range(3):
            c0 = loadgen.cpu_seconds(p)
            s, t = await first_load(url)
            cpus.append(loadgen.cpu_seconds(p) - c0)
            walls.append(t)
            await s.close()
        res[f"{label}_warm_first_load_s"] = statistics.median(walls)
        res[f"{label}_warm_first_load_cpu_s"] = statistics.median(cpus)
    # warm-up reruns of both (not counted): caches of the script modules, the component
    await round_app(app, app_p, 99, 4)
    await round_bare(bare, bare_p, 4)
    rounds = []
    for r in range(args.rounds):
        a_cpu, a_t = await round_app(app, app_p, r, args.reruns)
        b_cpu, b_t = await round_bare(bare, bare_p, args.reruns)
        rounds.append({"app_cpu_ms": a_cpu * 1000, "bare_cpu_ms": b_cpu * 1000,
                       "app_p50_ms": statistics.median(a_t) * 1000, "bare_p50_ms": statistics.median(b_t) * 1000,
                       "ratio": a_cpu / b_cpu if b_cpu else None, "load": os.getloadavg()[0]})
    # repeated filter sets: two new sessions make the same changes; the second one asks only for
    # filter sets the first one asked for (what the per-filter-set caches save)
    for label in ("first_session", "repeat_session"):
        s, _ = await first_load(app_url)
        cpu, times = await round_app(s, app_p, 0, args.reruns)
        res[f"app_{label}_cpu_ms"] = cpu * 1000
        res[f"app_{label}_p50_ms"] = statistics.median(times) * 1000
        await s.close()
    await app.close()
    await bare.close()
    res["rounds"] = rounds
    res["loadavg_end"] = os.getloadavg()
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reruns", type=int, default=12)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="rerun_cost_"))
    data = tmp / "data"
    subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data), "demo"], cwd=REPO, check=True,
                   capture_output=True, timeout=300)
    # the display GeoJSON the app writes is needed by the bare page: one app server first
    app_proc, app_url = serve(REPO / "dashboard.py", data, REPO, tmp / "app.log")
    bare_proc = None
    try:
        script = bare_script(data, REPO / "bench" / "out" / "bare_rerun")
        bare_proc, bare_url = serve(script, data, script.parent, tmp / "bare.log")
        res = asyncio.run(measure(app_url, app_proc.pid, bare_url, bare_proc.pid, args))
    finally:
        for p in (app_proc, bare_proc):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
    m = loadgen.machine()
    print(f"machine: {m['nproc']} cores, {m['cpu_model']}; load average {res['loadavg_start'][0]:.1f} at start, "
          f"{res['loadavg_end'][0]:.1f} at end")
    print(f"first load over the websocket (server time to script_finished; cold = first session after start):")
    for label in ("app", "bare"):
        print(f"  {label:4s}: cold {res[f'{label}_cold_first_load_s'] * 1000:6.0f} ms "
              f"({res[f'{label}_cold_first_load_cpu_s'] * 1000:.0f} ms CPU), warm "
              f"{res[f'{label}_warm_first_load_s'] * 1000:6.0f} ms ({res[f'{label}_warm_first_load_cpu_s'] * 1000:.0f} ms CPU)")
    print(f"{'round':>5s} {'app CPU ms':>11s} {'bare CPU ms':>12s} {'ratio':>6s} {'app p50':>8s} {'bare p50':>9s} {'load':>5s}")
    for i, r in enumerate(res["rounds"]):
        print(f"{i:5d} {r['app_cpu_ms']:11.0f} {r['bare_cpu_ms']:12.0f} {r['ratio']:6.2f} {r['app_p50_ms']:8.0f} "
              f"{r['bare_p50_ms']:9.0f} {r['load']:5.1f}")
    ratios = [r["ratio"] for r in res["rounds"]]
    print(f"CPU per rerun, app / bare page: median {statistics.median(ratios):.2f} "
          f"(range {min(ratios):.2f}-{max(ratios):.2f}; goal <= 2)")
    print(f"same filter changes in two new sessions: first {res['app_first_session_cpu_ms']:.0f} ms CPU per rerun, "
          f"repeated {res['app_repeat_session_cpu_ms']:.0f} ms (ratio to the bare page "
          f"{res['app_repeat_session_cpu_ms'] / statistics.median(r['bare_cpu_ms'] for r in res['rounds']):.2f})")
    out = REPO / "bench" / "out" / f"rerun_cost-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(res, indent=2))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
