"""The Wijkfiche: every number, table and label one wijk's page shows, next to the city.

:func:`wijkfiche` returns a :class:`Wijkfiche` for one wijk, role and language. The page
(``pages/wijkfiche.py``), its PDF (:func:`cohesie.exports.wijkfiche_pdf`) and its CSV
(:func:`csv_bytes`) render that one object, so screen and exports cannot disagree.

Rules:
- The wijk is compared with the whole city. The sidebar's wijk filter decides which wijken the
  picker offers (only those) and which one opens (the requested wijk when it is among them,
  else the first filtered wijk); it never shrinks the city the wijk is compared with.
- Only layers switched on in the filters appear: key figures, comparison rows, record lists,
  points on the small map and the signals chart. Coverage by furniture needs Meubilair on.
  Period, types and statuses apply to every count and list.
- Signals, for everyone but admins: a wijk's count of 1-4 shows "< 5" (complementary
  "verborgen" across the city's wijken) and rates on it are empty; per month and category,
  cells of 1-4 and the cells they could be worked out from are left out (:mod:`cohesie.privacy`).
  A hidden cell keeps a neutral sortable stand-in (2.5 for "< 5", empty for "verborgen"),
  never the count.
- Every comparison row has the wijk's rank among the city's wijken (1 = highest, "3 van 12") and
  a :class:`Distribution` of every wijk's value for a strip plot (:mod:`cohesie.ranking`). For
  everyone but admins, wijken whose signal count is hidden are neither ranked nor drawn for the
  signal rows, and a hidden wijk gets no rank there: ranks come from shown values only.
- Every displayed number goes through :mod:`cohesie.formatting`; every label through
  :mod:`cohesie.i18n`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie import context, coverage, indicators, privacy, ranking, spatial
from cohesie.formatting import Formatter, formatter, month_label
from cohesie.i18n import indicator_labels, layer_label, translate
from cohesie.indicators import Filters
from cohesie.layers import LAYERS

RADIUS_M = 300  # reach of the coverage figures on the fiche (metres)
PRIMARY_STAND_IN = 2.5  # sorts "< 5" between 0 and 5 without revealing the count
MAX_AXIS_LABELS = 12  # month labels on a chart's axis (every n-th month beyond that)

#: colours of the signal categories, the same in the screen chart and the PDF (Okabe-Ito,
#: readable with colour blindness); known categories keep their colour in every wijk
CATEGORY_COLOURS = {"hangjongeren": "#0072B2", "wildplassen": "#E69F00", "zwerfvuil": "#009E73",
                    "burenoverlast": "#D55E00", "zorgsignaal": "#CC79A7"}
OTHER_COLOURS = ("#56B4E9", "#F0E442", "#999999", "#000000", "#8C564B", "#17BECF")


def category_colours(categories) -> dict[str, str]:
    """Colour per signal category: known categories fixed, others in sorted order."""
    known = [c for c in CATEGORY_COLOURS if c in set(categories)]
    others = sorted(set(categories) - set(known))
    out = {c: CATEGORY_COLOURS[c] for c in known}
    out.update({c: OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, c in enumerate(others)})
    return out


@dataclass(frozen=True)
class Figure:
    """One key figure: the wijk's value, the city's, and the difference (display text).

    ``delta_color`` and ``delta_arrow`` are as :func:`streamlit.metric` takes them.
    """

    key: str
    label: str
    value: float | None
    text: str
    city: float | None = None
    city_text: str = ""
    delta_text: str | None = None
    delta_color: str = "normal"
    delta_arrow: str = "auto"
    help: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as values (numeric columns numeric, dates as dates, so sorting is right) and
    display text of the same shape; ``headers`` are the translated column titles."""

    values: pd.DataFrame
    text: pd.DataFrame
    headers: dict[str, str]
    pinned: str | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def empty(self) -> bool:
        return self.values.empty

    def styler(self):
        """A pandas Styler showing :attr:`text` over :attr:`values` (Streamlit sorts on the
        values and shows the text)."""
        styler = self.values.style
        for col in self.values.columns:
            texts = self.text[col]
            for pos, shown in enumerate(texts):
                styler = styler.format(lambda v, s=shown: s, subset=pd.IndexSlice[self.values.index[pos:pos + 1], [col]])
        return styler

    def display(self) -> pd.DataFrame:
        """The display text with translated headers (PDF)."""
        return self.text.rename(columns=self.headers)


@dataclass(frozen=True)
class RecordList:
    """The records of one layer in the wijk."""

    layer: str
    title: str
    table: Table


@dataclass(frozen=True)
class MonthChart:
    """Signals per month and category.

    ``table`` is month (rows) × category (columns) with hidden cells empty; ``data`` the same
    in long form for a chart (``maand, maand_tekst, categorie, volgorde`` (stacking order),
    ``aantal, aantal_tekst``; hidden and zero cells left out); ``months`` the month labels in order, ``ticks`` those the axis
    shows; ``colours`` a colour per category.
    """

    table: pd.DataFrame
    text: pd.DataFrame
    data: pd.DataFrame
    months: list[str]
    ticks: list[str]
    categories: list[str]
    colours: dict[str, str]
    hidden: int
    title: str
    x_title: str
    y_title: str
    legend_title: str
    note: str | None = None
    empty_text: str = ""

    @property
    def empty(self) -> bool:
        return self.data.empty


@dataclass(frozen=True)
class Distribution:
    """Every wijk's value per indicator, for a strip plot with this wijk marked.

    ``data`` has one row per drawn wijk and indicator (``kolom, rij, naam, waarde, tekst, rol,
    legenda``; ``rol`` is ``"wijk"`` for this wijk, ``"ander"`` for the others, ``legenda`` its
    text) and one row per rate indicator with the city's value (``rol`` ``"stad"``); ``rij`` is the row title (indicator and rank).
    Wijken without a value, and withheld ones (see :mod:`cohesie.ranking`), are not drawn.
    ``columns`` are the indicators in table order, ``default`` those shown first, ``roles`` the
    legend text per ``rol``.
    """

    data: pd.DataFrame
    columns: list[str]
    labels: dict[str, str]
    default: list[str]
    roles: dict[str, str]
    title: str
    x_title: str
    y_title: str
    note: str | None = None

    def of(self, columns) -> pd.DataFrame:
        """The rows of ``columns`` (in table order)."""
        return self.data[self.data["kolom"].isin(list(columns))]


