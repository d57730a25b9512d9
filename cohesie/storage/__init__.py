"""The only package that touches disk or a database: the SQLite database in the data directory
(or a PostgreSQL/PostGIS database, :mod:`cohesie.storage.postgis`) and the files derived from
it (display GeoJSON, offline map assets, exports, rejects).

``open_store(data_dir)`` returns the embedded backend (:class:`Store`); with ``url=``
(``--db-url``) or ``$COHESIE_DB_URL`` set to ``postgresql+psycopg://...`` the same call returns a
:class:`~cohesie.storage.postgis.PostgisStore` with the same interface. The schema of both is
created and migrated by Alembic (:mod:`cohesie.storage.schema`, ``cohesie/migrations``).

Layout of ``<data dir>/cohesie.sqlite``:

- ``meta``: key/value (``nis``, ``gemeente``, ``is_demo``, ``data_version``, source files)
- ``sectors``: one row per statistical sector, geometry as WKB in EPSG:31370
- ``wijkindeling``: sector → wijk table imported from the city (optional)
- ``population``: inhabitants per sector (Statbel ``OPENDATA_SECTOREN_<jaar>``)
- ``points``: the five layers (one table, column ``layer``), x/y in EPSG:31370 and the sector
  the point lies in, joined when written
- ``acties``: actions of pleinmakers
- ``imports``: log of every import (what, when, source file)
- ``users``, ``audit``: accounts and the audit trail of edits
- ``context_values``, ``context_meta``: the city's context figures per area (revision 0003)
- ``login_pogingen``, ``ingetrokken_sessies``: failed logins per account/address and the
  session tokens ended by logging out (revision 0004)
- ``alembic_version``: the schema revision

Every write runs in one transaction and bumps ``data_version``, which caches key on.

Storage reads and writes tables only: :meth:`Store.read_tables` returns them as stored
(:class:`StoredTables`) and :meth:`Store.grouped_counts` counts the records of a plain
:class:`CountSelection` per group in SQL. The area hierarchy (:mod:`cohesie.dataset`,
:mod:`cohesie.areas`) and the counting rules (:mod:`cohesie.counting`) live above; this package
never imports them.

Next to the database, ``<data dir>/index/`` holds the app's point index per data version as
numpy arrays (:mod:`cohesie.storage.columnar`); it is derived, rebuilt when missing or damaged,
and may be deleted at any time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import settings
from cohesie.errors import CohesieError
from cohesie.layers import EXTRA_FIELDS
from cohesie.storage import schema

SCHEMA_VERSION = 1
POINT_COLUMNS = ("layer", "id", "naam", "type", "status", "datum", *EXTRA_FIELDS,
                 "wijk_ref", "x", "y", "sector", "wijk_code")
SECTOR_COLUMNS = ("code", "naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam")
CONTEXT_VALUE_COLUMNS = ("niveau", "code", "kolom", "waarde")
CONTEXT_META_COLUMNS = ("kolom", "niveau", "naam", "eenheid", "bron", "jaar", "soort", "volgorde")
CONTEXT_VALUES_QUERY = "SELECT niveau, code, kolom, waarde FROM context_values ORDER BY kolom, code"
#: audit actions of logging in and out: in the audit trail, kept out of "recent changes"
LOGIN_ACTIONS = ("aanmelding gelukt", "aanmelding mislukt", "aanmelding geweigerd", "afmelding")
_NOT_LOGIN = "actie NOT IN ('" + "', '".join(LOGIN_ACTIONS) + "')"
POINT_LOCATIONS_QUERY = "SELECT layer, id, x, y, wijk_ref FROM points"
WIJKINDELING_QUERY = "SELECT * FROM wijkindeling"
POPULATION_SECTORS_QUERY = "SELECT sector FROM population"
CONTEXT_META_QUERY = f"SELECT {', '.join(CONTEXT_META_COLUMNS)} FROM context_meta ORDER BY volgorde, kolom"


#: columns of :meth:`Store.point_summary` (and of :func:`cohesie.counting.point_summary`)
SUMMARY_COLUMNS = ["layer", "type", "n", "zonder_punt", "eerste", "laatste"]
#: columns of :meth:`Store.grouped_counts`, per grouping
GROUPED_COLUMNS = {"area": ["sector", "wijk_code", "layer", "n", "zorg", "voorstel"],
                   "month": ["maand", "type", "n"]}


@dataclass
class StoredTables:
    """The stored tables of one data directory, as stored (what :meth:`Store.read_tables`
    returns; :func:`cohesie.dataset.load` puts the area hierarchy on top).

    ``sectors`` is a GeoDataFrame in EPSG:31370 with :data:`SECTOR_COLUMNS` (no wijk, no
    inhabitants); ``wijkindeling`` (``sector, wijk_code, wijk_naam``) and ``population``
    (``sector, inwoners``) are the tables as imported; ``points`` and ``acties`` have their
    dates as datetimes.
    """

    meta: dict
    sectors: gpd.GeoDataFrame
    wijkindeling: pd.DataFrame
    population: pd.DataFrame
    points: pd.DataFrame
    acties: pd.DataFrame
    imports: pd.DataFrame
    #: context figures: ``niveau, code, kolom, waarde`` (see :mod:`cohesie.context`)
    context: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CONTEXT_VALUE_COLUMNS)))
    #: one row per context column, in import order: CONTEXT_META_COLUMNS
    context_meta: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CONTEXT_META_COLUMNS)))


@dataclass(frozen=True)
class CountSelection:
    """Which stored records :meth:`Store.grouped_counts` counts: plain values, no rules.

    What a record must be to be *selected*: its ``layer`` in ``layers``, its status not
    ``excluded_status``, its type in ``types[layer]`` and its status in ``statuses[layer]``
    where those are given (pairs ``(layer, values)``), its ``wijk_code`` in ``wijken`` when
    given, and in the window ``start``..``end``: records of ``event_layers`` by ``datum`` (a
    missing date is outside), the others when ``datum`` is missing or ≤ ``end`` and
    ``einddatum`` missing or ≥ ``start``.

    Of the selected records, ``n`` counts those whose status is in ``counted[layer]`` (every
    record of a layer not named there; an empty tuple: none of it), ``zorg`` the counted ones
    whose type is in ``flagged[layer]``, and ``voorstel`` those whose status is in
    ``proposed[layer]``. :func:`cohesie.counting.selection` makes one from
    :class:`cohesie.indicators.Filters` and the counting rules.
    """

    layers: tuple[str, ...]
    event_layers: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    excluded_status: str | None = None
    types: tuple[tuple[str, tuple[str, ...]], ...] = ()
    statuses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    wijken: tuple[str, ...] = ()
    counted: tuple[tuple[str, tuple[str, ...]], ...] = ()
    proposed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    flagged: tuple[tuple[str, tuple[str, ...]], ...] = ()


def empty_sector_table() -> gpd.GeoDataFrame:
    """The stored sectors table without rows (:data:`SECTOR_COLUMNS` and a geometry)."""
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in SECTOR_COLUMNS},
                            geometry=gpd.GeoSeries([], crs=settings.ANALYSIS_CRS))


def empty_tables() -> StoredTables:
    """What :meth:`Store.read_tables` returns for a data directory without a database."""
    return StoredTables(meta={}, sectors=empty_sector_table(),
                        wijkindeling=pd.DataFrame(columns=["sector", "wijk_code", "wijk_naam"]),
                        population=pd.DataFrame(columns=["sector", "inwoners"]),
                        points=pd.DataFrame(columns=list(POINT_COLUMNS)),
                        acties=pd.DataFrame(columns=["pleinmaker_id", "datum", "soort", "beschrijving"]),
                        imports=pd.DataFrame())


def open_store(data_dir: str | Path | None = None, *, url: str | None = None) -> Store:
    """The store of ``data_dir``: the PostGIS store when ``url`` (else ``$COHESIE_DB_URL``)
    names a PostgreSQL database, the embedded SQLite store otherwise."""
    if settings.db_url(url):
        from cohesie.storage.postgis import PostgisStore

        return PostgisStore(data_dir, url=url)
    return Store(data_dir)


class Store:
    """The database of one data directory (embedded SQLite); open one with :func:`open_store`."""

    #: counts per area run as SQL in the database (PostGIS) rather than in pandas
    counts_in_database = False

    def __init__(self, data_dir: str | Path | None = None):
        self.data_dir = settings.data_dir(data_dir)
        self.path = self.data_dir / settings.DB_FILENAME

    @property
    def location(self) -> str:
        """Where the data lives, for messages and cache keys (never contains a password)."""
        return str(self.data_dir)

    # -- connection -----------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CohesieError(
                f"De gegevensmap {self.data_dir} kan niet aangemaakt worden ({err.strerror}). "
                "Kies een andere map met --data-dir of COHESIE_DATA_DIR."
            ) from None
        with self.disk_space("de databank"):
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA foreign_keys=ON")
            except BaseException:
                con.close()
                raise
        return con

    @contextlib.contextmanager
    def disk_space(self, what: str):
        """Turn a full disk (SQLite's "database or disk is full", OSError ENOSPC) met while
        writing ``what`` into a :class:`CohesieError` naming the disk of the data directory."""
        try:
            yield
        except (sqlite3.OperationalError, OSError) as err:
            if not is_disk_full(err):
                raise
            raise CohesieError(
                f"De schijf is vol: {what} past niet meer in {self.data_dir} (schijf "
                f"{_mount_point(self.data_dir)}). Er is niets bewaard; de gegevens zijn zoals "
                "voordien. Maak ruimte vrij op die schijf, of kies met --data-dir of "
                "COHESIE_DATA_DIR een map op een schijf met meer ruimte, en probeer opnieuw."
            ) from None

    @contextlib.contextmanager
    def transaction(self, *, bump: bool = True):
        """One write transaction; bumps ``data_version`` (unless ``bump`` is False, for writes
        that change no displayed data, such as accounts); rolls back on any error."""
        con = self._connect()
        try:
            with self.disk_space("de wijziging"):
                try:
                    schema.ensure_sqlite(self.path)
                    con.execute("BEGIN IMMEDIATE")
                    yield SqliteWriter(con)
                    if bump:
                        con.execute(
                            "INSERT INTO meta(key, value) VALUES ('data_version', '1') "
                            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                        )
                    con.execute(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                        (str(SCHEMA_VERSION),),
                    )
                    con.execute("COMMIT")
                except BaseException:
                    # SQLite rolls back by itself after some errors (a full disk): then there is
                    # no transaction left, and ROLLBACK must not replace the real error
                    if con.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            con.execute("ROLLBACK")
                    raise
        finally:
            con.close()

    def data_version(self) -> int:
        """Cheap check used on every rerun to see whether cached data is stale."""
        if not self.exists():
            return 0
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()
        except sqlite3.OperationalError:
            return 0
        finally:
            con.close()
        return int(row[0]) if row else 0

    # -- meta -----------------------------------------------------------------------
    def meta(self) -> dict:
        if not self.exists():
            return {}
        con = self._connect()
        try:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError:
            return {}
        finally:
            con.close()

    # -- reads ----------------------------------------------------------------------
    def read_points(self, con=None, *, layers: Iterable[str] | None = None) -> pd.DataFrame:
        """Stored records, all layers or only ``layers``, with dates as datetimes."""
        own = con is None
        con = con or self._connect()
        query, params = "SELECT * FROM points", ()
        if layers is not None:
            layers = tuple(layers)
            query += f" WHERE layer IN ({', '.join('?' for _ in layers) or 'NULL'})"
            params = layers
        try:
            frame = pd.read_sql_query(query, con, params=params)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            frame = pd.DataFrame(columns=[*POINT_COLUMNS, "version", "updated_at"])
        finally:
            if own:
                con.close()
        for col in ("datum", "einddatum"):
            frame[col] = pd.to_datetime(frame[col], errors="coerce")
        return frame

    def read_tables(self, *, point_layers: Iterable[str] | None = None) -> StoredTables:
        """Every stored table of the data directory, as stored (:class:`StoredTables`).

        ``point_layers`` limits ``points`` to those layers (e.g. the command line's
        indicators, which counts in the database and needs only furniture for coverage).
        """
        if not self.exists():
            return empty_tables()
        schema.ensure_sqlite(self.path)
        con = self._connect()
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            raw = pd.read_sql_query("SELECT * FROM sectors ORDER BY code", con)
            wijken = pd.read_sql_query(WIJKINDELING_QUERY, con)
            pop = pd.read_sql_query("SELECT sector, inwoners FROM population", con)
            acties = pd.read_sql_query("SELECT * FROM acties ORDER BY datum", con)
            imports = pd.read_sql_query("SELECT * FROM imports ORDER BY id", con)
            context = pd.read_sql_query(CONTEXT_VALUES_QUERY, con)
            context_meta = pd.read_sql_query(CONTEXT_META_QUERY, con)
            points = self.read_points(con, layers=point_layers)
        finally:
            con.close()
        acties["datum"] = pd.to_datetime(acties["datum"], errors="coerce")
        return StoredTables(meta=meta, sectors=_sector_frame(raw), wijkindeling=wijken, population=pop,
                            points=points, acties=acties, imports=imports,
                            context=_context_values(context), context_meta=context_meta)

    def read_sectors(self) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
        """Only the stored sectors (EPSG:31370, :data:`SECTOR_COLUMNS`) and the stored
        ``wijkindeling``, without reading every stored point."""
        empty = (empty_sector_table(), pd.DataFrame(columns=["sector", "wijk_code", "wijk_naam"]))
        if not self.exists():
            return empty
        con = self._connect()
        try:
            raw = pd.read_sql_query("SELECT * FROM sectors ORDER BY code", con)
            wijken = pd.read_sql_query(WIJKINDELING_QUERY, con)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return empty
        finally:
            con.close()
        return _sector_frame(raw), wijken

    def grouped_counts(self, selection: CountSelection, *, by: str = "area") -> pd.DataFrame:
        """Stored records of ``selection`` counted per group, in the database.

        ``by="area"``: one row per (``sector``, ``wijk_code``, ``layer``) as stored (missing
        values a group of their own) with ``n`` (counted), ``zorg`` (counted and flagged) and
        ``voorstel`` (proposed); groups where all three are 0 left out. ``by="month"``: one row
        per (``maand``, the first day of the month of ``datum``, ``type``) of the counted
        records with a date and a type, with ``n``. Columns :data:`GROUPED_COLUMNS`.
        """
        if by not in GROUPED_COLUMNS:
            raise ValueError(by)
        if not self.exists():
            return pd.DataFrame(columns=GROUPED_COLUMNS[by])
        sql, params = _grouped_sql(selection, by, SQLITE_DIALECT)
        con = self._connect()
        try:
            rows = pd.read_sql_query(sql, con, params=params)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return pd.DataFrame(columns=GROUPED_COLUMNS[by])
        finally:
            con.close()
        return _grouped_frame(rows, by)

    def point_summary(self) -> pd.DataFrame:
        """Records per layer and type: ``n``, ``zonder_punt`` (no x/y), ``eerste`` and
        ``laatste`` (earliest and latest ``datum``), sorted by layer and type (missing type
        last); equals :func:`cohesie.counting.point_summary` of every stored record."""
        if not self.exists():
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        con = self._connect()
        try:
            rows = pd.read_sql_query(POINT_SUMMARY_QUERY.format(datum="date(datum)"), con)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        finally:
            con.close()
        return _summary_frame(rows)

    # -- persisted arrays (issue 15: the point index per data version) ----------------
    def read_point_chunks(self, *, layers: Iterable[str], chunk: int = 100_000,
                          columns: Iterable[str] | None = None):
        """The stored records of ``layers`` as DataFrames of at most ``chunk`` rows (dates as
        datetimes; only ``columns`` of :data:`POINT_COLUMNS` when given), so that a million
        records never sit in pandas at once."""
        layers = tuple(layers)
        if not self.exists() or not layers:
            return
        wanted = "*" if columns is None else ", ".join(c for c in POINT_COLUMNS if c in set(columns))
        con = self._connect()
        try:
            query = f"SELECT {wanted} FROM points WHERE layer IN ({', '.join('?' for _ in layers)})"
            try:
                chunks = pd.read_sql_query(query, con, params=layers, chunksize=chunk)
                for frame in chunks:
                    for col in ("datum", "einddatum"):
                        if col in frame:
                            frame[col] = pd.to_datetime(frame[col], errors="coerce")
                    yield frame
            except (sqlite3.OperationalError, pd.errors.DatabaseError):
                return
        finally:
            con.close()

    @property
    def index_dir(self) -> Path:
        """Where :mod:`cohesie.storage.columnar` keeps the arrays of this data directory."""
        return self.data_dir / "index"

    def read_arrays(self, name: str, key: str):
        """Arrays written by :meth:`write_arrays` for ``key`` (``None``: missing or damaged)."""
        from cohesie.storage import columnar

        return columnar.read_arrays(self.index_dir, name, key)

    def write_arrays(self, name: str, key: str, arrays: dict, extra: dict | None = None) -> bool:
        """Persist numeric ``arrays`` and JSON-able ``extra`` under ``name`` for ``key``."""
        from cohesie.storage import columnar

        return columnar.write_arrays(self.index_dir, name, key, arrays, extra)

    def read_frame(self, name: str, key: str):
        """A table written by :meth:`write_frame` for ``key`` (``None``: missing or damaged)."""
        from cohesie.storage import columnar

        return columnar.frame_of_arrays(columnar.read_arrays(self.index_dir, name, key))

    def write_frame(self, name: str, key: str, frame) -> bool:
        """Persist a table of numbers, booleans and texts under ``name`` for ``key`` (older keys
        of ``name`` are removed); False when it could not be written or holds other kinds."""
        from cohesie.storage import columnar

        found = columnar.frame_to_arrays(frame)
        return found is not None and columnar.write_arrays(self.index_dir, name, key, *found)

    def check_tables(self) -> dict[str, pd.DataFrame]:
        """What ``python -m cohesie check`` compares (see :mod:`cohesie.datacheck`): the stored
        ``wijkindeling`` and ``population`` tables as they are, and per layer the records
        (``n``), located records in no sector (``buiten``) and records with neither a point nor
        a known wijk (``zonder_plaats``)."""
        if not self.exists():
            return _check_tables(None)
        con = self._connect()
        try:
            return _check_tables(lambda query: pd.read_sql_query(query, con))
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return _check_tables(None)
        finally:
            con.close()

    # -- schema, backup and restore -------------------------------------------------
    def revision(self) -> str | None:
        """Schema revision of the database (None: none yet or made before migrations)."""
        return schema.sqlite_revision(self.path) if self.exists() else None

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the database to the newest schema (creating it); returns (before, after)."""
        self._connect().close()
        engine = schema.sqlite_engine(self.path)
        try:
            return schema.upgrade(engine, f"sqlite:{self.path}")
        finally:
            engine.dispose()

    def backup(self, target: str | Path) -> Path:
        """Copy the database to ``target`` with SQLite's online backup (safe while the app
        runs)."""
        target = Path(target)
        if not self.exists():
            raise CohesieError(f"Er is geen database in {self.data_dir} om te bewaren. Kies de "
                               "juiste map met --data-dir of COHESIE_DATA_DIR.")
        if target.exists():
            raise CohesieError(f"{target} bestaat al; kies een nieuwe bestandsnaam (een backup "
                               "overschrijft niets).")
        if not target.parent.is_dir():
            raise CohesieError(f"De map {target.parent} bestaat niet; maak ze eerst aan.")
        tmp = target.with_name(target.name + ".tmp")
        src = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        except (sqlite3.OperationalError, OSError) as err:
            if not is_disk_full(err):
                raise
            dst.close()
            tmp.unlink(missing_ok=True)
            raise CohesieError(f"De schijf is vol: de backup past niet in {target.parent} "
                               f"(schijf {_mount_point(target.parent)}). Er is geen backup "
                               "gemaakt; maak ruimte vrij of kies een map op een schijf met meer "
                               "ruimte.") from None
        finally:
            dst.close()
            src.close()
        tmp.replace(target)
        return target

    def restore(self, source: str | Path) -> tuple[int, int]:
        """Replace the database's contents with the backup ``source`` after checking it.

        The restored database gets a data version above the current one, so running apps
        reload it on their next rerun; an older schema is migrated.

        Returns
        -------
        (int, int)
            Number of sectors and records in the restored database.
        """
        source = Path(source)
        problems = check_backup(source)
        if problems:
            raise CohesieError(f"{source} is geen bruikbare backup: {'; '.join(problems)}. "
                               "Er is niets teruggezet; kies een bestand gemaakt met "
                               "'python -m cohesie db backup'.")
        before = self.data_version()
        restored = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        con = self._connect()
        try:
            with self.disk_space("de teruggezette databank"):
                restored.backup(con)
        finally:
            restored.close()
            con.close()
        schema.forget(f"sqlite:{self.path}")
        self.upgrade()
        with self.transaction(bump=False) as con:
            version = max(before, int(dict(con.execute("SELECT key, value FROM meta").fetchall())
                                      .get("data_version") or 0)) + 1
            con.set_meta(data_version=version)
            sectors = con.execute("SELECT count(*) FROM sectors").fetchone()[0]
            points = con.execute("SELECT count(*) FROM points").fetchone()[0]
        return sectors, points

    def write_rejects(self, rejects: pd.DataFrame, *, layer: str, source: str) -> Path:
        """Keep refused rows (row number, reason, original columns) in ``<data dir>/geweigerd/``."""
        folder = self.data_dir / "geweigerd"
        with self.disk_space("het bestand met geweigerde rijen"):
            folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(source).stem)
        path = folder / f"{stamp}_{layer}_{safe}.csv"
        try:
            with self.disk_space("het bestand met geweigerde rijen"):
                rejects.to_csv(path, index=False, encoding="utf-8-sig")
        except CohesieError:
            path.unlink(missing_ok=True)
            raise
        return path

    # -- edits with audit trail and optimistic locking ------------------------------
    def get_point(self, layer: str, record_id: str) -> dict | None:
        con = self._connect()
        try:
            return SqliteWriter(con).point_row(layer, record_id)
        finally:
            con.close()

    def create_point(self, record: dict, *, user: str, existing_ok: bool = False) -> dict:
        """Insert one new record (fails if its id exists); audited as 'aangemaakt'.

        With ``existing_ok`` a record whose id exists already is returned as stored, unchanged
        and not audited again: a repeated save of the same proposal (double click, rerun, two
        requests at once) keeps one record.
        """
        if existing_ok and (found := self.get_point(record["layer"], record["id"])) is not None:
            return found  # the common repeat: answered without a write transaction
        with self.transaction() as con:
            existing = con.point_row(record["layer"], record["id"])
            if existing is not None:
                if existing_ok:
                    return existing
                raise CohesieError(f"Record {record['id']} bestaat al in laag {record['layer']}.")
            inserted, _ = con.upsert_points(pd.DataFrame([record]))
            after = con.point_row(record["layer"], record["id"])
            if not inserted and existing_ok:
                # another request inserted the same id between our check and our insert
                # (PostGIS; SQLite's BEGIN IMMEDIATE serialises writers): keep its record
                return after
            con.audit(user=user, action="aangemaakt", layer=record["layer"],
                        record_id=record["id"], before=None, after=after)
        return after

    def update_point(self, layer: str, record_id: str, changes: dict, *, user: str,
                     expected_version: int, action: str = "gewijzigd") -> dict:
        """Change fields of one record if it still has ``expected_version``.

        Raises :class:`ConflictError` (with the current values) when someone else saved first.
        """
        allowed = set(POINT_COLUMNS) - {"layer", "id"}
        bad = set(changes) - allowed
        if bad:
            raise CohesieError(f"Onbekende velden: {', '.join(sorted(bad))}.")
        with self.transaction() as con:
            before = con.point_row(layer, record_id)
            if before is None:
                raise CohesieError(f"Record {record_id} bestaat niet in laag {layer}.")
            sets = ", ".join(f"{k}=?" for k in changes)
            cur = con.execute(
                f"UPDATE points SET {sets}, version = version + 1, updated_at = ? "
                "WHERE layer=? AND id=? AND version=?",
                (*changes.values(), dt.datetime.now().isoformat(timespec="seconds"), layer,
                 record_id, int(expected_version)),
            )
            if cur.rowcount == 0:
                raise ConflictError(before)
            after = con.point_row(layer, record_id)
            con.audit(user=user, action=action, layer=layer, record_id=record_id,
                        before=before, after=after)
        return after

    def add_action(self, action: dict, *, user: str) -> None:
        with self.transaction() as con:
            con.insert_actions(pd.DataFrame([action]))
            con.audit(user=user, action="actie", layer="pleinmakers",
                        record_id=action["pleinmaker_id"], before=None, after=action)

    def history(self, layer: str, record_id: str) -> pd.DataFrame:
        con = self._connect()
        try:
            return pd.read_sql_query(
                "SELECT tijdstip, gebruiker, actie, voor, na FROM audit WHERE layer=? AND "
                "record_id=? ORDER BY id", con, params=(layer, record_id))
        finally:
            con.close()

    def recent_changes(self, limit: int = 50) -> pd.DataFrame:
        if not self.exists():
            return pd.DataFrame(columns=["tijdstip", "gebruiker", "actie", "layer", "record_id"])
        con = self._connect()
        try:
            return pd.read_sql_query(
                "SELECT tijdstip, gebruiker, actie, layer, record_id, voor, na FROM audit "
                f"WHERE {_NOT_LOGIN} ORDER BY id DESC LIMIT ?", con, params=(int(limit),))
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return pd.DataFrame(columns=["tijdstip", "gebruiker", "actie", "layer", "record_id"])
        finally:
            con.close()

    # -- users and the session secret ----------------------------------------------
    def secret(self) -> bytes:
        """Server secret for signing session tokens (created once in the data dir)."""
        path = self.data_dir / ".sessiesleutel"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            # several server processes on one data dir may start at once: each writes its own
            # temporary file and the first one linked in place wins, so all sign with one key
            tmp = _unique_tmp(path)
            try:
                tmp.write_bytes(secrets.token_bytes(32))
                tmp.chmod(0o600)
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    pass
            finally:
                tmp.unlink(missing_ok=True)
        return path.read_bytes()

    def get_user(self, username: str) -> dict | None:
        if not self.exists():
            return None
        con = self._connect()
        try:
            cur = con.execute("SELECT username, naam, rol, hash FROM users WHERE username=?", (username,))
            row = cur.fetchone()
        except sqlite3.OperationalError:
            return None
        finally:
            con.close()
        return None if row is None else dict(zip(["username", "naam", "rol", "hash"], row))

    def save_user(self, username: str, *, rol: str, password_hash: str | None, naam: str = "",
                  by: str = "beheer") -> None:
        with self.transaction(bump=False) as con:
            before = con.execute("SELECT username, naam, rol FROM users WHERE username=?", (username,)).fetchone()
            con.execute(
                "INSERT INTO users(username, naam, rol, hash, aangemaakt) VALUES (?,?,?,?,?) "
                "ON CONFLICT(username) DO UPDATE SET naam=excluded.naam, rol=excluded.rol, "
                "hash=COALESCE(excluded.hash, users.hash)",
                (username, naam, rol, password_hash, dt.datetime.now().isoformat(timespec="seconds")))
            con.audit(user=by, action="gebruiker", layer=None, record_id=username,
                        before=None if before is None else dict(zip(["username", "naam", "rol"], before)),
                        after={"username": username, "naam": naam, "rol": rol})

    def remove_user(self, username: str, *, by: str = "beheer") -> bool:
        with self.transaction(bump=False) as con:
            cur = con.execute("DELETE FROM users WHERE username=?", (username,))
            if cur.rowcount:
                con.audit(user=by, action="gebruiker verwijderd", layer=None,
                            record_id=username, before={"username": username}, after=None)
            return cur.rowcount > 0

    def list_users(self) -> pd.DataFrame:
        if not self.exists():
            return pd.DataFrame(columns=["username", "naam", "rol", "aangemaakt"])
        con = self._connect()
        try:
            return pd.read_sql_query("SELECT username, naam, rol, aangemaakt FROM users ORDER BY username", con)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return pd.DataFrame(columns=["username", "naam", "rol", "aangemaakt"])
        finally:
            con.close()

    # -- login guard: failed attempts per key, sessions ended by logging out ---------
    def login_failures(self, keys: Iterable[str], *, since: float) -> dict[str, list[float]]:
        """Times (seconds since 1970, ascending) of the failed logins after ``since`` per key."""
        keys = list(keys)
        found: dict[str, list[float]] = {k: [] for k in keys}
        if not keys or not self.exists():
            return found
        con = self._connect()
        try:
            rows = con.execute(
                f"SELECT sleutel, tijdstip FROM login_pogingen WHERE sleutel IN "
                f"({', '.join('?' * len(keys))}) AND tijdstip > ? ORDER BY tijdstip",
                (*keys, float(since))).fetchall()
        except sqlite3.OperationalError:  # before revision 0004: nothing counted yet
            return found
        finally:
            con.close()
        for key, moment in rows:
            found[key].append(float(moment))
        return found

    def log_login(self, *, user: str, action: str, address: str | None, now: float,
                  forget_before: float, failed: Iterable[str] = (), cleared: Iterable[str] = ()
                  ) -> None:
        """One login attempt in one transaction: a failure row per key in ``failed``, the rows
        of ``cleared`` removed, rows older than ``forget_before`` removed, and the audit entry
        ``action`` (one of :data:`LOGIN_ACTIONS`) for ``user`` from ``address``."""
        with self.transaction(bump=False) as con:
            con.execute("DELETE FROM login_pogingen WHERE tijdstip < ?", (float(forget_before),))
            con.executemany("DELETE FROM login_pogingen WHERE sleutel = ?", [(k,) for k in cleared])
            con.executemany("INSERT INTO login_pogingen(sleutel, tijdstip) VALUES (?, ?)",
                            [(k, float(now)) for k in failed])
            con.audit(user=user, action=action, layer=None, record_id=user, before=None,
                        after={"adres": address} if address else None)

    def revoke_session(self, token_id: str, *, expires: float, user: str, now: float,
                       address: str | None = None) -> None:
        """End the session ``token_id`` (logout): refused from now on; audited as 'afmelding'."""
        with self.transaction(bump=False) as con:
            con.execute("DELETE FROM ingetrokken_sessies WHERE verloopt < ?", (float(now),))
            con.execute("INSERT OR REPLACE INTO ingetrokken_sessies(token_id, verloopt) VALUES (?, ?)",
                        (token_id, float(expires)))
            con.audit(user=user, action="afmelding", layer=None, record_id=user, before=None,
                        after={"adres": address} if address else None)

    def session_revoked(self, token_id: str) -> bool:
        if not self.exists():
            return False
        con = self._connect()
        try:
            row = con.execute("SELECT 1 FROM ingetrokken_sessies WHERE token_id = ?", (token_id,)).fetchone()
        except sqlite3.OperationalError:
            return False
        finally:
            con.close()
        return row is not None

    def login_events(self, limit: int = 200) -> pd.DataFrame:
        """The newest audit entries of logging in and out (:data:`LOGIN_ACTIONS`)."""
        columns = ["tijdstip", "gebruiker", "actie", "na"]
        if not self.exists():
            return pd.DataFrame(columns=columns)
        con = self._connect()
        try:
            return pd.read_sql_query(
                f"SELECT {', '.join(columns)} FROM audit WHERE NOT ({_NOT_LOGIN}) ORDER BY id DESC LIMIT ?",
                con, params=(int(limit),))
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return pd.DataFrame(columns=columns)
        finally:
            con.close()

    def save_upload(self, name: str, content: bytes, *, keep_name: bool = False) -> Path:
        """Keep an uploaded file in ``<data dir>/uploads/`` and return its path.

        The name starts with a hash of the content, so uploading the same file twice keeps
        one copy. With ``keep_name`` the file keeps its own name in a folder named by the hash
        (``uploads/<hash>/<name>``): for imports that record the file name or read a year from
        it (sectors, wijk tables, population).
        """
        import hashlib

        folder = self.data_dir / "uploads"
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(name).name) or "bestand"
        digest = hashlib.sha256(content).hexdigest()[:12]
        if keep_name:
            folder = folder / digest
        with self.disk_space(f"het bestand {safe}"):
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / (safe if keep_name else f"{digest}_{safe}")
        if not path.exists():
            tmp = _unique_tmp(path)
            try:
                with self.disk_space(f"het bestand {safe}"):
                    tmp.write_bytes(content)
            except CohesieError:
                tmp.unlink(missing_ok=True)
                raise
            tmp.replace(path)
        return path

    # -- derived files ----------------------------------------------------------------
    def has_display_file(self, name: str) -> bool:
        """Whether the derived file ``static/generated/<name>`` is there (its name carries the
        key of what it was made from, so one that exists is current)."""
        return _display_path(name).exists()

    def write_display_file(self, name: str, content: str) -> Path:
        """Write a derived file under ``static/generated/`` (served at /app/static)."""
        target = _display_path(name)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _unique_tmp(target)  # another server process may write the same file now
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(target)
        return target

    def write_bytes(self, path: Path, content: bytes) -> Path:
        """Write an export made in memory to ``path`` (via a temporary file, then renamed)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
        return path

    def write_export(self, frame, path: Path, *, fmt: str, layer_name: str = "laag") -> Path:
        """Write a table or layer to ``path`` as csv, xlsx, geojson or gpkg."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        elif fmt == "xlsx":
            frame.to_excel(path, index=False, sheet_name=layer_name[:31])
        elif fmt == "geojson":
            frame.to_file(path, driver="GeoJSON")
        elif fmt == "gpkg":
            frame.to_file(path, driver="GPKG", layer=layer_name)
        else:
            raise CohesieError(f"Onbekend formaat '{fmt}'. Kies csv, xlsx, geojson of gpkg.")
        return path


