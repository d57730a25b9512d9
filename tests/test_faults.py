"""Faults lose nothing: a process killed in the middle of a write, a backup taken while two
editors write, a PostGIS connection cut during a rerun, a disk that fills up during an import.

After each fault the database is consistent (``PRAGMA integrity_check``) and holds either
everything of the interrupted write or nothing of it; the user sees one Dutch message, never a
traceback; and the next attempt works. The real server (``streamlit run``) killed during a
click on the Importeren page is in ``tests/e2e/test_faults_server.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pg_helpers import admin_connection, pg_url  # noqa: F401 (fixture)
from test_concurrency import WORKER, seed

from cohesie import auth, edits, importreport, operations
from cohesie.errors import CohesieError
from cohesie.storage import Store, check_backup, open_store

REPO = Path(__file__).resolve().parent.parent
X0, Y0 = 150_000, 190_000  # lower-left corner of the three 1 km sectors of conftest.three_sectors


# -- data built in code -------------------------------------------------------------------
@pytest.fixture
def sectors_file(tmp_path, three_sectors) -> Path:
    path = tmp_path / "sectoren.gpkg"
    three_sectors.to_file(path, driver="GPKG")
    return path


def tiny_store(data_dir: Path, sectors_file: Path, url: str | None = None) -> Store:
    """Three sectors of gemeente 11111, one furniture proposal 'm1' and editor 'eva'."""
    store = open_store(data_dir, url=url)
    operations.import_sectors(store, sectors_file, nis="11111")
    operations.add_user(store, "eva", role="editor", password="geheim-12345")
    store.create_point({"layer": "meubilair", "id": "m1", "naam": "bank aan het plein",
                        "type": "gevelbank", "status": "voorstel", "datum": "2024-05-01",
                        "x": X0 + 500.0, "y": Y0 + 500.0}, user="eva")
    return store


def signal_csv(path: Path, n: int, *, prefix: str = "K", note: str = "") -> Path:
    """``n`` signals inside the three sectors, Lambert 72 x/y (hand-placed: 10 m from every edge)."""
    rng = np.random.default_rng(7)
    pd.DataFrame({"id": [f"{prefix}{i}" for i in range(n)], "categorie": "zwerfvuil", "datum": "2024-12-31",
                  "x": rng.uniform(X0 + 10, X0 + 2990, n).round(1), "y": rng.uniform(Y0 + 10, Y0 + 990, n).round(1),
                  "opmerking": note}).to_csv(path, index=False)
    return path


def snapshot(store: Store) -> dict:
    """What an interrupted write must leave unchanged: counts, the data version, integrity."""
    if store.path is not None:  # SQLite
        con = sqlite3.connect(store.path)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
            n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("points", "audit", "imports", "sectors")}
        finally:
            con.close()
    else:
        check = "ok (PostgreSQL)"
        with store._reader() as db:
            n = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("points", "audit", "imports", "sectors")}
    return {"integrity": check.split()[0], **n, "data_version": store.data_version(),
            "m1": {k: store.get_point("meubilair", "m1")[k] for k in ("status", "version")}}


def python(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_when_in_transaction(proc: subprocess.Popen, marker: str) -> None:
    """Wait until ``proc`` prints ``marker`` (it is inside its open transaction), then SIGKILL it."""
    try:
        line = proc.stdout.readline()
        assert line.startswith(marker), f"{line!r}\n{proc.stderr.read()}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL


# -- killed during an edit ----------------------------------------------------------------
# What the Plaatsing page's "Goedkeuren" button calls (edits.set_status with the signed token of
# the logged-in editor), in a process of its own; the audit row of the edit waits two minutes
# after the UPDATE has run, so the process is killed with the UPDATE in its open transaction.
EDIT_THEN_HANG = r"""
import sys, time
from cohesie import auth, edits, storage
from cohesie.storage import postgis

def hang(*args, **kwargs):
    print("IN TRANSACTIE", flush=True)
    time.sleep(120)

storage.SqliteWriter.audit = hang
postgis.PostgisWriter.audit = hang
store = storage.open_store(sys.argv[1], url=sys.argv[2] or None)
token = auth.issue_token("eva", store.secret())
current = store.get_point("meubilair", "m1")
edits.set_status(store, token, layer="meubilair", record_id="m1", status="goedgekeurd",
                 expected_version=int(current["version"]))
