"""Vergelijken: two to four areas (wijken, sectors, deelgemeenten, the city) side by side.

:func:`comparison` returns a :class:`Comparison`; the page (``pages/vergelijken.py``), its PDF
(:func:`cohesie.exports.comparison_pdf`) and its XLSX (:func:`cohesie.exports.comparison_xlsx`)
render that one object, so screen and exports cannot disagree.

Rules:
- An area is named by its code (a wijk, sector or deelgemeente code) or :data:`CITY` for the
  whole city (or its NIS code); a code used by two levels means the wijk, else the
  deelgemeente, else the sector. Unknown codes and
  repeats are dropped, at most :data:`MAX_AREAS` are kept (:func:`resolve`).
- Every indicator of the Indicatoren page for the layers switched on (the Wijkfiche's rows,
  :func:`cohesie.wijkfiche` ``_comparison_columns``) and every imported context figure
  (:mod:`cohesie.context`) is a row. Values come from :func:`cohesie.indicatorview.indicator_table`
  of the area's level, so they are the numbers that page shows, with its decimals.
- The sidebar's wijk filter does not shrink the comparison: every area is compared with the
  whole city and ranked among all areas of its level (1 = highest, ties share the best rank,
  "3 van 12", :mod:`cohesie.ranking`). The city has no rank.
- Signals, for everyone but admins: a hidden count ("< 5", "verborgen"; suppressed per level as
  on the Indicatoren page) is text only, its rates are empty, and it is neither ranked nor
  used to rank others. A city signal count of 1-4 is hidden too. No hidden count is stored
  in the view model.
- Small maps: each area's sectors coloured by the chosen indicator per sector, in ONE set of
  classes (quantiles of every sector of the city with a shown value, :mod:`cohesie.classify`),
  so a colour means the same value range on every map. Hidden sectors are grey-purple.
- Trend: the chosen indicator (a count or rate per 1000 of a layer) per year for each area
  and the city (:mod:`cohesie.trends`: stock on 31 December, signals as flow, suppression per
  year for non-admins; a hidden year is a gap). Context figures have one value, no trend.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import pandas as pd

from cohesie import areas, classify, indicatorview, privacy, ranking, spatial, views
from cohesie.formatting import decimals_of, formatter
from cohesie.i18n import translate
from cohesie.indicators import Filters
from cohesie.text import escape
from cohesie.layers import LAYERS
from cohesie.wijkfiche import (RADIUS_M, TREND_DEFAULT, TREND_PER, Table, _bounds, _comparison_columns, _per_period,
                               complete_periods, trend_options)

CITY = "stad"
MAX_AREAS = 4
#: one colour per chosen area (Okabe-Ito, readable with colour blindness); the city is black, dashed
AREA_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
CITY_COLOUR = "#222222"


@dataclass(frozen=True)
class Area:
    """One compared area: its code, level (``gemeente`` for the city), name and label."""

    code: str
    level: str
    naam: str
    label: str

    @property
    def is_city(self) -> bool:
        return self.level == "gemeente"


@dataclass(frozen=True)
class SmallMap:
    """One area's sectors as display GeoJSON with ``kleur`` (fill colour) and ``tekst`` (the
    tooltip, HTML-escaped) per sector, and the map's bounds ([[south, west], [north, east]])."""

    code: str
    title: str
    geojson: str
    bounds: list
    sectors: object  # GeoDataFrame (EPSG:31370) with ``kleur``, for the PDF


@dataclass
class TrendLines:
    """The chosen indicator per year for every area and the city.

    ``data``: ``periode, reeks (area label), waarde (NaN = gap), tekst, deel`` (a new piece of
    line after each gap); ``series`` in order with ``colours``; the city is the last series
    (``city_series``), drawn dashed.
    """

    indicator: str
    data: pd.DataFrame
    series: list[str]
    colours: list[str]
    city_series: str
    periods: list[str]
    title: str
    x_title: str
    y_title: str
    decimals: int
    note: str | None = None

    @property
    def empty(self) -> bool:
        return self.data["waarde"].notna().sum() == 0


