"""What the Presentatie page shows: the council-room view of the city or one wijk.

:func:`presentation` returns a :class:`Presentation` holding every text, number, map style,
legend row and label of the page, formatted with :mod:`cohesie.formatting` and with signal
suppression applied for everyone but admins (:mod:`cohesie.privacy`). The page renders it and
nothing else.

Rules:
- The title is the wijk's name (never its code), or the municipality for the whole city.
- Each key figure of a wijk has the city's value beside it; the city's values come from totals
  (:func:`cohesie.indicators.city_reference`), never from a mean of the wijken.
- Furniture counts placed furniture only; proposals are their own figure when counted
  (``meubilair_voorstel``).
- The map is coloured per wijk for the chosen indicator and every wijk carries its name at its
  representative point (always inside the wijk).
- A suppressed signal count (1-4, or a cell it could be worked out from) is never shown, nor a
  rate built on it, nor which legend class it falls in: such wijken get their own colour and
  legend row and are left out of the classes.
- Four slides (:data:`SLIDES`): the map ("kaart"), the wijk against the other wijken
  ("vergelijk") and its trend per year ("trend"); the page puts the slide in the URL (``?dia=``).
- Vergelijk: per main indicator of the layers switched on (placed furniture, projects,
  pleinmakers, actors as counts; signals per 1000 inhabitants) and per context figure
  (:mod:`cohesie.context`), every wijk's value as a ranked bar with this wijk marked, its rank
  (:mod:`cohesie.ranking`, 1 = highest) and the city: the city's value for a rate, the mean per
  wijk for a count (a city total is no reference for one wijk). For everyone but admins a wijk
  whose signal count is hidden has no bar and no rank on the signal indicators, and the ranks
  come from the shown values only (as on the Wijkfiche).
- Trend: one indicator per year for the wijk with the city beside it, built by the Wijkfiche's
  trend (:func:`cohesie.wijkfiche.year_trend`: stock on 31 December for furniture, projects,
  pleinmakers and actors, reported in the year for signals; per-year suppression), and the last
  complete year's change as one sentence. Counted only when the trend slide is shown.
- Opvallend: the early warning (:func:`cohesie.statview.opvallend`) of the wijk (its categories
  and flagged sectors) or of the city (every flagged wijk), observed counts of 1-4 as "< 5" for
  everyone but admins (the flag stays). Computed only when the slide is shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from cohesie import context, indicators, ranking, spatial, trends, views, wijkfiche
from cohesie.classify import HIDDEN_COLOUR, classify
from cohesie.formatting import decimals_of, formatter, vega_number_expr
from cohesie.i18n import layer_label, translate
from cohesie.indicators import Filters
from cohesie.layers import LAYERS

#: Indicators offered on the page: few, so they can be large buttons on a projector.
INDICATORS = ("signalen_per_1000", "meubilair_per_1000", "projecten_per_1000", "pleinmakers_per_1000",
              "inwoners_per_km2")
DEFAULT_INDICATOR = "signalen_per_1000"
#: Key figures, in order; a column the counting does not provide is left out.
FIGURES = ("inwoners", "meubilair", "meubilair_voorstel", "projecten", "signalen_per_1000")
FIGURE_LABELS = {"inwoners": "Inwoners", "meubilair": "Meubilair geplaatst",
                 "meubilair_voorstel": "Voorstellen meubilair", "projecten": "Projecten",
                 "signalen_per_1000": "Signalen per 1000 inw."}
#: Size of the map on a 1920×1080 screen (pixels); the view is fitted into it.
MAP_SIZE = (1390, 715)
#: Columns of the records drawn as points (see :func:`cohesie.maps.overlay`).
POINT_COLUMNS = ["layer", "id", "naam", "type", "status", "lat", "lon"]
#: Font size of the names on the map (CSS px): readable on a projector.
LABEL_PX = 20
#: Zoom steps of the presentation map (Leaflet ``zoomSnap``): quarter steps let a wijk or the
#: city fill the map instead of a quarter of it.
ZOOM_STEP = 0.25

#: The slides, in order, and their names on the page (Dutch; translated by the view model).
SLIDES = {"kaart": "Kaart", "vergelijk": "Vergelijk", "trend": "Trend", "opvallend": "Opvallend"}
DEFAULT_SLIDE = "kaart"
#: Query parameter naming the slide (``?dia=vergelijk``).
SLIDE_PARAM = "dia"
#: Indicators of the Vergelijk slide, in order, when their layer is switched on; then the
#: context figures. Counts for the layers people count in (benches, projects), a rate for
#: signals (they follow the number of inhabitants).
COMPARE = {"meubilair": "Meubilair geplaatst", "projecten": "Projecten", "pleinmakers": "Pleinmakers",
           "actoren": "Actoren", "signalen_per_1000": "Signalen per 1000 inw."}
#: At most this many indicators are compared on one screen (the first context figures fill it).
MAX_PANELS = 8
#: Room for the Vergelijk chart on a 1920×1080 screen (pixels): every panel together.
COMPARE_SIZE = (1840, 620)
#: Size of the Trend chart (pixels, with its axes and legend).
TREND_SIZE = (1390, 780)
#: Wijk names stay on a bar chart's axis while each bar has at least this many pixels.
MIN_NAME_STEP = 15
#: Colours: this wijk, the other wijken, the city.
WIJK_COLOUR, OTHER_COLOUR, CITY_COLOUR = "#d62728", "#a6a6a6", "#222222"


class Figure(NamedTuple):
    """One key figure: its label, its value and the city's value (empty for the city itself)."""

    key: str
    label: str
    value: str
    city: str


