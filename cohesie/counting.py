"""Counting records under :class:`~cohesie.indicators.Filters`: one interface, three
implementations.

The interface (:class:`Counts`): ``area_counts(level, filters)``, ``layer_totals(filters)``,
``signals_per_month(filters)`` and ``period_counts(level, periods, filters)``. Its
implementations give the same answers (tested):

- :class:`PandasCounts`: the pandas reference functions of :mod:`cohesie.indicators`
  (``area_counts``, ``layer_totals``, ``signals_per_month``), the readable definition;
- :class:`PointIndex`: numpy over the loaded records (the app on SQLite);
- :class:`DatabaseCounts`: grouped counts in the database (:meth:`cohesie.storage.Store.grouped_counts`,
  SQL in SQLite or PostGIS) of the :func:`selection` the counting rules make from the filters;
  the (sector, wijk) groups are put into wijk, deelgemeente and municipality here, by
  :func:`cohesie.indicators.area_codes_of_points`, as the other two do for records.

Fast filtering and counting of records with integer codes (numpy) instead of strings.

:class:`PointIndex` is built once per data version (the app caches it next to the dataset)
and answers what every rerun asks: which records the filters select (the map's points),
which of them count (the status rule of :data:`cohesie.layers.COUNTED_STATUSES`), how many per
area and layer, per layer, proposals apart, and signals per month and category. Its answers
equal the pandas reference functions in :mod:`cohesie.indicators` (``filter_points``,
``counted_points``, ``area_counts``, ``layer_totals``, ``signals_per_month``), which stay the
readable definition of the counting rules.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from typing import Protocol

import numpy as np
import pandas as pd

from cohesie import areas, indicators, spatial
from cohesie.errors import CohesieError
from cohesie.indicators import COUNT_COLUMNS, TOTAL_COLUMNS, Filters, area_codes_of_points
from cohesie.layers import LAYERS, PROPOSAL_COLUMNS, PROPOSAL_STATUSES, REMOVED, counted_statuses
from cohesie.storage import SUMMARY_COLUMNS, CountSelection

LAYER_NAMES = list(LAYERS)
EVENT_LAYERS = tuple(k for k, lay in LAYERS.items() if lay.period == "event")
#: what the app loads into Python when the signals stay in the database (PostGIS)
NON_EVENT_LAYERS = tuple(k for k in LAYERS if k not in EVENT_LAYERS)
__all__ = ["SUMMARY_COLUMNS", "Counts", "PandasCounts", "PointIndex", "DatabaseCounts", "selection",
           "point_summary", "filters_key", "filters_from_key"]


class Counts(Protocol):
    """What every counting implementation answers (all with the rules of
    :mod:`cohesie.indicators`)."""

    def area_counts(self, level: str, filters: Filters = Filters()) -> pd.DataFrame:
        """Counted records per area of ``level`` (rows, area code, sorted; areas where any
        count is > 0) and :data:`~cohesie.indicators.COUNT_COLUMNS` (int64), as
        :func:`cohesie.indicators.area_counts`."""

    def layer_totals(self, filters: Filters = Filters()) -> pd.Series:
        """Counted records per layer, then proposals (:data:`~cohesie.indicators.TOTAL_COLUMNS`),
        as :func:`cohesie.indicators.layer_totals`."""

    def signals_per_month(self, filters: Filters = Filters()) -> pd.DataFrame:
        """Signals per month (rows, first day) and category (columns), as
        :func:`cohesie.indicators.signals_per_month` (empty frame when none)."""

    def period_counts(self, level: str, periods, filters: Filters = Filters()) -> list[pd.DataFrame]:
        """For each :class:`cohesie.trends.Period`: counted records per area of ``level``
        (index: area code as text) with the stock and flow rules of
        :func:`cohesie.trends.period_filters`; :func:`cohesie.trends.counts_per_period`
        completes them to every area."""


def point_summary(points: pd.DataFrame) -> pd.DataFrame:
    """Records per layer and type: ``n``, ``zonder_punt`` (no x/y, wijk only), ``eerste`` and
    ``laatste`` (earliest and latest ``datum``), sorted by layer and type (missing type last).

    The pandas reference for ``Store.point_summary``; what the sidebar and *Gegevens* show
    without scanning every record on each rerun.
    """
    if points.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    grouped = points.assign(_zp=points["x"].isna(), _d=pd.to_datetime(points["datum"])).groupby(
        ["layer", "type"], dropna=False)
    out = grouped.agg(n=("_zp", "size"), zonder_punt=("_zp", "sum"), eerste=("_d", "min"),
                      laatste=("_d", "max")).reset_index()
    out[["n", "zonder_punt"]] = out[["n", "zonder_punt"]].astype("int64")
    return out.sort_values(["layer", "type"], na_position="last", ignore_index=True)[SUMMARY_COLUMNS]


def filters_key(filters: Filters) -> tuple:
    """A hashable, order-independent key for ``filters`` (cache keys)."""
    def clean(mapping: dict) -> tuple:
        return tuple(sorted((k, tuple(sorted(v))) for k, v in mapping.items() if v))

    def ns(value):
        return None if value is None else int(pd.Timestamp(value).value)

    return (ns(filters.start), ns(filters.end), tuple(filters.layers), clean(filters.types),
            clean(filters.statuses), tuple(sorted(filters.wijken)))


def filters_from_key(key: tuple) -> Filters:
    """The :class:`Filters` that :func:`filters_key` made ``key`` from."""
    start, end, layers, types, statuses, wijken = key
    return Filters(start=None if start is None else pd.Timestamp(start),
                   end=None if end is None else pd.Timestamp(end), layers=tuple(layers),
                   types=dict(types), statuses=dict(statuses), wijken=tuple(wijken))


class _Codes:
    """A string column as integer codes (-1 for missing) plus a membership test."""

    def __init__(self, values):
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        self.codes = codes.astype(np.int32)
        self.names = np.asarray(uniques, dtype=object)
        self._lookup = {name: i for i, name in enumerate(self.names)}

    def isin(self, values) -> np.ndarray:
        # one extra False at the end: code -1 (missing) indexes it
        table = np.zeros(len(self.names) + 1, dtype=bool)
        table[:-1] = pd.Index(self.names, dtype=object).isin(list(values))
        return table[self.codes]

    def equals(self, value) -> np.ndarray:
        code = self._lookup.get(value)
        return np.zeros(len(self.codes), bool) if code is None else self.codes == code


def _ns(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Datetimes as int64 nanoseconds and a missing mask."""
    values = pd.to_datetime(series, errors="coerce").to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    return values.view("int64"), missing


