"""Map benchmarks: first paint, rerun time, bytes to the browser, point join, memory.

Run from the repository root::

    python bench/run.py            # demo + Flanders scale (when ../shared/geodata is present)
    python bench/run.py --demo     # demo only
    python bench/run.py --profile  # also print a pyinstrument profile of a filter-change rerun

Everything runs in temporary data directories; nothing is asserted (figures only).

Methods
-------
- *First painted map*: a fresh Chromium page (no host but 127.0.0.1 resolves, so tiles and
  other outside requests fail in the browser; no Playwright request handler), from the page's
  navigation start until the map iframe holds the expected number of ``path.leaflet-interactive``
  elements (sectors + wijken for the app; the sectors for the bare page), timed by the page's own
  clock (``PAINT_CLOCK``, polled every 5 ms from the page; until 4 December Playwright's
  ``wait_for_function`` returned, 0.2-0.6 s after the shapes were there, more for the bare page).
  The bare page is one
  ``st_folium`` call with a ``folium.Map`` and a ``folium.GeoJson`` of the same display geometry
  and the same local Leaflet. The app starts as ``start.sh`` starts it (``scripts/serve.py``
  on a data dir that ``python -m cohesie prepare`` prepared), the bare page under ``streamlit
  run``. *Cold*: the first visit after the server started, in a newly launched Chromium, app and
  bare in alternating order (medians of ``--cold-runs`` pairs); also one cold visit of the app
  under plain ``streamlit run`` on data that was not prepared. *Warm*: both servers running,
  visits alternating between them (medians of ``--runs``), after each server's first visit, each
  in a new browser context (empty cache: Streamlit's 3 MB front end loaded again); *returning
  visitor*: the same, in one context per page whose cache holds the front end.
- *Server time of a rerun*: Streamlit's own protocol, read from the websocket: from the
  browser's rerun request (a BackMsg frame) to the ForwardMsg ``script_finished``. On
  localhost the transport adds well under a millisecond, so this is the script run plus
  serialisation on the server.
- *Bytes*: websocket frames received plus the encoded body size of every HTTP response (the
  Streamlit front end itself is counted separately: a browser caches it after the first visit).
- *Peak memory*: ``VmHWM`` (peak resident set) of the server process from /proc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "geodata" / "flanders"

from tests.e2e.conftest import launch_chromium, start_streamlit, stop, wait_for_script  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
BARE_PAGE = '''
import folium, streamlit as st
from streamlit_folium import st_folium
assets = {assets!r}  # the app's local Leaflet (cohesie.ui.map_assets(), read when the page was written)
m = folium.Map(tiles=None)
m.default_js = [(f"l{{i}}", u) for i, u in enumerate(assets["js"])]
m.default_css = [(f"c{{i}}", u) for i, u in enumerate(assets["css"])]
folium.GeoJson(open({geojson!r}, encoding="utf-8").read()).add_to(m)
m.fit_bounds({bounds!r})
st_folium(m, height=620, use_container_width=True, returned_objects=[])
'''


# -- machine ---------------------------------------------------------------------------
def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} CPU ({cpu}), {mem / 1024 ** 2:.1f} GB RAM, Python "
            f"{platform.python_version()}, {chromium}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc, clock-tick resolution)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- data ------------------------------------------------------------------------------
def demo_dir(root: Path, *, prepare: bool = True, name: str = "demo") -> Path:
    """The demo as ``python -m cohesie demo`` makes it (built and prepared), or only built."""
    from cohesie import operations
    from cohesie.storage import open_store

    d = root / name
    operations.build_demo(open_store(d))
    if prepare:
        operations.prepare(open_store(d))
    return d


def flanders_sectors():
    import geopandas as gpd
    import shapely

    raw = gpd.read_file(SHARED / "sectors_flanders_approx_31370.gpkg", layer="sectors")
    out = gpd.GeoDataFrame({
        "code": raw["cd_sector"].str.strip(), "naam": raw["tx_sector_descr_nl"],
        "deelgemeente": raw["cd_sub_munty"], "deelgemeente_naam": raw["tx_sub_munty_nl"],
        "nis": raw["cd_munty_refnis"].astype(str), "gemeente_naam": raw["tx_munty_descr_nl"],
    }, geometry=shapely.make_valid(raw.geometry.values), crs=31370)
    return out.sort_values("code", ignore_index=True)


def random_points(sectors, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform random points inside the sectors' bounding box (EPSG:31370)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = sectors.total_bounds
    return rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)


def flanders_dir(root: Path, sectors, *, signals: int = 1_000_000) -> tuple[Path, float]:
    """All Flanders sectors as one area set plus ``signals`` generated signals, written with
    the project's own storage code. Returns the folder and the seconds it took."""
    from cohesie import spatial
    from cohesie.ingest import statbel
    from cohesie.layers import LAYERS
    from cohesie.storage import open_store

    t0 = time.perf_counter()
    d = root / "flanders"
    store = open_store(d)
    wijken = statbel.wijkindeling_from_csv(SHARED / "wijkindeling_flanders.csv")
    wijken = wijken[wijken["sector"].isin(set(sectors["code"]))]
    pop = pd.read_csv(SHARED / "OPENDATA_SECTOREN_flanders_synthetic.txt", sep="|", dtype=str,
                      encoding="utf-8-sig")
    pop = pd.DataFrame({"sector": pop["CD_SECTOR"].str.strip(),
                        "inwoners": pd.to_numeric(pop["TOTAL"], errors="coerce").fillna(0).astype(int)})
    pop = pop[pop["sector"].isin(set(sectors["code"]))].groupby("sector", as_index=False)["inwoners"].sum()
    x, y = random_points(sectors, int(signals * 1.8), seed=7)
    code = spatial.sector_of_points(x, y, sectors)
    keep = np.flatnonzero(code != None)[:signals]  # noqa: E711 (object array)
    rng = np.random.default_rng(8)
    wijk_of = dict(zip(wijken["sector"], wijken["wijk_code"]))
    sig = LAYERS["signalen"]
    start = np.datetime64("2023-01-01")
    points = pd.DataFrame({
        "layer": "signalen", "id": [f"s{i}" for i in range(len(keep))], "naam": None,
        "type": rng.choice(list(sig.types), len(keep)),
        "status": rng.choice(["open", "in behandeling", "afgesloten"], len(keep)),
        "datum": pd.to_datetime(start + rng.integers(0, 3 * 365, len(keep)).astype("timedelta64[D]")),
        "x": x[keep], "y": y[keep], "sector": code[keep],
    })
    points["wijk_code"] = points["sector"].map(wijk_of)
    with store.transaction() as con:
        con.clear_all()
        con.write_sectors(sectors)
        con.write_wijkindeling(wijken)
        con.write_population(pop, jaar="synthetisch")
        con.upsert_points(points)
        con.set_meta(nis="00000", gemeente="Vlaanderen (benchmark)", is_demo=0,
                     bron_sectoren="sectors_flanders_approx_31370.gpkg (benadering)",
                     bron_bevolking="synthetisch")
    return d, time.perf_counter() - t0


