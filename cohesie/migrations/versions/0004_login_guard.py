"""Revision 4: what the login needs to resist guessing.

``login_pogingen`` holds one row per failed login per key (``account:<naam>`` and, when the
client address is known, ``adres:<ip>``) with its time in seconds since 1970; rows older than
the counting window are removed on the next write. ``ingetrokken_sessies`` holds the id of every
session token ended by logging out, until the token would have expired anyway. Both backends get
the same two tables (``IF NOT EXISTS``, as the data directories of revision 3 pass through).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE = """
CREATE TABLE IF NOT EXISTS login_pogingen (
    sleutel TEXT NOT NULL, tijdstip REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_pogingen_sleutel ON login_pogingen (sleutel, tijdstip);
CREATE TABLE IF NOT EXISTS ingetrokken_sessies (
    token_id TEXT PRIMARY KEY, verloopt REAL NOT NULL);
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS login_pogingen (
    sleutel text NOT NULL, tijdstip double precision NOT NULL);
CREATE INDEX IF NOT EXISTS login_pogingen_sleutel ON login_pogingen (sleutel, tijdstip);
CREATE TABLE IF NOT EXISTS ingetrokken_sessies (
    token_id text PRIMARY KEY, verloopt double precision NOT NULL);
"""


def upgrade() -> None:
    script = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in script.split(";"):
        if statement.strip():
            op.execute(statement)
