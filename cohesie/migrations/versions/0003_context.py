"""Revision 3: context figures, the city's own numbers per area that Cohesiekaart does not count
(share of 65+, children in poverty, a deprivation index, a survey score).

``context_values`` holds one value per area level, area code and column; ``context_meta`` one
row per column: its level (``sector`` or ``wijk``), name, unit, source, year and kind (``count``:
summed over areas; ``rate``: a population-weighted mean). Both backends get the same two tables
(``IF NOT EXISTS``, as the data directories of revision 2 pass through unchanged).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE = """
CREATE TABLE IF NOT EXISTS context_values (
    niveau TEXT NOT NULL, code TEXT NOT NULL, kolom TEXT NOT NULL, waarde REAL,
    PRIMARY KEY (niveau, code, kolom));
CREATE TABLE IF NOT EXISTS context_meta (
    kolom TEXT PRIMARY KEY, niveau TEXT NOT NULL, naam TEXT NOT NULL, eenheid TEXT, bron TEXT,
    jaar TEXT, soort TEXT NOT NULL, volgorde INTEGER NOT NULL DEFAULT 0);
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS context_values (
    niveau text NOT NULL, code text NOT NULL, kolom text NOT NULL, waarde double precision,
    PRIMARY KEY (niveau, code, kolom));
CREATE TABLE IF NOT EXISTS context_meta (
    kolom text PRIMARY KEY, niveau text NOT NULL, naam text NOT NULL, eenheid text, bron text,
    jaar text, soort text NOT NULL CHECK (soort IN ('count', 'rate')),
    volgorde integer NOT NULL DEFAULT 0);
"""


def upgrade() -> None:
    script = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in script.split(";"):
        if statement.strip():
            op.execute(statement)
