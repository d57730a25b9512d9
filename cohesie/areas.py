"""Sectors, wijken, deelgemeenten and the municipality: the area hierarchy and its rules.

- A sector belongs to the wijk given by the city's sector→wijk table; without such a table (or
  for sectors it does not list) to the group of sectors sharing the first 7 code characters.
- A deelgemeente is the first 6 characters of the sector code.
- The wijk of Statbel's unlocated sector ``<nis>ZZZZ`` ("onbekend": ``<nis>WONB``,
  ``<nis>ONB``, ``<nis>99``, Provincies in Cijfers' codes) is the "niet te lokaliseren" bucket
  (:func:`is_unlocated_wijk`). It has no polygon of its own, so it is no area; only sectors put
  there on purpose (``import-wijken --onbekend``) make it one, shown under its own name
  ("<gemeente> - niet te lokaliseren") so those sectors stay visible and counted.
- The municipality (``gemeente``) is the whole.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from cohesie import settings
from cohesie.errors import CohesieError

LEVELS = ("sector", "wijk", "deelgemeente", "gemeente")
LEVEL_LABELS = {"sector": "Sector", "wijk": "Wijk", "deelgemeente": "Deelgemeente",
                "gemeente": "Gemeente"}
# column holding the area code / name of each level on the sectors frame
LEVEL_CODE = {"sector": "code", "wijk": "wijk_code", "deelgemeente": "deelgemeente",
              "gemeente": "nis"}
LEVEL_NAME = {"sector": "naam", "wijk": "wijk_naam", "deelgemeente": "deelgemeente_naam",
              "gemeente": "gemeente_naam"}


def empty_sectors() -> gpd.GeoDataFrame:
    cols = ["code", "naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam",
            "wijk_code", "wijk_naam", "inwoners"]
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in cols},
                            geometry=gpd.GeoSeries([], crs=settings.ANALYSIS_CRS))


# not "<nis>_99": in Brussels' codes (21002_99 Vogelzang) that is a real wijk
UNLOCATED_WIJK = re.compile(r"\d{5}(_?W?ONB|99)", flags=re.IGNORECASE)


def is_unlocated_wijk(code) -> bool:
    """Whether ``code`` is a municipality's "onbekend" wijk (``<nis>WONB``, ``<nis>ONB``,
    ``<nis>_ONB``, ``<nis>99``): the "niet te lokaliseren" bucket."""
    return bool(UNLOCATED_WIJK.fullmatch(str(code).strip()))


def default_wijk_code(sector_code: pd.Series) -> pd.Series:
    """Provincies-in-Cijfers default: sectors sharing their first 7 characters form a wijk."""
    return sector_code.str.slice(0, 7)


def attach_wijken(sectors: gpd.GeoDataFrame, table: pd.DataFrame
                  ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Add ``wijk_code``/``wijk_naam`` from the city's table, else the 7-character default.

    Returns the sectors and a list of Dutch notes about sectors the table did not cover.
    """
    out = sectors.copy()
    notes: list[str] = []
    mapping = table.set_index("sector") if len(table) else None
    default_code = default_wijk_code(out["code"])
    default_name = ("Wijk " + default_code.str.slice(5) + " (" +
                    out["deelgemeente_naam"].fillna("").astype(str) + ")")
    if mapping is None:
        out["wijk_code"], out["wijk_naam"] = default_code, default_name
        return out, notes
    out["wijk_code"] = out["code"].map(mapping["wijk_code"])
    out["wijk_naam"] = out["code"].map(mapping["wijk_naam"])
    missing = out["wijk_code"].isna()
    if missing.any():
        notes.append(
            f"{int(missing.sum())} sector(en) staan niet in de wijkindeling en vallen in hun "
            f"standaardwijk (eerste 7 tekens): {', '.join(out.loc[missing, 'code'][:10])}."
        )
        out.loc[missing, "wijk_code"] = default_code[missing]
        out.loc[missing, "wijk_naam"] = default_name[missing]
    return out, notes


