"""Load generator without a browser: many Streamlit sessions over the websocket (issue 15).

Each session speaks the browser's protocol on ``ws://HOST:PORT/_stcore/stream`` (subprotocol
``streamlit``): it sends a ``rerun_script`` BackMsg with an empty ClientState, reads the widget ids
of the sidebar filters (Lagen, Wijken multiselects) from the ``delta`` ForwardMsgs, and then sends
reruns with changed widget values, each timed from the send to its ``script_finished`` ForwardMsg.
Like the browser it tells the server which cacheable messages it already holds
(``cached_message_hashes``), so repeated elements come back as references.

Three phases, all in one run so the ratios compare like with like:

1. baseline: one session alone does ``--changes`` filter changes (its median is "the single-session
   rerun of the same run");
2. load: ``--sessions`` sessions connect at once and each does ``--changes`` filter changes with a
   think time of ``--think`` seconds (uniform 0.5-1.5x, seeded) between them; p50/p95/max, the
   server's CPU seconds per rerun (psutil, user+system of the server process) and errors; every
   rerun is logged in the JSON (``load.reruns``: seconds since the phase began, ms, session,
   change, how many other reruns were in flight when it was sent);
3. soak: one session does ``--soak`` reruns back to back; the server's RSS every ``--every``
   reruns; growth after a warm-up of ``--warmup`` reruns and the slope of a linear fit over the rest.

Errors are: a connection that fails or closes, no ``script_finished`` within ``--timeout``, a
script that ends otherwise than successfully, an ``exception`` element, ``page_not_found``.

    .venv/bin/python bench/loadgen.py                      # builds the demo, starts the server
    .venv/bin/python bench/loadgen.py --sessions 20 --changes 10 --soak 1000
    .venv/bin/python bench/loadgen.py --quick              # 3 sessions x 3 changes, soak 30
    .venv/bin/python bench/loadgen.py --url http://127.0.0.1:8501 --server-pid 1234

The result is printed as a small table and written as JSON to bench/out/loadgen-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PORTS = range(8641, 8650)  # this helper's ports; the first free one is used
FILTER_LABELS = ("Lagen", "Wijken")  # the sidebar multiselects the sessions change
SUCCESS = (ForwardMsg.FINISHED_SUCCESSFULLY,)


class SessionError(Exception):
    """Something a user would see as broken: recorded as an error, the session goes on or stops."""


@dataclass
class Widget:
    id: str
    label: str
    options: list[str]


@dataclass
class Session:
    """One browser-less client on the websocket."""

    url: str
    timeout: float
    ws: object = None
    page_script_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)  # by label
    states: dict[str, list[str]] = field(default_factory=dict)  # widget id -> chosen option texts
    cached: set[str] = field(default_factory=set)
    query: str = ""  # the app's query string after the last rerun (the filters it applied)
    messages: int = 0
    bytes_in: int = 0

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self.ws = await asyncio.wait_for(
            websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                               open_timeout=self.timeout),
            self.timeout)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def rerun(self) -> float:
        """Send a rerun with the current widget states; return seconds until ``script_finished``."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_script_hash = self.page_script_hash
        for wid, values in self.states.items():
            w = cs.widget_states.widgets.add()
            w.id = wid
            w.string_array_value.data.extend(values)
        cs.cached_message_hashes.extend(sorted(self.cached))
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        problems = []
        while True:
            try:
                raw = await asyncio.wait_for(self.ws.recv(), self.timeout - (time.perf_counter() - start))
            except (asyncio.TimeoutError, ValueError):
                raise SessionError(f"geen script_finished binnen {self.timeout:.0f} s") from None
            except websockets.ConnectionClosed as exc:
                raise SessionError(f"verbinding gesloten: {exc}") from None
            self.messages += 1
            self.bytes_in += len(raw)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if fm.metadata.cacheable and fm.hash:
                self.cached.add(fm.hash)
            if kind == "new_session":
                self.page_script_hash = fm.new_session.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "page_not_found":
                problems.append("page_not_found")
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._read_element(fm.delta.new_element)
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for a rerun itself; the user waits for that one
                elapsed = time.perf_counter() - start
                if fm.script_finished not in SUCCESS:
                    problems.append(ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished))
                if problems:
                    raise SessionError("; ".join(problems))
                return elapsed

    def _read_element(self, el) -> None:
        kind = el.WhichOneof("type")
        if kind == "exception":
            raise SessionError(f"exception: {el.exception.type}: {el.exception.message[:200]}")
        if kind == "multiselect" and el.multiselect.label in FILTER_LABELS:
            ms = el.multiselect
            self.widgets[ms.label] = Widget(ms.id, ms.label, list(ms.options))

    def choose(self, label: str, values: list[str]) -> None:
        self.states[self.widgets[label].id] = values