class PointIndex:
    """Integer codes of every record of ``points`` for filtering and counting with numpy.

    Read-only once built; shared between sessions (filter masks are cached per filters).

    Parameters
    ----------
    points : DataFrame
        Records as :func:`cohesie.dataset.load` returns them.
    sectors : DataFrame
        The sectors with ``deelgemeente``, ``wijk_code`` and ``nis`` (for the area levels).
    """

    def __init__(self, points: pd.DataFrame, sectors: pd.DataFrame):
        self.points = points
        self.n = len(points)
        layer = _Codes(points["layer"])
        to_layer = np.array([LAYER_NAMES.index(k) if k in LAYERS else -1 for k in layer.names] + [-1],
                            dtype=np.int16)
        self.layer = to_layer[layer.codes]
        self.type = _Codes(points["type"])
        self.status = _Codes(points["status"])
        self.wijk = _Codes(points["wijk_code"])
        self.removed = self.status.equals(REMOVED)
        self.event = np.isin(self.layer, [LAYER_NAMES.index(k) for k in EVENT_LAYERS])
        self.datum, self.datum_missing = _ns(points["datum"])
        if "einddatum" in points:
            self.eind, self.eind_missing = _ns(points["einddatum"])
        else:
            self.eind, self.eind_missing = np.zeros(self.n, "int64"), np.ones(self.n, bool)
        signal = self.layer == LAYER_NAMES.index("signalen")
        self.sensitive = signal & self.type.isin(LAYERS["signalen"].sensitive_types)
        self.area = {level: _Codes(area_codes_of_points(points, sectors, level)) for level in areas.LEVELS}
        # signals are never drawn as points; the others are few, so their display position is
        # computed once here instead of on every rerun
        x = pd.to_numeric(points["x"], errors="coerce").to_numpy(dtype="float64") if self.n else np.array([])
        self.drawable = ~signal & ~np.isnan(x)
        lon, lat = spatial.to_display_lonlat(x[self.drawable],
                                             pd.to_numeric(points["y"], errors="coerce").to_numpy("float64")[self.drawable])
        self.lon, self.lat = np.full(self.n, np.nan), np.full(self.n, np.nan)
        self.lon[self.drawable], self.lat[self.drawable] = lon, lat
        # months since 1970-01 (meaningless where datum_missing)
        self.month = self.datum.view("datetime64[ns]").astype("datetime64[M]").astype("int64")
        self._masks: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- filtering ------------------------------------------------------------------
    def mask(self, filters: Filters = Filters()) -> np.ndarray:
        """Boolean mask of the records ``filters`` select (as ``filter_points``; proposals
        included)."""
        return self._cached(("selected", filters_key(filters)), lambda: self._compute_mask(filters))

    def counted_mask(self, filters: Filters = Filters()) -> np.ndarray:
        """Boolean mask of the records that count under ``filters`` (as ``counted_points``)."""
        return self._cached(("counted", filters_key(filters)),
                            lambda: self.mask(filters) & self._status_counts(filters))

    def proposal_mask(self, column: str, filters: Filters = Filters()) -> np.ndarray:
        """Boolean mask of the selected proposals of ``column`` (``meubilair_voorstel``)."""
        layer = PROPOSAL_COLUMNS[column]
        return self._cached(("proposed", column, filters_key(filters)),
                            lambda: self.mask(filters) & (self.layer == self._layer_code(layer))
                            & self.status.isin(PROPOSAL_STATUSES[layer]))

    def _cached(self, key: tuple, compute) -> np.ndarray:
        with self._lock:
            if key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
        keep = compute()
        keep.setflags(write=False)
        with self._lock:
            self._masks[key] = keep
            while len(self._masks) > 48:  # 16 filter choices x (selected, counted, proposed)
                self._masks.popitem(last=False)
        return keep

    def _compute_mask(self, f: Filters) -> np.ndarray:
        wanted = np.zeros(len(LAYER_NAMES) + 1, dtype=bool)  # last: unknown layer (-1)
        for k in f.layers:
            if k in LAYERS:
                wanted[LAYER_NAMES.index(k)] = True
        keep = wanted[self.layer] & ~self.removed
        if f.start is not None:
            s = pd.Timestamp(f.start).value
            keep &= np.where(self.event, ~self.datum_missing & (self.datum >= s),
                             self.eind_missing | (self.eind >= s))
        if f.end is not None:
            e = pd.Timestamp(f.end).value
            keep &= np.where(self.event, ~self.datum_missing & (self.datum <= e),
                             self.datum_missing | (self.datum <= e))
        for layer, types in f.types.items():
            if types:
                keep &= (self.layer != self._layer_code(layer)) | self.type.isin(types)
        for layer, statuses in f.statuses.items():
            if statuses:
                keep &= (self.layer != self._layer_code(layer)) | self.status.isin(statuses)
        if f.wijken:
            keep &= self.wijk.isin(f.wijken)
        return keep

    def _status_counts(self, f: Filters) -> np.ndarray:
        keep = np.ones(self.n, dtype=bool)
        for layer in LAYER_NAMES:
            statuses = counted_statuses(layer, f.statuses.get(layer, ()))
            if statuses is not None:
                keep &= (self.layer != self._layer_code(layer)) | self.status.isin(statuses)
        return keep

    @staticmethod
    def _layer_code(layer: str) -> int:
        return LAYER_NAMES.index(layer) if layer in LAYERS else -2  # -2 matches no record

    def filtered(self, filters: Filters = Filters()) -> pd.DataFrame:
        """The selected records (same rows as :func:`cohesie.indicators.filter_points`)."""
        return self.points[self.mask(filters)]

    def counted(self, filters: Filters = Filters()) -> pd.DataFrame:
        """The counted records (same rows as :func:`cohesie.indicators.counted_points`)."""
        return self.points[self.counted_mask(filters)]

    # -- counting -------------------------------------------------------------------
    def area_counts(self, level: str, filters: Filters = Filters()) -> pd.DataFrame:
        """Counted records per area of ``level`` and layer, plus ``zorgsignalen`` and
        ``meubilair_voorstel`` (equals :func:`cohesie.indicators.area_counts`)."""
        m = self.counted_mask(filters)
        codes = self.area[level]
        a, lay = codes.codes[m], self.layer[m]
        ok = a >= 0
        n_areas, n_layers = len(codes.names), len(LAYER_NAMES)
        table = np.bincount(a[ok].astype(np.int64) * n_layers + lay[ok], minlength=n_areas * n_layers)
        columns = {"zorgsignalen": np.bincount(a[ok & self.sensitive[m]], minlength=n_areas)}
        for column in PROPOSAL_COLUMNS:
            proposed = codes.codes[self.proposal_mask(column, filters)]
            columns[column] = np.bincount(proposed[proposed >= 0], minlength=n_areas)
        table = np.column_stack([table.reshape(n_areas, n_layers), *columns.values()])
        present = table.sum(axis=1) > 0
        out = pd.DataFrame(table[present], index=pd.Index(codes.names[present]),
                           columns=[*LAYER_NAMES, *columns])
        return out[list(COUNT_COLUMNS)].sort_index().astype("int64")

    def layer_totals(self, filters: Filters = Filters()) -> pd.Series:
        """Counted records per layer (all layers, 0 when none), then ``meubilair_voorstel``
        (equals :func:`cohesie.indicators.layer_totals`)."""
        counts = np.bincount(self.layer[self.counted_mask(filters)], minlength=len(LAYER_NAMES))
        totals = [*counts[:len(LAYER_NAMES)],
                  *(int(self.proposal_mask(column, filters).sum()) for column in PROPOSAL_COLUMNS)]
        return pd.Series(totals, index=list(TOTAL_COLUMNS), dtype="int64")

    def signals_per_month(self, filters: Filters = Filters()) -> pd.DataFrame:
        """Signals per month and category (equals :func:`cohesie.indicators.signals_per_month`)."""
        m = self.counted_mask(_signals_only(filters))
        if not m.any():
            return pd.DataFrame()
        month, kind = self.month[m], self.type.codes[m]
        ok = ~self.datum_missing[m] & (kind >= 0)
        month, kind = month[ok], kind[ok]
        if len(month) == 0:
            return pd.DataFrame()
        first, n_types = month.min(), len(self.type.names)
        table = np.bincount((month - first) * n_types + kind,
                            minlength=(month.max() - first + 1) * n_types).reshape(-1, n_types)
        rows, cols = table.sum(axis=1) > 0, table.sum(axis=0) > 0
        unit = self.points["datum"].dtype if isinstance(self.points["datum"].dtype, np.dtype) else "datetime64[ns]"
        index = pd.DatetimeIndex((np.arange(len(table))[rows] + first).astype("datetime64[M]").astype(unit),
                                 name="datum")
        out = pd.DataFrame(table[rows][:, cols], index=index,
                           columns=pd.Index(self.type.names[cols], name="type"))
        return out.sort_index(axis=1).astype("int64")

    def period_counts(self, level: str, periods, filters: Filters = Filters()) -> list[pd.DataFrame]:
        """All periods from this index (:meth:`Counts.period_counts`): the masks of the undated
        filters come from the index (cached, 1 entry per kind), the date rule per period is the
        one of :func:`cohesie.trends.period_filters` applied to the date arrays."""
        undated = replace(filters, start=None, end=None)
        counted = self.counted_mask(undated)
        proposed = {column: self.proposal_mask(column, undated) for column in PROPOSAL_COLUMNS}
        codes = self.area[level]
        located = codes.codes >= 0
        n_areas, n_layers = len(codes.names), len(LAYERS)
        out = []
        for period in periods:
            s, e = period.start.value, period.end.value
            flow = self.event & ~self.datum_missing & (self.datum >= s) & (self.datum <= e)
            stock = (~self.event & (self.datum_missing | (self.datum <= e))
                     & (self.eind_missing | (self.eind >= e)))
            m = counted & (flow | stock) & located
            table = np.bincount(codes.codes[m].astype(np.int64) * n_layers + self.layer[m],
                                minlength=n_areas * n_layers).reshape(n_areas, n_layers)
            columns = {"zorgsignalen": np.bincount(codes.codes[m & self.sensitive], minlength=n_areas)}
            for column, mask in proposed.items():
                columns[column] = np.bincount(codes.codes[mask & stock & located], minlength=n_areas)
            frame = pd.DataFrame(np.column_stack([table, *columns.values()]),
                                 index=pd.Index(codes.names.astype(str)), columns=[*LAYERS, *columns])
            out.append(frame[list(COUNT_COLUMNS)])
        return out

    def of_layer(self, layer: str) -> pd.DataFrame:
        """Every stored record of ``layer`` (also removed ones)."""
        return self.points[self.layer == self._layer_code(layer)]

    def map_points(self, filters: Filters) -> pd.DataFrame:
        """Located records to draw as points (equals :func:`cohesie.views.points_for_map`)."""
        keep = self.mask(filters) & self.drawable
        shown = self.points[keep]
        return shown.assign(lon=self.lon[keep], lat=self.lat[keep])[
            ["layer", "id", "naam", "type", "status", "lat", "lon"]]