def attach_population(sectors: gpd.GeoDataFrame, pop: pd.DataFrame
                      ) -> tuple[gpd.GeoDataFrame, int]:
    """Add ``inwoners``; return the population of codes without a polygon (Statbel's
    ``<nis>ZZZZ`` "niet te lokaliseren") separately.

    A sector without a figure has unknown inhabitants, not zero: ``inwoners`` is then missing
    (NaN, the column float) so rates per 1000 inhabitants stay empty for it. When every sector
    has a figure the column stays integer.
    """
    out = sectors.copy()
    series = pop.set_index("sector")["inwoners"] if len(pop) else pd.Series(dtype="int64")
    values = out["code"].map(series).astype("float64")
    out["inwoners"] = values.astype("int64") if values.notna().all() else values
    unlocated = int(series[~series.index.isin(out["code"])].sum()) if len(series) else 0
    return out, unlocated


def without_population(sectors: pd.DataFrame) -> pd.Series:
    """Codes of the sectors without a population figure (unknown inhabitants)."""
    return sectors.loc[sectors["inwoners"].isna(), "code"]


def validate_wijkindeling(table: pd.DataFrame, sector_codes: pd.Series) -> list[str]:
    """Problems with a sector→wijk table against the loaded sectors (Dutch, one per line)."""
    problems = []
    codes = set(sector_codes)
    dup = table["sector"][table["sector"].duplicated()]
    if len(dup):
        problems.append("sector(en) staan in meer dan één wijk: " + ", ".join(sorted(set(dup))[:10]))
    unknown = sorted(set(table["sector"]) - codes)
    if unknown:
        problems.append(
            f"{len(unknown)} sector(en) uit de tabel bestaan niet in de geladen sectoren: "
            + ", ".join(unknown[:10])
        )
    missing = sorted(codes - set(table["sector"]))
    if missing:
        problems.append(
            f"{len(missing)} sector(en) ontbreken in de tabel (elke sector moet in precies één "
            "wijk liggen): " + ", ".join(missing[:10])
        )
    names = table.groupby("wijk_code")["wijk_naam"].nunique()
    for code in names[names > 1].index[:10]:
        problems.append(f"wijk {code} heeft meer dan één naam in de tabel")
    return problems


def area_table(sectors: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """One row per area of ``level`` with ``code``, ``naam``, ``inwoners``, ``oppervlakte_km2``,
    ``sectoren_zonder_bevolking`` (its sectors without a population figure; ``inwoners`` then
    sums the others) and the dissolved geometry (EPSG:31370)."""
    if level not in LEVELS:
        raise CohesieError(f"Onbekend niveau '{level}'. Kies uit: {', '.join(LEVELS)}.")
    code, name = LEVEL_CODE[level], LEVEL_NAME[level]
    frame = sectors.assign(_code=sectors[code].astype(str), _naam=sectors[name])
    frame["sectoren_zonder_bevolking"] = frame["inwoners"].isna().astype("int64")
    if level == "sector":
        out = frame[["_code", "_naam", "inwoners", "sectoren_zonder_bevolking", "geometry"]].copy()
    else:
        # inhabitants of the sectors that have a figure; empty when none has one (never 0)
        out = frame.dissolve(by="_code", aggfunc={"_naam": "first",
                                                  "inwoners": lambda s: s.sum(min_count=1),
                                                  "sectoren_zonder_bevolking": "sum"},
                             as_index=False)
        out = out[["_code", "_naam", "inwoners", "sectoren_zonder_bevolking", "geometry"]]
    out = out.rename(columns={"_code": "code", "_naam": "naam"})
    out["oppervlakte_km2"] = out.geometry.area / 1e6
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry",
                            crs=sectors.crs).sort_values("code", ignore_index=True)


def wijk_of_deelgemeente(sectors: pd.DataFrame) -> pd.Series:
    """The deelgemeente of each wijk that lies in exactly one deelgemeente (else missing)."""
    # vectorised: a lambda per wijk cost 0.45 s CPU for Flanders' 2,626 wijken at every start
    by_wijk = sectors.groupby("wijk_code")["deelgemeente"]
    n = by_wijk.nunique()
    first = sectors.drop_duplicates("wijk_code").set_index("wijk_code")["deelgemeente"].reindex(n.index)
    return first.where(n == 1, None)