class AreaLabel(NamedTuple):
    """A wijk name on the map at the wijk's representative point (degrees)."""

    lat: float
    lon: float
    name: str
    selected: bool


@dataclass(frozen=True)
class ComparePanel:
    """One indicator of the Vergelijk slide.

    Attributes
    ----------
    key, label : str
        The indicator column and its name.
    text : str
        The wijk's value as shown ("verborgen (< 5)" when withheld); the city's for the city.
    rank : Rank or None
        The wijk's rank (None for the city).
    rank_text : str
        ``"3 van 12"`` (``"1 van 12, gedeeld met 3"`` when other wijken have the same value),
        empty without a rank.
    city, city_text : float, str
        The reference line: the city's value for a rate, the mean per wijk for a count.
    line_label : str
        What the line is, with its value ("stippellijn: de stad (7,8)").
    total_text : str
        The city's own value of a count (its total), empty for a rate.
    summary : str
        Under the big number: rank and the city's value ("3 van 12 · stad: 47").
    bars : DataFrame
        ``code, naam, waarde, tekst, rol`` (``"wijk"`` this wijk, ``"ander"`` the others), one
        row per wijk with a shown value, highest first; withheld wijken are not in it.
    decimals : int
        Decimals of the axis labels.
    x_title : str
    note : str
        Which wijken are not ranked and why (empty when all are).
    """

    key: str
    label: str
    text: str
    rank: ranking.Rank | None
    rank_text: str
    city: float | None
    city_text: str
    line_label: str
    total_text: str
    summary: str
    bars: pd.DataFrame
    decimals: int
    x_title: str
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """The Vergelijk slide: one :class:`ComparePanel` per indicator, in a grid of ``columns``."""

    panels: tuple
    columns: int
    panel_size: tuple[int, int]
    show_names: bool
    y_title: str
    rank_note: str
    note: str = ""


@dataclass(frozen=True)
class TrendSlide:
    """The Trend slide: the Wijkfiche's :class:`cohesie.wijkfiche.Trend` of the wijk (or the city)
    and what the page says about it.

    Attributes
    ----------
    trend : Trend or None
        None when no layer with a trend is switched on.
    title : str
        The indicator, per year.
    sentence : str
        The last complete year's change in numbers and percent, one sentence (empty when it
        cannot be shown; ``trend.note`` then says why).
    measure : str
        How the indicator is counted per year (stock on 31 December, or reported in the year).
    period_labels : dict
        Year → axis label (the years not yet complete marked as such).
    running : tuple
        The years not yet complete (drawn pale: their counts are partial).
    note : str
        Years still running, hidden years, why the change is not shown.
    empty_text : str
    """

    trend: "wijkfiche.Trend | None"
    title: str
    sentence: str
    measure: str
    period_labels: dict
    running: tuple
    note: str
    empty_text: str


@dataclass(frozen=True)
class Presentation:
    """Everything the Presentatie page shows for the city (``wijk`` None) or one wijk.

    Attributes
    ----------
    title, subtitle : str
        The wijk's name (or "Heel <gemeente>") and where it stands in the sequence.
    wijk : str or None
        The wijk code shown, None for the whole city.
    steps : tuple
        The sequence vorige/volgende steps through: None (the city), then wijk codes by name.
    figures : tuple of Figure
    indicator, indicator_label : str
    indicator_options : dict
        Offered indicators, column → label.
    styles : dict
        ``{wijk code: (colour, tooltip text)}`` for :func:`cohesie.maps.overlay`.
    legend : list of (colour, text)
        Legend rows with the number of wijken per class.
    legend_title : str
    labels : tuple of AreaLabel
        One per wijk.
    points : DataFrame
        Records drawn as points (:func:`cohesie.maps.overlay`): none, so that on a projector
        the colours and the names stay readable.
    highlight : tuple of str
        Wijk codes drawn at full strength (empty: all).
    center : [lat, lon]
    zoom : float
        Leaflet zoom (a multiple of :data:`ZOOM_STEP`) that fits the shown area in :data:`MAP_SIZE`.
    source : str
        The data-source and filters line of the footer.
    note : str
        Why some signal figures are hidden (empty when none are).
    is_demo : bool
    lang : str
    slide : str
        The slide shown, one of :data:`SLIDES`.
    slides : dict
        Slide → its name on the page.
    compare : Comparison
        The Vergelijk slide.
    trend : TrendSlide or None
        The Trend slide; counted only when it is the slide shown (None otherwise).
    opvallend : Opvallend or None
        The Opvallend slide (:class:`cohesie.statview.Opvallend`); only when it is shown and
        ``alerts`` was given.
    """

    title: str
    subtitle: str
    wijk: str | None
    steps: tuple
    figures: tuple
    indicator: str
    indicator_label: str
    indicator_options: dict
    styles: dict
    legend: list
    legend_title: str
    labels: tuple
    points: pd.DataFrame
    highlight: tuple
    center: list
    zoom: float
    source: str
    note: str
    is_demo: bool
    lang: str = "nl"
    slide: str = DEFAULT_SLIDE
    slides: dict = None
    compare: Comparison | None = None
    trend: TrendSlide | None = None
    opvallend: "object | None" = None


