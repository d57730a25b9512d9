"""Exports made in memory (bytes): map PNG and Wijkfiche PDF drawn without a browser or
internet, and tables as CSV/XLSX with spreadsheet formula injection neutralised.

Every export carries its title, data source, data date and the active filters. Writing files
to disk is left to :mod:`cohesie.storage`.
"""

from __future__ import annotations

import io
import re
import textwrap

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie.classify import HIDDEN_COLOUR

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+([.,]\d+)?")  # "-1,5": a number, never a formula


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START)
                and not _PLAIN_NUMBER.fullmatch(v) else v)
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_START) else c
                   for c in out.columns]
    return out


def table_csv(frame: pd.DataFrame, *, header_lines: list[str] | None = None, sep: str = ",",
              decimal: str = ".") -> bytes:
    """CSV (UTF-8 with BOM for Excel) with optional ``# ...`` lines naming source and filters.

    The defaults (``,`` and ``.``) are machine-readable, as the command line writes them; the
    dashboard asks ``sep=";", decimal=","``, which a Belgian spreadsheet opens as columns of
    numbers. Numbers are written as numbers (no thousands separator).
    """
    body = neutralise(frame).to_csv(index=False, sep=sep, decimal=decimal)
    head = "".join(f"# {line}\n" for line in (header_lines or []))
    return (head + body).encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, *, sheet: str = "gegevens", header_lines: list[str] | None = None,
               decimals: dict[str, int] | None = None) -> bytes:
    """XLSX with the header lines above the table; text cells never become formulas.

    Numbers stay numeric cells (a count of 1-4 shown as "< 5" arrives as that text);
    ``decimals`` (column → decimals) sets the number format the spreadsheet shows them with,
    in the reader's own separators.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for line in header_lines or []:
        ws.append([line if not line.startswith(FORMULA_START) else "'" + line])
    if header_lines:
        ws.append([])
    safe = neutralise(frame)
    ws.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False):
        cells = []
        for v in row:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                cells.append(None)
            elif isinstance(v, (pd.Timestamp,)):
                cells.append(v.to_pydatetime())
            elif isinstance(v, (np.integer,)):
                cells.append(int(v))
            elif isinstance(v, (np.floating,)):
                cells.append(float(v))
            else:
                cells.append(v if isinstance(v, (int, float)) else str(v))
        ws.append(cells)
    for cell in ws["A"] + tuple(c for r in ws.iter_rows() for c in r):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # stored as text, never evaluated
    first_row = len(header_lines) + 3 if header_lines else 2  # header lines, blank row, column names
    for i, column in enumerate(frame.columns, start=1):
        if (decimals or {}).get(column) is None:
            continue
        pattern = "#,##0" + ("." + "0" * decimals[column] if decimals[column] > 0 else "")
        for (cell,) in ws.iter_rows(min_row=first_row, min_col=i, max_col=i):
            if isinstance(cell.value, (int, float)):
                cell.number_format = pattern
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _scalebar(ax, extent_m: float) -> None:
    """A metric scale bar (the axes are in EPSG:31370 metres)."""
    nice = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]
    length = max([n for n in nice if n <= extent_m / 4] or [nice[0]])
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.05
    ax.plot([x, x + length], [y, y], color="black", lw=3, solid_capstyle="butt")
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    ax.text(x + length / 2, y + (y1 - y0) * 0.012, label, ha="center", va="bottom", fontsize=9)


def map_png(view, *, dpi: int = 150, inspect=None) -> bytes:
    """The Kaart as PNG, drawn from the same :class:`cohesie.mapview.MapView` as the screen.

    Same classes, colours, legend texts and hidden areas as on screen, with the wijk names on
    the map, a metric scale bar, and the title, source, data date and filters of
    ``view.header``.

    Parameters
    ----------
    view : cohesie.mapview.MapView
        What the Kaart shows (areas in EPSG:31370 with their colour and ``hidden`` flag).
    inspect : callable, optional
        Called with the matplotlib figure before it is saved (tests read its texts).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.patheffects as pe
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    # the period rules, the city's change and the privacy note of the change map, wrapped
    footer = list(view.header[1:]) + [line for note in getattr(view, "notes", [])
                                      for line in textwrap.wrap(note, 150)]
    fig, ax = plt.subplots(figsize=(10, 8.5))
    frame = view.areas.reset_index(drop=True)
    frame.plot(ax=ax, color=frame["colour"].tolist(), edgecolor="#666666", linewidth=0.4)
    hidden = frame["hidden"].to_numpy(dtype=bool)
    if hidden.any():
        frame[hidden].plot(ax=ax, facecolor=HIDDEN_COLOUR, edgecolor="#666666", hatch="///", linewidth=0.4)
    if view.outline is not None:
        view.outline.boundary.plot(ax=ax, color="#222222", linewidth=1.3)
    for row in view.labels.itertuples(index=False):
        ax.text(row.x, row.y, row.naam, ha="center", va="center", fontsize=8, color="#111111",
                path_effects=[pe.withStroke(linewidth=2.5, foreground="white")], zorder=5)
    # long rows (the change map's "verborgen (< 5 in een van beide periodes)") wrap beside the map
    legend = [Patch(facecolor=colour, edgecolor="#777777", label=textwrap.fill(text, 34),
                    hatch="///" if colour == HIDDEN_COLOUR else None) for colour, text in view.legend]
    flags = []
    warning = getattr(view, "warning", None)
    if warning is not None and warning.codes:  # flagged areas ("Opvallend") outlined as on screen
        from cohesie.statmap import ALERT_COLOUR

        flagged = frame[frame["code"].astype(str).isin(warning.codes)]
        if len(flagged):
            flagged.boundary.plot(ax=ax, color="#ffffff", linewidth=4.2, zorder=4)  # a halo: red on red shows
            flagged.boundary.plot(ax=ax, color=ALERT_COLOUR, linewidth=2.2, zorder=4)
            flags = [Patch(facecolor="none", edgecolor=ALERT_COLOUR, linewidth=2.4, label=warning.summary)]
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = frame.total_bounds
    _scalebar(ax, max(maxx - minx, maxy - miny))
    title = getattr(view, "legend_title", "") or view.indicator_label
    if flags:  # a legend of its own, at the foot of the map (the classes' legend stays as on screen)
        from matplotlib.legend import Legend

        ax.add_artist(Legend(ax, flags, [textwrap.fill(warning.summary, 34)], loc="lower left",
                             bbox_to_anchor=(1.0, 0.0), frameon=False, fontsize=9))
    ax.legend(handles=legend, title=textwrap.fill(title, 30), loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, fontsize=9, title_fontsize=10)
    ax.set_title(textwrap.fill(view.header[0] if view.header else view.title, 80), fontsize=13, loc="left",
                 fontweight="bold")
    fig.text(0.02, 0.015, "\n".join(footer), fontsize=8, va="bottom", ha="left", color="#333333")
    fig.subplots_adjust(left=0.02, right=0.72, top=0.92, bottom=0.08 + 0.018 * len(footer))
    if inspect is not None:
        inspect(fig)
    return _png_bytes(fig, dpi=dpi, tight=False)