@dataclass
class Comparison:
    """Everything the Vergelijken page and its exports show."""

    areas: list[Area]
    lang: str
    admin: bool
    title: str
    indicator: str
    options: dict[str, str]           # indicator column → label (the picker)
    table: Table                      # rows = indicators; indicator, waarde_<i>, rang_<i> (i: position in
    #                                   areas; none for the city), stad
    ranks: dict[tuple[str, str], ranking.Rank]  # (area code, column) → rank
    maps: list[SmallMap]
    legend: list[tuple[str, str]]
    map_title: str
    trend: TrendLines | None
    notes: list[str]
    header: list[str]
    choices: dict[str, str] = field(default_factory=dict)  # every area code → label (the picker)
    decimals: dict[str, int] = field(default_factory=dict)  # column → decimals shown

    @property
    def codes(self) -> list[str]:
        return [a.code for a in self.areas]

    def export_frame(self) -> pd.DataFrame:
        """The table for a spreadsheet: per area its value (a number rounded as shown, or the
        text "< 5"/"verborgen" of a hidden count, never a stand-in), its rank and the number
        of areas ranked, then the city; translated headers."""
        t = self._t
        values, text = self.table.values, self.table.text
        out = pd.DataFrame({t("Indicator"): values["indicator"].to_numpy()})
        for i, area in enumerate(self.areas):
            if area.is_city:  # the city column, last
                continue
            shown = []
            for col, v, s in zip(values.index, values[f"waarde_{i}"], text[f"waarde_{i}"]):
                if s in (privacy.PRIMARY, privacy.COMPLEMENTARY, translate(privacy.COMPLEMENTARY, self.lang)):
                    shown.append(s)
                else:
                    shown.append(None if pd.isna(v) else _rounded(v, self.decimals.get(col, decimals_of(col))))
            out[area.label] = pd.Series(shown, dtype=object).to_numpy()
            ranks = [self.ranks[(area.code, col)] for col in values.index]
            out[t("{naam}: rang", naam=area.naam)] = pd.Series([r.rank for r in ranks], dtype=object).to_numpy()
            out[t("{naam}: gerangschikt", naam=area.naam)] = pd.Series(
                [r.of if r.rank is not None else None for r in ranks], dtype=object).to_numpy()
        city = [privacy.PRIMARY if s == privacy.PRIMARY else
                (None if pd.isna(v) else _rounded(v, self.decimals.get(col, decimals_of(col))))
                for col, v, s in zip(values.index, values["stad"], text["stad"])]
        out[t("Stad")] = pd.Series(city, dtype=object).to_numpy()
        return out

    def _t(self, text, **values):
        return translate(text, self.lang, **values)


def _rounded(value, decimals: int):
    value = float(value)
    return int(round(value)) if decimals == 0 else round(value, decimals)