def presentation(data, areas: dict, *, counts: Callable[[str, Filters], pd.DataFrame] | None = None,
                 filters: Filters = Filters(), wijk: str | None = None,
                 indicator: str = DEFAULT_INDICATOR, method: str = "quantiles", admin: bool = False,
                 lang: str = "nl", filters_text: str = "",
                 map_size: tuple[int, int] = MAP_SIZE, slide: str = DEFAULT_SLIDE,
                 per_period: Callable[[str, Filters], pd.DataFrame] | None = None,
                 trend_indicator: str | None = None, year: int | None = None,
                 alerts: Callable[[str], object] | None = None) -> Presentation:
    """The Presentatie page for the whole city (``wijk=None``) or one wijk.

    Parameters
    ----------
    data : Dataset
        The loaded data (``sectors``, ``points``, ``meta``, ``is_demo``).
    areas : dict
        Area frames per level (:func:`cohesie.views.area_frames`); ``areas["wijk"]`` is used.
    counts : callable, optional
        ``counts(level, filters)`` → :func:`cohesie.indicators.area_counts` (e.g. counted in
        the database by the app); by default counted in ``data.points``.
    filters : Filters
        The user's filters. Layers, types, statuses and period apply to every figure; a wijk
        filter limits the wijken stepped through (the city's values stay the whole city's).
    wijk : str, optional
        Wijk code shown; None, an unknown code or a wijk outside the wijk filter shows the
        whole city.
    indicator : str
        Column coloured on the map; one of :data:`INDICATORS` (others fall back to the default).
    method : str
        Class method (:func:`cohesie.classify.classify`).
    admin : bool
        Admins see small signal counts; everyone else gets them suppressed.
    lang : {"nl", "en"}
    filters_text : str
        The filters described for people, printed in the footer.
    map_size : (width, height)
        Map size in pixels, to fit the shown area.
    slide : str
        One of :data:`SLIDES` (others show the map).
    per_period : callable, optional
        ``per_period(level, filters)`` → :func:`cohesie.trends.counts_per_period` per year for
        the trend slide (e.g. on the numpy index); default: counted in ``data.points``.
    trend_indicator : str, optional
        The trend's indicator (:func:`cohesie.wijkfiche.trend_options`; default signals per 1000).
    year : int, optional
        This year (default: today's); the years before it are complete.
    alerts : callable, optional
        ``alerts(level)`` → :func:`cohesie.surveillance.alerts` (cached by the app) for the
        Opvallend slide.
    """
    def t(text, **values):
        return translate(text, lang, **values)

    fmt = formatter(lang)
    frame = areas["wijk"]
    everywhere = replace(filters, wijken=())
    counted = (counts("wijk", everywhere) if counts is not None
               else indicators.area_counts(data.sectors, data.points, "wijk", everywhere))
    table = indicators.per_area(data.sectors, None, level="wijk", filters=everywhere, area_frame=frame,
                                counts=counted)
    city = indicators.city_reference(table)
    for column in FIGURES:  # proposal counts are not part of city_reference's columns
        if column in table and column not in city:
            city[column] = float(table[column].sum())
    shown, _ = views.protect_signals(table, data.sectors, level="wijk", admin=admin)
    hidden = pd.Series(shown["signalen"].astype(str) != table["signalen"].astype(str), index=table.index)

    names = dict(zip(table["code"], table["naam"]))
    by_name = sorted(table["code"], key=lambda c: (str(names[c]).lower(), c))
    if filters.wijken:
        by_name = [c for c in by_name if c in set(filters.wijken)]
    steps = (None, *by_name)
    if wijk not in by_name:  # unknown, or filtered out in the sidebar: the whole city
        wijk = None
    gemeente = data.meta.get("gemeente", "")
    if wijk is None:
        title = t("Heel {gemeente}", gemeente=gemeente)
        subtitle = t("{n} wijken, {inwoners} inwoners", n=fmt.integer(len(names)),
                     inwoners=fmt.integer(city["inwoners"]))
    else:
        title = str(names[wijk])
        subtitle = t("wijk {i} van {n} in {gemeente}", i=by_name.index(wijk) + 1, n=len(by_name),
                     gemeente=gemeente)

    figures = _figures(table, shown, city, wijk, fmt, t)

    options = indicator_options(lang)
    if indicator not in options:
        indicator = DEFAULT_INDICATOR
    label = options[indicator]
    signal_based = indicator in views.SIGNAL_INDICATORS and bool(hidden.any())
    values = table[indicator].astype("float64").where(~hidden) if signal_based else table[indicator]
    classes = classify(values, method=method)
    decimals = decimals_of(indicator)
    if signal_based:  # hidden wijken are not "no data": they get a row of their own
        classes = replace(classes, no_data=classes.no_data - int(hidden.sum()))
    legend = classes.legend(decimals=decimals, lang=lang)
    styles = {}
    for i, code in enumerate(table["code"]):
        if signal_based and hidden.iloc[i]:
            styles[code] = (HIDDEN_COLOUR, f"{names[code]}: {label} {t('verborgen (< 5)')}")
        else:
            styles[code] = (classes.value_colours.iloc[i],
                            f"{names[code]}: {label} {fmt.value(table[indicator].iloc[i], indicator)}")
    if signal_based:
        n = int(hidden.sum())
        legend.append((HIDDEN_COLOUR, t("verborgen (< 5)") + " " + _areas_text(n, lang)))

    shown_area = data.sectors[data.sectors["wijk_code"] == wijk] if wijk else data.sectors
    center, zoom = fit_view(shown_area.total_bounds, size=map_size)
    strong = (frame["code"] == wijk).to_numpy()
    lon, lat = label_points(frame, zoom=zoom, font_px=LABEL_PX, strong=strong)
    labels = tuple(AreaLabel(float(la), float(lo), str(n), bool(s))
                   for la, lo, n, s in zip(lat, lon, frame["naam"], strong))

    source = t("Bron: {bron}, bevolking {jaar} · filters: {filters}",
               bron=data.meta.get("bron_sectoren", "?"), jaar=data.meta.get("bevolking_jaar", "?"),
               filters=filters_text or t("geen filters"))
    note = t("kleine aantallen worden niet getoond") if hidden.any() else ""
    slide = slide if slide in SLIDES else DEFAULT_SLIDE
    year = year or dt.date.today().year
    compare = _comparison(data, table, city, hidden, wijk, filters.layers, admin=admin, lang=lang)
    trend = None
    if slide == "trend":
        counts_per_year = (per_period("wijk", everywhere) if per_period is not None
                           else trends.counts_per_period(data.points, data.sectors, level="wijk", filters=everywhere))
        trend = _trend_slide(wijkfiche.trend_tables(data.sectors, counts_per_year, admin=admin), wijk,
                             title if wijk is None else str(names[wijk]), gemeente, filters.layers,
                             indicator=trend_indicator, admin=admin, lang=lang, year=year)
    opvallend = None
    if slide == "opvallend" and alerts is not None:
        from cohesie import statview

        opvallend = statview.opvallend(alerts, data.sectors, wijk=wijk, lang=lang, admin=admin)
    return Presentation(
        title=title, subtitle=subtitle, wijk=wijk, steps=steps, figures=figures, indicator=indicator,
        indicator_label=label, indicator_options=options, styles=styles, legend=legend,
        legend_title=label, labels=labels, points=pd.DataFrame(columns=POINT_COLUMNS), highlight=(wijk,) if wijk else (), center=center, zoom=zoom,
        source=source, note=note, is_demo=bool(data.is_demo), lang=lang, slide=slide,
        slides=slide_options(lang), compare=compare, trend=trend, opvallend=opvallend)


