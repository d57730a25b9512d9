"""Point files (CSV, XLSX, GeoJSON, GeoPackage) → validated layer records.

``read_table`` turns a file into rows of text; ``prepare_points`` checks every row, collects
every problem, and returns the accepted records (x/y in EPSG:31370, joined to their sector) and
the refused rows with their row number and reason.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie import spatial
from cohesie.errors import CohesieError
from cohesie.layers import LAYERS, REMOVED, Layer

# Common header names per field (lower case, compared after stripping).
ALIASES = {
    "id": ["id", "code", "nummer", "nr", "referentie"],
    "naam": ["naam", "name", "titel", "omschrijving_kort", "benaming"],
    "type": ["type", "soort", "categorie", "category", "kind"],
    "status": ["status", "toestand"],
    "datum": ["datum", "date", "startdatum", "datum_geplaatst", "datum_melding", "actief_sinds"],
    "lat": ["lat", "latitude", "breedtegraad", "breedte", "y_wgs84"],
    "lon": ["lon", "lng", "long", "longitude", "lengtegraad", "lengte", "x_wgs84"],
    "x": ["x", "x_lambert", "lambert_x", "x_coord", "xcoord", "x_31370"],
    "y": ["y", "y_lambert", "lambert_y", "y_coord", "ycoord", "y_31370"],
    "wijk": ["wijk", "wijk_code", "wijknaam", "wijk_naam", "buurt_wijk"],
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".geojson", ".json", ".gpkg")
# Rough bounds of Belgium, used to recognise swapped latitude/longitude.
BE_LAT = (49.4, 51.6)
BE_LON = (2.4, 6.5)


@dataclass
class PointImport:
    """Outcome of checking one file: accepted records, refused rows, notes for the report."""

    records: pd.DataFrame
    rejects: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{len(self.records)} geïmporteerd, {len(self.rejects)} geweigerd"


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a point file as text columns; GeoJSON/GeoPackage points become ``x``/``y``
    columns plus a ``_crs`` attribute in ``frame.attrs``.
    """
    path = Path(path)
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CohesieError(
            f"{path.name}: bestandstype '{suffix}' wordt niet ondersteund. Gebruik CSV, XLSX, "
            "GeoJSON of GeoPackage."
        )
    if suffix in (".geojson", ".json", ".gpkg"):
        return _read_geo(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, sheet=sheet)
    text = _decode(path.read_bytes())
    if not text.strip():
        raise CohesieError(f"{path.name} is leeg: er staan geen rijen in.")
    first = text.lstrip("\ufeff").splitlines()[0]
    sep = max([";", ",", "\t", "|"], key=first.count)
    if first.count(sep) == 0:
        raise CohesieError(
            f"{path.name} lijkt geen tabel: de eerste regel heeft geen kolommen gescheiden door "
            "komma, puntkomma of tab. Sla het bestand op als CSV met een kopregel."
        )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        raise CohesieError(f"{path.name} kan niet gelezen worden als CSV: {err}") from None
    frame.attrs["decimal_comma"] = sep == ";"
    return _clean_header(frame, path)