class SqliteWriter:
    """What :meth:`Store.transaction` yields: the open SQLite connection and the write
    methods of one transaction (:class:`~cohesie.storage.postgis.PostgisWriter` for PostGIS)."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def execute(self, sql: str, params=()):
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows):
        return self.connection.executemany(sql, rows)

    def set_meta(self, **values) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [(k, None if v is None else str(v)) for k, v in values.items()],
        )

    def log_import(self, *, soort: str, bestand: str | None, laag: str | None = None,
                   aantal: int | None = None, geweigerd: int | None = None) -> None:
        self.connection.execute(
            "INSERT INTO imports(tijdstip, soort, bestand, bestand_datum, laag, aantal, geweigerd)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            import_log_row(soort=soort, bestand=bestand, laag=laag, aantal=aantal, geweigerd=geweigerd),
        )

    def clear_all(self) -> None:
        for table in ("sectors", "wijkindeling", "population", "points", "acties", "imports",
                      "context_values", "context_meta"):
            self.connection.execute(f"DELETE FROM {table}")
        self.connection.execute("DELETE FROM meta WHERE key NOT IN ('data_version', 'schema_version')")

    def write_sectors(self, sectors: gpd.GeoDataFrame) -> None:
        """Replace the sectors table with ``sectors`` (EPSG:31370, SECTOR_COLUMNS)."""
        self.connection.execute("DELETE FROM sectors")
        rows = zip(*(sectors[c].astype(object).where(sectors[c].notna(), None)
                     for c in SECTOR_COLUMNS),
                   shapely.to_wkb(sectors.geometry.values))
        self.connection.executemany(
            f"INSERT INTO sectors({', '.join(SECTOR_COLUMNS)}, geom) VALUES (?,?,?,?,?,?,?)",
            rows,
        )

    def write_wijkindeling(self, table: pd.DataFrame) -> None:
        self.connection.execute("DELETE FROM wijkindeling")
        self.connection.executemany(
            "INSERT INTO wijkindeling(sector, wijk_code, wijk_naam) VALUES (?,?,?)",
            table[["sector", "wijk_code", "wijk_naam"]].itertuples(index=False, name=None),
        )

    def write_population(self, table: pd.DataFrame, *, jaar: str | None) -> None:
        self.connection.execute("DELETE FROM population")
        self.connection.executemany(
            "INSERT INTO population(sector, inwoners, jaar) VALUES (?,?,?)",
            [(s, int(n), jaar) for s, n in zip(table["sector"], table["inwoners"])],
        )

    def write_context(self, values: pd.DataFrame, meta: pd.DataFrame) -> None:
        """Store context figures: ``values`` (CONTEXT_VALUE_COLUMNS, no empty value) and
        ``meta`` (CONTEXT_META_COLUMNS without ``volgorde``); columns of the same name stored
        before are replaced, other columns stay. New columns come after the stored ones."""
        columns = [(k,) for k in meta["kolom"]]
        self.connection.executemany("DELETE FROM context_values WHERE kolom=?", columns)
        self.connection.executemany("DELETE FROM context_meta WHERE kolom=?", columns)
        start = self.connection.execute("SELECT coalesce(max(volgorde), 0) FROM context_meta").fetchone()[0]
        self.connection.executemany(
            "INSERT INTO context_values(niveau, code, kolom, waarde) VALUES (?,?,?,?)",
            context_value_rows(values))
        self.connection.executemany(
            f"INSERT INTO context_meta({', '.join(CONTEXT_META_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?)",
            context_meta_rows(meta, start=start))

    def upsert_points(self, records: pd.DataFrame, *, chunk: int = 20_000,
                      progress=None) -> tuple[int, int]:
        """Insert or update records keyed on (layer, id); ``records`` has POINT_COLUMNS.

        A record identical to the stored one is left alone (no version bump), so loading the
        same file twice changes nothing. ``progress(done, total)`` is called per chunk.

        Returns
        -------
        (int, int)
            Records inserted and records changed.
        """
        now = dt.datetime.now().isoformat(timespec="seconds")
        frame = records.reindex(columns=list(POINT_COLUMNS))
        for col in ("datum", "einddatum"):
            if col in frame:
                frame[col] = _iso_dates(frame[col])
        frame = frame.astype(object).where(frame.notna(), None)
        existing = set()
        for layer in frame["layer"].dropna().unique():
            existing.update((layer, i) for (i,) in
                            self.connection.execute("SELECT id FROM points WHERE layer=?", (layer,)))
        inserted = sum((lay, i) not in existing for lay, i in zip(frame["layer"], frame["id"]))
        cols = ", ".join(POINT_COLUMNS)
        marks = ", ".join("?" for _ in POINT_COLUMNS)
        data_cols = [c for c in POINT_COLUMNS if c not in ("layer", "id")]
        updates = ", ".join(f"{c}=excluded.{c}" for c in data_cols)
        differs = " OR ".join(f"points.{c} IS NOT excluded.{c}" for c in data_cols)
        sql = (f"INSERT INTO points({cols}, updated_at) VALUES ({marks}, ?) "
               f"ON CONFLICT(layer, id) DO UPDATE SET {updates}, version = version + 1, "
               f"updated_at = excluded.updated_at WHERE {differs}")
        before = self.connection.total_changes
        total = len(frame)
        rows = frame.itertuples(index=False, name=None)
        for start in range(0, total, chunk):
            self.connection.executemany(sql, ((*row, now) for _, row in zip(range(chunk), rows)))
            if progress is not None:
                progress(min(start + chunk, total), total)
        changed = self.connection.total_changes - before - inserted
        return inserted, changed

    def update_point_sectors(self, assignments: pd.DataFrame) -> None:
        """Set ``sector``/``wijk_code`` of existing points (after sectors or wijken change)."""
        self.connection.executemany(
            "UPDATE points SET sector=?, wijk_code=? WHERE layer=? AND id=?",
            assignments[["sector", "wijk_code", "layer", "id"]]
            .astype(object).where(assignments[["sector", "wijk_code", "layer", "id"]].notna(), None)
            .itertuples(index=False, name=None),
        )

    def insert_actions(self, actions: pd.DataFrame) -> None:
        self.connection.executemany(
            "INSERT INTO acties(pleinmaker_id, datum, soort, beschrijving) VALUES (?,?,?,?)",
            actions.assign(datum=_iso_dates(actions["datum"]))[
                ["pleinmaker_id", "datum", "soort", "beschrijving"]
            ].itertuples(index=False, name=None),
        )

    def read_frame(self, query: str) -> pd.DataFrame:
        """Run a read-only ``query`` inside the write transaction."""
        return pd.read_sql_query(query, self.connection)

    def point_locations(self) -> pd.DataFrame:
        """``layer, id, x, y, wijk_ref`` of every stored point (to join them again in Python)."""
        return self.read_frame(POINT_LOCATIONS_QUERY)

    def stored_wijkindeling(self) -> pd.DataFrame:
        """The stored sector → wijk table, as this transaction sees it."""
        return self.read_frame(WIJKINDELING_QUERY)

    def population_sectors(self) -> pd.DataFrame:
        """The sectors (column ``sector``) of the stored population, as this transaction sees it."""
        return self.read_frame(POPULATION_SECTORS_QUERY)

    def rejoin_points(self) -> int | None:
        """Re-join every stored point to the stored sectors and wijken with SQL.

        Returns how many located points fell outside every sector, or None when the backend
        leaves the join to Python (:func:`cohesie.operations._rejoin_points`).
        """
        return None

    def audit(self, *, user: str, action: str, layer: str | None, record_id: str | None,
               before: dict | None, after: dict | None) -> None:
        self.connection.execute(
            "INSERT INTO audit(tijdstip, gebruiker, actie, layer, record_id, voor, na) "
            "VALUES (?,?,?,?,?,?,?)",
            (dt.datetime.now().isoformat(timespec="seconds"), user, action, layer, record_id,
             None if before is None else json.dumps(before, ensure_ascii=False, default=str),
             None if after is None else json.dumps(after, ensure_ascii=False, default=str)),
        )

    def point_row(self, layer: str, record_id: str) -> dict | None:
        cur = self.connection.execute("SELECT * FROM points WHERE layer=? AND id=?", (layer, record_id))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))


class ConflictError(CohesieError):
    """Someone else saved the record first; ``current`` holds the values now stored."""

    def __init__(self, current: dict):
        self.current = current
        super().__init__(
            f"Iemand anders heeft dit record intussen gewijzigd (versie {current.get('version')}, "
            f"om {current.get('updated_at')}). Je wijziging is niet bewaard; bekijk de huidige "
            "waarden en probeer opnieuw.")


def is_disk_full(err: BaseException) -> bool:
    """Whether ``err`` says the disk is full (SQLite's SQLITE_FULL or an OSError ENOSPC)."""
    if isinstance(err, sqlite3.OperationalError):
        return (getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
                or "database or disk is full" in str(err))
    return isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT)