@dataclass
class Wijkfiche:
    """Everything the Wijkfiche shows for one wijk, role and language."""

    code: str
    naam: str
    title: str
    lang: str
    admin: bool
    options: dict[str, str]
    figures: list[Figure]
    comparison: Table
    signals: MonthChart | None
    records: list[RecordList]
    late_pleinmakers: list[str]
    late_text: str | None
    sectors: gpd.GeoDataFrame
    points: pd.DataFrame
    bounds: list
    header: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, ranking.Rank] = field(default_factory=dict)
    distribution: Distribution | None = None
    trend: "Trend | None" = None
    # issue 13: early warning of the wijk and its sectors, "Werkt het?" of one intervention
    opvallend: "statview.Opvallend | None" = None
    interventions: dict = field(default_factory=dict)
    effect: "statview.EffectView | None" = None
    #: the short "context" block under the title: inhabitants (with the population file's year)
    #: and, per context figure, its name, unit, source and year
    context: list[str] = field(default_factory=list)
    #: context column → "bron, jaar" text (the comparison rows of the city's own figures)
    context_sources: dict[str, str] = field(default_factory=dict)

    @property
    def fmt(self) -> Formatter:
        return formatter(self.lang)

    @property
    def layer_names(self) -> dict[str, str]:
        """Layer → its label in the fiche's language (the small map's tooltips)."""
        return {k: layer_label(k, self.lang) for k in LAYERS}

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def record_list(self, layer: str) -> RecordList | None:
        return next((r for r in self.records if r.layer == layer), None)

    def shapes_geojson(self) -> str:
        """The wijk's sectors as display GeoJSON (EPSG:4326) for the small map."""
        return spatial.display_geojson(self.sectors, ["code"])


# -- choosing the wijk ------------------------------------------------------------------------
def wijk_choices(sectors: pd.DataFrame, filters: Filters) -> dict[str, str]:
    """``{code: "naam (code)"}`` the picker offers: the filtered wijken in filter order, or
    every wijk sorted by name when the sidebar filters none."""
    w = sectors.drop_duplicates("wijk_code").sort_values("wijk_naam")
    every = {str(c): f"{n} ({c})" for c, n in zip(w["wijk_code"], w["wijk_naam"])}
    chosen = {c: every[c] for c in filters.wijken if c in every}
    return chosen or every


def opening_wijk(options: dict[str, str], requested: str | None) -> str:
    """The wijk the fiche opens on: ``requested`` when offered, else the first offered."""
    return requested if requested in options else next(iter(options))


# -- the view model ---------------------------------------------------------------------------
@dataclass
class _City:
    """What every wijk's fiche shares: indicators per wijk, the city's values, the filters."""

    data: object
    filters: Filters
    everywhere: Filters
    table: pd.DataFrame
    city: pd.Series
    primary: pd.Series
    complementary: pd.Series
    options: dict[str, str]
    admin: bool
    lang: str
    radius: float
    year: int
    per_month: Callable
    records: Callable
    filters_text: str
    per_period: Callable | None = None
    trend_indicator: str | None = None
    trend_per: str = "year"
    context: context.ContextFigures | None = None  # the city's own figures per wijk
    context_meta: pd.DataFrame | None = None
    cache: dict = field(default_factory=dict)  # counted once for every wijk's fiche
    stats: dict = field(default_factory=dict)  # issue 13: alerts / effect callables and choices

    @property
    def context_columns(self) -> list[str]:
        return self.context.columns if self.context is not None else []


def _counting(data, counts, per_month, records):
    if counts is None:
        def counts(level, f):
            return indicators.area_counts(data.sectors, data.points, level, f)
    if per_month is None:
        def per_month(f):
            return indicators.signals_per_month(data.points, f)
    if records is None:
        def records(layer):
            return data.points[data.points["layer"] == layer]
    return counts, per_month, records


def _city(data, *, filters: Filters, admin: bool, lang: str, counts, per_month, records,
          describe, area_frames, radius: float, year: int | None, per_period=None,
          trend_indicator: str | None = None, trend_per: str = "year") -> _City:
    counts, per_month, records = _counting(data, counts, per_month, records)
    everywhere = replace(filters, wijken=())  # the fiche compares with the whole city
    table, city = indicators.table_with_city(data.sectors, data.points, level="wijk", filters=everywhere,
                                             radius=radius, area_frames=area_frames,
                                             counts=lambda lv: counts(lv, everywhere))
    stored, meta = getattr(data, "context", None), getattr(data, "context_meta", None)
    figures = context.figures(data.sectors, stored, meta, level="wijk", lang=lang)
    table = context.append_to(table, figures)  # the city's own figures, after the built-in ones
    whole = context.figures(data.sectors, stored, meta, level="gemeente", lang=lang)
    city = city.copy()
    for column in figures.columns:
        city[column] = whole.values[column].iloc[0] if len(whole.values) else np.nan
    table = table.set_index("code", drop=False)
    primary = pd.Series(False, index=table.index)
    complementary = pd.Series(False, index=table.index)
    if not admin and "signalen" in table:
        primary, complementary = privacy.suppress_counts(table["signalen"].astype(float))
    return _City(data=data, filters=filters, everywhere=everywhere, table=table, city=city,
                 primary=primary, complementary=complementary,
                 options=wijk_choices(data.sectors, filters), admin=admin, lang=lang, radius=radius,
                 year=year or dt.date.today().year, per_month=per_month, records=records,
                 filters_text=describe(everywhere) if describe else translate("geen filters", lang),
                 per_period=per_period or _per_period(data), trend_indicator=trend_indicator,
                 trend_per=trend_per if trend_per in TREND_PER else "year", context=figures, context_meta=meta)


def _per_period(data) -> Callable:
    """``per_period(level, filters, per="year")`` -> :func:`cohesie.trends.counts_per_period`
    per year or quarter (pandas reference engine on ``data.points``)."""
    from cohesie import trends

    return lambda level, f, per="year": trends.counts_per_period(data.points, data.sectors, level=level,
                                                                 filters=f, per=per)


def wijkfiche(data, *, wijk: str | None, filters: Filters, admin: bool, lang: str = "nl",
              counts: Callable[[str, Filters], pd.DataFrame] | None = None,
              per_month: Callable[[Filters], pd.DataFrame] | None = None,
              records: Callable[[str], pd.DataFrame] | None = None,
              describe: Callable[[Filters], str] | None = None,
              area_frames: dict | None = None, radius: float = RADIUS_M,
              year: int | None = None, per_period: Callable[[str, Filters], pd.DataFrame] | None = None,
              trend_indicator: str | None = None, trend_per: str = "year",
              alerts: Callable[[str], object] | None = None,
              effect: Callable[..., object] | None = None, intervention: str | None = None,
              effect_radius: float = 300.0, effect_months: int = 24, signal_window=None) -> Wijkfiche:
    """The Wijkfiche of one wijk.

    Parameters
    ----------
    data : Dataset
        The loaded data (``sectors``, ``points``, ``acties``, ``meta``, ``imports``).
    wijk : str or None
        The requested wijk code; the fiche opens on the first offered wijk when it is not
        offered (see :func:`wijk_choices`).
    filters : Filters
        The sidebar's filters.
    admin : bool
        Whether the user sees signal counts unsuppressed.
    counts : callable, optional
        ``counts(level, filters)`` -> :func:`cohesie.indicators.area_counts` (e.g. counted in
        the database); default: counted in ``data.points``.
    per_month : callable, optional
        ``per_month(filters)`` -> signals per month and category; default: ``data.points``.
    records : callable, optional
        ``records(layer)`` -> every stored record of ``layer``; default: ``data.points``.
    describe : callable, optional
        ``describe(filters)`` -> the filters as text for the export header.
    radius : float
        Reach of the coverage figures, metres.
    year : int, optional
        The year pleinmakers should have an action in (default: this year); years before it
        are complete for the trend's change.
    per_period : callable, optional
        ``per_period(level, filters)`` -> :func:`cohesie.trends.counts_per_period` per year
        (e.g. with the numpy engine), called as ``per_period(level, filters, per="quarter")``
        for quarters; default: the pandas reference on ``data.points``.
    trend_indicator : str, optional
        The indicator of the "Trend per jaar" (default ``signalen_per_1000``).
    trend_per : str
        ``"year"`` or ``"quarter"``: the trend's periods (labels ``2024``, ``2024-Q3``).
    alerts : callable, optional
        ``alerts(level)`` -> :func:`cohesie.surveillance.alerts` for ``"wijk"`` and ``"sector"``
        (cached by the app): the "Opvallend" block. None: no block.
    effect : callable, optional
        ``effect(layer, id, radius, months)`` -> :func:`cohesie.effects.effect` (cached by the
        app): the "Werkt het?" block for ``intervention`` (``"layer|id"``; default the wijk's
        intervention with the most months of data around its start), within ``effect_radius``
        metres and ``effect_months`` months; ``signal_window``
        (:func:`cohesie.statview.signal_window`) lets it reduce the months to what the data hold.
        None: no block.
    """
    shared = _city(data, filters=filters, admin=admin, lang=lang, counts=counts, per_month=per_month,
                   records=records, describe=describe, area_frames=area_frames, radius=radius, year=year,
                   per_period=per_period, trend_indicator=trend_indicator, trend_per=trend_per)
    shared.stats.update(alerts=alerts, effect=effect, intervention=intervention, radius=effect_radius,
                        months=effect_months, window=signal_window)
    return _fiche(shared, opening_wijk(shared.options, wijk))