def _png_bytes(fig, *, dpi: int = 150, tight: bool = True) -> bytes:
    """``fig`` as PNG bytes (in memory), then closed."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, **({"bbox_inches": "tight"} if tight else {}))
    plt.close(fig)
    return buf.getvalue()


def _chart_png(chart, *, lang: str) -> bytes:
    """Signals per month as PNG (see :func:`_chart_figure`)."""
    fig, _ax = _chart_figure(chart, lang=lang)
    return _png_bytes(fig)


def _chart_figure(chart, *, lang: str):
    """Signals per month as stacked bars in the screen chart's colours (``chart.colours``),
    the legend beside the plot so it never covers a bar; returns (figure, axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from cohesie.formatting import formatter

    fmt = formatter(lang)
    fig, ax = plt.subplots(figsize=(8.2, 2.9))
    if chart.empty:
        ax.text(0.5, 0.5, chart.empty_text, ha="center", va="center", fontsize=9)
        ax.set_axis_off()
    else:
        table = chart.table.fillna(0)
        bottom = np.zeros(len(table))
        x = np.arange(len(table))
        for category in chart.categories:
            ax.bar(x, table[category].to_numpy(), bottom=bottom, width=0.85, color=chart.colours[category],
                   label=category, linewidth=0)
            bottom += table[category].to_numpy()
        where = [chart.months.index(m) for m in chart.ticks]
        ax.set_xticks(where)
        ax.set_xticklabels(chart.ticks, rotation=0, fontsize=7)
        ax.set_xlim(-0.6, len(table) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.integer(v)))
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlabel(chart.x_title, fontsize=8)
        ax.set_ylabel(chart.y_title, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        # outside the axes, so it never covers a bar
        ax.legend(title=chart.legend_title, fontsize=7, title_fontsize=8, frameon=False, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(chart.title, fontsize=9, loc="left")
    return fig, ax


def _trend_png(trend, *, lang: str) -> bytes:
    """The Wijkfiche's trend as PNG (see :func:`_trend_figure`)."""
    fig, _ax = _trend_figure(trend, lang=lang)
    return _png_bytes(fig)


def _trend_figure(trend, *, lang: str):
    """The trend as the screen draws it: the wijk red and solid, the city black and dashed,
    hidden periods as gaps (NaN breaks the line), Belgian numbers on the axis; returns
    (figure, axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from cohesie.formatting import formatter

    fmt = formatter(lang)
    fig, ax = plt.subplots(figsize=(8.2, 2.6))
    x = np.arange(len(trend.periods))
    if trend.empty:
        ax.text(0.5, 0.5, "—", ha="center", va="center", fontsize=9)
        ax.set_axis_off()
    else:
        for label, colour, dash in zip(trend.series, ("#d62728", "#222222"), ("-", "--")):
            rows = trend.data[trend.data["reeks"] == label].set_index("periode")["waarde"].reindex(trend.periods)
            values = rows.to_numpy(dtype=float)
            ax.plot(x, values, color=colour, linestyle=dash, linewidth=2, marker="o", markersize=3.5, label=label)
        step = max(1, int(np.ceil(len(x) / 12)))
        ax.set_xticks(x[::step])
        ax.set_xticklabels(trend.periods[::step], fontsize=7)
        ax.set_xlim(-0.4, len(x) - 0.6)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=trend.decimals == 0))
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _pos: fmt.number(v, 0 if float(v).is_integer() else trend.decimals)))
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlabel(trend.x_title, fontsize=8)
        ax.set_ylabel(trend.y_title, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return fig, ax


def _wijk_map_png(sectors: gpd.GeoDataFrame, points: pd.DataFrame, *, lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cohesie.i18n import layer_label
    from cohesie.layers import LAYERS

    fig, ax = plt.subplots(figsize=(4, 4))
    sectors.plot(ax=ax, color="#fdd0a2", edgecolor="#555555", linewidth=0.6)
    for layer, group in points.groupby("layer"):
        ax.scatter(group["x"].astype(float), group["y"].astype(float), s=18, color=LAYERS[layer].colour,
                   edgecolor="white", linewidth=0.5, label=layer_label(layer, lang), zorder=3)
    if len(points):
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(0.0, -0.02), ncol=3, frameon=False)
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = sectors.total_bounds
    _scalebar(ax, max(maxx - minx, maxy - miny))
    return _png_bytes(fig)


def _pdf_table(frame: pd.DataFrame, widths, style, *, align_right=()):
    """A ReportLab table of display text (header row first), text escaped."""
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    right = style.clone("right", alignment=2)
    rows = [list(frame.columns)] + frame.astype(str).values.tolist()
    cells = [[Paragraph(xml_escape(str(v)), right if j in align_right and i else style) for j, v in enumerate(r)]
             for i, r in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


MAX_PDF_RECORDS = 40  # records listed per layer on a page; the rest is counted
MAX_PDF_SIDE_ROWS = 24  # comparison rows that fit beside the small map on the first page
MAX_PDF_PERIODS = 12  # the latest periods of the trend's table in the PDF (the CSV has all)


def _opvallend_story(fiche, heading, small, note) -> list:
    """The fiche's "Opvallend" block (issue 13) for the PDF: its sentence, the flagged rows of
    the wijk and its sectors (or, when none, the wijk's categories) and the reading; the same
    texts as the screen, suppression already applied by the view model."""
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph

    block = getattr(fiche, "opvallend", None)
    if block is None:
        return []
    out = [Paragraph(xml_escape(block.title), heading)]
    if block.error:
        return out + [Paragraph(xml_escape(block.error), small)]
    out.append(Paragraph(xml_escape(block.sentence), small))
    shown = block.rows if not block.rows.empty else block.tested
    if not shown.empty:
        out.append(_pdf_table(shown, [3.6 * cm, 2.8 * cm, 2.2 * cm, 1.8 * cm, 3.0 * cm, 4.6 * cm], small,
                              align_right=(2, 3)))
    out.append(Paragraph(xml_escape(" ".join([block.reading, *block.notes])), note))
    return out


def wijkfiche_pdf(fiches: list) -> bytes:
    """A PDF with one page per :class:`cohesie.wijkfiche.Wijkfiche`, drawn from the same view
    model as the screen: key figures against the city, the comparison table, a small map,
    signals per month (privacy applied), pleinmakers without an action and the records of
    every layer switched on. The fiche's export header (title, source, data date, filters) is
    printed at the foot of each page; every text and number comes from the fiche.
    """
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image, KeepTogether, PageBreak,
                                    PageTemplate, Paragraph, Spacer, Table)

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    note = styles["BodyText"].clone("note", fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    heading = styles["Heading4"].clone("layer", keepWithNext=1)
    buf = io.BytesIO()
    lines = max((len(f.header) for f in fiches), default=0)
    laid_out = {"fiche": fiches[0] if fiches else None}  # the fiche being laid out (its footer)

    class _Starts(Flowable):
        """Marks where a fiche starts, so each page's footer is that fiche's header."""

        def __init__(self, fiche):
            super().__init__()
            self.fiche = fiche

        def wrap(self, *_):
            return 0, 0

        def draw(self):
            laid_out["fiche"] = self.fiche

    def on_page_end(canvas, doc):
        fiche = laid_out["fiche"]
        if fiche is None:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        for i, line in enumerate(reversed(fiche.header)):
            canvas.drawString(1.5 * cm, 1.0 * cm + i * 9, line)
        canvas.drawRightString(A4[0] - 1.5 * cm, 1.0 * cm, fiche.labels["page"].format(n=doc.page))
        canvas.restoreState()

    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                          topMargin=1.5 * cm, bottomMargin=2.2 * cm + 9 * lines,
                          title=fiches[0].title if len(fiches) == 1 else "", author="Cohesiekaart")
    body = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="fiche", frames=[body], onPageEnd=on_page_end)])
    story = []
    for i, fiche in enumerate(fiches):
        if i:
            story.append(PageBreak())
        story.append(_Starts(fiche))
        story.append(Paragraph(xml_escape(fiche.title), styles["Title"]))
        for line in getattr(fiche, "context", []):  # inhabitants, the context figures' source and year
            story.append(Paragraph(xml_escape(line), note))
        if getattr(fiche, "context", None):
            story.append(Spacer(1, 0.15 * cm))
        figures = [[Paragraph(f"<b>{xml_escape(f.label)}</b><br/>{xml_escape(f.text)}"
                              + (f"<br/><font size=7>{xml_escape(f.delta_text)}</font>" if f.delta_text else "")
                              + (f"<br/><font size=7>{xml_escape(f.help)}</font>" if f.help else ""), small)
                    for f in fiche.figures]]
        story.append(Table(figures, colWidths=[18 * cm / max(1, len(fiche.figures))] * len(fiche.figures),
                           style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("BOX", (0, 0), (-1, -1), 0.3, colors.grey),
                                  ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.grey)]))
        story.append(Spacer(1, 0.3 * cm))
        map_png = _wijk_map_png(fiche.sectors, fiche.points, lang=fiche.lang)
        if len(fiche.comparison) <= MAX_PDF_SIDE_ROWS:
            comparison = _pdf_table(fiche.comparison.display(), [3.3 * cm, 1.8 * cm, 1.8 * cm, 1.6 * cm, 1.9 * cm],
                                    small, align_right=(1, 2, 3, 4))
            small_map = Image(io.BytesIO(map_png), width=7.3 * cm, height=7.8 * cm, kind="proportional")
            story.append(Table([[comparison, small_map]], colWidths=[10.4 * cm, 7.6 * cm],
                               style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
        else:  # a long table (many context figures) on its own, so it can run on to the next page
            story.append(_pdf_table(fiche.comparison.display(), [7.0 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 3.2 * cm],
                                    small, align_right=(1, 2, 3, 4)))
            story.append(Spacer(1, 0.2 * cm))
            story.append(Image(io.BytesIO(map_png), width=7.3 * cm, height=7.8 * cm, kind="proportional"))
        trend = getattr(fiche, "trend", None)
        if trend is not None and trend.table is not None and len(trend.table):
            block = [Paragraph(xml_escape(f"{trend.title}: {trend.y_title}"), heading)]
            if trend.change_year:
                block.append(Paragraph(xml_escape(f"{trend.change_label}: {trend.change_text or fiche.fmt.no_data}"
                                                  + (f" ({trend.change_pct_text})" if trend.change_pct_text else "")),
                                       small))
            block.append(Image(io.BytesIO(_trend_png(trend, lang=fiche.lang)), width=18 * cm, height=5.7 * cm,
                               kind="proportional"))
            story.append(KeepTogether(block))  # the heading never stays behind without its chart
            shown = trend.table.display()
            story.append(_pdf_table(shown.tail(MAX_PDF_PERIODS), [2.8 * cm, 3.0 * cm, 3.0 * cm, 2.6 * cm, 2.6 * cm],
                                    small, align_right=(1, 2, 3, 4)))
            if len(shown) > MAX_PDF_PERIODS:  # the CSV has every period
                story.append(Paragraph(xml_escape(fiche.labels["earlier"].format(
                    n=fiche.fmt.integer(len(shown) - MAX_PDF_PERIODS))), note))
            for line in [*([trend.note] if trend.note else []), *trend.context]:
                story.append(Paragraph(xml_escape(line), note))
        if fiche.signals is not None:
            story.append(Spacer(1, 0.3 * cm))
            story.append(Image(io.BytesIO(_chart_png(fiche.signals, lang=fiche.lang)), width=18 * cm,
                               height=6.4 * cm, kind="proportional"))
            if fiche.signals.note:
                story.append(Paragraph(xml_escape(fiche.signals.note), note))
        story.extend(_opvallend_story(fiche, heading, small, note))
        if fiche.late_text:
            story.append(Paragraph(xml_escape(fiche.late_text), small))
        for records in fiche.records:
            story.append(Paragraph(xml_escape(records.title), heading))
            if records.table.empty:
                story.append(Paragraph(xml_escape(fiche.labels["none"]), small))
                continue
            shown = records.table.display()
            shown = shown[[c for c in shown.columns][:5]]  # name, type, status, date, first extra
            story.append(_pdf_table(shown.head(MAX_PDF_RECORDS), [5.6 * cm, 3.4 * cm, 2.6 * cm, 2.4 * cm, 4.0 * cm][:len(shown.columns)],
                                    small))
            if len(shown) > MAX_PDF_RECORDS:
                story.append(Paragraph(xml_escape(fiche.labels["more"].format(
                    n=fiche.fmt.integer(len(shown) - MAX_PDF_RECORDS))), small))
    doc.build(story)
    return buf.getvalue()


def layer_bytes(frame: gpd.GeoDataFrame, *, fmt: str, layer_name: str) -> bytes:
    """A layer as GeoJSON (EPSG:4326) or GeoPackage (EPSG:31370) in memory."""
    import pyogrio

    buf = io.BytesIO()
    if fmt == "geojson":
        pyogrio.write_dataframe(frame.to_crs(4326), buf, driver="GeoJSON")
    elif fmt == "gpkg":
        pyogrio.write_dataframe(frame, buf, driver="GPKG", layer=layer_name)
    else:
        raise ValueError(fmt)
    return buf.getvalue()


def layer_export(frame: gpd.GeoDataFrame, *, fmt: str, layer_name: str, header_lines: list[str],
                 sep: str = ",", decimal: str = ".") -> bytes:
    """One layer as csv, xlsx, geojson (EPSG:4326) or gpkg (EPSG:31370), with title, source,
    data date and filters: as header lines in tables, as a ``metadata`` member in GeoJSON and
    as layer metadata in the GeoPackage (QGIS shows it under Properties). ``sep`` and
    ``decimal`` are those of the CSV (see :func:`table_csv`)."""
    import json

    from cohesie import spatial

    if fmt in ("csv", "xlsx"):
        lon, lat = spatial.to_display_lonlat(frame.geometry.x, frame.geometry.y)
        table = pd.DataFrame(frame.drop(columns="geometry"))
        table["lat"], table["lon"] = np.round(lat, 6), np.round(lon, 6)
        if fmt == "csv":
            return table_csv(table, header_lines=header_lines, sep=sep, decimal=decimal)
        return table_xlsx(table, header_lines=header_lines, sheet=layer_name)
    if fmt == "geojson":
        data = json.loads(layer_bytes(frame, fmt="geojson", layer_name=layer_name))
        data["metadata"] = {"title": header_lines[0] if header_lines else layer_name,
                            "lines": header_lines}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    if fmt == "gpkg":
        import pyogrio

        buf = io.BytesIO()
        meta = {"TITLE": header_lines[0] if header_lines else layer_name,
                "DESCRIPTION": "\n".join(header_lines)}
        pyogrio.write_dataframe(frame, buf, driver="GPKG", layer=layer_name, layer_metadata=meta)
        return buf.getvalue()
    raise ValueError(f"onbekend formaat {fmt}")


# -- Vergelijken (issue 12 item 1) ------------------------------------------------------------
def comparison_xlsx(view) -> bytes:
    """The :class:`cohesie.comparison.Comparison` as XLSX: its export header (title, source,
    data date, filters) above the table, every value a numeric cell rounded as the screen
    shows it (a hidden signal count as its text "< 5"/"verborgen"), ranks and the number of
    areas ranked as whole numbers, the city last; the notes below."""
    frame = view.export_frame()
    notes = pd.DataFrame({frame.columns[0]: ["", *view.notes]}) if view.notes else None
    if notes is not None:
        frame = pd.concat([frame, notes], ignore_index=True)
    return table_xlsx(frame, sheet="vergelijking", header_lines=list(view.header))


def _comparison_maps_png(view) -> bytes:
    """The small maps side by side in their shared class colours, with the legend below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    n = max(1, len(view.maps))
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3.4), squeeze=False)
    for ax, small in zip(axes[0], view.maps):
        if len(small.sectors):
            small.sectors.plot(ax=ax, color=list(small.sectors["kleur"]), edgecolor="#444444", linewidth=0.4)
            minx, miny, maxx, maxy = small.sectors.total_bounds
            _scalebar(ax, max(maxx - minx, maxy - miny))
        ax.set_title(small.title, fontsize=9)
        ax.set_axis_off()
        ax.set_aspect("equal")
    handles = [Patch(facecolor=colour, edgecolor="#777777", label=text) for colour, text in view.legend]
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=7, frameon=False,
                   title=view.options.get(view.indicator, ""), title_fontsize=8, bbox_to_anchor=(0.5, -0.02))
    return _png_bytes(fig)


