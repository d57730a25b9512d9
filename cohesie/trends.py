"""Counts per area and per period (year or quarter) over the whole data period.

Rules (the counting rules of :mod:`cohesie.indicators`, applied once per period):

- Standing stock: furniture, projects, pleinmakers and actors (``span`` layers) count in a
  period when they stand on its last day (31 December, or the last day of the quarter):
  ``datum`` empty or ≤ that day and ``einddatum`` empty or ≥ that day, with the status rule of
  :func:`cohesie.layers.counted_statuses` (placed furniture, running or finished projects).
  A project that starts and ends inside one period therefore counts in no period of that
  length (a project of March–June 2024 counts in 2024-Q1 and 2024-Q2, not in 2024).
  Furniture proposals (``meubilair_voorstel``) are stock as well.
- Flow: signals and care signals (``event`` layers) count in the period they were reported in
  (``datum`` from its first to its last day).
- ``verwijderd`` never counts. The other filters (layers, types, statuses, wijken) apply to
  every period as they do today.
- The periods run from the earliest to the latest ``datum`` of the stored records, cut to
  the filters' start and end when given; the last period may be incomplete.
- Suppression (:func:`protect_per_period`): the signal counts of each period are suppressed on
  their own, as the pages do for one period (:func:`cohesie.views.protect_signals`), and a
  change from the previous period is hidden when either of its two counts is.

The counting implementations of :mod:`cohesie.counting` give the same answers (tested), each
through its ``period_counts``: the pandas reference (:class:`cohesie.counting.PandasCounts`,
:func:`cohesie.indicators.area_counts` per period), the numpy :class:`cohesie.counting.PointIndex`
(all periods from one index, vectorised over records) and the database
(:class:`cohesie.counting.DatabaseCounts`, SQL, twice per period).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from cohesie import areas, indicators
from cohesie.errors import CohesieError
from cohesie.indicators import COUNT_COLUMNS, Filters
from cohesie.layers import LAYERS

#: ``--per`` choices: period length → pandas frequency
PER = {"year": "Y", "quarter": "Q"}
EVENT_LAYERS = tuple(k for k, lay in LAYERS.items() if lay.period == "event")
STOCK_LAYERS = tuple(k for k in LAYERS if k not in EVENT_LAYERS)
#: count columns of :func:`counts_per_period` counted as flow (reported in the period)
FLOW_COLUMNS = ("signalen", "zorgsignalen")


@dataclass(frozen=True)
class Period:
    """One year or quarter: its label (``2024``, ``2024-Q3``), first and last day."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


def periods_between(first, last, *, per: str = "year") -> list[Period]:
    """Every year or quarter from the one holding ``first`` to the one holding ``last``."""
    if per not in PER:
        raise CohesieError(f"Onbekende periode '{per}'. Kies uit: {', '.join(PER)}.")
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return []
    out = []
    for p in pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq=PER[per]):
        label = str(p.year) if per == "year" else f"{p.year}-Q{p.quarter}"
        out.append(Period(label, p.start_time.normalize(), p.end_time.normalize()))
    return out


def data_periods(summary: pd.DataFrame, *, per: str = "year", filters: Filters = Filters()) -> list[Period]:
    """The periods of the data: from the earliest to the latest ``datum`` of ``summary``
    (:func:`cohesie.counting.point_summary` or ``Store.point_summary()``), cut to
    ``filters.start`` / ``filters.end`` when given."""
    first = pd.to_datetime(summary["eerste"]).min() if len(summary) else None
    last = pd.to_datetime(summary["laatste"]).max() if len(summary) else None
    if filters.start is not None and first is not None and not pd.isna(first):
        first = max(first, pd.Timestamp(filters.start))
    if filters.end is not None and last is not None and not pd.isna(last):
        last = min(last, pd.Timestamp(filters.end))
    if first is None or last is None or pd.isna(first) or pd.isna(last) or first > last:
        return []
    return periods_between(first, last, per=per)