def slide_options(lang: str = "nl") -> dict[str, str]:
    """The slides, key → name in ``lang``, in order."""
    return {k: translate(v, lang) for k, v in SLIDES.items()}


def next_slide(slide: str, by: int = 1) -> str:
    """The slide ``by`` steps after ``slide`` (negative: before), round the end."""
    order = list(SLIDES)
    at = order.index(slide) if slide in order else 0
    return order[(at + by) % len(order)]


def slide_from_query(params) -> str:
    """The slide a link names (``?dia=trend``); an unknown or missing one is the map."""
    value = params.get(SLIDE_PARAM) if params is not None else None
    return value if value in SLIDES else DEFAULT_SLIDE


def indicator_options(lang: str = "nl") -> dict[str, str]:
    """The indicators offered on the page, column → label in ``lang``."""
    catalogue = indicators.indicator_catalogue(lang)
    return {k: catalogue[k] for k in INDICATORS if k in catalogue}


def _areas_text(n: int, lang: str) -> str:
    word = {"nl": ("gebied", "gebieden"), "en": ("area", "areas")}.get(lang, ("gebied", "gebieden"))
    return f"({n} {word[0] if n == 1 else word[1]})"


def _figures(table: pd.DataFrame, shown: pd.DataFrame, city: pd.Series, wijk: str | None, fmt, t) -> tuple:
    """Key figures of ``wijk`` (or the city) with the city's value beside each."""
    out = []
    row = shown.set_index("code").loc[wijk] if wijk else None
    for column in FIGURES:
        if column not in table:
            continue
        label = t(FIGURE_LABELS[column])
        city_text = fmt.value(city.get(column), column)
        if row is None:
            out.append(Figure(column, label, city_text, ""))
            continue
        value = row[column]
        if value is None and column in views.SIGNAL_INDICATORS:  # a rate on a suppressed count
            text = t("verborgen (< 5)")
        else:
            text = fmt.value(value, column)
        out.append(Figure(column, label, text, t("stad: {waarde}", waarde=city_text)))
    return tuple(out)


