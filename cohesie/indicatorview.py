"""The Indicatoren page as one object: the table per area, its display texts, the city values,
the ranked bar chart and the export header, with signal suppression applied for the role.

Rules:
- Numbers stay numbers. :attr:`IndicatorTable.table` keeps every count and rate numeric, so a
  table sorts numerically; :attr:`IndicatorTable.texts` holds what each cell shows, written by
  the one formatter (:mod:`cohesie.formatting`): ``613,4`` and ``12.270`` in Dutch,
  ``613.4`` and ``12,270`` in English; empty cells are ``""``.
- A suppressed signal count (see :mod:`cohesie.privacy`) never appears in the table: a count of
  1-4 is stored as the stand-in :data:`PRIMARY_STAND_IN` (2.5, so it sorts between 0 and 5) and
  shown as "< 5"; a complementary cell is stored as :data:`COMPLEMENTARY_STAND_IN` (-1, below
  every count: its value is unknown) and shown as "verborgen"; the rates and the ratio to the
  city built on a hidden count are empty. (Not NaN: Streamlit's grid shows its placeholder for
  a missing value, never the Styler's text.)
- The screen table, the metric, the chart and the CSV/XLSX exports all read this object, so
  they show the same numbers with the same decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie import areas, context, indicators, privacy, views
from cohesie.formatting import Formatter, decimals_of, formatter
from cohesie.i18n import translate

#: Stored in place of a count of 1-4: sorts between 0 and 5 and is never a real count.
PRIMARY_STAND_IN = 2.5
#: Stored in place of a complementary suppressed count: below every count, never a real one.
COMPLEMENTARY_STAND_IN = -1.0
#: Count columns that are suppressed for everyone but admins.
SUPPRESSED_COUNTS = tuple(views.SIGNAL_COUNTS)
TEXT_COLUMNS = ("code", "naam")


@dataclass(frozen=True)
class IndicatorTable:
    """Everything the Indicatoren page and its exports show.

    Attributes
    ----------
    level, indicator, lang : str
        Area level, the indicator of the chart and metric, the language of texts.
    table : DataFrame
        One row per area: ``code``, ``naam``, numeric counts and rates and the ratio column;
        suppressed counts as stand-ins (:data:`PRIMARY_STAND_IN`, :data:`COMPLEMENTARY_STAND_IN`).
    texts : DataFrame
        The displayed text of every cell of ``table`` (same shape).
    labels : dict
        Column → header in ``lang``.
    city : Series
        City value of every indicator (from totals).
    hidden : DataFrame
        Per suppressed count column, the displayed suppression text ("< 5", "verborgen") or
        ``""`` when the cell is visible.
    ratio_column : str
        ``<indicator>_tov_stad``: the area's value divided by the city's value.
    chart : DataFrame
        ``naam`` (unique), ``waarde`` (NaN when hidden), ``tekst`` (label of the bar), ranked
        by value, highest first, hidden and empty areas last.
    hidden_cells : int
        Number of suppressed signal counts.
    title, indicator_label, city_text : str
        Export/page title, the indicator's label and the city value as displayed.
    header_lines : tuple of str
        Title, source, data date and filters printed above exports.
    population_note : str
        Says which rates stay empty because sectors have no population figure ("" when all do).
    decimals : dict
        Column → decimals where they differ from :func:`cohesie.formatting.decimals_of` (the
        city's context figures, :mod:`cohesie.context`).
    context_notes : tuple of str
        Context figures not available at this level, areas left out of a weighted mean.
    """

    level: str
    indicator: str
    lang: str
    table: pd.DataFrame
    texts: pd.DataFrame
    labels: dict[str, str]
    city: pd.Series
    hidden: pd.DataFrame
    ratio_column: str
    chart: pd.DataFrame
    hidden_cells: int
    title: str
    indicator_label: str
    city_text: str
    header_lines: tuple[str, ...] = field(default=())
    population_note: str = ""
    decimals: dict[str, int] = field(default_factory=dict)
    context_notes: tuple[str, ...] = field(default=())

    @property
    def formatter(self) -> Formatter:
        return formatter(self.lang)

    @property
    def numeric_columns(self) -> list[str]:
        return [c for c in self.table.columns if c not in TEXT_COLUMNS]

    def display_function(self, column: str):
        """Value → displayed text for ``column`` (what :attr:`texts` holds)."""
        return _display_function(column, self.formatter, suppressed=column in self.hidden.columns,
                                 decimals=self.decimals.get(column))

    def styler(self):
        """:attr:`table` as a pandas Styler that shows :attr:`texts` but keeps the values
        numeric (Streamlit sorts on the values and shows the display texts)."""
        return self.table.style.format({c: self.display_function(c) for c in self.numeric_columns})

    def export_frame(self, *, as_shown: bool = False) -> pd.DataFrame:
        """The table for CSV/XLSX: translated headers, numbers as numbers (counts as whole
        numbers), suppressed cells as their text ("< 5", "verborgen") and never a stand-in.

        ``as_shown=True`` rounds every number to the decimals the screen shows (the CSV, whose
        cells cannot carry a display format as XLSX cells do)."""
        out = self.table.copy()
        if as_shown:
            for column in self.numeric_columns:
                if column in self.hidden.columns or not pd.api.types.is_float_dtype(out[column]):
                    continue
                d = self.decimals.get(column, decimals_of(column))
                out[column] = out[column].round(d).astype("Int64") if d == 0 else out[column].round(d)
        for column in self.hidden.columns:
            shown = self.hidden[column]
            values = [s if s else (None if pd.isna(v) else int(v)) for v, s in zip(out[column], shown)]
            out[column] = pd.Series(values, index=out.index, dtype=object)
        return out.rename(columns=self.labels)

    def export_decimals(self) -> dict[str, int]:
        """Export header → decimals a spreadsheet shows for that column."""
        return {self.labels[c]: self.decimals.get(c, decimals_of(c)) for c in self.numeric_columns}


def _display_function(column: str, fmt: Formatter, *, suppressed: bool, decimals: int | None = None):
    decimals = decimals_of(column) if decimals is None else decimals
    if suppressed:
        complementary = translate(privacy.COMPLEMENTARY, fmt.lang)

        def show(value):
            if value == PRIMARY_STAND_IN:
                return privacy.PRIMARY
            if value == COMPLEMENTARY_STAND_IN:
                return complementary
            return fmt.number(value, 0)

        return show
    return lambda value: fmt.number(value, decimals)


def column_labels(columns, *, radius: float, lang: str, ratio_column: str | None = None,
                  extra: dict | None = None) -> dict[str, str]:
    """Column → header in ``lang`` for the indicator table (``extra``: more column → header,
    e.g. the context figures' "Naam (eenheid)")."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    labels = dict(indicators.catalogue_with_coverage(radius, lang=lang))
    labels.update(extra or {})
    labels.update({"code": t("Code"), "naam": t("Naam"), "oppervlakte_km2": t("Oppervlakte (km²)"),
                   "zorgsignalen": t("Zorgsignalen (aantal)")})
    labels.setdefault("meubilair_voorstel", t("Voorstellen meubilair (aantal)"))
    if ratio_column:  # names its indicator: the column follows the chart's picker
        indicator = ratio_column.removesuffix("_tov_stad")
        labels[ratio_column] = t("{waarde} t.o.v. stad", waarde=labels.get(indicator, indicator))
    return {c: labels.get(c, c) for c in columns}


def _suppressed(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str, admin: bool, lang: str):
    """(numeric table with stand-ins, suppression texts in ``lang`` per count column, number of
    hidden cells)."""
    protected, hidden_cells = views.protect_signals(table, sectors, level=level, admin=admin)
    out = table.copy()
    hidden = pd.DataFrame(index=table.index)
    if admin:
        return out, hidden, 0
    for column in SUPPRESSED_COUNTS:
        if column not in table:
            continue
        shown = protected[column].astype(str)
        primary, comp = shown == privacy.PRIMARY, shown == privacy.COMPLEMENTARY
        out[column] = table[column].astype(float).mask(primary, PRIMARY_STAND_IN).mask(comp, COMPLEMENTARY_STAND_IN)
        for rate in views.SIGNAL_COUNTS[column]:
            if rate in out:
                out[rate] = out[rate].astype(float).mask(primary | comp, np.nan)
        hidden[column] = np.where(primary, privacy.PRIMARY,
                                  np.where(comp, translate(privacy.COMPLEMENTARY, lang), ""))
    return out, hidden, hidden_cells


def _chart(table: pd.DataFrame, texts: pd.DataFrame, indicator: str, hidden: pd.DataFrame,
           fmt: Formatter) -> pd.DataFrame:
    names = table["naam"].astype(str)
    duplicated = names.duplicated(keep=False)
    names = names.where(~duplicated, names + " (" + table["code"].astype(str) + ")")
    value = table[indicator].astype(float)
    label = texts[indicator].copy()
    for count, rates in views.SIGNAL_COUNTS.items():
        if count in hidden and indicator in (count, *rates):
            shown = hidden[count] != ""
            value = value.where(~shown, np.nan)
            label = label.where(~shown, hidden[count])  # a bar without value still says why
    label = label.where(label != "", fmt.no_data)
    chart = pd.DataFrame({"naam": names, "waarde": value, "tekst": label})
    return chart.sort_values(["waarde", "naam"], ascending=[False, True], na_position="last",
                             kind="stable").reset_index(drop=True)


def indicator_table(data, filters: indicators.Filters = indicators.Filters(), *, level: str,
                    indicator: str = "signalen_per_1000", radius: float = 300, admin: bool = False,
                    lang: str = "nl", filters_text: str = "", area_frames: dict | None = None,
                    counts=None) -> IndicatorTable:
    """The Indicatoren page for ``level`` and ``filters``, suppressed unless ``admin``.

    Parameters
    ----------
    data : Dataset
        Sectors and points (see :class:`cohesie.dataset.Dataset`).
    indicator : str
        Column shown in the metric, the chart and the ratio column.
    radius : float
        Metres for the coverage columns.
    filters_text : str
        The active filters as text, for the export header.
    area_frames, counts
        Passed to :func:`cohesie.indicators.table_with_city` (pre-computed areas, counting
        in the database).
    """
    from cohesie.operations import export_header

    fmt = formatter(lang)
    table, city = indicators.table_with_city(data.sectors, data.points, level=level, filters=filters,
                                             radius=radius, area_frames=area_frames, counts=counts)
    stored, meta = getattr(data, "context", None), getattr(data, "context_meta", None)
    figures = context.figures(data.sectors, stored, meta, level=level, lang=lang)
    table = context.append_to(table, figures)  # after the built-in indicators
    whole = context.figures(data.sectors, stored, meta, level="gemeente", lang=lang)
    for column in figures.columns:
        city[column] = whole.values[column].iloc[0] if len(whole.values) else np.nan
    places = {c: context.decimals(figures, c) for c in figures.columns}
    numeric, hidden, hidden_cells = _suppressed(table, data.sectors, level=level, admin=admin, lang=lang)
    ratio = f"{indicator}_tov_stad"
    reference = city.get(indicator, np.nan)
    if reference and not pd.isna(reference):
        base = numeric[indicator].where(hidden[indicator] == "", np.nan) if indicator in hidden else numeric[indicator]
        numeric[ratio] = (base.astype(float) / float(reference)).round(2)
    else:
        numeric[ratio] = np.nan
    labels = column_labels(numeric.columns, radius=radius, lang=lang, ratio_column=ratio,
                           extra=figures.labels)
    texts = pd.DataFrame(index=numeric.index)
    for column in numeric.columns:
        if column in TEXT_COLUMNS:
            texts[column] = numeric[column].map(lambda v: "" if v is None or pd.isna(v) else str(v))
        else:
            show = _display_function(column, fmt, suppressed=column in hidden.columns,
                                     decimals=places.get(column))
            texts[column] = numeric[column].map(show)
    level_label = translate(areas.LEVEL_LABELS[level], lang).lower()
    title = translate("Indicatoren per {niveau}", lang, niveau=level_label)
    unknown = len(areas.without_population(data.sectors))
    note = translate("{n} sector(en) zonder bevolkingscijfer: hun inwoners zijn onbekend (geen gegevens, niet 0). "
                     "Hun cijfers per 1000 inwoners en per km² blijven leeg, net als die van de gebieden waarin "
                     "ze liggen en van de stad; het aantal inwoners van de stad telt ze niet mee.", lang,
                     n=fmt.integer(unknown)) if unknown else ""
    return IndicatorTable(
        level=level, indicator=indicator, lang=lang, table=numeric, texts=texts, labels=labels, city=city,
        hidden=hidden, ratio_column=ratio, chart=_chart(numeric, texts, indicator, hidden, fmt),
        hidden_cells=hidden_cells, title=title, indicator_label=labels.get(indicator, indicator),
        city_text=fmt.number(reference, places.get(indicator, decimals_of(indicator)), empty=fmt.no_data),
        population_note=note, decimals=places, context_notes=tuple(figures.notes),
        header_lines=tuple(export_header(data, title, filters_text or translate("geen filters", lang), lang=lang)))


def indicator_options(radius: float = 300, lang: str = "nl", *, data=None) -> dict[str, str]:
    """Indicator column → label offered in the chart's picker; with ``data`` (a Dataset) its
    context figures follow, labelled "Naam (eenheid)"."""
    options = dict(indicators.catalogue_with_coverage(radius, lang=lang))
    if data is not None and len(getattr(data, "context_meta", ())):
        options.update({row["kolom"]: context.label_of(row) for row in data.context_meta.to_dict("records")})
    return options


def _number_expr(decimals: int, lang: str) -> str:
    """A Vega expression that writes ``datum.value`` like :meth:`Formatter.number` (trimmed)."""
    text = f"format(datum.value, ',.{decimals}~f')"
    if formatter(lang).locale.startswith("nl"):
        # d3 writes 1,128.2; swap the separators to 1.128,2 through a placeholder
        text = (f"replace(replace(replace({text}, regexp(',', 'g'), '_'), regexp('\\\\.', 'g'), ','), "
                "regexp('_', 'g'), '.')")
    return text


def bar_chart(view: IndicatorTable, *, bar_height: int = 20):
    """The ranked bar chart (Altair): one labelled bar per area, highest first, and the city
    value as a labelled rule. Hidden areas have no bar but keep their label ("< 5")."""
    import altair as alt

    t = lambda text, **kw: translate(text, view.lang, **kw)  # noqa: E731
    data = view.chart.assign(positie=view.chart["waarde"].fillna(0.0))
    order = data["naam"].tolist()
    decimals = view.decimals.get(view.indicator, decimals_of(view.indicator))
    level_label = t(areas.LEVEL_LABELS[view.level])
    y = alt.Y("naam:N", sort=order, title=level_label,
              axis=alt.Axis(labelLimit=320, labelOverlap=False, labelFontSize=12))
    x = alt.X("waarde:Q", title=view.indicator_label,
              axis=alt.Axis(labelExpr=_number_expr(decimals, view.lang), grid=True))
    tooltip = [alt.Tooltip("naam:N", title=level_label), alt.Tooltip("tekst:N", title=view.indicator_label)]
    bars = alt.Chart(data).mark_bar(color="#3182bd").encode(y=y, x=x, tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11, color="#222222").encode(
        y=alt.Y("naam:N", sort=order), x=alt.X("positie:Q"), text="tekst:N")
    layers = [bars, labels]
    reference = view.city.get(view.indicator, np.nan)
    if not pd.isna(reference):
        city = pd.DataFrame({"waarde": [float(reference)],
                             "tekst": [t("Stad: {waarde}", waarde=view.city_text)]})
        layers.append(alt.Chart(city).mark_rule(color="#d62728", strokeWidth=2, strokeDash=[6, 3]).encode(
            x="waarde:Q"))
        layers.append(alt.Chart(city).mark_text(align="left", baseline="top", dx=4, y=-14, color="#d62728",
                                                fontWeight="bold", fontSize=12).encode(x="waarde:Q", text="tekst:N"))
    return alt.layer(*layers).properties(height=alt.Step(bar_height)).configure_view(strokeWidth=0)
