"""What the Plaatsing page shows: coverage, the chosen spot, suggestions, the record picker and a
record's panel, every number and label formatted for one language (:mod:`cohesie.formatting`).

Rules:
- A record is named the same everywhere on the page (picker, toast, panel):
  ``Meubilair: naam · type · adres · status · id`` (adres only when there is one), so two
  records with the same name never read alike. The id is shortened to 8 characters unless that
  would make two labels equal.
- The picker's values are ``"layer|id"`` keys; the label is looked up, so a status change shows
  at once and the selection stays on the same record.
- A suggestion carries the idempotency key of its proposal (:func:`cohesie.edits.suggestion_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cohesie import coverage, edits, spatial, suggest, views
from cohesie.formatting import formatter, is_empty
from cohesie.history import HistoryLine, history_lines
from cohesie.i18n import layer_label, translate
from cohesie.indicators import Filters
from cohesie.layers import REMOVED, get_layer

MANAGED_LAYERS = ("meubilair", "projecten")
SHORT_ID = 8
#: Status buttons in a fixed order: a button never moves to where another one was, so the second
#: click of a double click lands on the (now disabled) same button, not on the next step.
STATUS_ORDER = ("voorstel", "goedgekeurd", "geplaatst", "afgewezen", REMOVED)


# -- naming records ---------------------------------------------------------------------
def short_ids(ids) -> dict[str, str]:
    """``{id: shown id}``: the first :data:`SHORT_ID` characters, or the whole id where two
    ids share those characters."""
    ids = [str(i) for i in ids]
    cut = {i: i[:SHORT_ID] for i in ids}
    counts = pd.Series(list(cut.values()), dtype=object).value_counts()
    return {i: (c if counts[c] == 1 else i) for i, c in cut.items()}


def record_label(rec, *, lang: str = "nl", shown_id: str | None = None) -> str:
    """``"Meubilair: Bank bij de kerk · gevelbank · Kapelstraat 2 · voorstel · M-1a2b3c4d"``."""
    get = rec.get if isinstance(rec, dict) else (lambda k, d=None: getattr(rec, k, d))
    parts = [get("naam"), get("type"), get("adres"), get("status"), shown_id or str(get("id"))[:SHORT_ID]]
    text = " · ".join(str(p) for p in parts if p is not None and not is_empty(p) and str(p).strip())
    return f"{layer_label(get('layer'), lang)}: {text}"


def record_options(points: pd.DataFrame, *, lang: str = "nl") -> dict[str, str]:
    """``{"layer|id": label}`` of the managed records, ordered by layer, name and id."""
    records = points[points["layer"].isin(MANAGED_LAYERS)]
    records = records.sort_values(["layer", "naam", "id"], kind="stable")
    shown = short_ids(records["id"])
    return {f"{r.layer}|{r.id}": record_label(r, lang=lang, shown_id=shown[str(r.id)])
            for r in records.itertuples(index=False)}


def record_key(rec: dict) -> str:
    return f"{rec['layer']}|{rec['id']}"


def saved_message(rec: dict, *, lang: str = "nl", what: str = "Bewaard", created: bool = True) -> str:
    """The confirmation of a save, naming the saved record (``what`` is the Dutch verb
    phrase, e.g. "Voorstel bewaard")."""
    label = record_label(rec, lang=lang)
    if not created:
        return translate("Dit voorstel bestond al; er is geen tweede gemaakt: {record}", lang, record=label)
    return f"{translate(what, lang)}: {label}"


def conflict_message(current: dict, *, lang: str = "nl") -> str:
    """A readable sentence about the values someone else saved first (instead of raw JSON)."""
    f = formatter(lang)
    return translate("Nu bewaard: {record}, versie {versie}, gewijzigd op {wanneer}.", lang,
                     record=record_label(current, lang=lang), versie=current.get("version", "?"),
                     wanneer=f.datetime(pd.to_datetime(current.get("updated_at"), errors="coerce"))
                     or translate("onbekend", lang))


# -- the record panel -------------------------------------------------------------------
@dataclass(frozen=True)
class RecordPanel:
    """The selected record: its description, the status changes allowed and its history."""

    key: str
    layer: str
    record_id: str
    label: str
    summary: str
    version: int
    targets: tuple[tuple[str, str, bool], ...]  # (status, button label, allowed now)
    history: tuple[HistoryLine, ...]
    effect: "object | None" = None  # issue 13: cohesie.statview.EffectView when it is an intervention
    effect_none: str = ""  # why there is no "Werkt het?" (not placed, no start date), empty otherwise


def record_panel(rec: dict, audit: pd.DataFrame, *, lang: str = "nl", sectors=None, effect=None,
                 admin: bool = False, radius: float = 300.0, months: int = 24, window=None) -> RecordPanel:
    """The panel of stored record ``rec`` with its audit rows (:meth:`Store.history`);
    ``sectors`` names the sectors and wijken in its history.

    With ``effect(layer, id, radius, months)`` (-> :func:`cohesie.effects.effect`, cached by the
    app) the panel holds "Werkt het?" (:func:`cohesie.statview.effect_view`) when the record is
    an intervention (a project, or placed furniture, with a start date and a location);
    ``window`` is :func:`cohesie.statview.signal_window`."""
    from cohesie import statview

    f = formatter(lang)
    changed = f.datetime(pd.to_datetime(rec.get("updated_at"), errors="coerce")) or translate("onbekend", lang)
    summary = translate("Status **{status}**, versie {versie}, laatst gewijzigd {wanneer}.", lang,
                        status=rec["status"], versie=rec["version"], wanneer=changed)
    allowed = {*edits.TRANSITIONS.get(rec["status"], ()), REMOVED} - {rec["status"]}
    workflow = {*edits.TRANSITIONS, *(s for nexts in edits.TRANSITIONS.values() for s in nexts), REMOVED}
    shown = [s for s in STATUS_ORDER if s in workflow and s in get_layer(rec["layer"]).statuses]
    targets = tuple((s, translate("Buiten gebruik (verwijderd)", lang) if s == REMOVED else f"→ {s}", s in allowed)
                    for s in shown if s in allowed or rec["status"] in edits.TRANSITIONS)
    names = None
    if sectors is not None:
        names = {"sector": dict(zip(sectors["code"], sectors["naam"])),
                 "wijk_code": dict(zip(sectors["wijk_code"], sectors["wijk_naam"]))}
    effect_view, effect_none = None, ""
    if effect is not None:
        if statview.is_intervention(rec):
            effect_view = statview.effect_view(effect, record_key(rec), record_label(rec, lang=lang), radius=radius,
                                               months=months, lang=lang, admin=admin, start=rec.get("datum"),
                                               window=window)
        elif rec.get("layer") == "meubilair" and rec.get("status") != "geplaatst":
            effect_none = translate("Werkt het? kan pas berekend worden als het meubilair geplaatst is (met een "
                                    "datum geplaatst).", lang)
        else:
            effect_none = translate("Werkt het? heeft een startdatum en een locatie nodig; dit record heeft er geen.",
                                    lang)
    return RecordPanel(key=record_key(rec), layer=rec["layer"], record_id=rec["id"],
                       label=record_label(rec, lang=lang), summary=summary, version=int(rec["version"]),
                       targets=targets, history=tuple(history_lines(audit, lang=lang, names=names)),
                       effect=effect_view, effect_none=effect_none)


# -- the page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Spot:
    """The clicked spot in words (``error`` when it lies outside the municipality)."""

    lat: float
    lon: float
    error: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """One suggested site: its text, the idempotency key and arguments of its proposal, and
    the label of that proposal once it exists (``proposed``)."""

    rang: int
    text: str
    key: str
    proposal: dict
    proposed: str | None = None


@dataclass
class PlacementView:
    """Everything the Plaatsing page shows for one furniture type and reach."""

    coverage_label: str
    coverage_value: str
    coverage_help: str
    styles: dict
    legend: list[tuple[str, str]]
    legend_title: str
    map_points: pd.DataFrame
    gaps_geojson: str | None
    spot: Spot | None
    suggestions: list[Suggestion] | None
    suggestions_for_map: pd.DataFrame | None
    no_suggestion_text: str
    records: dict[str, str] = field(default_factory=dict)
    click_label: str = "Gekozen plek"


def suggestions(data, *, n: int, radius: float, furniture_type: str, filters: Filters,
                signals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Plaatsing page's "Stel voor": ``n`` sites for ``furniture_type`` as a plain table (the
    page keeps it between runs). ``signals``: the signal records, given only to weigh by signals
    per 1000 inhabitants (the app keeps them in the point index, not in ``data.points``)."""
    weighted = signals is not None
    points = pd.concat([data.points, signals]) if weighted else data.points
    found = suggest.suggest_sites(data.sectors, points, n=int(n), radius=radius, furniture_type=furniture_type,
                                  weight_by_signals=weighted, start=filters.start, end=filters.end)
    return pd.DataFrame(found.drop(columns="geometry"))