def _mount_point(path: Path) -> Path:
    """The mount point of the disk holding ``path`` (or of its nearest existing parent)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def check_backup(path: Path) -> list[str]:
    """Why ``path`` cannot be restored (Dutch, empty when it can)."""
    path = Path(path)
    if not path.is_file():
        return [f"bestand {path} niet gevonden"]
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            return ["het is geen SQLite-databank"]
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        return [f"de databank is beschadigd ({err})"]
    problems = []
    if check != "ok":
        problems.append(f"de databank is beschadigd ({check})")
    missing = sorted({"meta", "sectors", "points"} - tables)
    if missing:
        problems.append(f"tabellen {', '.join(missing)} ontbreken (geen Cohesiekaart-databank)")
    if revision is not None and revision > schema.HEAD:
        problems.append(f"schemaversie {revision} is nieuwer dan deze versie van Cohesiekaart "
                        f"({schema.HEAD}); werk de toepassing eerst bij")
    return problems


def ensure_map_assets() -> dict[str, str]:
    """Copy Leaflet from its installed package to ``static/vendor`` (once) for offline maps.

    Returns
    -------
    dict
        ``{"js": [...], "css": [...]}`` paths relative to the static folder.
    """
    import xstatic.pkg.leaflet as xleaflet

    target = settings.static_dir() / "vendor" / f"leaflet-{xleaflet.VERSION}"
    if not (target / "leaflet.js").exists():
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(xleaflet.BASE_DIR, tmp)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    rel = f"vendor/{target.name}"
    return {"js": [f"{rel}/leaflet.js"], "css": [f"{rel}/leaflet.css"]}


def import_log_row(*, soort: str, bestand, laag, aantal, geweigerd) -> tuple:
    """Values of one ``imports`` row, in column order (both backends): now, what, the source
    file and its modification time."""
    bestand_datum = None
    if bestand and Path(bestand).exists():
        bestand_datum = dt.datetime.fromtimestamp(Path(bestand).stat().st_mtime).isoformat(timespec="seconds")
    return (dt.datetime.now().isoformat(timespec="seconds"), soort, str(bestand) if bestand else None,
            bestand_datum, laag, aantal, geweigerd)


CHECK_QUERIES = {
    "wijkindeling": "SELECT sector, wijk_code, wijk_naam FROM wijkindeling ORDER BY sector",
    "population": "SELECT sector, inwoners FROM population ORDER BY sector",
    "points": "SELECT layer, count(*) AS n, "
              "sum(CASE WHEN x IS NOT NULL AND sector IS NULL THEN 1 ELSE 0 END) AS buiten, "
              "sum(CASE WHEN x IS NULL AND wijk_code IS NULL THEN 1 ELSE 0 END) AS zonder_plaats "
              "FROM points GROUP BY layer ORDER BY layer",
}


def _check_tables(read) -> dict[str, pd.DataFrame]:
    """:data:`CHECK_QUERIES` through ``read(query)`` (empty tables when ``read`` is None)."""
    columns = {"wijkindeling": ["sector", "wijk_code", "wijk_naam"], "population": ["sector", "inwoners"],
               "points": ["layer", "n", "buiten", "zonder_plaats"]}
    out = {}
    for name, query in CHECK_QUERIES.items():
        frame = read(query) if read is not None else pd.DataFrame(columns=columns[name])
        if name == "points":
            frame[["n", "buiten", "zonder_plaats"]] = frame[["n", "buiten", "zonder_plaats"]].fillna(0).astype("int64")
        out[name] = frame
    return out


def _iso_dates(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, errors="coerce")
    return values.dt.strftime("%Y-%m-%d").where(values.notna(), None)


def _sector_frame(raw: pd.DataFrame) -> gpd.GeoDataFrame:
    """Stored sector rows (geometry as WKB in ``geom``) as a GeoDataFrame in EPSG:31370."""
    if raw.empty:
        return empty_sector_table()
    geoms = shapely.from_wkb(np.array([bytes(g) for g in raw.pop("geom")], dtype=object))
    return gpd.GeoDataFrame(raw, geometry=gpd.GeoSeries(geoms, crs=settings.ANALYSIS_CRS))


POINT_SUMMARY_QUERY = (
    "SELECT layer, type, count(*) AS n, sum(CASE WHEN x IS NULL THEN 1 ELSE 0 END) AS zonder_punt, "
    "min({datum}) AS eerste, max({datum}) AS laatste FROM points GROUP BY layer, type")


def _summary_frame(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    for col in ("eerste", "laatste"):  # via ISO text, as the points themselves are read
        rows[col] = pd.to_datetime(rows[col].map(
            lambda d: None if d is None or (not isinstance(d, str) and pd.isna(d))
            else d if isinstance(d, str) else d.isoformat()), errors="coerce")
    rows[["n", "zonder_punt"]] = rows[["n", "zonder_punt"]].astype("int64")
    return rows.sort_values(["layer", "type"], na_position="last", ignore_index=True)[SUMMARY_COLUMNS]


@dataclass(frozen=True)
class _Dialect:
    """How the grouped counts' SQL differs between the backends."""

    param: str  # a named parameter: format with the name
    datum: str  # the stored date columns as comparable values: format with the column
    month: str  # first day of the month of datum, as ISO text: format with the column


