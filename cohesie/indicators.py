"""Indicators per area: counts per layer in a period, per 1000 inhabitants and per km².

Counting rules (documented in the README):
- records with status ``verwijderd`` never count;
- furniture counts when ``geplaatst``, projects when ``lopend`` or ``afgerond``
  (:data:`cohesie.layers.COUNTED_STATUSES`); furniture proposals (``voorstel``,
  ``goedgekeurd``) are counted apart as ``meubilair_voorstel``; when the user picks statuses
  of a layer, those count instead;
- ``event`` layers (signalen) count when ``datum`` lies in the period;
- other layers count when active in the period: ``datum`` (start, placement, active since)
  empty or ≤ end of period, and ``einddatum`` empty or ≥ start of period;
- a record with only a wijk reference counts in that wijk, in its deelgemeente when the wijk
  lies in one deelgemeente, and in the municipality, but in no sector.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie import areas, coverage
from cohesie.layers import LAYERS, PROPOSAL_COLUMNS, PROPOSAL_STATUSES, REMOVED, counted_statuses

#: count columns of :func:`area_counts`: one per layer, care signals, proposals
COUNT_COLUMNS = (*LAYERS, "zorgsignalen", *PROPOSAL_COLUMNS)
#: per-layer totals of :func:`layer_totals`: one per layer, then proposals
TOTAL_COLUMNS = (*LAYERS, *PROPOSAL_COLUMNS)


class Choice(Mapping):
    """A read-only, hashable ``layer -> tuple`` mapping (:attr:`Filters.types` and
    :attr:`Filters.statuses`): stored as a tuple of ``(layer, tuple)`` pairs sorted by layer,
    read like a dict (``.get(layer, ())``, ``.items()``, ``dict(...)``, ``== {...}``)."""

    __slots__ = ("pairs", "_lookup")

    def __init__(self, mapping=()):
        items = mapping.items() if isinstance(mapping, Mapping) else mapping
        self.pairs = tuple(sorted((k, tuple(v)) for k, v in items))
        self._lookup = dict(self.pairs)

    def __getitem__(self, layer: str) -> tuple:
        return self._lookup[layer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lookup)

    def __len__(self) -> int:
        return len(self.pairs)

    def __hash__(self) -> int:
        return hash(self.pairs)

    def __reduce__(self):
        return (Choice, (self.pairs,))

    def __repr__(self) -> str:
        return repr(self._lookup)


@dataclass(frozen=True)
class Filters:
    """What the user selected; every field empty means "everything".

    Hashable (a cache key itself): ``types``/``statuses`` accept a dict and are kept as a
    :class:`Choice`, ``layers``/``wijken`` as tuples."""

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    layers: tuple[str, ...] = tuple(LAYERS)
    types: Choice = Choice()  # layer -> tuple of types
    statuses: Choice = Choice()  # layer -> tuple of statuses
    wijken: tuple[str, ...] = ()

    def __post_init__(self):
        for name in ("types", "statuses"):
            value = getattr(self, name)
            if not isinstance(value, Choice):
                object.__setattr__(self, name, Choice(value or {}))
        for name in ("layers", "wijken"):
            if not isinstance(getattr(self, name), tuple):
                object.__setattr__(self, name, tuple(getattr(self, name)))


def filter_points(points: pd.DataFrame, filters: Filters = Filters()) -> pd.DataFrame:
    """Records the filters select: what lists and the map show, proposals included.

    Applies the layers, the period rule per layer, types, statuses and wijken, and never
    returns ``verwijderd``. What counts among them is :func:`counted_points`.
    """
    p = points
    keep = p["layer"].isin(filters.layers) & (p["status"].fillna("") != REMOVED)
    start = pd.Timestamp(filters.start) if filters.start is not None else None
    end = pd.Timestamp(filters.end) if filters.end is not None else None
    event = p["layer"].isin([k for k, lay in LAYERS.items() if lay.period == "event"]).to_numpy()
    datum = p["datum"]
    if start is not None:
        ends = p["einddatum"] if "einddatum" in p else pd.Series(pd.NaT, index=p.index)
        keep &= np.where(event, datum >= start, ends.isna() | (ends >= start))
    if end is not None:
        keep &= np.where(event, datum <= end, datum.isna() | (datum <= end))
    for layer, types in filters.types.items():
        if types:
            keep &= (p["layer"] != layer) | p["type"].isin(types)
    for layer, statuses in filters.statuses.items():
        if statuses:
            keep &= (p["layer"] != layer) | p["status"].isin(statuses)
    if filters.wijken:
        keep &= p["wijk_code"].isin(filters.wijken)
    return p[keep]


def counts_by_status(points: pd.DataFrame, filters: Filters = Filters()) -> pd.Series:
    """Whether each record counts by its status: the statuses of
    :func:`cohesie.layers.counted_statuses` for its layer under ``filters`` (boolean Series)."""
    keep = pd.Series(True, index=points.index)
    for layer in LAYERS:
        statuses = counted_statuses(layer, filters.statuses.get(layer, ()))
        if statuses is not None:
            keep &= (points["layer"] != layer) | points["status"].isin(statuses)
    return keep


def counted_points(points: pd.DataFrame, filters: Filters = Filters()) -> pd.DataFrame:
    """Records that count under ``filters``: :func:`filter_points` and the status rule
    (placed furniture, running or finished projects, or the statuses the user picked)."""
    selected = filter_points(points, filters)
    return selected[counts_by_status(selected, filters)]


def proposed_points(points: pd.DataFrame, filters: Filters = Filters()) -> dict[str, pd.DataFrame]:
    """Proposals among the selected records, per proposal column (``meubilair_voorstel``)."""
    selected = filter_points(points, filters)
    return {column: selected[(selected["layer"] == layer)
                             & selected["status"].isin(PROPOSAL_STATUSES[layer])]
            for column, layer in PROPOSAL_COLUMNS.items()}


def area_codes_of_points(points: pd.DataFrame, sectors: pd.DataFrame, level: str) -> pd.Series:
    """Area code of each record at ``level`` (missing where it cannot be placed)."""
    if level == "sector":
        return points["sector"]
    if level == "wijk":
        return points["wijk_code"]
    if level == "deelgemeente":
        by_sector = points["sector"].map(sectors.set_index("code")["deelgemeente"])
        by_wijk = points["wijk_code"].map(areas.wijk_of_deelgemeente(sectors))
        return by_sector.where(by_sector.notna(), by_wijk)
    if level == "gemeente":
        nis = sectors["nis"].iloc[0] if len(sectors) else None
        return pd.Series(nis, index=points.index).where(points["wijk_code"].notna())
    raise ValueError(level)


def counts_per_area(points: pd.DataFrame, sectors: pd.DataFrame, level: str) -> pd.DataFrame:
    """Number of counted records per area (rows) and layer (columns)."""
    codes = area_codes_of_points(points, sectors, level)
    table = pd.crosstab(codes, points["layer"]) if len(points) else pd.DataFrame()
    return table.reindex(columns=list(LAYERS), fill_value=0)


def area_counts(sectors: pd.DataFrame, points: pd.DataFrame, level: str,
                filters: Filters = Filters()) -> pd.DataFrame:
    """Counted records under ``filters`` per area of ``level`` (rows, area code) and layer
    (columns), plus ``zorgsignalen`` (sensitive signal types) and ``meubilair_voorstel``
    (furniture proposals); columns :data:`COUNT_COLUMNS`, rows the areas where any is > 0.

    The pandas reference for ``PointIndex.area_counts`` and ``DatabaseCounts.area_counts``
    (:mod:`cohesie.counting`), which runs the same rules as SQL.
    """
    counted = counted_points(points, filters)
    counts = counts_per_area(counted, sectors, level)
    signals = counted[(counted["layer"] == "signalen")
                      & counted["type"].isin(LAYERS["signalen"].sensitive_types)]
    apart = {"zorgsignalen": area_codes_of_points(signals, sectors, level).value_counts()}
    for column, proposed in proposed_points(points, filters).items():
        apart[column] = area_codes_of_points(proposed, sectors, level).value_counts()
    extra = pd.DataFrame(apart)
    if len(extra):  # an area with proposals alone is in the table too
        counts = counts.join(extra, how="outer")
    return counts.reindex(columns=list(COUNT_COLUMNS)).fillna(0).astype("int64")


def per_area(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, level: str,
             filters: Filters = Filters(), area_frame: gpd.GeoDataFrame | None = None,
             counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per area of ``level``.

    Columns: ``code, naam, inwoners, oppervlakte_km2, inwoners_per_km2``, one count column per
    layer (counted as :func:`area_counts` does), ``zorgsignalen``, ``meubilair_voorstel``
    (proposals; no rates), ``<laag>_per_1000`` (per 1000 inhabitants; empty when an area has
    no inhabitants or a sector without a population figure) and ``<laag>_per_km2``.
    ``inwoners`` of an area sums its sectors with a figure; empty when none has one.

    Parameters
    ----------
    area_frame : GeoDataFrame, optional
        Pre-computed :func:`cohesie.areas.area_table` for ``level`` (saves a dissolve).
    counts : DataFrame, optional
        :func:`area_counts` computed elsewhere for the same level and filters, e.g.
        ``counting.DatabaseCounts(store, sectors).area_counts(level, filters)`` (in the
        database); ``points`` is then unused.
    """
    base = area_frame if area_frame is not None else areas.area_table(sectors, level)
    # the columns are collected in a dict and made into one frame at the end, the arithmetic on
    # numpy arrays (a pandas operation per column cost more than the arithmetic; same columns,
    # order, values and dtypes)
    table = {c: base[c] for c in base.columns if c != "geometry"}
    if counts is None:
        counts = area_counts(sectors, points, level, filters)
    # each area's row of the counts (-1: not counted, 0), one lookup for every count column
    rows = counts.index.get_indexer(table["code"]) if len(counts) else np.full(len(base), -1)
    found = rows >= 0
    for column in COUNT_COLUMNS:
        values = np.zeros(len(base), dtype="int64")
        if column in counts:
            values[found] = counts[column].to_numpy()[rows[found]]
        table[column] = values
    # an area with a sector without a population figure has unknown inhabitants: a rate over
    # the others would overstate it, so its rates per 1000 and its density stay empty
    complete = (table.pop("sectoren_zonder_bevolking").to_numpy() == 0) if "sectoren_zonder_bevolking" in table \
        else table["inwoners"].notna().to_numpy()
    people = table["inwoners"].to_numpy(dtype="float64", na_value=np.nan)
    area_km2 = table["oppervlakte_km2"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):  # NaN compares False, as in pandas
        inhabitants = np.where((people > 0) & complete, people, np.nan)
        km2 = np.where(area_km2 > 0, area_km2, np.nan)
    table["inwoners_per_km2"] = np.round(np.where(complete, people, np.nan) / km2, 1)
    for layer in LAYERS:
        table[f"{layer}_per_1000"] = np.round(table[layer] / inhabitants * 1000, 3)
        table[f"{layer}_per_km2"] = np.round(table[layer] / km2, 3)
    table["oppervlakte_km2"] = table["oppervlakte_km2"].round(3)
    table = pd.DataFrame(table)
    if filters.wijken and level in ("sector", "wijk"):
        in_sel = sectors.loc[sectors["wijk_code"].isin(filters.wijken), areas.LEVEL_CODE[level]]
        table = table[table["code"].isin(set(in_sel.astype(str)))]
    return table.reset_index(drop=True)


