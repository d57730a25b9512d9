"""What the Kaart shows, as one view model: :func:`map_view` returns a :class:`MapView`.

The page renders it (folium through :mod:`cohesie.maps`, Streamlit for the rest) and the PNG
export (:func:`cohesie.exports.map_png`) draws the same object, so the screen and the export
have the same classes, colours, legend texts and hidden areas.

Rules:
- Privacy is applied here for the role: for everyone but admins a signal count of 1-4 shows as
  "< 5" (complementary cells "verborgen"), the area is drawn in the hidden colour, its value is
  left out of the classification (a class bound could give it away), and its signal circle gets
  the smallest radius (a radius would give the count away).
- Every number is formatted by :mod:`cohesie.formatting` (``1.128,2`` in Dutch, ``1,128.2`` in
  English): tooltips, legend, key figures and the selection.
- The view to show (centre, zoom) fits the filtered wijken, or the whole municipality.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie import changemap, context, coverage, indicators, statmap, trends, views
from cohesie.classify import HIDDEN_COLOUR, Classes, classify
from cohesie.formatting import decimals_of, formatter
from cohesie.i18n import layer_label, translate
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.text import escape

#: Height of the Kaart's map in pixels: with the frame, the title, the key figures and the
#: widgets above it, the whole map fits a 1440×900 screen (a map running past the fold made
#: the first click land elsewhere, issue 10).
MAP_HEIGHT = 460
#: Width the map is assumed to have when the zoom is chosen (the map column at 1440 px wide).
MAP_WIDTH = 720

#: Figures of their own next to the layer counts (proposals are not counted as placed).
PROPOSAL_FIGURES = {"meubilair_voorstel": "Voorstellen meubilair"}
#: Smallest signal circle, used for areas whose count is hidden.
MIN_RADIUS = 3.0


@dataclass(frozen=True)
class Selection:
    """The sector (or wijk) the user selected, as the Kaart shows it beside the map."""

    wijk_code: str
    wijk_name: str
    text: str  # markdown; user-supplied names escaped
    button: str  # label of the button that opens the Wijkfiche
    sector_code: str | None = None
    sector_name: str | None = None
    inhabitants: int = 0


@dataclass
class MapView:
    """Everything the Kaart and its PNG show, privacy already applied.

    Attributes
    ----------
    styles : dict
        ``{area code: (colour, tooltip text)}`` for the choropleth (tooltips not yet escaped).
    legend : list of (colour, text)
        Class rows with the number of areas per class, no-data and hidden rows.
    areas : GeoDataFrame
        ``code, naam, colour, hidden, geometry`` (EPSG:31370): what the PNG draws.
    outline : GeoDataFrame or None
        Wijk borders drawn over sectors.
    labels : DataFrame
        ``naam, x, y`` (EPSG:31370): wijk names written on the PNG.
    circles : DataFrame
        ``code, lat, lon, naam, signalen, label, radius``: signals per area; for non-admins
        ``signalen`` is empty where hidden and ``label`` says "< 5" or "verborgen".
    points : DataFrame
        Records drawn as points (never signals), with ``opmerking_kaart``.
    figures : list of (key, label, text)
        Key figures, formatted.
    center, zoom : list of float, int
        The view to show: the filtered wijken, or the whole municipality.
    header : list of str
        Title, source, data date and filters printed on the PNG.
    """

    lang: str
    title: str
    level: str
    indicator: str
    method: str
    indicator_label: str
    styles: dict
    legend: list
    areas: gpd.GeoDataFrame
    outline: gpd.GeoDataFrame | None
    labels: pd.DataFrame
    circles: pd.DataFrame
    points: pd.DataFrame
    highlight: list
    figures: list
    center: list
    zoom: int
    bounds: list
    header: list
    layer_rows: list = field(default_factory=list)
    layer_names: dict = field(default_factory=dict)
    signal_word: str = "signalen"
    hidden_areas: int = 0
    png_name: str = "kaart.png"
    mode: str = "periode"  # "periode", "jaar", "verandering" (cohesie.changemap.MODES) or "hotspots"
    period: str | None = None  # the period shown in mode "jaar"
    compare: tuple | None = None  # (from, to) in mode "verandering"
    legend_title: str = ""  # the legend's title (the indicator, with its period or change)
    notes: list = field(default_factory=list)  # what the period rules and the legend leave unsaid
    figures_note: str = ""  # which period the key figures are for (screen only: the PNG has none)
    # -- issue 13: early warning and hot spots (cohesie.statmap) --
    warning: "statmap.EarlyWarning | None" = None
    hot_spots: "statmap.HotSpotLayer | None" = None
    #: what is drawn from this view alone, kept with it (e.g. the map overlay's payload,
    #: :func:`cohesie.ui.kaart_overlay`): a view shown again is not converted again
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)


@dataclass
class MapStatics:
    """What the Kaart derives from one data version alone, computed once per version (the app
    keeps it in :class:`cohesie.ui.Loaded`; :func:`statics_of` builds it when it is absent).

    ``sector_bounds``: each sector's bounds in lon/lat (rows of ``data.sectors``), so the
    bounds of the filtered wijken are a min/max instead of a reprojection per rerun (the same
    numbers as ``views.bounds_latlon`` of those sectors). ``wijk_labels``: name and
    representative point (x, y) of every wijk, rows of ``areas["wijk"]``. ``late``: the ids of
    active pleinmakers without an action, per year (filled on first use).
    """

    sector_bounds: np.ndarray
    sector_wijk: np.ndarray
    wijk_labels: pd.DataFrame
    late: dict = field(default_factory=dict)


def statics_of(current) -> MapStatics:
    """``current.map_statics`` when the loader made it, else built now (tests, scripts)."""
    statics = getattr(current, "map_statics", None)
    return statics if statics is not None else map_statics(current.data, current.areas)


def map_statics(data, frames: dict) -> MapStatics:
    import shapely

    sectors = data.sectors
    bounds = shapely.bounds(sectors.geometry.to_crs(4326).values) if len(sectors) else np.empty((0, 4))
    wijken = frames["wijk"]
    where = wijken.geometry.representative_point()
    labels = pd.DataFrame({"code": wijken["code"].to_numpy(), "naam": wijken["naam"].to_numpy(),
                           "x": where.x.to_numpy(), "y": where.y.to_numpy()})
    return MapStatics(np.asarray(bounds, dtype=float), sectors["wijk_code"].to_numpy(), labels)


def _positions(codes: pd.Series, wanted: pd.Series) -> np.ndarray:
    """The row positions of ``wanted`` in ``codes`` (a code that is not there: KeyError, as
    ``.loc`` raises)."""
    where = pd.Index(codes).get_indexer(wanted)
    if (where < 0).any():
        raise KeyError(list(pd.Series(wanted)[where < 0])[:5])
    return where


def _bounds_of(statics: MapStatics, wijken: tuple) -> list | None:
    """``views.bounds_latlon`` of the sectors of ``wijken`` (every sector when empty), or
    None when no sector is in them."""
    b = statics.sector_bounds
    if wijken:
        b = b[np.isin(statics.sector_wijk, list(wijken))]
    if not len(b):
        return None
    minx, miny = np.nanmin(b[:, 0]), np.nanmin(b[:, 1])
    maxx, maxy = np.nanmax(b[:, 2]), np.nanmax(b[:, 3])
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _late_pleinmakers(current, statics: MapStatics, year: int) -> set:
    if year not in statics.late:
        statics.late[year] = set(indicators.pleinmakers_without_action(
            current.index.of_layer("pleinmakers"), current.data.acties, year=year)["id"])
    return statics.late[year]


def fit_view(bounds, *, width: int = MAP_WIDTH, height: int = MAP_HEIGHT, margin: float = 0.9,
             min_zoom: int = 8, max_zoom: int = 17) -> dict:
    """Centre and the largest whole Leaflet zoom at which ``bounds`` fit a map of this size.

    Parameters
    ----------
    bounds : [[south, west], [north, east]]
        Degrees (EPSG:4326).
    width, height : int
        Map size in pixels; ``margin`` is the share of it the bounds may fill.

    Returns
    -------
    ``{"center": [lat, lon], "zoom": z}``; the centre is the middle in Web Mercator, as Leaflet
    computes it.
    """
    (south, west), (north, east) = bounds

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max((east - west) / 360, 1e-9)
    dy = max((merc(north) - merc(south)) / (2 * math.pi), 1e-9)
    # at zoom z the world is 256 * 2**z pixels wide
    z = min(math.log2(width * margin / (256 * dx)), math.log2(height * margin / (256 * dy)))
    zoom = int(np.clip(math.floor(z), min_zoom, max_zoom))
    mid = (merc(north) + merc(south)) / 2
    lat = math.degrees(2 * math.atan(math.exp(mid)) - math.pi / 2)
    return {"center": [round(lat, 6), round((west + east) / 2, 6)], "zoom": zoom}


def _circle_radius(counts: pd.Series) -> pd.Series:
    """Proportional circles: area ∝ count, 3 to 20 px; empty (hidden) counts get 3 px."""
    largest = float(counts.max()) if counts.notna().any() else 0.0
    if largest <= 0:
        return pd.Series(MIN_RADIUS, index=counts.index)
    return (MIN_RADIUS + 17 * np.sqrt(counts.astype(float) / largest)).fillna(MIN_RADIUS).round(1)


def _classes(values: pd.Series, hidden: pd.Series | None, *, method: str) -> Classes:
    """Classes of the values that are shown; hidden areas left out (their own legend row)."""
    if hidden is None or not hidden.any():
        return classify(values, method=method)
    classes = classify(values.where(~hidden.to_numpy()), method=method)
    # a hidden area is not "no data": it has its own row
    classes.no_data -= int((hidden.to_numpy() & values.notna().to_numpy()).sum())
    return classes


def map_view(current, filters: Filters, *, indicator: str, level: str, method: str, admin: bool,
             lang: str = "nl", area_counts: Callable[[str, Filters], pd.DataFrame] | None = None,
             layer_totals: Callable[[Filters], pd.Series] | None = None, filters_text: str = "",
             year: int | None = None, radius: float = coverage.DEFAULT_RADIUS_M,
             mode: str = "periode", period: str | None = None, compare: tuple[str, str] | None = None,
             per: str = "year", measure: str = "verschil",
             per_period: Callable[[str, Filters, str], pd.DataFrame] | None = None,
             today: dt.date | None = None, alert_period: str = "month",
             min_excess: float = statmap.DEFAULT_MIN_EXCESS,
             alerts_of: Callable[[str, str], object] | None = None,
             hot_spots_of: Callable[[Filters], object] | None = None,
             warning_of: Callable[[Filters, str, str, float], object] | None = None) -> MapView:
    """The Kaart for ``filters``: choropleth of ``indicator`` per area of ``level``.

    Parameters
    ----------
    current : cohesie.ui.Loaded
        The loaded data version (``data``, ``areas``, ``bounds``, ``index``, ``centroids``).
    indicator, level, method : str
        Indicator column, ``"sector"`` or ``"wijk"``, classification method.
    admin : bool
        Admins see signal counts of 1-4; everyone else sees them suppressed.
    area_counts, layer_totals : callable, optional
        ``area_counts(level, filters)`` and ``layer_totals(filters)``, e.g. counted in the
        database; by default counted with ``current.index``.
    filters_text : str
        The filters described for the export header.
    year : int, optional
        Year in which a pleinmaker should have an action (default: this year).
    mode : {"periode", "jaar", "verandering"}
        ``periode``: the sidebar's period (as before). ``jaar``: ``indicator`` in the period
        ``period`` (stock on its last day, flow in the period; :mod:`cohesie.trends`).
        ``verandering``: the change from ``compare[0]`` to ``compare[1]`` per area, in
        diverging classes symmetric around 0 (:func:`cohesie.classify.diverging`) of the
        absolute change (``measure="verschil"``) or of the change in percent (``"pct"``).
        An indicator without a value per period (coverage, context) falls back to
        ``periode`` with a note.
    per : {"year", "quarter"}
        Length of the periods named by ``period`` and ``compare``.
    per_period : callable, optional
        ``per_period(level, filters, per)`` -> :func:`cohesie.trends.counts_per_period` over
        the data's periods (e.g. :func:`cohesie.ui.counts_per_period`, in the database on
        PostGIS); by default counted with ``current.index``.
    today : date, optional
        Periods ending before it are over (default: today): the default periods are the last
        ones that are over, and a running period gets a note.
    mode="hotspots"
        Sectors coloured by their Getis-Ord Gi* class of signals per 1000 inhabitants in the
        sidebar's period (``level`` is then ``"sector"``), see :mod:`cohesie.statmap`.
    alert_period, min_excess : str, float
        The early warning ("Opvallend", in every mode): ``"month"`` or ``"quarter"`` and the
        minimum number of signals above the expected count for a flag.
    alerts_of, hot_spots_of : callable, optional
        ``alerts_of(level, per)`` → :class:`cohesie.surveillance.Alerts` (every area and
        category, any minimum excess) and ``hot_spots_of(filters)`` →
        :class:`cohesie.hotspots.HotSpots`, e.g. cached by the app; by default computed here.
    warning_of : callable, optional
        ``warning_of(filters, level, alert_period, min_excess)`` → the early warning as
        :func:`early_warning_of` makes it (e.g. cached by the app per the filters it depends on:
        the signal types, the wijken, whether the signals layer is on).
    """
    data = current.data
    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    count = area_counts or current.index.area_counts
    catalogue = indicators.catalogue_with_coverage(radius, lang=lang)
    catalogue.update(context.labels(getattr(data, "context_meta", None)))  # the city's own figures
    label = catalogue.get(indicator, indicator)
    year = year or dt.date.today().year
    notes: list[str] = []
    figures_note = ""
    hot_mode = mode == statmap.MODE_HOTSPOTS
    if hot_mode:  # the sidebar's period, on sectors: Gi* is tested on sector rates
        mode, level = "periode", "sector"
        indicator = "signalen_per_1000"  # what the classes are about (no coverage overlay to compute)

    # -- which periods -------------------------------------------------------------------
    periods: list = []
    if mode in ("jaar", "verandering"):
        if not changemap.per_period_indicator(indicator):
            notes.append(t("{indicator} heeft geen waarde per jaar: de kaart toont de periode van de zijbalk.",
                           indicator=label))
            mode = "periode"
        else:
            periods = trends.data_periods(_summary(current), per=per)
            labels_ = [p.label for p in periods]
            complete = changemap.complete_labels(_summary(current), per=per, today=today)
            if mode == "jaar" and period not in labels_:
                period = changemap.default_period(labels_, complete)
            if mode == "verandering":
                if compare and len(compare) == 2 and compare[0] == compare[1]:
                    notes.append(t("Kies twee verschillende periodes om te vergelijken; de kaart vergelijkt nu "
                                   "de laatste twee."))
                if not compare or len(compare) != 2 or any(c not in labels_ for c in compare) \
                        or compare[0] == compare[1]:
                    compare = changemap.default_pair(labels_, complete)
                else:
                    compare = tuple(sorted(compare, key=labels_.index))
            if (mode == "jaar" and period is None) or (mode == "verandering" and compare is None):
                notes.append(t("Te weinig periodes in de gegevens: de kaart toont de periode van de zijbalk."))
                mode = "periode"
            else:
                running = changemap.running_note([period] if mode == "jaar" else list(compare), complete,
                                                 labels_, lang)
                if running:
                    notes.append(running)
    by_label = {p.label: p for p in periods}
    undated = replace(filters, start=None, end=None)
    count_per_period = per_period or _per_period(current)
    stock_rule = t("meubilair, projecten, pleinmakers en actoren zoals op de laatste dag van de periode, "
                   "signalen gemeld in de periode")

    # -- the counts shown ----------------------------------------------------------------
    shown_filters = filters
    if mode == "periode":
        counts = count(level, filters)
        totals = (layer_totals or current.index.layer_totals)(filters)
    else:
        chosen = by_label[period if mode == "jaar" else compare[1]]
        table_pp = count_per_period(level, undated, per)
        counts = _of_period(table_pp, chosen.label)
        totals = _of_period(count_per_period("gemeente", undated, per), chosen.label).sum()
        stock_filters, _ = trends.period_filters(chosen, filters)
        shown_filters = stock_filters or replace(filters, start=chosen.start, end=chosen.end)
        if mode == "jaar":
            notes.insert(0, t("{periode}: {regel}. De periode vervangt die van de zijbalk.",
                              periode=chosen.label, regel=stock_rule))
    table = indicators.per_area(data.sectors, None, level=level, filters=filters,
                                area_frame=current.areas[level], counts=counts)
    if indicator in coverage.COVERAGE_COLUMNS:  # costs a geometric overlay: only when asked for
        table = indicators.with_coverage(table, data.sectors, data.points, level=level, end=filters.end)
    decimals = decimals_of(indicator)
    if indicator not in table:  # a context figure (cohesie.context)
        figures = context.figures(data.sectors, data.context, data.context_meta, level=level, lang=lang)
        table = context.append_to(table, figures)
        decimals = context.decimals(figures, indicator)

    shown_counts: dict = {}
    hidden = pd.Series(False, index=table["code"].to_numpy())
    if not admin:
        hidden, shown_counts = views.hidden_signal_areas(table, data.sectors, level=level)
    area_frame = current.areas[level]
    legend_title = label if mode != "jaar" else f"{label} · {period}"
    if mode == "verandering":
        styles, legend, areas_table, area_hidden, extra = _change_map(
            data, count_per_period, undated, level=level, per=per, indicator=indicator, label=label,
            compare=compare, measure=measure, method=method, admin=admin, lang=lang, area_frame=area_frame)
        notes[:0] = extra
        figures_note = t("De kerncijfers bovenaan gelden voor {b}.", b=compare[1])
        legend_title = t("{indicator}: verandering {a} → {b}", indicator=label, a=compare[0], b=compare[1])
        n_hidden = int(area_hidden.sum())
    else:
        hides_areas = indicator in views.SIGNAL_INDICATORS and bool(hidden.any())
        area_hidden = hidden if hides_areas else pd.Series(False, index=hidden.index)
        values = table[indicator].reset_index(drop=True)
        classes = _classes(values, pd.Series(area_hidden.to_numpy()) if hides_areas else None, method=method)
        colours = classes.value_colours.to_numpy(dtype=object, copy=True)
        colours[area_hidden.to_numpy()] = HIDDEN_COLOUR

        def tip(code, naam, value, is_hidden):
            text = translate(shown_counts[code], lang) if is_hidden else f.number(value, decimals, empty=f.no_data)
            return f"{naam}: {label} {text}"

        styles = {code: (colour, tip(code, naam, value, h)) for code, naam, value, colour, h in zip(
            table["code"], table["naam"], table[indicator], colours, area_hidden.to_numpy())}
        legend = classes.legend(decimals=decimals, lang=lang)
        n_hidden = int(area_hidden.sum())
        if n_hidden:
            word = t("gebied") if n_hidden == 1 else t("gebieden")
            legend.append((HIDDEN_COLOUR, f"{t('verborgen (< 5)')} ({n_hidden} {word})"))
        areas_table = pd.DataFrame({"code": table["code"].to_numpy(), "naam": table["naam"].to_numpy(),
                                    "colour": colours, "hidden": area_hidden.to_numpy()})

    areas = gpd.GeoDataFrame(
        areas_table, geometry=area_frame.geometry.to_numpy()[_positions(area_frame["code"], areas_table["code"])],
        crs=area_frame.crs)
    statics = statics_of(current)
    wijken = current.areas["wijk"]
    labels = statics.wijk_labels
    if filters.wijken:  # the areas drawn are those of the filtered wijken: name and outline only them
        keep = wijken["code"].isin(filters.wijken).to_numpy()
        wijken, labels = wijken[keep], labels[keep]
    labels = labels[["naam", "x", "y"]].reset_index(drop=True)

    if mode == "verandering":  # the change is in the colours; circles of one period would mislead
        circles = pd.DataFrame(columns=["code", "lat", "lon", "naam", "signalen", "label", "radius"])
    else:
        circles = views.signal_circles(None, data.sectors, area_frame, filters, level=level, counts=counts,
                                       centroids=current.centroids[level])
    if len(circles):
        circles = circles.assign(signalen=circles["signalen"].astype(float),
                                 label=[f.integer(v) for v in circles["signalen"]])
        if not admin:
            is_hidden = circles["code"].map(hidden).fillna(False).astype(bool)
            circles.loc[is_hidden, "label"] = [translate(shown_counts[c], lang)
                                               for c in circles.loc[is_hidden, "code"]]
            circles.loc[is_hidden, "signalen"] = np.nan  # never sent to the browser
        circles["radius"] = _circle_radius(circles["signalen"])

    points = views.flag_pleinmakers(current.index.map_points(shown_filters), None, None, year=year,
                                    note=t("geen actie in {jaar}", jaar=year),
                                    late=_late_pleinmakers(current, statics, year))

    figures = _figures(data.sectors, filters, totals, admin=admin, lang=lang)
    bounds = _bounds_of(statics, filters.wijken) or current.bounds
    view = fit_view(bounds)

    from cohesie.operations import export_header

    header = export_header(data, legend_title, filters_text or t("geen filters"), lang=lang)
    layer_rows = [(LAYERS[k].colour, f"{layer_label(k, lang)}: "
                   + (t("aantal per gebied (cirkels)") if k == "signalen" else t("punten")))
                  for k in filters.layers if not (k == "signalen" and mode == "verandering")]
    suffix = {"jaar": f"_{period}", "verandering": f"_{compare[0]}_{compare[1]}" if compare else ""}.get(mode, "")
    title = t("Kaart van {gemeente}", gemeente=data.meta.get("gemeente", ""))
    if mode == "jaar":
        title += f" · {period}"
    elif mode == "verandering":
        title += f" · {compare[0]} → {compare[1]}"
    png_name = f"kaart_{indicator}_{level}{suffix}.png"

    # -- issue 13: the hot-spot mode replaces the colours and legend; flags in every mode --
    hot = None
    if hot_mode:
        hot = _hot_spot_layer(current, filters, count, hot_spots_of, admin=admin, lang=lang)
        styles, legend, n_hidden = dict(hot.styles), list(hot.legend), 0
        label = legend_title = hot.title
        areas["colour"] = statmap.class_array(hot, areas["code"])
        areas["hidden"] = False
        notes = [hot.method, *hot.notes, *notes]
        # no count circles over the classes: a hot spot is about rates, and the circles' orange
        # would read as a class colour
        circles = circles.head(0)
        layer_rows = [(colour, t("Signalen: per 1000 inwoners in de hot-spotklassen") if text.startswith(
            layer_label("signalen", lang)) else text) for colour, text in layer_rows]
        header = export_header(data, legend_title, filters_text or t("geen filters"), lang=lang)
        png_name, mode = "kaart_hotspots.png", statmap.MODE_HOTSPOTS
        title += f" · {t('Hot spots')}"
    if warning_of is not None:
        warning = warning_of(filters, level, alert_period, min_excess)
    else:
        warning = _early_warning(current, filters, alerts_of, level=level, per=alert_period,
                                 min_excess=min_excess, admin=admin, lang=lang)
    if warning.codes:
        layer_rows.append((statmap.ALERT_COLOUR, t("Opvallend (vroege waarschuwing): rode rand en !")))
    return MapView(
        lang=lang, title=title, level=level,
        indicator=indicator, method=method, indicator_label=label, styles=styles, legend=legend,
        areas=areas, outline=wijken if level == "sector" else None, labels=labels, circles=circles,
        points=points, highlight=list(filters.wijken), figures=figures, center=view["center"],
        zoom=view["zoom"], bounds=bounds, header=header, layer_rows=layer_rows,
        layer_names={k: layer_label(k, lang) for k in LAYERS}, signal_word=t("signalen"),
        hidden_areas=n_hidden, png_name=png_name, mode=mode,
        period=period if mode == "jaar" else None, compare=tuple(compare) if mode == "verandering" else None,
        legend_title=legend_title, notes=notes, figures_note=figures_note, warning=warning, hot_spots=hot)


def _hot_spot_layer(current, filters: Filters, count, hot_spots_of, *, admin: bool, lang: str):
    """The hot-spot classes for the sidebar's period and signal types (every wijk)."""
    from cohesie import hotspots

    hf = statmap.hot_spot_filters(filters)
    if hot_spots_of is not None:
        spots = hot_spots_of(hf)
    else:
        counts = count("sector", hf)
        counts = counts["signalen"] if "signalen" in counts else pd.Series(dtype="int64")
        spots = hotspots.hot_spots_of_rates(current.data.sectors, counts, lang=lang)
    if int(spots.table["signalen"].sum()) == 0:
        return statmap.no_hot_spots(current.data.sectors, translate(
            "Geen signalen in de gekozen periode en categorieën: er zijn geen hot spots te zoeken.", lang), lang=lang)
    return statmap.hot_spot_layer(spots, current.data.sectors, lang=lang, admin=admin)


