"""A private PostGIS schema per test, or a clear skip when no test database is configured.

``bash .ci/run`` creates a database with the PostGIS extension and exports
``COHESIE_TEST_DB_URL``. Without that variable the PostGIS tests are skipped with that reason;
with it set but the database unreachable they fail, because then something is broken.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

ENV = "COHESIE_TEST_DB_URL"


def base_url() -> str:
    url = os.environ.get(ENV, "").strip()
    if not url:
        pytest.skip(f"PostGIS-tests overgeslagen: ${ENV} is niet gezet (geen PostgreSQL met "
                    "PostGIS geconfigureerd; 'bash .ci/run' installeert en zet het).")
    return url


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