def filter_change(session: Session, n: int, k: int) -> str:
    """The k-th filter change of session n: alternately one or two wijken, all wijken, fewer layers.

    Sessions start at another wijk, so they share some of the cache as real users would."""
    wijken = session.widgets["Wijken"].options
    lagen = session.widgets["Lagen"].options
    step = k % 4
    w1, w2 = wijken[(n + k) % len(wijken)], wijken[(n + 3 * k + 1) % len(wijken)]
    if step == 0:
        session.choose("Wijken", [w1])
        return f"Wijken={w1}"
    if step == 1:
        session.choose("Wijken", sorted({w1, w2}))
        return f"Wijken={w1}+{w2}"
    if step == 2:
        keep = [lg for i, lg in enumerate(lagen) if i != (n + k) % len(lagen)]
        session.choose("Lagen", keep)
        return f"Lagen zonder {lagen[(n + k) % len(lagen)]}"
    session.choose("Wijken", [])
    session.choose("Lagen", list(lagen))
    return "alles"


async def open_session(url: str, timeout: float, errors: list) -> tuple[Session | None, float | None]:
    s = Session(url, timeout)
    try:
        await s.connect()
        first = await s.rerun()
        missing = [lb for lb in FILTER_LABELS if lb not in s.widgets]
        if missing:
            raise SessionError(f"filters niet gevonden: {missing}")
        return s, first
    except (SessionError, OSError, asyncio.TimeoutError, websockets.WebSocketException) as exc:
        errors.append(f"openen: {exc}")
        await s.close()
        return None, None


IN_FLIGHT = [0]  # reruns sent and not yet finished, over all sessions of this process


async def run_changes(s: Session, n: int, changes: int, think: float, rng: random.Random,
                      times: list, errors: list, log: list | None = None, t0: float = 0.0) -> None:
    for k in range(changes):
        if think > 0:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        what = filter_change(s, n, k)
        sent, busy = time.perf_counter(), IN_FLIGHT[0]
        IN_FLIGHT[0] += 1
        try:
            times.append(await s.rerun())
            if log is not None:  # (seconds since the phase began, ms, session, change, others in flight)
                log.append((round(sent - t0, 3), round(times[-1] * 1000, 1), n, k, busy))
        except SessionError as exc:
            errors.append(f"sessie {n}, wijziging {k} ({what}): {exc}")
            if s.ws is None or s.ws.state.name != "OPEN":
                return
        finally:
            IN_FLIGHT[0] -= 1


def _processes(proc) -> list[psutil.Process]:
    return [] if proc is None else [proc] if isinstance(proc, psutil.Process) else list(proc)


def cpu_seconds(proc) -> float | None:
    """User + system CPU seconds of a server process, or of several summed (all workers)."""
    procs = _processes(proc)
    return sum(t.user + t.system for t in (p.cpu_times() for p in procs)) if procs else None


def rss_mb(proc) -> float | None:
    procs = _processes(proc)
    return sum(p.memory_info().rss for p in procs) / 2**20 if procs else None


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def summary(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": quantile(ms, .50), "p95_ms": quantile(ms, .95),
            "max_ms": max(ms) if ms else None, "mean_ms": statistics.fmean(ms) if ms else None}