def warning_filters(filters: Filters) -> Filters:
    """The part of ``filters`` the early warning depends on (the signals layer on or off, the
    signal types, the wijken): equal for filter sets that give the same "Opvallend"."""
    on = "signalen" in filters.layers
    return Filters(layers=("signalen",) if on else (), wijken=filters.wijken,
                   types={"signalen": tuple(filters.types.get("signalen", ()) or ())} if on else {})


def early_warning_of(current, filters: Filters, alerts_of, *, level: str, per: str, min_excess: float,
                     admin: bool, lang: str, cells_of=None):
    """The "Opvallend" rows and markers for ``filters`` (see :func:`warning_filters`).
    ``cells_of(level, per)``, optional: :func:`cohesie.statmap.warning_cells` of
    ``alerts_of(level, per)`` for this ``admin`` (e.g. kept by the app per data version)."""
    return _early_warning(current, warning_filters(filters), alerts_of, level=level, per=per,
                          min_excess=min_excess, admin=admin, lang=lang, cells_of=cells_of)


def _early_warning(current, filters: Filters, alerts_of, *, level: str, per: str, min_excess: float,
                   admin: bool, lang: str, cells_of=None):
    """The "Opvallend" rows and markers, or an empty one that says why there are none."""
    from cohesie import surveillance
    from cohesie.errors import CohesieError

    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    if "signalen" not in filters.layers:
        return statmap.empty_warning(t("De laag signalen staat uit: geen vroege waarschuwing."), level=level,
                                     per=per, min_excess=min_excess)
    if getattr(current, "signals_in_database", False) and alerts_of is None:  # the signals stay there
        return statmap.empty_warning(t("De vroege waarschuwing is nog niet beschikbaar met een gedeelde databank "
                                       "(PostGIS); gebruik 'python -m cohesie alerts'."), level=level, per=per,
                                     min_excess=min_excess)
    try:
        if alerts_of is not None:
            result = alerts_of(level, per)
        else:
            result = surveillance.alerts(current.index, current.data.sectors, level=level, per=per,
                                         settings=statmap.KAART_ALERT_SETTINGS, lang=lang)
    except CohesieError as err:
        return statmap.empty_warning(str(err), level=level, per=per, min_excess=min_excess)
    cells = cells_of(level, per) if (cells_of is not None and alerts_of is not None) else None
    return statmap.early_warning(result, current.data.sectors, current.centroids[level],
                                 area_frame=current.areas[level], level=level, per=per, filters=filters,
                                 min_excess=min_excess, lang=lang, admin=admin, cells=cells)


