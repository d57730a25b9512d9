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

    @classmethod
    def of(cls, codes: np.ndarray, names) -> "_Codes":
        out = cls.__new__(cls)
        out.codes = np.asarray(codes, dtype=np.int32)
        out.names = np.empty(len(names), dtype=object)
        out.names[:] = list(names)
        out._lookup = {name: i for i, name in enumerate(out.names)}
        return out

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
        arrays, names = _columns_of(points, sectors)
        self._setup(points, arrays, names)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], names: dict[str, list],
                    points: pd.DataFrame | None = None) -> "PointIndex":
        """An index from :meth:`to_arrays` output (e.g. read back from a columnar file).

        ``points`` holds the records of the first ``len(points)`` rows as a DataFrame (the few
        non-signal records the app draws and lists); the other rows (the signals) exist only
        as arrays: :meth:`filtered`, :meth:`counted`, :meth:`of_layer` and :meth:`map_points`
        return records of ``points`` only, every count covers all rows.
        """
        index = cls.__new__(cls)
        index._setup(points if points is not None else pd.DataFrame(columns=list(_FRAME_COLUMNS)),
                     arrays, names)
        return index

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, list]]:
        """The stored arrays (numeric, one value per row) and the names behind the codes:
        what :meth:`from_arrays` needs (derived arrays are recomputed there)."""
        arrays = {"layer": self.layer, "datum": self.datum, "eind": self.eind, "x": self.x, "y": self.y}
        names = {}
        for column, codes in self._coded().items():
            arrays[column], names[column] = codes.codes, [_plain(v) for v in codes.names]
        return arrays, names

    @classmethod
    def from_parts(cls, parts: list[tuple[dict, dict]], points: pd.DataFrame | None = None) -> "PointIndex":
        """One index of several :meth:`to_arrays` parts, rows in order (codes remapped)."""
        return cls.from_arrays(*_concat(parts), points=points)

    def _coded(self) -> dict[str, "_Codes"]:
        return {"type": self.type, "status": self.status, "wijk": self.wijk,
                **{f"area_{level}": self.area[level] for level in areas.LEVELS}}

    def _setup(self, points: pd.DataFrame, arrays: dict[str, np.ndarray], names: dict[str, list]) -> None:
        self.points = points
        self.n = len(arrays["layer"])
        self.layer = arrays["layer"]
        self.type = _Codes.of(arrays["type"], names["type"])
        self.status = _Codes.of(arrays["status"], names["status"])
        self.wijk = _Codes.of(arrays["wijk"], names["wijk"])
        self.area = {level: _Codes.of(arrays[f"area_{level}"], names[f"area_{level}"]) for level in areas.LEVELS}
        self.removed = self.status.equals(REMOVED)
        self.event = np.isin(self.layer, [LAYER_NAMES.index(k) for k in EVENT_LAYERS])
        self.datum, self.eind = arrays["datum"], arrays["eind"]
        self.datum_missing = self.datum == _NAT
        self.eind_missing = self.eind == _NAT
        self.x, self.y = arrays["x"], arrays["y"]
        signal = self.layer == LAYER_NAMES.index("signalen")
        self.sensitive = signal & self.type.isin(LAYERS["signalen"].sensitive_types)
        # signals are never drawn as points; the others are few, so their display position is
        # computed once here instead of on every rerun
        self.drawable = ~signal & ~np.isnan(self.x)
        lon, lat = spatial.to_display_lonlat(self.x[self.drawable], self.y[self.drawable])
        self.lon, self.lat = np.full(self.n, np.nan), np.full(self.n, np.nan)
        self.lon[self.drawable], self.lat[self.drawable] = lon, lat
        # months since 1970-01 (meaningless where datum_missing)
        self.month = self.datum.view("datetime64[ns]").astype("datetime64[M]").astype("int64")
        self._in_frame = len(points)  # rows [0, _in_frame) are the records of self.points
        self._map_columns = None  # map_points' columns of self.points, selected on first use
        self._masks: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def _datum_unit(self):
        """The datetime dtype of the records' ``datum`` (what pandas read), else nanoseconds."""
        dtype = self.points["datum"].dtype if "datum" in self.points else None
        return dtype if isinstance(dtype, np.dtype) and dtype.kind == "M" else np.dtype("datetime64[ns]")

    def _frame_rows(self, mask: np.ndarray) -> pd.DataFrame:
        return self.points[mask[:self._in_frame]]

    def point_summary(self) -> pd.DataFrame:
        """Records per layer and type (equals :func:`point_summary` of every record)."""
        if self.n == 0:
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        frame = pd.DataFrame({"layer": self.layer, "type": self.type.codes, "_zp": np.isnan(self.x),
                              "_d": self.datum.view("datetime64[ns]")})
        out = frame.groupby(["layer", "type"]).agg(n=("_zp", "size"), zonder_punt=("_zp", "sum"),
                                                   eerste=("_d", "min"), laatste=("_d", "max")).reset_index()
        out = out[out["layer"] >= 0]
        names = np.append(self.type.names, None).astype(object)  # code -1 (missing) -> None
        out = out.assign(layer=np.asarray(LAYER_NAMES, dtype=object)[out["layer"].to_numpy()],
                         type=names[out["type"].to_numpy()])
        out[["n", "zonder_punt"]] = out[["n", "zonder_punt"]].astype("int64")
        out[["eerste", "laatste"]] = out[["eerste", "laatste"]].astype(self._datum_unit())
        return out.sort_values(["layer", "type"], na_position="last", ignore_index=True)[SUMMARY_COLUMNS]

    def signal_records(self) -> pd.DataFrame:
        """Every signal as a DataFrame of categorical and numeric columns (no string per row):
        ``layer, type, status, datum, einddatum, x, y, sector, wijk_code``, for the few pandas
        functions that need the signal rows (e.g. :func:`cohesie.suggest.signal_factor`)."""
        keep = self.layer == LAYER_NAMES.index("signalen")

        def cat(codes: "_Codes"):
            # "" as an unused category as well, so that pandas code can fillna("") as on strings
            names = list(codes.names) + ([""] if "" not in codes._lookup else [])
            return pd.Categorical.from_codes(codes.codes[keep], categories=pd.Index(names, dtype=object))

        return pd.DataFrame({
            "layer": pd.Categorical.from_codes(np.zeros(int(keep.sum()), np.int8), categories=["signalen"]),
            "type": cat(self.type), "status": cat(self.status),
            "datum": self.datum[keep].view("datetime64[ns]"), "einddatum": self.eind[keep].view("datetime64[ns]"),
            "x": self.x[keep], "y": self.y[keep], "sector": cat(self.area["sector"]), "wijk_code": cat(self.wijk)})

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
        return self._frame_rows(self.mask(filters))

    def counted(self, filters: Filters = Filters()) -> pd.DataFrame:
        """The counted records (same rows as :func:`cohesie.indicators.counted_points`)."""
        return self._frame_rows(self.counted_mask(filters))

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
        table = np.column_stack([table.reshape(n_areas, n_layers), *columns.values()]).astype("int64")
        present = np.flatnonzero(table.sum(axis=1) > 0)
        names = codes.names[present]
        order = present[np.argsort(names, kind="stable")]  # sorted by code, as sort_index sorts them
        position = {name: i for i, name in enumerate([*LAYER_NAMES, *columns])}
        # one int64 block in the order of COUNT_COLUMNS (a frame made, reordered, sorted and cast
        # in pandas cost more than the counting)
        return pd.DataFrame(table[order][:, [position[c] for c in COUNT_COLUMNS]],
                            index=pd.Index(codes.names[order]), columns=list(COUNT_COLUMNS))

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
        unit = self._datum_unit()
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
        return self._frame_rows(self.layer == self._layer_code(layer))

    def map_points(self, filters: Filters) -> pd.DataFrame:
        """Located records to draw as points (equals :func:`cohesie.views.points_for_map`)."""
        keep = (self.mask(filters) & self.drawable)[:self._in_frame]
        if self._map_columns is None:  # the five columns shown, selected once (not on every filter set)
            self._map_columns = self.points[["layer", "id", "naam", "type", "status"]]
        return self._map_columns[keep].assign(lat=self.lat[:self._in_frame][keep], lon=self.lon[:self._in_frame][keep])