print("NIET GESTOPT", flush=True)
"""


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_killed_during_an_edit_leaves_the_record_as_before(backend, tmp_path, sectors_file, request):
    url = request.getfixturevalue("pg_url") if backend == "postgis" else None
    store = tiny_store(tmp_path / "data", sectors_file, url)
    before = snapshot(store)
    assert before["integrity"] == "ok" or backend == "postgis"
    assert before["m1"] == {"status": "voorstel", "version": 1}

    kill_when_in_transaction(python(EDIT_THEN_HANG, store.data_dir, url or ""), "IN TRANSACTIE")

    assert snapshot(store) == before  # the UPDATE is gone with its process; no audit row either
    # and the same edit, done again, is applied once and audited once
    token = auth.issue_token("eva", store.secret())
    after = edits.set_status(store, token, layer="meubilair", record_id="m1", status="goedgekeurd",
                             expected_version=1)
    assert (after["status"], after["version"]) == ("goedgekeurd", 2)
    now = snapshot(store)
    assert (now["audit"], now["data_version"]) == (before["audit"] + 1, before["data_version"] + 1)


# -- killed during an import as the Importeren page runs it --------------------------------
# The page keeps the upload in the data directory (Store.save_upload) and runs
# importreport.run(action="import"); here the same two calls in a process of their own, the
# write slowed down after its first chunk of 1000 rows.
IMPORT_THEN_HANG = r"""
import sys, time
from pathlib import Path
from cohesie import importreport, storage

original = storage.SqliteWriter.upsert_points

def slow(con, records, **kw):
    def after_chunk(done, total):
        print("GESCHREVEN", done, total, flush=True)
        if len(sys.argv) > 3:
            time.sleep(120)
    return original(con, records, chunk=1000, progress=after_chunk)

storage.SqliteWriter.upsert_points = slow
store = storage.open_store(sys.argv[1])
upload = Path(sys.argv[2])
path = store.save_upload(upload.name, upload.read_bytes())
report = importreport.run(store, path, action="import", original=upload.name, layer="signalen", crs=31370)
print(report.level, report.message, flush=True)
"""


def test_killed_during_a_page_import_leaves_the_data_as_before(tmp_path, sectors_file):
    store = tiny_store(tmp_path / "data", sectors_file)
    csv = signal_csv(tmp_path / "meldingen.csv", 5_000)
    before = snapshot(store)

    kill_when_in_transaction(python(IMPORT_THEN_HANG, store.data_dir, csv, "hang"), "GESCHREVEN 1000 5000")

    assert snapshot(store) == before  # 1000 rows were in the open transaction; none is stored
    # the page's next attempt with the same upload imports all rows
    proc = python(IMPORT_THEN_HANG, store.data_dir, csv)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "success meldingen.csv: alle 5.000 rijen geïmporteerd in Signalen." in out
    after = snapshot(store)
    assert (after["points"], after["imports"]) == (before["points"] + 5_000, before["imports"] + 1)
    assert after["integrity"] == "ok"


# -- a backup while two editors write -----------------------------------------------------
def backup_state(path: Path) -> dict:
    """Record 'gedeeld' in a backup: its version, its audit rows, the data version."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version, note = con.execute("SELECT version, opmerking FROM points WHERE id='gedeeld'").fetchone()
        audited = [json.loads(na)["opmerking"] for (na,) in
                   con.execute("SELECT na FROM audit WHERE record_id='gedeeld' ORDER BY id")]
        data_version = int(con.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0])
    finally:
        con.close()
    return {"version": version, "opmerking": note, "audited": audited, "data_version": data_version}


def assert_consistent(state: dict, start: dict) -> None:
    """Each applied edit raised the version once, wrote one audit row and bumped the data version
    in one transaction: a backup that caught half an edit breaks one of these equalities."""
    edits_in = state["version"] - start["version"]
    assert len(state["audited"]) == edits_in
    assert state["data_version"] - start["data_version"] == edits_in
    if edits_in:
        assert state["opmerking"] == state["audited"][-1]


