"""The only module that touches disk: the SQLite database in the data directory and the files
derived from it (display GeoJSON, offline map assets, exports, rejects).

Layout of ``<data dir>/cohesie.sqlite``:

- ``meta``: key/value (``nis``, ``gemeente``, ``is_demo``, ``data_version``, source files)
- ``sectors``: one row per statistical sector, geometry as WKB in EPSG:31370
- ``wijkindeling``: sector → wijk table imported from the city (optional)
- ``population``: inhabitants per sector (Statbel ``OPENDATA_SECTOREN_<jaar>``)
- ``points``: the five layers (one table, column ``layer``), x/y in EPSG:31370 and the sector
  the point lies in, joined when written
- ``acties``: actions of pleinmakers
- ``imports``: log of every import (what, when, source file)

Every write runs in one transaction and bumps ``data_version``, which caches key on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import settings
from cohesie.errors import CohesieError
from cohesie.layers import EXTRA_FIELDS

SCHEMA_VERSION = 1
POINT_COLUMNS = ("layer", "id", "naam", "type", "status", "datum", *EXTRA_FIELDS,
                 "wijk_ref", "x", "y", "sector", "wijk_code")
SECTOR_COLUMNS = ("code", "naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam")


def _ddl() -> str:
    extra = "".join(f", {name} TEXT" for name in EXTRA_FIELDS)
    return f"""
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS sectors (
        code TEXT PRIMARY KEY, naam TEXT, deelgemeente TEXT, deelgemeente_naam TEXT,
        nis TEXT NOT NULL, gemeente_naam TEXT, geom BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS wijkindeling (
        sector TEXT PRIMARY KEY, wijk_code TEXT NOT NULL, wijk_naam TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS population (
        sector TEXT PRIMARY KEY, inwoners INTEGER NOT NULL, jaar TEXT);
    CREATE TABLE IF NOT EXISTS points (
        layer TEXT NOT NULL, id TEXT NOT NULL, naam TEXT, type TEXT, status TEXT,
        datum TEXT{extra}, wijk_ref TEXT, x REAL, y REAL, sector TEXT, wijk_code TEXT,
        version INTEGER NOT NULL DEFAULT 1, updated_at TEXT,
        PRIMARY KEY (layer, id));
    CREATE INDEX IF NOT EXISTS points_sector ON points (sector);
    CREATE TABLE IF NOT EXISTS acties (
        id INTEGER PRIMARY KEY AUTOINCREMENT, pleinmaker_id TEXT NOT NULL, datum TEXT NOT NULL,
        soort TEXT, beschrijving TEXT);
    CREATE TABLE IF NOT EXISTS imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tijdstip TEXT NOT NULL, soort TEXT NOT NULL,
        bestand TEXT, bestand_datum TEXT, laag TEXT, aantal INTEGER, geweigerd INTEGER);
    CREATE TABLE IF NOT EXISTS users (
        username TEXT PRIMARY KEY, naam TEXT, rol TEXT NOT NULL, hash TEXT, aangemaakt TEXT);
    CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tijdstip TEXT NOT NULL, gebruiker TEXT NOT NULL,
        actie TEXT NOT NULL, layer TEXT, record_id TEXT, voor TEXT, na TEXT);
    CREATE INDEX IF NOT EXISTS audit_record ON audit (layer, record_id);
    """


@dataclass
class Dataset:
    """Everything loaded from one data directory (read-only for callers).

    ``sectors`` is a GeoDataFrame in EPSG:31370 indexed by nothing in particular with columns
    ``code, naam, deelgemeente, deelgemeente_naam, wijk_code, wijk_naam, inwoners``;
    ``points`` has one row per record with ``datum``/``einddatum`` as datetimes.
    """

    sectors: gpd.GeoDataFrame
    points: pd.DataFrame
    acties: pd.DataFrame
    meta: dict
    imports: pd.DataFrame
    unlocated_population: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def version(self) -> int:
        return int(self.meta.get("data_version", 0))

    @property
    def is_demo(self) -> bool:
        return self.meta.get("is_demo") == "1"

    @property
    def nis(self) -> str | None:
        return self.meta.get("nis")

    @property
    def empty(self) -> bool:
        return self.sectors.empty


class Store:
    """The database of one data directory."""

    def __init__(self, data_dir: str | Path | None = None):
        self.data_dir = settings.data_dir(data_dir)
        self.path = self.data_dir / settings.DB_FILENAME

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
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA foreign_keys=ON")
        return con

    @contextlib.contextmanager
    def transaction(self, *, bump: bool = True):
        """One write transaction; bumps ``data_version`` (unless ``bump`` is False, for writes
        that change no displayed data, such as accounts); rolls back on any error."""
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            for stmt in _ddl().split(";"):
                if stmt.strip():
                    con.execute(stmt)
            yield con
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
    @staticmethod
    def set_meta(con: sqlite3.Connection, **values) -> None:
        con.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [(k, None if v is None else str(v)) for k, v in values.items()],
        )

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

    @staticmethod
    def log_import(con, *, soort: str, bestand: str | None, laag: str | None = None,
                   aantal: int | None = None, geweigerd: int | None = None) -> None:
        bestand_datum = None
        if bestand and Path(bestand).exists():
            bestand_datum = dt.datetime.fromtimestamp(Path(bestand).stat().st_mtime).isoformat(
                timespec="seconds")
        con.execute(
            "INSERT INTO imports(tijdstip, soort, bestand, bestand_datum, laag, aantal, geweigerd)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (dt.datetime.now().isoformat(timespec="seconds"), soort,
             str(bestand) if bestand else None, bestand_datum, laag, aantal, geweigerd),
        )

    # -- writes ---------------------------------------------------------------------
    @staticmethod
    def clear_all(con: sqlite3.Connection) -> None:
        for table in ("sectors", "wijkindeling", "population", "points", "acties", "imports"):
            con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM meta WHERE key NOT IN ('data_version', 'schema_version')")

    @staticmethod
    def write_sectors(con, sectors: gpd.GeoDataFrame) -> None:
        """Replace the sectors table with ``sectors`` (EPSG:31370, SECTOR_COLUMNS)."""
        con.execute("DELETE FROM sectors")
        rows = zip(*(sectors[c].astype(object).where(sectors[c].notna(), None)
                     for c in SECTOR_COLUMNS),
                   shapely.to_wkb(sectors.geometry.values))
        con.executemany(
            f"INSERT INTO sectors({', '.join(SECTOR_COLUMNS)}, geom) VALUES (?,?,?,?,?,?,?)",
            rows,
        )

    @staticmethod
    def write_wijkindeling(con, table: pd.DataFrame) -> None:
        con.execute("DELETE FROM wijkindeling")
        con.executemany(
            "INSERT INTO wijkindeling(sector, wijk_code, wijk_naam) VALUES (?,?,?)",
            table[["sector", "wijk_code", "wijk_naam"]].itertuples(index=False, name=None),
        )

    @staticmethod
    def write_population(con, table: pd.DataFrame, *, jaar: str | None) -> None:
        con.execute("DELETE FROM population")
        con.executemany(
            "INSERT INTO population(sector, inwoners, jaar) VALUES (?,?,?)",
            [(s, int(n), jaar) for s, n in zip(table["sector"], table["inwoners"])],
        )

    @staticmethod
    def upsert_points(con, records: pd.DataFrame, *, chunk: int = 20_000,
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
                            con.execute("SELECT id FROM points WHERE layer=?", (layer,)))
        inserted = sum((lay, i) not in existing for lay, i in zip(frame["layer"], frame["id"]))
        cols = ", ".join(POINT_COLUMNS)
        marks = ", ".join("?" for _ in POINT_COLUMNS)
        data_cols = [c for c in POINT_COLUMNS if c not in ("layer", "id")]
        updates = ", ".join(f"{c}=excluded.{c}" for c in data_cols)
        differs = " OR ".join(f"points.{c} IS NOT excluded.{c}" for c in data_cols)
        sql = (f"INSERT INTO points({cols}, updated_at) VALUES ({marks}, ?) "
               f"ON CONFLICT(layer, id) DO UPDATE SET {updates}, version = version + 1, "
               f"updated_at = excluded.updated_at WHERE {differs}")
        before = con.total_changes
        total = len(frame)
        rows = frame.itertuples(index=False, name=None)
        for start in range(0, total, chunk):
            con.executemany(sql, ((*row, now) for _, row in zip(range(chunk), rows)))
            if progress is not None:
                progress(min(start + chunk, total), total)
        changed = con.total_changes - before - inserted
        return inserted, changed

    @staticmethod
    def update_point_sectors(con, assignments: pd.DataFrame) -> None:
        """Set ``sector``/``wijk_code`` of existing points (after sectors or wijken change)."""
        con.executemany(
            "UPDATE points SET sector=?, wijk_code=? WHERE layer=? AND id=?",
            assignments[["sector", "wijk_code", "layer", "id"]]
            .astype(object).where(assignments[["sector", "wijk_code", "layer", "id"]].notna(), None)
            .itertuples(index=False, name=None),
        )

    @staticmethod
    def insert_actions(con, actions: pd.DataFrame) -> None:
        con.executemany(
            "INSERT INTO acties(pleinmaker_id, datum, soort, beschrijving) VALUES (?,?,?,?)",
            actions.assign(datum=_iso_dates(actions["datum"]))[
                ["pleinmaker_id", "datum", "soort", "beschrijving"]
            ].itertuples(index=False, name=None),
        )

    # -- reads ----------------------------------------------------------------------
    def read_points(self, con=None) -> pd.DataFrame:
        own = con is None
        con = con or self._connect()
        try:
            frame = pd.read_sql_query("SELECT * FROM points", con)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            frame = pd.DataFrame(columns=[*POINT_COLUMNS, "version", "updated_at"])
        finally:
            if own:
                con.close()
        for col in ("datum", "einddatum"):
            frame[col] = pd.to_datetime(frame[col], errors="coerce")
        return frame

    def load(self) -> Dataset:
        """Read the whole data directory into a :class:`Dataset` (sectors with their wijk)."""
        if not self.exists():
            return _empty_dataset()
        con = self._connect()
        try:
            for stmt in _ddl().split(";"):
                if stmt.strip():
                    con.execute(stmt)
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            raw = pd.read_sql_query("SELECT * FROM sectors ORDER BY code", con)
            wijken = pd.read_sql_query("SELECT * FROM wijkindeling", con)
            pop = pd.read_sql_query("SELECT sector, inwoners FROM population", con)
            acties = pd.read_sql_query("SELECT * FROM acties ORDER BY datum", con)
            imports = pd.read_sql_query("SELECT * FROM imports ORDER BY id", con)
            points = self.read_points(con)
        finally:
            con.close()
        from cohesie import areas

        geoms = shapely.from_wkb(raw.pop("geom").to_numpy()) if len(raw) else np.array([])
        sectors = gpd.GeoDataFrame(raw, geometry=gpd.GeoSeries(geoms, crs=settings.ANALYSIS_CRS))
        sectors, notes = areas.attach_wijken(sectors, wijken)
        sectors, unlocated = areas.attach_population(sectors, pop)
        acties["datum"] = pd.to_datetime(acties["datum"], errors="coerce")
        return Dataset(sectors=sectors, points=points, acties=acties, meta=meta,
                       imports=imports, unlocated_population=unlocated, notes=notes)

    def load_sectors(self) -> gpd.GeoDataFrame:
        """Only the sectors with their wijk (EPSG:31370): what a point import checks against,
        without reading every stored point."""
        from cohesie import areas

        if not self.exists():
            return areas.empty_sectors()
        con = self._connect()
        try:
            raw = pd.read_sql_query("SELECT * FROM sectors ORDER BY code", con)
            wijken = pd.read_sql_query("SELECT * FROM wijkindeling", con)
        except (sqlite3.OperationalError, pd.errors.DatabaseError):
            return areas.empty_sectors()
        finally:
            con.close()
        if raw.empty:
            return areas.empty_sectors()
        geoms = shapely.from_wkb(raw.pop("geom").to_numpy())
        sectors = gpd.GeoDataFrame(raw, geometry=gpd.GeoSeries(geoms, crs=settings.ANALYSIS_CRS))
        return areas.attach_wijken(sectors, wijken)[0]

    def write_rejects(self, rejects: pd.DataFrame, *, layer: str, source: str) -> Path:
        """Keep refused rows (row number, reason, original columns) in ``<data dir>/geweigerd/``."""
        folder = self.data_dir / "geweigerd"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(source).stem)
        path = folder / f"{stamp}_{layer}_{safe}.csv"
        rejects.to_csv(path, index=False, encoding="utf-8-sig")
        return path

    # -- edits with audit trail and optimistic locking ------------------------------
    @staticmethod
    def _audit(con, *, user: str, action: str, layer: str | None, record_id: str | None,
               before: dict | None, after: dict | None) -> None:
        con.execute(
            "INSERT INTO audit(tijdstip, gebruiker, actie, layer, record_id, voor, na) "
            "VALUES (?,?,?,?,?,?,?)",
            (dt.datetime.now().isoformat(timespec="seconds"), user, action, layer, record_id,
             None if before is None else json.dumps(before, ensure_ascii=False, default=str),
             None if after is None else json.dumps(after, ensure_ascii=False, default=str)),
        )

    @staticmethod
    def _point_row(con, layer: str, record_id: str) -> dict | None:
        cur = con.execute("SELECT * FROM points WHERE layer=? AND id=?", (layer, record_id))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def get_point(self, layer: str, record_id: str) -> dict | None:
        con = self._connect()
        try:
            return self._point_row(con, layer, record_id)
        finally:
            con.close()

    def create_point(self, record: dict, *, user: str) -> dict:
        """Insert one new record (fails if its id exists); audited as 'aangemaakt'."""
        with self.transaction() as con:
            if self._point_row(con, record["layer"], record["id"]) is not None:
                raise CohesieError(f"Record {record['id']} bestaat al in laag {record['layer']}.")
            self.upsert_points(con, pd.DataFrame([record]))
            after = self._point_row(con, record["layer"], record["id"])
            self._audit(con, user=user, action="aangemaakt", layer=record["layer"],
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
            before = self._point_row(con, layer, record_id)
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
            after = self._point_row(con, layer, record_id)
            self._audit(con, user=user, action=action, layer=layer, record_id=record_id,
                        before=before, after=after)
        return after

    def add_action(self, action: dict, *, user: str) -> None:
        with self.transaction() as con:
            self.insert_actions(con, pd.DataFrame([action]))
            self._audit(con, user=user, action="actie", layer="pleinmakers",
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
                "ORDER BY id DESC LIMIT ?", con, params=(int(limit),))
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
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(secrets.token_bytes(32))
            tmp.chmod(0o600)
            tmp.replace(path)
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
            self._audit(con, user=by, action="gebruiker", layer=None, record_id=username,
                        before=None if before is None else dict(zip(["username", "naam", "rol"], before)),
                        after={"username": username, "naam": naam, "rol": rol})

    def remove_user(self, username: str, *, by: str = "beheer") -> bool:
        with self.transaction(bump=False) as con:
            cur = con.execute("DELETE FROM users WHERE username=?", (username,))
            if cur.rowcount:
                self._audit(con, user=by, action="gebruiker verwijderd", layer=None,
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

    def save_upload(self, name: str, content: bytes) -> Path:
        """Keep an uploaded file in ``<data dir>/uploads/`` and return its path.

        The name starts with a hash of the content, so uploading the same file twice keeps
        one copy.
        """
        import hashlib

        folder = self.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(name).name) or "bestand"
        path = folder / f"{hashlib.sha256(content).hexdigest()[:12]}_{safe}"
        if not path.exists():
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(content)
            tmp.replace(path)
        return path

    # -- derived files ----------------------------------------------------------------
    def write_display_file(self, name: str, content: str) -> Path:
        """Write a derived file under ``static/generated/`` (served at /app/static)."""
        target = settings.static_dir() / "generated" / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(target)
        return target

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


class ConflictError(CohesieError):
    """Someone else saved the record first; ``current`` holds the values now stored."""

    def __init__(self, current: dict):
        self.current = current
        super().__init__(
            f"Iemand anders heeft dit record intussen gewijzigd (versie {current.get('version')}, "
            f"om {current.get('updated_at')}). Je wijziging is niet bewaard; bekijk de huidige "
            "waarden en probeer opnieuw.")


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


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _iso_dates(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, errors="coerce")
    return values.dt.strftime("%Y-%m-%d").where(values.notna(), None)


def _empty_dataset() -> Dataset:
    from cohesie import areas

    return Dataset(sectors=areas.empty_sectors(), points=pd.DataFrame(columns=list(POINT_COLUMNS)),
                   acties=pd.DataFrame(columns=["pleinmaker_id", "datum", "soort", "beschrijving"]),
                   meta={}, imports=pd.DataFrame())