def _signals_only(filters: Filters) -> Filters:
    return Filters(start=filters.start, end=filters.end, layers=("signalen",), types=filters.types,
                   statuses=filters.statuses, wijken=filters.wijken)


def selection(filters: Filters = Filters()) -> CountSelection:
    """The plain :class:`~cohesie.storage.CountSelection` of ``filters`` under the counting
    rules: never ``verwijderd``, the period rule of the event layers, the statuses that count
    per layer (:func:`cohesie.layers.counted_statuses`), the proposal statuses
    (:data:`cohesie.layers.PROPOSAL_STATUSES`) and the sensitive signal types."""
    def stamp(value):
        return None if value is None else pd.Timestamp(value)

    counted = []
    for layer in LAYERS:
        statuses = counted_statuses(layer, filters.statuses.get(layer, ()))
        if statuses is not None:
            counted.append((layer, tuple(statuses)))
    return CountSelection(
        layers=tuple(filters.layers), event_layers=EVENT_LAYERS, start=stamp(filters.start),
        end=stamp(filters.end), excluded_status=REMOVED,
        types=tuple((k, tuple(v)) for k, v in filters.types.items() if v),
        statuses=tuple((k, tuple(v)) for k, v in filters.statuses.items() if v),
        wijken=tuple(filters.wijken), counted=tuple(counted),
        proposed=tuple((layer, tuple(statuses)) for layer, statuses in PROPOSAL_STATUSES.items()),
        flagged=(("signalen", tuple(LAYERS["signalen"].sensitive_types)),))


