"""``WORKERS=2 bash start.sh`` (scripts/serve_multi.sh): two server processes behind HAProxy on
one data directory. Two browsers land on different processes and stay there (the upload of a
file reaches the process that holds the session); a login and an import made through one
process are seen by the other; a missing HAProxy gets a Dutch message. (A login lives in the
Streamlit session, on one process; OIDC logins are cookies signed with the one shared
cookieSecret.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, log_in, wait_for_script, wait_healthy
from .test_faults_server import ROWS, open_app, template  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif(shutil.which("haproxy") is None and not os.access("/usr/sbin/haproxy", os.X_OK),
                                reason="HAProxy ontbreekt (apt-get install haproxy; .ci/run installeert het)")


def _free_ports(n: int) -> int:
    """A port p with p … p+n all free now."""
    import socket

    for base in range(20_000 + (os.getpid() % 200) * 50, 60_000, 7):
        try:
            socks = []
            for p in range(base, base + n + 1):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("geen vrije poorten")


def serve(data: Path, log: Path, workers: int = 2, **extra_env):
    port = _free_ports(workers)
    env = {**os.environ, "COHESIE_DATA_DIR": str(data), "WORKERS": str(workers), "PORT": str(port),
           "BIND": "127.0.0.1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **extra_env}
    proc = subprocess.Popen(["bash", str(REPO / "start.sh"), "--server.headless", "true",
                             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
                            cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(proc, url, log, seconds=120, on_timeout=lambda: shut(proc))
    return proc, url


def shut(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def worker_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "COHESIE_SRV")


def test_two_processes_sticky_sessions_and_shared_writes(browser, template, tmp_path):  # noqa: F811
    data = Path(shutil.copytree(template / "data", tmp_path / "data"))
    proc, url = serve(data, tmp_path / "serve.log")
    contexts = []
    try:
        pages = []
        for _ in range(2):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            contexts.append(context)
            page = context.new_page()
            open_app(page, url, "/gegevens")
            pages.append(page)
        a, b = pages
        # the first browser's websocket is open on its process: the second gets the other one
        assert {worker_of(contexts[0]), worker_of(contexts[1])} == {"w1", "w2"}

        # an upload on the first browser's process: it needs the process that holds the session
        open_app(a, url, "/importeren")
        log_in(a, "eva", "geheim-12345")
        a.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(template / "meldingen.csv"))
        wait_for_script(a)
        a.get_by_role("combobox", name="Laag").wait_for(timeout=60_000)
        a.get_by_role("button", name="Importeren", exact=True).click()
        a.get_by_text(f"meldingen.csv: alle {ROWS:,} rijen geïmporteerd in Signalen".replace(",", "."),
                      exact=False).wait_for(timeout=120_000)
        assert worker_of(contexts[0]) != worker_of(contexts[1])  # both stayed where they were

        # the other process sees the import on its next run: Gegevens lists it
        b.reload()
        wait_for_script(b)
        b.get_by_text("meldingen.csv").first.wait_for(timeout=60_000)
        assert not b.locator('[data-testid="stException"]').count()
        # a browser moved to the other process (its cookie changed) gets a working page there
        other = "w1" if worker_of(contexts[0]) == "w2" else "w2"
        contexts[0].add_cookies([{"name": "COHESIE_SRV", "value": other, "url": url}])
        a.goto(url + "/gegevens")
        wait_for_script(a)
        a.get_by_text("meldingen.csv").first.wait_for(timeout=60_000)
        assert worker_of(contexts[0]) == other and not a.locator('[data-testid="stException"]').count()
        a.screenshot(path=str(tmp_path / "ander_proces.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
        shut(proc)


def test_without_haproxy_a_dutch_message(tmp_path):
    r = subprocess.run(["bash", str(REPO / "start.sh")], cwd=REPO, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "WORKERS": "2", "HAPROXY": str(tmp_path / "geen" / "haproxy")})
    assert r.returncode == 2, r.stderr
    assert "HAProxy ontbreekt: installeer het (Debian/Ubuntu: sudo apt-get install haproxy)" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_workers_value_is_refused_in_dutch(tmp_path):
    r = subprocess.run(["bash", str(REPO / "scripts" / "serve_multi.sh")], cwd=REPO, capture_output=True,
                       text=True, timeout=300, env={**os.environ, "WORKERS": "twee"})
    assert r.returncode == 2
    assert "WORKERS moet een geheel getal van 1 tot 32 zijn (nu: 'twee')" in r.stderr