_NAT = np.datetime64("NaT", "ns").view("int64")
#: the stored columns the index is built from
INDEX_COLUMNS = ("layer", "type", "status", "datum", "einddatum", "x", "y", "sector", "wijk_code")
_FRAME_COLUMNS = ("layer", "id", "naam", "type", "status", "datum", "x", "y", "sector", "wijk_code")


def _plain(value):
    """A code's name as JSON keeps it (numpy scalars as Python ones)."""
    return value.item() if isinstance(value, np.generic) else value


class _AreaLookup:
    """:func:`cohesie.indicators.area_codes_of_points` with its sector and wijk lookups built
    once (for many chunks of records)."""

    def __init__(self, sectors: pd.DataFrame):
        self.deelgemeente_of_sector = sectors.set_index("code")["deelgemeente"]
        self.deelgemeente_of_wijk = areas.wijk_of_deelgemeente(sectors)
        self.nis = sectors["nis"].iloc[0] if len(sectors) else None

    def __call__(self, points: pd.DataFrame, level: str) -> pd.Series:
        if level == "sector":
            return points["sector"]
        if level == "wijk":
            return points["wijk_code"]
        if level == "deelgemeente":
            by_sector = points["sector"].map(self.deelgemeente_of_sector)
            by_wijk = points["wijk_code"].map(self.deelgemeente_of_wijk)
            return by_sector.where(by_sector.notna(), by_wijk)
        if level == "gemeente":
            return pd.Series(self.nis, index=points.index).where(points["wijk_code"].notna())
        raise ValueError(level)


