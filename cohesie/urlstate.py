"""The shareable part of the dashboard's state as URL query parameters.

A link such as ``/wijkfiche?wijk=12025W03&lagen=meubilair,signalen&van=2025-01-01&tot=2025-12-31``
opens the same filters and wijk for a colleague. Only what differs from the default is written,
so an unfiltered page has a clean URL. Values that do not exist in the loaded data (an unknown
wijk, a misspelled layer, an unreadable date) are ignored on reading, never an error: a stale
link still opens the dashboard.

Parameters: ``lagen`` (layer names, comma separated), ``wijken`` (wijk codes), ``van`` and
``tot`` (ISO dates), ``type_<laag>`` and ``status_<laag>`` (comma separated), ``wijk`` (the
selected wijk; written by :func:`cohesie.ui.select_wijk`) and ``dia`` (the Presentatie's slide:
``vergelijk`` or ``trend``; :func:`cohesie.presentation.slide_from_query`,
:func:`cohesie.ui.write_slide`).
"""

from __future__ import annotations

import datetime as dt

from cohesie.layers import LAYERS

FILTER_PARAMS = ("lagen", "wijken", "van", "tot", *(f"type_{k}" for k in LAYERS),
                 *(f"status_{k}" for k in LAYERS))


def _split(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def filters_to_query(*, layers, wijken, start: dt.date | None, end: dt.date | None, types: dict,
                     statuses: dict, default_start: dt.date | None, default_end: dt.date | None) -> dict[str, str]:
    """Query parameters for the sidebar's choices (only those that differ from the default)."""
    out: dict[str, str] = {}
    if tuple(layers) != tuple(LAYERS):
        out["lagen"] = ",".join(layers) or "-"
    if wijken:
        out["wijken"] = ",".join(wijken)
    if start is not None and start != default_start:
        out["van"] = start.isoformat()
    if end is not None and end != default_end:
        out["tot"] = end.isoformat()
    for layer, chosen in types.items():
        if chosen:
            out[f"type_{layer}"] = ",".join(chosen)
    for layer, chosen in statuses.items():
        if chosen:
            out[f"status_{layer}"] = ",".join(chosen)
    return out


def defaults_from_query(params, *, wijken: list[str], lo: dt.date, hi: dt.date) -> dict:
    """Starting values for the sidebar widgets read from ``params`` (a mapping of str).

    Returns a dict with any of ``f_layers``, ``f_wijken``, ``f_period``, ``f_types_<laag>`` and
    ``f_status_<laag>`` (the widgets' keys); what is unknown or unreadable is left out.
    """
    out: dict = {}
    if "lagen" in params:
        out["f_layers"] = [k for k in _split(params.get("lagen")) if k in LAYERS]
    chosen = [w for w in _split(params.get("wijken")) if w in set(wijken)]
    if chosen:
        out["f_wijken"] = chosen
    start, end = _date(params.get("van")), _date(params.get("tot"))
    if start or end:
        start = min(max(start or lo, lo), hi)
        end = min(max(end or hi, start), hi)
        out["f_period"] = (start, end)
    for layer, lay in LAYERS.items():
        types = _split(params.get(f"type_{layer}"))
        if types:
            out[f"f_types_{layer}"] = types
        statuses = [s for s in _split(params.get(f"status_{layer}")) if s in lay.statuses]
        if statuses:
            out[f"f_status_{layer}"] = statuses
    return out


# -- the Kaart's period view (cohesie.changemap) ---------------------------------------------
#: ``weergave`` (jaar, verandering), ``periode`` (the year or quarter shown), ``perioden``
#: (two periods, "2024,2025"), ``per`` (kwartaal), ``maat`` (pct): only what is not the default.
MAP_PARAMS = ("weergave", "periode", "perioden", "per", "maat")
_PER = {"year": "jaar", "quarter": "kwartaal"}


def map_to_query(*, mode: str, period: str | None, compare, per: str, measure: str) -> dict[str, str]:
    """Query parameters of the Kaart's period view (only those that differ from the default)."""
    out: dict[str, str] = {}
    if mode in ("jaar", "verandering"):
        out["weergave"] = mode
        if per != "year":
            out["per"] = _PER.get(per, per)
    if mode == "jaar" and period:
        out["periode"] = str(period)
    if mode == "verandering":
        if compare:
            out["perioden"] = ",".join(str(c) for c in compare)
        if measure == "pct":
            out["maat"] = "pct"
    return out


def map_from_query(params) -> dict:
    """Starting values of the Kaart's period widgets from ``params``: any of ``m_mode``,
    ``m_per``, ``m_period``, ``m_compare``, ``m_measure``. Period labels are checked against
    the data by the page (an unknown one falls back to the default)."""
    out: dict = {}
    mode = params.get("weergave")
    if mode not in ("jaar", "verandering"):
        return out
    out["m_mode"] = mode
    per = {v: k for k, v in _PER.items()}.get(params.get("per") or "jaar")
    if per:
        out["m_per"] = per
    if mode == "jaar" and params.get("periode"):
        out["m_period"] = params.get("periode")
    compare = _split(params.get("perioden"))
    if mode == "verandering" and len(compare) == 2 and compare[0] != compare[1]:
        out["m_compare"] = tuple(compare)
    if mode == "verandering" and params.get("maat") == "pct":
        out["m_measure"] = "pct"
    return out


# -- Vergelijken -----------------------------------------------------------------------------
COMPARISON_PARAMS = ("vergelijk", "indicator")


def comparison_to_query(codes, indicator: str | None, *, default_indicator: str | None = None) -> dict[str, str]:
    """``vergelijk`` (area codes, comma separated, the city as ``stad``) and ``indicator`` (the
    maps' and trend's indicator, when not the default) for the Vergelijken page."""
    out: dict[str, str] = {}
    if codes:
        out["vergelijk"] = ",".join(codes)
    if indicator and indicator != default_indicator:
        out["indicator"] = indicator
    return out


def comparison_from_query(params, *, known, indicators) -> tuple[list[str], str | None]:
    """(area codes, indicator) read from ``params``: unknown codes, repeats and an unknown
    indicator are dropped, never an error (a stale link still opens the page)."""
    known = set(known)
    codes = list(dict.fromkeys(c.strip() for c in _split(params.get("vergelijk")) if c.strip() in known))
    indicator = params.get("indicator")
    return codes, indicator if indicator in set(indicators) else None