def indicator_catalogue(lang: str = "nl") -> dict[str, str]:
    """Indicator column → label (Dutch by default), in the order offered to users."""
    from cohesie.i18n import indicator_labels

    return indicator_labels(lang)


def city_reference(table: pd.DataFrame) -> pd.Series:
    """City-wide value of every indicator computed from totals (not a mean of rates).

    ``inwoners`` sums the areas with a figure; the rates per 1000 inhabitants and the density
    are empty when any area's inhabitants are unknown (``inwoners_per_km2`` empty in
    :func:`per_area`, see :func:`cohesie.areas.without_population`).
    """
    total: dict[str, float] = {}  # a dict, not a Series: growing an int Series with floats fails
    complete = not (table["inwoners"].isna() | (table["inwoners_per_km2"].isna()
                                                & table["oppervlakte_km2"].gt(0))).any()
    total["inwoners"] = table["inwoners"].sum()
    people = total["inwoners"] if complete else 0
    total["oppervlakte_km2"] = table["oppervlakte_km2"].sum()
    total["inwoners_per_km2"] = round(people / total["oppervlakte_km2"], 1) if total["oppervlakte_km2"] and people else np.nan
    for column in COUNT_COLUMNS:
        total[column] = table[column].sum()
    for layer in LAYERS:
        total[f"{layer}_per_1000"] = round(total[layer] / people * 1000, 3) if people else np.nan
        total[f"{layer}_per_km2"] = round(total[layer] / total["oppervlakte_km2"], 3) if total["oppervlakte_km2"] else np.nan
    return pd.Series(total, dtype="float64")


