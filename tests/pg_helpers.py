"""A private PostGIS schema per test, or a clear skip when no test database is configured.

``bash .ci/run`` creates a database with the PostGIS extension and exports
``COHESIE_TEST_DB_URL``. Without that variable the PostGIS tests are skipped with that reason;
with it set but the database unreachable they fail, because then something is broken.

Under pytest-xdist (``bash test.sh`` runs with ``-n``) each worker gets a database of its own,
``<database>_<worker>`` (e.g. ``cohesie_test_gw0``), copied from ``$COHESIE_TEST_DB_URL``'s database
as template on the worker's first PostGIS test (so it has PostGIS without a superuser) and dropped
when the worker ends. Tests that act on the whole database (``pg_terminate_backend`` of every other
connection, as a server restart does) then touch only their own worker's connections.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

ENV = "COHESIE_TEST_DB_URL"


def configured_url() -> str:
    """``$COHESIE_TEST_DB_URL`` itself, or skip when it is not set."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        pytest.skip(f"PostGIS-tests overgeslagen: ${ENV} is niet gezet (geen PostgreSQL met "
                    "PostGIS geconfigureerd; 'bash .ci/run' installeert en zet het).")
    return url


_worker_url: str | None = None


def base_url() -> str:
    """The test database of this process: ``$COHESIE_TEST_DB_URL``, or under pytest-xdist this
    worker's own copy of it (made on first use, dropped at exit)."""
    global _worker_url
    url = configured_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    if _worker_url is None:
        _worker_url = _make_worker_database(url, worker)
    return _worker_url


def _make_worker_database(url: str, worker: str) -> str:
    import atexit
    import time

    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    template = u.database
    name = f"{template}_{worker}"[:63]
    # CREATE/DROP DATABASE run from the 'postgres' maintenance database: a template must have no
    # other sessions while it is copied, so no worker keeps a connection to it.
    maintenance = u.set(database="postgres").render_as_string(hide_password=False)

    def execute(sql: str) -> None:
        with admin_connection(maintenance) as con:
            con.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # left over by a killed run
    for attempt in range(60):
        try:
            execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except psycopg.errors.ObjectInUse:  # another worker copies the template right now
            if attempt == 59:
                raise
            time.sleep(0.5)
    atexit.register(execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return u.set(database=name).render_as_string(hide_password=False)


def admin_connection(url: str):
    """A psycopg connection in autocommit to the test database itself."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.host or None, port=u.port, user=u.username,
                           password=u.password, dbname=u.database, autocommit=True)


def with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema},public')}"


class Schema:
    """A fresh schema in the test database; tables land there, PostGIS comes from public."""

    def __init__(self):
        self.base = base_url()
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        with admin_connection(self.base) as con:
            con.execute(f"CREATE SCHEMA {self.name}")
        self.url = with_search_path(self.base, self.name)

    def drop(self):
        with admin_connection(self.base) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


@pytest.fixture
def pg_url():
    schema = Schema()
    yield schema.url
    schema.drop()
