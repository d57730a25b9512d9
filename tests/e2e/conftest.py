"""Browser tests: the real app under ``streamlit run`` on a free port, driven by headless Chromium.

The app runs on a demo data directory built in a temporary folder; every request to another
host is aborted, as on a locked-down intranet. Chromium is Debian's (``.ci/run`` installs it);
Playwright cannot download browsers here, so it is launched by ``executable_path``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COHESIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            # A browser test that waited in vain for the page (a Playwright timeout on a loaded
            # machine) runs once more; pytest reports it as "rerun" in the summary, and a second
            # timeout, or any other failure, fails the run (pytest-rerunfailures).
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["TimeoutError"]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: Path, *, data_dir: Path | None, cwd: Path = REPO, log: Path,
                    launcher: bool = True) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run script`` on a free local port; return the process and its URL.
    The dashboard starts as ``start.sh`` starts it, through ``scripts/serve.py`` (its modules
    imported before the first visit), unless ``launcher`` is False.

    A free port can be taken by another process (another pytest-xdist worker) between asking
    for it and streamlit binding it: then streamlit stops at once and another port is tried."""
    for attempt in range(5):
        try:
            return _start_streamlit_once(script, data_dir=data_dir, cwd=cwd, log=log, launcher=launcher)
        except PortTaken:
            if attempt == 4:
                raise


class PortTaken(RuntimeError):
    pass


def _start_streamlit_once(script: Path, *, data_dir: Path | None, cwd: Path, log: Path, launcher: bool = True
                          ) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if data_dir is not None:
        env["COHESIE_DATA_DIR"] = str(data_dir)
    if launcher and Path(script).resolve() == (REPO / "dashboard.py").resolve():
        command = [sys.executable, str(REPO / "scripts" / "serve.py")]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script)]
    proc = subprocess.Popen(
        [*command, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ended():
        text = log.read_text()
        if f"Port {port} is not available" in text:
            raise PortTaken(f"poort {port} is al in gebruik")
        raise RuntimeError(f"streamlit stopte meteen; zie {log}:\n{text[-3000:]}")

    wait_healthy(proc, url, log, on_end=ended)
    return proc, url


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, *, seconds: float = 90, on_end=None,
                 on_timeout=None) -> None:
    """Wait until ``url`` answers Streamlit's health check. When ``proc`` ends first:
    ``on_end()`` (default: fail with the log's tail); after ``seconds``: ``on_timeout()``
    (default: stop ``proc``), then fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            if on_end is not None:
                on_end()
            raise AssertionError(log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    (on_timeout or (lambda: stop(proc)))()
    raise RuntimeError(f"de server antwoordde niet binnen {seconds:.0f} s; zie {log}:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


#: Chromium resolves no host but the local one: outside requests fail in the browser itself,
#: without a Playwright request handler (which delays every request by a round trip to Python)
LOCAL_ONLY = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def launch_chromium(playwright, *, local_only: bool = False):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + (LOCAL_ONLY if local_only else []))


def wait_for_script(page, timeout: float = 60_000) -> None:
    """Wait until the Streamlit script run triggered by the last action has finished."""
    page.wait_for_timeout(250)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           state="attached", timeout=timeout)


@dataclass
class Session:
    """A browser page on the app with what it saw: blocked requests, errors, websocket traffic."""

    page: object
    url: str
    blocked: list = field(default_factory=list)  # (resource type, url)
    page_errors: list = field(default_factory=list)
    received: list = field(default_factory=list)  # sizes of websocket frames from the server
    sent: list = field(default_factory=list)  # sizes of websocket frames to the server

    def map_frame(self):
        """The Playwright Frame of the folium map (after it is attached)."""
        self.page.wait_for_selector(MAP_FRAME, timeout=60_000)
        handle = self.page.query_selector(MAP_FRAME)
        return handle.content_frame()

    def wait_for_map(self, min_paths: int = 1) -> object:
        frame = self.map_frame()
        frame.wait_for_function(
            f"() => document.body.getAttribute('data-cohesie-loaded') === '1' && "
            f"document.querySelectorAll('path.leaflet-interactive').length >= {min_paths}",
            timeout=60_000)
        return frame


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A data directory with the demo, built with the command line as a user would."""
    d = tmp_path_factory.mktemp("e2e_data")
    subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(d), "demo"], cwd=REPO,
                   check=True, capture_output=True, timeout=300)
    return d