def _columns_of(points: pd.DataFrame, sectors: pd.DataFrame, lookup: _AreaLookup | None = None
                ) -> tuple[dict[str, np.ndarray], dict[str, list]]:
    """The arrays and code names of :meth:`PointIndex.to_arrays` for ``points``."""
    n = len(points)
    area_of = (lambda level: area_codes_of_points(points, sectors, level)) if lookup is None else \
        (lambda level: lookup(points, level))
    layer = _Codes(points["layer"])
    to_layer = np.array([LAYER_NAMES.index(k) if k in LAYERS else -1 for k in layer.names] + [-1], dtype=np.int16)
    arrays = {"layer": to_layer[layer.codes]}
    names = {}
    coded = {"type": points["type"], "status": points["status"], "wijk": points["wijk_code"],
             **{f"area_{level}": area_of(level) for level in areas.LEVELS}}
    for column, values in coded.items():
        codes = _Codes(values)
        arrays[column], names[column] = codes.codes, [_plain(v) for v in codes.names]
    arrays["datum"] = _ns(points["datum"])[0]
    arrays["eind"] = _ns(points["einddatum"])[0] if "einddatum" in points else np.full(n, _NAT, "int64")
    arrays["x"] = pd.to_numeric(points["x"], errors="coerce").to_numpy(dtype="float64") if n else np.array([])
    arrays["y"] = pd.to_numeric(points["y"], errors="coerce").to_numpy(dtype="float64") if n else np.array([])
    return arrays, names


def _concat(parts: list[tuple[dict, dict]]) -> tuple[dict[str, np.ndarray], dict[str, list]]:
    """Rows of several (arrays, names) parts in order, the codes of each part remapped onto
    one list of names per column."""
    arrays, names = {}, {}
    for column in parts[0][0]:
        if column not in parts[0][1]:
            arrays[column] = np.concatenate([p[0][column] for p in parts])
            continue
        merged: dict = {}
        pieces = []
        for part_arrays, part_names in parts:
            remap = np.array([merged.setdefault(v, len(merged)) for v in part_names[column]] + [-1], dtype=np.int32)
            pieces.append(remap[part_arrays[column]])  # code -1 indexes the last entry: stays -1
        arrays[column], names[column] = np.concatenate(pieces), list(merged)
    return arrays, names


def load_index(store, points: pd.DataFrame, sectors: pd.DataFrame, *, version: int,
               chunk: int = 100_000) -> PointIndex:
    """The :class:`PointIndex` of every stored record, ``points`` being the non-signal records
    (:data:`NON_EVENT_LAYERS`, as the app loads them) and the signals read from the arrays the
    store persisted for this data version and area division, or, when there are none (a new
    version, a missing or damaged file), built from the stored records in chunks of ``chunk``
    rows and persisted for the next start. The signals never exist as one DataFrame."""
    key = index_key(version, sectors)
    lookup = _AreaLookup(sectors)
    found = store.read_arrays("points", key)
    part = None
    if found is not None:
        arrays, extra = found
        names = extra.get("names")
        if isinstance(names, dict) and _valid_part(arrays, names):
            part = (arrays, names)
    if part is None:
        chunks = [_columns_of(frame, sectors, lookup) for frame in store.read_point_chunks(
            layers=EVENT_LAYERS, chunk=chunk, columns=INDEX_COLUMNS)]
        part = _concat(chunks) if chunks else _columns_of(points.iloc[:0], sectors, lookup)
        store.write_arrays("points", key, part[0], {"names": part[1]})
    return PointIndex.from_parts([_columns_of(points, sectors, lookup), part], points=points)


def index_key(version: int, sectors: pd.DataFrame) -> str:
    """Data version plus a hash of the area division (sector → deelgemeente, wijk, gemeente),
    which the index's area codes depend on."""
    import hashlib

    cols = [c for c in ("code", "deelgemeente", "wijk_code", "nis") if c in sectors]
    text = "\x1f".join("\x1e".join(map(str, sectors[c].tolist())) for c in cols)
    return f"v{int(version)}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


def _valid_part(arrays: dict, names: dict) -> bool:
    needed = {"layer", "datum", "eind", "x", "y", "type", "status", "wijk", *(f"area_{lv}" for lv in areas.LEVELS)}
    if set(arrays) != needed or len({len(v) for v in arrays.values()}) != 1:
        return False
    for column in needed & {"type", "status", "wijk", *(f"area_{lv}" for lv in areas.LEVELS)}:
        codes = arrays[column]
        if not isinstance(names.get(column), list) or (len(codes) and (codes.min() < -1 or codes.max() >= len(names[column]))):
            return False
    return bool(len(arrays["layer"]) == 0 or arrays["layer"].max() < len(LAYER_NAMES))


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