async def baseline(url: str, args, proc) -> dict:
    errors: list[str] = []
    s, first = await open_session(url, args.timeout, errors)
    times: list[float] = []
    cpu0 = cpu_seconds(proc)
    if s is not None:
        await run_changes(s, 0, args.changes, 0.0, random.Random(0), times, errors)
        await s.close()
    cpu1 = cpu_seconds(proc)
    return {"first_load_ms": None if first is None else first * 1000, **summary(times), "errors": errors,
            "server_cpu_ms_per_rerun": None if cpu0 is None or not times else (cpu1 - cpu0) / len(times) * 1000}


async def load(url: str, args, proc) -> dict:
    errors: list[str] = []
    t0 = time.perf_counter()
    opened = await asyncio.gather(*(open_session(url, args.timeout, errors) for _ in range(args.sessions)))
    sessions = [s for s, _ in opened if s is not None]
    first_loads = [f for _, f in opened if f is not None]
    times: list[float] = []
    loads = []
    cpu0, wall0 = cpu_seconds(proc), time.perf_counter()
    load_samples = []

    async def sample_load():
        while True:
            load_samples.append(os.getloadavg()[0])
            await asyncio.sleep(5)

    sampler = asyncio.create_task(sample_load())
    log: list = []
    await asyncio.gather(*(run_changes(s, n, args.changes, args.think, random.Random(args.seed + n), times, errors,
                                       log, wall0) for n, s in enumerate(sessions)))
    sampler.cancel()
    cpu1, wall1 = cpu_seconds(proc), time.perf_counter()
    queries = [s.query for s in sessions]
    for s in sessions:
        loads.append(s.bytes_in)
        await s.close()
    return {"sessions": args.sessions, "sessions_opened": len(sessions), "changes_per_session": args.changes,
            "think_s": args.think, "first_load": summary(first_loads), **summary(times), "errors": errors,
            "server_cpu_ms_per_rerun": None if cpu0 is None or not times else (cpu1 - cpu0) / len(times) * 1000,
            "server_cpu_share": None if cpu0 is None else (cpu1 - cpu0) / (wall1 - wall0),
            "wall_s": time.perf_counter() - t0, "loadavg_samples": load_samples,
            "mean_bytes_per_session": statistics.fmean(loads) if loads else None,
            "last_query_strings": queries, "reruns": sorted(log)}


async def soak(url: str, args, proc) -> dict:
    errors: list[str] = []
    s, _ = await open_session(url, args.timeout, errors)
    samples: list[tuple[int, float]] = []  # (reruns done, RSS MB)
    times: list[float] = []
    if s is not None:
        samples.append((0, rss_mb(proc)))
        for k in range(args.soak):
            what = filter_change(s, 1, k)
            try:
                times.append(await s.rerun())
            except SessionError as exc:
                errors.append(f"soak, rerun {k} ({what}): {exc}")
                if s.ws.state.name != "OPEN":
                    break
            if (k + 1) % args.every == 0:
                samples.append((k + 1, rss_mb(proc)))
        await s.close()
    out = {"reruns": len(times), "warmup": args.warmup, "every": args.every, "errors": errors, **summary(times),
           "rss_mb": samples}
    if proc is not None and samples:
        after = [(k, m) for k, m in samples if k >= args.warmup]
        out["rss_start_mb"] = samples[0][1]
        if len(after) >= 2:
            fit = statistics.linear_regression([k for k, _ in after], [m for _, m in after])
            out["rss_after_warmup_mb"] = after[0][1]
            out["rss_end_mb"] = after[-1][1]
            out["growth_after_warmup_mb"] = after[-1][1] - after[0][1]
            out["slope_mb_per_100_reruns"] = fit.slope * 100
            out["max_minus_min_after_warmup_mb"] = max(m for _, m in after) - min(m for _, m in after)
    return out


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit(f"geen vrije poort in {ports.start}-{ports.stop - 1}; geef --port of --url")