# -- point join -------------------------------------------------------------------------
def join_benchmark(sectors, n: int = 1_000_000, rounds: int = 3) -> dict:
    """Ours against a plain ``geopandas.sjoin``. The grid index is built once per sector set
    and kept (``spatial.sector_grid``), as the app and imports use it: its building is timed
    apart (cold, first call), then both joins run alternately ``rounds`` times on the same
    points (ours with the kept grid, its cache-key hash included); medians. Both warmed up on
    10,000 points first."""
    import geopandas as gpd

    from cohesie import spatial

    def ours(x, y):
        return spatial.sector_of_points(x, y, sectors)  # the kept grid of these sectors

    def sjoin(x, y):
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=sectors.crs)
        joined = gpd.sjoin(pts, sectors[["code", "geometry"]], predicate="within", how="left")
        return joined[~joined.index.duplicated()]

    x, y = random_points(sectors, n, seed=1)
    ours(x[:10_000], y[:10_000]), sjoin(x[:10_000], y[:10_000])
    spatial._GRIDS.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    grid = spatial.sector_grid(sectors)  # built once, kept
    t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
    t_ours, t_sjoin, c_ours, c_sjoin = [], [], [], []  # wall and CPU seconds of this process
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        result = ours(x, y)
        t_ours.append(time.perf_counter() - t0)
        c_ours.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        joined = sjoin(x, y)
        t_sjoin.append(time.perf_counter() - t0)
        c_sjoin.append(time.process_time() - c0)
    border = float((grid.table == -2).mean())
    same = (pd.Series(result).fillna("") == joined["code"].fillna("").to_numpy()).mean()
    return {"points": n, "sectors": len(sectors), "ours_s": statistics.median(t_ours),
            "sjoin_s": statistics.median(t_sjoin), "ours_all": t_ours, "sjoin_all": t_sjoin,
            "agree": same, "build_s": t_build, "border_cells": border, "load": os.getloadavg()[0],
            "ours_cpu_s": statistics.median(c_ours), "sjoin_cpu_s": statistics.median(c_sjoin),
            "build_cpu_s": c_build, "ratio_cpu_rounds": [a / b for a, b in zip(c_ours, c_sjoin)]}


