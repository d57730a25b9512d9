"""The shared backend: PostgreSQL with PostGIS, same interface as the embedded :class:`Store`.

Tables carry the same plain names as in SQLite (``sectors``, ``points``, ``wijkindeling``,
``population``, ``acties``, ``imports``, ``users``, ``audit``, ``meta``) so a GIS colleague
can open ``sectors.geom`` (MultiPolygon) and ``points.geom`` (Point, generated from x/y) in
QGIS, both EPSG:31370 with GiST indexes. The point→sector join and the grouped counts
(:meth:`PostgisStore.grouped_counts`) run as SQL here; rejects, uploads and display files still
go to the data directory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import settings
from cohesie.errors import CohesieError
from cohesie.storage import (
    CONTEXT_META_COLUMNS,
    CONTEXT_META_QUERY,
    CONTEXT_VALUES_QUERY,
    GROUPED_COLUMNS,
    POINT_COLUMNS,
    POINT_SUMMARY_QUERY,
    POSTGIS_DIALECT,
    POINT_LOCATIONS_QUERY,
    POPULATION_SECTORS_QUERY,
    SECTOR_COLUMNS,
    WIJKINDELING_QUERY,
    ConflictError,
    CountSelection,
    Store,
    StoredTables,
    _context_values,
    _grouped_frame,
    _grouped_sql,
    _sector_frame,
    _summary_frame,
    empty_tables,
    context_meta_rows,
    context_value_rows,
    import_log_row,
    _iso_dates,
    _NOT_LOGIN,
    schema,
)

DATE_COLUMNS = ("datum", "einddatum")
READ_COLUMNS = (*POINT_COLUMNS, "version", "updated_at")
# sector → wijk as areas.attach_wijken does it: the city's table, else the first 7 characters
SECTOR_WIJK = """
    SELECT s.code, s.deelgemeente, s.nis, COALESCE(w.wijk_code, left(s.code, 7)) AS wijk_code,
           COALESCE(w.wijk_naam, 'Wijk ' || substr(s.code, 6, 2) || ' ('
                    || COALESCE(s.deelgemeente_naam, '') || ')') AS wijk_naam
    FROM sectors s LEFT JOIN wijkindeling w ON w.sector = s.code"""


def _hint(url) -> str:
    return (f"Controleer dat PostgreSQL draait op {url.host or 'localhost'}:{url.port or 5432} en "
            f"dat database '{url.database}' bestaat, of pas --db-url / COHESIE_DB_URL aan "
            "(vorm: postgresql+psycopg://gebruiker@host:5432/database).")


def _engine(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    from sqlalchemy.pool import NullPool

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CohesieError(f"De database-URL '{url}' is onleesbaar. Schrijf bv. "
                           "postgresql+psycopg://gebruiker@localhost:5432/cohesie.") from None
    if parsed.drivername not in ("postgresql+psycopg", "postgresql"):
        raise CohesieError(f"Databasetype '{parsed.drivername}' wordt niet ondersteund. Gebruik "
                           "postgresql+psycopg://gebruiker@host:5432/database, of laat "
                           "COHESIE_DB_URL leeg voor het ingebouwde SQLite-bestand.")
    parsed = parsed.set(drivername="postgresql+psycopg")
    # a connection per use: cheap on a LAN, and nothing stays open in idle Streamlit sessions
    return create_engine(parsed, poolclass=NullPool), parsed


class PostgisWriter:
    """What :meth:`PostgisStore.transaction` yields: the open psycopg connection plus the
    write methods of one transaction (:class:`~cohesie.storage.SqliteWriter` for SQLite)."""

    def __init__(self, connection):
        self.connection = connection

    # -- helpers --------------------------------------------------------------------
    def execute(self, sql: str, params=None):
        cur = self.connection.cursor()
        cur.execute(sql, params)
        return cur

    def frame(self, sql: str, params=None) -> pd.DataFrame:
        cur = self.execute(sql, params)
        return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])

    read_frame = frame

    def point_locations(self) -> pd.DataFrame:
        return self.frame(POINT_LOCATIONS_QUERY)

    def stored_wijkindeling(self) -> pd.DataFrame:
        return self.frame(WIJKINDELING_QUERY)

    def population_sectors(self) -> pd.DataFrame:
        return self.frame(POPULATION_SECTORS_QUERY)

    # -- meta and log ---------------------------------------------------------------
    def set_meta(self, **values) -> None:
        self.connection.cursor().executemany(
            "INSERT INTO meta(key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [(k, None if v is None else str(v)) for k, v in values.items()])

    def log_import(self, *, soort, bestand, laag=None, aantal=None, geweigerd=None) -> None:
        self.execute(
            "INSERT INTO imports(tijdstip, soort, bestand, bestand_datum, laag, aantal, geweigerd)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            import_log_row(soort=soort, bestand=bestand, laag=laag, aantal=aantal, geweigerd=geweigerd))

    def clear_all(self) -> None:
        self.execute("TRUNCATE sectors, wijkindeling, population, points, acties, imports, "
                     "context_values, context_meta")
        self.execute("DELETE FROM meta WHERE key NOT IN ('data_version', 'schema_version')")

    # -- writes ---------------------------------------------------------------------
    def write_sectors(self, sectors: gpd.GeoDataFrame) -> None:
        self.execute("DELETE FROM sectors")
        columns = [sectors[c].astype(object).where(sectors[c].notna(), None) for c in SECTOR_COLUMNS]
        wkb = shapely.to_wkb(sectors.geometry.values)
        self.connection.cursor().executemany(
            f"INSERT INTO sectors({', '.join(SECTOR_COLUMNS)}, geom) VALUES "
            "(%s, %s, %s, %s, %s, %s, ST_Multi(ST_GeomFromWKB(%s, 31370)))",
            list(zip(*columns, wkb)))

    def write_wijkindeling(self, table: pd.DataFrame) -> None:
        self.execute("DELETE FROM wijkindeling")
        self.connection.cursor().executemany(
            "INSERT INTO wijkindeling(sector, wijk_code, wijk_naam) VALUES (%s, %s, %s)",
            list(table[["sector", "wijk_code", "wijk_naam"]].itertuples(index=False, name=None)))

    def write_population(self, table: pd.DataFrame, *, jaar) -> None:
        self.execute("DELETE FROM population")
        self.connection.cursor().executemany(
            "INSERT INTO population(sector, inwoners, jaar) VALUES (%s, %s, %s)",
            [(s, int(n), jaar) for s, n in zip(table["sector"], table["inwoners"])])

    def write_context(self, values: pd.DataFrame, meta: pd.DataFrame) -> None:
        """Same contract as :meth:`~cohesie.storage.SqliteWriter.write_context`."""
        columns = list(meta["kolom"].astype(str))
        self.execute("DELETE FROM context_values WHERE kolom = ANY(%s)", (columns,))
        self.execute("DELETE FROM context_meta WHERE kolom = ANY(%s)", (columns,))
        start = self.execute("SELECT coalesce(max(volgorde), 0) FROM context_meta").fetchone()[0]
        self.connection.cursor().executemany(
            "INSERT INTO context_values(niveau, code, kolom, waarde) VALUES (%s, %s, %s, %s)",
            context_value_rows(values))
        self.connection.cursor().executemany(
            f"INSERT INTO context_meta({', '.join(CONTEXT_META_COLUMNS)}) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s)", context_meta_rows(meta, start=start))

    def upsert_points(self, records: pd.DataFrame, *, chunk: int = 20_000,
                      progress=None) -> tuple[int, int]:
        """Same contract as :meth:`~cohesie.storage.SqliteWriter.upsert_points`; the records are copied into a
        staging table, joined to their sector in SQL (ST_Intersects, lowest code on a shared
        border, as :func:`cohesie.spatial.sector_of_points`), then merged in one statement."""
        frame = records.reindex(columns=list(POINT_COLUMNS))
        for col in DATE_COLUMNS:
            frame[col] = _iso_dates(frame[col])
        frame = frame.astype(object).where(frame.notna(), None)
        types = {c: ("date" if c in DATE_COLUMNS else "double precision" if c in ("x", "y")
                     else "text") for c in POINT_COLUMNS}
        self.execute("CREATE TEMP TABLE staging (ord bigint, "
                     + ", ".join(f"{c} {t}" for c, t in types.items()) + ") ON COMMIT DROP")
        cols = ", ".join(POINT_COLUMNS)
        total = len(frame)
        with self.connection.cursor().copy(f"COPY staging (ord, {cols}) FROM STDIN") as copy:
            for n, row in enumerate(frame.itertuples(index=False, name=None)):
                copy.write_row((n, *row))
                if progress is not None and (n + 1) % chunk == 0:
                    progress(n + 1, total)
        if progress is not None:
            progress(total, total)
        self.execute("""
            UPDATE staging st SET sector = (
                SELECT s.code FROM sectors s
                WHERE ST_Intersects(s.geom, ST_SetSRID(ST_MakePoint(st.x, st.y), 31370))
                ORDER BY s.code LIMIT 1)
            WHERE st.x IS NOT NULL AND st.y IS NOT NULL AND EXISTS (SELECT 1 FROM sectors)""")
        self.execute(f"""
            UPDATE staging st SET wijk_code = sw.wijk_code
            FROM ({SECTOR_WIJK}) sw WHERE sw.code = st.sector""")
        data_cols = [c for c in POINT_COLUMNS if c not in ("layer", "id")]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in data_cols)
        differs = " OR ".join(f"points.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in data_cols)
        now = dt.datetime.now().isoformat(timespec="seconds")
        inserted, changed = self.execute(f"""
            WITH merged AS (
                INSERT INTO points ({cols}, updated_at)
                SELECT DISTINCT ON (layer, id) {cols}, %s FROM staging ORDER BY layer, id, ord DESC
                ON CONFLICT (layer, id) DO UPDATE SET {updates}, version = points.version + 1,
                    updated_at = EXCLUDED.updated_at
                WHERE {differs}
                RETURNING (xmax = 0) AS is_new)
            SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM merged
            """, (now,)).fetchone()
        self.execute("DROP TABLE staging")
        return int(inserted), int(changed)

    def update_point_sectors(self, assignments: pd.DataFrame) -> None:
        cols = ["sector", "wijk_code", "layer", "id"]
        rows = assignments[cols].astype(object).where(assignments[cols].notna(), None)
        self.connection.cursor().executemany(
            "UPDATE points SET sector = %s, wijk_code = %s WHERE layer = %s AND id = %s",
            list(rows.itertuples(index=False, name=None)))

    def rejoin_points(self) -> int:
        """Every stored point re-joined to the stored sectors and wijken, all in SQL."""
        self.execute("""
            UPDATE points p SET sector = (
                SELECT s.code FROM sectors s WHERE ST_Intersects(s.geom, p.geom)
                ORDER BY s.code LIMIT 1)
            WHERE p.geom IS NOT NULL""")
        self.execute("UPDATE points SET sector = NULL WHERE geom IS NULL AND sector IS NOT NULL")
        # wijk-only records: their reference (wijk code or name, any case) to a wijk code;
        # on a clash a name wins over a code, as the Python lookup does
        self.execute(f"""
            WITH sw AS ({SECTOR_WIJK}),
            wijken AS (SELECT DISTINCT wijk_code, wijk_naam FROM sw),
            refs AS (
                SELECT DISTINCT ON (ref) ref, wijk_code FROM (
                    SELECT lower(wijk_code) AS ref, wijk_code, 0 AS prio FROM wijken
                    UNION ALL SELECT lower(wijk_naam), wijk_code, 1 FROM wijken) r
                ORDER BY ref, prio DESC, wijk_code)
            UPDATE points p SET wijk_code = COALESCE(
                (SELECT sw.wijk_code FROM sw WHERE sw.code = p.sector),
                (SELECT refs.wijk_code FROM refs WHERE refs.ref = lower(COALESCE(p.wijk_ref, ''))))
            """)
        return int(self.execute(
            "SELECT count(*) FROM points WHERE geom IS NOT NULL AND sector IS NULL").fetchone()[0])

    def insert_actions(self, actions: pd.DataFrame) -> None:
        rows = actions.assign(datum=_iso_dates(actions["datum"]))[
            ["pleinmaker_id", "datum", "soort", "beschrijving"]]
        self.connection.cursor().executemany(
            "INSERT INTO acties(pleinmaker_id, datum, soort, beschrijving) VALUES (%s, %s, %s, %s)",
            list(rows.astype(object).where(rows.notna(), None).itertuples(index=False, name=None)))

    # -- records and audit ----------------------------------------------------------
    def point_row(self, layer: str, record_id: str, *, lock: bool = False) -> dict | None:
        cur = self.execute(
            f"SELECT {', '.join(READ_COLUMNS)} FROM points WHERE layer = %s AND id = %s"
            + (" FOR UPDATE" if lock else ""), (layer, record_id))
        row = cur.fetchone()
        if row is None:
            return None
        out = dict(zip([d.name for d in cur.description], row))
        for col in DATE_COLUMNS:  # the same text form as the embedded backend
            if out.get(col) is not None:
                out[col] = out[col].isoformat()
        return out

    def audit(self, *, user, action, layer, record_id, before, after) -> None:
        self.execute(
            "INSERT INTO audit(tijdstip, gebruiker, actie, layer, record_id, voor, na) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (dt.datetime.now().isoformat(timespec="seconds"), user, action, layer, record_id,
             None if before is None else json.dumps(before, ensure_ascii=False, default=str),
             None if after is None else json.dumps(after, ensure_ascii=False, default=str)))


class PostgisStore(Store):
    """The database at a ``postgresql+psycopg://`` URL (PostGIS required)."""

    counts_in_database = True

    def __init__(self, data_dir: str | Path | None = None, *, url: str | None = None):
        self.data_dir = settings.data_dir(data_dir)
        self.path = None
        self.url = settings.db_url(url)
        self.engine, self._url = _engine(self.url)

    @property
    def location(self) -> str:
        u = self._url
        return f"PostgreSQL {u.host or 'localhost'}:{u.port or 5432}/{u.database}"

    def exists(self) -> bool:
        return True

    # -- connection -----------------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self):
        """A psycopg connection (rolled back unless the caller committed), with Dutch errors."""
        import psycopg
        from sqlalchemy.exc import OperationalError

        try:
            raw = self.engine.raw_connection()
        except (OperationalError, psycopg.OperationalError) as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise CohesieError(f"De database op {self.location} is niet bereikbaar ({reason}). "
                               + _hint(self._url)) from None
        connection = raw.driver_connection
        try:
            yield connection
        except psycopg.OperationalError:
            if not (connection.closed or connection.broken):
                raise
            # the server ended the connection (restart, pg_terminate_backend, network):
            # whatever this connection had not committed is rolled back by the server
            raise CohesieError(
                f"De verbinding met de database op {self.location} is onderbroken. Er is niets "
                "half bewaard. Probeer opnieuw: herlaad de pagina of herhaal het commando. Lukt het "
                "dan nog niet: " + _hint(self._url)
            ) from None
        finally:
            with contextlib.suppress(Exception):
                connection.rollback()
            with contextlib.suppress(Exception):
                raw.close()

    def _check_postgis(self, connection) -> None:
        row = connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone()
        if row is None:
            raise CohesieError(
                f"De database {self.location} heeft de uitbreiding PostGIS niet. Voer als "
                f"beheerder uit: psql -d {self._url.database} -c 'CREATE EXTENSION postgis;' "
                "(Debian: installeer eerst het pakket postgresql-<versie>-postgis-3).")

    def _ensure_schema(self) -> None:
        key = f"pg:{self.location}:{self._url.query}"
        if schema.is_current(key):
            return
        with self._connection() as connection:
            self._check_postgis(connection)
            current = self._revision(connection)
        if current == schema.HEAD:
            schema.mark_current(key)
            return
        self._upgrade(key)

    @staticmethod
    def _revision(connection) -> str | None:
        if connection.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.rollback()
        return row[0] if row else None

    def _upgrade(self, key: str) -> tuple[str | None, str]:
        from sqlalchemy.exc import OperationalError

        try:
            return schema.upgrade(self.engine, key)
        except OperationalError as err:
            raise CohesieError(f"De database op {self.location} is niet bereikbaar. "
                               + _hint(self._url)) from err

    def revision(self) -> str | None:
        with self._connection() as connection:
            return self._revision(connection)

    def upgrade(self) -> tuple[str | None, str]:
        with self._connection() as connection:
            self._check_postgis(connection)
        return self._upgrade(f"pg:{self.location}:{self._url.query}")

    def backup(self, target):
        raise CohesieError("'db backup' is er voor het ingebouwde SQLite-bestand. Maak een backup "
                           f"van {self.location} met pg_dump, bv. pg_dump -Fc -f cohesie.dump "
                           f"{self._url.database}.")

    def restore(self, source):
        raise CohesieError("'db restore' is er voor het ingebouwde SQLite-bestand. Zet een "
                           "PostgreSQL-backup terug met pg_restore.")

    @contextlib.contextmanager
    def transaction(self, *, bump: bool = True):
        """One write transaction (same contract as :meth:`Store.transaction`)."""
        import psycopg

        self._ensure_schema()
        with self._connection() as connection:
            writer = PostgisWriter(connection)
            yield writer
            if bump:
                writer.execute(
                    "INSERT INTO meta(key, value) VALUES ('data_version', '1') ON CONFLICT (key) "
                    "DO UPDATE SET value = (meta.value::integer + 1)::text")
            try:
                connection.commit()
            except psycopg.OperationalError:
                if not (connection.closed or connection.broken):
                    raise
                # cut while committing: the server may or may not have committed
                raise CohesieError(
                    f"De verbinding met de database op {self.location} viel weg terwijl de "
                    "wijziging bewaard werd; ze is misschien niet bewaard. Herlaad de pagina "
                    "(of herhaal het commando) en kijk na of de wijziging er is.") from None

    @contextlib.contextmanager
    def _reader(self):
        self._ensure_schema()
        with self._connection() as connection:
            yield PostgisWriter(connection)

    def data_version(self) -> int:
        with self._connection() as connection:
            if connection.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
                return 0
            row = connection.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def meta(self) -> dict:
        with self._reader() as db:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())

    # -- reads ----------------------------------------------------------------------
    def read_points(self, con=None, *, layers: Iterable[str] | None = None) -> pd.DataFrame:
        if con is None:
            with self._reader() as db:
                return self.read_points(db, layers=layers)
        sql = f"SELECT {', '.join(READ_COLUMNS)} FROM points"
        params = None
        if layers is not None:
            sql += " WHERE layer = ANY(%s)"
            params = (list(layers),)
        frame = con.frame(sql, params)
        if frame.empty:
            frame = pd.DataFrame(columns=list(READ_COLUMNS))
        for col in DATE_COLUMNS:  # via ISO text, exactly as the embedded backend reads them
            text = frame[col].map(lambda d: d.isoformat() if d is not None else None)
            frame[col] = pd.to_datetime(text, errors="coerce")
        return frame

    def read_point_chunks(self, *, layers: Iterable[str], chunk: int = 100_000,
                          columns: Iterable[str] | None = None):
        """The stored records of ``layers`` in DataFrames of at most ``chunk`` rows, read with a
        server-side cursor (as :meth:`Store.read_point_chunks`; never all rows at once)."""
        layers = tuple(layers)
        if not layers:
            return
        wanted = [c for c in READ_COLUMNS if columns is None or c in set(columns)]
        with self._reader() as db:
            cur = db.connection.cursor(name="cohesie_point_chunks")
            try:
                cur.execute(f"SELECT {', '.join(wanted)} FROM points WHERE layer = ANY(%s) ORDER BY layer, id",
                            (list(layers),))
                while rows := cur.fetchmany(chunk):
                    frame = pd.DataFrame(rows, columns=wanted)
                    for col in DATE_COLUMNS:
                        if col in frame:
                            text = frame[col].map(lambda d: d.isoformat() if d is not None else None)
                            frame[col] = pd.to_datetime(text, errors="coerce")
                    yield frame
            finally:
                cur.close()

    def _sectors(self, db) -> gpd.GeoDataFrame:
        raw = db.frame(f"SELECT {', '.join(SECTOR_COLUMNS)}, ST_AsBinary(geom) AS geom "
                       "FROM sectors ORDER BY code")
        return _sector_frame(raw)

    def read_tables(self, *, point_layers: Iterable[str] | None = None) -> StoredTables:
        """:meth:`Store.read_tables` (the same tables)."""
        with self._reader() as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            sectors = self._sectors(db)
            if sectors.empty and not meta:
                return empty_tables()
            wijken = db.frame(WIJKINDELING_QUERY)
            pop = db.frame("SELECT sector, inwoners FROM population")
            acties = db.frame("SELECT id, pleinmaker_id, datum, soort, beschrijving FROM acties "
                              "ORDER BY datum")
            imports = db.frame("SELECT * FROM imports ORDER BY id")
            context = db.frame(CONTEXT_VALUES_QUERY)
            context_meta = db.frame(CONTEXT_META_QUERY)
            points = self.read_points(db, layers=point_layers)
        acties["datum"] = pd.to_datetime(acties["datum"].map(
            lambda d: d.isoformat() if d is not None else None), errors="coerce")
        if context_meta.empty:
            context_meta = pd.DataFrame(columns=list(CONTEXT_META_COLUMNS))
        if wijken.empty:
            wijken = pd.DataFrame(columns=["sector", "wijk_code", "wijk_naam"])
        if pop.empty:
            pop = pd.DataFrame(columns=["sector", "inwoners"])
        return StoredTables(meta=meta, sectors=sectors, wijkindeling=wijken, population=pop,
                            points=points, acties=acties, imports=imports,
                            context=_context_values(context), context_meta=context_meta)

    def read_sectors(self) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
        """:meth:`Store.read_sectors` (the same tables)."""
        with self._reader() as db:
            sectors = self._sectors(db)
            wijken = db.frame(WIJKINDELING_QUERY)
        if wijken.empty:
            wijken = pd.DataFrame(columns=["sector", "wijk_code", "wijk_naam"])
        return sectors, wijken

    def grouped_counts(self, selection: CountSelection, *, by: str = "area") -> pd.DataFrame:
        """:meth:`Store.grouped_counts` as one GROUP BY in PostgreSQL."""
        if by not in GROUPED_COLUMNS:
            raise ValueError(by)
        sql, params = _grouped_sql(selection, by, POSTGIS_DIALECT)
        with self._reader() as db:
            rows = db.frame(sql, params)
        return _grouped_frame(rows, by)

    def check_tables(self) -> dict[str, pd.DataFrame]:
        """:meth:`Store.check_tables` (the same queries)."""
        from cohesie.storage import _check_tables

        with self._reader() as db:
            return _check_tables(db.frame)

    def point_summary(self) -> pd.DataFrame:
        """:meth:`Store.point_summary` in SQL (one row per layer and type)."""
        with self._reader() as db:
            rows = db.frame(POINT_SUMMARY_QUERY.format(datum="datum"))
        return _summary_frame(rows)

    # -- edits ----------------------------------------------------------------------
    def get_point(self, layer: str, record_id: str) -> dict | None:
        with self._reader() as db:
            return db.point_row(layer, record_id)

    def update_point(self, layer: str, record_id: str, changes: dict, *, user: str,
                     expected_version: int, action: str = "gewijzigd") -> dict:
        """Same contract as :meth:`Store.update_point`: ``UPDATE ... WHERE version = :v``, so
        of two editors holding the same version only the first save is applied."""
        allowed = set(POINT_COLUMNS) - {"layer", "id"}
        bad = set(changes) - allowed
        if bad:
            raise CohesieError(f"Onbekende velden: {', '.join(sorted(bad))}.")
        values = {k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else
                      v.date().isoformat() if isinstance(v, pd.Timestamp) and k in DATE_COLUMNS
                      else v) for k, v in changes.items()}
        with self.transaction() as db:
            before = db.point_row(layer, record_id)
            if before is None:
                raise CohesieError(f"Record {record_id} bestaat niet in laag {layer}.")
            sets = ", ".join(f"{k} = %s" for k in values)
            cur = db.execute(
                f"UPDATE points SET {sets}, version = version + 1, updated_at = %s "
                "WHERE layer = %s AND id = %s AND version = %s",
                (*values.values(), dt.datetime.now().isoformat(timespec="seconds"), layer,
                 record_id, int(expected_version)))
            if cur.rowcount == 0:
                # read again: the row we saw may predate the save that beat us
                raise ConflictError(db.point_row(layer, record_id) or before)
            after = db.point_row(layer, record_id)
            db.audit(user=user, action=action, layer=layer, record_id=record_id,
                     before=before, after=after)
        return after

    def history(self, layer: str, record_id: str) -> pd.DataFrame:
        with self._reader() as db:
            return db.frame("SELECT tijdstip, gebruiker, actie, voor, na FROM audit WHERE "
                            "layer = %s AND record_id = %s ORDER BY id", (layer, record_id))

    def recent_changes(self, limit: int = 50) -> pd.DataFrame:
        with self._reader() as db:
            return db.frame("SELECT tijdstip, gebruiker, actie, layer, record_id, voor, na "
                            f"FROM audit WHERE {_NOT_LOGIN} ORDER BY id DESC LIMIT %s", (int(limit),))

    # -- users and the shared secret ------------------------------------------------
    def secret(self) -> bytes:
        """Token-signing secret kept in the database, so every instance accepts the same
        logins."""
        import secrets

        with self.transaction(bump=False) as db:
            db.execute("INSERT INTO sessiesleutel(id, sleutel) VALUES (1, %s) "
                       "ON CONFLICT (id) DO NOTHING", (secrets.token_bytes(32),))
            return bytes(db.execute("SELECT sleutel FROM sessiesleutel WHERE id = 1").fetchone()[0])

    def get_user(self, username: str) -> dict | None:
        with self._reader() as db:
            row = db.execute("SELECT username, naam, rol, hash FROM users WHERE username = %s",
                             (username,)).fetchone()
        return None if row is None else dict(zip(["username", "naam", "rol", "hash"], row))

    def save_user(self, username: str, *, rol: str, password_hash: str | None, naam: str = "",
                  by: str = "beheer") -> None:
        with self.transaction(bump=False) as db:
            before = db.execute("SELECT username, naam, rol FROM users WHERE username = %s",
                                (username,)).fetchone()
            db.execute(
                "INSERT INTO users(username, naam, rol, hash, aangemaakt) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (username) DO UPDATE SET naam = EXCLUDED.naam, rol = EXCLUDED.rol, "
                "hash = COALESCE(EXCLUDED.hash, users.hash)",
                (username, naam, rol, password_hash, dt.datetime.now().isoformat(timespec="seconds")))
            db.audit(user=by, action="gebruiker", layer=None, record_id=username,
                     before=None if before is None else dict(zip(["username", "naam", "rol"], before)),
                     after={"username": username, "naam": naam, "rol": rol})

    def remove_user(self, username: str, *, by: str = "beheer") -> bool:
        with self.transaction(bump=False) as db:
            removed = db.execute("DELETE FROM users WHERE username = %s", (username,)).rowcount
            if removed:
                db.audit(user=by, action="gebruiker verwijderd", layer=None, record_id=username,
                         before={"username": username}, after=None)
        return removed > 0

    def list_users(self) -> pd.DataFrame:
        with self._reader() as db:
            return db.frame("SELECT username, naam, rol, aangemaakt FROM users ORDER BY username")


    # -- login guard (same contract as the embedded backend) --------------------------
    def login_failures(self, keys, *, since: float) -> dict[str, list[float]]:
        keys = list(keys)
        found: dict[str, list[float]] = {k: [] for k in keys}
        if not keys:
            return found
        with self._reader() as db:
            rows = db.execute("SELECT sleutel, tijdstip FROM login_pogingen WHERE sleutel = ANY(%s) "
                              "AND tijdstip > %s ORDER BY tijdstip", (keys, float(since))).fetchall()
        for key, moment in rows:
            found[key].append(float(moment))
        return found

    def log_login(self, *, user: str, action: str, address: str | None, now: float,
                  forget_before: float, failed=(), cleared=()) -> None:
        with self.transaction(bump=False) as db:
            db.execute("DELETE FROM login_pogingen WHERE tijdstip < %s", (float(forget_before),))
            for key in cleared:
                db.execute("DELETE FROM login_pogingen WHERE sleutel = %s", (key,))
            for key in failed:
                db.execute("INSERT INTO login_pogingen(sleutel, tijdstip) VALUES (%s, %s)", (key, float(now)))
            db.audit(user=user, action=action, layer=None, record_id=user, before=None,
                     after={"adres": address} if address else None)

    def revoke_session(self, token_id: str, *, expires: float, user: str, now: float,
                       address: str | None = None) -> None:
        with self.transaction(bump=False) as db:
            db.execute("DELETE FROM ingetrokken_sessies WHERE verloopt < %s", (float(now),))
            db.execute("INSERT INTO ingetrokken_sessies(token_id, verloopt) VALUES (%s, %s) "
                       "ON CONFLICT (token_id) DO NOTHING", (token_id, float(expires)))
            db.audit(user=user, action="afmelding", layer=None, record_id=user, before=None,
                     after={"adres": address} if address else None)

    def session_revoked(self, token_id: str) -> bool:
        with self._reader() as db:
            return db.execute("SELECT 1 FROM ingetrokken_sessies WHERE token_id = %s",
                              (token_id,)).fetchone() is not None

    def login_events(self, limit: int = 200) -> pd.DataFrame:
        with self._reader() as db:
            return db.frame(f"SELECT tijdstip, gebruiker, actie, na FROM audit WHERE NOT ({_NOT_LOGIN}) "
                            "ORDER BY id DESC LIMIT %s", (int(limit),))
