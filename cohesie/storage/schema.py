"""Schema versions of both backends, migrated with Alembic (scripts in ``cohesie/migrations``).

Every store brings its database to :data:`HEAD` before its first write in a process; the
check is one cheap query once the database is current. ``python -m cohesie db upgrade`` does
the same explicitly and says what it did. Two processes never migrate at once: on SQLite the
migration runs inside ``BEGIN IMMEDIATE`` (the database's write lock), on PostgreSQL under a
transaction-level advisory lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HEAD = "0004"  # newest revision in cohesie/migrations/versions (a test checks they agree)
_ADVISORY_LOCK = 31370_0001
_current: set[str] = set()  # databases known to be at HEAD in this process


def _alembic_config(connection):
    from alembic.config import Config

    import cohesie.migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(cohesie.migrations.__file__).parent))
    cfg.attributes["connection"] = connection
    return cfg


def script_head() -> str:
    """Head revision according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def sqlite_engine(path: Path):
    """A SQLAlchemy engine on the SQLite file whose transactions take the write lock at once."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def sqlite_revision(path: Path) -> str | None:
    """Revision of an SQLite file without loading Alembic (None before the first migration)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return row[0] if row else None


def upgrade(engine, key: str) -> tuple[str | None, str]:
    """Bring the database behind ``engine`` to HEAD.

    Returns
    -------
    (str or None, str)
        The revision before (None: no version yet) and after.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})")
        before = MigrationContext.configure(connection).get_current_revision()
        if before != HEAD:
            command.upgrade(_alembic_config(connection), "head")
    _current.add(key)
    return before, HEAD


def ensure_sqlite(path: Path) -> None:
    """Migrate the SQLite file at ``path`` (creating it) unless it is already current."""
    key = f"sqlite:{path}"
    if key in _current:
        return
    if path.exists() and sqlite_revision(path) == HEAD:
        _current.add(key)
        return
    engine = sqlite_engine(path)
    try:
        upgrade(engine, key)
    finally:
        engine.dispose()


def is_current(key: str) -> bool:
    return key in _current


def mark_current(key: str) -> None:
    _current.add(key)


def forget(key: str) -> None:
    """The database at ``key`` was replaced (restore): check its revision again."""
    _current.discard(key)