def spatial_cell() -> int:
    from cohesie import spatial

    return int(spatial.GRID_CELL_M)


# -- browser ----------------------------------------------------------------------------
#: run in a bench page before its own scripts: the number of Leaflet shapes in the map's frame (same
#: origin, read from the page) and the moment each count was first seen (ms since the page's
#: navigation start), polled every 5 ms, so that the paint is timed in the browser and not by
#: Playwright's round trips. (Not an init script in the frame: Chromium reuses the window of a
#: frame's first empty document for the component's page, so such a script ran in some frames only.)
PAINT_CLOCK = """
(() => {
  if (window !== window.top || window.__cohesieBenchCounts) return;
  const counts = window.__cohesieBenchCounts = [];
  const id = setInterval(() => {
    const frame = document.querySelector(MAP_FRAME);
    let n = 0;
    try { n = frame.contentDocument.querySelectorAll('path.leaflet-interactive').length; } catch (e) {}
    const last = counts[counts.length - 1];
    if (n > 0 && (!last || last[0] !== n)) counts.push([n, performance.now()]);
    if (performance.now() > 300000) clearInterval(id);
  }, 5);
})();
""".replace("MAP_FRAME", repr(MAP_FRAME))


def new_context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1300})
    context.add_init_script(PAINT_CLOCK)
    return context


class Probe:
    """A fresh page (outside hosts unresolvable), counting bytes and protocol messages."""

    def __init__(self, browser, url: str, context=None):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._fm = ForwardMsg
        # a new context has an empty browser cache; a shared one (``context``) is a returning visitor
        self._own_context = context is None
        self.context = context or new_context(browser)
        self.page = self.context.new_page()
        self.url = url
        self.http = []  # (url, encoded bytes)
        self.ws_in = []  # (time, bytes, message type)
        self.ws_out = []  # time
        # outside hosts do not resolve (launch_chromium(local_only=True)); no request handler:
        # Playwright's routing holds every request for a round trip to Python, which slowed the
        # pages by different amounts (the bare page 1.3 → 1.8 s, the app 2.0 → 2.1 s on 3 December)
        self.page.on("requestfinished", self._finished)
        self.page.on("websocket", self._ws)

    def _finished(self, request):
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 (a request the page cancelled)
            size = 0
        self.http.append((request.url, size))

    def _ws(self, ws):
        def received(payload):
            kind = None
            if isinstance(payload, bytes):
                try:
                    kind = self._fm.FromString(payload).WhichOneof("type")
                except Exception:  # noqa: BLE001
                    kind = None
            self.ws_in.append((time.perf_counter(), len(payload), kind))

        ws.on("framereceived", received)
        ws.on("framesent", lambda payload: self.ws_out.append(time.perf_counter()))

    def first_paint(self, path: str, min_paths: int) -> float:
        """Seconds from the page's navigation start to the first moment the map frame held
        ``min_paths`` shapes, by the page's own clock (:data:`PAINT_CLOCK`); Playwright only
        waits for that moment to be recorded (its own wait in the frame returned 0.2-0.6 s after
        it, by different amounts per page)."""
        self.page.goto(self.url + path)
        at = self.page.wait_for_function(
            "n => ((window.__cohesieBenchCounts || []).find(c => c[0] >= n) || [])[1]",
            arg=min_paths, timeout=300_000, polling=50).json_value()
        return at / 1000

    def bytes(self) -> dict:
        front = sum(s for u, s in self.http if "/static/js/" in u or "/static/css/" in u
                    or "/static/media/" in u or "/component/" in u)
        total_http = sum(s for _, s in self.http)
        return {"ws": sum(b for _, b, _ in self.ws_in), "http": total_http,
                "http_app": total_http - front, "frontend": front}

    def filter_change(self, pid: int | None = None) -> dict:
        """Switch Gebieden to Wijken: bytes received, server time of that rerun and the CPU
        seconds the server process used for it (independent of other load on the machine)."""
        wait_for_script(self.page)
        self.page.wait_for_timeout(500)
        cpu0 = cpu_seconds(pid) if pid else float("nan")
        n_in, n_out = len(self.ws_in), len(self.ws_out)
        radio = self.page.locator('[data-testid="stRadio"]')
        self.level = "Sectoren" if getattr(self, "level", "Sectoren") == "Wijken" else "Wijken"
        radio.get_by_text(self.level, exact=True).click()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            done = [t for t, _, k in self.ws_in[n_in:] if k == "script_finished"]
            if done:
                break
            self.page.wait_for_timeout(20)
        cpu = (cpu_seconds(pid) if pid else float("nan")) - cpu0
        self.page.wait_for_timeout(500)
        sent = self.ws_out[n_out]
        return {"bytes": sum(b for _, b, _ in self.ws_in[n_in:]), "server_s": done[0] - sent, "cpu_s": cpu}

    def close(self):
        if self._own_context:
            self.context.close()
        else:
            self.page.close()