def wijkfiches(data, *, filters: Filters, admin: bool, lang: str = "nl",
               counts: Callable[[str, Filters], pd.DataFrame] | None = None,
               per_month: Callable[[Filters], pd.DataFrame] | None = None,
               records: Callable[[str], pd.DataFrame] | None = None,
               describe: Callable[[Filters], str] | None = None,
               area_frames: dict | None = None, radius: float = RADIUS_M,
               year: int | None = None, per_period: Callable[[str, Filters], pd.DataFrame] | None = None,
               trend_indicator: str | None = None, trend_per: str = "year",
               alerts: Callable[[str], object] | None = None) -> list[Wijkfiche]:
    """The Wijkfiche of every offered wijk (the filtered wijken, or all), computed together;
    parameters as :func:`wijkfiche` (the "Opvallend" block with ``alerts``; no "Werkt het?")."""
    shared = _city(data, filters=filters, admin=admin, lang=lang, counts=counts, per_month=per_month,
                   records=records, describe=describe, area_frames=area_frames, radius=radius, year=year,
                   per_period=per_period, trend_indicator=trend_indicator, trend_per=trend_per)
    shared.stats.update(alerts=alerts)
    return [_fiche(shared, code) for code in shared.options]


def _fiche(c: _City, code: str) -> Wijkfiche:
    from cohesie.operations import export_header

    lang = c.lang

    def t(text, **values):
        return translate(text, lang, **values)

    row = c.table.loc[code]
    naam = str(row["naam"])
    title = t("Wijkfiche {naam}", naam=naam)
    layers = [k for k in LAYERS if k in c.filters.layers]
    hidden = bool(c.primary.get(code, False) or c.complementary.get(code, False))
    lists, located = _records(c, code, layers)
    late = []
    if "pleinmakers" in layers:
        pm = c.records("pleinmakers")
        pm = indicators.filter_points(pm, _in_wijk(c.filters, code, "pleinmakers"))
        late = list(indicators.pleinmakers_without_action(pm, c.data.acties, year=c.year)["naam"])
    sectors = c.data.sectors[c.data.sectors["wijk_code"] == code]
    ranks = _ranks(c, code, layers)
    stats = _statistics(c, code, layers)
    trend = _trend(c, code, layers, c.per_period, c.trend_indicator)
    return Wijkfiche(
        code=code, naam=naam, title=title, lang=lang, admin=c.admin, options=c.options,
        figures=_figures(c, code, layers, hidden),
        comparison=_comparison(c, code, layers, ranks),
        ranks=ranks, distribution=_distribution(c, code, layers, ranks),
        trend=trend, context=_context_block(c, code), context_sources=_sources(c),
        signals=_signals(c, code) if "signalen" in layers else None,
        records=lists, late_pleinmakers=late,
        late_text=t("Zonder actie in {jaar}: {namen}", jaar=c.year, namen=", ".join(late)) if late else None,
        sectors=sectors, points=located, bounds=_bounds(sectors), **stats,
        header=export_header(c.data, title, c.filters_text, lang=lang),
        labels={"comparison": t("Vergelijking met de stad"), "map": t("Kaart van de wijk"),
                "figures": t("Kerncijfers"), "none": t("Geen."), "page": t("pagina {n}"),
                "more": t("… en nog {n}"),
                "section": t("Onderdeel"), "subject": t("Onderwerp"), "note": t("Opmerking"),
                "neighbourhood": t("Wijk"), "town": t("Stad"), "ratio": t("Verhouding"),
                "rank": t("Rang"), "ranked": t("Gerangschikte wijken"), "rank_note": _rank_note(c, ranks),
                "context": t("Contextcijfers"), "source": t("Bron"), "context_title": t("Context"),
                "context_note": _context_note(c), "change": t("Verandering"),
                "change_pct": t("Verandering (%)"),
                "earlier": t("{n} eerdere perioden staan in de CSV.")})


def _sources(c: _City) -> dict[str, str]:
    """Context column → "bron, jaar" (what the city said the figure comes from)."""
    out = {}
    if c.context_meta is None or c.context_meta.empty:
        return out
    for row in c.context_meta.to_dict("records"):
        if row["kolom"] not in c.context_columns:
            continue
        parts = [str(row.get(k)).strip() for k in ("bron", "jaar")
                 if row.get(k) is not None and not pd.isna(row.get(k)) and str(row.get(k)).strip()]
        out[row["kolom"]] = ", ".join(parts)
    return out


def _context_note(c: _City) -> str:
    """One sentence under the comparison table naming every context figure's source and year."""
    sources = _sources(c)
    if not sources:
        return ""
    labels = c.context.labels
    by_source: dict[str, list[str]] = {}  # figures of one source and year named together
    for col, text in sources.items():
        by_source.setdefault(text, []).append(labels.get(col, col))
    return translate("Contextcijfers van de stad: {lijst}.", c.lang, lijst="; ".join(
        f"{', '.join(names)} ({translate('bron {bron}', c.lang, bron=text) if text else translate('bron onbekend', c.lang)})"
        for text, names in by_source.items()))


def _population_year(c: _City) -> str:
    """`` Bevolkingscijfers 2025.`` (with a leading space), or empty when the year is unknown."""
    year = (getattr(c.data, "meta", None) or {}).get("bevolking_jaar")
    return " " + translate("Bevolkingscijfers {jaar}.", c.lang, jaar=year) if year else ""