SQLITE_DIALECT = _Dialect(param=":{}", datum="date({})", month="strftime('%Y-%m-01', {})")
POSTGIS_DIALECT = _Dialect(param="%({})s", datum="{}",
                           month="to_char(date_trunc('month', {}), 'YYYY-MM-DD')")


def _in(column: str, name: str, values, params: dict, d: _Dialect) -> str:
    """``column IN (values)`` with one named parameter per value (both backends)."""
    values = list(values)
    if not values:
        return "FALSE" if d is POSTGIS_DIALECT else "0"
    marks = []
    for i, value in enumerate(values):
        params[f"{name}_{i}"] = value
        marks.append(d.param.format(f"{name}_{i}"))
    return f"{column} IN ({', '.join(marks)})"


def _date_param(value, d: _Dialect):
    """A window bound as the backend compares it with a stored date."""
    stamp = pd.Timestamp(value)
    if d is POSTGIS_DIALECT:
        return stamp.to_pydatetime()
    # stored dates are ISO text (YYYY-MM-DD): a bound at midnight as a date, else with its time
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()


def _grouped_sql(sel: CountSelection, by: str, d: _Dialect) -> tuple[str, dict]:
    """The SQL of :meth:`Store.grouped_counts` in dialect ``d`` and its parameters."""
    true, false = ("TRUE", "FALSE") if d is POSTGIS_DIALECT else ("1", "0")
    params: dict = {}
    p = d.param.format
    datum, eind = d.datum.format("p.datum"), d.datum.format("p.einddatum")
    where = [_in("p.layer", "layers", sel.layers, params, d)]
    if sel.excluded_status is not None:
        params["excluded"] = sel.excluded_status
        where.append(f"COALESCE(p.status, '') <> {p('excluded')}")
    event = _in("p.layer", "events", sel.event_layers, params, d)
    if sel.start is not None:
        params["start"] = _date_param(sel.start, d)
        where.append(f"CASE WHEN {event} THEN {datum} >= {p('start')} "
                     f"ELSE {eind} IS NULL OR {eind} >= {p('start')} END")
    if sel.end is not None:
        params["end"] = _date_param(sel.end, d)
        where.append(f"CASE WHEN {event} THEN {datum} <= {p('end')} "
                     f"ELSE {datum} IS NULL OR {datum} <= {p('end')} END")
    for kind, column, pairs in (("t", "p.type", sel.types), ("s", "p.status", sel.statuses)):
        for n, (layer, values) in enumerate(pairs):
            params[f"{kind}l{n}"] = layer
            where.append(f"(p.layer <> {p(f'{kind}l{n}')} OR {_in(column, f'{kind}v{n}', values, params, d)})")
    if sel.wijken:
        where.append(_in("p.wijk_code", "wijken", sel.wijken, params, d))
    counted = [true]
    for n, (layer, statuses) in enumerate(sel.counted):
        params[f"cl{n}"] = layer
        counted.append(f"(p.layer <> {p(f'cl{n}')} OR {_in('p.status', f'cv{n}', statuses, params, d)})")
    proposed = [false]
    for n, (layer, statuses) in enumerate(sel.proposed):
        params[f"pl{n}"] = layer
        proposed.append(f"(p.layer = {p(f'pl{n}')} AND {_in('p.status', f'pv{n}', statuses, params, d)})")
    flagged = [false]
    for n, (layer, types) in enumerate(sel.flagged):
        params[f"fl{n}"] = layer
        flagged.append(f"(p.layer = {p(f'fl{n}')} AND {_in('p.type', f'fv{n}', types, params, d)})")
    counted_sql, proposed_sql = f"({' AND '.join(counted)})", f"({' OR '.join(proposed)})"
    flagged_sql = f"({' OR '.join(flagged)})"
    conditions = " AND ".join(f"({w})" for w in where)

    def n_of(condition: str) -> str:
        return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    if by == "area":
        sql = (f"SELECT p.sector, p.wijk_code, p.layer, {n_of(counted_sql)} AS n, "
               f"{n_of(f'{counted_sql} AND {flagged_sql}')} AS zorg, {n_of(proposed_sql)} AS voorstel "
               f"FROM points p WHERE {conditions} AND ({counted_sql} OR {proposed_sql}) "
               "GROUP BY p.sector, p.wijk_code, p.layer")
    else:
        month = d.month.format(datum)
        sql = (f"SELECT {month} AS maand, p.type, count(*) AS n FROM points p "
               f"WHERE {conditions} AND {counted_sql} AND {datum} IS NOT NULL AND p.type IS NOT NULL "
               f"GROUP BY {month}, p.type")
    return sql, params


