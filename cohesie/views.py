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


def sectors_digest(sectors: gpd.GeoDataFrame, columns, *, extra: bytes = b"") -> str:
    """A hash of ``columns`` (names and values, in order) and the shapes (WKB) of ``sectors``:
    names files derived from exactly these."""
    h = hashlib.sha1()
    for column in dict.fromkeys(columns):
        h.update(column.encode() + b"\x1f" + "\x1e".join(map(str, sectors[column].tolist())).encode())
    h.update(extra)
    h.update(b"".join(shapely.to_wkb(sectors.geometry.values)))
    return h.hexdigest()


#: the levels drawn from display files (:func:`display_layers`)
DISPLAY_LEVELS = ("sector", "wijk")


def geometry_key(sectors: gpd.GeoDataFrame) -> str:
    """A short hash of sector codes, wijken and shapes: names the display files."""
    return sectors_digest(sectors, ["code", "wijk_code", "wijk_naam"])[:16]


def display_layers(sectors: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> dict[str, str]:
    """Display GeoJSON of sectors and wijken (``code``, ``label``, ``wijk`` properties)."""
    from cohesie.text import escape

    s = sectors.assign(label=[escape(f"{n} ({c})") for n, c in zip(sectors["naam"], sectors["code"])],
                       wijk=sectors["wijk_code"])
    w = wijken.assign(label=[escape(n) for n in wijken["naam"]], wijk=wijken["code"])
    return {"sector": spatial.display_geojson(s, ["code", "label", "wijk"]),
            "wijk": spatial.display_geojson(w, ["code", "label", "wijk"])}


def display_files(store, sectors: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> dict[str, str]:
    """The names of the display files (:func:`display_layers`) of these sectors and wijken in
    ``store``, written when it has none for their :func:`geometry_key` (once per geometry)."""
    key = geometry_key(sectors)
    names = {level: f"{level}_{key}.geojson" for level in DISPLAY_LEVELS}
    if not all(store.has_display_file(name) for name in names.values()):
        for level, content in display_layers(sectors, wijken).items():
            store.write_display_file(names[level], content)
    return names


def bounds_latlon(sectors: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = sectors.to_crs(4326).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def choropleth(table: pd.DataFrame, *, indicator: str, method: str, k: int = 5, labels: dict | None = None,
               lang: str = "nl"):
    """Colours and tooltip texts per area code (values through the one formatter), and the classes."""
    from cohesie.formatting import formatter

    f = formatter(lang)
    classes = classify(table[indicator], method=method, k=k)
    label = (labels or indicators.indicator_catalogue(lang)).get(indicator, indicator)
    styles = {code: (colour, f"{naam}: {label} {f.value(val, indicator)}")
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
    codes = area_frame["code"]
    keep = np.flatnonzero(codes.isin(counts.index).to_numpy())
    if not len(keep):
        return pd.DataFrame(columns=["lat", "lon", "naam", "signalen"])
    # by position from the columns' arrays (a boolean selection of the GeoDataFrame copies its shapes)
    where = (spatial.centroids_lonlat(area_frame.iloc[keep]) if centroids is None
             else centroids.loc[area_frame.index[keep]])
    shown = codes.iloc[keep]
    return pd.DataFrame({"code": shown.to_numpy(), "lat": where["lat"].to_numpy(),
                         "lon": where["lon"].to_numpy(), "naam": area_frame["naam"].to_numpy()[keep],
                         "signalen": shown.map(counts).to_numpy()})


def sector_at(lat: float, lon: float, sectors: gpd.GeoDataFrame) -> pd.Series | None:
    """The sector containing a clicked point, or None."""
    x, y = spatial.to_analysis_xy([lon], [lat], crs=4326)
    code = spatial.sector_of_points(x, y, sectors)[0]
    if code is None:
        return None
    return sectors[sectors["code"] == code].iloc[0]


def wijk_of_sectors(sectors: pd.DataFrame) -> pd.Series:
    """Each sector's wijk code (index: sector code; the first row of a repeated code), from the
    two columns alone (not a copy of the shapes)."""
    # from the two columns' arrays: selecting columns of a GeoDataFrame copies more than this needs
    out = pd.Series(sectors["wijk_code"].to_numpy(), index=pd.Index(sectors["code"], name="code"),
                    name="wijk_code", dtype=sectors["wijk_code"].dtype)
    return out[~out.index.duplicated()]


def wijk_options(sectors: pd.DataFrame) -> dict[str, str]:
    """``{wijk code: "naam (code)"}`` sorted by name."""
    w = sectors.drop_duplicates("wijk_code").sort_values("wijk_naam")
    return {c: f"{n} ({c})" for c, n in zip(w["wijk_code"], w["wijk_naam"])}


def area_frames(sectors: gpd.GeoDataFrame, store=None) -> dict[str, gpd.GeoDataFrame]:
    """:func:`cohesie.areas.area_table` of every level. With ``store``, the dissolved levels are
    read from the arrays it persisted for these sectors (their codes, names, population and
    shapes, see :func:`_frames_key`), or computed and persisted: dissolving Flanders' 9,562
    sectors into wijken, deelgemeenten and gemeenten costs seconds at every server start."""
    if store is None:
        return {level: areas.area_table(sectors, level) for level in areas.LEVELS}
    key = _frames_key(sectors)
    found = store.read_arrays("areas", key)
    frames = _frames_of_arrays(found, sectors) if found is not None else None
    if frames is None:
        frames = {level: areas.area_table(sectors, level) for level in areas.LEVELS if level != "sector"}
        persisted = _frames_to_arrays(frames)
        if persisted is not None:  # else computed again at the next start
            store.write_arrays("areas", key, *persisted)
    return {"sector": areas.area_table(sectors, "sector"), **frames}


_FRAME_NUMBERS = ("inwoners", "sectoren_zonder_bevolking")


def _frames_key(sectors: gpd.GeoDataFrame) -> str:
    """A hash of everything :func:`cohesie.areas.area_table` reads from the sectors."""
    columns = ["code", "inwoners", *areas.LEVEL_CODE.values(), *areas.LEVEL_NAME.values()]
    return sectors_digest(sectors, columns, extra=str(sectors.crs).encode())[:20]


def _frames_to_arrays(frames: dict) -> tuple[dict, dict] | None:
    arrays, extra = {}, {"levels": list(frames), "dtypes": {}}
    for level, frame in frames.items():
        wkb = shapely.to_wkb(frame.geometry.values)
        arrays[f"{level}.wkb"] = np.frombuffer(b"".join(wkb), dtype=np.uint8)
        arrays[f"{level}.wkb_end"] = np.cumsum([len(b) for b in wkb], dtype=np.int64)
        for column in _FRAME_NUMBERS:
            arrays[f"{level}.{column}"] = frame[column].to_numpy()
            if arrays[f"{level}.{column}"].dtype == object:  # e.g. a nullable column with gaps
                return None
            extra["dtypes"][f"{level}.{column}"] = str(frame[column].dtype)
        extra[f"{level}.code"] = frame["code"].astype(str).tolist()
        extra[f"{level}.naam"] = [None if pd.isna(v) else str(v) for v in frame["naam"]]
    return arrays, extra


def _frames_of_arrays(found: tuple[dict, dict], sectors: gpd.GeoDataFrame) -> dict | None:
    """The frames of :func:`_frames_to_arrays`, or None when anything does not fit."""
    arrays, extra = found
    try:
        frames = {}
        for level in (lv for lv in areas.LEVELS if lv != "sector"):
            codes, names = extra[f"{level}.code"], extra[f"{level}.naam"]
            ends, blob = arrays[f"{level}.wkb_end"], arrays[f"{level}.wkb"].tobytes()
            if not (len(codes) == len(names) == len(ends)) or (len(ends) and ends[-1] != len(blob)):
                return None
            starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
            shapes = shapely.from_wkb([blob[a:b] for a, b in zip(starts, ends)])
            out = pd.DataFrame({"code": pd.Series(codes, dtype=str),
                                "naam": pd.Series(names, dtype=sectors[areas.LEVEL_NAME[level]].dtype)})
            for column in _FRAME_NUMBERS:
                values = arrays[f"{level}.{column}"]
                if len(values) != len(codes):
                    return None
                out[column] = pd.Series(values).astype(extra["dtypes"][f"{level}.{column}"])
            frame = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(shapes, crs=sectors.crs), crs=sectors.crs)
            frame["oppervlakte_km2"] = frame.geometry.area / 1e6
            frames[level] = frame[["code", "naam", "inwoners", "sectoren_zonder_bevolking", "geometry",
                                   "oppervlakte_km2"]]
        return frames
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        return None


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
    if admin:
        return table, 0
    out = table.copy()
    parent = _parents(out, sectors, level=level)
    hidden_cells = 0
    for count_col, rate_cols in SIGNAL_COUNTS.items():
        if count_col not in out:
            continue
        shown, hidden = _suppressed(out[count_col], parent)
        hidden_cells += int(hidden.sum())
        out[count_col] = shown
        for rate in rate_cols:
            if rate in out:
                out[rate] = out[rate].astype(object).where(~hidden, None)
    return out, hidden_cells


def _parents(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str) -> pd.Series | None:
    """Each row's published parent total for suppression: its wijk for sectors, else None (the
    city is the parent)."""
    if PARENT_LEVEL.get(level) != "wijk":
        return None
    return pd.Series(table["code"].map(wijk_of_sectors(sectors)).to_numpy(), index=table.index)


def _suppressed(counts: pd.Series, parent: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """``counts`` as displayed ("< 5", "verborgen") and which of them are hidden."""
    from cohesie import privacy

    primary, comp = privacy.suppress_counts(counts.astype(float), parent=parent)
    return privacy.display(counts, primary, comp), primary | comp


SIGNAL_INDICATORS = ("signalen", "signalen_per_1000", "signalen_per_km2")


def hidden_signal_areas(table: pd.DataFrame, sectors: pd.DataFrame, *, level: str) -> tuple[pd.Series, dict]:
    """Areas whose signal count is suppressed for non-admins, and the text shown per area (the
    "signalen" column of :func:`protect_signals` alone: each count column is suppressed on its
    own, so the table is neither copied nor its other columns suppressed on every rerun)."""
    shown, _ = _suppressed(table["signalen"], _parents(table, sectors, level=level))
    shown = shown.astype(str)
    hidden = shown != table["signalen"].astype(str)
    return pd.Series(hidden.to_numpy(), index=table["code"]), dict(zip(table["code"], shown))


def flag_pleinmakers(points_shown: pd.DataFrame, points: pd.DataFrame | None, acties: pd.DataFrame | None, *,
                     year: int, note: str, late: set | None = None) -> pd.DataFrame:
    """Add ``opmerking_kaart`` = ``note`` to active pleinmakers without an action in ``year``
    (``late``: their ids when already known, then ``points`` and ``acties`` are not used)."""
    if late is None:
        late = set(indicators.pleinmakers_without_action(points, acties, year=year)["id"])
    # on the arrays (a few hundred records: pandas' isin and comparison cost more than the loop)
    flagged = (points_shown["layer"].to_numpy() == "pleinmakers") & np.fromiter(
        (i in late for i in points_shown["id"].to_numpy()), dtype=bool, count=len(points_shown))
    return points_shown.assign(opmerking_kaart=np.where(flagged, note, ""))