# -- choosing the areas -----------------------------------------------------------------------
def area_index(sectors: pd.DataFrame, lang: str = "nl") -> dict[str, Area]:
    """Every area that can be compared, by code: the city (:data:`CITY`), the wijken, the
    deelgemeenten and the sectors (each level sorted by name)."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    city_name = str(sectors["gemeente_naam"].dropna().iloc[0]) if len(sectors) and sectors["gemeente_naam"].notna().any() \
        else t("Stad")
    out = {CITY: Area(CITY, "gemeente", t("Stad"), f"{t('Stad')} ({city_name})")}
    for level in ("wijk", "deelgemeente", "sector"):
        code_col, name_col = areas.LEVEL_CODE[level], areas.LEVEL_NAME[level]
        rows = sectors.drop_duplicates(code_col).dropna(subset=[code_col]).sort_values(name_col)
        word = t(areas.LEVEL_LABELS[level])
        for code, naam in zip(rows[code_col].astype(str), rows[name_col].astype(str)):
            if code not in out:  # a code of two levels: the wijk, else the deelgemeente, wins
                out[code] = Area(code, level, naam, f"{naam} ({word.lower()} {code})")
    return out


def resolve(sectors: pd.DataFrame, codes, lang: str = "nl") -> list[Area]:
    """The areas named by ``codes`` (unknown codes and repeats dropped, at most
    :data:`MAX_AREAS`); the NIS code of the city stands for :data:`CITY` too."""
    index = area_index(sectors, lang)
    nis = set(sectors["nis"].dropna().astype(str)) if "nis" in sectors else set()
    out: list[Area] = []
    for code in codes or []:
        code = str(code).strip()
        code = CITY if code.lower() == CITY or code in nis else code
        if code in index and index[code] not in out:
            out.append(index[code])
    return out[:MAX_AREAS]


def indicator_options(columns: list[str], labels: dict[str, str]) -> dict[str, str]:
    """Indicator column → label for the maps' and trend's picker (every row but the area)."""
    return {c: labels.get(c, c) for c in columns if c != "oppervlakte_km2"}


# -- the view model ---------------------------------------------------------------------------
def comparison(data, *, areas: list[str], filters: Filters, admin: bool, lang: str = "nl",
               indicator: str | None = None,
               counts: Callable[[str, Filters], pd.DataFrame] | None = None,
               per_period: Callable[[str, Filters], pd.DataFrame] | None = None,
               describe: Callable[[Filters], str] | None = None,
               area_frames: dict | None = None, radius: float = RADIUS_M, per: str = "year") -> Comparison:
    """The comparison of ``areas`` (codes, see :func:`resolve`).

    Parameters
    ----------
    data : Dataset
        The loaded data (sectors, points, context figures).
    filters : Filters
        The sidebar's filters (layers, period, types, statuses; the wijk filter is ignored:
        areas are compared with the whole city).
    admin : bool
        Whether signal counts are shown unsuppressed.
    indicator : str, optional
        The indicator of the small maps and the trend (default ``signalen_per_1000``, else
        the first offered).
    counts : callable, optional
        ``counts(level, filters)`` -> :func:`cohesie.indicators.area_counts` (e.g. in the
        database); default: counted in ``data.points``.
    per_period : callable, optional
        ``per_period(level, filters)`` -> :func:`cohesie.trends.counts_per_period` per year;
        default: the pandas reference on ``data.points``.
    describe : callable, optional
        ``describe(filters)`` -> the filters as text for the export header.
    per : str
        The trend's periods: ``"year"`` (default) or ``"quarter"`` (``2024-Q3``).
    """
    from cohesie.operations import export_header

    def t(text, **values):
        return translate(text, lang, **values)

    fmt = formatter(lang)
    everywhere = replace(filters, wijken=())
    chosen = resolve(data.sectors, areas, lang)
    layers = [k for k in LAYERS if k in filters.layers]
    frames = area_frames or {}
    if not chosen:  # nothing to compare yet: nothing counted
        empty = pd.DataFrame({"indicator": pd.Series(dtype=object)})
        return Comparison(areas=[], lang=lang, admin=admin, title=t("Vergelijken"), indicator=indicator, options={},
                          table=Table(empty, empty.copy(), {"indicator": t("Indicator")}, pinned="indicator"),
                          ranks={}, maps=[], legend=[], map_title="", trend=None, notes=[], header=[],
                          choices={c: a.label for c, a in area_index(data.sectors, lang).items()})
    counted = (lambda lv: counts(lv, everywhere)) if counts is not None else None
    views_by_level: dict[str, indicatorview.IndicatorTable] = {}

    def view(level: str) -> indicatorview.IndicatorTable:
        if level not in views_by_level:
            views_by_level[level] = indicatorview.indicator_table(
                data, everywhere, level=level, radius=radius, admin=admin, lang=lang,
                area_frames=frames, counts=counted)
        return views_by_level[level]

    levels = list(dict.fromkeys(a.level if not a.is_city else "wijk" for a in chosen)) or ["wijk"]
    columns: list[str] = []
    for level in levels:
        v = view(level)
        # the Wijkfiche's rows, then the context figures (the columns IndicatorTable.decimals lists)
        for col in [*_comparison_columns(v.table, layers), *v.decimals]:
            if col not in columns:
                columns.append(col)
    first = view(levels[0])
    labels, decimals, city = {}, {}, first.city
    for level in levels:
        labels.update({c: view(level).labels[c] for c in columns if c in view(level).labels})
        decimals.update(view(level).decimals)
    notes: list[str] = []

    # -- the table: per area its value and rank, then the city ----------------------------
    ranks: dict[tuple[str, str], ranking.Rank] = {}
    values = pd.DataFrame({"indicator": [labels.get(c, c) for c in columns]}, index=pd.Index(columns, name="kolom"))
    text = values.copy()
    headers = {"indicator": t("Indicator")}
    complementary = translate(privacy.COMPLEMENTARY, lang)
    city_texts = [_city_text(fmt, c, city, decimals, admin) for c in columns]
    city_values = [np.nan if not admin and _on_hidden_city(c, city) else float(city.get(c, np.nan)) for c in columns]
    for i, area in enumerate(chosen):
        if area.is_city:  # the city column below
            continue
        v = view(area.level)
        table = v.table.set_index("code", drop=False)
        texts = v.texts.set_index(v.table["code"])
        own, own_text, rank_text, rank_value = [], [], [], []
        for col in columns:
            if col not in table:
                own.append(np.nan), own_text.append(""), rank_text.append(""), rank_value.append(np.nan)
                ranks[(area.code, col)] = ranking.Rank(col, area.code, None, 0)
                continue
            hidden = _hidden_mask(v, col)
            is_hidden = hidden is not None and bool(hidden.get(area.code, False))
            value = table.loc[area.code, col]
            shown = str(texts.loc[area.code, col])
            if is_hidden:  # the stand-in is no value: text only
                value = np.nan
            own.append(np.nan if pd.isna(value) else float(value))
            own_text.append(shown)
            rank = ranking.rank_among(table, col, area.code, hidden=hidden)
            ranks[(area.code, col)] = rank
            rank_text.append(rank.text(lang))
            rank_value.append(np.nan if rank.rank is None else float(rank.rank))
        values[f"waarde_{i}"], text[f"waarde_{i}"] = own, own_text
        values[f"rang_{i}"], text[f"rang_{i}"] = rank_value, rank_text
        headers[f"waarde_{i}"] = area.naam
        headers[f"rang_{i}"] = t("Rang")  # right of its area's column: the name would only repeat
    values["stad"], text["stad"] = city_values, city_texts
    headers["stad"] = t("Stad")
    table = Table(values, text, headers, pinned="indicator")

    # -- notes ------------------------------------------------------------------------------
    if chosen:
        parts = []
        for level in dict.fromkeys(a.level for a in chosen if not a.is_city):
            n = len(view(level).table)
            parts.append(f"{fmt.integer(n)} {t(_LEVEL_PLURAL[level])}")
        if parts:
            notes.append(t("Rang: plaats tussen alle gebieden van hetzelfde niveau ({aantallen}), 1 = hoogste "
                           "waarde; gelijke waarden delen een rang.", aantallen=", ".join(parts)))
    by_note: dict[str, list[str]] = {}
    for (code, col), rank in ranks.items():
        if rank.note(lang):
            name = next(a.naam for a in chosen if a.code == code)
            by_note.setdefault(f"{name}: {rank.note(lang)}", []).append(labels.get(col, col))
    notes.extend(f"{note} ({', '.join(dict.fromkeys(cols))})" for note, cols in by_note.items())
    hidden_any = any(s in (privacy.PRIMARY, privacy.COMPLEMENTARY, complementary)
                     for col in text.columns if col.startswith("waarde_") or col == "stad" for s in text[col])
    if hidden_any:
        notes.append(t("'< 5' is een aantal signalen van 1 tot 4, 'verborgen' is afgeschermd zodat zo'n klein aantal "
                       "niet terug te rekenen is; de cijfers per 1000 inwoners erop blijven leeg."))
    if first.population_note:
        notes.append(first.population_note)
    for level in levels:
        notes.extend(n for n in view(level).context_notes if n not in notes)

    # -- the picker, small maps, trend ------------------------------------------------------
    options = indicator_options(columns, labels)
    if indicator not in options:
        indicator = TREND_DEFAULT if TREND_DEFAULT in options else next(iter(options), None)
    maps, legend, map_note = _small_maps(data, chosen, view("sector") if chosen else None, indicator,
                                         decimals, lang)
    if map_note:
        notes.append(map_note)
    trend = None
    if indicator and chosen:
        trend = _trend(data, chosen, indicator, layers, everywhere, admin, lang,
                       per_period or _per_period(data), frames, per=per if per in TREND_PER else "year")
        if trend is None:
            notes.append(t("Geen trend voor {indicator}: dat cijfer heeft één waarde, geen reeks per jaar.",
                           indicator=options[indicator]))
    names = [a.naam for a in chosen]
    title = t("Vergelijking {namen}", namen=" · ".join(names)) if names else t("Vergelijken")
    filters_text = describe(everywhere) if describe else t("geen filters")
    return Comparison(
        areas=chosen, lang=lang, admin=admin, title=title, indicator=indicator, options=options, table=table,
        ranks=ranks, maps=maps, legend=legend,
        map_title=t("Kaart: {indicator} per sector", indicator=options.get(indicator, "")),
        trend=trend, notes=notes, header=export_header(data, title, filters_text, lang=lang),
        choices={c: a.label for c, a in area_index(data.sectors, lang).items()}, decimals=decimals)


_LEVEL_PLURAL = {"wijk": "wijken", "sector": "sectoren", "deelgemeente": "deelgemeenten"}


def _hidden_mask(view: indicatorview.IndicatorTable, column: str) -> pd.Series | None:
    """Areas (by code) whose ``column`` is withheld: a hidden signal count and its rates."""
    for count, rates in views.SIGNAL_COUNTS.items():
        if column in (count, *rates) and count in view.hidden:
            return pd.Series((view.hidden[count] != "").to_numpy(), index=view.table["code"].astype(str))
    return None


def _on_hidden_city(column: str, city: pd.Series) -> bool:
    """Whether ``column`` is a city signal count of 1-4 or a rate on it."""
    for count, rates in views.SIGNAL_COUNTS.items():
        if column in (count, *rates):
            n = city.get(count, np.nan)
            return bool(not pd.isna(n) and 1 <= n < privacy.THRESHOLD)
    return False


def _city_text(fmt, column: str, city: pd.Series, decimals: dict, admin: bool) -> str:
    """The city's value as shown: "< 5" for a signal count of 1-4 (non-admins), its rates empty."""
    if not admin and _on_hidden_city(column, city):
        return privacy.PRIMARY if column in views.SIGNAL_COUNTS else ""
    return fmt.number(city.get(column, np.nan), decimals.get(column, decimals_of(column)))