def _context_block(c: _City, code: str) -> list[str]:
    """The short "context" block of the header: the wijk's inhabitants against the city's (with
    the population file's year), and which context figures the fiche carries, from where."""
    fmt = formatter(c.lang)
    row, city = c.table.loc[code], c.city
    own, whole = row.get("inwoners"), city.get("inwoners")
    lines = [translate("Inwoners: {wijk} van {stad} in de stad ({deel}).", c.lang,
                       wijk=fmt.value(own, "inwoners"), stad=fmt.value(whole, "inwoners"),
                       deel=fmt.percent(100 * float(own) / float(whole), 1) if whole and not pd.isna(own) else fmt.no_data)
             + _population_year(c)]
    if c.context_columns:
        lines.append(_context_note(c))
    return lines


def _statistics(c: _City, code: str, layers: list[str]) -> dict:
    """Issue 13's blocks of the fiche (only with signals switched on): ``opvallend``, the
    ``interventions`` of the wijk and the ``effect`` of the chosen (or first usable) one."""
    from cohesie import statview

    out = {}
    if "signalen" not in layers:
        return out
    st_ = c.stats
    if st_.get("alerts") is not None:
        out["opvallend"] = statview.opvallend(st_["alerts"], c.data.sectors, wijk=code, lang=c.lang, admin=c.admin)
    if st_.get("effect") is not None:
        frames = [c.records(layer) for layer in statview.INTERVENTION_LAYERS]
        points = pd.concat([f for f in frames if f is not None and len(f)], ignore_index=True) if any(
            f is not None and len(f) for f in frames) else pd.DataFrame(columns=["layer", "id", "naam", "status",
                                                                                 "datum", "x", "y", "wijk_code"])
        options = statview.intervention_options(points, wijk=code, lang=c.lang)
        out["interventions"] = options
        starts = dict(zip(points["layer"].astype(str) + "|" + points["id"].astype(str), points["datum"]))
        key = st_.get("intervention")
        if key not in options and options:  # default: the one the data surround with the most months
            wanted = int(st_.get("months", 24))

            def fits(k):
                possible = statview.months_possible(starts.get(k), st_.get("window"))
                return wanted if possible is None else min(possible, wanted)

            key = max(options, key=fits)  # the first of equals (max keeps the first)
        elif key not in options:
            key = None
        if key is not None:
            out["effect"] = statview.effect_view(st_["effect"], key, options[key], radius=st_.get("radius", 300.0),
                                                 months=st_.get("months", 24), lang=c.lang, admin=c.admin,
                                                 start=starts.get(key), window=st_.get("window"))
    return out


def _in_wijk(filters: Filters, code: str, layer: str) -> Filters:
    return Filters(start=filters.start, end=filters.end, layers=(layer,), types=filters.types,
                   statuses=filters.statuses, wijken=(code,))


def _share(fmt: Formatter, part, whole, t) -> str | None:
    if not whole or part is None or (isinstance(part, float) and math.isnan(part)):
        return None
    return t("{pct} van de stad", pct=fmt.percent(100 * float(part) / float(whole)))


def _figures(c: _City, code: str, layers: list[str], hidden: bool) -> list[Figure]:
    fmt = formatter(c.lang)

    def t(text, **values):
        return translate(text, c.lang, **values)

    row, city = c.table.loc[code], c.city
    inhabitants, km2 = float(row["inwoners"]), float(row["oppervlakte_km2"])
    out = [Figure("inwoners", t("Inwoners"), inhabitants, fmt.value(inhabitants, "inwoners"), float(city["inwoners"]),
                  fmt.integer(city["inwoners"]), _share(fmt, inhabitants, city["inwoners"], t), "off", "off",
                  help=t("Stad: {waarde}", waarde=fmt.integer(city["inwoners"]))),
           Figure("oppervlakte_km2", t("Oppervlakte"), km2, fmt.km2(km2), float(city["oppervlakte_km2"]),
                  fmt.km2(city["oppervlakte_km2"]), _share(fmt, km2, city["oppervlakte_km2"], t), "off", "off",
                  help=t("Stad: {waarde}", waarde=fmt.km2(city["oppervlakte_km2"])))]
    if "signalen" in layers:
        city_rate = city["signalen_per_1000"]
        if hidden:
            text = privacy.PRIMARY if c.primary.get(code, False) else privacy.COMPLEMENTARY
            out.append(Figure("signalen", t("Signalen"), None, text, float(city["signalen"]),
                              fmt.integer(city["signalen"]), help=t("kleine aantallen worden niet getoond")))
        else:
            rate = row["signalen_per_1000"]
            diff = None if pd.isna(rate) or pd.isna(city_rate) else float(rate) - float(city_rate)
            out.append(Figure(
                "signalen_per_1000", t("Signalen per 1000 inw."), None if pd.isna(rate) else float(rate),
                fmt.value(rate, "signalen_per_1000"), float(city_rate), fmt.value(city_rate, "signalen_per_1000"),
                None if diff is None else t("{waarde} t.o.v. stad",
                                            waarde=fmt.number(diff, 1, sign=True)),
                "inverse", help=t("Stad: {waarde}", waarde=fmt.value(city_rate, "signalen_per_1000"))))
    if "meubilair" in layers and "dekking_meubilair_pct" in row:
        pct, city_pct = row["dekking_meubilair_pct"], city.get("dekking_meubilair_pct")
        diff = None if pd.isna(pct) or pd.isna(city_pct) else float(pct) - float(city_pct)
        out.append(Figure(
            "dekking_meubilair_pct", t("Binnen {r} m van meubilair", r=f"{c.radius:g}"),
            None if pd.isna(pct) else float(pct), fmt.percent(pct), city_pct, fmt.percent(city_pct),
            None if diff is None else t("{waarde} procentpunt t.o.v. stad", waarde=fmt.number(diff, 0, sign=True)),
            help=t("Aandeel van de inwoners dat binnen {r} m van meubilair woont. Stad: {waarde}",
                   r=f"{c.radius:g}", waarde=fmt.percent(city_pct))))
    return out


RATE_SUFFIXES = ("_per_1000", "_per_km2", "_pct")


def _comparison_columns(table: pd.DataFrame, layers: list[str]) -> list[str]:
    columns = ["inwoners", "oppervlakte_km2", "inwoners_per_km2"]
    for layer in layers:
        columns.append(layer)
        if layer == "meubilair" and "meubilair_voorstel" in table:
            columns.append("meubilair_voorstel")
        columns.append(f"{layer}_per_1000")
    if "meubilair" in layers:
        columns.extend(c for c in coverage.COVERAGE_COLUMNS if c in table)
    return [c for c in columns if c in table]


def _columns(c: _City, layers: list[str]) -> list[str]:
    """The comparison rows: the built-in indicators, then the city's context figures."""
    return _comparison_columns(c.table, layers) + [col for col in c.context_columns if col in c.table]


def _is_rate(c: _City, column: str) -> bool:
    """Whether the city's value of ``column`` is a reference for a wijk (a rate, a share, an
    index; not a total)."""
    if column in c.context_columns:
        return c.context.kinds.get(column) == "rate"
    return column.endswith(RATE_SUFFIXES) or column == "inwoners_per_km2"


def _value_text(c: _City, value, column: str, *, empty: str | None = None) -> str:
    """A value as the fiche shows it: built-in indicators with their kind's decimals, context
    figures with :func:`cohesie.context.decimals`."""
    fmt = formatter(c.lang)
    if column in c.context_columns:
        return fmt.number(value, context.decimals(c.context, column), empty=fmt.no_data if empty is None else empty)
    return fmt.value(value, column, empty=empty)


