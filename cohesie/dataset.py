"""What the pages and commands work with: the stored tables (:mod:`cohesie.storage`) with the
area hierarchy of :mod:`cohesie.areas` put on top.

Storage reads and writes tables only; here the sectors get their wijk (the city's table, else
the 7-character default, :func:`cohesie.areas.attach_wijken`) and their inhabitants
(:func:`cohesie.areas.attach_population`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from cohesie import areas
from cohesie.storage import CONTEXT_META_COLUMNS, CONTEXT_VALUE_COLUMNS, POINT_COLUMNS, StoredTables


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
    #: context figures: ``niveau, code, kolom, waarde`` (see :mod:`cohesie.context`)
    context: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CONTEXT_VALUE_COLUMNS)))
    #: one row per context column, in import order: CONTEXT_META_COLUMNS
    context_meta: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CONTEXT_META_COLUMNS)))

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


def empty() -> Dataset:
    """The dataset of a data directory without data."""
    return Dataset(sectors=areas.empty_sectors(), points=pd.DataFrame(columns=list(POINT_COLUMNS)),
                   acties=pd.DataFrame(columns=["pleinmaker_id", "datum", "soort", "beschrijving"]),
                   meta={}, imports=pd.DataFrame())


def sectors_with_wijken(sectors: gpd.GeoDataFrame, wijkindeling: pd.DataFrame
                        ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Stored sectors with their wijk (:func:`cohesie.areas.attach_wijken`) and its notes;
    :func:`cohesie.areas.empty_sectors` when there are none."""
    if sectors.empty:
        return areas.empty_sectors(), []
    return areas.attach_wijken(sectors, wijkindeling)


def from_tables(tables: StoredTables) -> Dataset:
    """The :class:`Dataset` of the stored ``tables``: sectors with wijk and inhabitants."""
    if tables.sectors.empty and not tables.meta:
        return empty()
    sectors, notes = sectors_with_wijken(tables.sectors, tables.wijkindeling)
    sectors, unlocated = areas.attach_population(sectors, tables.population)
    return Dataset(sectors=sectors, points=tables.points, acties=tables.acties, meta=tables.meta,
                   imports=tables.imports, unlocated_population=unlocated, notes=notes,
                   context=tables.context, context_meta=tables.context_meta)


def load(store, *, point_layers: Iterable[str] | None = None) -> Dataset:
    """Read the whole data directory of ``store`` into a :class:`Dataset`.

    ``point_layers`` limits ``Dataset.points`` to those layers (e.g. the command line's
    indicators, which counts in the database and needs only furniture for coverage).
    """
    return from_tables(store.read_tables(point_layers=point_layers))


def load_sectors(store) -> gpd.GeoDataFrame:
    """Only the sectors with their wijk (EPSG:31370): what a point import checks against,
    without reading every stored point."""
    return sectors_with_wijken(*store.read_sectors())[0]