def _small_maps(data, chosen: list[Area], sectors_view, indicator: str | None, decimals: dict,
                lang: str) -> tuple[list[SmallMap], list[tuple[str, str]], str | None]:
    """One map per area, every sector coloured in one set of classes of the whole city."""
    if not chosen or sectors_view is None or indicator is None:
        return [], [], None
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    table = sectors_view.table.set_index(sectors_view.table["code"].astype(str))
    texts = sectors_view.texts.set_index(table.index)
    note = None
    if indicator in table:
        values = table[indicator].astype(float)
        hidden = _hidden_mask(sectors_view, indicator)
        hidden = hidden.reindex(values.index).fillna(False).astype(bool) if hidden is not None \
            else pd.Series(False, index=values.index)
        classes = classify.classify(values[~hidden], method="quantiles", k=5)  # hidden: not a value
        colours = pd.Series(classify.NO_DATA_COLOUR, index=values.index, dtype=object)
        colours[classes.value_colours.index] = classes.value_colours
        colours[hidden] = classify.HIDDEN_COLOUR
        shown = texts[indicator].where(texts[indicator] != "", fmt.no_data)
        places = decimals.get(indicator, decimals_of(indicator))
        legend = classes.legend(decimals=places, lang=lang, with_counts=False)
        if hidden.any():
            legend.append((classify.HIDDEN_COLOUR, t("verborgen (kleine aantallen)")))
    else:
        colours = pd.Series(classify.NO_DATA_COLOUR, index=table.index)
        shown = pd.Series(fmt.no_data, index=table.index)
        legend = [(classify.NO_DATA_COLOUR, fmt.no_data)]
        note = t("De kaartjes blijven grijs: dit cijfer bestaat niet per sector.")
    sectors = data.sectors.assign(code=data.sectors["code"].astype(str))
    out = []
    for area in chosen:
        if area.is_city:
            own = sectors
        else:
            own = sectors[sectors[areas.LEVEL_CODE[area.level]].astype(str) == area.code]
        own = own.assign(kleur=own["code"].map(colours).fillna(classify.NO_DATA_COLOUR).to_numpy(),
                         tekst=[escape(f"{n}: {v}") for n, v in zip(own["naam"].astype(str), own["code"].map(shown).fillna(fmt.no_data))])
        out.append(SmallMap(area.code, area.naam, spatial.display_geojson(own, ["code", "kleur", "tekst"]),
                            _bounds(own), own[["code", "naam", "kleur", "geometry"]]))
    return out, legend, note