def _withheld(c: _City, column: str) -> pd.Series | None:
    """Wijken whose value of ``column`` the viewer may not see: for non-admins, the signal
    count and the rates on it where the count is hidden."""
    if c.admin or not column.startswith("signalen"):
        return None
    return c.primary | c.complementary


def _ranks(c: _City, code: str, layers: list[str]) -> dict[str, ranking.Rank]:
    return {col: ranking.rank_among(c.table, col, code, hidden=_withheld(c, col))
            for col in _columns(c, layers)}


def _rank_note(c: _City, ranks: dict[str, ranking.Rank]) -> str:
    """The caption under the table: what the rank means and which wijken it leaves out."""
    labels = _labels(c)

    def t(text, **values):
        return translate(text, c.lang, **values)

    out = t("Rang: plaats tussen de {n} wijken van de stad, 1 = hoogste waarde; gelijke waarden delen een rang.",
            n=formatter(c.lang).integer(len(c.table)))
    by_note: dict[str, list[str]] = {}
    for col, rank in ranks.items():
        if rank.note(c.lang):
            by_note.setdefault(rank.note(c.lang), []).append(labels.get(col, col))
    return " ".join([out, *(f"{', '.join(cols)}: {note}" for note, cols in by_note.items())])


def _labels(c: _City) -> dict[str, str]:
    labels = indicator_labels(c.lang, radius=c.radius)
    labels.setdefault("oppervlakte_km2", translate("Oppervlakte (km²)", c.lang))
    labels.setdefault("meubilair_voorstel", translate("Voorstellen meubilair (aantal)", c.lang))
    if c.context is not None:
        sources = _sources(c)
        taken = set(labels.values())
        for col in c.context_columns:  # two figures of one name (own file, population file) stay apart
            label = c.context.labels.get(col, col)
            if label in taken:
                label = f"{label} · {sources.get(col) or col}"
            labels[col] = label
            taken.add(label)
    return labels


def _distribution(c: _City, code: str, layers: list[str], ranks: dict[str, ranking.Rank]) -> Distribution:
    fmt = formatter(c.lang)

    def t(text, **values):
        return translate(text, c.lang, **values)

    labels = _labels(c)
    columns = _columns(c, layers)
    names = c.table["naam"].astype(str)
    rows, rows_title = [], {}
    for col in columns:
        rank = ranks[col]
        title = labels.get(col, col)
        rows_title[col] = f"{title} ({rank.text(c.lang)})" if rank.rank is not None else title
        dots = ranking.strip_points(c.table, col, hidden=_withheld(c, col))
        for wijk, value in dots.items():
            rows.append((col, rows_title[col], names[wijk], float(value), _value_text(c, value, col),
                         "wijk" if wijk == code else "ander"))
        city = c.city.get(col, np.nan)
        if _is_rate(c, col) and not pd.isna(city):  # a city total is no reference
            rows.append((col, rows_title[col], t("Stad"), float(city), _value_text(c, city, col), "stad"))
    roles = {"wijk": str(c.table.loc[code, "naam"]), "ander": t("Andere wijken"), "stad": t("Stad")}
    data = pd.DataFrame(rows, columns=["kolom", "rij", "naam", "waarde", "tekst", "rol"])
    data["legenda"] = data["rol"].map(roles)
    default = ([col for col in columns if col.endswith("_per_1000")] or columns[:3]) + \
        [col for col in c.context_columns if col in columns and _is_rate(c, col)]
    hidden_own = [labels.get(col, col) for col, r in ranks.items() if r.hidden]
    note = (t("{naam} staat niet in de rijen {rijen}: het aantal signalen is verborgen om bewoners te "
              "beschermen, net als dat van de wijken die ontbreken.", naam=str(c.table.loc[code, "naam"]),
              rijen=", ".join(hidden_own)) if hidden_own else None)
    return Distribution(
        data=data, columns=columns, labels=rows_title, default=default,
        roles=roles,
        title=t("Plaats tussen de wijken"), x_title=t("Waarde (eigen schaal per indicator)"),
        y_title=t("Indicator"), note=note)


def _comparison(c: _City, code: str, layers: list[str], ranks: dict[str, ranking.Rank] | None = None) -> Table:
    fmt = formatter(c.lang)

    def t(text, **values):
        return translate(text, c.lang, **values)

    labels = _labels(c)
    row = c.table.loc[code]
    columns = _columns(c, layers)
    wijk, stad, ratio, wijk_text = [], [], [], []
    signal_hidden = bool(c.primary.get(code, False) or c.complementary.get(code, False))
    for col in columns:
        value = float(row[col]) if not pd.isna(row[col]) else np.nan
        city = float(c.city.get(col, np.nan))
        text = _value_text(c, value, col, empty="")
        if signal_hidden and col == "signalen":
            primary = bool(c.primary.get(code, False))
            value, text = (PRIMARY_STAND_IN, privacy.PRIMARY) if primary else (np.nan, privacy.COMPLEMENTARY)
        elif signal_hidden and col.startswith("signalen_"):
            value, text = np.nan, ""
        is_rate = _is_rate(c, col)
        r = value / city if is_rate and city and not np.isnan(value) and not (signal_hidden and col.startswith("signalen")) else np.nan
        wijk.append(value)
        stad.append(city)
        ratio.append(round(r, 2) if not np.isnan(r) else np.nan)
        wijk_text.append(text)
    ranks = ranks if ranks is not None else _ranks(c, code, layers)
    rank = [ranks[col] for col in columns]
    values = pd.DataFrame({"indicator": [labels.get(col, col) for col in columns], "wijk": wijk, "stad": stad,
                           "verhouding": ratio,
                           "rang": [np.nan if r.rank is None else float(r.rank) for r in rank]},
                          index=pd.Index(columns, name="kolom"))
    text = pd.DataFrame({"indicator": values["indicator"], "wijk": wijk_text,
                         "stad": [_value_text(c, v, col, empty="") for v, col in zip(stad, columns)],
                         "verhouding": [fmt.number(v, 2) for v in ratio],
                         "rang": [r.text(c.lang) for r in rank]}, index=values.index)
    headers = {"indicator": t("Indicator"), "wijk": t("Wijk"), "stad": t("Stad"), "verhouding": t("Verhouding"),
               "rang": t("Rang")}
    return Table(values, text, headers, pinned="indicator")


def _months(table: pd.DataFrame) -> pd.DatetimeIndex:
    """Every month from the first to the last with signals (months without any show as 0)."""
    return pd.date_range(table.index.min(), table.index.max(), freq="MS")


