"""Fast filtering and counting of records with integer codes (numpy) instead of strings.

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

import numpy as np
import pandas as pd

from cohesie import areas, spatial
from cohesie.indicators import COUNT_COLUMNS, TOTAL_COLUMNS, Filters, area_codes_of_points
from cohesie.layers import LAYERS, PROPOSAL_COLUMNS, PROPOSAL_STATUSES, REMOVED, counted_statuses

LAYER_NAMES = list(LAYERS)
EVENT_LAYERS = tuple(k for k, lay in LAYERS.items() if lay.period == "event")
#: what the app loads into Python when the signals stay in the database (PostGIS)
NON_EVENT_LAYERS = tuple(k for k in LAYERS if k not in EVENT_LAYERS)
SUMMARY_COLUMNS = ["layer", "type", "n", "zonder_punt", "eerste", "laatste"]


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
        Records as :meth:`cohesie.storage.Store.load` returns them.
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