def _summary(current) -> pd.DataFrame:
    """The records' summary (first and last ``datum`` per layer and type)."""
    summary = getattr(current, "summary", None)
    if summary is None:
        from cohesie import counting

        summary = counting.point_summary(current.data.points)
    return summary


def _per_period(current) -> Callable[[str, Filters, str], pd.DataFrame]:
    """``per_period(level, filters, per)`` counted with ``current.index`` over the data's periods."""
    def count(level, filters, per):
        periods = trends.data_periods(_summary(current), per=per, filters=filters)
        return trends.counts_per_period(None, current.data.sectors, level=level, per=per, filters=filters,
                                        periods=periods, engine=current.index)
    return count


def _of_period(table: pd.DataFrame, label: str) -> pd.DataFrame:
    """The counts of one period of a :func:`cohesie.trends.counts_per_period` table."""
    rows = table[table["periode"].astype(str) == str(label)]
    return rows.set_index("code")[list(indicators.COUNT_COLUMNS)]


def _change_map(data, count_per_period, undated: Filters, *, level: str, per: str, indicator: str, label: str,
                compare: tuple[str, str], measure: str, method: str, admin: bool, lang: str, area_frame):
    """Styles, legend, area table, hidden flags and notes of the change map."""
    from cohesie.classify import NO_DATA_COLOUR, UNDEFINED_COLOUR, diverging

    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    a, b = compare
    counts = count_per_period(level, undated, per)
    counts = counts[counts["periode"].astype(str).isin([a, b])]
    table = trends.indicators_per_period(data.sectors, counts, level=level, area_frame=area_frame)
    numeric, hidden_text = trends.protect_per_period(table, data.sectors, level=level, admin=admin)
    change = changemap.change_per_area(numeric, hidden_text, indicator=indicator, start=a, end=b)
    decimals = decimals_of(indicator)
    measure = measure if measure in changemap.MEASURES else "verschil"
    classes = diverging(change[measure].round(1 if measure == "pct" else decimals),
                        decimals=0 if measure == "pct" else decimals, palette=changemap.palette_for(indicator),
                        method=method)
    colours = classes.value_colours.to_numpy(dtype=object, copy=True)
    is_hidden = change["verborgen"].to_numpy(dtype=bool)
    undefined = change["start_nul"].to_numpy(dtype=bool) & (measure == "pct")
    colours[is_hidden] = HIDDEN_COLOUR
    colours[undefined] = UNDEFINED_COLOUR

    def signed(value, n):
        return f.number(value, n, sign=True).replace("-", "−")  # a real minus sign

    def pct_text(value, start_zero):
        if start_zero:
            return t("procent niet bepaald: {a} was 0", a=a)
        return signed(value, 0) + (" %" if lang == "nl" else "%")

    def tip(row):
        head = f"{row.naam}: {label}\n{a} → {b}"  # two lines (cohesie.maps.overlay): fits the map
        if row.verborgen:
            return f"{head}: {t('verborgen (< 5 signalen in een van beide periodes)')}"
        if pd.isna(row.verschil):
            return f"{head}: {f.no_data}"
        return (f"{head}: {f.number(row.begin, decimals)} → {f.number(row.eind, decimals)}, "
                f"{signed(row.verschil, decimals)} ({pct_text(row.pct, row.start_nul)})")

    styles = {row.code: (colour, tip(row)) for row, colour in zip(change.itertuples(index=False), colours)}
    legend = classes.legend(lang=lang, unit=(" %" if lang == "nl" else "%") if measure == "pct" else "",
                            no_change=t("geen verandering"))

    def n_areas(n):
        return f"{n} {t('gebied') if n == 1 else t('gebieden')}"

    if measure == "pct" and undefined.any():
        legend.append((UNDEFINED_COLOUR, f"{t('procent niet bepaald ({a} was 0)', a=a)} ({n_areas(int(undefined.sum()))})"))
    no_data = int((change["verschil"].isna().to_numpy() & ~is_hidden).sum())
    if no_data:
        legend.append((NO_DATA_COLOUR, f"{f.no_data} ({n_areas(no_data)})"))
    if is_hidden.any():
        legend.append((HIDDEN_COLOUR, f"{t('verborgen (< 5 in een van beide periodes)')} ({n_areas(int(is_hidden.sum()))})"))

    notes = [t("Verandering van {a} naar {b}: {regel}. De periodes vervangen die van de zijbalk.", a=a, b=b,
               regel=t("meubilair, projecten, pleinmakers en actoren zoals op de laatste dag van de periode, "
                       "signalen gemeld in de periode"))]
    city_table = trends.indicators_per_period(
        data.sectors, (lambda c: c[c["periode"].astype(str).isin([a, b])])(count_per_period("gemeente", undated, per)),
        level="gemeente")
    city = changemap.city_change(city_table, indicator=indicator, start=a, end=b, admin=admin)
    if city is not None:
        begin, end, diff = city
        pct = pct_text(diff / begin * 100 if begin else np.nan, begin == 0)
        notes.append(t("Hele stad: {a} {va} → {b} {vb}, {verschil} ({pct}).", a=a, b=b,
                       va=f.number(begin, decimals), vb=f.number(end, decimals),
                       verschil=signed(diff, decimals), pct=pct))
    if measure == "verschil":
        notes.append(t("Kleur: verandering in {eenheid}; de tooltip geeft ook de verandering in procent van {a}.",
                       eenheid=label, a=a))
    else:
        notes.append(t("Kleur: verandering in procent van {a}; de tooltip geeft ook de verandering in {eenheid}.",
                       eenheid=label, a=a))
    if is_hidden.any():
        notes.append(t("Gebieden met 1 tot 4 signalen in een van beide periodes (of waaruit die terug te "
                       "rekenen zijn) tonen geen verandering, om bewoners te beschermen."))
    areas_table = pd.DataFrame({"code": change["code"].to_numpy(), "naam": change["naam"].to_numpy(),
                                "colour": colours, "hidden": is_hidden})
    return styles, legend, areas_table, pd.Series(is_hidden, index=change["code"].to_numpy()), notes


