"""``python -m cohesie db upgrade|backup|restore`` on the embedded backend (no PostgreSQL
needed): schema revisions by Alembic, online backup, a restore that checks its file first."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from cohesie.__main__ import run
from cohesie.storage import open_store, schema

# the embedded schema as it was before migrations existed (no alembic_version table)
PRE_ALEMBIC = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sectors (code TEXT PRIMARY KEY, naam TEXT, deelgemeente TEXT,
    deelgemeente_naam TEXT, nis TEXT NOT NULL, gemeente_naam TEXT, geom BLOB NOT NULL);
CREATE TABLE points (layer TEXT NOT NULL, id TEXT NOT NULL, naam TEXT, type TEXT, status TEXT,
    datum TEXT, adres TEXT, bron TEXT, contactrol TEXT, doelgroep TEXT, einddatum TEXT,
    omschrijving TEXT, opmerking TEXT, partners TEXT, plein TEXT, wijk_ref TEXT, x REAL, y REAL,
    sector TEXT, wijk_code TEXT, version INTEGER NOT NULL DEFAULT 1, updated_at TEXT,
    PRIMARY KEY (layer, id));
INSERT INTO meta VALUES ('data_version', '7'), ('nis', '11111');
INSERT INTO points(layer, id, naam) VALUES ('meubilair', 'm1', 'oude bank');
"""


def test_head_revision_matches_the_migration_scripts():
    assert schema.script_head() == schema.HEAD


def test_upgrade_of_a_data_dir_made_before_migrations(tmp_path, capsys):
    con = sqlite3.connect(tmp_path / "cohesie.sqlite")
    con.executescript(PRE_ALEMBIC)
    con.close()
    store = open_store(tmp_path)
    assert store.revision() is None
    assert run(["--data-dir", str(tmp_path), "db", "upgrade"]) == 0
    assert f"van versie geen naar {schema.HEAD}" in capsys.readouterr().out
    assert store.revision() == schema.HEAD
    con = sqlite3.connect(tmp_path / "cohesie.sqlite")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    assert {"users", "audit", "acties", "points_layer_datum", "context_values",
            "context_meta"} <= tables  # created by 0001/0002/0003
    assert store.get_point("meubilair", "m1")["naam"] == "oude bank"  # data kept
    assert store.data_version() == 7
    assert run(["--data-dir", str(tmp_path), "db", "upgrade"]) == 0
    assert f"al bij (versie {schema.HEAD})" in capsys.readouterr().out


def test_a_new_data_dir_is_created_by_the_migrations(tmp_path):
    store = open_store(tmp_path / "nieuw")
    with store.transaction() as con:
        con.set_meta(nis="11111")
    assert store.revision() == schema.HEAD


def test_backup_and_restore(tmp_path, capsys):
    data = tmp_path / "data"
    store = open_store(data)
    rec = pd.DataFrame({"layer": ["meubilair"], "id": ["m1"], "naam": ["bank"], "x": [1.0], "y": [2.0]})
    with store.transaction() as con:
        con.upsert_points(rec)
    backup = tmp_path / "backup.sqlite"
    assert run(["--data-dir", str(data), "db", "backup", str(backup)]) == 0
    assert "Backup van" in capsys.readouterr().out
    with store.transaction() as con:
        con.upsert_points(rec.assign(id="m2"))
        con.upsert_points(rec.assign(naam="gewijzigd"))
    version_before = store.data_version()
    assert len(store.read_points()) == 2

    assert run(["--data-dir", str(data), "db", "restore", str(backup)]) == 0
    assert "teruggezet" in capsys.readouterr().out
    points = store.read_points()
    assert points[["id", "naam"]].values.tolist() == [["m1", "bank"]]
    assert store.data_version() > version_before  # running apps reload on their next rerun


@pytest.mark.parametrize("content, reason", [
    (b"geen databank\n", "geen SQLite-databank"),
    (None, "niet gevonden"),
])
def test_restore_refuses_a_bad_file_and_changes_nothing(tmp_path, capsys, content, reason):
    data = tmp_path / "data"
    store = open_store(data)
    with store.transaction() as con:
        con.set_meta(nis="11111")
    before = (data / "cohesie.sqlite").read_bytes()
    bad = tmp_path / "slecht.sqlite"
    if content is not None:
        bad.write_bytes(content)
    assert run(["--data-dir", str(data), "db", "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout:") and reason in err and "niets teruggezet" in err
    assert (data / "cohesie.sqlite").read_bytes() == before


def test_restore_refuses_an_sqlite_file_of_another_program(tmp_path, capsys):
    other = tmp_path / "ander.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE boeken (titel TEXT)")
    con.close()
    assert run(["--data-dir", str(tmp_path / "d"), "db", "restore", str(other)]) == 2
    assert "meta, points, sectors ontbreken" in capsys.readouterr().err


def test_backup_never_overwrites(tmp_path, capsys):
    store = open_store(tmp_path / "data")
    with store.transaction() as con:
        con.set_meta(nis="11111")
    target = tmp_path / "bestaat.sqlite"
    target.write_text("iets")
    assert run(["--data-dir", str(tmp_path / "data"), "db", "backup", str(target)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert target.read_text() == "iets"