def label_points(frame, *, zoom: float, font_px: int = 20, strong=None) -> tuple[np.ndarray, np.ndarray]:
    """Where each area's name goes (lon, lat in degrees), inside the area and, where the
    shapes leave room, not over another name at ``zoom``.

    The first choice is the point of the area's largest part farthest from its edge (pole of
    inaccessibility), so a name sits in the middle of a wedge or crescent rather than near its
    border. Names are placed from the smallest area to the largest (small areas have the least
    room); a name that would overlap one already placed moves to the nearest point of its area
    where it does not, tried on a grid of about 12 × 12 points. When no such point exists the
    first choice is kept. A name's box is estimated from its length: ``0.62 × font_px`` per
    character (bold sans-serif), ``1.3 × font_px`` high, 1.25 times larger when ``strong``.
    """
    from shapely import contains_xy
    from shapely.ops import polylabel

    strong = np.zeros(len(frame), bool) if strong is None else np.asarray(strong, bool)
    lat0 = float(spatial.to_display_lonlat([frame.total_bounds[0]], [frame.total_bounds[1]])[1][0])
    metres_per_px = 156543.03 * math.cos(math.radians(lat0)) / 2 ** zoom
    parts = [max(getattr(g, "geoms", [g]), key=lambda p: p.area) for g in frame.geometry]
    first = [polylabel(p, tolerance=max(p.length / 500, 1.0)) for p in parts]
    x = np.array([p.x for p in first], dtype="float64")
    y = np.array([p.y for p in first], dtype="float64")
    half = np.array([(0.31 * len(str(n)) * font_px * (1.25 if s else 1) + 3,
                      0.65 * font_px * (1.25 if s else 1) + 2) for n, s in zip(frame["naam"], strong)]) * metres_per_px
    placed: list[int] = []

    def free(i: int, cx: float, cy: float) -> bool:
        return all(abs(cx - x[j]) >= half[i, 0] + half[j, 0] or abs(cy - y[j]) >= half[i, 1] + half[j, 1]
                   for j in placed)

    for i in np.argsort([p.area for p in parts], kind="stable"):
        if not free(i, x[i], y[i]):
            minx, miny, maxx, maxy = parts[i].bounds
            gx, gy = np.meshgrid(np.linspace(minx, maxx, 12), np.linspace(miny, maxy, 12))
            gx, gy = gx.ravel(), gy.ravel()
            inside = contains_xy(parts[i], gx, gy)
            order = np.argsort((gx - x[i]) ** 2 + (gy - y[i]) ** 2)
            for k in order[inside[order]]:
                if free(i, gx[k], gy[k]):
                    x[i], y[i] = gx[k], gy[k]
                    break
        placed.append(i)
    lon, lat = spatial.to_display_lonlat(x, y)
    return np.asarray(lon), np.asarray(lat)