def _figures(sectors: pd.DataFrame, filters: Filters, totals: pd.Series, *, admin: bool,
             lang: str) -> list[tuple[str, str, str]]:
    """Key figures as ``(key, label, text)``: inhabitants, wijken, each layer, proposals."""
    from cohesie import privacy

    f = formatter(lang)
    # all that is used here, from the columns' arrays (selecting columns of a GeoDataFrame copies more)
    sectors = pd.DataFrame({"wijk_code": sectors["wijk_code"], "inwoners": sectors["inwoners"]})
    figures = indicators.key_figures(sectors, None, filters, totals=totals)
    chosen = sectors[sectors["wijk_code"].isin(filters.wijken)] if filters.wijken else sectors
    unknown = int(chosen["inwoners"].isna().sum())  # the total leaves them out: say so
    people = (translate("Inwoners (zonder {n} sector(en) zonder bevolkingscijfer)", lang, n=f.integer(unknown))
              if unknown else translate("Inwoners", lang))
    labels = {"inwoners": people, "wijken": translate("Wijken", lang),
              **{k: layer_label(k, lang) for k in filters.layers},
              **{k: translate(v, lang) for k, v in PROPOSAL_FIGURES.items() if k in figures}}
    out = []
    for key, text in labels.items():
        value = figures.get(key, 0)
        shown = f.integer(value)
        if key == "signalen" and not admin and privacy.primary_mask(pd.Series([value])).iloc[0]:
            shown = translate(privacy.PRIMARY, lang)
        out.append((key, text, shown))
    return out