def period_filters(period: Period, filters: Filters = Filters()) -> tuple[Filters | None, Filters | None]:
    """(stock, flow) filters of ``period``: stock layers standing on its last day, event
    layers reported in it; ``None`` when ``filters`` choose no layer of that kind."""
    stock = tuple(k for k in filters.layers if k in STOCK_LAYERS)
    flow = tuple(k for k in filters.layers if k in EVENT_LAYERS)
    return (replace(filters, start=period.end, end=period.end, layers=stock) if stock else None,
            replace(filters, start=period.start, end=period.end, layers=flow) if flow else None)


def area_codes(sectors: pd.DataFrame, level: str) -> list[str]:
    """Codes of every area of ``level`` (as :func:`cohesie.areas.area_table` names them)."""
    if level not in areas.LEVELS:
        raise CohesieError(f"Onbekend niveau '{level}'. Kies uit: {', '.join(areas.LEVELS)}.")
    return sorted(set(sectors[areas.LEVEL_CODE[level]].dropna().astype(str)))


def counts_per_period(points: pd.DataFrame | None, sectors: pd.DataFrame, *, level: str,
                      per: str = "year", filters: Filters = Filters(),
                      periods: list[Period] | None = None, engine=None) -> pd.DataFrame:
    """Counted records per area of ``level`` and per period (long table).

    Parameters
    ----------
    points : DataFrame or None
        Records as :func:`cohesie.dataset.load` returns them; unused (may be None) when
        ``engine`` is given and ``periods`` is given.
    sectors : DataFrame
        The sectors (area codes of every level).
    level : str
        ``sector``, ``wijk``, ``deelgemeente`` or ``gemeente``.
    per : str
        ``year`` or ``quarter``.
    filters : Filters
        Layers, types, statuses and wijken as today; ``start`` / ``end`` only cut the periods.
    periods : list of Period, optional
        Default: :func:`data_periods` of ``points``.
    engine : None or Counts
        ``None``: the pandas reference (:class:`cohesie.counting.PandasCounts` of ``points``);
        else any :class:`cohesie.counting.Counts` (its ``period_counts``): a
        :class:`~cohesie.counting.PointIndex` of ``points`` (numpy) or
        :class:`~cohesie.counting.DatabaseCounts` (SQL).

    Returns
    -------
    DataFrame
        Columns ``code``, ``periode`` and :data:`cohesie.indicators.COUNT_COLUMNS` (int64); one
        row per area of ``level`` (see :func:`area_codes`; areas outside them but with records,
        e.g. a wijk without sectors, too) and period, zeros included; sorted by code, then
        period.
    """
    if periods is None:
        from cohesie import counting

        if points is None:
            raise ValueError("periods is required when points is None")
        periods = data_periods(counting.point_summary(points), per=per, filters=filters)
    from cohesie import counting

    engine = engine if engine is not None else counting.PandasCounts(points, sectors)
    per_period = engine.period_counts(level, periods, filters)
    codes = area_codes(sectors, level)
    frames = []
    for period, counts in zip(periods, per_period):
        known = codes + sorted(set(counts.index.astype(str)) - set(codes))
        table = counts.reindex(known).reindex(columns=list(COUNT_COLUMNS)).fillna(0).astype("int64")
        frames.append(table.rename_axis("code").reset_index().assign(periode=period.label))
    if not frames:
        return pd.DataFrame({"code": pd.Series(dtype=object), "periode": pd.Series(dtype=object),
                             **{c: pd.Series(dtype="int64") for c in COUNT_COLUMNS}})
    out = pd.concat(frames, ignore_index=True)[["code", "periode", *COUNT_COLUMNS]]
    order = {p.label: i for i, p in enumerate(periods)}
    return (out.assign(_o=out["periode"].map(order)).sort_values(["code", "_o"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def change_from_previous(table: pd.DataFrame, columns=COUNT_COLUMNS) -> pd.DataFrame:
    """``table`` (from :func:`counts_per_period`, sorted by code then period) with, per count
    column, ``<kolom>_verschil`` (count minus the previous period's count of the same area)
    and ``<kolom>_verschil_pct`` (that change in percent of the previous count, 1 decimal).

    Both are empty in an area's first period; the percentage is empty when the previous count
    is 0.
    """
    out = table.copy()
    for column in columns:
        previous = out.groupby("code", sort=False)[column].shift(1).astype("float64")
        diff = out[column].astype("float64") - previous
        out[f"{column}_verschil"] = diff
        out[f"{column}_verschil_pct"] = (diff / previous.where(previous != 0) * 100).round(1)
    return out


def protect_per_period(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str,
                       admin: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Signal suppression per period for everyone but admins.

    Each period's rows are suppressed on their own by :func:`cohesie.views.protect_signals`
    (counts 1-4 "< 5", complementary cells "verborgen" per parent area). A change column
    (:func:`change_from_previous`) is hidden when the count of this or of the previous period
    is hidden (it would reveal the count).

    Returns
    -------
    (numeric, hidden) : DataFrame, DataFrame
        ``numeric``: ``table`` with every hidden count, its rates and its changes empty (NaN),
        never the real value; ``hidden``: per suppressed count column present, the text
        shown ("< 5", "verborgen") or ``""``. For ``admin``: ``table`` unchanged, no texts.
    """
    from cohesie import privacy, views

    suppressed = [c for c in views.SIGNAL_COUNTS if c in table]
    numeric = table.copy()
    hidden = pd.DataFrame("", index=table.index, columns=suppressed)
    if admin:
        return numeric, hidden.iloc[:, :0]
    for _, rows in table.groupby("periode", sort=False):
        shown, _ = views.protect_signals(rows, sectors, level=level)
        for column in suppressed:
            text = shown[column].astype(str)
            hidden.loc[rows.index, column] = text.where(text.isin([privacy.PRIMARY, privacy.COMPLEMENTARY]), "")
    for column in suppressed:
        now = hidden[column] != ""
        before = now.groupby(table["code"], sort=False).shift(1, fill_value=False).astype(bool)
        for target in (column, *views.SIGNAL_COUNTS[column]):
            if target in numeric:
                numeric[target] = numeric[target].astype("float64").mask(now)
        for suffix in ("_verschil", "_verschil_pct"):
            if f"{column}{suffix}" in numeric:
                numeric[f"{column}{suffix}"] = numeric[f"{column}{suffix}"].mask(now | before)
    return numeric, hidden


def indicators_per_period(sectors, counts: pd.DataFrame, *, level: str,
                          area_frame=None) -> pd.DataFrame:
    """:func:`cohesie.indicators.per_area` for each period of ``counts`` (from
    :func:`counts_per_period`): the same columns, rates per 1000 inhabitants and per km² from
    that period's counts (inhabitants as loaded: one population figure for every period), and
    ``periode`` last; sorted by code, then period."""
    base = area_frame if area_frame is not None else areas.area_table(sectors, level)
    frames = []
    labels = list(dict.fromkeys(counts["periode"]))
    for label in labels:
        of_period = counts[counts["periode"] == label].set_index("code")
        table = indicators.per_area(sectors, None, level=level, area_frame=base, counts=of_period)
        frames.append(table.assign(periode=label))
    if not frames:
        empty = indicators.per_area(sectors, None, level=level, area_frame=base,
                                    counts=pd.DataFrame(columns=list(COUNT_COLUMNS)))
        return empty.iloc[:0].assign(periode=pd.Series(dtype=object))
    out = pd.concat(frames, ignore_index=True)
    order = {label: i for i, label in enumerate(labels)}
    return (out.assign(_o=out["periode"].map(order)).sort_values(["code", "_o"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def first_recorded(counts: pd.Series, periods: list[str]) -> str | None:
    """The first of ``periods`` in which the city counted anything of a layer (``counts``: the
    city's count per period label), or None when it never did. Periods before it are not
    periods with none but periods before the layer's records begin (signals registered from
    2022, say): a trend leaves them out instead of drawing zeros."""
    for period in periods:
        value = counts.get(period)
        if pd.notna(value) and value > 0:
            return period
    return None