def signals_per_month(points: pd.DataFrame, filters: Filters = Filters()) -> pd.DataFrame:
    """Signals per month (rows, first day of month) and category (columns)."""
    sig = counted_points(points, Filters(start=filters.start, end=filters.end, layers=("signalen",),
                                         types=filters.types, statuses=filters.statuses,
                                         wijken=filters.wijken))
    if sig.empty:
        return pd.DataFrame()
    month = sig["datum"].dt.to_period("M").dt.to_timestamp()
    return pd.crosstab(month, sig["type"]).sort_index()


def layer_totals(points: pd.DataFrame, filters: Filters = Filters()) -> pd.Series:
    """Counted records per layer under ``filters``, then ``meubilair_voorstel`` (index
    :data:`TOTAL_COLUMNS`, 0 when none); the reference for ``PointIndex.layer_totals`` and
    ``DatabaseCounts.layer_totals``."""
    counts = counted_points(points, filters)["layer"].value_counts()
    totals = [int(counts.get(layer, 0)) for layer in LAYERS]
    totals += [len(proposed) for proposed in proposed_points(points, filters).values()]
    return pd.Series(totals, index=list(TOTAL_COLUMNS), dtype="int64")


def key_figures(sectors: pd.DataFrame, points: pd.DataFrame | None, filters: Filters = Filters(), *,
                totals: pd.Series | None = None) -> dict:
    """Headline numbers for the current selection: inhabitants (of the sectors with a figure,
    see :func:`cohesie.areas.without_population`), areas, counted records per
    chosen layer (placed furniture, running or finished projects) and, when furniture is
    chosen, ``meubilair_voorstel`` (its proposals, a figure of their own).

    ``totals`` (:func:`layer_totals` under ``filters``, e.g. from
    :meth:`cohesie.counting.PointIndex.layer_totals`) replaces counting ``points``.
    """
    sel = sectors[sectors["wijk_code"].isin(filters.wijken)] if filters.wijken else sectors
    figures = {"inwoners": int(sel["inwoners"].sum()), "sectoren": int(len(sel)),
               "wijken": int(sel["wijk_code"].nunique())}
    counts = totals if totals is not None else layer_totals(points, filters)
    for layer in filters.layers:
        figures[layer] = int(counts.get(layer, 0))
    for column, layer in PROPOSAL_COLUMNS.items():
        if layer in filters.layers:
            figures[column] = int(counts.get(column, 0))
    return figures


