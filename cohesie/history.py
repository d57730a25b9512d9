"""A record's history as people read it: one line per saved change, "veld: oud → nieuw · wie ·
wanneer", read from the audit trail (:meth:`cohesie.storage.Store.history`).

Rules:
- Only fields a person recognises are listed; bookkeeping (``version``, ``updated_at``) and the
  raw coordinates are not. A move reads as the distance moved (metres) and, when it changed,
  the sector: ``plaats: 120 m verplaatst``.
- Dates (``datum``) are shown dd/mm/yyyy, the moment of the change dd/mm/yyyy hh:mm, both
  through :mod:`cohesie.formatting`; an empty value reads as "leeg".
- A creation reads "aangemaakt als voorstel"; a pleinmaker's action "actie: burendag op
  01/05/2026"; an audit row whose stored values cannot be read says so instead of failing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from cohesie.formatting import formatter, is_empty
from cohesie.i18n import translate

#: Fields listed in a change, in this order (others that changed follow in name order).
SHOWN_FIELDS = ("status", "naam", "type", "adres", "datum", "einddatum", "sector", "wijk_code",
                "opmerking", "omschrijving", "contactrol")
#: Fields never listed: bookkeeping, identity and coordinates (a move is described instead).
HIDDEN_FIELDS = {"version", "updated_at", "layer", "id", "x", "y", "wijk_ref"}
DATE_FIELDS = {"datum", "einddatum"}
#: How a field is named in a line (Dutch; English through the catalogue).
FIELD_LABELS = {"wijk_code": "wijk", "contactrol": "contactrol"}


@dataclass(frozen=True)
class HistoryLine:
    """One audit entry in words: ``what`` changed, by ``who``, ``when`` (already formatted)."""

    what: str
    who: str
    when: str

    def __str__(self) -> str:
        return " · ".join(part for part in (self.what, self.who, self.when) if part)


def _values(text) -> dict | None:
    if text is None or (not isinstance(text, (str, dict)) and is_empty(text)):
        return {}
    if isinstance(text, dict):
        return text
    try:
        out = json.loads(text)
    except (TypeError, ValueError):
        return None
    return out if isinstance(out, dict) else None


def _show(field: str, value, fmt, lang: str) -> str:
    if value is None or (not isinstance(value, str) and is_empty(value)) or value == "":
        return translate("leeg", lang)
    if field in DATE_FIELDS:
        return fmt.date(value) or str(value)
    if isinstance(value, float):
        return fmt.number(value, 0 if value.is_integer() else 1)
    return str(value)


def changes(before: dict, after: dict, *, lang: str = "nl", names: dict | None = None) -> list[str]:
    """``["status: voorstel → goedgekeurd", ...]`` for the fields that differ.

    ``names`` maps a field to ``{code: name}`` (e.g. ``sector`` and ``wijk_code``), so a move
    reads with the names people know; an unknown code shows as itself.
    """
    fmt = formatter(lang)
    names = names or {}
    fields = [f for f in SHOWN_FIELDS if f in before or f in after]
    fields += sorted((set(before) | set(after)) - set(fields) - HIDDEN_FIELDS)
    out = []
    for field in fields:
        old, new = before.get(field), after.get(field)
        if field in names:
            old, new = names[field].get(old, old), names[field].get(new, new)
        if _show(field, old, fmt, lang) != _show(field, new, fmt, lang):
            out.append(f"{translate(FIELD_LABELS.get(field, field), lang)}: {_show(field, old, fmt, lang)} → {_show(field, new, fmt, lang)}")
    moved = _distance(before, after)
    if moved is not None and moved >= 0.5:
        out.insert(0, translate("plaats: {afstand} m verplaatst", lang, afstand=fmt.number(moved, 0)))
    return out


def _distance(before: dict, after: dict) -> float | None:
    try:
        dx = float(after["x"]) - float(before["x"])
        dy = float(after["y"]) - float(before["y"])
    except (KeyError, TypeError, ValueError):
        return None
    d = math.hypot(dx, dy)
    return None if math.isnan(d) else d


def describe(row, *, lang: str = "nl", names: dict | None = None) -> HistoryLine:
    """One audit row (``tijdstip, gebruiker, actie, voor, na``) in words (``names`` as in
    :func:`changes`)."""
    fmt = formatter(lang)
    when = fmt.datetime(pd.to_datetime(row["tijdstip"], errors="coerce"))
    who = "" if is_empty(row["gebruiker"]) else str(row["gebruiker"])
    action = str(row["actie"])
    before, after = _values(row["voor"]), _values(row["na"])
    if before is None or after is None:
        return HistoryLine(translate("{actie} (opgeslagen waarden onleesbaar)", lang, actie=translate(action, lang)),
                           who, when)
    if action == "aangemaakt":
        status = after.get("status")
        what = (translate("aangemaakt als {status}", lang, status=status) if status
                else translate("aangemaakt", lang))
        return HistoryLine(what, who, when)
    if action == "actie":
        what = translate("actie: {soort} op {datum}", lang, soort=after.get("soort") or "?",
                         datum=_show("datum", after.get("datum"), fmt, lang))
        return HistoryLine(what, who, when)
    listed = changes(before, after, lang=lang, names=names)
    what = "; ".join(listed) if listed else translate("{actie} (niets gewijzigd)", lang, actie=translate(action, lang))
    return HistoryLine(what, who, when)


def history_lines(audit: pd.DataFrame, *, lang: str = "nl", newest_first: bool = True,
                  names: dict | None = None) -> list[HistoryLine]:
    """Every row of ``audit`` (:meth:`Store.history`) in words, newest first by default
    (``names`` as in :func:`changes`)."""
    lines = [describe(row, lang=lang, names=names) for _, row in audit.iterrows()]
    return lines[::-1] if newest_first else lines