def selection_at(sectors: gpd.GeoDataFrame, lat: float, lng: float, *, lang: str = "nl",
                 under_pointer: str | None = None) -> Selection | None:
    """The sector under a click (``lat``, ``lng`` in degrees), or None outside every sector.

    ``under_pointer`` is the code of the sector the map drew under the pointer
    (:func:`cohesie.maps.clicked_sector`; '' for none): when the browser sent it, it decides.
    The map draws simplified shapes at whole pixels, so within a pixel or a few metres of a
    border the stored geometry at ``lat``/``lng`` can be the neighbour of what the user saw.
    Without it (or for a code not in ``sectors``) the point decides.
    """
    if under_pointer == "":
        return None
    rows = sectors[sectors["code"] == under_pointer] if under_pointer else sectors.iloc[:0]
    sector = rows.iloc[0] if len(rows) else views.sector_at(lat, lng, sectors)
    if sector is None:
        return None
    f = formatter(lang)
    n = int(sector["inwoners"]) if pd.notna(sector["inwoners"]) else 0
    # a sector without a population figure has unknown inhabitants, not 0
    sentence = ("Geselecteerd: sector **{sector}** ({code}) in wijk **{wijk}**, {n} inwoners."
                if pd.notna(sector["inwoners"]) else
                "Geselecteerd: sector **{sector}** ({code}) in wijk **{wijk}**; inwoners: {n}.")
    text = translate(sentence, lang, sector=escape(sector["naam"]), code=escape(sector["code"]),
                     wijk=escape(sector["wijk_naam"]),
                     n=f.integer(n) if pd.notna(sector["inwoners"]) else f.no_data)
    return Selection(wijk_code=str(sector["wijk_code"]), wijk_name=str(sector["wijk_naam"]), text=text,
                     button=translate("Open de wijkfiche van {wijk}", lang, wijk=sector["wijk_naam"]),
                     sector_code=str(sector["code"]), sector_name=str(sector["naam"]), inhabitants=n)


def selection_of_wijk(sectors: pd.DataFrame, wijk: str | None, *, lang: str = "nl") -> Selection | None:
    """The selected wijk (e.g. from the URL) when no sector was clicked."""
    if wijk is None:
        return None
    rows = (sectors["wijk_code"] == wijk).to_numpy()  # the wijk's sectors, without copying the shapes
    if not rows.any():
        return None
    name = str(sectors["wijk_naam"].to_numpy()[rows][0])
    n = int(sectors["inwoners"][rows].sum())
    text = translate("Geselecteerd: wijk **{wijk}**, {n} inwoners.", lang, wijk=escape(name),
                     n=formatter(lang).integer(n))
    return Selection(wijk_code=str(wijk), wijk_name=name, text=text, inhabitants=n,
                     button=translate("Open de wijkfiche van {wijk}", lang, wijk=name))
