"""The real server killed with SIGKILL in the middle of a write that a browser click started,
and its PostGIS connection cut in the middle of a rerun.

``streamlit run dashboard.py`` is started by a small wrapper that slows one write down inside its
open transaction (the import after its first chunk of 1000 rows; the bench proposal just before
its audit row) and leaves a marker file there; the test then kills the whole server process with
SIGKILL, as a power cut or the OOM killer would. Afterwards the database passes
``PRAGMA integrity_check`` and holds exactly what it held before the click; a fresh server on the
same data directory does the same click to the end.

On PostGIS the wrapper holds one connection of a rerun open for five seconds while the test ends
it from outside (``pg_terminate_backend``): the page shows one Dutch message and the next click
works.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from cohesie import operations
from cohesie.storage import LOGIN_ACTIONS, open_store

from test_faults import small_disk  # noqa: F401 (fixture)

from .conftest import REPO, free_port, log_in, running_app, stop, wait_for_script, wait_healthy

X0, Y0 = 150_000, 190_000
ROWS = 4_000

WRAPPER = r"""
import os, sys, time
from pathlib import Path
from cohesie import storage

marker = Path(os.environ["COHESIE_FAULT_MARKER"])


def mark(text):
    # whole or not at all: the test reads the marker as soon as it exists, and on a busy machine
    # (several pytest-xdist workers) it can look between write_text's create and its write
    part = marker.with_name(marker.name + ".deel")
    part.write_text(text)
    os.replace(part, marker)
if os.environ["COHESIE_FAULT"] == "import":
    original = storage.SqliteWriter.upsert_points

    def slow(con, records, **kw):
        def after_chunk(done, total):
            mark(f"{done} van {total} rijen in de open transactie")
            time.sleep(300)
        return original(con, records, chunk=1000, progress=after_chunk)

    storage.SqliteWriter.upsert_points = slow
elif os.environ["COHESIE_FAULT"] == "edit":
    original_audit = storage.SqliteWriter.audit

    def hang(self, *args, **kwargs):
        if kwargs.get("action") in storage.LOGIN_ACTIONS:  # logging in is audited too: not the edit
            return original_audit(self, *args, **kwargs)
        mark("record geschreven, audit nog niet")
        time.sleep(300)

    storage.SqliteWriter.audit = hang
else:  # "cut": when asked (a file <marker>.vraag), hold the next connection open 5 s after opening it
    import contextlib
    from cohesie.storage import postgis

    opened = postgis.PostgisStore._connection
    ask = Path(str(marker) + ".vraag")

    @contextlib.contextmanager
    def held(self):
        with opened(self) as connection:
            if ask.exists():
                ask.unlink()
                mark(str(connection.info.backend_pid))
                time.sleep(5)  # the test ends this backend meanwhile, as a database restart would
            yield connection

    postgis.PostgisStore._connection = held