def _grouped_frame(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows of :func:`_grouped_sql` with plain dtypes (both backends)."""
    rows = rows.reindex(columns=GROUPED_COLUMNS[by])
    counts = [c for c in ("n", "zorg", "voorstel") if c in rows]
    rows[counts] = rows[counts].fillna(0).astype("int64")
    if by == "month":
        rows["maand"] = pd.to_datetime(rows["maand"])
    return rows.reset_index(drop=True)


def context_value_rows(values: pd.DataFrame) -> list[tuple]:
    """Rows for ``context_values`` (both backends), empty values left out."""
    values = values[values["waarde"].notna()]
    return [(str(n), str(c), str(k), float(w)) for n, c, k, w in
            values[list(CONTEXT_VALUE_COLUMNS)].itertuples(index=False, name=None)]


def context_meta_rows(meta: pd.DataFrame, *, start: int) -> list[tuple]:
    """Rows for ``context_meta`` (both backends), numbered on from ``start`` in their order."""
    rows = []
    for i, row in enumerate(meta.to_dict("records"), start=start + 1):
        rows.append(tuple(None if pd.isna(row.get(c)) else str(row.get(c))
                          for c in CONTEXT_META_COLUMNS[:-1]) + (i,))
    return rows


def _context_values(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=list(CONTEXT_VALUE_COLUMNS))
    frame["waarde"] = pd.to_numeric(frame["waarde"], errors="coerce").astype("float64")
    return frame


def _unique_tmp(path: Path) -> Path:
    """A temporary name beside ``path`` that no other process or thread uses (pid + random)."""
    import uuid

    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def _display_path(name: str) -> Path:
    """Where the derived display file ``name`` lives: ``static/generated/`` (served at /app/static)."""
    return settings.static_dir() / "generated" / name