def _signals(c: _City, code: str) -> MonthChart:
    fmt = formatter(c.lang)

    def t(text, **values):
        return translate(text, c.lang, **values)

    texts = dict(title=t("Signalen per maand"), x_title=t("Maand"), y_title=t("Aantal signalen"),
                 legend_title=t("Categorie"), empty_text=t("Geen signalen in deze periode."))
    table = c.per_month(replace(c.filters, wijken=(code,)))
    if table is None or table.empty:
        empty = pd.DataFrame(columns=["maand", "maand_tekst", "categorie", "volgorde", "aantal", "aantal_tekst"])
        return MonthChart(pd.DataFrame(), pd.DataFrame(), empty, [], [], [], {}, 0, **texts)
    table = table.copy()
    table.index = pd.DatetimeIndex(table.index).to_period("M").to_timestamp()
    table = table.groupby(level=0).sum().reindex(_months(table), fill_value=0).astype("int64")
    colours = category_colours(table.columns)
    categories = list(colours)
    table = table[categories]
    table.index.name, table.columns.name = "maand", "categorie"
    hidden = 0
    if c.admin:
        shown = table.astype(float)
        text = table.map(fmt.integer)
    else:
        primary, comp = privacy.suppress_table(table)
        mask = primary | comp
        hidden = int(mask.to_numpy().sum())
        shown = table.astype(float).mask(mask)
        text = table.map(fmt.integer).mask(primary, privacy.PRIMARY).mask(comp, privacy.COMPLEMENTARY)
    months = [month_label(m, c.lang) for m in table.index]
    long = shown.stack(future_stack=True).rename("aantal").reset_index()
    long = long[long["aantal"].notna() & (long["aantal"] > 0)]
    long["maand_tekst"] = long["maand"].map(lambda m: month_label(m, c.lang))
    long["aantal_tekst"] = long["aantal"].map(fmt.integer)
    long["volgorde"] = long["categorie"].map({k: i for i, k in enumerate(categories)})
    step = max(1, math.ceil(len(months) / MAX_AXIS_LABELS))
    note = (t("{n} maand-categoriecellen met 1 tot 4 signalen (en cellen waaruit ze terug te rekenen zijn) "
              "zijn weggelaten om bewoners te beschermen.", n=hidden) if hidden else None)
    if long.empty and hidden:  # there are signals, but every count is too small to show
        texts["empty_text"] = t("Te weinig signalen om per maand te tonen: kleine aantallen worden niet getoond.")
    shown.index = pd.Index(months, name="maand")
    text.index = shown.index
    return MonthChart(shown, text, long[["maand", "maand_tekst", "categorie", "volgorde", "aantal", "aantal_tekst"]].reset_index(drop=True),
                      months, months[::step], categories, colours, hidden, note=note, **texts)


def _records(c: _City, code: str, layers: list[str]) -> tuple[list[RecordList], pd.DataFrame]:
    fmt = formatter(c.lang)

    def t(text, **values):
        return translate(text, c.lang, **values)

    def header(text: str) -> str:
        shown = t(text)
        return shown[:1].upper() + shown[1:]

    lists, located = [], []
    for layer in layers:
        if layer == "signalen":  # signals are never listed one by one
            continue
        lay = LAYERS[layer]
        rec = indicators.filter_points(c.records(layer), _in_wijk(c.filters, code, layer))
        if "x" in rec:
            located.append(rec[rec["x"].notna()])
        cols = [col for col in ["naam", "type", "status", "datum", *lay.extra] if col in rec.columns]
        values = rec[cols].sort_values("datum", ascending=False, na_position="last").reset_index(drop=True)
        text = pd.DataFrame(index=values.index)
        for col in cols:
            if col in ("datum", "einddatum"):
                values[col] = pd.to_datetime(values[col])
                text[col] = [fmt.date(v) for v in values[col]]
            else:
                text[col] = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                             for v in values[col]]
                values[col] = text[col]
        headers = {col: header({"naam": "Naam", "type": lay.type_label, "status": "status",
                                "datum": lay.date_label}.get(col, col)) for col in cols}
        title = f"{layer_label(layer, c.lang)} ({fmt.integer(len(values))})"
        lists.append(RecordList(layer, title, Table(values, text, headers, pinned="naam")))
    points = pd.concat(located) if located else pd.DataFrame(columns=["layer", "x", "y"])
    points = points[["layer", "id", "naam", "type", "status", "x", "y"]] if len(points) else \
        pd.DataFrame(columns=["layer", "id", "naam", "type", "status", "x", "y"])
    lon, lat = spatial.to_display_lonlat(points["x"].astype(float), points["y"].astype(float))
    return lists, points.assign(lon=lon, lat=lat).reset_index(drop=True)


def _bounds(sectors: gpd.GeoDataFrame) -> list[list[float]]:
    if sectors.empty:
        return []
    minx, miny, maxx, maxy = sectors.to_crs(4326).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def csv_frame(fiche: Wijkfiche) -> pd.DataFrame:
    """The fiche's numbers as one table for a spreadsheet: the comparison with the city (with
    the wijk's rank and the number of wijken ranked), the city's context figures (section
    "Contextcijfers", their source and year in the source column), the signals per month and
    category, and the trend per period with the change from the previous period in numbers and
    percent; numbers numeric; suppressed cells empty with "< 5" or "verborgen" in the note
    column. Headers translated."""
    from cohesie.formatting import decimals_shown, plain_number

    lab = fiche.labels
    comp = fiche.comparison

    def as_shown(column: str) -> list[str]:
        # the value with the decimals the screen shows, as a CSV number in this language
        # (7486, 613,4): screen, PDF and CSV carry the same figures
        return ["" if shown in (privacy.PRIMARY, privacy.COMPLEMENTARY)  # never the stand-in
                else plain_number(v, decimals_shown(shown, lang=fiche.lang), lang=fiche.lang)
                for v, shown in zip(comp.values[column], comp.text[column].astype(str))]

    kolommen = list(comp.values.index)
    sources = fiche.context_sources
    rows = pd.DataFrame({"sectie": [lab["context"] if k in sources else lab["comparison"] for k in kolommen],
                         "onderwerp": comp.values["indicator"].to_numpy(),
                         "wijk": as_shown("wijk"), "stad": as_shown("stad"),
                         "verhouding": as_shown("verhouding"),
                         "rang": [plain_number(v, 0, lang=fiche.lang) for v in comp.values["rang"]],
                         "van": ["" if pd.isna(v) else str(fiche.ranks[k].of)
                                 for k, v in comp.values["rang"].items()],
                         "opmerking": [s if s in (privacy.PRIMARY, privacy.COMPLEMENTARY) else ""
                                       for s in comp.text["wijk"]],
                         "bron": [sources.get(k, "") for k in kolommen]})
    parts = [rows]
    if fiche.signals is not None and not fiche.signals.table.empty:
        s = fiche.signals
        values = s.table.stack(future_stack=True)
        texts = s.text.stack(future_stack=True)
        parts.append(pd.DataFrame({
            "sectie": s.title, "onderwerp": [f"{m} · {k}" for m, k in values.index],
            "wijk": [plain_number(v, 0, lang=fiche.lang) for v in values], "stad": "", "verhouding": "",
            "rang": "", "van": "",
            "opmerking": [x if x in (privacy.PRIMARY, privacy.COMPLEMENTARY) else "" for x in texts], "bron": ""}))
    if fiche.trend is not None and fiche.trend.table is not None and len(fiche.trend.table):
        parts.append(trend_csv_rows(fiche))
    out = pd.concat(parts, ignore_index=True)
    for column in ("verandering", "verandering_pct"):
        out[column] = out[column].fillna("") if column in out else ""
    out = out[["sectie", "onderwerp", "wijk", "stad", "verhouding", "rang", "van", "verandering",
               "verandering_pct", "bron", "opmerking"]]  # the note stays last
    return out.rename(columns={"sectie": lab["section"], "onderwerp": lab["subject"], "wijk": lab["neighbourhood"],
                               "stad": lab["town"], "verhouding": lab["ratio"], "rang": lab["rank"],
                               "van": lab["ranked"], "opmerking": lab["note"], "bron": lab["source"],
                               "verandering": lab["change"], "verandering_pct": lab["change_pct"]})


