"""Reading point files: bytes on disk → a raw table of text cells.

``read_table`` turns a file as it comes (any common delimiter, UTF-8 with or without BOM,
Windows-1252, UTF-16; the first worksheet of an Excel file or layer of a GeoJSON/GeoPackage
with data) into rows of text indexed by their row number (``rij``). Before reading it checks
the file's size and archive contents (:mod:`cohesie.filesafety`), refuses files that are not
tables (images, PDFs, Word documents, binaries) with a Dutch message, and keeps rows whose
field count is wrong aside in ``frame.attrs["malformed"]`` instead of refusing the whole file.
Nothing here interprets the cells: that is :mod:`.detection` and :mod:`.validation`.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from cohesie import filesafety
from cohesie.errors import CohesieError

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
GEO_SUFFIXES = (".geojson", ".json", ".gpkg")
TABLE_SUFFIXES = TEXT_SUFFIXES + EXCEL_SUFFIXES + GEO_SUFFIXES
# Signatures of files that are not tables, with what they are.
_MAGIC = ((b"\x89PNG", "een PNG-afbeelding"), (b"\xff\xd8\xff", "een JPEG-afbeelding"),
          (b"GIF8", "een GIF-afbeelding"), (b"%PDF", "een PDF-document"),
          (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (.xls of .doc)"),
          (b"Rar!", "een RAR-archief"), (b"\x1f\x8b", "een gzip-archief"),
          (b"SQLite format 3", "een SQLite-databank"))


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
    text = decode_text(raw)
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    if sample and controls > max(2, len(sample) // 100):
        raise _not_a_table(name, "een binair bestand")
    return text


def decode_text(raw: bytes) -> str:
    """``raw`` as UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (reads any bytes)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


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
