"""Flanders on one machine (issue 15, items 4-6): load time and peak memory of a server start,
rerun vs a bare page, on SQLite and on PostGIS, without a browser. Prints figures; asserts nothing.

    .venv/bin/python bench/flanders.py                       # SQLite: data dir, loads, servers
    .venv/bin/python bench/flanders.py --data /tmp/fl        # reuse (or build once into) that folder
    COHESIE_BENCH_DB_URL=postgresql+psycopg://... .venv/bin/python bench/flanders.py --data /tmp/fl --postgis

Data: bench/run.py's Flanders folder (all 9,562 sectors of ../shared/geodata/flanders, their
wijken and population, 1,000,000 generated signals), built with the project's own storage code.

- *Load* (each in a fresh interpreter, as a server start, repeated ``--repeat`` times):
  ``full``: ``Store.load()`` with every record in pandas (what the app did before);
  ``app-cold``: what ``ui._load`` does now when the data version has no index file yet
  (non-signal records in pandas, signals read in chunks into the point index, written);
  ``app-warm``: the same with the index file present (every later start);
  ``server``: everything a server start does once per data version (``ui._load``: the above,
  the area levels, display files, centroids, the Kaart's per-version work), files present.
  Seconds from the first storage call (wall and this process's CPU, which depends much less
  on other jobs on the machine), and the interpreter's peak memory (VmHWM).
- *Server*: ``streamlit run dashboard.py`` and a bare page (one ``st_folium`` of the same display
  GeoJSON, bench/run.py's ``BARE_PAGE``) served at once; a websocket client (bench/loadgen.py)
  opens one session on each (the app's first load is the cold one: it loads the data), then
  alternates rounds: ``--reruns`` filter changes of the app (loadgen's Lagen/Wijken changes),
  then as many plain reruns of the bare page. Server CPU per rerun = user + system seconds of
  the process over the round ÷ reruns; the ratio app/bare per round. Peak memory: VmHWM of the
  app server after all rounds.
- With ``--postgis`` the same data goes into a schema of the PostGIS database (once; kept for
  the next run) and the app server runs on it (counts in SQL); the bare page is the same.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loadgen  # noqa: E402
import run  # noqa: E402

PORTS = range(8651, 8660)
PG_SCHEMA = "bench_flanders"

LOAD_SCRIPT = r'''
import json, sys, time
sys.path.insert(0, {repo!r})
from cohesie import counting, dataset
from cohesie.storage import open_store
mode, data, url = sys.argv[1], sys.argv[2], sys.argv[3] or None
s = open_store(data, url=url)
t0, c0 = time.perf_counter(), time.process_time()
if mode == "full":
    ds = dataset.load(s)
    n = len(ds.points)
elif mode == "server":
    import logging
    logging.disable(logging.WARNING)  # st.cache_resource outside a running server says so
    import os
    os.environ["COHESIE_DATA_DIR"] = data
    os.environ.pop("COHESIE_DB_URL", None)
    if url:
        os.environ["COHESIE_DB_URL"] = url
    from cohesie import ui
    current = ui._load(s.location, s.data_version())
    ds, n = current.data, current.index.n
else:
    ds = dataset.load(s, point_layers=counting.NON_EVENT_LAYERS)
    if s.counts_in_database:
        index = counting.PointIndex(ds.points, ds.sectors)
        summary = s.point_summary()
    else:
        index = counting.load_index(s, ds.points, ds.sectors, version=ds.version)
        summary = index.point_summary()
    n = index.n
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({{"mode": mode, "s": seconds, "cpu_s": cpu, "hwm_mb": hwm, "records": n, "pandas_rows": len(ds.points)}}))
'''


def load_once(mode: str, data: Path, url: str | None) -> dict:
    if mode == "app-cold" and not url:  # the point index only (the area levels stay, as for a new data version)
        for folder in (data / "index").glob("points-*"):
            shutil.rmtree(folder, ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", LOAD_SCRIPT.format(repo=str(REPO)), mode, str(data), url or ""],
                         capture_output=True, text=True, timeout=900, cwd=REPO)
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load"] = os.getloadavg()[0]
    return r


def serve(script: Path, data: Path, cwd: Path, log: Path, url: str | None = None, ports: range = PORTS):
    return loadgen.serve(script, data, cwd, log, url=url, port=loadgen.free_port(ports))


def bare_script(data: Path, out_dir: Path) -> Path:
    return run.bare_script(data, out_dir, "bare_flanders.py")


def peak_mb(pid: int) -> float:
    return run.peak_rss_mb(pid)


async def measure_servers(app_url, app_pid, bare_url, bare_pid, rounds: int, reruns: int) -> dict:
    app_p, bare_p = psutil.Process(app_pid), psutil.Process(bare_pid)
    res: dict = {"load_start": os.getloadavg()[0]}
    c0 = loadgen.cpu_seconds(app_p)
    app = loadgen.Session(app_url, 900.0)
    await app.connect()
    res["app_first_s"] = await app.rerun()
    res["app_first_cpu_s"] = loadgen.cpu_seconds(app_p) - c0
    res["app_peak_after_first_mb"] = peak_mb(app_pid)
    bare = loadgen.Session(bare_url, 900.0)
    await bare.connect()
    c0 = loadgen.cpu_seconds(bare_p)
    res["bare_first_s"] = await bare.rerun()
    res["bare_first_cpu_s"] = loadgen.cpu_seconds(bare_p) - c0
    for k in range(2):  # warm-up, not counted
        loadgen.filter_change(app, 99, k)
        await app.rerun()
        await bare.rerun()
    out = []
    for r in range(rounds):
        row = {}
        for label, s, p in (("app", app, app_p), ("bare", bare, bare_p)):
            times, c0 = [], loadgen.cpu_seconds(p)
            for k in range(reruns):
                if label == "app":
                    loadgen.filter_change(s, r, k)
                times.append(await s.rerun())
            row[f"{label}_cpu_ms"] = (loadgen.cpu_seconds(p) - c0) / reruns * 1000
            row[f"{label}_p50_ms"] = statistics.median(times) * 1000
        row["ratio_cpu"] = row["app_cpu_ms"] / row["bare_cpu_ms"]
        row["ratio_wall"] = row["app_p50_ms"] / row["bare_p50_ms"]
        row["load"] = os.getloadavg()[0]
        out.append(row)
    res["rounds"] = out
    res["app_peak_mb"] = peak_mb(app_pid)
    res["bare_peak_mb"] = peak_mb(bare_pid)
    await app.close()
    await bare.close()
    return res


def servers(data: Path, url: str | None, rounds: int, reruns: int, logs: Path, ports: range = PORTS) -> dict:
    script = bare_script(data, REPO / "bench" / "out" / "bare_flanders")
    app_proc, app_url = serve(REPO / "dashboard.py", data, REPO, logs / "app.log", url=url, ports=ports)
    bare_proc = None
    try:
        bare_proc, bare_url = serve(script, data, script.parent, logs / "bare.log", ports=ports)
        return asyncio.run(measure_servers(app_url, app_proc.pid, bare_url, bare_proc.pid, rounds, reruns))
    finally:
        for p in (app_proc, bare_proc):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()


def postgis_url(base: str, data: Path) -> str:
    """The schema PG_SCHEMA of ``base`` holding the Flanders data of ``data`` (copied once)."""
    import psycopg
    from sqlalchemy.engine import make_url

    from cohesie import dataset
    from cohesie.storage import open_store

    u = make_url(base)
    con = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database,
                          autocommit=True)
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={PG_SCHEMA},public')}"
    exists = con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'points'",
                         (PG_SCHEMA,)).fetchone()
    n = con.execute(f"SELECT count(*) FROM {PG_SCHEMA}.points").fetchone()[0] if exists else 0
    src = open_store(data)
    if n < 1_000_000:
        con.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        con.execute(f"CREATE SCHEMA {PG_SCHEMA}")
        t0 = time.perf_counter()
        full = dataset.load(src)
        pg = open_store(data / "pg", url=url)
        with pg.transaction() as w:
            w.write_sectors(full.sectors[["code", "naam", "deelgemeente", "deelgemeente_naam", "nis",
                                          "gemeente_naam", "geometry"]])
            w.write_wijkindeling(full.sectors[["code", "wijk_code", "wijk_naam"]].rename(columns={"code": "sector"}))
            w.write_population(full.sectors[["code", "inwoners"]].rename(columns={"code": "sector"}), jaar="synthetisch")
            w.upsert_points(full.points)
            w.set_meta(nis="00000", gemeente="Vlaanderen (benchmark)", is_demo=0)
        print(f"PostGIS-schema {PG_SCHEMA} gevuld in {time.perf_counter() - t0:.0f} s", flush=True)
    con.close()
    return url


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="Flanders data folder (built there when missing)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reruns", type=int, default=6)
    ap.add_argument("--postgis", action="store_true")
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--skip-servers", action="store_true")
    ap.add_argument("--ports", default=f"{PORTS.start}-{PORTS.stop - 1}",
                    help="port range for the two servers, FIRST-LAST (the first free ones are used)")
    args = ap.parse_args(argv)
    first, _, last = args.ports.partition("-")
    ports = range(int(first), int(last or first) + 1)
    if not run.SHARED.exists():
        print(f"Overgeslagen: {run.SHARED} ontbreekt (gedeelde referentiegegevens).")
        return 0
    m = loadgen.machine()
    print(f"machine: {m['nproc']} cores, {m['cpu_model']}, Python {m['python']}; "
          f"load average {m['loadavg_start'][0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    data = args.data or Path(tempfile.mkdtemp(prefix="cohesie_flanders_")) / "flanders"
    if not (data / "cohesie.sqlite").exists():
        data.parent.mkdir(parents=True, exist_ok=True)
        built, seconds = run.flanders_dir(data.parent, run.flanders_sectors())
        if built != data:
            built.rename(data)
        print(f"Flanders data folder {data} built in {seconds:.0f} s", flush=True)
    url = None
    if args.postgis:
        base = os.environ.get("COHESIE_BENCH_DB_URL") or os.environ.get("COHESIE_TEST_DB_URL")
        if not base:
            print("Overgeslagen: zet COHESIE_BENCH_DB_URL op een PostgreSQL-database met PostGIS.")
            return 0
        url = postgis_url(base, data)
    res: dict = {"backend": "postgis" if url else "sqlite", "machine": m}
    if not args.skip_load:
        modes = ["full", "app-warm", "server"] if url else ["full", "app-cold", "app-warm", "server"]
        res["loads"] = []
        for _ in range(args.repeat):
            for mode in modes:
                r = load_once(mode, data, url)
                res["loads"].append(r)
                print(f"  load {mode:9s}: {r['s']:6.2f} s ({r['cpu_s']:.2f} s CPU), peak {r['hwm_mb']:5.0f} MB, "
                      f"{r['pandas_rows']:,} rows in pandas (load average {r['load']:.1f})", flush=True)
        if not url:
            load_once("app-warm", data, url)  # leave the index file for the server
    if not args.skip_servers:
        logs = Path(tempfile.mkdtemp(prefix="cohesie_flanders_logs_"))
        s = servers(data, url, args.rounds, args.reruns, logs, ports)
        res["servers"] = s
        print(f"  app first load (cold, loads the data): {s['app_first_s']:.2f} s, "
              f"{s['app_first_cpu_s']:.2f} s CPU; bare page first load {s['bare_first_s']:.2f} s")
        print(f"  {'round':>5s} {'app CPU':>8s} {'bare CPU':>9s} {'ratio':>6s} {'app p50':>8s} {'bare p50':>9s} "
              f"{'ratio':>6s} {'load':>5s}")
        for i, r in enumerate(s["rounds"]):
            print(f"  {i:5d} {r['app_cpu_ms']:8.0f} {r['bare_cpu_ms']:9.0f} {r['ratio_cpu']:6.2f} "
                  f"{r['app_p50_ms']:8.0f} {r['bare_p50_ms']:9.0f} {r['ratio_wall']:6.2f} {r['load']:5.1f}")
        print(f"  app server peak memory (VmHWM): {s['app_peak_mb']:.0f} MB after the first load "
              f"{s['app_peak_after_first_mb']:.0f} MB; bare page server {s['bare_peak_mb']:.0f} MB")
    out = REPO / "bench" / "out" / f"flanders-{res['backend']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