def fit_view(bounds, *, size: tuple[int, int] = MAP_SIZE, margin: float = 0.92,
             step: float = ZOOM_STEP) -> tuple[list[float], float]:
    """Centre (lat, lon) and the largest Leaflet zoom (a multiple of ``step``) showing
    ``bounds`` in ``size`` pixels.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        In EPSG:31370 (metres).
    size : (width, height)
        Map size in pixels; ``margin`` of it is used.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    lon, lat = spatial.to_display_lonlat([(minx + maxx) / 2], [(miny + maxy) / 2])
    lat0 = float(lat[0])
    # ground metres per pixel at zoom z: 156543.03 * cos(latitude) / 2**z (Web Mercator)
    metres = 156543.03 * math.cos(math.radians(lat0))
    width, height = max(maxx - minx, 100.0), max(maxy - miny, 100.0)
    scale = min(size[0] * margin / width, size[1] * margin / height)
    zoom = math.floor(math.log2(metres * scale) / step) * step
    return [lat0, float(lon[0])], float(np.clip(zoom, 8, 18))


# -- the Vergelijk slide ----------------------------------------------------------------------
def _comparison(data, table: pd.DataFrame, city: pd.Series, hidden: pd.Series, wijk: str | None, layers, *,
                admin: bool, lang: str) -> Comparison:
    """Every wijk per main indicator and context figure, with ``wijk`` marked and ranked."""
    def t(text, **values):
        return translate(text, lang, **values)

    fmt = formatter(lang)
    frame = table.set_index(table["code"].astype(str), drop=False)
    reference = {k: float(v) for k, v in city.items()}
    withheld = None if admin else pd.Series(np.asarray(hidden, bool), index=frame.index)
    chosen = {}  # column -> (label, kind, decimals)
    for column, label in COMPARE.items():
        layer = column.removesuffix("_per_1000")
        if layer in layers and column in frame:
            chosen[column] = (t(label), "count" if column == layer else "rate", decimals_of(column))
    stored, meta = getattr(data, "context", None), getattr(data, "context_meta", None)
    if meta is not None and len(meta):
        figures = context.figures(data.sectors, stored, meta, level="wijk", lang=lang)
        whole = context.figures(data.sectors, stored, meta, level="gemeente", lang=lang)
        for column in figures.columns:
            values = figures.values[column]
            if len(chosen) >= MAX_PANELS or column in frame or not values.notna().any():
                continue  # a figure not loaded per wijk or sector has no value here
            frame[column] = frame.index.map(values).astype("float64")
            chosen[column] = (figures.labels.get(column, column), figures.kinds.get(column, "rate"),
                              context.decimals(figures, column))
            reference[column] = float(whole.values[column].iloc[0]) if len(whole.values) else np.nan
    names = frame["naam"].astype(str)
    panels, hidden_own = [], []
    for column, (label, kind, decimals) in chosen.items():
        mask = withheld if withheld is not None and column in views.SIGNAL_INDICATORS else None
        shown = ranking.strip_points(frame, column, hidden=mask)
        rank = ranking.rank_among(frame, column, wijk or frame.index[0], hidden=mask)
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        if kind == "count":  # the mean per wijk: a city total is no reference for one wijk
            line = float(values.mean()) if values.notna().any() else np.nan
            line_text = fmt.number(line, 1)
            line_label = t("stippellijn: gemiddelde per wijk ({waarde})", waarde=line_text)
            total = reference.get(column, float(values.sum(min_count=1)))
            total_text = fmt.number(total, decimals, empty=fmt.no_data)
            city_text = total_text
            x_title = t("Aantal")
        else:
            line = reference.get(column, np.nan)
            line_text = fmt.number(line, decimals, empty=fmt.no_data)
            line_label = t("stippellijn: de stad ({waarde})", waarde=line_text)
            total_text = ""
            city_text = line_text
            x_title = t("Per 1000 inwoners") if column.endswith("_per_1000") else label
        if wijk is None:
            text = total_text if kind == "count" else line_text
        elif rank.hidden:
            text = t("verborgen (< 5)")
            hidden_own.append(label)
        else:
            text = fmt.number(values[wijk], decimals, empty=fmt.no_data)
        bars = pd.DataFrame({"code": shown.index.astype(str), "naam": names.reindex(shown.index).to_numpy(),
                             "waarde": shown.to_numpy(dtype=float)})
        bars = bars.sort_values(["waarde", "naam"], ascending=[False, True], kind="stable").reset_index(drop=True)
        bars["tekst"] = [fmt.number(v, decimals) for v in bars["waarde"]]
        bars["rol"] = np.where(bars["code"] == (wijk or ""), "wijk", "ander")
        own = rank if wijk is not None else None
        rank_text = own.text(lang) if own else ""
        if own and own.rank is not None and own.tied:  # "1 van 12" alone would read as the only first
            rank_text = t("{rang}, gedeeld met {n}", rang=rank_text, n=fmt.integer(own.tied))
        if wijk is None:
            summary = t("gem. {waarde} per wijk", waarde=line_text) if kind == "count" else ""
        else:
            summary = " · ".join(x for x in (rank_text, t("stad: {waarde}", waarde=city_text)) if x)
        panels.append(ComparePanel(
            key=column, label=label, text=text, rank=own, rank_text=rank_text,
            city=None if pd.isna(line) else float(line), city_text=line_text, line_label=line_label,
            total_text=total_text, summary=summary, bars=bars, decimals=decimals, x_title=x_title,
            note=rank.note(lang)))
    n = len(panels)
    columns = n if n <= 3 else (3 if n <= 6 else 4)
    rows = max(1, math.ceil(n / max(columns, 1)))
    width = int(COMPARE_SIZE[0] / max(columns, 1)) - 190  # wijk names and the space between panels
    height = int(COMPARE_SIZE[1] / rows) - 115  # title, subtitle and the x axis
    show_names = height / max(len(frame), 1) >= MIN_NAME_STEP
    notes = [f"{p.label}: {p.note}" for p in panels if p.note]
    if hidden_own:
        notes.insert(0, t("{naam} heeft geen balk bij {indicatoren}: het aantal signalen is verborgen om bewoners te "
                          "beschermen, net als dat van de wijken die ontbreken.", naam=names[wijk],
                          indicatoren=", ".join(hidden_own)))
    rank_note = t("Rang: plaats tussen de {n} wijken van de stad, 1 = hoogste waarde; gelijke waarden delen een rang.",
                  n=fmt.integer(len(frame)))
    return Comparison(panels=tuple(panels), columns=columns, panel_size=(max(width, 200), max(height, 120)),
                      show_names=show_names, y_title=t("Wijk"), rank_note=rank_note, note=" ".join(notes))


# -- the Trend slide --------------------------------------------------------------------------
def _trend_slide(tables, wijk: str | None, name: str, gemeente: str, layers, *, indicator: str | None,
                 admin: bool, lang: str, year: int) -> TrendSlide:
    def t(text, **values):
        return translate(text, lang, **values)

    fmt = formatter(lang)
    trend = wijkfiche.year_trend(tables, code=wijk, name=name, layers=layers, indicator=indicator, admin=admin,
                                 lang=lang, year=year)
    empty = t("Geen gegevens per jaar voor deze indicator.")
    if trend is None:
        return TrendSlide(None, "", "", "", {}, (), "", t("Zet een laag aan om haar trend te zien."))
    count_col = trend.indicator.removesuffix("_per_1000")
    if count_col in trends.FLOW_COLUMNS:
        measure = t("Per jaar: de signalen gemeld in dat jaar.")
    else:
        measure = t("Per jaar: wat er op 31 december van dat jaar stond.")
    if trend.indicator != count_col:
        measure += " " + t("Per 1000 inwoners met het bevolkingscijfer zoals geladen, voor elk jaar hetzelfde.")
    running = [p for p in trend.periods if int(p) >= year]
    labels = {p: t("{jaar} (lopend)", jaar=p) if p in running else p for p in trend.periods}
    notes = [t("{jaar} loopt nog: de cijfers van dat jaar zijn niet compleet.", jaar=", ".join(running))] if running else []
    if trend.note:
        notes.append(trend.note)
    # years before the layer's first record are left out by wijkfiche.year_trend (and said in its note)
    return TrendSlide(trend=trend, title=t("{indicator} per jaar", indicator=trend.y_title),
                      sentence=change_sentence(trend, gemeente if wijk is None else name, lang),
                      measure=measure, period_labels=labels, running=tuple(p for p in running if p in labels),
                      note=" ".join(notes), empty_text=empty)


def change_sentence(trend, name: str, lang: str = "nl") -> str:
    """The last complete year's change of ``trend``'s first line (the wijk, or the city) as one
    sentence: "Vaartkant, signalen per 1000 inwoners: 1.332,8 in 2025, 45,2 meer dan in 2024
    (+3,5 %)." Empty when the change is not shown (no earlier year, a hidden year)."""
    def t(text, **values):
        return translate(text, lang, **values)

    if trend is None or trend.change_year is None or trend.change is None:
        return ""
    if trend.change_year not in trend.periods[1:]:  # the year before it is not drawn
        return ""
    fmt = formatter(lang)
    i = trend.periods.index(trend.change_year)
    before = trend.periods[i - 1]
    own = trend.data[trend.data["reeks"] == trend.series[0]].set_index("periode")["waarde"]
    diff = fmt.number(abs(trend.change), trend.decimals)
    if diff == fmt.number(0, trend.decimals):
        how = t("evenveel als in {vorig}", vorig=before)
    else:
        how = t("{verschil} meer dan in {vorig}" if trend.change > 0 else "{verschil} minder dan in {vorig}",
                verschil=diff, vorig=before)
        if trend.change_pct_text:
            how += f" ({trend.change_pct_text})"
    label = trend.y_title[:1].lower() + trend.y_title[1:]
    return t("{naam}, {indicator}: {waarde} in {jaar}, {verandering}.", naam=name, indicator=label,
             waarde=fmt.number(own[trend.change_year], trend.decimals), jaar=trend.change_year, verandering=how)


