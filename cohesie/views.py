"""Pure helpers that turn a dataset and the user's filters into what a page shows."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import areas, indicators, spatial
from cohesie.classify import HIDDEN_COLOUR, classify
from cohesie.indicators import Filters
from cohesie.layers import LAYERS


def geometry_key(sectors: gpd.GeoDataFrame) -> str:
    """A short hash of sector codes, wijken and shapes: names the display files."""
    h = hashlib.sha1()
    h.update("|".join(sectors["code"]).encode())
    h.update("|".join(sectors["wijk_code"].astype(str)).encode())
    h.update("|".join(sectors["wijk_naam"].astype(str)).encode())
    h.update(b"".join(shapely.to_wkb(sectors.geometry.values)))
    return h.hexdigest()[:16]


def display_layers(sectors: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> dict[str, str]:
    """Display GeoJSON of sectors and wijken (``code``, ``label``, ``wijk`` properties)."""
    from cohesie.text import escape

    s = sectors.assign(label=[escape(f"{n} ({c})") for n, c in zip(sectors["naam"], sectors["code"])],
                       wijk=sectors["wijk_code"])
    w = wijken.assign(label=[escape(n) for n in wijken["naam"]], wijk=wijken["code"])
    return {"sector": spatial.display_geojson(s, ["code", "label", "wijk"]),
            "wijk": spatial.display_geojson(w, ["code", "label", "wijk"])}


def bounds_latlon(sectors: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = sectors.to_crs(4326).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def format_value(value, column: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "geen gegevens"
    if column in ("inwoners", *LAYERS, "zorgsignalen"):
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def choropleth(table: pd.DataFrame, *, indicator: str, method: str, k: int = 5, labels: dict | None = None):
    """Colours and tooltip texts per area code, and the legend rows."""
    classes = classify(table[indicator], method=method, k=k)
    label = (labels or indicators.indicator_catalogue()).get(indicator, indicator)
    styles = {code: (colour, f"{naam}: {label} {format_value(val, indicator)}")
              for code, naam, val, colour in zip(table["code"], table["naam"], table[indicator],
                                                 classes.value_colours)}
    return styles, classes


def points_for_map(points: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Located records to draw as individual points: filtered, never signals.

    Signals (100,000s, and care signals that must stay aggregated) are drawn per area instead.
    """
    shown = indicators.filter_points(points, filters)
    shown = shown[(shown["layer"] != "signalen") & shown["x"].notna()]
    lon, lat = spatial.to_display_lonlat(shown["x"], shown["y"])
    return shown.assign(lon=lon, lat=lat)[["layer", "id", "naam", "type", "status", "lat", "lon"]]