from streamlit.web import cli
sys.argv = ["streamlit", "run", sys.argv[1], "--server.port", sys.argv[2], "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
sys.exit(cli.main())
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Three 1 km sectors of gemeente 11111 with editor 'eva' and one bench."""
    folder = tmp_path_factory.mktemp("faults_template")
    sectors = folder / "sectoren.gpkg"
    import geopandas as gpd

    gpd.GeoDataFrame({"cd_sector": ["11111A00-", "11111A01-", "11111B00-"],
                      "tx_sector_descr_nl": ["Noord", "Midden", "Zuid"],
                      "cd_sub_munty": ["11111A", "11111A", "11111B"], "tx_sub_munty_nl": ["Stad", "Stad", "Dorp"],
                      "cd_munty_refnis": ["11111"] * 3, "tx_munty_descr_nl": ["Proefstad"] * 3},
                     geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)],
                     crs=31370).to_file(sectors, driver="GPKG")
    data = folder / "data"
    store = open_store(data)
    operations.import_sectors(store, sectors, nis="11111")
    operations.add_user(store, "eva", role="editor", password="geheim-12345")
    store.create_point({"layer": "meubilair", "id": "m1", "naam": "bank aan het plein", "type": "gevelbank",
                        "status": "geplaatst", "datum": "2024-05-01", "x": X0 + 500.0, "y": Y0 + 500.0}, user="eva")
    rng = np.random.default_rng(3)
    pd.DataFrame({"id": [f"K{i}" for i in range(ROWS)], "categorie": "zwerfvuil", "datum": "2024-12-31",
                  "x": rng.uniform(X0 + 10, X0 + 2990, ROWS).round(1),
                  "y": rng.uniform(Y0 + 10, Y0 + 990, ROWS).round(1)}).to_csv(folder / "meldingen.csv", index=False)
    return folder


@pytest.fixture
def data(template, tmp_path) -> Path:
    return Path(shutil.copytree(template / "data", tmp_path / "data"))


def snapshot(data_dir: Path) -> dict:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        # the audit rows of edits and imports; logging in is audited too and is no change of data
        edits = "SELECT count(*) FROM audit WHERE actie NOT IN (%s)" % ",".join("?" * len(LOGIN_ACTIONS))
        return {"integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
                **{t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("points", "imports")},
                "audit": con.execute(edits, LOGIN_ACTIONS).fetchone()[0],
                "data_version": con.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0]}
    finally:
        con.close()


def start_faulty_server(fault: str, data_dir: Path, marker: Path, log: Path, *, db_url: str | None = None
                        ) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "COHESIE_DATA_DIR": str(data_dir),
           "COHESIE_FAULT": fault, "COHESIE_FAULT_MARKER": str(marker)}
    env.pop("COHESIE_DB_URL", None)
    if db_url:
        env["COHESIE_DB_URL"] = db_url
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, str(REPO / "dashboard.py"), str(port)], cwd=REPO,
                            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(proc, url, log)
    return proc, url


def kill_at_marker(proc: subprocess.Popen, marker: Path, log: Path, page) -> str:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"de schrijfopdracht begon niet; zie {log}"
        page.wait_for_timeout(100)  # not time.sleep: the page's requests go through our route
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return marker.read_text()


def new_page(browser, url):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) or
                  r.request.url.startswith(("data:", "blob:", "about:")) else r.abort())
    return context, page


def open_app(page, url: str, path: str) -> None:
    page.goto(url + "/")  # the first visit runs dashboard.py (st.navigation), as for users
    wait_for_script(page)
    page.goto(url + path)
    wait_for_script(page)


def click_import(page, url: str, csv: Path) -> None:
    """As editor eva on the Importeren page: upload the file, check the layer, click Importeren."""
    open_app(page, url, "/importeren")
    log_in(page, "eva", "geheim-12345")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
    wait_for_script(page)
    layer = page.get_by_role("combobox", name="Laag")
    layer.wait_for(timeout=60_000)
    assert layer.get_attribute("placeholder") == "geraden: Signalen"  # from the categorie column
    page.get_by_role("button", name="Importeren", exact=True).click()


def test_server_killed_during_an_import_from_the_page(browser, data, template, tmp_path):
    before = snapshot(data)
    marker, log = tmp_path / "in_transactie", tmp_path / "server.log"
    proc, url = start_faulty_server("import", data, marker, log)
    context, page = new_page(browser, url)
    try:
        click_import(page, url, template / "meldingen.csv")
        assert kill_at_marker(proc, marker, log, page) == f"1000 van {ROWS} rijen in de open transactie"
    finally:
        context.close()
        if proc.poll() is None:
            stop(proc)
    assert snapshot(data) == before  # integrity ok; no row, no import logged, same data version

    # a fresh server on the same data directory: the same click imports every row
    with running_app(browser, data, tmp_path / "server2.log") as url:
        context, page = new_page(browser, url)
        try:
            click_import(page, url, template / "meldingen.csv")
            page.get_by_text(f"meldingen.csv: alle {ROWS:,} rijen geïmporteerd in Signalen".replace(",", "."),
                             exact=False).wait_for(timeout=120_000)
            wait_for_script(page)
            page.screenshot(path=str(tmp_path / "import_na_herstart.png"), full_page=True)
            assert not page.locator('[data-testid="stException"]').count()
        finally:
            context.close()
    after = snapshot(data)
    assert (after["points"], after["imports"], after["integrity"]) == (before["points"] + ROWS,
                                                                        before["imports"] + 1, "ok")


def propose_bench(page, url: str, name: str) -> None:
    """As editor eva on Plaatsing: click the map's centre, name the spot, save it as a proposal."""
    from .conftest import click_map_centre

    open_app(page, url, "/plaatsing")
    log_in(page, "eva", "geheim-12345")
    click_map_centre(page)
    page.get_by_label("Naam of adres").wait_for(timeout=60_000)
    wait_for_script(page)
    page.get_by_label("Naam of adres").fill(name)
    page.get_by_role("button", name="Bewaar als voorstel").click()


def named(data_dir: Path, name: str) -> int:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return con.execute("SELECT count(*) FROM points WHERE naam=?", (name,)).fetchone()[0]
    finally:
        con.close()


def test_server_killed_during_an_edit_on_plaatsing(browser, data, tmp_path):
    before = snapshot(data)
    marker, log = tmp_path / "in_transactie", tmp_path / "server.log"
    proc, url = start_faulty_server("edit", data, marker, log)
    context, page = new_page(browser, url)
    try:
        propose_bench(page, url, "Bank bij de school")
        assert kill_at_marker(proc, marker, log, page) == "record geschreven, audit nog niet"
    finally:
        context.close()
        if proc.poll() is None:
            stop(proc)
    assert snapshot(data) == before and named(data, "Bank bij de school") == 0

    with running_app(browser, data, tmp_path / "server2.log") as url:
        context, page = new_page(browser, url)
        try:
            propose_bench(page, url, "Bank bij de school")
            page.get_by_text("Klik op de kaart om een plek te testen.").wait_for(timeout=60_000)
            wait_for_script(page)
            page.screenshot(path=str(tmp_path / "voorstel_na_herstart.png"), full_page=True)
        finally:
            context.close()
    after = snapshot(data)
    assert named(data, "Bank bij de school") == 1
    assert (after["points"], after["audit"], after["integrity"]) == (before["points"] + 1, before["audit"] + 1, "ok")


# -- the PostGIS connection cut while the served app uses it --------------------------------
def test_postgis_connection_cut_in_the_served_app(browser, template, tmp_path):
    """The app's database connection is ended from outside (``pg_terminate_backend``, as a
    database restart does) while a rerun holds it: the page says so in Dutch, no traceback; the
    next click works."""
    from pg_helpers import Schema
    from test_faults import terminate_app_connections

    schema = Schema()
    try:
        store = open_store(tmp_path / "bestanden", url=schema.url)
        operations.import_sectors(store, template / "sectoren.gpkg", nis="11111")
        marker, log = tmp_path / "verbinding", tmp_path / "server.log"
        proc, url = start_faulty_server("cut", store.data_dir, marker, log, db_url=schema.url)
        context, page = new_page(browser, url)
        try:
            open_app(page, url, "/indicatoren")
            page.get_by_text("Gemeente Proefstad (NIS 11111)").wait_for(timeout=60_000)
            Path(str(marker) + ".vraag").touch()
            page.reload()
            deadline = time.monotonic() + 60
            while not marker.exists():
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text()[-3000:]
                page.wait_for_timeout(100)  # not time.sleep: the page's requests go through our route
            assert terminate_app_connections(schema.url) >= 1
            alert = page.locator('[data-testid="stAlert"]').filter(has_text="De verbinding met de database op")
            alert.wait_for(timeout=60_000)
            wait_for_script(page)
            page.screenshot(path=str(tmp_path / "verbinding_onderbroken.png"), full_page=True)
            text = alert.inner_text()
            assert "is onderbroken. Er is niets half bewaard. Probeer opnieuw" in text
            assert not page.locator('[data-testid="stException"]').count()
            assert "Traceback" not in page.content() and "Onverwachte" not in page.content()
            # the next rerun of the same session (a click on a page link) works again
            page.get_by_role("link", name="Wijkfiche").click()
            page.get_by_text("Gemeente Proefstad (NIS 11111)").wait_for(timeout=60_000)
            wait_for_script(page)
            assert not page.locator('[data-testid="stAlert"]').filter(has_text="verbinding").count()
            assert not page.locator('[data-testid="stException"]').count()
            page.screenshot(path=str(tmp_path / "verbinding_hersteld.png"), full_page=True)
        finally:
            context.close()
            stop(proc)
    finally:
        schema.drop()


# -- an upload larger than the free space of the data directory's disk ----------------------
def test_upload_larger_than_the_disk_is_refused_on_the_page(browser, template, small_disk, tmp_path):
    """The data directory on a 2 MB tmpfs; a 3 MB upload on Importeren: one Dutch message
    naming no server path, no traceback, no half-written file, the database as before."""
    data = Path(shutil.copytree(template / "data", small_disk / "data"))
    before = snapshot(data)
    big = tmp_path / "groot.csv"
    rng = np.random.default_rng(5)
    n = 30_000
    pd.DataFrame({"id": [f"G{i}" for i in range(n)], "categorie": "zwerfvuil", "datum": "2024-12-31",
                  "x": rng.uniform(X0 + 10, X0 + 2990, n).round(1), "y": rng.uniform(Y0 + 10, Y0 + 990, n).round(1),
                  "opmerking": "een opmerking die elke rij wat groter maakt"}).to_csv(big, index=False)
    assert big.stat().st_size > shutil.disk_usage(small_disk).total
    with running_app(browser, data, tmp_path / "server.log") as url:
        context, page = new_page(browser, url)
        try:
            open_app(page, url, "/importeren")
            log_in(page, "eva", "geheim-12345")
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
            alert = page.locator('[data-testid="stAlert"]').filter(has_text="De schijf is vol")
            alert.wait_for(timeout=60_000)
            wait_for_script(page)
            page.screenshot(path=str(tmp_path / "schijf_vol.png"), full_page=True)
            assert alert.inner_text().startswith(
                f"De schijf is vol: het bestand groot.csv past niet meer in de gegevensmap (schijf {small_disk.name}).")
            assert str(small_disk) not in page.content()  # no server path on the page
            assert not page.locator('[data-testid="stException"]').count()
        finally:
            context.close()
    assert not [p for p in (data / "uploads").rglob("*") if p.is_file()]
    assert snapshot(data) == before