def pleinmakers_without_action(points: pd.DataFrame, acties: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Active pleinmakers with no recorded action in ``year``."""
    pm = points[(points["layer"] == "pleinmakers") & (points["status"] == "actief")]
    done = acties.loc[acties["datum"].dt.year == year, "pleinmaker_id"]
    return pm[~pm["id"].isin(set(done))]


def with_coverage(table: pd.DataFrame, sectors: gpd.GeoDataFrame, points: pd.DataFrame, *,
                  level: str, radius: float = coverage.DEFAULT_RADIUS_M, end=None) -> pd.DataFrame:
    """``table`` (one row per area ``code`` of ``level``) with the coverage columns appended.

    Adds ``dekking_gevelbank_pct``, ``dekking_picknicktafel_pct``,
    ``dekking_boekenruilkast_pct`` and ``dekking_meubilair_pct`` (any type): the percentage of
    the area's inhabitants within ``radius`` metres of furniture with status ``geplaatst``,
    placed on or before ``end`` when given (see :mod:`cohesie.coverage`).
    """
    columns = coverage.coverage_columns(sectors, points, level=level, radius=radius, end=end)
    return table.merge(columns, on="code", how="left")


def table_with_city(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, level: str,
                    filters: Filters = Filters(), radius: float = coverage.DEFAULT_RADIUS_M,
                    area_frames: dict | None = None, counts=None) -> tuple[pd.DataFrame, pd.Series]:
    """Indicators per area of ``level`` including coverage, and the city's values.

    The city's values come from totals (rates and coverage of the whole municipality), never
    from a mean of the areas' values. ``counts(level)``, when given, returns
    :func:`area_counts` for ``filters`` (e.g. from the database); ``points`` then only serves
    the coverage (furniture).
    """
    frames = area_frames or {}

    def counted(lv):
        return None if counts is None else counts(lv)

    table = per_area(sectors, points, level=level, filters=filters, area_frame=frames.get(level),
                     counts=counted(level))
    table = with_coverage(table, sectors, points, level=level, radius=radius, end=filters.end)
    whole = per_area(sectors, points, level="gemeente", filters=filters, area_frame=frames.get("gemeente"),
                     counts=counted("gemeente"))
    whole = with_coverage(whole, sectors, points, level="gemeente", radius=radius, end=filters.end)
    city = city_reference(whole)
    for column in coverage.COVERAGE_COLUMNS:
        city[column] = float(whole[column].iloc[0])
    return table, city


def catalogue_with_coverage(radius: float = coverage.DEFAULT_RADIUS_M, lang: str = "nl") -> dict[str, str]:
    """:func:`indicator_catalogue` plus the coverage indicators at ``radius`` metres."""
    from cohesie.i18n import indicator_labels

    return indicator_labels(lang, radius=radius)
