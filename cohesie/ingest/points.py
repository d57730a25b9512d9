"""Point files (CSV, XLSX, GeoJSON, GeoPackage) → validated layer records.

``read_table`` turns a file as it comes (any common delimiter, decimal commas, UTF-8 with or
without BOM, Windows-1252, UTF-16; the first worksheet or layer with data) into rows of text
indexed by their row number. ``prepare_points`` checks every row, collects every problem
(row, column, what is wrong, how to fix it) and returns the accepted records (x/y in
EPSG:31370, joined to their sector) with the refused rows and their reasons. Both the command
line and the import page use these two functions; nothing here writes to disk.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import filesafety, spatial
from cohesie.errors import CohesieError
from cohesie.layers import LAYERS, Layer

# Common header names per field, compared after :func:`_norm` (lower case, accents and
# punctuation removed). "nr" is deliberately absent from ``id``: it usually means house number.
ALIASES = {
    "id": ["id", "code", "nummer", "referentie", "ref", "identificatie"],
    "naam": ["naam", "name", "titel", "benaming", "omschrijving_kort"],
    "type": ["type", "soort", "categorie", "category", "kind"],
    "status": ["status", "toestand"],
    "datum": ["datum", "date", "startdatum", "datum_geplaatst", "datum_melding", "actief_sinds",
              "datum_opgenomen", "meldingsdatum"],
    "lat": ["lat", "latitude", "breedtegraad", "breedte", "y_wgs84", "lat_wgs84", "gps_lat",
            "wgs84_lat"],
    "lon": ["lon", "lng", "long", "longitude", "lengtegraad", "lengte", "x_wgs84", "lon_wgs84",
            "gps_lon", "gps_lng", "wgs84_lon"],
    "x": ["x", "x_lambert", "lambert_x", "x_coord", "xcoord", "x_coordinaat", "xcoordinaat",
          "coord_x", "x_31370", "x_3812", "oost"],
    "y": ["y", "y_lambert", "lambert_y", "y_coord", "ycoord", "y_coordinaat", "ycoordinaat",
          "coord_y", "y_31370", "y_3812", "noord"],
    "wijk": ["wijk", "wijk_code", "wijkcode", "wijknaam", "wijk_naam"],
}
FIELD_LABELS = {"id": "id (sleutel)", "naam": "naam", "type": "type", "status": "status",
                "datum": "datum", "lat": "breedtegraad (lat)", "lon": "lengtegraad (lon)",
                "x": "x (Lambert)", "y": "y (Lambert)", "wijk": "wijk (code of naam)"}
ADDRESS_NAMES = ("adres", "address", "straat", "straatnaam", "street", "huisnummer", "huisnr",
                 "nr", "postcode", "gemeente")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
GEO_SUFFIXES = (".geojson", ".json", ".gpkg")
TABLE_SUFFIXES = TEXT_SUFFIXES + EXCEL_SUFFIXES + GEO_SUFFIXES
CRS_NAMES = {4326: "WGS84 (lat/lon, EPSG:4326)", 31370: "Belgische Lambert 72 (EPSG:31370)",
             3812: "Belgische Lambert 2008 (EPSG:3812)"}
# Rough bounds of Belgium, used to recognise swapped latitude/longitude.
BE_LAT = (49.4, 51.6)
BE_LON = (2.4, 6.5)
# Signatures of files that are not tables, with what they are.
_MAGIC = ((b"\x89PNG", "een PNG-afbeelding"), (b"\xff\xd8\xff", "een JPEG-afbeelding"),
          (b"GIF8", "een GIF-afbeelding"), (b"%PDF", "een PDF-document"),
          (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (.xls of .doc)"),
          (b"Rar!", "een RAR-archief"), (b"\x1f\x8b", "een gzip-archief"),
          (b"SQLite format 3", "een SQLite-databank"))

Progress = Callable[[float, str], None]


@dataclass
class PointImport:
    """Outcome of checking one file.

    Attributes
    ----------
    records : DataFrame
        Accepted rows in storage columns (x/y in EPSG:31370, sector, wijk_code).
    rejects : DataFrame
        Refused rows: ``rij``, ``kolom``, ``reden`` and the original columns.
    notes : list of str
        What was detected or repaired (delimiter, coordinate system, swapped columns).
    problems : DataFrame
        One line per problem: ``rij``, ``kolom``, ``probleem``.
    columns : dict
        ``{field: column}`` used.
    crs : int or None
        EPSG code the coordinates were read in.
    """

    records: pd.DataFrame
    rejects: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["rij", "kolom", "probleem"]))
    columns: dict = field(default_factory=dict)
    crs: int | None = None

    @property
    def summary(self) -> str:
        return f"{len(self.records)} geïmporteerd, {len(self.rejects)} geweigerd"

    def problem_lines(self) -> list[str]:
        """One Dutch line per problem: ``rij 14, kolom lat: ...``."""
        p = self.problems
        return [f"rij {r}, kolom {k}: {m}" if k else f"rij {r}: {m}"
                for r, k, m in zip(p["rij"], p["kolom"], p["probleem"])]


# -- reading --------------------------------------------------------------------------
def _norm(name) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _not_a_table(name: str, what: str) -> CohesieError:
    return CohesieError(
        f"{name} is geen tabel maar {what}. Kies een CSV-, Excel- (.xlsx), GeoJSON- of "
        "GeoPackage-bestand met een kopregel en één rij per object."
    )


def _zip_kind(raw: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def _decode(raw: bytes, name: str) -> str:
    """Text of a CSV as exported by Excel and friends (BOMs, UTF-16, Windows-1252)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    head = raw[:400]
    if len(head) >= 4 and head.count(b"\x00") >= len(head) // 3:
        # UTF-16 without BOM: every other byte is zero for Latin text.
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return raw.decode(enc, errors="replace")
    if b"\x00" in raw[:65536]:
        raise _not_a_table(name, "een binair bestand")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    if sample and controls > max(2, len(sample) // 100):
        raise _not_a_table(name, "een binair bestand")
    return text


def _count_outside_quotes(line: str, sep: str) -> int:
    return len(re.sub(r'"[^"]*"', "", line).split(sep)) - 1


def detect_delimiter(header: str) -> str | None:
    """The delimiter of a header line: ``;``, ``,``, tab or ``|`` (None when there is none)."""
    counts = {sep: _count_outside_quotes(header, sep) for sep in (";", "\t", ",", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a point file as text columns indexed by row number (``rij``; header = row 1).

    GeoJSON/GeoPackage points become ``x``/``y`` text columns with the file's EPSG code in
    ``frame.attrs["crs"]`` and the geometry type in column ``_geomtype``. ``sheet`` names a
    worksheet (Excel) or layer (GeoPackage); otherwise the first one with data is used.
    ``frame.attrs["notes"]`` lists what was detected.
    """
    path = Path(path)
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CohesieError(
            f"{path.name}: bestandstype '{suffix or '(geen)'}' wordt niet ondersteund. Gebruik CSV, "
            "XLSX, GeoJSON of GeoPackage."
        )
    filesafety.check_file(path)  # size, zip members and uncompressed size, XML of an xlsx
    raw = path.read_bytes()
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise CohesieError(f"{path.name} is leeg: er staan geen kopregel en geen rijen in. "
                           "Kies het juiste bestand of exporteer het opnieuw.")
    for magic, what in _MAGIC:
        if raw.startswith(magic) and not (suffix == ".gpkg" and magic.startswith(b"SQLite")):
            raise _not_a_table(path.name, what)
    if raw.startswith(b"PK\x03\x04"):
        kind = _zip_kind(raw)
        if kind == "xlsx":
            frame = _read_excel(path, raw, sheet=sheet)
            if suffix not in EXCEL_SUFFIXES:
                frame.attrs.setdefault("notes", []).append(
                    f"{path.name} is een Excel-werkmap (ondanks de extensie {suffix}); zo gelezen.")
            return frame
        if suffix != ".gpkg":
            what = {"docx": "een Word-document", "pptx": "een PowerPoint-bestand"}.get(kind, "een zip-archief")
            raise _not_a_table(path.name, what)
    if suffix in GEO_SUFFIXES:
        return _read_geo(path, layer=sheet)
    if suffix in EXCEL_SUFFIXES:
        raise CohesieError(f"{path.name} is geen geldig Excel-bestand (.xlsx). Open het in Excel en "
                           "sla het opnieuw op als Excel-werkmap of als CSV.")
    return _read_csv(path.name, _decode(raw, path.name))


def _read_csv(name: str, text: str) -> pd.DataFrame:
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    if not header:
        raise CohesieError(f"{name} is leeg: er staan geen rijen in.")
    sep = detect_delimiter(header)
    if sep is None:
        raise CohesieError(
            f"{name} lijkt geen tabel: de eerste regel ('{header[:60]}') heeft geen kolommen "
            "gescheiden door komma, puntkomma of tab. Sla het bestand op als CSV met een kopregel."
        )
    names = [n.strip().strip('"') for n in re.sub(r'"[^"]*"', "x", header).split(sep)]
    if sum(bool(n) for n in names) < 2:
        raise CohesieError(
            f"{name} lijkt geen tabel: de eerste regel ('{header[:60]}') heeft geen kopregel met "
            "kolomnamen. Sla het bestand op als CSV met een kopregel (bv. id;naam;lat;lon)."
        )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, skipinitialspace=False)
    except pd.errors.ParserError:
        # Some rows have more fields than the header: keep the good rows and refuse only the
        # broken ones (with their row number), instead of refusing the whole file.
        return _read_csv_with_broken_rows(name, text, sep)
    frame = frame.fillna("")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="rij")
    frame.attrs["notes"] = [f"Scheidingsteken: {_SEP_NAMES[sep]}."]
    return _finish(frame, name)


def _read_csv_with_broken_rows(name: str, text: str, sep: str) -> pd.DataFrame:
    """Read row by row; rows whose field count differs from the header's go to
    ``frame.attrs["malformed"]`` as ``(rij, regel, velden, verwacht)``."""
    import csv

    reader = csv.reader(io.StringIO(text), delimiter=sep)
    good, numbers, broken = [], [], []
    try:
        header = next(reader)
        _check_unique(header, name)
        for rij, fields in enumerate(reader, start=2):
            if len(fields) == len(header):
                good.append(fields)
                numbers.append(rij)
            elif any(f.strip() for f in fields):
                broken.append((rij, sep.join(fields), len(fields), len(header)))
    except csv.Error:
        # e.g. a lone carriage return inside a field: the reader cannot tell where rows end
        raise CohesieError(
            f"{name}: regel {reader.line_num} kan niet gelezen worden (een regeleinde of "
            "aanhalingsteken op een onverwachte plaats). Open het bestand in een rekenblad en sla "
            "het opnieuw op als CSV.") from None
    frame = pd.DataFrame(good, columns=header, dtype=str).fillna("")
    frame.index = pd.Index(numbers, name="rij")
    frame.attrs["notes"] = [f"Scheidingsteken: {_SEP_NAMES[sep]}."]
    frame.attrs["malformed"] = broken
    if not good and not broken:
        raise CohesieError(f"{name} heeft een kopregel maar geen rijen met gegevens.")
    return _finish(frame, name) if good else frame


_SEP_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}


def _check_unique(columns, name: str) -> None:
    """Refuse a header that names one column twice (after trimming spaces)."""
    seen: dict[str, int] = {}
    for i, column in enumerate(columns, start=1):
        key = str(column).strip().lstrip("\ufeff")
        if key in seen and key:
            raise CohesieError(
                f"{name}: de kolomnaam '{key[:40]}' staat twee keer in de kopregel (kolom {seen[key]} "
                f"en {i}). Geef elke kolom een eigen naam of verwijder de dubbele kolom.")
        seen[key] = i


def _finish(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    _check_unique(frame.columns, name)
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    text = frame.astype(str)
    frame = frame[(text.apply(lambda s: s.str.strip()) != "").any(axis=1)] if len(frame.columns) else frame
    if frame.empty:
        raise CohesieError(f"{name} heeft een kopregel ({', '.join(map(str, frame.columns))[:120]}) "
                           "maar geen rijen met gegevens. Vul rijen aan of kies het juiste bestand.")
    return frame


def list_sheets(path: str | Path) -> list[str]:
    """Worksheets of an Excel file or layers of a GeoPackage ([] for other files)."""
    path = Path(path)
    try:
        filesafety.check_file(path)
        if path.suffix.lower() in EXCEL_SUFFIXES:
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()
        if path.suffix.lower() == ".gpkg":
            import pyogrio

            return [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # an unreadable file is reported by read_table with a proper message
        return []
    return []


def _read_excel(path: Path, raw: bytes, *, sheet: str | None) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(io.BytesIO(raw), sheet_name=None, dtype=str)
    except Exception as err:  # openpyxl raises several types for broken files
        raise CohesieError(f"{path.name} kan niet gelezen worden als Excel-bestand ({err}). "
                           "Open het in Excel en sla het opnieuw op als .xlsx of CSV.") from None
    if sheet is not None:
        match = [s for s in sheets if s == sheet] or [s for s in sheets if s.lower() == sheet.strip().lower()]
        if not match:
            raise CohesieError(
                f"{path.name} heeft geen werkblad '{sheet}'. Werkbladen: {', '.join(sheets)}.")
        name, frame = match[0], sheets[match[0]]
    else:
        filled = [(s, f) for s, f in sheets.items() if not f.dropna(how="all").empty]
        if not filled:
            raise CohesieError(f"{path.name}: geen enkel werkblad bevat rijen met gegevens "
                               f"(werkbladen: {', '.join(sheets)}).")
        name, frame = filled[0]
    frame = frame.fillna("").astype(str)
    # Excel writes whole dates as "2024-12-31 00:00:00".
    frame = frame.apply(lambda s: s.str.replace(r"^(\d{4}-\d\d-\d\d) 00:00:00$", r"\1", regex=True))
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="rij")
    frame.attrs["notes"] = [f"Werkblad '{name}' gelezen."]
    return _finish(frame, f"{path.name} (werkblad '{name}')")


def _read_geo(path: Path, *, layer: str | None) -> pd.DataFrame:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
        names = [str(n) for n in layers[:, 0]]
        if layer is not None and layer not in names:
            raise CohesieError(f"{path.name} heeft geen laag '{layer}'. Lagen: {', '.join(names)}.")
        chosen = layer
        if chosen is None and len(names) > 1:
            counts = {n: pyogrio.read_info(path, layer=n).get("features", 0) for n in names}
            chosen = next((n for n in names if counts[n]), names[0])
        gdf = pyogrio.read_dataframe(path, layer=chosen)
    except CohesieError:
        raise
    except Exception as err:
        raise CohesieError(f"{path.name} kan niet gelezen worden als GeoJSON/GeoPackage ({err}). "
                           "Controleer of het een volledig GeoJSON- of GeoPackage-bestand is.") from None
    if gdf.empty:
        raise CohesieError(f"{path.name} bevat geen objecten. Kies het juiste bestand of de juiste laag.")
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    frame = props.astype(object).where(props.notna(), "").astype(str)
    geom = gdf.geometry
    gtype = geom.geom_type.fillna("").astype(str).to_numpy()
    is_point = (gtype == "Point") & ~geom.is_empty.fillna(True).to_numpy()
    gx, gy = np.full(len(gdf), np.nan), np.full(len(gdf), np.nan)
    if is_point.any():
        pts = geom.values[is_point]
        gx[is_point], gy[is_point] = shapely.get_x(pts), shapely.get_y(pts)
    frame = frame.drop(columns=[c for c in frame.columns if _norm(c) in ("x", "y")])
    frame["x"] = pd.Series(gx, index=frame.index).astype(str).where(is_point, "")
    frame["y"] = pd.Series(gy, index=frame.index).astype(str).where(is_point, "")
    frame["_geomtype"] = gtype
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="rij")  # feature number
    frame.attrs["crs"] = gdf.crs.to_epsg() if gdf.crs is not None else None
    frame.attrs["geo"] = True
    frame.attrs["notes"] = [f"Laag '{chosen}' gelezen."] if chosen else []
    return frame


# -- columns, numbers, dates, coordinate systems ---------------------------------------
def mappable_fields(layer: str) -> list[str]:
    """Fields a column can be mapped to for ``layer`` (common, layer-specific, location)."""
    lay = LAYERS[layer]
    return ["id", "naam", "type", "status", "datum", *lay.extra, "lat", "lon", "x", "y", "wijk"]


def detect_columns(columns, *, layer: Layer | str,
                   mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Map our field names to the file's column names (an explicit ``mapping`` wins).

    Raises
    ------
    CohesieError
        When ``mapping`` names a field or column that does not exist.
    """
    lay = LAYERS[layer] if isinstance(layer, str) else layer
    columns = [c for c in columns if not str(c).startswith("_")]
    lower = {}
    for c in columns:
        lower.setdefault(_norm(c), c)
    found: dict[str, str] = {}
    wanted = {**ALIASES, **{f: [f] for f in lay.extra}}
    for fld, names in wanted.items():
        for name in names:
            if name in lower:
                found[fld] = lower[name]
                break
    fields = mappable_fields(lay.name)
    problems = []
    for fld, col in (mapping or {}).items():
        if fld not in fields:
            problems.append(f"veld '{fld}' bestaat niet in laag {lay.name} (velden: {', '.join(fields)})")
            continue
        if col in ("", None):
            found.pop(fld, None)
            continue
        real = col if col in columns else next((c for c in columns if _norm(c) == _norm(col)), None)
        if real is None:
            problems.append(f"kolom '{col}' bestaat niet (kolommen: {', '.join(map(str, columns))})")
            continue
        for other in [f for f, c in found.items() if c == real and f != fld]:
            del found[other]  # one column feeds one field
        found[fld] = real
    if problems:
        raise CohesieError("De koppeling van kolommen (--map kolom=veld) klopt niet: "
                           + "; ".join(problems) + ".")
    return found


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ``2024-12-31``, ``31/12/2024`` and ``31.12.2024`` (NaT where unreadable).

    A time of day after the date is ignored: records carry a date.
    """
    text = values.astype(str).str.strip().str.replace(r"[ T]\d{1,2}:\d\d(:\d\d(\.\d+)?)?$", "", regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    # dates the nanosecond type cannot hold (e.g. 9999-12-31) stay NaT: unreadable, not a crash
    low, high = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")
    for fmt in DATE_FORMATS:
        todo = np.flatnonzero((out.isna() & (text != "")).to_numpy())
        if not len(todo):
            break
        parsed = pd.to_datetime(text.iloc[todo], format=fmt, errors="coerce")
        keep = (parsed.notna() & (parsed >= low) & (parsed <= high)).to_numpy()
        if keep.any():
            out.iloc[todo[keep]] = parsed.iloc[keep].astype("datetime64[ns]").to_numpy()
    return out


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers with a decimal point or comma, with or without thousands separators (NaN where
    not a finite number): ``51,02``, ``51.02``, ``153.456,78``, ``153,456.78``."""
    text = values.astype(str).str.strip().str.replace(r"[\s\u00a0']", "", regex=True)
    comma, dot = text.str.rfind(","), text.str.rfind(".")
    # The separator that comes last is the decimal one; the other groups thousands.
    comma_decimal = comma > dot
    text = text.where(~comma_decimal, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    text = text.where(comma_decimal | (comma < 0), text.str.replace(",", "", regex=False))
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    return out.where(np.isfinite(out))


def detect_xy_crs(x: pd.Series, y: pd.Series) -> int | None:
    """EPSG:4326, 31370 or 3812 from the coordinate ranges (None when they fit none).

    Lambert 72 x ≈ 20-300 km and y ≈ 20-250 km; Lambert 2008 both ≈ 500-800 km; WGS84
    longitude/latitude in degrees.
    """
    x, y = pd.Series(x).dropna(), pd.Series(y).dropna()
    if x.empty or y.empty:
        return None
    xm, ym = x.median(), y.median()
    if -180 <= xm <= 180 and -90 <= ym <= 90:  # Belgian Lambert values are never this small
        return 4326
    if 500_000 <= xm <= 800_000 and 500_000 <= ym <= 800_000:
        return 3812
    if 1_000 <= xm <= 320_000 and 1_000 <= ym <= 320_000:
        return 31370
    return None


def detect_crs(raw: pd.DataFrame, columns: dict[str, str]) -> int | None:
    """The coordinate system of the file's coordinates, as :func:`prepare_points` would use it
    without an explicit ``crs`` (None when the file has no usable coordinates)."""
    if "lat" in columns and "lon" in columns:
        return 4326
    if "x" in columns and "y" in columns:
        xv, yv = parse_numbers(raw[columns["x"]]), parse_numbers(raw[columns["y"]])
        detected = detect_xy_crs(xv, yv)
        declared = raw.attrs.get("crs")
        if declared and (declared != 4326 or detected in (None, 4326)):
            return int(declared)
        return detected
    return None


def describe_crs(epsg: int | None) -> str:
    """Dutch name of a coordinate system."""
    if epsg is None:
        return "niet herkend"
    return CRS_NAMES.get(int(epsg), f"EPSG:{epsg}")


def check_crs(epsg) -> int:
    """``epsg`` as int when pyproj knows it; a Dutch error otherwise."""
    from pyproj import CRS

    try:
        code = int(epsg)
        CRS.from_epsg(code)
    except Exception:
        raise CohesieError(f"Coördinatenstelsel '{epsg}' is onbekend. Gebruik 4326 (WGS84), "
                           "31370 (Lambert 72) of 3812 (Lambert 2008).") from None
    return code


def _stable_ids(layer: str, raw: pd.DataFrame) -> pd.Series:
    """Ids for rows without one: a hash of the row's content (same file → same ids), with the
    occurrence number so identical rows stay distinct."""
    content = raw[[c for c in raw.columns if not str(c).startswith("_")]]
    h = pd.util.hash_pandas_object(content, index=False).to_numpy()
    occurrence = pd.Series(h).groupby(h).cumcount().to_numpy().astype("uint64")
    salt = np.uint64(int.from_bytes(layer.encode()[:8].ljust(8, b"\0"), "little"))
    with np.errstate(over="ignore"):
        mixed = h ^ salt ^ (occurrence * np.uint64(0x9E3779B97F4A7C15))
    return pd.Series(np.char.add("h", np.char.mod("%016x", mixed)), index=raw.index)


def _km(metres: np.ndarray) -> pd.Series:
    text = pd.Series(np.asarray(metres) / 1000).map("{:.2f}".format)
    return text.str.replace(".", ",", regex=False)


# -- checking ---------------------------------------------------------------------------
class _Problems:
    """Collects problems per row position; messages are built for refused rows only."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[pd.DataFrame] = []

    def add(self, mask, column: str, message) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        pos = np.flatnonzero(mask)
        text = message(mask) if callable(message) else message
        text = np.asarray(text, dtype=object) if not isinstance(text, str) else np.full(len(pos), text, dtype=object)
        self.parts.append(pd.DataFrame({"pos": pos, "kolom": column or "", "probleem": text}))

    def refused(self) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        for part in self.parts:
            out[part["pos"].to_numpy()] = True
        return out

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"pos": pd.Series(dtype=int), "kolom": pd.Series(dtype=object),
                                 "probleem": pd.Series(dtype=object)})
        return pd.concat(self.parts, ignore_index=True).sort_values("pos", kind="stable")


def prepare_points(raw: pd.DataFrame, *, layer: str, sectors: gpd.GeoDataFrame,
                   crs: int | None = None, mapping: dict[str, str] | None = None,
                   progress: Progress | None = None) -> PointImport:
    """Check every row of ``raw`` for ``layer`` and split into records and refused rows.

    Parameters
    ----------
    raw : DataFrame
        Text columns as returned by :func:`read_table` (index = row number ``rij``; any other
        index is numbered from 2, as if row 1 were the header).
    layer : str
        One of :data:`cohesie.layers.LAYERS`.
    sectors : GeoDataFrame
        The municipality's sectors (EPSG:31370) with ``code`` and ``wijk_code``/``wijk_naam``.
    crs : int, optional
        EPSG code of the coordinate columns; detected when omitted (lat/lon → 4326, x/y from
        their ranges or the file's own CRS).
    mapping : dict, optional
        ``{field: column}`` overriding the detected columns.
    progress : callable, optional
        Called with ``(fraction, Dutch text)`` between steps.

    Returns
    -------
    PointImport
    """
    report = progress or (lambda fraction, text: None)
    lay = LAYERS[layer]
    if sectors.empty:
        raise CohesieError(
            "Er zijn nog geen sectoren geladen. Importeer eerst de sectoren met "
            "'python -m cohesie import-sectors BESTAND --nis CODE'."
        )
    if raw.empty:
        raise CohesieError("Het bestand heeft geen rijen met gegevens.")
    crs = check_crs(crs) if crs is not None else None
    cols = detect_columns(raw.columns, layer=lay, mapping=mapping)
    notes: list[str] = list(raw.attrs.get("notes", []))
    _require_location(raw, cols)

    n = len(raw)
    if raw.index.name == "rij":
        rownum = pd.Series(np.asarray(raw.index), index=raw.index)
    else:
        rownum = pd.Series(np.arange(2, n + 2), index=raw.index)
    probs = _Problems(n)
    empty = pd.Series("", index=raw.index)

    def col(fld) -> pd.Series:
        return raw[cols[fld]].astype(str).str.strip() if fld in cols else empty

    report(0.05, "Geometrie en coördinaten controleren…")
    # -- geometry type (GeoJSON/GeoPackage) ------------------------------------------
    if "_geomtype" in raw.columns:
        gt = raw["_geomtype"].astype(str)
        bad = ((gt != "Point") & (gt != "")).to_numpy()
        probs.add(bad, "geometrie", lambda m: "geometrie is een " + gt[m] + ", geen punt; zet het "
                  "object om naar een punt (bv. zijn middelpunt) of teken het opnieuw als punt")

    # -- coordinates -----------------------------------------------------------------
    located, x, y, used_crs = _coordinates(raw, cols, col, crs, probs, notes)

    report(0.3, "Punten aan sectoren koppelen…")
    sector = np.full(n, None, dtype=object)
    if located.any():
        sector[located] = spatial.sector_of_points(x[located], y[located], sectors)
    if used_crs == 4326 and located.any():
        located, sector = _swapped(raw, cols, col, x, y, located, sector, sectors, probs, notes,
                                   rownum)
    outside = located & pd.isna(sector)
    if outside.any():
        outline = spatial.municipality_outline(sectors)
        dist = spatial.distance_to_area(x[outside], y[outside], outline)
        where = _coord_columns(cols, used_crs)
        shown = _coord_text(col, cols, used_crs)
        crs_text = describe_crs(used_crs)
        probs.add(outside, where, lambda m: "punt (" + shown[m] + ") ligt buiten de gemeente, "
                  + _km(dist).to_numpy() + " km van de grens; het wordt niet verschoven. Controleer "
                  f"de coördinaten (gelezen als {crs_text}) of laat de rij weg")
        if outside.sum() == located.sum() and np.median(dist) > 20_000:
            notes.append(f"Alle punten liggen ver buiten de gemeente (mediaan {np.median(dist) / 1000:.0f} km). "
                         f"Klopt het coördinatenstelsel ({crs_text})? Kies het juiste met --crs of op "
                         "de importpagina.")
        located = located & ~outside
        x[outside], y[outside] = np.nan, np.nan

    report(0.5, "Wijken, velden en datums controleren…")
    # -- area reference ---------------------------------------------------------------
    wijk_ref = col("wijk")
    lookup = {}
    for code, name in sectors[["wijk_code", "wijk_naam"]].drop_duplicates().itertuples(index=False):
        lookup[str(code).strip().lower()] = code
        lookup[str(name).strip().lower()] = code
    by_ref = wijk_ref.str.lower().map(lookup)
    wijk_of_sector = sectors.set_index("code")["wijk_code"]
    wijk_code = pd.Series(sector, index=raw.index).map(wijk_of_sector)
    wijk_code = wijk_code.where(wijk_code.notna(), by_ref)
    no_loc = ~located & ~probs.refused()
    unknown = no_loc & (wijk_ref != "").to_numpy() & by_ref.isna().to_numpy()
    probs.add(unknown, cols.get("wijk", "wijk"), lambda m: "wijk '" + wijk_ref[m] + "' bestaat niet; "
              "gebruik een wijkcode of wijknaam uit de wijkindeling (zie de pagina Gegevens)")
    nothing = no_loc & (wijk_ref == "").to_numpy()
    coord_cols = _coord_columns(cols, used_crs) or "coördinaten"
    probs.add(nothing, coord_cols, "geen locatie: de coördinaten zijn leeg en er is geen wijk; vul "
              "coördinaten of een wijk in")

    # -- text fields, status, dates ----------------------------------------------------
    naam, typ = col("naam"), col("type")
    status = col("status").str.lower()
    if lay.name_required:
        probs.add((naam == "").to_numpy(), cols.get("naam", "naam"),
                  "naam is leeg; vul een naam in" + ("" if "naam" in cols else
                                                     " (het bestand heeft geen kolom naam; koppel er een)"))
    if len(lay.types) == 1:
        typ = typ.where(typ != "", lay.types[0])
    probs.add((typ == "").to_numpy(), cols.get("type", "type"),
              f"{lay.type_label} is leeg; vul bv. {', '.join(lay.types[:3])} in")
    status = status.where(status != "", lay.statuses[0])
    probs.add((~status.isin(lay.statuses)).to_numpy(), cols.get("status", "status"),
              lambda m: "status '" + status[m] + f"' is onbekend; kies uit {', '.join(lay.statuses)}")
    dates = {}
    for fld in ("datum", *(f for f in lay.extra if f == "einddatum")):
        txt = col(fld)
        parsed = parse_dates(txt)
        probs.add(((txt != "") & parsed.isna()).to_numpy(), cols.get(fld, fld),
                  lambda m, t=txt: f"{fld} '" + t[m] + "' is onleesbaar; schrijf de datum als "
                  "2024-12-31, 31/12/2024 of 31.12.2024 (de rij wordt niet zonder datum geladen)")
        dates[fld] = parsed

    # -- ids ---------------------------------------------------------------------------
    ids = col("id")
    dup = ((ids != "") & ids.duplicated(keep=False)).to_numpy()
    if dup.any():
        rows_of = rownum[dup].astype(str).groupby(ids[dup]).agg(lambda r: ", ".join(r[:10]))
        probs.add(dup, cols.get("id", "id"), lambda m: "id '" + ids[m] + "' komt meermaals voor in dit "
                  "bestand (rijen " + ids[m].map(rows_of) + "); geef elke rij een eigen id of verwijder "
                  "de dubbele rij")

    report(0.65, "Records samenstellen…")
    refused = probs.refused()
    keep = ~refused
    records = pd.DataFrame({
        "layer": layer,
        "naam": naam.where(naam != "", None),
        "type": typ.str.lower() if len(lay.types) else typ,
        "status": status,
        "datum": dates["datum"],
        "wijk_ref": wijk_ref.where(wijk_ref != "", None),
        "x": x, "y": y, "sector": sector, "wijk_code": wijk_code,
    }, index=raw.index)
    for fld in lay.extra:
        records[fld] = dates[fld] if fld in dates else col(fld).where(col(fld) != "", None)
    if "id" in cols and (ids != "").all():
        records["id"] = ids
    else:
        generated = _stable_ids(layer, raw)
        records["id"] = ids.where(ids != "", generated)
        n_gen = int(((ids == "") & keep).sum())
        if n_gen:
            notes.append(f"{n_gen} rij(en) zonder id kregen een id afgeleid van hun inhoud: hetzelfde "
                         "bestand opnieuw laden verdubbelt niets, maar een gecorrigeerde rij zonder id "
                         "wordt een nieuw record. Voeg een kolom id toe om records bij te werken.")
    records = records[keep].reset_index(drop=True)

    table = probs.table()
    table["rij"] = rownum.to_numpy()[table["pos"].to_numpy()]
    problems = table[["rij", "kolom", "probleem"]].reset_index(drop=True)
    rejects = _rejects(raw, table, refused, rownum)
    broken = raw.attrs.get("malformed") or []
    if broken:
        why = [f"de rij heeft {n} velden in plaats van {expected}; controleer aanhalingstekens en het "
               "scheidingsteken op die regel" for _, _, n, expected in broken]
        extra = pd.DataFrame({"rij": [b[0] for b in broken], "kolom": "", "probleem": why})
        problems = pd.concat([problems, extra], ignore_index=True).sort_values("rij", ignore_index=True)
        lines = pd.DataFrame({"rij": [b[0] for b in broken], "kolom": "", "reden": why,
                              "oorspronkelijke_regel": [b[1] for b in broken]})
        rejects = pd.concat([rejects, lines], ignore_index=True).sort_values("rij", ignore_index=True)
    report(0.7, "Controle klaar.")
    return PointImport(records=records, rejects=rejects, notes=notes, problems=problems,
                       columns=cols, crs=used_crs)


def _require_location(raw: pd.DataFrame, cols: dict) -> None:
    """File-level check: some way to place a row (coordinates or a wijk) must be present."""
    for a, b in (("lat", "lon"), ("x", "y")):
        if (a in cols) != (b in cols):
            have, miss = (a, b) if a in cols else (b, a)
            raise CohesieError(
                f"Er is een kolom voor {FIELD_LABELS[have]} ('{cols[have]}') maar niet voor "
                f"{FIELD_LABELS[miss]}. Voeg die kolom toe of koppel ze met --map KOLOM={miss}."
            )
    if any(f in cols for f in ("lat", "x", "wijk")):
        return
    names = ", ".join(map(str, [c for c in raw.columns if not str(c).startswith("_")]))
    addr = [c for c in raw.columns if _norm(c) in ADDRESS_NAMES]
    if addr:
        raise CohesieError(
            f"Dit bestand heeft adressen (kolommen {', '.join(map(str, addr))}) maar geen "
            "coördinaten. Cohesiekaart zet geen adressen om naar punten: voeg kolommen lat en lon "
            "(WGS84) of x en y (Lambert) toe, bv. met een geocodeerdienst (zoals het "
            "Adressenregister of de GIS-dienst van de stad), of een kolom wijk. Kolommen nu: "
            f"{names}."
        )
    raise CohesieError(
        "Geen locatie gevonden: het bestand heeft geen kolommen lat/lon (WGS84), x/y (Lambert) of "
        f"wijk. Kolommen: {names}. Hernoem de kolommen of koppel ze met --map KOLOM=lat enz."
    )


def _coord_columns(cols: dict, used_crs) -> str:
    if "lat" in cols and "lon" in cols:
        return f"{cols['lat']}/{cols['lon']}"
    if "x" in cols and "y" in cols:
        return f"{cols['x']}/{cols['y']}"
    return ""


def _coord_text(col, cols, used_crs) -> pd.Series:
    if "lat" in cols:
        return col("lat") + ", " + col("lon")
    return col("x") + ", " + col("y")


def _coordinates(raw, cols, col, crs, probs: _Problems, notes: list[str]):
    """Parse and range-check the coordinate columns; returns (located, x, y, crs) with x/y in
    EPSG:31370 (NaN where not located)."""
    n = len(raw)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    located = np.zeros(n, dtype=bool)
    if "lat" in cols:
        a_fld, b_fld = "lon", "lat"      # a = east/x, b = north/y
        used = crs or 4326
    elif "x" in cols:
        a_fld, b_fld = "x", "y"
        used = None
    else:
        return located, x, y, None
    a_txt, b_txt = col(a_fld), col(b_fld)
    a, b = parse_numbers(a_txt), parse_numbers(b_txt)
    a_empty, b_empty = (a_txt == "").to_numpy(), (b_txt == "").to_numpy()
    for txt, num, fld, emp, other_emp in ((b_txt, b, b_fld, b_empty, a_empty), (a_txt, a, a_fld, a_empty, b_empty)):
        probs.add(emp & ~other_emp, cols[fld], f"{FIELD_LABELS[fld]} is leeg terwijl de andere "
                  "coördinaat ingevuld is; vul beide in of laat beide leeg")
        probs.add(~emp & num.isna().to_numpy(), cols[fld], lambda m, t=txt, f=fld: f"{FIELD_LABELS[f]} '" + t[m]
                  + "' is geen getal; schrijf bv. " + ("51,0259 of 51.0259" if f in ("lat", "lon", "y")
                                                        and a_fld == "lon" else "153456,7"))
    ok = a.notna().to_numpy() & b.notna().to_numpy()
    if used is None:
        declared = raw.attrs.get("crs")
        detected = detect_xy_crs(a[ok], b[ok])
        if crs is not None:
            used = crs
        elif declared and (declared != 4326 or detected in (None, 4326)):
            used = int(declared)
        elif declared == 4326 and detected not in (None, 4326):
            used = detected
            notes.append(f"Het bestand zegt WGS84, maar de coördinaten zijn {describe_crs(detected)}; "
                         "zo gelezen.")
        elif raw.attrs.get("geo") and declared is None and crs is None:
            raise CohesieError("Het bestand heeft geen coördinatenstelsel. Geef het op met --crs "
                               "(bv. --crs 31370) of kies het op de importpagina.")
        else:
            used = detected
        if used is None and ok.any():
            raise CohesieError(
                f"Het coördinatenstelsel van de kolommen {cols['x']}/{cols['y']} is niet te "
                "herkennen (geen WGS84, Lambert 72 of Lambert 2008). Geef het op met --crs "
                "(bv. --crs 31370) of gebruik kolommen lat/lon."
            )
        if used is not None and crs is None and declared is None:
            notes.append(f"Coördinatenstelsel herkend: {describe_crs(used)}.")
    elif crs is not None and crs != 4326:
        notes.append(f"Kolommen {cols['lon']}/{cols['lat']} gelezen als x/y in {describe_crs(crs)}.")
    if used == 4326:
        lat_bad = ok & ((b < -90) | (b > 90)).to_numpy()
        lon_bad = ok & ((a < -180) | (a > 180)).to_numpy()
        hint = ("; dit lijkt een Lambert-coördinaat: koppel de kolommen als x/y of kies het "
                "coördinatenstelsel met --crs" if (np.nanmedian(np.abs(b[ok])) > 1000 if ok.any() else False)
                else "; controleer de kolom")
        probs.add(lat_bad, cols[b_fld], lambda m: f"{FIELD_LABELS[b_fld]} " + b_txt[m] + " ligt buiten [-90, 90]" + hint)
        probs.add(lon_bad, cols[a_fld], lambda m: f"{FIELD_LABELS[a_fld]} " + a_txt[m] + " ligt buiten [-180, 180]" + hint)
        ok = ok & ~lat_bad & ~lon_bad
    if ok.any():
        xa, ya = spatial.to_analysis_xy(a[ok].to_numpy(), b[ok].to_numpy(), crs=int(used))
        x[ok], y[ok] = xa, ya
        good = np.isfinite(x) & np.isfinite(y)
        probs.add(ok & ~good, _coord_columns(cols, used),
                  "de coördinaten kunnen niet omgerekend worden; controleer ze en het coördinatenstelsel")
        ok = ok & good
    x[~ok], y[~ok] = np.nan, np.nan
    return ok, x, y, used


def _swapped(raw, cols, col, x, y, located, sector, sectors, probs: _Problems, notes, rownum):
    """Detect latitude/longitude swapped; swap only when every such point then lies inside."""
    if "lat" in cols:
        lat, lon = parse_numbers(col("lat")).to_numpy(), parse_numbers(col("lon")).to_numpy()
    else:
        lat, lon = parse_numbers(col("y")).to_numpy(), parse_numbers(col("x")).to_numpy()
    cand = (located & (lat >= BE_LON[0]) & (lat <= BE_LON[1]) & (lon >= BE_LAT[0]) & (lon <= BE_LAT[1]))
    if not cand.any():
        return located, sector
    xs, ys = spatial.to_analysis_xy(lat[cand], lon[cand], crs=4326)
    sw_sector = spatial.sector_of_points(xs, ys, sectors)
    inside = ~pd.isna(sw_sector)
    rows = ", ".join(map(str, rownum.to_numpy()[cand][:10])) + (" …" if cand.sum() > 10 else "")
    where = _coord_columns(cols, 4326)
    if inside.all():
        x[cand], y[cand] = xs, ys
        sector[cand] = sw_sector
        notes.append(f"Breedte- en lengtegraad waren omgewisseld in {int(cand.sum())} rij(en) "
                     f"({rows}); ze zijn teruggewisseld omdat al die punten dan in de gemeente "
                     f"liggen. Verbeter de kolommen {where} in het bronbestand.")
        return located, sector
    inside_full = np.zeros(len(cand), dtype=bool)
    inside_full[np.flatnonzero(cand)[inside]] = True
    probs.add(inside_full, where, "breedte- en lengtegraad lijken omgewisseld (omgewisseld ligt het punt "
              "in de gemeente); niet automatisch gecorrigeerd omdat niet alle omgewisselde punten in "
              "de gemeente vallen. Wissel de twee waarden om")
    probs.add(cand & ~inside_full, where, "breedte- en lengtegraad lijken omgewisseld, maar ook "
              "omgewisseld ligt het punt buiten de gemeente; controleer de coördinaten")
    located = located & ~cand
    x[cand], y[cand] = np.nan, np.nan
    sector[cand] = None
    return located, sector


def _rejects(raw: pd.DataFrame, table: pd.DataFrame, refused: np.ndarray,
             rownum: pd.Series) -> pd.DataFrame:
    """Refused rows with ``rij``, ``kolom`` and ``reden`` first, then the original columns."""
    original = raw.iloc[np.flatnonzero(refused)]
    original = original.drop(columns=[c for c in original.columns if str(c).startswith("_")])
    out = original.reset_index(drop=True)
    if not len(out):
        return pd.DataFrame(columns=["rij", "kolom", "reden", *out.columns])
    if table["pos"].duplicated().any():
        grouped = table.groupby("pos", sort=True).agg(
            kolom=("kolom", lambda s: ", ".join(dict.fromkeys(v for v in s if v))),
            reden=("probleem", "; ".join))
    else:
        grouped = table.set_index("pos")[["kolom", "probleem"]].rename(columns={"probleem": "reden"}).sort_index()
    out.insert(0, "reden", grouped["reden"].to_numpy())
    out.insert(0, "kolom", grouped["kolom"].to_numpy())
    out.insert(0, "rij", rownum.to_numpy()[np.flatnonzero(refused)])
    return out


def rejects_csv(rejects: pd.DataFrame) -> bytes:
    """Refused rows as CSV bytes for a download (UTF-8 with BOM so Excel shows accents)."""
    return rejects.to_csv(index=False, sep=";").encode("utf-8-sig")


# -- which layer a file holds -----------------------------------------------------------
@dataclass(frozen=True)
class TypeCounts:
    """How many of a file's type values are known types of each layer.

    Attributes
    ----------
    column : str or None
        The type column that was counted (None when the file has none).
    total : int
        Rows with a non-empty type value.
    per_layer : dict
        ``{layer: rows whose type is one of that layer's known types}``.
    """

    column: str | None
    total: int
    per_layer: dict[str, int]


def type_counts(raw: pd.DataFrame, columns: dict[str, str] | None = None) -> TypeCounts:
    """Count the type values of ``raw`` that are known types of each layer.

    ``columns`` is the ``{field: column}`` mapping of :func:`detect_columns`; without it the
    type column is found by its header (type, soort, categorie, ...).
    """
    if columns is None:
        lower = {_norm(c): c for c in reversed(list(raw.columns)) if not str(c).startswith("_")}
        column = next((lower[n] for n in ALIASES["type"] if n in lower), None)
    else:
        column = columns.get("type")
    if column is None or column not in raw.columns:
        return TypeCounts(None, 0, {name: 0 for name in LAYERS})
    values = raw[column].astype(str).str.strip().str.lower()
    values = values[values != ""]
    per_layer = {name: int(values.isin([t.lower() for t in lay.types]).sum()) for name, lay in LAYERS.items()}
    return TypeCounts(str(column), len(values), per_layer)


def guess_layer(raw: pd.DataFrame, columns: dict[str, str] | None = None, *,
                lang: str = "nl") -> tuple[str | None, str]:
    """The layer a file holds, guessed from its type values, and why (in ``lang``).

    A layer is guessed when at least half of the non-empty type values are its known types
    and no other layer has as many; otherwise the answer is None and the reason says what
    is missing, so the user chooses the layer.

    Returns
    -------
    (layer or None, reason)
        e.g. ``("meubilair", "Laag geraden uit de kolom type: 12 van 12 waarden zijn types
        van de laag Meubilair.")``
    """
    from cohesie.formatting import formatter
    from cohesie.i18n import layer_label, translate

    fmt = formatter(lang)
    counts = type_counts(raw, columns)
    if counts.column is None:
        return None, translate("Het bestand heeft geen kolom type (of soort, categorie) om de laag uit "
                               "te raden.", lang)
    if counts.total == 0:
        return None, translate("De kolom {kolom} is leeg, dus de laag is niet te raden.", lang,
                               kolom=counts.column)
    ranked = sorted(counts.per_layer.items(), key=lambda kv: kv[1], reverse=True)
    (best, n), (second, n2) = ranked[0], ranked[1]
    values = dict(kolom=counts.column, n=fmt.integer(n), totaal=fmt.integer(counts.total),
                  laag=layer_label(best, lang))
    if n == 0:
        return None, translate("Geen enkele waarde in de kolom {kolom} is een gekend type van een laag, "
                               "dus de laag is niet te raden.", lang, kolom=counts.column)
    if n == n2:
        return None, translate("De waarden in de kolom {kolom} passen even goed bij {laag} als bij "
                               "{andere} ({n} van {totaal} elk), dus de laag is niet te raden.", lang,
                               **values, andere=layer_label(second, lang))
    if 2 * n < counts.total:
        return None, translate("Slechts {n} van {totaal} waarden in de kolom {kolom} zijn types van de laag "
                               "{laag}, te weinig om de laag te raden.", lang, **values)
    return best, translate("Laag geraden uit de kolom {kolom}: {n} van {totaal} waarden zijn types van "
                           "de laag {laag}.", lang, **values)


def layer_mismatch(raw: pd.DataFrame, columns: dict[str, str] | None, layer: str, *,
                   lang: str = "nl") -> str | None:
    """A warning (in ``lang``) when the type values do not fit ``layer``; None when they do.

    They do not fit when another layer's known types cover more of the values, or when
    none of the values is a known type of ``layer`` (a city may have its own types, so this
    is a warning, not a refusal).
    """
    from cohesie.formatting import formatter
    from cohesie.i18n import layer_label, translate

    fmt = formatter(lang)
    counts = type_counts(raw, columns)
    if counts.column is None or counts.total == 0:
        return None
    chosen = counts.per_layer[layer]
    other, n_other = max(((k, v) for k, v in counts.per_layer.items() if k != layer), key=lambda kv: kv[1])
    if n_other > chosen:
        examples = ", ".join(LAYERS[other].types[:3])
        return translate("De gekozen laag is {laag}, maar {n} van {totaal} waarden in de kolom {kolom} "
                         "zijn types van de laag {andere} (zoals {voorbeelden}). Kies de laag {andere} "
                         "of controleer het bestand voor je importeert.", lang,
                         laag=layer_label(layer, lang), n=fmt.integer(n_other),
                         totaal=fmt.integer(counts.total), kolom=counts.column,
                         andere=layer_label(other, lang), voorbeelden=examples)
    if chosen == 0:
        return translate("Geen enkele van de {totaal} waarden in de kolom {kolom} is een gekend type van "
                         "de laag {laag} ({types}). Klopt de gekozen laag?", lang,
                         totaal=fmt.integer(counts.total), kolom=counts.column,
                         laag=layer_label(layer, lang), types=", ".join(LAYERS[layer].types))
    return None
