"""Indicators at Flanders scale on PostGIS versus the embedded backend (prints figures; not a test).

Usage: ``COHESIE_BENCH_DB_URL=postgresql+psycopg://... python bench/bench_postgis.py [N]``
(falls back to ``$COHESIE_TEST_DB_URL``). Loads ../shared/geodata/flanders (about 10,000
sectors, their wijken and population) plus N generated signals (default 1,000,000) into a
temporary SQLite data directory and into a fresh schema of the PostGIS database, then times
writing, counting per area in the store and the full indicators table. Skips with a message
when the shared data or PostgreSQL is absent.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import geopandas as gpd
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cohesie import counting, dataset, indicators, spatial  # noqa: E402
from cohesie.ingest import statbel  # noqa: E402
from cohesie.storage import open_store  # noqa: E402

FLANDERS = REPO.parent / "shared" / "geodata" / "flanders"
TYPES = ("hangjongeren", "wildplassen", "zwerfvuil", "burenoverlast", "zorgsignaal")


def timed(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"  {label:<44} {time.perf_counter() - start:8.2f} s", flush=True)
    return out


def flanders():
    raw = gpd.read_file(FLANDERS / "sectors_flanders_approx_31370.gpkg", layer="sectors")
    sectors = raw.rename(columns={"cd_sector": "code", "tx_sector_descr_nl": "naam",
                                  "cd_sub_munty": "deelgemeente", "tx_sub_munty_nl": "deelgemeente_naam",
                                  "cd_munty_refnis": "nis", "tx_munty_descr_nl": "gemeente_naam"})
    sectors = sectors[["code", "naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam",
                       "geometry"]].to_crs(31370)
    wijken = statbel.wijkindeling_from_csv(FLANDERS / "wijkindeling_flanders.csv")
    wijken = wijken[wijken["sector"].isin(sectors["code"])]
    pop = pd.read_csv(FLANDERS / "OPENDATA_SECTOREN_flanders_synthetic.txt", sep="|",
                      dtype=str, encoding="utf-8-sig")
    pop = pd.DataFrame({"sector": pop["CD_SECTOR"], "inwoners": pop["TOTAL"].astype(int)})
    return sectors, wijken, pop


def signals(sectors, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(31370)
    minx, miny, maxx, maxy = sectors.total_bounds
    x = rng.uniform(minx, maxx, int(n * 2.5))
    y = rng.uniform(miny, maxy, int(n * 2.5))
    sector = spatial.sector_of_points(x, y, sectors)
    keep = np.flatnonzero(sector != None)[:n]  # noqa: E711 - object array of codes
    wijk = sectors.set_index("code")["wijk_code"]
    days = rng.integers(0, 5 * 365, len(keep))
    return pd.DataFrame({
        "layer": "signalen", "id": [f"S{i}" for i in range(len(keep))], "naam": None,
        "type": rng.choice(TYPES, len(keep)), "status": "open",
        "datum": pd.Timestamp("2021-01-01") + pd.to_timedelta(days, unit="D"),
        "x": x[keep], "y": y[keep], "sector": sector[keep],
        "wijk_code": pd.Series(sector[keep]).map(wijk).to_numpy()})


def fill(store, sectors, wijken, pop, points):
    with store.transaction() as con:
        con.write_sectors(sectors)
        con.write_wijkindeling(wijken)
        con.write_population(pop, jaar="synthetisch")
        con.upsert_points(points)
        con.set_meta(nis=sectors["nis"].iloc[0], gemeente="Vlaanderen")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    if not FLANDERS.exists():
        print(f"Overgeslagen: gedeelde gegevens ontbreken ({FLANDERS}).")
        return
    url = os.environ.get("COHESIE_BENCH_DB_URL") or os.environ.get("COHESIE_TEST_DB_URL")
    if not url:
        print("Overgeslagen: zet COHESIE_BENCH_DB_URL (of COHESIE_TEST_DB_URL) op een "
              "PostgreSQL-database met PostGIS.")
        return
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    try:
        admin = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                                dbname=u.database, autocommit=True)
    except psycopg.OperationalError as err:
        print(f"Overgeslagen: PostgreSQL niet bereikbaar ({err}).")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    pg_url = f"{url}{sep}options={quote(f'-csearch_path={schema},public')}"
    try:
        sectors, wijken, pop = flanders()
        from cohesie import areas

        with_wijk = areas.attach_wijken(sectors, wijken)[0]
        points = timed(f"{n:,} signalen genereren".replace(",", "."), lambda: signals(with_wijk, n))
        print(f"{len(sectors)} sectoren, {wijken['wijk_code'].nunique()} wijken, {len(points)} signalen")
        filters = indicators.Filters(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-12-31"))
        with tempfile.TemporaryDirectory() as tmp:
            for name, store in (("SQLite (ingebouwd)", open_store(Path(tmp) / "sqlite")),
                                ("PostGIS", open_store(Path(tmp) / "pg", url=pg_url))):
                print(name)
                timed("schrijven (sectoren, wijken, bevolking, punten)",
                      lambda: fill(store, sectors, wijken, pop, points))
                engine = counting.DatabaseCounts(store, dataset.load_sectors(store))
                for level in ("sector", "wijk", "deelgemeente"):
                    counts = timed(f"DatabaseCounts.area_counts {level}, 2024",
                                   lambda: engine.area_counts(level, filters))
                data = timed("load zonder signalen", lambda: dataset.load(store, point_layers=("meubilair",)))
                table = timed("indicatoren per wijk (tellen in de store)", lambda: indicators.per_area(
                    data.sectors, data.points, level="wijk", filters=filters,
                    counts=counting.DatabaseCounts(store, data.sectors).area_counts("wijk", filters)))
                print(f"  {int(counts['signalen'].sum())} signalen in 2024 geteld; "
                      f"{len(table)} wijken; totaal {int(table['signalen'].sum())}")
                if not store.counts_in_database:
                    full = timed("load met alle signalen (wat de app leest)", lambda: dataset.load(store))
                    del full
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


if __name__ == "__main__":
    main()
