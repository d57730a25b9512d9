"""Revision 2: an index for counting per layer and period, and (PostgreSQL only) the shared
secret that signs session tokens, so every app instance on one database accepts the same
logins. The embedded backend keeps that secret in its data directory, as before.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS points_layer_datum ON points (layer, datum)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TABLE IF NOT EXISTS sessiesleutel "
                   "(id integer PRIMARY KEY CHECK (id = 1), sleutel bytea NOT NULL)")