def _comparison_trend_png(trend, *, lang: str) -> bytes:
    """The trend lines as on the screen: one colour per area, the city black and dashed,
    hidden years as gaps, Belgian numbers on the axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from cohesie.formatting import formatter

    fmt = formatter(lang)
    fig, ax = plt.subplots(figsize=(9.5, 3.0))
    x = {p: i for i, p in enumerate(trend.periods)}
    for label, colour in zip(trend.series, trend.colours):
        rows = trend.data[trend.data["reeks"] == label]
        ax.plot([x[p] for p in rows["periode"]], rows["waarde"].to_numpy(dtype=float), color=colour,
                linestyle="--" if label == trend.city_series else "-", marker="o", markersize=3, linewidth=1.8,
                label=label)
    ax.set_xticks(range(len(trend.periods)))
    ax.set_xticklabels(trend.periods, fontsize=7)
    ax.set_ylim(bottom=0)
    # whole ticks without decimals (1.000, not 1.000,0), as the screen's axis trims them
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _pos: fmt.number(v, 0 if float(v).is_integer() else trend.decimals)))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(trend.x_title, fontsize=8)
    ax.set_ylabel(trend.y_title, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(trend.title, fontsize=9, loc="left")
    return _png_bytes(fig)


def comparison_pdf(view) -> bytes:
    """The :class:`cohesie.comparison.Comparison` as a landscape A4 PDF: the export header
    (title, source, data date, filters), the table of values, ranks and the city, its notes,
    the small maps in their shared classes and the trend chart; every text and number comes
    from the view model."""
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("cmp_small", fontSize=7.5, leading=9)
    note = styles["BodyText"].clone("cmp_note", fontSize=7.5, leading=9, textColor=colors.HexColor("#555555"))
    buf = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buf, pagesize=page, leftMargin=1.2 * cm, rightMargin=1.2 * cm, topMargin=1.2 * cm,
                            bottomMargin=1.2 * cm, title=view.title, author="Cohesiekaart")
    story = [Paragraph(xml_escape(view.title), styles["Title"])]
    story += [Paragraph(xml_escape(line), note) for line in view.header[1:]]
    story.append(Spacer(1, 0.3 * cm))
    shown = view.table.display()
    width = page[0] - 2.4 * cm
    first = 6.0 * cm
    rest = (width - first) / max(1, len(shown.columns) - 1)
    story.append(_pdf_table(shown, [first] + [rest] * (len(shown.columns) - 1), small,
                            align_right=tuple(range(1, len(shown.columns)))))
    story += [Paragraph(xml_escape(text), note) for text in view.notes]
    if view.maps:
        story.append(Spacer(1, 0.3 * cm))
        story.append(Paragraph(xml_escape(view.map_title), styles["Heading4"].clone("cmp_h", keepWithNext=1)))
        story.append(Image(io.BytesIO(_comparison_maps_png(view)), width=width, height=7.5 * cm, kind="proportional"))
    if view.trend is not None and not view.trend.empty:
        story.append(Spacer(1, 0.3 * cm))
        story.append(Image(io.BytesIO(_comparison_trend_png(view.trend, lang=view.lang)), width=width,
                           height=7.0 * cm, kind="proportional"))
        if view.trend.note:
            story.append(Paragraph(xml_escape(view.trend.note), note))
    doc.build(story)
    return buf.getvalue()