def _clean_header(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise CohesieError(f"{path.name} heeft een kopregel maar geen rijen met gegevens.")
    return frame


def _read_excel(path: Path, *, sheet: str | None) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    except Exception as err:  # openpyxl raises several types for broken files
        raise CohesieError(f"{path.name} kan niet gelezen worden als Excel-bestand ({err}).") from None
    if sheet is not None:
        if sheet not in sheets:
            raise CohesieError(
                f"{path.name} heeft geen werkblad '{sheet}'. Werkbladen: {', '.join(sheets)}."
            )
        frame = sheets[sheet]
    else:
        filled = [f for f in sheets.values() if not f.dropna(how="all").empty]
        if not filled:
            raise CohesieError(f"{path.name}: geen enkel werkblad bevat gegevens.")
        frame = filled[0]
    frame = frame.dropna(how="all").fillna("").astype(str)
    return _clean_header(frame, path)


def _read_geo(path: Path) -> pd.DataFrame:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as err:
        raise CohesieError(f"{path.name} kan niet gelezen worden als GeoJSON/GeoPackage ({err}).") from None
    if gdf.empty:
        raise CohesieError(f"{path.name} bevat geen objecten.")
    frame = pd.DataFrame(gdf.drop(columns="geometry")).fillna("").astype(str)
    geom = gdf.geometry
    frame["_geomtype"] = geom.geom_type.fillna("").values
    is_point = frame["_geomtype"] == "Point"
    frame["x"] = np.where(is_point, geom.x.where(is_point.values), np.nan) if len(geom) else []
    frame["y"] = np.where(is_point, geom.y.where(is_point.values), np.nan) if len(geom) else []
    frame["x"] = frame["x"].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    frame["y"] = frame["y"].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    frame.attrs["crs"] = gdf.crs.to_epsg() if gdf.crs is not None else 4326
    return frame


def detect_columns(columns, *, layer: Layer, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Map our field names to the file's column names (explicit ``mapping`` wins)."""
    lower = {str(c).strip().lower().replace(" ", "_"): c for c in columns}
    found: dict[str, str] = {}
    wanted = {**ALIASES, **{f: [f] for f in layer.extra}}
    for fld, names in wanted.items():
        for name in names:
            if name in lower:
                found[fld] = lower[name]
                break
    for fld, col in (mapping or {}).items():
        found[fld] = col
    return found


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ``2024-12-31``, ``31/12/2024`` and ``31.12.2024`` (NaT where unreadable)."""
    text = values.astype(str).str.strip().str.replace(r"[ T]00:00:00$", "", regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = out.isna() & (text != "")
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers with a decimal point or a decimal comma (NaN where not a number)."""
    text = values.astype(str).str.strip().str.replace(" ", "", regex=False)
    has_comma = text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)
    text = text.where(~has_comma, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce")


def detect_xy_crs(x: pd.Series, y: pd.Series) -> int | None:
    """EPSG:31370 or 3812 from the coordinate ranges (None when they fit neither)."""
    x, y = x.dropna(), y.dropna()
    if x.empty:
        return None
    xm, ym = x.median(), y.median()
    if 500_000 <= xm <= 800_000 and 500_000 <= ym <= 800_000:
        return 3812
    if 0 <= xm <= 320_000 and 0 <= ym <= 270_000:
        return 31370
    return None


def _stable_id(layer: str, row: pd.Series, n: int) -> str:
    payload = "|".join([layer, *map(str, row.values), str(n)])
    return "h" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:15]


def prepare_points(raw: pd.DataFrame, *, layer: str, sectors: gpd.GeoDataFrame,
                   crs: int | None = None, mapping: dict[str, str] | None = None) -> PointImport:
    """Check every row of ``raw`` for ``layer`` and split into records and refused rows.

    Parameters
    ----------
    raw : DataFrame
        Text columns as returned by :func:`read_table`.
    layer : str
        One of :data:`cohesie.layers.LAYERS`.
    sectors : GeoDataFrame
        The municipality's sectors (EPSG:31370) with ``code`` and ``wijk_code``/``wijk_naam``.
    crs : int, optional
        EPSG code of x/y columns; detected from their ranges when omitted.
    mapping : dict, optional
        ``{field: column}`` overriding the detected columns.
    """
    lay = LAYERS[layer]
    if sectors.empty:
        raise CohesieError(
            "Er zijn nog geen sectoren geladen. Importeer eerst de sectoren met "
            "'python -m cohesie import-sectors BESTAND --nis CODE'."
        )
    cols = detect_columns(raw.columns, layer=lay, mapping=mapping)
    missing_map = [c for c in (mapping or {}).values() if c not in raw.columns]
    if missing_map:
        raise CohesieError(
            f"--map verwijst naar kolom(men) die niet bestaan: {', '.join(missing_map)}. "
            f"Kolommen in het bestand: {', '.join(map(str, raw.columns))}."
        )
    n = len(raw)
    rownum = pd.Series(np.arange(2, n + 2), index=raw.index)  # header is row 1
    reasons: list[list[str]] = [[] for _ in range(n)]

    def col(fld) -> pd.Series:
        return raw[cols[fld]].astype(str).str.strip() if fld in cols else pd.Series([""] * n, index=raw.index)

    def refuse(mask, message):
        for i in np.flatnonzero(np.asarray(mask)):
            reasons[i].append(message(i) if callable(message) else message)

    has_location = ("lat" in cols and "lon" in cols) or ("x" in cols and "y" in cols)
    if not has_location and "wijk" not in cols:
        addr = [c for c in raw.columns if str(c).strip().lower() in ("adres", "straat", "address", "huisnummer")]
        hint = (" Het bestand heeft adressen maar geen coördinaten: voeg coördinaten toe "
                "(bv. via een geocodeerdienst) of een kolom 'wijk'.") if addr else ""
        raise CohesieError(
            "Geen locatie gevonden: het bestand heeft geen kolommen lat/lon (WGS84), x/y "
            f"(Lambert) of wijk. Kolommen: {', '.join(map(str, raw.columns))}.{hint}"
        )

    # -- geometry type (GeoJSON/GeoPackage) ------------------------------------------
    if "_geomtype" in raw.columns:
        bad = (raw["_geomtype"] != "Point") & (raw["_geomtype"] != "")
        refuse(bad, lambda i: f"rij {rownum.iloc[i]}: geometrie is een {raw['_geomtype'].iloc[i]}, "
               "geen punt; zet het object om naar een punt (bv. zijn middelpunt)")

    # -- coordinates ---------------------------------------------------------------
    x = pd.Series(np.nan, index=raw.index)
    y = pd.Series(np.nan, index=raw.index)
    used_crs = crs
    if "lat" in cols and "lon" in cols:
        lat_txt, lon_txt = col("lat"), col("lon")
        lat, lon = parse_numbers(lat_txt), parse_numbers(lon_txt)
        filled = (lat_txt != "") | (lon_txt != "")
        refuse(filled & (lat.isna() | lon.isna()),
               lambda i: f"rij {rownum.iloc[i]}: coördinaten '{lat_txt.iloc[i]}', '{lon_txt.iloc[i]}' "
               f"(kolommen {cols['lat']}/{cols['lon']}) zijn geen getallen")
        out_lat = lat.notna() & ((lat < -90) | (lat > 90))
        out_lon = lon.notna() & ((lon < -180) | (lon > 180))
        refuse(out_lat, lambda i: f"rij {rownum.iloc[i]}: breedtegraad {lat_txt.iloc[i]} ligt buiten [-90, 90]")
        refuse(out_lon, lambda i: f"rij {rownum.iloc[i]}: lengtegraad {lon_txt.iloc[i]} ligt buiten [-180, 180]")
        ok = lat.notna() & lon.notna() & ~out_lat & ~out_lon
        lon_v, lat_v = lon.where(ok), lat.where(ok)
        swapped = ok & lat.between(*BE_LON) & lon.between(*BE_LAT)
        x_a, y_a = spatial.to_analysis_xy(lon_v.where(~swapped, lat), lat_v.where(~swapped, lon), crs=4326)
        x[:], y[:] = x_a, y_a
        x[~ok], y[~ok] = np.nan, np.nan
        swap_rows = swapped.to_numpy()
        used_crs = 4326
    elif "x" in cols and "y" in cols:
        x_txt, y_txt = col("x"), col("y")
        xv, yv = parse_numbers(x_txt), parse_numbers(y_txt)
        filled = (x_txt != "") | (y_txt != "")
        refuse(filled & (xv.isna() | yv.isna()),
               lambda i: f"rij {rownum.iloc[i]}: coördinaten '{x_txt.iloc[i]}', '{y_txt.iloc[i]}' "
               f"(kolommen {cols['x']}/{cols['y']}) zijn geen getallen")
        used_crs = crs or raw.attrs.get("crs") or detect_xy_crs(xv, yv)
        if used_crs is None:
            raise CohesieError(
                "Het coördinatenstelsel van de x/y-kolommen is niet te herkennen (geen Lambert 72 "
                "of Lambert 2008). Geef het op met --crs (bv. --crs 31370) of gebruik lat/lon."
            )
        if used_crs == 4326:
            out_lat = yv.notna() & ((yv < -90) | (yv > 90))
            out_lon = xv.notna() & ((xv < -180) | (xv > 180))
            refuse(out_lat, lambda i: f"rij {rownum.iloc[i]}: breedtegraad {y_txt.iloc[i]} ligt buiten [-90, 90]")
            refuse(out_lon, lambda i: f"rij {rownum.iloc[i]}: lengtegraad {x_txt.iloc[i]} ligt buiten [-180, 180]")
            xv, yv = xv.where(~out_lon & ~out_lat), yv.where(~out_lon & ~out_lat)
        ok = xv.notna() & yv.notna()
        x_a, y_a = spatial.to_analysis_xy(xv.where(ok, 0), yv.where(ok, 0), crs=int(used_crs))
        x[:], y[:] = x_a, y_a
        x[~ok], y[~ok] = np.nan, np.nan
        swap_rows = np.zeros(n, dtype=bool)
    else:
        swap_rows = np.zeros(n, dtype=bool)

    notes: list[str] = []
    outline = spatial.municipality_outline(sectors)
    sector = spatial.sector_of_points(x.fillna(0), y.fillna(0), sectors)
    sector[x.isna().to_numpy()] = None
    if swap_rows.any():
        inside_swapped = np.array([s is not None for s in sector[swap_rows]])
        rows_sw = ", ".join(str(r) for r in rownum[swap_rows][:10])
        if inside_swapped.all():
            notes.append(f"Breedte- en lengtegraad waren omgewisseld in {int(swap_rows.sum())} rij(en) "
                         f"({rows_sw}); ze zijn omgewisseld omdat alle punten dan in de gemeente vallen.")
        else:
            refuse(swap_rows, lambda i: f"rij {rownum.iloc[i]}: breedte- en lengtegraad lijken "
                   "omgewisseld; controleer de kolommen lat en lon")
            x[swap_rows], y[swap_rows] = np.nan, np.nan
            sector[swap_rows] = None
    located = x.notna().to_numpy()
    outside = located & np.array([s is None for s in sector])
    if outside.any():
        dist = spatial.distance_to_area(x[outside], y[outside], outline)
        dist_by_row = dict(zip(np.flatnonzero(outside), dist))
        refuse(outside, lambda i: f"rij {rownum.iloc[i]}: punt ligt buiten de gemeente "
               f"({dist_by_row[i] / 1000:.2f} km van de grens); controleer de coördinaten "
               f"(coördinatenstelsel EPSG:{used_crs})")

    # -- area reference ------------------------------------------------------------
    wijk_ref = col("wijk")
    wijk_code = pd.Series(None, index=raw.index, dtype=object)
    wijk_lookup = {}
    for code, name in sectors[["wijk_code", "wijk_naam"]].drop_duplicates().itertuples(index=False):
        wijk_lookup[str(code).lower()] = code
        wijk_lookup[str(name).strip().lower()] = code
    by_ref = wijk_ref.str.lower().map(wijk_lookup)
    sector_wijk = pd.Series(sector, index=raw.index).map(sectors.set_index("code")["wijk_code"])
    wijk_code[:] = sector_wijk.where(sector_wijk.notna(), by_ref)
    no_loc = ~located
    unknown_ref = no_loc & (wijk_ref != "").to_numpy() & by_ref.isna().to_numpy()
    refuse(unknown_ref, lambda i: f"rij {rownum.iloc[i]}: wijk '{wijk_ref.iloc[i]}' bestaat niet; "
           "gebruik een wijkcode of wijknaam uit de wijkindeling")
    already = np.array([bool(r) for r in reasons])
    nothing = no_loc & (wijk_ref == "").to_numpy() & ~already
    refuse(nothing, lambda i: f"rij {rownum.iloc[i]}: geen locatie (lat/lon of x/y leeg) en geen wijk; "
           "vul coördinaten of een wijk in")

    # -- text fields, status, dates --------------------------------------------------
    naam, typ, status = col("naam"), col("type"), col("status").str.lower()
    if lay.name_required:
        refuse(naam == "", lambda i: f"rij {rownum.iloc[i]}: naam is leeg (kolom '{cols.get('naam', 'naam')}')")
    if len(lay.types) == 1:
        typ = typ.where(typ != "", lay.types[0])
    refuse(typ == "", lambda i: f"rij {rownum.iloc[i]}: {lay.type_label} (kolom 'type') is leeg; "
           f"bv. {', '.join(lay.types[:3])}")
    status = status.where(status != "", lay.statuses[0])
    refuse(~status.isin(lay.statuses), lambda i: f"rij {rownum.iloc[i]}: status '{status.iloc[i]}' "
           f"onbekend; kies uit {', '.join(lay.statuses)}")
    dates = {}
    for fld in ("datum", *(f for f in lay.extra if f == "einddatum")):
        txt = col(fld)
        parsed = parse_dates(txt)
        refuse((txt != "") & parsed.isna(), lambda i, t=txt, f=fld: f"rij {rownum.iloc[i]}: {f} "
               f"'{t.iloc[i]}' onleesbaar; schrijf als 2024-12-31, 31/12/2024 of 31.12.2024")
        dates[fld] = parsed

    # -- ids -------------------------------------------------------------------------
    ids = col("id")
    dup = (ids != "") & ids.duplicated(keep="first")
    first_row = {v: r for v, r in zip(ids[::-1], rownum[::-1])}
    refuse(dup, lambda i: f"rij {rownum.iloc[i]}: id '{ids.iloc[i]}' komt al voor in rij "
           f"{first_row[ids.iloc[i]]}; elke id moet uniek zijn")

    refused = np.array([bool(r) for r in reasons])
    records = pd.DataFrame({
        "layer": layer,
        "naam": naam, "type": typ.str.lower() if len(lay.types) else typ, "status": status,
        "datum": dates["datum"],
        "wijk_ref": wijk_ref.where(wijk_ref != "", None),
        "x": x, "y": y, "sector": sector, "wijk_code": wijk_code,
    }, index=raw.index)
    for fld in lay.extra:
        records[fld] = dates[fld] if fld in dates else col(fld).where(col(fld) != "", None)
    seen: dict[str, int] = {}
    gen_ids = []
    for i in range(n):
        if ids.iloc[i]:
            gen_ids.append(ids.iloc[i])
            continue
        key = _stable_id(layer, raw.iloc[i], 0)
        seen[key] = seen.get(key, -1) + 1
        gen_ids.append(key if seen[key] == 0 else _stable_id(layer, raw.iloc[i], seen[key]))
    records["id"] = gen_ids
    records = records[~refused].reset_index(drop=True)
    rejects = raw[refused].copy()
    rejects.insert(0, "reden", ["; ".join(r) for r, bad in zip(reasons, refused) if bad])
    rejects.insert(0, "rij", rownum[refused].to_numpy())
    rejects = rejects.drop(columns=[c for c in ("_geomtype",) if c in rejects.columns])
    return PointImport(records=records, rejects=rejects.reset_index(drop=True), notes=notes)


def counts_as_active(status: pd.Series) -> pd.Series:
    """Records that count in indicators (everything but status ``verwijderd``)."""
    return status.fillna("") != REMOVED