def alternating(rounds: int):
    """``(round, "app" | "bare")`` in turns, the order swapped every round, so that neither page
    always goes first."""
    for i in range(rounds):
        for name in (("app", "bare") if i % 2 == 0 else ("bare", "app")):
            yield i, name


def cold_visit(pw, script: Path, data: Path, *, min_paths: int, log: Path, cwd: Path = REPO,
               launcher: bool = True) -> tuple[float, float]:
    """Start the server, make its first visit in a newly launched Chromium (so that neither page
    profits from a browser that already ran Streamlit's scripts), stop both: the seconds to the
    painted map and to the page's last script run."""
    proc, url = start_streamlit(script, data_dir=data, cwd=cwd, log=log, launcher=launcher)
    browser = launch_chromium(pw, local_only=True)
    try:
        p = Probe(browser, url)
        t0 = time.perf_counter()
        paint = p.first_paint("/", min_paths)
        wait_for_script(p.page, timeout=300_000)
        p.page.wait_for_timeout(500)
        wait_for_script(p.page, timeout=300_000)
        return paint, time.perf_counter() - t0
    finally:
        browser.close()
        stop(proc)


def measure_app(pw, browser, data: Path, *, min_paths: int, label: str, bare_geojson: str,
                bounds, runs: int = 3, cold_runs: int = 3, unprepared: Path | None = None) -> dict:
    """The app (started as start.sh starts it: scripts/serve.py on a prepared data dir) against
    the bare page in the same minutes. Cold: ``cold_runs`` pairs of first visits after a server
    start, app and bare in alternating order. Warm: both servers running, ``runs`` visits each,
    alternating. ``unprepared``: the same data without ``prepare``, one cold visit under plain
    ``streamlit run`` (what a first visit cost before the launcher and the prepared files)."""
    logs = Path(tempfile.mkdtemp(prefix="cohesie_bench_logs_"))
    bare_dir = REPO / "bench" / "out"
    script = bare_script(data, bare_dir, f"bare_{label}.py", display=(bare_geojson, bounds))
    n_bare = bare_count(bare_geojson)
    app = dict(script=REPO / "dashboard.py", data=data, min_paths=min_paths, cwd=REPO)
    bare = dict(script=script, data=data, min_paths=n_bare, cwd=bare_dir)
    out: dict = {"load_cold": os.getloadavg()[0], "runs": runs, "cold_runs": cold_runs}
    cold = {"app": [], "bare": [], "complete": []}
    for i, name in alternating(cold_runs):
        paint, complete = cold_visit(pw, log=logs / f"cold_{name}_{i}.log", **(app if name == "app" else bare))
        cold[name].append(paint)
        if name == "app":
            cold["complete"].append(complete)
    out["cold_paint_s"], out["bare_cold_paint_s"] = statistics.median(cold["app"]), statistics.median(cold["bare"])
    out["cold_pairs"] = list(zip(cold["app"], cold["bare"]))
    out["cold_complete_s"] = statistics.median(cold["complete"])
    if unprepared is not None:
        out["unprepared_paint_s"], out["unprepared_complete_s"] = cold_visit(
            pw, REPO / "dashboard.py", unprepared, min_paths=min_paths, log=logs / "unprepared.log", launcher=False)
    proc, url = start_streamlit(REPO / "dashboard.py", data_dir=data, log=logs / f"{label}.log")
    bare_proc, bare_url = start_streamlit(script, data_dir=data, cwd=bare_dir, log=logs / f"bare_{label}.log")
    try:
        for u, n in ((url, min_paths), (bare_url, n_bare)):  # each server's first visit: not measured
            p = Probe(browser, u)
            p.first_paint("/", n)
            wait_for_script(p.page, timeout=300_000)
            p.close()
        paints, bare_paints, probes = [], [], []
        urls, shapes = {"app": url, "bare": bare_url}, {"app": min_paths, "bare": n_bare}
        for _, name in alternating(runs):
            p = Probe(browser, urls[name])
            (paints if name == "app" else bare_paints).append(p.first_paint("/", shapes[name]))
            p.page.wait_for_timeout(1000)
            if name == "app":
                probes.append(p)
            else:
                if not out.get("bare_bytes"):
                    out["bare_bytes"] = p.bytes()
                p.close()
        out["paint_s"], out["bare_paint_s"] = statistics.median(paints), statistics.median(bare_paints)
        out["warm_pairs"] = list(zip(paints, bare_paints))
        # a returning visitor: one browser context per page whose cache holds Streamlit's front end
        contexts = {"app": new_context(browser), "bare": new_context(browser)}
        cached = {"app": [], "bare": []}
        for i, name in alternating(runs + 1):  # round 0 fills each context's cache, not counted
            p = Probe(browser, urls[name], context=contexts[name])
            paint = p.first_paint("/", shapes[name])
            if i > 0:
                cached[name].append(paint)
            p.page.wait_for_timeout(1000)
            p.close()
        for c in contexts.values():
            c.close()
        out["cached_paint_s"], out["bare_cached_paint_s"] = (statistics.median(cached["app"]),
                                                              statistics.median(cached["bare"]))
        out["cached_pairs"] = list(zip(cached["app"], cached["bare"]))
        out["first_bytes"] = probes[0].bytes()
        changes = [probes[0].filter_change(proc.pid) for _ in range(6)]
        out["change_bytes"] = max(c["bytes"] for c in changes)
        out["rerun_s"] = statistics.median(c["server_s"] for c in changes)
        out["rerun_cpu_s"] = statistics.median(c["cpu_s"] for c in changes)
        out["load"] = os.getloadavg()[0]
        for p in probes:
            p.close()
        out["peak_mb"] = peak_rss_mb(proc.pid)
    finally:
        stop(proc)
        stop(bare_proc)
    return out