def placement_view(data, *, furniture_type: str, radius: float, show_gaps: bool,
                   click: tuple[float, float] | None, suggestions: pd.DataFrame | None,
                   lang: str = "nl") -> PlacementView:
    """The Plaatsing page's content.

    Parameters
    ----------
    data : Dataset
        The loaded data (sectors EPSG:31370, all point layers but signals may be absent).
    furniture_type : str
        The type tested (e.g. ``gevelbank``).
    radius : float
        Reach in metres.
    show_gaps : bool
        Draw the uncovered parts instead of the coverage per sector.
    click : (lat, lon) or None
        The spot the user clicked.
    suggestions : DataFrame or None
        :func:`cohesie.suggest.suggest_sites` without geometry, when asked for.
    lang : {"nl", "en"}
    """
    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    r = f.integer(radius)
    sectors, points = data.sectors, data.points
    city = coverage.coverage_per_area(sectors, points, level="gemeente", radius=radius, types=furniture_type)
    per_sector = coverage.coverage_per_area(sectors, points, level="sector", radius=radius, types=furniture_type)
    per_sector["naam"] = per_sector["code"].map(dict(zip(sectors["code"], sectors["naam"])))
    styles, classes = views.choropleth(per_sector, indicator="dekking_pct", method="equal_interval", lang=lang)
    gaps = None
    if show_gaps:
        holes = coverage.uncovered_areas(sectors, points, radius=radius, types=furniture_type)
        gaps = spatial.display_geojson(holes, ["code"]) if len(holes) else None
        legend = [("#7a0177", t("buiten bereik (gaten)"))]
        legend_title = t("Gaten: verder dan {r} m van een {type}", r=r, type=furniture_type)
    else:
        legend = classes.legend(decimals=0, lang=lang)
        legend_title = t("Dekking per sector (%), bereik {r} m", r=r)
    shown = views.points_for_map(points, Filters(layers=("meubilair",), types={"meubilair": (furniture_type,)}))
    spot = None if click is None else _spot(data, click, furniture_type=furniture_type, radius=radius, lang=lang)
    records = record_options(points, lang=lang)
    rows, for_map = None, None
    if suggestions is not None:
        from cohesie.text import escape

        rows = []
        for s in suggestions.itertuples(index=False):
            key = edits.suggestion_key(layer="meubilair", type_=furniture_type, x=s.x, y=s.y)
            rows.append(Suggestion(
                rang=int(s.rang),
                text=t("**{rang}.** {wijk}: +{winst} inwoners", rang=int(s.rang), wijk=escape(s.wijk_naam),
                       winst=f.integer(s.winst_inwoners)),
                key=key,
                proposal={"layer": "meubilair", "type_": furniture_type, "x": float(s.x), "y": float(s.y),
                          "naam": f"Suggestie {int(s.rang)} ({s.wijk_naam})",
                          "note": f"+{f.integer(s.winst_inwoners)} inwoners binnen {r} m"},
                proposed=records.get(f"meubilair|{edits.keyed_id('meubilair', key)}")))
        for_map = suggestions.rename(columns={"winst_inwoners": "winst"})
        for_map["label"] = [t("Suggestie {rang}: +{winst} inwoners binnen bereik", rang=int(s.rang),
                              winst=f.integer(s.winst_inwoners)) for s in suggestions.itertuples(index=False)]
    return PlacementView(
        coverage_label=t("Inwoners binnen {r} m van een {type}", r=r, type=furniture_type),
        coverage_value=f.percent(city["dekking_pct"].iloc[0], 1),
        coverage_help=t("Bevolking gelijk gespreid over de oppervlakte van elke sector."),
        styles={} if show_gaps else styles, legend=legend, legend_title=legend_title, map_points=shown,
        gaps_geojson=gaps, spot=spot, suggestions=rows, suggestions_for_map=for_map,
        no_suggestion_text=t("Geen plek voegt nog inwoners toe binnen dit bereik."),
        records=records, click_label=t("Gekozen plek"))


def _spot(data, click, *, furniture_type: str, radius: float, lang: str) -> Spot:
    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    from cohesie.text import escape

    lat, lon = click
    effect = suggest.placement_effect(data.sectors, data.points, lon, lat, crs=4326,
                                      furniture_type=furniture_type, radius=radius)
    if effect.sector is None:
        return Spot(lat, lon, error=t("Deze plek ligt buiten de gemeente. Klik binnen de gemeentegrens."))
    distance = f"**{f.integer(effect.afstand_m)} m**" if effect.afstand_m is not None else t("geen")
    r = f.integer(radius)
    return Spot(lat, lon, lines=(
        t("Sector **{sector}** ({code}), wijk **{wijk}**", sector=escape(effect.sector_naam), code=effect.sector,
          wijk=escape(effect.wijk_naam)),
        t("Dichtstbijzijnde {type}: {afstand}", type=furniture_type, afstand=distance),
        t("Inwoners binnen {r} m: **{n}**, waarvan **{nieuw} nieuw** binnen bereik", r=r,
          n=f.integer(effect.inwoners_bereik), nieuw=f.integer(effect.nieuw_bereik))))