def signal_circles(points: pd.DataFrame | None, sectors: gpd.GeoDataFrame, area_frame: gpd.GeoDataFrame,
                   filters: Filters, *, level: str, counts: pd.DataFrame | None = None,
                   centroids: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counted signals per area at its representative point (``lat, lon, naam, signalen``).

    ``counts`` is :func:`cohesie.indicators.area_counts` for ``level`` and ``filters`` when
    already computed (its ``signalen`` column is used; ``points`` is then unused);
    ``centroids`` is :func:`cohesie.spatial.centroids_lonlat` of ``area_frame``.
    """
    if "signalen" not in filters.layers:
        return pd.DataFrame(columns=["lat", "lon", "naam", "signalen"])
    if counts is not None:
        counts = counts["signalen"][counts["signalen"] > 0]
    else:
        sig = indicators.filter_points(points, Filters(start=filters.start, end=filters.end,
                                                       layers=("signalen",), types=filters.types,
                                                       statuses=filters.statuses, wijken=filters.wijken))
        counts = indicators.area_codes_of_points(sig, sectors, level).value_counts()
    frame = area_frame[area_frame["code"].isin(counts.index)]
    if frame.empty:
        return pd.DataFrame(columns=["lat", "lon", "naam", "signalen"])
    where = spatial.centroids_lonlat(frame) if centroids is None else centroids.loc[frame.index]
    return pd.DataFrame({"code": frame["code"].to_numpy(), "lat": where["lat"].to_numpy(),
                         "lon": where["lon"].to_numpy(), "naam": frame["naam"].to_numpy(),
                         "signalen": frame["code"].map(counts).to_numpy()})


def sector_at(lat: float, lon: float, sectors: gpd.GeoDataFrame) -> pd.Series | None:
    """The sector containing a clicked point, or None."""
    x, y = spatial.to_analysis_xy([lon], [lat], crs=4326)
    code = spatial.sector_of_points(x, y, sectors)[0]
    if code is None:
        return None
    return sectors[sectors["code"] == code].iloc[0]


def records_in_wijk(points: pd.DataFrame, layer: str, wijk_code: str, filters: Filters) -> pd.DataFrame:
    """Counted records of ``layer`` in a wijk as a table for pages."""
    f = Filters(start=filters.start, end=filters.end, layers=(layer,), types=filters.types,
                statuses=filters.statuses, wijken=(wijk_code,))
    rec = indicators.filter_points(points, f)
    cols = ["naam", "type", "status", "datum", *LAYERS[layer].extra]
    out = rec[[c for c in cols if c in rec.columns]].copy()
    for c in ("datum", "einddatum"):
        if c in out:
            out[c] = out[c].dt.date
    return out.sort_values("datum", ascending=False, na_position="last").reset_index(drop=True)


def wijk_options(sectors: pd.DataFrame) -> dict[str, str]:
    """``{wijk code: "naam (code)"}`` sorted by name."""
    w = sectors.drop_duplicates("wijk_code").sort_values("wijk_naam")
    return {c: f"{n} ({c})" for c, n in zip(w["wijk_code"], w["wijk_naam"])}


def compare_with_city(row: pd.Series, city: pd.Series, columns: list[str],
                      labels: dict | None = None) -> pd.DataFrame:
    """Wijk value, city value and the ratio for each indicator column."""
    labels = labels or indicators.indicator_catalogue()
    out = pd.DataFrame({"indicator": [labels.get(c, c) for c in columns],
                        "wijk": [row[c] for c in columns], "stad": [city[c] for c in columns]})
    out["verhouding"] = (out["wijk"] / out["stad"].replace(0, np.nan)).round(2)
    return out


def area_frames(sectors: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    return {level: areas.area_table(sectors, level) for level in areas.LEVELS}


def view_of(sectors: gpd.GeoDataFrame) -> dict:
    """Centre (lat, lon) and a Leaflet zoom level that fits ``sectors`` in about 900 px."""
    minx, miny, maxx, maxy = sectors.total_bounds
    extent = max(maxx - minx, maxy - miny, 200.0)
    # metres per pixel at zoom z (at ~51° N): 156543 * cos(51°) / 2**z
    zoom = int(np.clip(np.floor(np.log2(156543 * 0.63 * 700 / extent)), 8, 17))
    lon, lat = spatial.to_display_lonlat([(minx + maxx) / 2], [(miny + maxy) / 2])
    return {"center": [float(lat[0]), float(lon[0])], "zoom": zoom}


SIGNAL_COUNTS = {"signalen": ("signalen_per_1000", "signalen_per_km2"), "zorgsignalen": ()}
PARENT_LEVEL = {"sector": "wijk", "wijk": "gemeente", "deelgemeente": "gemeente", "gemeente": None}


def protect_signals(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str,
                    admin: bool = False) -> tuple[pd.DataFrame, int]:
    """Signal counts of 1-4 as "< 5" (complementary cells "verborgen"), rates on them hidden.

    For everyone but admins (``admin=True`` returns ``table`` as it is). Each area's parent
    total (its wijk for sectors, the city for wijken and deelgemeenten) counts as published, so
    suppression is completed per parent. Returns the table for display (counts as text) and the
    number of hidden cells.
    """
    from cohesie import privacy

    if admin:
        return table, 0
    out = table.copy()
    parent = None
    if PARENT_LEVEL.get(level) == "wijk":
        parent = out["code"].map(sectors.drop_duplicates("code").set_index("code")["wijk_code"]).to_numpy()
    hidden_cells = 0
    for count_col, rate_cols in SIGNAL_COUNTS.items():
        if count_col not in out:
            continue
        primary, comp = privacy.suppress_counts(out[count_col].astype(float),
                                                parent=None if parent is None else pd.Series(parent, index=out.index))
        hidden = primary | comp
        hidden_cells += int(hidden.sum())
        out[count_col] = privacy.display(out[count_col], primary, comp)
        for rate in rate_cols:
            if rate in out:
                out[rate] = out[rate].astype(object).where(~hidden, None)
    return out, hidden_cells


def protect_month_table(per_month: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Signals per month × category with cells of 1-4 (and their complements) removed (NaN)."""
    from cohesie import privacy

    if per_month.empty:
        return per_month, 0
    primary, comp = privacy.suppress_table(per_month)
    hidden = primary | comp
    return per_month.mask(hidden), int(hidden.to_numpy().sum())


def wijkfiche_page(data, wijk: str, table: pd.DataFrame, city: pd.Series, filters: Filters, *,
                   admin: bool, radius: float = 300, per_month=None) -> dict:
    """What one PDF page of the Wijkfiche shows (see :func:`cohesie.exports.wijkfiche_pdf`).

    ``per_month(filters)``, when given, returns signals per month and category (e.g. counted
    in the database); otherwise they are counted in ``data.points``.
    """
    from dataclasses import replace

    shown, _ = protect_signals(table, data.sectors, level="wijk", admin=admin)
    row, shown_row = table.set_index("code").loc[wijk], shown.set_index("code").loc[wijk]
    labels = indicators.catalogue_with_coverage(radius)
    columns = ["inwoners", "inwoners_per_km2", *LAYERS, *[f"{k}_per_1000" for k in LAYERS],
               *[c for c in table.columns if c.startswith("dekking_")]]
    figures = pd.DataFrame({
        "indicator": [labels.get(c, c) for c in columns],
        "wijk": [str(shown_row[c]) if c in ("signalen", "zorgsignalen") else format_value(shown_row[c], c)
                 for c in columns],
        "stad": [format_value(city.get(c), c) for c in columns]})
    in_wijk = replace(filters, wijken=(wijk,))
    per_month = (indicators.signals_per_month(data.points, in_wijk) if per_month is None
                 else per_month(in_wijk))
    if not admin:
        per_month, _ = protect_month_table(per_month)
        per_month = per_month.dropna(how="all")
    records = indicators.filter_points(data.points, replace(in_wijk, layers=tuple(k for k in LAYERS if k != "signalen")))
    located = records[records["x"].notna() & records["layer"].isin(filters.layers)]
    records = records.assign(laag=records["layer"].map({k: v.label for k, v in LAYERS.items()}))
    return {"naam": row["naam"], "figures": figures,
            "sectors": data.sectors[data.sectors["wijk_code"] == wijk],
            "points": located[["layer", "x", "y"]], "per_month": per_month,
            "records": records.sort_values(["laag", "naam"])[["laag", "naam", "type", "status"]]}


SIGNAL_INDICATORS = ("signalen", "signalen_per_1000", "signalen_per_km2")


def hidden_signal_areas(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str) -> tuple[pd.Series, dict]:
    """Areas whose signal count is suppressed for non-admins, and the text shown per area."""
    display, _ = protect_signals(table, sectors, level=level)
    hidden = display["signalen"].astype(str) != table["signalen"].astype(str)
    return pd.Series(hidden.to_numpy(), index=table["code"]), dict(zip(table["code"], display["signalen"].astype(str)))


def hide_suppressed_areas(styles: dict, table: pd.DataFrame, hidden: pd.Series, shown: dict, *,
                          label: str) -> dict:
    """``styles`` with the areas in ``hidden`` drawn in :data:`HIDDEN_COLOUR` and their tooltip
    showing the suppressed text ("< 5") instead of a rate built on it."""
    names = dict(zip(table["code"], table["naam"]))
    out = dict(styles)
    for code in hidden[hidden].index:
        out[code] = (HIDDEN_COLOUR, f"{names[code]}: {label} {shown[code]}")
    return out


def flag_pleinmakers(points_shown: pd.DataFrame, points: pd.DataFrame, acties: pd.DataFrame, *, year: int,
                     note: str) -> pd.DataFrame:
    """Add ``opmerking_kaart`` = ``note`` to active pleinmakers without an action in ``year``."""
    late = set(indicators.pleinmakers_without_action(points, acties, year=year)["id"])
    flagged = points_shown["id"].isin(late) & (points_shown["layer"] == "pleinmakers")
    return points_shown.assign(opmerking_kaart=np.where(flagged, note, ""))