def bare_script(data: Path, out_dir: Path, name: str, display: tuple[str, list] | None = None) -> Path:
    """The bare page of ``data``'s sectors (one ``st_folium``, the same local Leaflet) as
    ``out_dir/name``, with the app's runner settings (no forced GC after a rerun), so that only
    the scripts differ; ``display``: :func:`display_file`'s answer when the caller has it."""
    geo, bounds = display or display_file(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    script = out_dir / name
    script.write_text(bare_page(geo, bounds), encoding="utf-8")
    link = out_dir / "static"
    if not link.exists():
        link.symlink_to(REPO / "static")
    (out_dir / ".streamlit").mkdir(exist_ok=True)
    (out_dir / ".streamlit" / "config.toml").write_text(
        "[server]\nenableStaticServing = true\n[runner]\npostScriptGC = false\n")
    return script


def bare_page(geojson: str, bounds) -> str:
    """The bare page's script. It imports nothing of cohesie (whose first import, geopandas and
    pandas included, would slow the bare page's first visit and flatter the app's cold ratio)."""
    from cohesie import ui

    return BARE_PAGE.format(geojson=geojson, bounds=bounds, assets=ui.map_assets())


def bare_count(geojson_path: str) -> int:
    import json

    return len(json.loads(Path(geojson_path).read_text(encoding="utf-8"))["features"])


def display_file(data: Path) -> tuple[str, list]:
    """The sector display GeoJSON the app writes for ``data`` (built the same way)."""
    from cohesie import dataset, settings, views
    from cohesie.storage import open_store

    ds = dataset.load(open_store(data))
    key = views.geometry_key(ds.sectors)
    path = settings.static_dir() / "generated" / f"sector_{key}.geojson"
    return str(path), views.bounds_latlon(ds.sectors)


# -- profile ----------------------------------------------------------------------------
def profile_rerun(data: Path) -> str:
    """pyinstrument profile of the Kaart script after a filter change (AppTest, in-process).

    AppTest runs the script in its own thread, and pyinstrument samples the thread that
    started it, so the profiler is started inside the script thread.
    """
    from pyinstrument import Profiler
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest
    from unittest import mock

    os.environ["COHESIE_DATA_DIR"] = str(data)
    profiles: list[Profiler] = []
    original = script_runner.ScriptRunner._run_script

    def traced(self, *args, **kwargs):
        prof = Profiler(interval=0.001)
        prof.start()
        try:
            return original(self, *args, **kwargs)
        finally:
            prof.stop()
            profiles.append(prof)

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    at.run()
    with mock.patch.object(script_runner.ScriptRunner, "_run_script", traced):
        at.radio(key="m_level").set_value("wijk").run()
    if at.exception:
        return f"(AppTest-fout: {at.exception[0].message})"
    return profiles[-1].output_text(unicode=False, color=False, show_all=False)


# -- main -------------------------------------------------------------------------------
def fmt_bytes(n: float) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 ** 2 else f"{n / 1024 ** 2:.2f} MB"


def report(label: str, r: dict) -> None:
    b, bb = r["first_bytes"], r["bare_bytes"]
    print(f"\n== {label} ==")
    pairs = lambda key: ", ".join(f"{a:.2f}/{b:.2f}" for a, b in r[key])  # noqa: E731
    print(f"first painted map, warm: {r['paint_s']:.2f} s  (bare folium page {r['bare_paint_s']:.2f} s, "
          f"ratio {r['paint_s'] / r['bare_paint_s']:.2f}; medians of {r.get('runs', 3)}, alternating: "
          f"{pairs('warm_pairs')}; each visit in a new browser context, its cache empty)")
    if "cached_paint_s" in r:
        print(f"warm, returning visitor: {r['cached_paint_s']:.2f} s  (bare folium page {r['bare_cached_paint_s']:.2f} s, "
              f"ratio {r['cached_paint_s'] / r['bare_cached_paint_s']:.2f}; the front end in the browser's cache: "
              f"{pairs('cached_pairs')})")
    print(f"first painted map, cold: {r['cold_paint_s']:.2f} s  (bare folium page {r['bare_cold_paint_s']:.2f} s, "
          f"ratio {r['cold_paint_s'] / r['bare_cold_paint_s']:.2f}; first visit after each server started, in a "
          f"new browser, medians of {r['cold_runs']}, alternating: {pairs('cold_pairs')}; "
          f"load average {r['load_cold']:.1f})")
    print(f"first visit complete   : {r['cold_complete_s']:.2f} s (cold, until its last script run ended)")
    if "unprepared_paint_s" in r:
        print(f"cold, not prepared     : {r['unprepared_paint_s']:.2f} s to the map, "
              f"{r['unprepared_complete_s']:.2f} s complete (plain `streamlit run`, data without "
              f"`python -m cohesie prepare`: what the first visit did before; ratio to the bare cold median "
              f"{r['unprepared_paint_s'] / r['bare_cold_paint_s']:.2f})")
    print(f"rerun after filter     : {r['rerun_s'] * 1000:.0f} ms server time, {r['rerun_cpu_s'] * 1000:.0f} ms "
          f"server CPU (medians of 6; load average {r['load']:.1f} on {os.cpu_count()} CPUs)")
    print(f"first render bytes     : {fmt_bytes(b['ws'] + b['http_app'])} app data "
          f"(websocket {fmt_bytes(b['ws'])} + HTTP {fmt_bytes(b['http_app'])}); "
          f"+ {fmt_bytes(b['frontend'])} Streamlit/component front end (cached by browsers)")
    print(f"bare page first render : {fmt_bytes(bb['ws'] + bb['http_app'])} app data")
    print(f"per filter change      : {fmt_bytes(r['change_bytes'])} (largest of 6)")
    print(f"server peak memory     : {r['peak_mb']:.0f} MB (VmHWM)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demo", action="store_true", help="only the demo")
    ap.add_argument("--profile", action="store_true", help="print a pyinstrument profile of a rerun")
    ap.add_argument("--runs", type=int, default=3, help="warm visits per page")
    ap.add_argument("--cold-runs", type=int, default=3, help="server starts per page (first visits)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    print(f"machine: {machine()}")
    print(f"date: {dt.datetime.now():%Y-%m-%d %H:%M}")
    root = Path(tempfile.mkdtemp(prefix="cohesie_bench_"))
    with sync_playwright() as pw:
        browser = launch_chromium(pw, local_only=True)
        demo = demo_dir(root)
        geo, bounds = display_file(demo)
        r = measure_app(pw, browser, demo, min_paths=97 + 12, label="demo", bare_geojson=geo,
                        bounds=bounds, runs=args.runs, cold_runs=args.cold_runs,
                        unprepared=demo_dir(root, prepare=False, name="demo_unprepared"))
        report("demo (97 sectors, 12 wijken, 100,000 signals)", r)
        if args.profile:
            print("\n-- profile of a rerun (demo) --\n" + profile_rerun(demo))
        if args.demo:
            return 0
        if not SHARED.exists():
            print(f"\nFlanders scale overgeslagen: {SHARED} ontbreekt (gedeelde referentiegegevens).")
            return 0
        sectors = flanders_sectors()
        j = join_benchmark(sectors)
        print(f"\n== point-to-sector join: {j['points']:,} points into {j['sectors']:,} sectors ==")
        print(f"spatial.sector_of_points: {j['ours_s']:.2f} s; geopandas.sjoin(within): "
              f"{j['sjoin_s']:.2f} s (medians of {len(j['ours_all'])}, alternating: "
              f"{', '.join(f'{a:.2f}/{b:.2f}' for a, b in zip(j['ours_all'], j['sjoin_all']))}); "
              f"ratio {j['ours_s'] / j['sjoin_s']:.2f}; same sector for "
              f"{j['agree'] * 100:.3f} % of points")
        print(f"  with the {spatial_cell()} m grid index kept per sector set; building it once: "
              f"{j['build_s']:.2f} s (ratio with the building in every call: "
              f"{(j['ours_s'] + j['build_s']) / j['sjoin_s']:.2f}); {j['border_cells'] * 100:.0f} % of its "
              f"cells are near a border and use the exact query; load average {j['load']:.1f}")
        fl, build_s = flanders_dir(root, sectors)
        from cohesie import dataset
        from cohesie.storage import open_store

        t0 = time.perf_counter()
        ds = dataset.load(open_store(fl))
        load_s = time.perf_counter() - t0
        print(f"\nFlanders data dir built in {build_s:.0f} s; dataset.load(store) with every record: {load_s:.2f} s for "
              f"{len(ds.sectors):,} sectors and {len(ds.points):,} points "
              f"({ds.points.memory_usage(deep=True).sum() / 1024 ** 2:.0f} MB in pandas)")
        n_wijken = ds.sectors["wijk_code"].nunique()
        del ds
        geo, bounds = display_file(fl)
        from cohesie import operations

        operations.prepare(open_store(fl))
        r = measure_app(pw, browser, fl, cold_runs=1, min_paths=len(sectors) + n_wijken, label="flanders",
                        bare_geojson=geo, bounds=bounds, runs=args.runs)
        report(f"Flanders ({len(sectors):,} sectors, {n_wijken:,} wijken, 1,000,000 signals)", r)
        if args.profile:
            print("\n-- profile of a rerun (Flanders) --\n" + profile_rerun(fl))
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