def _check_level(level: str) -> None:
    if level not in areas.LEVELS:
        raise CohesieError(f"Onbekend niveau '{level}'. Kies uit: {', '.join(areas.LEVELS)}.")


def summed_periods(count, level: str, periods, filters: Filters) -> list[pd.DataFrame]:
    """:meth:`Counts.period_counts` from a ``count(level, filters)`` function: per period the
    stock and the flow filters of :func:`cohesie.trends.period_filters`, counted and added."""
    from cohesie.trends import period_filters

    out = []
    for period in periods:
        total = pd.DataFrame(columns=list(COUNT_COLUMNS), dtype="int64")
        for f in period_filters(period, filters):
            if f is None:
                continue
            part = count(level, f).copy()
            part.index = part.index.astype(str)
            total = total.add(part.reindex(columns=list(COUNT_COLUMNS)), fill_value=0)
        out.append(total)
    return out


class PandasCounts:
    """The pandas reference functions of :mod:`cohesie.indicators` behind :class:`Counts`
    (``points`` as :func:`cohesie.dataset.load` returns them, ``sectors`` with their wijk)."""

    def __init__(self, points: pd.DataFrame, sectors: pd.DataFrame):
        self.points, self.sectors = points, sectors

    def area_counts(self, level: str, filters: Filters = Filters()) -> pd.DataFrame:
        _check_level(level)
        return indicators.area_counts(self.sectors, self.points, level, filters)

    def layer_totals(self, filters: Filters = Filters()) -> pd.Series:
        return indicators.layer_totals(self.points, filters)

    def signals_per_month(self, filters: Filters = Filters()) -> pd.DataFrame:
        return indicators.signals_per_month(self.points, filters)

    def period_counts(self, level: str, periods, filters: Filters = Filters()) -> list[pd.DataFrame]:
        return summed_periods(self.area_counts, level, periods, filters)


