"""The statistics of issue 13 as the Kaart shows them: the "Opvallend" list with its markers
(early warning, :mod:`cohesie.surveillance`) and the hot-spot map mode (:mod:`cohesie.hotspots`).

Both are parts of the Kaart's one view model (:class:`cohesie.mapview.MapView`); the functions
here turn a result of the statistics into rows, tooltips, colours and legend rows, with the
privacy rules of the role applied:

- A signal count of 1-4 shows as "< 5" for everyone but admins; the flag itself may still be
  shown (issue 13).
- In the hot-spot mode a sector's class is shown to everyone, but its rate per 1000 inhabitants
  only where its count is shown (a rate and the inhabitants give the count away), with the
  complementary suppression of :func:`cohesie.views.protect_signals`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie import hotspots, privacy, surveillance, views
from cohesie.classify import NO_DATA_COLOUR
from cohesie.formatting import formatter, period_text
from cohesie.i18n import translate
from cohesie.indicators import Filters

#: map modes of the Kaart (the key is what the page's choice and the URL keep)
MODE_INDICATOR, MODE_HOTSPOTS = "indicator", "hotspots"
#: period choices of the early warning
PERIODS = {"month": "Maand", "quarter": "Kwartaal"}
DEFAULT_MIN_EXCESS = 5.0
#: what the Kaart tests: every area and category with minimum excess 0; the page applies the
#: user's minimum to the tested rows (:func:`flags`), which changes no p-value
KAART_ALERT_SETTINGS = surveillance.AlertSettings(min_excess=0.0)

#: a diverging red-blue scheme (ColorBrewer RdBu): hot is red, cold is blue, the rest pale
HOTSPOT_COLOURS = {
    hotspots.HOT_99: "#b2182b",
    hotspots.HOT_95: "#ef8a62",
    hotspots.NOT_SIGNIFICANT: "#f7f7f7",
    hotspots.COLD: "#67a9cf",
    hotspots.NO_INHABITANTS: NO_DATA_COLOUR,
    hotspots.NO_NEIGHBOURS: "#bdbdbd",
}
#: the classes always listed in the legend (with their count, also when 0); the two classes of
#: sectors that could not be tested are listed only when a sector is in them
MAIN_CLASSES = (hotspots.HOT_99, hotspots.HOT_95, hotspots.NOT_SIGNIFICANT, hotspots.COLD)
LEGEND_ORDER = MAIN_CLASSES + (hotspots.NO_INHABITANTS, hotspots.NO_NEIGHBOURS)
#: colour of the outline and marker of a flagged ("opvallend") area
ALERT_COLOUR = "#d7191c"


@dataclass
class EarlyWarning:
    """The "Opvallend" part of the Kaart.

    rows : DataFrame
        The flagged area × category rows as shown (labelled columns, formatted; counts 1-4 as
        "< 5" unless admin), the largest excess first; empty when nothing is flagged.
    markers : DataFrame
        ``code, naam, lat, lon, lines`` per flagged area: where its marker goes and its
        tooltip lines ("Opvallend: zwerfvuil okt 2026, 23 waargenomen, 8 verwacht").
    codes : list of str
        Codes of the flagged areas (outlined on the map).
    period : str
        The tested period (``2026-10``, ``2026-Q3``), or ``""``.
    period_shown : str
        The same as the reader says it ("okt 2026", "kwartaal 3 van 2026"), or ``""``.
    summary : str
        One line: how many flags in which period, "Niets opvallend in okt 2026", or why there is
        no early warning.
    """

    rows: pd.DataFrame
    markers: pd.DataFrame
    codes: list
    period: str
    summary: str
    method: str = ""
    notes: list = field(default_factory=list)
    level: str = "wijk"
    per: str = "month"
    min_excess: float = DEFAULT_MIN_EXCESS
    period_shown: str = ""
    #: headers of the columns of ``rows`` that hold numbers (right-aligned on screen)
    numbers: tuple = ()
    #: not computed yet: the page shows the map first and fits the series after it (the first
    #: visit to a data version), then draws the page again with the real warning
    pending: bool = False


def empty_warning(summary: str, *, level: str = "wijk", per: str = "month",
                  min_excess: float = DEFAULT_MIN_EXCESS, pending: bool = False) -> EarlyWarning:
    """An early warning without rows (nothing to test, not available, or ``pending``: not
    computed yet), saying why."""
    return EarlyWarning(rows=pd.DataFrame(), markers=pd.DataFrame(columns=["code", "naam", "lat", "lon", "lines"]),
                        codes=[], period="", summary=summary, level=level, per=per, min_excess=min_excess,
                        pending=pending)


def flags(table: pd.DataFrame, *, min_excess: float, alpha: float = 0.05) -> pd.Series:
    """The ``opvallend`` rule of :func:`cohesie.surveillance.test_series` for another minimum
    excess: tested, corrected p-value at most ``alpha`` and observed − expected ≥ ``min_excess``.

    The minimum excess changes no p-value (the Benjamini-Hochberg correction runs over every
    tested series), so the page tests once and applies the user's minimum here, without
    fitting again.
    """
    if table.empty:
        return pd.Series(dtype=bool)
    tested = table["p_waarde"].notna()
    return (tested & (table["p_gecorrigeerd"] <= alpha) & (table["overschot"] >= min_excess)).astype(bool)


def warning_cells(result: surveillance.Alerts, sectors: pd.DataFrame, *, level: str,
                  admin: bool) -> tuple[pd.Series, pd.Series]:
    """Primary and complementary masks of ``result``'s observed counts: the one suppression rule
    of every Opvallend view, over the whole tested period's table (an area's total and, per
    category, the city's or the wijk's count are published elsewhere), whatever is filtered."""
    wijk_of = None
    if level == "sector":
        wijk_of = views.wijk_of_sectors(sectors).astype(str)
    return privacy.alert_cells(result.table, admin=admin, row_groups=wijk_of)


def early_warning(result: surveillance.Alerts, sectors: pd.DataFrame, centroids: pd.DataFrame, *,
                  area_frame: pd.DataFrame, level: str, per: str, filters: Filters = Filters(),
                  min_excess: float = DEFAULT_MIN_EXCESS, alpha: float = 0.05, lang: str = "nl",
                  admin: bool = False, cells: tuple[pd.Series, pd.Series] | None = None) -> EarlyWarning:
    """The "Opvallend" list and markers from ``result`` (:func:`cohesie.surveillance.alerts`).

    Parameters
    ----------
    result : Alerts
        Tested series of every area of ``level`` and every category (its own ``opvallend``
        is replaced by :func:`flags` with ``min_excess``).
    centroids : DataFrame
        ``lon, lat`` per row of ``area_frame`` (``code`` column): where markers go.
    filters : Filters
        The sidebar's wijken and signal types narrow the rows shown (not the test: the
        correction for multiple testing stays the same whatever is filtered).
    cells : (Series, Series), optional
        :func:`warning_cells` of ``result`` (the same for every filter set: e.g. kept by the app
        per data version); computed here when not given.
    """
    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    table = result.table
    period = result.period
    method = surveillance.method_text(per, surveillance.AlertSettings(alpha=alpha, min_excess=min_excess), lang)
    if table.empty:
        return empty_warning(t("Geen signalen om te toetsen."), level=level, per=per, min_excess=min_excess)
    # the flagged rows are few: the filters and the order are applied to them with numpy (pandas
    # selections and a sort of the whole table cost more than the rest of this function)
    keep = flags(table, min_excess=min_excess, alpha=alpha).to_numpy(dtype=bool, copy=True)
    types = tuple(filters.types.get("signalen", ()) or ())
    if types:
        keep &= table["categorie"].isin(types).to_numpy()
    if filters.wijken:
        codes = table["code"].to_numpy()[keep]
        if level != "wijk":
            codes = pd.Series(codes).map(views.wijk_of_sectors(sectors).astype(str)).to_numpy()
        keep[keep] = pd.Index(codes).isin(filters.wijken)
    flagged = table.iloc[np.flatnonzero(keep)]
    # most excess first, then by code and category (a stable sort, as sort_values with kind="stable")
    flagged = flagged.iloc[np.lexsort((flagged["categorie"].to_numpy(), flagged["code"].to_numpy(),
                                       -flagged["overschot"].to_numpy(dtype=float)))]

    primary, complementary = cells if cells is not None else warning_cells(result, sectors, level=level,
                                                                             admin=admin)

    def count(i, v) -> str:
        if primary.get(i, False):
            return t(privacy.PRIMARY)
        return t(privacy.COMPLEMENTARY) if complementary.get(i, False) else f.integer(v)

    area_word = t("Wijk") if level == "wijk" else t("Sector")
    rows = pd.DataFrame({
        area_word: flagged["naam"].astype(str) + " (" + flagged["code"].astype(str) + ")",
        t("Categorie"): flagged["categorie"].astype(str),
        t("Periode"): [period_text(str(p), lang) for p in flagged["periode"]],
        t("Waargenomen"): [count(i, v) for i, v in flagged["waargenomen"].items()],
        t("Verwacht"): [f.number(v, 1) for v in flagged["verwacht"]],
        # "0,000" would read as "impossible": below a thousandth it says so
        t("p-waarde (gecorrigeerd)"): [f"< {f.number(0.001, 3)}" if v < 0.001 else f.number(v, 3)
                                       for v in flagged["p_gecorrigeerd"]],
    }).reset_index(drop=True)

    # each area's first row of centroids (as drop_duplicates keeps it), looked up for the flagged only
    codes = area_frame["code"].astype(str).to_numpy()
    first = {code: i for i, code in reversed(list(enumerate(codes)))}
    lat, lon = centroids["lat"].to_numpy(), centroids["lon"].to_numpy()
    marker_rows = []
    for code, group in flagged.groupby("code", sort=True):
        if code not in first:
            continue
        lines = [t("Opvallend: {categorie} {periode}, {waargenomen} waargenomen, {verwacht} verwacht",
                   categorie=r.categorie, periode=period_text(str(r.periode), lang), waargenomen=count(r.Index, r.waargenomen),
                   verwacht=f.number(r.verwacht, 0)) for r in group.itertuples()]
        marker_rows.append({"code": code, "naam": str(group["naam"].iloc[0]), "lat": float(lat[first[code]]),
                            "lon": float(lon[first[code]]), "lines": lines})
    markers = pd.DataFrame(marker_rows, columns=["code", "naam", "lat", "lon", "lines"])
    n = len(rows)
    if n:
        summary = t("{n} opvallend in {periode}", n=f.integer(n), periode=period_text(period, lang))
    else:
        summary = t("Niets opvallend in {periode}", periode=period_text(period, lang))
    return EarlyWarning(rows=rows, markers=markers, codes=markers["code"].tolist(), period=period,
                        summary=summary, method=method, notes=list(result.notes), level=level, per=per,
                        min_excess=min_excess, period_shown=period_text(period, lang),
                        numbers=(t("Waargenomen"), t("Verwacht"), t("p-waarde (gecorrigeerd)")))


# -- hot spots --------------------------------------------------------------------------------
@dataclass
class HotSpotLayer:
    """The hot-spot mode: a colour and tooltip per sector and the legend with counts."""

    styles: dict  # code -> (colour, tooltip)
    colours: dict  # code -> colour
    legend: list  # (colour, "hot spot 99 % (3 sectoren)")
    counts: dict  # class key -> number of sectors
    title: str
    method: str
    notes: list = field(default_factory=list)


def hot_spot_filters(filters: Filters) -> Filters:
    """What the hot spots count: the sidebar's period and signal types and statuses, in every
    wijk (a wijk filter only dims the map: counting the other wijken as 0 would make false
    hot spots at the border of the filtered wijken)."""
    types = {"signalen": tuple(filters.types.get("signalen", ()) or ())}
    statuses = {"signalen": tuple(filters.statuses.get("signalen", ()) or ())}
    return Filters(start=filters.start, end=filters.end, layers=("signalen",), types=types, statuses=statuses)


def hot_spot_layer(spots: hotspots.HotSpots, sectors: pd.DataFrame, *, lang: str = "nl",
                   admin: bool = False) -> HotSpotLayer:
    """Colours, tooltips and legend of ``spots`` (:func:`cohesie.hotspots.hot_spots`)."""
    f = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    table = spots.table.reset_index(drop=True)
    counted = pd.DataFrame({"code": table["code"], "signalen": table["signalen"],
                            "signalen_per_1000": table["waarde"]})
    hidden, shown = views.hidden_signal_areas(counted, sectors, level="sector") if not admin else (
        pd.Series(False, index=table["code"]), {})
    labels = spots.labels
    styles, colours = {}, {}
    for code, naam, value, klasse in zip(table["code"], table["naam"], table["waarde"], table["klasse"]):
        colour = HOTSPOT_COLOURS.get(klasse, NO_DATA_COLOUR)
        if bool(hidden.get(code, False)):
            rate = t("signalen {aantal}", aantal=t(shown[code]))
        elif pd.isna(value):
            rate = f.no_data
        else:
            rate = t("{waarde} per 1000 inwoners", waarde=f.number(value, 1))
        styles[code] = (colour, f"{naam}: {labels.get(klasse, klasse)} ({rate})")
        colours[code] = colour
    counts = {k: int((table["klasse"] == k).sum()) for k in hotspots.CLASSES}
    legend = []
    for key in LEGEND_ORDER:
        if key in MAIN_CLASSES or counts[key]:
            n = counts[key]
            word = t("sector") if n == 1 else t("sectoren")
            legend.append((HOTSPOT_COLOURS[key], f"{labels.get(key, key)} ({f.integer(n)} {word})"))
    return HotSpotLayer(styles=styles, colours=colours, legend=legend, counts=counts,
                        title=t("Hot spots van signalen per 1000 inwoners"), method=spots.method,
                        notes=list(spots.notes))


def no_hot_spots(sectors: pd.DataFrame, message: str, *, lang: str = "nl") -> HotSpotLayer:
    """Every sector pale with ``message`` as its tooltip (e.g. no signals in the period)."""
    codes = sectors["code"].astype(str).tolist()
    colour = HOTSPOT_COLOURS[hotspots.NOT_SIGNIFICANT]
    return HotSpotLayer(styles={c: (colour, message) for c in codes}, colours={c: colour for c in codes},
                        legend=[], counts={k: 0 for k in hotspots.CLASSES},
                        title=translate("Hot spots van signalen per 1000 inwoners", lang),
                        method=hotspots.method_line(lang), notes=[message])


def class_array(layer: HotSpotLayer, codes) -> np.ndarray:
    """The colour of each code in ``codes`` (no-data grey for a code without a class)."""
    return np.array([layer.colours.get(str(c), NO_DATA_COLOUR) for c in codes], dtype=object)