def _trend(data, chosen: list[Area], indicator: str, layers: list[str], everywhere: Filters, admin: bool,
           lang: str, per_period: Callable, frames: dict, per: str = "year") -> TrendLines | None:
    from cohesie import trends

    options = trend_options(layers, lang)
    if indicator not in options:
        return None
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    count_col = indicator.removesuffix("_per_1000")
    decimals = 1 if indicator != count_col else 0
    by_level: dict[str, pd.DataFrame] = {}

    def counted_per(level: str) -> pd.DataFrame:
        return per_period(level, everywhere) if per == "year" else per_period(level, everywhere, per=per)

    def numeric(level: str) -> pd.DataFrame:
        if level not in by_level:
            table = trends.indicators_per_period(data.sectors, counted_per(level), level=level,
                                                 area_frame=frames.get(level))
            by_level[level] = trends.protect_per_period(table, data.sectors, level=level, admin=admin)[0]
        return by_level[level]

    city_table = numeric("gemeente")
    periods = list(dict.fromkeys(city_table["periode"].astype(str)))
    # periods before the layer's first record in the city are left out, not drawn as zeros
    raw = trends.indicators_per_period(data.sectors, counted_per("gemeente"), level="gemeente",
                                       area_frame=frames.get("gemeente"))
    first = trends.first_recorded(raw.set_index(raw["periode"].astype(str))[count_col], periods)
    left_out = first is not None and first != periods[0]
    if left_out:
        periods = periods[periods.index(first):]
    city_label = t("Stad")
    series, colours, rows = [], [], []
    lines = [(a.naam, a.level, a.code) for a in chosen if not a.is_city] + [(city_label, "gemeente", None)]
    hidden_years = False
    for n, (label, level, code) in enumerate(lines):
        table = numeric(level)
        own = table if code is None else table[table["code"].astype(str) == code]
        own = own.set_index(own["periode"].astype(str))[indicator].reindex(periods).astype(float)
        if code is not None and not admin and count_col in views.SIGNAL_COUNTS and own.isna().any():
            hidden_years = True
        series.append(label)
        colours.append(CITY_COLOUR if code is None else AREA_COLOURS[n % len(AREA_COLOURS)])
        for period, value in own.items():
            rows.append({"periode": period, "reeks": label, "waarde": value,
                         "tekst": fmt.no_data if pd.isna(value) else fmt.number(value, decimals)})
    frame = pd.DataFrame(rows, columns=["periode", "reeks", "waarde", "tekst"])
    frame["waarde"] = frame["waarde"].astype(float)
    frame["deel"] = frame["waarde"].isna().groupby(frame["reeks"], sort=False).cumsum().astype(int)
    notes = [(t("Jaren met 1 tot 4 signalen (en jaren waaruit ze terug te rekenen zijn) zijn weggelaten om bewoners "
                "te beschermen.") if per == "year" else
              t("Kwartalen met 1 tot 4 signalen (en kwartalen waaruit ze terug te rekenen zijn) zijn weggelaten om "
                "bewoners te beschermen."))] if hidden_years else []
    if left_out:
        notes.append(t("Perioden vóór {periode} zijn weggelaten: de gegevens hebben daar nog niets van deze laag.",
                       periode=first))
    running = [p for p in periods if p not in complete_periods(periods, per, dt.date.today().year)]
    if running:
        notes.append(t("{periode} loopt nog: de cijfers ervan zijn onvolledig.", periode=", ".join(running)))
    note = " ".join(notes) or None
    return TrendLines(indicator=indicator, data=frame, series=series, colours=colours, city_series=city_label,
                      periods=periods,
                      title=(t("Trend per jaar: {indicator}", indicator=options[indicator]) if per == "year"
                             else t("Trend per kwartaal: {indicator}", indicator=options[indicator])),
                      x_title=t(TREND_PER[per]), y_title=options[indicator], decimals=decimals, note=note)
