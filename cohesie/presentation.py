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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from cohesie import indicators, spatial, views
from cohesie.classify import HIDDEN_COLOUR, classify
from cohesie.formatting import decimals_of, formatter
from cohesie.i18n import translate
from cohesie.indicators import Filters

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


def presentation(data, areas: dict, *, counts: Callable[[str, Filters], pd.DataFrame] | None = None,
                 filters: Filters = Filters(), wijk: str | None = None,
                 indicator: str = DEFAULT_INDICATOR, method: str = "quantiles", admin: bool = False,
                 lang: str = "nl", filters_text: str = "",
                 map_size: tuple[int, int] = MAP_SIZE) -> Presentation:
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
    return Presentation(
        title=title, subtitle=subtitle, wijk=wijk, steps=steps, figures=figures, indicator=indicator,
        indicator_label=label, indicator_options=options, styles=styles, legend=legend,
        legend_title=label, labels=labels, points=pd.DataFrame(columns=POINT_COLUMNS), highlight=(wijk,) if wijk else (), center=center, zoom=zoom,
        source=source, note=note, is_demo=bool(data.is_demo))


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
