"""Pure helpers that turn a dataset and the user's filters into what a page shows."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import areas, indicators, spatial
from cohesie.classify import classify
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


def choropleth(table: pd.DataFrame, *, indicator: str, method: str, k: int = 5):
    """Colours and tooltip texts per area code, and the legend rows."""
    classes = classify(table[indicator], method=method, k=k)
    label = indicators.indicator_catalogue().get(indicator, indicator)
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


def signal_circles(points: pd.DataFrame, sectors: gpd.GeoDataFrame, area_frame: gpd.GeoDataFrame,
                   filters: Filters, *, level: str) -> pd.DataFrame:
    """Counted signals per area at its representative point (``lat, lon, naam, signalen``)."""
    if "signalen" not in filters.layers:
        return pd.DataFrame(columns=["lat", "lon", "naam", "signalen"])
    sig = indicators.filter_points(points, Filters(start=filters.start, end=filters.end,
                                                   layers=("signalen",), types=filters.types,
                                                   statuses=filters.statuses, wijken=filters.wijken))
    counts = indicators.area_codes_of_points(sig, sectors, level).value_counts()
    frame = area_frame[area_frame["code"].isin(counts.index)]
    if frame.empty:
        return pd.DataFrame(columns=["lat", "lon", "naam", "signalen"])
    where = spatial.centroids_lonlat(frame)
    return pd.DataFrame({"lat": where["lat"].to_numpy(), "lon": where["lon"].to_numpy(),
                         "naam": frame["naam"].to_numpy(),
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


def compare_with_city(row: pd.Series, city: pd.Series, columns: list[str]) -> pd.DataFrame:
    """Wijk value, city value and the ratio for each indicator column."""
    out = pd.DataFrame({"indicator": [indicators.indicator_catalogue().get(c, c) for c in columns],
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