# -- charts (Altair), sized for a projector ---------------------------------------------------
def compare_chart(view: Presentation):
    """The Vergelijk slide's chart: per indicator a ranked bar per wijk (this wijk red, the
    others grey, its value written at its bar) and the city as a dashed line."""
    import altair as alt

    comp = view.compare
    width, height = comp.panel_size
    charts = []
    for i, panel in enumerate(comp.panels):
        bars = panel.bars
        # room at the right of the longest bar for this wijk's value
        top = (max([float(bars["waarde"].max()) if len(bars) else 0.0, panel.city or 0.0]) or 1.0) * 1.3
        order = bars["naam"].tolist()
        first_column = i % comp.columns == 0
        y = alt.Y("naam:N", sort=order, title=comp.y_title if first_column else None,
                  axis=alt.Axis(labels=comp.show_names, ticks=False, labelLimit=190, labelFontSize=16,
                                labelOverlap=False, labelFlush=False, titleFontSize=17))
        x = alt.X("waarde:Q", title=panel.x_title, scale=alt.Scale(domain=[0, top], nice=False),
                  axis=alt.Axis(labelExpr=vega_number_expr(panel.decimals, view.lang),
                                labelFontSize=16, titleFontSize=17, labelOverlap="greedy", grid=True,
                                values=_ticks(top, panel.decimals)))
        colour = alt.Color("rol:N", legend=None,
                           scale=alt.Scale(domain=["wijk", "ander"], range=[WIJK_COLOUR, OTHER_COLOUR]))
        tooltip = [alt.Tooltip("naam:N", title=comp.y_title), alt.Tooltip("tekst:N", title=panel.label)]
        base = alt.Chart(bars).encode(y=y, x=x)
        layers = [base.mark_bar().encode(color=colour, tooltip=tooltip)]
        own = bars[bars["rol"] == "wijk"]
        if len(own):
            # this wijk's value right of its bar, or right of the city line when the line would cross it
            text = own["tekst"].iloc[0] if comp.show_names else f"{own['naam'].iloc[0]}: {own['tekst'].iloc[0]}"
            at = float(own["waarde"].iloc[0])
            if panel.city is not None and at <= panel.city <= at + (len(text) * 11.5 + 10) * top / width:
                at = panel.city
            label = pd.DataFrame({"naam": [own["naam"].iloc[0]], "plek": [at], "label": [text]})
            layers.append(alt.Chart(label).mark_text(align="left", dx=7, fontSize=19, fontWeight="bold",
                                                     color=WIJK_COLOUR)
                          .encode(y=alt.Y("naam:N", sort=order), x=alt.X("plek:Q"), text="label:N"))
        if panel.city is not None:
            layers.append(alt.Chart(pd.DataFrame({"waarde": [panel.city]})).mark_rule(
                color=CITY_COLOUR, strokeDash=[8, 5], strokeWidth=2.5).encode(x="waarde:Q"))
        subtitle = [panel.rank_text, panel.line_label] if panel.rank_text else [panel.line_label]
        charts.append(alt.layer(*layers).properties(
            width=width, height=height,
            title=alt.TitleParams(panel.label, subtitle=" · ".join(subtitle), anchor="start", fontSize=20,
                                  subtitleFontSize=16, subtitleColor="#333333", offset=8)))
    return alt.concat(*charts, columns=comp.columns, spacing=36).configure_view(stroke=None).configure_axis(
        labelColor="#222222", titleColor="#222222", titleFontWeight="normal")


