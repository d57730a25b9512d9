"""The Kaart per year and the change between two periods (issue 12 item 3): pure functions.

Counting per period follows :mod:`cohesie.trends`: furniture, projects, pleinmakers and actors
are standing stock (standing or running on the period's last day, 31 December for a year),
signals are flow (reported in the period). Suppression is per period
(:func:`cohesie.trends.protect_per_period`): for everyone but admins an area whose signal count
is hidden in either of the two periods shows "verborgen" and no change, because the change and
the other period's count would give the hidden count away.

:func:`change_per_area` gives, per area, both values, the absolute change and the change in
percent of the start value (empty when the start is 0: a percentage of 0 is not defined).
:mod:`cohesie.mapview` colours the Kaart with :func:`cohesie.classify.diverging` from it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cohesie import trends
from cohesie.indicators import COUNT_COLUMNS
from cohesie.layers import LAYERS

#: The Kaart's modes: the sidebar's period (as before), one period, the change between two.
MODES = ("periode", "jaar", "verandering")
#: What colours the change map: the absolute change or the change in percent.
MEASURES = ("verschil", "pct")
#: Count columns whose increase is worse (warm colours for more).
NUISANCE = ("signalen", "zorgsignalen")


def count_column(indicator: str) -> str:
    """The count an indicator is built on (``signalen_per_1000`` → ``signalen``)."""
    for suffix in ("_per_1000", "_per_km2"):
        if indicator.endswith(suffix):
            return indicator[: -len(suffix)]
    return indicator


def per_period_indicator(indicator: str) -> bool:
    """True for the indicators that have a value per period: the counts and their rates per
    1000 inhabitants and per km² (not inhabitants, coverage or the city's context figures)."""
    base = count_column(indicator)
    if base == indicator:
        return indicator in COUNT_COLUMNS
    return base in LAYERS


def palette_for(indicator: str) -> str:
    """``RdBu`` (more = red) for signals, ``BrBG`` (less = brown) for what the team places."""
    return "RdBu" if count_column(indicator) in NUISANCE else "BrBG"


def period_labels(summary: pd.DataFrame, *, per: str = "year") -> list[str]:
    """The labels of the data's periods (``2024``, ``2024-Q3``), oldest first."""
    return [p.label for p in trends.data_periods(summary, per=per)]


def complete_labels(summary: pd.DataFrame, *, per: str = "year", today=None) -> list[str]:
    """The labels of the data's periods that are over (their last day before ``today``)."""
    today = pd.Timestamp(today) if today is not None else pd.Timestamp.today().normalize()
    return [p.label for p in trends.data_periods(summary, per=per) if p.end < today]


def default_period(labels: list[str], complete: list[str]) -> str | None:
    """The period shown by default: the last one that is over, else the last one."""
    return complete[-1] if complete else (labels[-1] if labels else None)


def default_pair(labels: list[str], complete: list[str] | None = None) -> tuple[str, str] | None:
    """The two periods compared by default: the last two that are over (a year that is still
    running has fewer signals so far), else the last two."""
    if complete and len(complete) >= 2:
        return complete[-2], complete[-1]
    return (labels[-2], labels[-1]) if len(labels) >= 2 else None


def running_note(chosen: list[str], complete: list[str], labels: list[str], lang: str = "nl") -> str | None:
    """A warning when a chosen period is not over yet (its signals are those until today)."""
    from cohesie.i18n import translate

    running = [c for c in chosen if c in labels and c not in complete]
    if not running:
        return None
    return translate("{periode} is nog niet voorbij: signalen tot nu, meubilair en projecten zoals nu.",
                     lang, periode=running[0])


def change_per_area(numeric: pd.DataFrame, hidden: pd.DataFrame, *, indicator: str, start: str,
                    end: str) -> pd.DataFrame:
    """The change of ``indicator`` per area from period ``start`` to period ``end``.

    Parameters
    ----------
    numeric, hidden : DataFrame
        :func:`cohesie.trends.protect_per_period` of
        :func:`cohesie.trends.indicators_per_period` (``hidden`` may have no columns: admin).
    indicator : str
        A column of ``numeric`` (see :func:`per_period_indicator`).
    start, end : str
        Period labels (``2024``, ``2024-Q3``).

    Returns
    -------
    DataFrame
        One row per area (in the order of ``numeric``'s codes): ``code, naam, begin, eind,
        verschil`` (eind − begin), ``pct`` (verschil in percent of begin, empty when begin is
        0), ``start_nul`` (begin is 0, so no percentage), ``verborgen`` (the signal count is
        hidden in either period: begin, eind, verschil and pct are then all empty) and
        ``verborgen_tekst`` (the texts shown for the two periods, e.g. ``"< 5"``).
    """
    if indicator not in numeric:
        raise KeyError(indicator)
    codes = list(dict.fromkeys(numeric["code"].astype(str)))
    key = numeric["code"].astype(str)

    def of(label, frame, column):
        rows = frame[(numeric["periode"].astype(str) == str(label)).to_numpy()]
        return pd.Series(rows[column].to_numpy(), index=key[rows.index].to_numpy()).reindex(codes)

    names = numeric.drop_duplicates("code").set_index(key.drop_duplicates().to_numpy())["naam"].reindex(codes)
    begin = pd.to_numeric(of(start, numeric, indicator), errors="coerce").astype("float64")
    eind = pd.to_numeric(of(end, numeric, indicator), errors="coerce").astype("float64")
    column = count_column(indicator)
    if column in hidden.columns:
        text_a = of(start, hidden, column).fillna("").astype(str)
        text_b = of(end, hidden, column).fillna("").astype(str)
    else:
        text_a = text_b = pd.Series("", index=codes)
    is_hidden = (text_a != "") | (text_b != "")
    # never a hidden count, nor the other period's count next to it
    begin, eind = begin.mask(is_hidden), eind.mask(is_hidden)
    diff = eind - begin
    pct = diff / begin.where(begin != 0) * 100
    return pd.DataFrame({
        "code": codes, "naam": names.to_numpy(), "begin": begin.to_numpy(), "eind": eind.to_numpy(),
        "verschil": diff.to_numpy(), "pct": pct.to_numpy(),
        "start_nul": (begin.eq(0) & eind.notna()).to_numpy(), "verborgen": is_hidden.to_numpy(),
        "verborgen_tekst": [(a, b) for a, b in zip(text_a, text_b)]})


def city_change(table: pd.DataFrame, *, indicator: str, start: str, end: str,
                admin: bool) -> tuple[float, float, float] | None:
    """The whole city's ``(begin, eind, verschil)`` of ``indicator`` from
    :func:`cohesie.trends.indicators_per_period` at level ``gemeente``; None when a signal
    count of 1-4 in either period would be shown to someone who is not an admin."""
    from cohesie import privacy

    rows = table.assign(periode=table["periode"].astype(str)).groupby("periode")
    column = count_column(indicator)
    values = []
    for label in (start, end):
        if label not in rows.groups:
            return None
        part = rows.get_group(label)
        if not admin and column in NUISANCE and privacy.primary_mask(part[column].astype(float)).any():
            return None
        value = part[indicator].astype(float).sum(min_count=1) if len(part) == 1 else np.nan
        values.append(float(value))
    if any(np.isnan(v) for v in values):
        return None
    return values[0], values[1], values[1] - values[0]