class DatabaseCounts:
    """:class:`Counts` in the database: ``store.grouped_counts`` of the :func:`selection` of
    the filters (SQL), then the (sector, wijk) groups put into the areas of the level with the
    hierarchy of ``sectors`` (the sectors with their wijk, :func:`cohesie.dataset.load_sectors`).

    The grouped counts of the last few selections are kept, so that ``area_counts`` of several
    levels and ``layer_totals`` under the same filters ask the database once: use one instance
    per data version (the app keeps it next to the loaded data).
    """

    def __init__(self, store, sectors: pd.DataFrame):
        self.store, self.sectors = store, sectors
        self._groups: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def grouped(self, filters: Filters = Filters(), *, by: str = "area") -> pd.DataFrame:
        """The database's grouped counts of ``filters`` (:meth:`cohesie.storage.Store.grouped_counts`)."""
        key = (selection(filters), by)
        with self._lock:
            if key in self._groups:
                self._groups.move_to_end(key)
                return self._groups[key]
        rows = self.store.grouped_counts(key[0], by=by)
        with self._lock:
            self._groups[key] = rows
            while len(self._groups) > 8:
                self._groups.popitem(last=False)
        return rows

    def area_counts(self, level: str, filters: Filters = Filters()) -> pd.DataFrame:
        _check_level(level)
        groups = self.grouped(filters)
        codes = area_codes_of_points(groups, self.sectors, level) if len(groups) else pd.Series(dtype=object)
        groups = groups.assign(area=codes.to_numpy())[codes.notna().to_numpy()]
        if groups.empty:
            return pd.DataFrame({c: pd.Series(dtype="int64") for c in COUNT_COLUMNS},
                                index=pd.Index([], dtype=object))
        per_area = groups.groupby("area")
        table = groups.groupby(["area", "layer"])["n"].sum().unstack("layer").reindex(columns=list(LAYERS))
        table["zorgsignalen"] = per_area["zorg"].sum()
        for column, layer in PROPOSAL_COLUMNS.items():
            table[column] = groups[groups["layer"] == layer].groupby("area")["voorstel"].sum()
        table = table.fillna(0).astype("int64")
        table = table[table.sum(axis=1) > 0].sort_index()
        table.index.name, table.columns.name = None, None
        return table[list(COUNT_COLUMNS)]

    def layer_totals(self, filters: Filters = Filters()) -> pd.Series:
        groups = self.grouped(filters)
        counts = groups.groupby("layer")["n"].sum() if len(groups) else pd.Series(dtype="int64")
        proposals = groups.groupby("layer")["voorstel"].sum() if len(groups) else pd.Series(dtype="int64")
        totals = [int(counts.get(layer, 0)) for layer in LAYERS]
        totals += [int(proposals.get(layer, 0)) for layer in PROPOSAL_COLUMNS.values()]
        return pd.Series(totals, index=list(TOTAL_COLUMNS), dtype="int64")

    def signals_per_month(self, filters: Filters = Filters()) -> pd.DataFrame:
        rows = self.grouped(_signals_only(filters), by="month")
        if rows.empty:
            return pd.DataFrame()
        table = rows.pivot_table(index="maand", columns="type", values="n", aggfunc="sum")
        table = table.fillna(0).astype("int64")
        table.index = pd.DatetimeIndex(table.index, name="datum")
        table.columns = pd.Index(list(table.columns), name="type")
        return table.sort_index().sort_index(axis=1)

    def period_counts(self, level: str, periods, filters: Filters = Filters()) -> list[pd.DataFrame]:
        return summed_periods(self.area_counts, level, periods, filters)
