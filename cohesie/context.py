"""Context figures: numbers the city has per area but Cohesiekaart does not count (share of 65+,
children in poverty, a deprivation index, a survey score), combined to every area level.

Rules:
- a figure is loaded per sector or per wijk (its ``niveau``) and is either a ``count``
  (inhabitants aged 65+, children in poverty) or a ``rate`` (a share, an index, a score);
- a count of a larger area is the sum of its parts; it stays empty when one of its parts has no
  figure (the sum would understate it);
- a rate of a larger area is the mean of its parts weighted by their inhabitants (a sector's
  ``inwoners``; a wijk's the sum over its sectors), rounded to 3 decimals. Parts without a
  figure or without a population figure are left out of the mean; those without population are
  reported
  (:attr:`ContextFigures.notes`); an area with no part left stays empty;
- sector figures exist at every level; wijk figures only for wijken and the gemeente (a wijk does
  not split into sectors, nor always fit one deelgemeente): at other levels the column is empty and
  a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie import areas
from cohesie.i18n import translate

KINDS = ("count", "rate")
#: levels a context figure can be loaded at, with the levels it is available at
AVAILABLE_AT = {"sector": tuple(areas.LEVELS), "wijk": ("wijk", "gemeente")}


@dataclass(frozen=True)
class ContextFigures:
    """Context figures of one area level.

    Attributes
    ----------
    values : DataFrame
        Indexed by area code (str), one float column per context column (import order).
    labels : dict
        Column → ``"Naam (eenheid)"`` (just the name without a unit).
    kinds : dict
        Column → ``"count"`` or ``"rate"``.
    notes : list of str
        Dutch: columns not available at this level, areas left out for want of inhabitants.
    """

    values: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.values.columns)


def label_of(row) -> str:
    """``"Naam (eenheid)"`` of one ``context_meta`` row."""
    name = str(row["naam"]) if not pd.isna(row["naam"]) else str(row["kolom"])
    unit = row.get("eenheid")
    return f"{name} ({unit})" if unit is not None and not pd.isna(unit) and str(unit).strip() else name


def labels(meta: pd.DataFrame | None) -> dict[str, str]:
    """Column → ``"Naam (eenheid)"`` of every stored context column, in import order (for the
    indicator pickers)."""
    if meta is None or meta.empty:
        return {}
    return {row["kolom"]: label_of(row) for row in meta.to_dict("records")}


def weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Mean of ``values`` per group weighted by ``weights`` (rows where either is missing or the
    weight is not positive are left out; a group with none left is missing)."""
    ok = values.notna() & weights.notna() & (weights > 0)
    frame = pd.DataFrame({"g": groups[ok], "vw": values[ok] * weights[ok], "w": weights[ok]})
    sums = frame.groupby("g")[["vw", "w"]].sum()
    return sums["vw"] / sums["w"]


def complete_sum(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Sum of ``values`` per group; missing when any member of the group is missing."""
    frame = pd.DataFrame({"g": groups, "v": values})
    sums = frame.groupby("g")["v"].sum(min_count=1)
    gaps = frame["v"].isna().groupby(frame["g"]).any()
    return sums.where(~gaps.reindex(sums.index, fill_value=False))


def figures(sectors: pd.DataFrame, context: pd.DataFrame, meta: pd.DataFrame, *,
            level: str, lang: str = "nl") -> ContextFigures:
    """Every context column at ``level`` (see the module rules).

    Parameters
    ----------
    sectors : DataFrame
        Sectors with ``code``, ``wijk_code``, ``deelgemeente``, ``nis`` and ``inwoners``.
    context, meta : DataFrame
        ``Dataset.context`` (``niveau, code, kolom, waarde``) and ``Dataset.context_meta``.
    level : str
        One of :data:`cohesie.areas.LEVELS`.
    lang : str
        Language of the notes.
    """
    def level_name(lv):
        return translate(areas.LEVEL_LABELS[lv], lang).lower()

    if level not in areas.LEVELS:
        raise ValueError(level)
    target = sectors[areas.LEVEL_CODE[level]].astype(str)
    codes = pd.Index(sorted(set(target)), dtype=object)
    out = pd.DataFrame(index=codes)
    labels, kinds, notes = {}, {}, []
    people = sectors["inwoners"].astype(float)
    if meta is None or meta.empty:
        return ContextFigures(out)
    for row in meta.to_dict("records"):
        column, own, kind = row["kolom"], row["niveau"], row["soort"]
        labels[column], kinds[column] = label_of(row), kind
        stored = context[(context["kolom"] == column) & (context["niveau"] == own)]
        by_code = stored.set_index(stored["code"].astype(str))["waarde"].astype(float)
        if level not in AVAILABLE_AT.get(own, ()):
            out[column] = np.nan
            notes.append(translate("{naam} is per {eigen} geladen en bestaat dus alleen per {eigen} en voor de "
                                   "hele gemeente, niet per {niveau}.", lang, naam=labels[column],
                                   eigen=level_name(own), niveau=level_name(level)))
            continue
        if level == own:
            out[column] = by_code.reindex(codes)
            continue
        if own == "sector":
            parts = pd.DataFrame({"code": sectors["code"].astype(str), "doel": target.to_numpy(),
                                  "inwoners": people.to_numpy()})
        else:  # wijk → gemeente, weighted by each wijk's inhabitants
            wijken = pd.DataFrame({"code": sectors["wijk_code"].astype(str), "doel": target.to_numpy(),
                                   "inwoners": people.to_numpy()})
            known = wijken.groupby("code")["inwoners"].apply(lambda s: s.sum() if s.notna().all() else np.nan)
            parts = wijken.drop_duplicates("code").assign(inwoners=lambda f: f["code"].map(known))
        value = parts["code"].map(by_code)
        if kind == "count":
            out[column] = complete_sum(value, parts["doel"]).reindex(codes)
        else:
            out[column] = weighted_mean(value, parts["inwoners"], parts["doel"]).reindex(codes).round(3)
            left_out = parts.loc[value.notna() & ~(parts["inwoners"] > 0), "code"]
            if len(left_out):
                notes.append(translate("{naam}: {n} gebied(en) zonder inwoners of zonder bevolkingscijfer tellen "
                                       "niet mee in het gemiddelde gewogen naar inwoners ({codes}).", lang,
                                       naam=labels[column], n=len(left_out),
                                       codes=", ".join(sorted(left_out)[:10])))
    return ContextFigures(out.astype("float64"), labels, kinds, notes)


def decimals(figures: ContextFigures, column: str) -> int:
    """Decimals a context column is shown with: 0 for a count, 2 for a rate whose values all lie
    below 10 (an index such as 0,35), else 1 (a share in percent such as 18,4)."""
    if figures.kinds.get(column) == "count":
        return 0
    values = figures.values[column].abs() if column in figures.values else pd.Series(dtype=float)
    return 2 if values.notna().any() and (values.dropna() < 10).all() else 1


def append_to(table: pd.DataFrame, context: ContextFigures) -> pd.DataFrame:
    """``table`` (one row per area ``code``) with the context columns added after its own
    (empty for areas without a figure)."""
    out = table.copy()
    codes = out["code"].astype(str)
    for column in context.columns:
        out[column] = codes.map(context.values[column]).astype("float64").to_numpy()
    return out