def _ticks(top: float, decimals: int, count: int = 4) -> list[float]:
    """About ``count`` round axis values from 0 up to ``top`` (whole numbers for a count)."""
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(step, 10 ** -decimals)
    if decimals == 0:
        step = max(1, round(step))
    return [round(i * step, 6) for i in range(int(top / step) + 1)]


def trend_chart(view: Presentation):
    """The Trend slide's chart: the wijk (red, solid) and the city (black, dashed) per year;
    hidden years are gaps; the line into a year still running is pale, as is its point, and the
    axis says "(lopend)"."""
    import altair as alt

    slide = view.trend
    trend = slide.trend
    data = trend.data[trend.data["waarde"].notna()].assign(jaar=lambda d: d["periode"].map(slide.period_labels))
    years = [slide.period_labels[p] for p in trend.periods]
    complete = [p for p in trend.periods if p not in slide.running]
    tail = complete[-1:] + list(slide.running)  # the last complete year and the running ones
    colours = [WIJK_COLOUR, CITY_COLOUR] if len(trend.series) == 2 else [CITY_COLOUR]
    dashes = [[1, 0], [9, 6]] if len(trend.series) == 2 else [[9, 6]]
    lang = view.lang
    encoding = dict(
        x=alt.X("jaar:O", sort=years, title=trend.x_title, scale=alt.Scale(domain=years),
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelFontSize=18, titleFontSize=20,
                              labelLimit=300, labelFlush=False)),
        y=alt.Y("waarde:Q", title=trend.y_title, scale=alt.Scale(zero=True),
                axis=alt.Axis(labelExpr=vega_number_expr(trend.decimals, lang), tickCount=6,
                              labelFontSize=18, titleFontSize=20)),
        color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=trend.series, range=colours),
                        legend=alt.Legend(orient="top", labelFontSize=20, symbolStrokeWidth=4, symbolSize=500,
                                          symbolType="stroke", labelLimit=400, labelColor="#222222")),
        strokeDash=alt.StrokeDash("reeks:N", scale=alt.Scale(domain=trend.series, range=dashes), legend=None),
        detail="deel:N",
        tooltip=[alt.Tooltip("reeks:N", title=translate("Gebied", lang)),
                 alt.Tooltip("jaar:N", title=trend.x_title), alt.Tooltip("tekst:N", title=trend.y_title)])
    dots = {k: v for k, v in encoding.items() if k != "strokeDash"}  # a dashed circle is no dot
    solid = alt.Chart(data[data["periode"].isin(complete)])
    layers = [solid.encode(**encoding).mark_line(strokeWidth=4),
              solid.encode(**dots).mark_point(filled=True, size=150, opacity=1)]
    if slide.running:
        pale = alt.Chart(data[data["periode"].isin(tail)])
        layers += [pale.encode(**encoding).mark_line(strokeWidth=4, opacity=0.3),
                   pale.encode(**dots).transform_filter(alt.FieldOneOfPredicate("periode", list(slide.running)))
                   .mark_point(filled=False, size=150, strokeWidth=3, opacity=0.6)]
    return alt.layer(*layers).properties(height=TREND_SIZE[1]).configure_view(stroke=None).configure_axis(
        labelColor="#222222", titleColor="#222222", titleFontWeight="normal")