@pytest.fixture(scope="session")
def playwright_instance():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium ontbreekt ({CHROMIUM}); installeer het met .ci/run of apt-get install chromium")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = launch_chromium(playwright_instance)
    yield b
    b.close()


@contextlib.contextmanager
def running_app(browser, data_dir: Path, log: Path):
    """``streamlit run dashboard.py`` on ``data_dir``, opened once at ``/``; yields its URL."""
    proc, url = start_streamlit(REPO / "dashboard.py", data_dir=data_dir, log=log)
    try:
        # Streamlit treats an app with a pages/ folder as an old-style multipage app until the
        # main script has called st.navigation once; open the main page first so the tests
        # see the app as users do after its first visit.
        page = browser.new_page()
        page.goto(url + "/")
        wait_for_script(page)
        page.close()
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url(demo_dir, browser, tmp_path_factory) -> str:
    """URL of the dashboard on the demo; stopped after the session."""
    with running_app(browser, demo_dir, tmp_path_factory.mktemp("e2e_logs") / "streamlit.log") as url:
        yield url


@pytest.fixture
def session(browser, app_url):
    """A fresh page on the app with every request to another host aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1300})
    s = Session(page=context.new_page(), url=app_url)

    def route(r):
        if r.request.url.startswith(app_url) or r.request.url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            s.blocked.append((r.request.resource_type, r.request.url))
            r.abort()

    context.route("**/*", route)
    s.page.on("pageerror", lambda e: s.page_errors.append(str(e)))

    def on_ws(ws):
        ws.on("framereceived", lambda payload: s.received.append(len(payload)))
        ws.on("framesent", lambda payload: s.sent.append(len(payload)))

    s.page.on("websocket", on_ws)
    yield s
    context.close()


def wait_until_quiet(page) -> None:
    """Wait for the script run and, on a page with a map, for the map to load and for the rerun
    its first value may trigger, so that nothing re-renders the page under the next action."""
    wait_for_script(page)
    if page.query_selector(MAP_FRAME) is not None:
        frame = page.query_selector(MAP_FRAME).content_frame()
        frame.wait_for_function("() => document.body.getAttribute('data-cohesie-loaded') === '1'",
                                timeout=60_000)
        wait_for_script(page)


def log_in(page, username: str, password: str) -> None:
    """Log in through the sidebar form and wait until the app says so (with what the sidebar
    shows instead when it does not)."""
    wait_until_quiet(page)
    page.locator("summary").filter(has_text="Aanmelden om te bewerken").click()
    name, secret = page.get_by_label("Gebruikersnaam"), page.get_by_label("Wachtwoord")
    name.fill(username)
    secret.fill(password)
    assert name.input_value() == username and secret.input_value() == password
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    try:
        page.get_by_text("Aangemeld als").wait_for(timeout=60_000)
    except Exception as err:  # say what the user saw instead of only "timeout"
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        raise AssertionError(f"aanmelden als {username} lukte niet; de zijbalk toont: {sidebar!r}") from err
    wait_for_script(page)


def click_map_centre(page) -> None:
    """Click the middle of the folium map once its shapes have loaded."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => document.body.getAttribute('data-cohesie-loaded') === '1'", timeout=60_000)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)


def propose_bench_at_centre(page, url: str, name: str) -> None:
    """As editor eva: open Plaatsing, click the map's centre and save a bench proposal."""
    page.goto(url + "/plaatsing")
    wait_for_script(page)
    log_in(page, "eva", "geheim-123")
    click_map_centre(page)
    page.get_by_text("Dichtstbijzijnde gevelbank").wait_for(timeout=60_000)
    wait_for_script(page)
    page.get_by_label("Naam of adres").fill(name)
    page.get_by_role("button", name="Bewaar als voorstel").click()
    page.get_by_text("Klik op de kaart om een plek te testen.").wait_for(timeout=60_000)
    wait_for_script(page)
