"""Where one area ranks among the areas of its level, and the dots of its distribution.

Rules:
- Rank 1 is the highest value. Equal values share the best rank of their group
  (``method="min"``: values 10, 8, 8, 5 rank 1, 2, 2, 4).
- Areas without a value (no data, e.g. a rate without a population figure) are left out: they
  get no rank and do not count in "van N"; :attr:`Rank.missing` says how many.
- Withheld values (``hidden``: for everyone but admins a suppressed signal count, "< 5" or
  "verborgen", and the rates built on it) are left out the same way (:attr:`Rank.withheld`),
  and a hidden area gets no rank and no dot. Ranks and dots are then worked out from shown
  values only, so they reveal nothing the tables do not show already: a rank among all areas
  would tell whether a hidden count lies above or below its neighbours'.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cohesie.formatting import formatter
from cohesie.i18n import translate


@dataclass(frozen=True)
class Rank:
    """One area's rank for one column.

    Attributes
    ----------
    column, code : str
        The indicator column and the area code.
    rank : int or None
        1 = highest; None when the area has no value or its value is withheld.
    of : int
        The areas ranked (those with a shown value): the N of "3 van N".
    missing, withheld : int
        Areas left out because they have no value / because their value is withheld.
    hidden : bool
        Whether this area's own value is withheld.
    tied : int
        Other ranked areas with the same value.
    """

    column: str
    code: str
    rank: int | None
    of: int
    missing: int = 0
    withheld: int = 0
    hidden: bool = False
    tied: int = 0

    @property
    def excluded(self) -> int:
        """Areas that are not ranked (no value or withheld)."""
        return self.missing + self.withheld

    def text(self, lang: str = "nl") -> str:
        """``"3 van 12"`` (``"3 of 12"`` in English); empty without a rank."""
        if self.rank is None:
            return ""
        fmt = formatter(lang)
        return translate("{rang} van {aantal}", lang, rang=fmt.integer(self.rank), aantal=fmt.integer(self.of))

    def note(self, lang: str = "nl") -> str:
        """Which areas are not ranked, as a sentence; empty when every area is."""
        parts = []
        if self.missing:
            parts.append(translate("{n} zonder waarde", lang, n=formatter(lang).integer(self.missing)))
        if self.withheld:
            parts.append(translate("{n} met een verborgen aantal", lang, n=formatter(lang).integer(self.withheld)))
        return translate("Niet gerangschikt: {wie}.", lang, wie=", ".join(parts)) if parts else ""


def _values(table: pd.DataFrame, column: str, hidden) -> tuple[pd.Series, pd.Series]:
    """(numeric values by area code, withheld mask by area code)."""
    frame = table.set_index("code", drop=False) if "code" in table.columns else table
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    mask = pd.Series(False, index=values.index)
    if hidden is not None:
        mask = pd.Series(hidden, dtype=object).reindex(values.index).fillna(False).astype(bool)
    return values, mask


def ranks(table: pd.DataFrame, column: str, *, hidden: pd.Series | None = None) -> pd.Series:
    """The rank of every area for ``column`` (1 = highest, ties share the best rank), indexed
    by area code; empty (NaN) for areas without a value or withheld (``hidden`` True).

    ``table`` is indexed by area code or has a ``code`` column.
    """
    values, withheld = _values(table, column, hidden)
    return values.where(~withheld).rank(method="min", ascending=False)


def rank_among(table: pd.DataFrame, column: str, code: str, *, hidden: pd.Series | None = None) -> Rank:
    """The rank of area ``code`` for ``column`` among the areas of ``table``.

    Parameters
    ----------
    table : DataFrame
        One row per area, indexed by area code or with a ``code`` column.
    column : str
        The indicator; non-numeric and empty cells count as no value.
    code : str
        The area to rank.
    hidden : Series of bool, optional
        By area code: values withheld for the viewer (see the module's rules).
    """
    values, withheld = _values(table, column, hidden)
    shown = values.where(~withheld)
    ranked = shown.rank(method="min", ascending=False)
    missing = int((values.isna() & ~withheld).sum())
    own = ranked.get(code, float("nan"))
    rank = None if pd.isna(own) else int(own)
    tied = 0 if rank is None else int((shown == shown[code]).sum()) - 1
    return Rank(column=column, code=code, rank=rank, of=int(shown.notna().sum()), missing=missing,
                withheld=int(withheld.sum()), hidden=bool(withheld.get(code, False)), tied=tied)


def strip_points(table: pd.DataFrame, column: str, *, hidden: pd.Series | None = None) -> pd.Series:
    """The value of every area a strip plot may draw for ``column``, by area code: areas
    without a value and withheld ones are left out."""
    values, withheld = _values(table, column, hidden)
    return values[~withheld & values.notna()]