def csv_bytes(fiche: Wijkfiche) -> bytes:
    """:func:`csv_frame` as the dashboard's CSV: its export header above, ``;`` separated with
    decimal commas (UTF-8 with BOM), as a Belgian spreadsheet opens it."""
    from cohesie import exports

    return exports.table_csv(csv_frame(fiche), header_lines=fiche.header, sep=";", decimal=",")


# -- trend per year or quarter (issue 12 items 3 and 12) ----------------------------------------
TREND_DEFAULT = "signalen_per_1000"
#: the trend's period lengths (as :data:`cohesie.trends.PER`) → their Dutch name
TREND_PER = {"year": "Jaar", "quarter": "Kwartaal"}


@dataclass
class Trend:
    """The chosen indicator per year or quarter for the wijk and the city, the change from the
    previous period, and the last complete period's change. Hidden (suppressed) wijk values are
    empty (gaps in the line), never the value.

    ``table`` has one row per period (``wijk``, ``stad``, ``verandering`` (the wijk's value
    minus the previous period's), ``verandering_pct``); a change next to a hidden period is
    empty. ``context`` is the short block under the picker (inhabitants behind the rates, what a
    count per period counts)."""

    indicator: str
    options: dict[str, str]
    series: list[str]                # [wijk label, city label]          # indicator column → label
    data: pd.DataFrame               # periode, reeks (wijk/city label), waarde (NaN = gap), tekst, deel
    periods: list[str]
    x_title: str
    y_title: str
    decimals: int
    change_year: str | None = None   # the last complete period (a year or a quarter)
    change: float | None = None      # wijk value minus the previous period's (None: not shown)
    change_pct: float | None = None
    change_text: str = ""
    change_pct_text: str = ""
    title: str = ""
    change_label: str = ""
    note: str | None = None
    per: str = "year"
    per_options: dict[str, str] = field(default_factory=dict)  # "year"/"quarter" → label
    per_label: str = ""
    table: Table | None = None
    context: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.data["waarde"].notna().sum() == 0


def trend_options(layers, lang: str = "nl") -> dict[str, str]:
    """The indicators the trend offers: per chosen layer its count and its rate per 1000."""
    labels = indicator_labels(lang)
    out = {}
    for layer in LAYERS:
        if layer in layers:
            out[layer] = labels[layer]
            out[f"{layer}_per_1000"] = labels[f"{layer}_per_1000"]
    return out


def complete_periods(periods: list[str], per: str, year: int) -> list[str]:
    """The periods that are over: years before ``year``; quarters that ended before today (in
    ``year``) or before 1 January of ``year`` when that lies in the past."""
    if per == "year":
        return [p for p in periods if int(p) < year]
    today = pd.Timestamp(dt.date.today())
    cutoff = today if year >= today.year else pd.Timestamp(year=year, month=1, day=1)
    return [p for p in periods if pd.Period(p.replace("-", ""), freq="Q").end_time.normalize() < cutoff]


def _trend(c: _City, code: str, layers: list[str], per_period: Callable, indicator: str | None) -> Trend | None:
    if not trend_options(layers, c.lang):
        return None
    per = c.trend_per
    key = f"trend_{per}"
    if key not in c.cache:  # counted once for every wijk's fiche
        counted = per_period("wijk", c.everywhere) if per == "year" else per_period("wijk", c.everywhere, per=per)
        c.cache[key] = trend_tables(c.data.sectors, counted, admin=c.admin)
    out = year_trend(c.cache[key], code=code, name=str(c.table.loc[code, "naam"]), layers=layers,
                     indicator=indicator, admin=c.admin, lang=c.lang, year=c.year, per=per)
    out.context = _trend_context(c, code, out.indicator != out.indicator.removesuffix("_per_1000"))
    running = [p for p in out.periods if p not in complete_periods(out.periods, per, c.year)]
    if running:
        out.context.append(translate("{periode} loopt nog: de cijfers ervan zijn onvolledig.", c.lang,
                                     periode=", ".join(running)))
    return out