def test_backup_while_two_editors_write_restores_a_consistent_state(tmp_path):
    data = tmp_path / "data"
    store = open_store(data)
    seed(store)
    start = {"version": store.get_point("meubilair", "gedeeld")["version"], "data_version": store.data_version()}
    editors = [python(WORKER, data, "", name, 250) for name in ("ada", "bob")]
    cli_target = tmp_path / "backup_cli.sqlite"
    cli, backups = None, []
    try:
        while all(p.poll() is None for p in editors) and len(backups) < 12:
            if store.get_point("meubilair", "gedeeld")["version"] == start["version"]:
                time.sleep(0.02)  # the editors are still starting
                continue
            if cli is None:  # one as a user makes it, the others in this process (faster)
                cli = subprocess.Popen([sys.executable, "-m", "cohesie", "--data-dir", str(data), "db", "backup",
                                        str(cli_target)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
            target = tmp_path / f"backup{len(backups)}.sqlite"
            store.backup(target)
            backups.append((target, all(p.poll() is None for p in editors)))
            time.sleep(0.05)
    finally:
        outputs = [p.communicate(timeout=600) for p in editors]
        if cli is not None:
            cli_out, cli_err = cli.communicate(timeout=120)
    assert cli is not None, "de editors waren klaar voor er een backup gemaakt werd"
    assert cli.returncode == 0 and "Backup van" in cli_out, cli_err
    for p, (_, err) in zip(editors, outputs):
        assert p.returncode == 0, err
    final = backup_state(data / "cohesie.sqlite")
    assert_consistent(final, start)

    taken_during = [path for path, running in backups if running]
    assert taken_during, "geen backup gemaakt terwijl beide editors schreven"
    taken_during.append(cli_target)  # the command line's: whenever it ran, it must be whole too
    states = []
    for path in taken_during:
        assert check_backup(path) == []  # integrity_check ok, the tables of Cohesiekaart
        state = backup_state(path)
        assert_consistent(state, start)
        states.append(state)
    middle = [s for s in states if start["version"] < s["version"] < final["version"]]
    assert middle, "geen backup viel midden in het schrijven"  # the test tested something

    chosen = max(middle, key=lambda s: s["version"])
    path = taken_during[states.index(chosen)]
    res = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data), "db", "restore", str(path)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    restored = backup_state(data / "cohesie.sqlite")
    assert {k: restored[k] for k in ("version", "opmerking", "audited")} == \
        {k: chosen[k] for k in ("version", "opmerking", "audited")}
    assert restored["data_version"] > final["data_version"]  # running apps reload on their next rerun
    assert check_backup(data / "cohesie.sqlite") == []
    # and editing goes on from the restored version
    after = store.update_point("meubilair", "gedeeld", {"opmerking": "na herstel"}, user="ada",
                               expected_version=chosen["version"])
    assert after["version"] == chosen["version"] + 1


def test_postgis_backup_and_restore_point_to_the_postgresql_tools(tmp_path, pg_url, capsys):  # noqa: F811
    from cohesie.__main__ import run

    assert run(["--db-url", pg_url, "db", "backup", str(tmp_path / "b.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: 'db backup' is er voor het ingebouwde SQLite-bestand") and "pg_dump -Fc" in err
    assert not (tmp_path / "b.sqlite").exists()
    assert run(["--db-url", pg_url, "db", "restore", str(tmp_path / "b.sqlite")]) == 2
    assert "pg_restore" in capsys.readouterr().err


# -- the PostGIS connection cut during a rerun ---------------------------------------------
def terminate_app_connections(url: str) -> int:
    """What a database restart or a network cut does to the app: end every other backend."""
    from sqlalchemy.engine import make_url

    with admin_connection(url) as con:
        rows = con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                           "AND pid <> pg_backend_pid()", (make_url(url).database,)).fetchall()
    return len(rows)


def test_postgis_connection_cut_during_a_rerun_gives_a_message_and_the_next_rerun_works(
        tmp_path, sectors_file, pg_url, monkeypatch):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    from cohesie.storage import postgis

    store = tiny_store(tmp_path / "data", sectors_file, pg_url)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(store.data_dir))
    monkeypatch.setenv("COHESIE_DB_URL", pg_url)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert any("Proefstad" in c.value for c in at.caption)

    # between two reruns: the app keeps no connection open (NullPool), the next rerun connects anew
    terminate_app_connections(pg_url)
    at.run()
    assert not at.exception and not at.error

    # during a rerun: another user's edit makes this rerun reload everything; the connection
    # of that load is cut after it opened, before its first query
    store.create_point({"layer": "meubilair", "id": "m2", "naam": "tweede bank", "type": "gevelbank",
                        "status": "voorstel", "x": X0 + 1500.0, "y": Y0 + 500.0}, user="eva")
    original = postgis.PostgisStore._connection
    opened = []

    def cut_the_second(self):
        @__import__("contextlib").contextmanager
        def wrapper():
            with original(self) as connection:
                opened.append(connection.info.backend_pid)
                if len(opened) == 2:  # the first answers data_version, the second is the load
                    assert terminate_app_connections(pg_url) >= 1
                yield connection
        return wrapper()

    monkeypatch.setattr(postgis.PostgisStore, "_connection", cut_the_second)
    at.run()
    assert len(opened) >= 2
    assert not at.exception, [e.value for e in at.exception]
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and "De verbinding met de database op PostgreSQL" in messages[0], messages
    assert "onderbroken" in messages[0] and "Probeer opnieuw" in messages[0]
    assert "Traceback" not in messages[0] and "Onverwachte" not in messages[0]

    # the next rerun (the database is back) works and shows the new data version
    monkeypatch.setattr(postgis.PostgisStore, "_connection", original)
    at.run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert any(f"gegevensversie {store.data_version()}" in c.value for c in at.caption)


def test_postgis_connection_cut_inside_a_write_stores_nothing(tmp_path, sectors_file, pg_url):  # noqa: F811
    """The connection of an edit cut after its UPDATE: a Dutch error, the record as before."""
    from cohesie.storage import postgis

    store = tiny_store(tmp_path / "data", sectors_file, pg_url)
    before = snapshot(store)
    original = postgis.PostgisWriter.audit

    def cut(self, **kwargs):
        terminate_app_connections(pg_url)
        return original(self, **kwargs)

    postgis.PostgisWriter.audit = cut
    try:
        with pytest.raises(CohesieError, match="De verbinding met de database .* is onderbroken"):
            store.update_point("meubilair", "m1", {"status": "goedgekeurd"}, user="eva", expected_version=1)
    finally:
        postgis.PostgisWriter.audit = original
    assert snapshot(store) == before
    assert store.update_point("meubilair", "m1", {"status": "goedgekeurd"}, user="eva",
                              expected_version=1)["version"] == 2


# -- a full disk during an import ---------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (unmounted afterwards); skipped when this user may not mount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("een kleine schijf (tmpfs) aankoppelen vraagt root; deze test draait als gewone gebruiker")
    mnt = tmp_path / f"klein_{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"tmpfs aankoppelen mag hier niet: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_during_a_command_line_import_is_refused_and_changes_nothing(small_disk, tmp_path, sectors_file):
    store = tiny_store(small_disk / "data", sectors_file)
    before = snapshot(store)
    big = signal_csv(tmp_path / "groot.csv", 25_000, note="een opmerking die elke rij wat groter maakt")
    assert big.stat().st_size > shutil.disk_usage(small_disk).total  # larger than the whole disk

    res = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(store.data_dir), "import-points",
                          str(big), "--layer", "signalen", "--crs", "31370"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith(f"Fout: De schijf is vol: de wijziging past niet meer in {store.data_dir} "
                                 f"(schijf {small_disk}).")
    assert "Er is niets bewaard" in res.stderr and "Maak ruimte vrij" in res.stderr
    assert "Traceback" not in res.stderr and "Onverwachte" not in res.stderr
    assert snapshot(store) == before  # integrity ok, no row, no import logged, same data version
    # the refused import leaves no space taken: a small import fits and works
    small = signal_csv(tmp_path / "klein.csv", 50, prefix="S")
    res = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(store.data_dir), "import-points",
                          str(small), "--layer", "signalen", "--crs", "31370"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert snapshot(store)["points"] == before["points"] + 50


def test_disk_full_on_the_import_page_gives_a_report_and_changes_nothing(small_disk, tmp_path, sectors_file):
    """The Importeren page's two calls: keep the upload (too big for the disk: refused, no
    partial file left), and import an upload that fits but whose rows do not."""
    store = tiny_store(small_disk / "data", sectors_file)
    before = snapshot(store)
    big = signal_csv(tmp_path / "groot.csv", 25_000, note="een opmerking die elke rij wat groter maakt")
    with pytest.raises(CohesieError, match=r"De schijf is vol: het bestand groot\.csv past niet meer in"):
        store.save_upload("groot.csv", big.read_bytes())
    assert not any((store.data_dir / "uploads").rglob("*"))  # no half-written upload

    fits = signal_csv(tmp_path / "past.csv", 9_000, note="een opmerking die elke rij wat groter maakt")
    path = store.save_upload("past.csv", fits.read_bytes())
    report = importreport.run(store, path, action="import", original="past.csv", layer="signalen", crs=31370)
    assert report.level == "error"
    # the page shows no server path: "past niet meer in de gegevensmap (schijf klein_…)"
    assert report.message.startswith(f"De schijf is vol: de wijziging past niet meer in de gegevensmap "
                                     f"(schijf {small_disk.name}). Er is niets bewaard"), report.message
    assert snapshot(store) == before


def test_restore_of_a_backup_larger_than_the_free_space_changes_nothing(small_disk, tmp_path, sectors_file):
    store = tiny_store(small_disk / "data", sectors_file)
    before = snapshot(store)
    big = tiny_store(tmp_path / "groot", sectors_file)
    operations.import_points(big, signal_csv(tmp_path / "groot.csv", 12_000, note="een opmerking die elke rij "
                                             "wat groter maakt"), layer="signalen", crs=31370)
    backup = big.backup(tmp_path / "groot.sqlite")
    assert backup.stat().st_size > shutil.disk_usage(small_disk).free

    res = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(store.data_dir), "db", "restore",
                          str(backup)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("Fout: De schijf is vol: de teruggezette databank past niet meer in")
    assert snapshot(store) == before
