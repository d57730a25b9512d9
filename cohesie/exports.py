"""Exports made in memory (bytes): map PNG and Wijkfiche PDF drawn without a browser or
internet, and tables as CSV/XLSX with spreadsheet formula injection neutralised.

Every export carries its title, data source, data date and the active filters. Writing files
to disk is left to :mod:`cohesie.storage`.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie.classify import HIDDEN_COLOUR, classify

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
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


def map_png(areas: gpd.GeoDataFrame, values: pd.Series, *, title: str, legend_title: str,
            footer: list[str], method: str = "quantiles", outline: gpd.GeoDataFrame | None = None,
            hidden: pd.Series | None = None, dpi: int = 150) -> bytes:
    """The choropleth as PNG with the same classes and colours as on screen.

    Parameters
    ----------
    areas : GeoDataFrame
        Areas in EPSG:31370 (same order as ``values``).
    values : Series
        Indicator value per area.
    footer : list of str
        Source, data date and active filters, printed under the map.
    outline : GeoDataFrame, optional
        Borders drawn on top (e.g. wijken).
    hidden : Series of bool, optional
        Areas whose value is suppressed: hatched and listed in the legend.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    classes = classify(values.reset_index(drop=True), method=method)
    colours = classes.value_colours.to_numpy()
    fig, ax = plt.subplots(figsize=(10, 8.5))
    frame = areas.reset_index(drop=True)
    frame.plot(ax=ax, color=colours, edgecolor="#666666", linewidth=0.4)
    legend = [Patch(facecolor=c, edgecolor="#777777", label=t) for c, t in classes.legend()]
    if hidden is not None and hidden.any():
        frame[hidden.reset_index(drop=True).to_numpy()].plot(ax=ax, facecolor=HIDDEN_COLOUR, edgecolor="#666666",
                                                            hatch="///", linewidth=0.4)
        legend.append(Patch(facecolor=HIDDEN_COLOUR, hatch="///", edgecolor="#777777", label="verborgen (< 5)"))
    if outline is not None:
        outline.boundary.plot(ax=ax, color="#222222", linewidth=1.3)
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = frame.total_bounds
    _scalebar(ax, max(maxx - minx, maxy - miny))
    ax.legend(handles=legend, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, fontsize=9, title_fontsize=10)
    ax.set_title(title, fontsize=15, loc="left", fontweight="bold")
    fig.text(0.02, 0.015, "\n".join(footer), fontsize=8, va="bottom", ha="left", color="#333333")
    fig.subplots_adjust(left=0.02, right=0.75, top=0.92, bottom=0.08 + 0.018 * len(footer))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def _chart_png(per_month: pd.DataFrame, *, title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.6))
    if per_month.empty:
        ax.text(0.5, 0.5, "Geen signalen in deze periode", ha="center", va="center")
        ax.set_axis_off()
    else:
        per_month.index = [d.strftime("%m/%y") for d in per_month.index]
        per_month.plot(kind="bar", stacked=True, ax=ax, width=0.85, legend=True)
        ax.legend(fontsize=7, ncol=3, frameon=False)
        step = max(1, len(per_month) // 12)
        ax.set_xticks(range(0, len(per_month), step))
        ax.set_xticklabels(per_month.index[::step], rotation=0, fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
    ax.set_title(title, fontsize=9, loc="left")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def _wijk_map_png(sectors: gpd.GeoDataFrame, points: pd.DataFrame) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cohesie.layers import LAYERS

    fig, ax = plt.subplots(figsize=(4, 4))
    sectors.plot(ax=ax, color="#fdd0a2", edgecolor="#555555", linewidth=0.6)
    for layer, group in points.groupby("layer"):
        ax.scatter(group["x"], group["y"], s=18, color=LAYERS[layer].colour, edgecolor="white",
                   linewidth=0.5, label=LAYERS[layer].label, zorder=3)
    if len(points):
        ax.legend(fontsize=6, loc="lower right", frameon=True)
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = sectors.total_bounds
    _scalebar(ax, max(maxx - minx, maxy - miny))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def wijkfiche_pdf(pages: list[dict], *, title: str, footer: list[str]) -> bytes:
    """A PDF with one page per wijk.

    Each item of ``pages`` has: ``naam`` (wijk name), ``figures`` (DataFrame with columns
    indicator, wijk, stad as display text), ``sectors`` (GeoDataFrame of the wijk, EPSG:31370),
    ``points`` (DataFrame layer, x, y), ``per_month`` (DataFrame of signals per month and
    category, hidden cells already removed) and ``records`` (DataFrame naam, type, status, laag).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)
    from xml.sax.saxutils import escape as xml_escape

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buf = io.BytesIO()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        for i, line in enumerate(reversed(footer)):
            canvas.drawString(1.5 * cm, 1.0 * cm + i * 9, line)
        canvas.drawRightString(A4[0] - 1.5 * cm, 1.0 * cm, f"pagina {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=1.5 * cm, bottomMargin=2.2 * cm + 9 * len(footer),
                            title=title, author="Cohesiekaart")
    story = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(xml_escape(f"{title}: {page['naam']}"), styles["Title"]))
        fig_rows = [["Indicator", "Wijk", "Stad"]] + page["figures"][["indicator", "wijk", "stad"]].astype(str).values.tolist()
        figures = Table([[Paragraph(xml_escape(c), small) for c in r] for r in fig_rows],
                        colWidths=[5.2 * cm, 2.3 * cm, 2.3 * cm])
        figures.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                     ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
        small_map = Image(io.BytesIO(_wijk_map_png(page["sectors"], page["points"])), width=7.5 * cm, height=7.5 * cm)
        story.append(Table([[figures, small_map]], colWidths=[10.2 * cm, 7.8 * cm],
                           style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(Spacer(1, 0.3 * cm))
        story.append(Image(io.BytesIO(_chart_png(page["per_month"].copy(), title="Signalen per maand")),
                           width=17.5 * cm, height=6.5 * cm))
        records = page["records"]
        story.append(Paragraph(f"Projecten, pleinmakers, meubilair en actoren ({len(records)})", styles["Heading3"]))
        if len(records):
            rows = [["Laag", "Naam", "Type", "Status"]] + records[["laag", "naam", "type", "status"]].fillna("").astype(str).values.tolist()[:40]
            t = Table([[Paragraph(xml_escape(c), small) for c in r] for r in rows],
                      colWidths=[2.6 * cm, 7.4 * cm, 4.2 * cm, 3.3 * cm], repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
            story.append(t)
            if len(records) > 40:
                story.append(Paragraph(f"… en nog {len(records) - 40}", small))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
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