def trend_tables(sectors, counts: pd.DataFrame, *, admin: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What :func:`year_trend` draws from: the indicators per period and wijk
    (:func:`cohesie.trends.indicators_per_period` of ``counts``, from
    :func:`cohesie.trends.counts_per_period`), the same with each period's signal suppression
    for non-admins and the texts of the hidden cells (:func:`cohesie.trends.protect_per_period`)."""
    from cohesie import trends

    table = trends.indicators_per_period(sectors, counts, level="wijk")
    return (table, *trends.protect_per_period(table, sectors, level="wijk", admin=admin))


def year_trend(tables: tuple, *, code: str | None, name: str, layers, indicator: str | None, admin: bool,
               lang: str, year: int, per: str = "year") -> Trend | None:
    """The trend per year or quarter (``per``) of wijk ``code`` (called ``name``) with the city
    beside it, from :func:`trend_tables`; ``code`` None: the city alone. ``indicator`` one of
    :func:`trend_options` (else the default); periods before ``year`` are complete (quarters:
    see :func:`complete_periods`)."""
    from cohesie import trends

    def t(text, **values):
        return translate(text, lang, **values)

    options = trend_options(layers, lang)
    if not options:
        return None
    indicator = indicator if indicator in options else (TREND_DEFAULT if TREND_DEFAULT in options
                                                         else next(iter(options)))
    count_col = indicator.removesuffix("_per_1000")
    rate = indicator != count_col
    decimals = 1 if rate else 0
    fmt = formatter(lang)
    table, numeric, hidden_text = tables
    periods = list(dict.fromkeys(table["periode"].astype(str)))
    # the city: the wijken's counts summed per period, rates from the summed inhabitants
    summed = table.groupby("periode", sort=False)[[count_col, "inwoners"]].sum(min_count=1).reindex(periods)
    # periods before the layer's first record in the city are left out, not drawn as zeros
    first = trends.first_recorded(summed[count_col], periods)
    left_out = first is not None and first != periods[0]
    if left_out:
        periods = periods[periods.index(first):]
        summed = summed.loc[periods]
    city = summed[count_col].astype(float)
    if rate:
        city = city / summed["inwoners"].where(summed["inwoners"] > 0) * 1000
    if not admin and count_col in ("signalen", "zorgsignalen"):
        city = city.mask(summed[count_col].between(1, 4))
    wijk_label, city_label = name, t("Stad")
    if code is None:
        own, own_hidden, lines = city, pd.Series("", index=periods), ((city_label, city),)
    else:
        mine = (numeric["code"].astype(str) == code).to_numpy()
        own = numeric[mine].set_index("periode")[indicator].reindex(periods)
        own_hidden = (pd.Series(hidden_text.loc[mine, count_col].to_numpy(),
                                index=numeric.loc[mine, "periode"].astype(str)).reindex(periods).fillna("")
                      if count_col in hidden_text else pd.Series("", index=periods))
        lines = ((wijk_label, own), (city_label, city))
    rows = []
    for label, values in lines:
        for period, value in values.items():
            v = None if pd.isna(value) else float(value)
            rows.append({"periode": period, "reeks": label, "waarde": v,
                         "tekst": fmt.no_data if v is None else fmt.number(v, decimals)})
    data = pd.DataFrame(rows, columns=["periode", "reeks", "waarde", "tekst"])
    data["waarde"] = data["waarde"].astype(float)
    # a new piece of line after every gap, so a chart draws hidden periods as gaps
    gap = data["waarde"].isna()
    data["deel"] = gap.groupby(data["reeks"], sort=False).cumsum().astype(int)
    per_word = t(TREND_PER[per])
    out = Trend(indicator=indicator, options=options, series=[label for label, _ in lines], data=data, periods=periods,
                x_title=per_word, y_title=options[indicator], decimals=decimals,
                title=t("Trend per jaar") if per == "year" else t("Trend per kwartaal"), per=per,
                per_options={k: t(v) for k, v in TREND_PER.items()}, per_label=t("Per"))
    # the change from the previous period, per period (empty next to a hidden or missing value)
    values = own.astype(float)
    previous = values.shift(1)
    change = values - previous
    change_pct = (change / previous.where(previous != 0) * 100).round(1)
    complete = complete_periods(periods, per, year)
    if complete and len(periods) >= 2:
        last = complete[-1]
        i = periods.index(last)
        out.change_year = last
        out.change_label = (t("Verandering {jaar} tegenover het jaar ervoor", jaar=last) if per == "year"
                            else t("Verandering {kwartaal} tegenover het kwartaal ervoor", kwartaal=last))
        if i > 0 and pd.notna(change.iloc[i]):
            out.change = float(change.iloc[i])
            out.change_text = fmt.number(out.change, decimals, sign=True)
            if pd.notna(change_pct.iloc[i]):
                out.change_pct = float(change_pct.iloc[i])
                out.change_pct_text = _pct_text(fmt, out.change_pct, lang)
        elif i > 0 and not admin:
            out.note = (t("De verandering wordt niet getoond: een van beide jaren heeft te weinig signalen.")
                        if per == "year" else
                        t("De verandering wordt niet getoond: een van beide kwartalen heeft te weinig signalen."))
    if not admin and count_col in ("signalen", "zorgsignalen") and own.isna().any():
        out.note = (out.note + " " if out.note else "") + (t(
            "Jaren met 1 tot 4 signalen (en jaren waaruit ze terug te rekenen zijn) zijn weggelaten om bewoners te beschermen.")
            if per == "year" else t(
            "Kwartalen met 1 tot 4 signalen (en kwartalen waaruit ze terug te rekenen zijn) zijn weggelaten om "
            "bewoners te beschermen."))
    if left_out:
        out.note = (out.note + " " if out.note else "") + t(
            "Perioden vóór {periode} zijn weggelaten: de gegevens hebben daar nog niets van deze laag.", periode=first)
    if code is not None:
        out.table = _trend_table(out, values, city, change, change_pct, own_hidden, rate, lang=lang, year=year)
    return out


def _pct_text(fmt: Formatter, value: float, lang: str) -> str:
    pct = fmt.number(value, 1, sign=bool(value))
    return f"{pct} %" if lang == "nl" else f"{pct}%"


def _trend_table(trend: Trend, own: pd.Series, city: pd.Series, change: pd.Series,
                 change_pct: pd.Series, hidden: pd.Series, rate: bool, *, lang: str, year: int) -> Table:
    """One row per period: the wijk, the city, the change from the previous period (number and
    percent). A hidden count shows "< 5"/"verborgen" (a rate on it the no-data dash), never the
    value."""
    fmt = formatter(lang)

    def t(text, **values):
        return translate(text, lang, **values)

    d = trend.decimals
    values = pd.DataFrame({"periode": trend.periods, "wijk": own.to_numpy(), "stad": city.to_numpy(),
                           "verandering": change.to_numpy(), "verandering_pct": change_pct.to_numpy()},
                          index=pd.Index(trend.periods, name="periode"))
    wijk_text = []
    for value, secret in zip(own, hidden):
        if secret and not rate:
            wijk_text.append(str(secret))
        else:
            wijk_text.append(fmt.number(value, d, empty=fmt.no_data))
    running = set(trend.periods) - set(complete_periods(trend.periods, trend.per, year))
    text = pd.DataFrame({"periode": [t("{periode} (lopend)", periode=p) if p in running else p for p in trend.periods],
                         "wijk": wijk_text,
                         "stad": [fmt.number(v, d, empty=fmt.no_data) for v in city],
                         "verandering": ["" if pd.isna(v) else fmt.number(v, d, sign=bool(v)) for v in change],
                         "verandering_pct": ["" if pd.isna(v) else _pct_text(fmt, v, lang) for v in change_pct]},
                        index=values.index)
    headers = {"periode": trend.x_title, "wijk": trend.series[0], "stad": trend.series[1],
               "verandering": t("Verandering"), "verandering_pct": t("Verandering (%)")}
    return Table(values, text, headers, pinned="periode")


def _trend_context(c: _City, code: str, rate: bool) -> list[str]:
    """What stands behind the trend's numbers: the inhabitants of the rates, what a count per
    period counts."""
    fmt = formatter(c.lang)
    lines = []
    if rate:
        lines.append(translate("Per 1000 inwoners: {wijk} inwoners in de wijk, {stad} in de stad, hetzelfde cijfer "
                               "voor elke periode.", c.lang,
                               wijk=fmt.value(c.table.loc[code, "inwoners"], "inwoners"),
                               stad=fmt.value(c.city.get("inwoners"), "inwoners")) + _population_year(c))
    lines.append(translate("Signalen tellen in de periode waarin ze gemeld zijn; meubilair, projecten, pleinmakers "
                           "en actoren als ze op de laatste dag van de periode bestaan.", c.lang))
    return lines


def trend_csv_rows(fiche: Wijkfiche) -> pd.DataFrame:
    """The trend as rows of :func:`csv_frame` (section "Trend per jaar · indicator", subject
    the period, the wijk, the city and the change in numbers and percent); hidden counts empty
    with their text in the note column."""
    from cohesie.formatting import decimals_shown, plain_number

    trend = fiche.trend
    tab = trend.table

    def number(column):
        return ["" if shown in (privacy.PRIMARY, privacy.COMPLEMENTARY) or pd.isna(v)
                else plain_number(v, decimals_shown(shown, lang=fiche.lang) if column != "verandering_pct" else 1,
                                  lang=fiche.lang)
                for v, shown in zip(tab.values[column], tab.text[column].astype(str))]

    return pd.DataFrame({
        "sectie": f"{trend.title} · {trend.options[trend.indicator]}", "onderwerp": list(tab.text["periode"]),
        "wijk": number("wijk"), "stad": number("stad"), "verhouding": "", "rang": "", "van": "",
        "opmerking": [s if s in (privacy.PRIMARY, privacy.COMPLEMENTARY) else "" for s in tab.text["wijk"]],
        "bron": "", "verandering": number("verandering"), "verandering_pct": number("verandering_pct")})