def serve(script: Path, data: Path, cwd: Path, log: Path, *, url: str | None = None,
          port: int | None = None, wait_s: float = 120) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run script`` on ``data`` (and the PostGIS ``url`` when given) on a free
    port and wait until it answers; the one server starter of the bench scripts."""
    port = port or free_port()
    env = {**os.environ, "COHESIE_DATA_DIR": str(data), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("COHESIE_DB_URL", None)
    if url:
        env["COHESIE_DB_URL"] = url
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(proc, base, log, wait_s, "streamlit")
    return proc, base


def wait_healthy(proc: subprocess.Popen, base: str, log: Path, wait_s: float, what: str) -> None:
    """Wait until ``base`` answers its health check; stop (killing ``proc``'s group) with a
    message when ``proc`` ends or ``wait_s`` passes."""
    deadline = time.monotonic() + wait_s
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"{what} stopte; zie {log}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    if os.getpgid(proc.pid) == proc.pid:  # serve_multi.sh: its workers and proxy too
                        os.killpg(proc.pid, 15)
                    else:
                        proc.kill()
                raise SystemExit(f"{what} antwoordde niet binnen {wait_s:.0f} s; zie {log}") from None
            time.sleep(0.3)


@contextlib.contextmanager
def served_demo(port: int | None, keep_log: Path, workers: int = 1):
    """Build the demo in a temporary data directory and serve dashboard.py on it: one server, or
    ``workers`` processes behind HAProxy with ``scripts/serve_multi.sh`` (as ``WORKERS=N bash
    start.sh`` does). Yields the URL and the server pid(s)."""
    with tempfile.TemporaryDirectory(prefix="loadgen_") as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data), "demo"], cwd=REPO,
                       check=True, capture_output=True, timeout=300)
        if workers > 1:
            proc, url, pids = serve_multi(data, keep_log, workers, port=port)
        else:
            proc, url = serve(REPO / "dashboard.py", data, REPO, keep_log, port=port, wait_s=90)
            pids = [proc.pid]
        try:
            yield url, pids
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def serve_multi(data: Path, log: Path, workers: int, *, port: int | None = None,
                wait_s: float = 120) -> tuple[subprocess.Popen, str, list[int]]:
    """``scripts/serve_multi.sh`` with ``workers`` processes on ``data``; the proxy's URL and the
    workers' pids once every worker and the proxy answer."""
    port = port or free_port(range(PORTS.start, PORTS.stop - workers))
    env = {**os.environ, "COHESIE_DATA_DIR": str(data), "WORKERS": str(workers), "PORT": str(port),
           "BIND": "127.0.0.1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("COHESIE_DB_URL", None)
    proc = subprocess.Popen(["bash", str(REPO / "scripts" / "serve_multi.sh"), "--server.headless", "true",
                             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
                            cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(proc, base, log, wait_s, "serve_multi.sh")
    pids = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)
            if "streamlit" in " ".join(c.cmdline())]
    return proc, base, pids


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"nproc": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "loadavg_start": os.getloadavg()}


def fmt(v, spec=".0f") -> str:
    return "-" if v is None else format(v, spec)


def report(res: dict) -> str:
    b, lo, so = res["baseline"], res["load"], res["soak"]
    lines = [
        f"machine: {res['machine']['nproc']} cores, {res['machine']['cpu_model']}, "
        f"{res.get('server_processes', 1)} server process(es), "
        f"load average {', '.join(f'{x:.1f}' for x in res['machine']['loadavg_start'])} at start, "
        f"{', '.join(f'{x:.1f}' for x in res['machine']['loadavg_end'])} at end",
        f"{'phase':32s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'cpu ms/rerun':>13s} {'errors':>7s}",
        f"{'1 session, filter changes':32s} {b['n']:5d} {fmt(b['p50_ms']):>8s} {fmt(b['p95_ms']):>8s} "
        f"{fmt(b['max_ms']):>8s} {fmt(b['server_cpu_ms_per_rerun']):>13s} {len(b['errors']):7d}",
        f"{lo['sessions']:>2d} sessions: first page load      {lo['first_load']['n']:5d} "
        f"{fmt(lo['first_load']['p50_ms']):>8s} {fmt(lo['first_load']['p95_ms']):>8s} "
        f"{fmt(lo['first_load']['max_ms']):>8s} {'':>13s} {'':>7s}",
        f"{lo['sessions']:>2d} sessions: filter changes      {lo['n']:5d} {fmt(lo['p50_ms']):>8s} "
        f"{fmt(lo['p95_ms']):>8s} {fmt(lo['max_ms']):>8s} {fmt(lo['server_cpu_ms_per_rerun']):>13s} "
        f"{len(lo['errors']):7d}",
        f"{'soak, 1 session back to back':32s} {so['n']:5d} {fmt(so['p50_ms']):>8s} {fmt(so['p95_ms']):>8s} "
        f"{fmt(so['max_ms']):>8s} {'':>13s} {len(so['errors']):7d}",
    ]
    g = res["goals"]
    lines.append(f"p95 with {lo['sessions']} sessions / single-session p50: {fmt(g['p95_ratio'], '.2f')} "
                 f"(goal <= 3)   errors: {g['errors']} (goal 0)")
    if "growth_after_warmup_mb" in so:
        lines.append(f"soak RSS: {so['rss_start_mb']:.0f} MB at start, {so['rss_after_warmup_mb']:.0f} MB after "
                     f"{so['warmup']} reruns, {so['rss_end_mb']:.0f} MB after {so['reruns']}; growth after warm-up "
                     f"{so['growth_after_warmup_mb']:+.1f} MB (goal <= 20), slope "
                     f"{so['slope_mb_per_100_reruns']:+.2f} MB per 100 reruns")
    for phase in ("baseline", "load", "soak"):
        for e in res[phase]["errors"][:5]:
            lines.append(f"  error ({phase}): {e}")
    return "\n".join(lines)


async def measure(url: str, pid: int | None, args) -> dict:
    pids = pid if isinstance(pid, list) else [pid] if pid else []
    proc = [psutil.Process(p) for p in pids] or None
    res = {"machine": machine(), "url": url, "args": vars(args).copy(), "server_processes": len(pids)}
    # the first session after the start makes Streamlit see st.navigation; not timed
    warm, _ = await open_session(url, max(args.timeout, 120), [])
    if warm is not None:
        await warm.close()
    res["baseline"] = await baseline(url, args, proc)
    res["load"] = await load(url, args, proc)
    res["soak"] = await soak(url, args, proc) if args.soak else {"n": 0, "errors": [], "p50_ms": None,
                                                                  "p95_ms": None, "max_ms": None}
    res["machine"]["loadavg_end"] = os.getloadavg()
    b, lo = res["baseline"], res["load"]
    res["goals"] = {
        "errors": len(b["errors"]) + len(lo["errors"]) + len(res["soak"]["errors"]),
        "p95_ratio": lo["p95_ms"] / b["p50_ms"] if lo["p95_ms"] and b["p50_ms"] else None,
        "soak_growth_mb": res["soak"].get("growth_after_warmup_mb"),
    }
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running app (default: build the demo and start one)")
    p.add_argument("--server-pid", type=int, help="with --url: the server's pid, for CPU and memory")
    p.add_argument("--port", type=int, help=f"port for the started server (default: first free {PORTS.start}-)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes behind HAProxy (scripts/serve_multi.sh); default 1: one streamlit")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--changes", type=int, default=10)
    p.add_argument("--think", type=float, default=3.0, help="seconds between a session's changes (x0.5-1.5)")
    p.add_argument("--soak", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--every", type=int, default=20, help="RSS sample every N soak reruns")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds a rerun may take before it is an error")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--quick", action="store_true", help="3 sessions x 3 changes, soak 30 (warm-up 10)")
    p.add_argument("--json", type=Path, help="where to write the result (default bench/out/loadgen-<time>.json)")
    args = p.parse_args(argv)
    if args.quick:
        args.sessions, args.changes, args.think, args.soak, args.warmup, args.every = 3, 3, 0.3, 30, 10, 5
    out = args.json or OUT / f"loadgen-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.url:
        res = asyncio.run(measure(args.url, args.server_pid, args))
    else:
        with served_demo(args.port, out.with_suffix(".server.log"), args.workers) as (url, pid):
            res = asyncio.run(measure(url, pid, args))
    res["args"] = {k: str(v) if isinstance(v, Path) else v for k, v in res["args"].items()}
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False))
    print(report(res))
    print(f"JSON: {out}")
    return 0 if res["goals"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
