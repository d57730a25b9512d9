"""Statbel's statistical sectors (2018-2024 GeoJSON layout and 2025 shapefile layout),
population per sector (``OPENDATA_SECTOREN_<jaar>``) and a city's sector→wijk table."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from cohesie import filesafety, settings
from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest.points.reading import decode_text

# Each normalised field with the source columns it may come from (matched case-insensitively,
# first pattern first): Statbel's 2018-2024 and 2025 layouts, then names GIS colleagues use.
SECTOR_FIELDS = {
    "code": [r"cd_sector", r"cs\d{8}", r"cd_sector_\d{4}", r"sector", r"statsec(\d{4})?",
             r"sector_?code", r"code_?sector", r"cd_statsec", r"code"],
    "naam": [r"tx_sector_descr_nl", r"t_sec_nl", r"sector_?naam", r"naam", r"name", r"t_sec"],
    "deelgemeente": [r"cd_sub_munty", r"c_nis6", r"deelgemeente", r"nis6"],
    "deelgemeente_naam": [r"tx_sub_munty_nl", r"t_nis6_nl", r"deelgemeente_?naam"],
    "nis": [r"cd_munty_refnis", r"cnis5_\d{4}", r"c_nis5", r"cd_refnis", r"municip", r"nis",
            r"nis_?code", r"nis5", r"refnis"],
    "gemeente_naam": [r"tx_munty_descr_nl", r"t_mun_nl", r"gemeente_?naam", r"gemeente"],
    "inwoners": [r"inwoners", r"bevolking", r"population", r"pop", r"ms_population", r"total",
                 r"totaal", r"aantal_inwoners"],
}
#: the names ``--map KOLOM=VELD`` accepts for a sector file, with what each one means
SECTOR_MAP_FIELDS = {
    "sector": "sectorcode (verplicht)", "naam": "naam van de sector",
    "deelgemeente": "code van de deelgemeente", "deelgemeente_naam": "naam van de deelgemeente",
    "nis": "NIS-code van de gemeente", "gemeente_naam": "naam van de gemeente",
    "inwoners": "aantal inwoners per sector",
}
#: a Statbel sector code: NIS (5 digits), deelgemeente letter, 3 more characters ("12025A00-")
SECTOR_CODE = re.compile(r"\d{5}[A-Z][0-9A-Z]{2}[0-9A-Z-]")
READABLE = (".geojson", ".json", ".shp", ".gpkg", ".zip")


def _find_column(columns, patterns) -> str | None:
    for pattern in patterns:
        for col in columns:
            if re.fullmatch(pattern, str(col), flags=re.IGNORECASE):
                return col
    return None


def _vector_source(path: Path) -> str:
    """The path GDAL should open: for a zip, the one vector file inside (also in a folder).
    The file passes :func:`cohesie.filesafety.check_file` first (size; a zip's members)."""
    filesafety.check_file(path)
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile:
        raise CohesieError(f"{path.name} is geen geldig zip-bestand. Download het opnieuw.") from None
    inner = [n for n in names if n.lower().endswith((".shp", ".geojson", ".json", ".gpkg"))
             and not n.startswith("__MACOSX")]
    if not inner:
        raise CohesieError(
            f"In {path.name} staat geen .shp, .geojson of .gpkg. Gevonden: "
            f"{', '.join(names[:10]) or 'niets'}."
        )
    if len(inner) > 1:
        shp = [n for n in inner if n.lower().endswith(".shp")]
        inner = shp[:1] or inner[:1]
    return f"/vsizip/{path.resolve()}/{inner[0]}"


def read_vector(path: str | Path, *, crs: int | None = None, layer: str | None = None
                ) -> gpd.GeoDataFrame:
    """Read a vector file and return it in EPSG:31370.

    The CRS comes from the file; ``crs`` is used only when the file has none (and then is
    required).
    """
    path = Path(path)
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    if path.suffix.lower() not in READABLE:
        raise CohesieError(
            f"{path.name}: onbekend bestandstype '{path.suffix}'. Gebruik .geojson, .shp, "
            ".gpkg of .zip (met een shapefile of GeoJSON erin)."
        )
    source = _vector_source(path)
    try:
        frame = pyogrio.read_dataframe(source, layer=layer)
    except Exception as err:  # GDAL raises many types; the user needs one message
        raise CohesieError(
            f"{path.name} kan niet gelezen worden als kaartlaag ({err}). Controleer of het "
            "een volledig GeoJSON-, shapefile- of GeoPackage-bestand is."
        ) from None
    if crs is not None and frame.crs is not None and frame.crs.to_epsg() == 4326 and _beyond_degrees(frame):
        frame = frame.set_crs(None, allow_override=True)  # GeoJSON without "crs" member: see below
    if frame.crs is None or (frame.crs.to_epsg() == 4326 and _beyond_degrees(frame)):
        if frame.crs is not None:
            raise CohesieError(
                f"{path.name} zegt WGS84 (graden), maar de coördinaten zijn meters: het bestand "
                "vermeldt zijn echte coördinatenstelsel niet. Geef het op met --crs, bv. --crs "
                "31370 (Lambert 72) of --crs 3812 (Lambert 2008)."
            )
        if crs is None:
            raise CohesieError(
                f"{path.name} heeft geen coördinatenstelsel (bij een shapefile ontbreekt het "
                ".prj-bestand). Geef het op met --crs, bv. --crs 31370 (Lambert 72) of "
                "--crs 3812 (Lambert 2008)."
            )
        frame = frame.set_crs(crs)
    return frame.to_crs(settings.ANALYSIS_CRS)


def _beyond_degrees(frame: gpd.GeoDataFrame) -> bool:
    """Coordinates that cannot be degrees (a GeoJSON in Lambert without its "crs" member is
    reported as WGS84 by GDAL)."""
    if frame.empty:
        return False
    minx, miny, maxx, maxy = frame.total_bounds
    return not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90)


@dataclass
class SectorFile:
    """What :func:`sectors_from_file` read from a polygon file.

    Attributes
    ----------
    sectors : GeoDataFrame
        Sectors in EPSG:31370 with ``code, naam, deelgemeente, deelgemeente_naam, nis,
        gemeente_naam, geometry``.
    notes : list of str
        Dutch notes: repairs, dropped rows, fields derived from the code.
    population : DataFrame or None
        ``sector, inwoners`` when the file has a population column (e.g. ``POP``).
    columns : dict
        Field → column of the file it was read from (only the fields found).
    derived : tuple of str
        Fields not in the file and derived from the sector code (``naam``, ``deelgemeente``, ...).
    """

    sectors: gpd.GeoDataFrame
    notes: list[str]
    population: pd.DataFrame | None = None
    columns: dict = field(default_factory=dict)
    derived: tuple[str, ...] = ()


def resolve_columns(columns, patterns: dict, mapping: dict | None, *, name: str,
                    fields: dict) -> tuple[dict, list[str]]:
    """Which column of a file holds each field: ``mapping`` (field → column) first, then the
    recognised names in ``patterns``.

    Returns the field → column dict (None when not found) and the problems with ``mapping``
    (unknown field, column not in the file), in Dutch.
    """
    columns = [str(c) for c in columns]
    problems = []
    chosen = {}
    for fld, column in (mapping or {}).items():
        key = {"code": "sector", "bevolking": "inwoners", "population": "inwoners"}.get(
            fld.strip().lower(), fld.strip().lower())
        if key not in fields:
            problems.append(f"--map {column}={fld}: onbekend veld '{fld}'; kies uit "
                            f"{', '.join(fields)}")
            continue
        match = [c for c in columns if c == column] or [c for c in columns if c.lower() == column.lower()]
        if not match:
            problems.append(f"--map {column}={fld}: {name} heeft geen kolom '{column}' (kolommen: "
                            f"{', '.join(columns[:30])})")
            continue
        chosen[key] = match[0]
    out = {}
    taken = set(chosen.values())
    for fld, pats in patterns.items():
        key = "sector" if fld == "code" else fld
        if key in chosen:
            out[fld] = chosen[key]
        else:
            found = _find_column([c for c in columns if c not in taken], pats)
            out[fld] = found
            if found is not None:
                taken.add(found)
    return out, problems


def normalise_codes(values: pd.Series) -> pd.Series:
    """Sector codes as Statbel writes them: trimmed, upper case, and the trailing ``-`` added
    to an 8-character code that lost it (``12025A00`` → ``12025A00-``)."""
    codes = values.astype(str).str.strip().str.upper()
    short = codes.str.fullmatch(r"\d{5}[A-Z][0-9A-Z]{2}")
    return codes.where(~short, codes + "-")


def _nis_text(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)


def not_sector_codes(codes: pd.Series, column: str, *, name: str, columns, flag: str,
                     raw: pd.Series | None = None) -> str | None:
    """A Dutch problem when most values of ``column`` (normalised ``codes``; ``raw`` as read,
    for the examples) are no sector codes, else None."""
    filled = codes[codes.ne("") & codes.ne("NAN") & codes.ne("NONE")]
    bad = filled[~filled.str.fullmatch(SECTOR_CODE.pattern)]
    if len(filled) and len(bad) <= len(filled) / 2:
        return None
    shown = (raw if raw is not None else codes).loc[bad.index].astype(str).str.strip()
    examples = ", ".join(f"'{v}'" for v in shown.drop_duplicates()[:3]) or "alleen lege waarden"
    return (f"{name}: kolom '{column}' bevat geen sectorcodes (bv. {examples}; een sectorcode is "
            f"zoals 12025A00-). Kolommen in het bestand: {', '.join(map(str, list(columns)[:20]))}. "
            f"Geef de juiste kolom op met {flag} KOLOM=sector.")


def parse_inhabitants(values: pd.Series, *, column: str, rows) -> tuple[pd.Series, list[str]]:
    """Inhabitant counts from text (``1234``, ``1234.0`` from Excel, ``1.234`` Belgian
    thousands); empty cells become missing ("geen cijfer"), anything else is a problem."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(r"\s", "", regex=True)
    text = text.where(~text.str.lower().isin(["", "nan", "none", "-", "—"]), "")
    cleaned = text.str.replace(r"^(\d{1,3})((\.\d{3})+)$", lambda m: m.group(1) + m.group(2).replace(".", ""),
                               regex=True)
    cleaned = cleaned.str.replace(r"^(\d+)[.,]0+$", r"\1", regex=True)
    numbers = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
    bad = (cleaned != "") & (numbers.isna() | (numbers < 0) | (numbers % 1 != 0))
    problems = [f"rij {rij}: {column} '{value}' is geen aantal inwoners"
                for rij, value in zip(pd.Index(rows)[bad.to_numpy()], values[bad])]
    return numbers.where(~bad), problems


def sectors_from_file(path: str | Path, *, nis: str, crs: int | None = None,
                      mapping: dict | None = None) -> SectorFile:
    """Sectors of municipality ``nis`` from any polygon file (GPKG, SHP, GeoJSON, zip).

    The sector code column is recognised (Statbel's ``CS01012025`` or ``cd_sector``, or
    ``SECTOR``, ``statsec``, ``sector_code``, ``code``) or named in ``mapping`` (field →
    column, e.g. ``{"sector": "SECTOR", "nis": "MUNICIP", "inwoners": "POP"}``). Names and
    deelgemeente are optional: without them the name is the code and the deelgemeente its first
    6 characters (said in the notes). Rows of other municipalities are dropped by the NIS column
    when there is one, else by the first 5 characters of the code.
    """
    nis = str(nis).strip()
    if not re.fullmatch(r"\d{5}", nis):
        raise CohesieError(f"NIS-code '{nis}' is ongeldig: een gemeente heeft 5 cijfers, bv. 12025.")
    frame = read_vector(path, crs=crs)
    name = Path(path).name
    attributes = [c for c in frame.columns if c != frame.geometry.name]
    cols, problems = resolve_columns(attributes, SECTOR_FIELDS, mapping, name=name,
                                     fields=SECTOR_MAP_FIELDS)
    if problems:
        raise ValidationError(f"{name}: --map klopt niet.", problems)
    if cols["code"] is None:
        raise CohesieError(
            f"{name}: geen kolom met de sectorcode gevonden (herkend: CS01012025, cd_sector, SECTOR, "
            f"statsec, sector_code, code). Kolommen in het bestand: "
            f"{', '.join(map(str, attributes[:20])) or 'geen'}. Zeg welke kolom de sectorcode is met "
            "--map KOLOM=sector, bv. --map SECTOR=sector (en eventueel --map MUNICIP=nis, "
            "--map NAAM=naam, --map POP=inwoners)."
        )
    codes = normalise_codes(frame[cols["code"]])
    wrong = not_sector_codes(codes, cols["code"], name=name, columns=attributes, flag="--map",
                             raw=frame[cols["code"]])
    if wrong:
        raise CohesieError(wrong)
    out = pd.DataFrame({"code": codes})
    for fld in ("naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam"):
        out[fld] = frame[cols[fld]].astype(str).str.strip() if cols[fld] else None
    derived = []
    if cols["nis"] is None:
        out["nis"] = out["code"].str.slice(0, 5)
    out["nis"] = _nis_text(out["nis"])
    if cols["deelgemeente"] is None:
        out["deelgemeente"] = out["code"].str.slice(0, 6)
        derived.append("deelgemeente")
    if cols["naam"] is None:
        out["naam"] = out["code"]
        derived.append("naam")
    else:
        out["naam"] = out["naam"].where(out["naam"].ne("") & out["naam"].notna(), out["code"])
    if cols["deelgemeente_naam"] is None:
        derived.append("deelgemeente_naam")
    out["deelgemeente_naam"] = out["deelgemeente_naam"].where(
        out["deelgemeente_naam"].notna() & out["deelgemeente_naam"].ne(""), out["deelgemeente"])
    gdf = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)
    gdf["_rij"] = range(2, len(gdf) + 2)
    if cols["inwoners"]:
        gdf["_inwoners"] = frame[cols["inwoners"]].to_numpy()
    present = sorted(gdf["nis"].dropna().unique())
    gdf = gdf[gdf["nis"] == nis]
    if gdf.empty:
        by = f"kolom '{cols['nis']}'" if cols["nis"] else "de eerste 5 tekens van de sectorcode"
        raise CohesieError(
            f"{name} bevat geen sectoren van gemeente {nis}. NIS-codes in het bestand: "
            f"{', '.join(present[:30]) or 'geen'}{' ...' if len(present) > 30 else ''} (gelezen uit "
            f"{by}). Kies een van die codes met --nis of gebruik het bestand van de juiste gemeente."
        )
    notes: list[str] = []
    if cols["gemeente_naam"] is None:
        gdf["gemeente_naam"] = gdf["nis"]
        derived.append("gemeente_naam")
    if derived:
        labels = {"naam": "sectornaam = de sectorcode", "deelgemeente": "deelgemeente = eerste 6 tekens "
                  "van de code", "deelgemeente_naam": "naam van de deelgemeente = haar code",
                  "gemeente_naam": "naam van de gemeente = de NIS-code"}
        notes.append(f"{name} heeft geen kolom voor {', '.join(derived)}; afgeleid van de sectorcode ("
                     + "; ".join(labels[d] for d in derived) + "). Geef de kolom op met --map KOLOM=VELD "
                     "als het bestand ze wel heeft.")
    no_geom = gdf.geometry.isna() | gdf.geometry.is_empty
    if no_geom.any():
        notes.append(f"{int(no_geom.sum())} sector(en) zonder polygoon overgeslagen: "
                     + ", ".join(gdf.loc[no_geom, "code"][:10]))
        gdf = gdf[~no_geom]
    dup = gdf["code"][gdf["code"].duplicated()]
    if len(dup):
        raise ValidationError(f"{name}: sectorcodes komen meer dan eens voor.",
                              [f"sector {c} staat meer dan eens in het bestand" for c in sorted(set(dup))])
    population = None
    if cols["inwoners"]:
        numbers, bad = parse_inhabitants(pd.Series(gdf["_inwoners"].to_numpy()), column=cols["inwoners"],
                                         rows=gdf["_rij"])
        if bad:
            raise ValidationError(f"{name}: ongeldige bevolkingscijfers in kolom '{cols['inwoners']}'.", bad)
        known = numbers.notna().to_numpy()
        population = pd.DataFrame({"sector": gdf["code"].to_numpy()[known],
                                   "inwoners": numbers[known].astype("int64").to_numpy()})
    gdf = gdf.drop(columns=[c for c in ("_rij", "_inwoners") if c in gdf.columns])
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf = gdf.copy()
        gdf.loc[invalid, "geometry"] = shapely.make_valid(gdf.loc[invalid, "geometry"].values)
        notes.append(f"{int(invalid.sum())} ongeldige polygoon/polygonen hersteld: "
                     + ", ".join(gdf.loc[invalid, "code"][:10]))
    gdf = gdf.copy()
    gdf["geometry"] = gdf.geometry.apply(_polygonal)
    used = {("sector" if f == "code" else f): c for f, c in cols.items() if c}
    return SectorFile(gdf.sort_values("code", ignore_index=True), notes, population, used, tuple(derived))


def sectors_from_statbel(path: str | Path, *, nis: str, crs: int | None = None,
                         mapping: dict | None = None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Sectors of municipality ``nis`` from a Statbel file of either layout (or any polygon
    file, see :func:`sectors_from_file`).

    Returns
    -------
    (GeoDataFrame, list of str)
        Sectors in EPSG:31370 with columns ``code, naam, deelgemeente, deelgemeente_naam, nis,
        gemeente_naam, geometry``, and Dutch notes (repairs, dropped sectors without polygon).
    """
    read = sectors_from_file(path, nis=nis, crs=crs, mapping=mapping)
    return read.sectors, read.notes


def _polygonal(geom):
    """Keep only the polygon parts (make_valid may add lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _read_text_table(path: Path, *, sep: str | None) -> pd.DataFrame:
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    filesafety.check_file(path)
    raw = path.read_bytes()
    text = decode_text(raw)
    if not text.strip():
        raise CohesieError(f"{path.name} is leeg.")
    if sep is None:
        first = text.splitlines()[0]
        sep = max([",", ";", "\t", "|"], key=first.count)
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def population_from_statbel(path: str | Path, *, nis: str) -> tuple[pd.DataFrame, str | None]:
    """Inhabitants per sector of ``nis`` from ``OPENDATA_SECTOREN_<jaar>`` (pipe-separated).

    Returns ``(DataFrame[sector, inwoners], jaar)``.
    """
    path = Path(path)
    table = _read_text_table(path, sep="|")
    table.columns = [c.strip().upper() for c in table.columns]
    needed = {"CD_REFNIS", "CD_SECTOR", "TOTAL"}
    if not needed <= set(table.columns):
        raise CohesieError(
            f"{path.name} is geen Statbel-bevolkingsbestand: de kolommen "
            f"{', '.join(sorted(needed - set(table.columns)))} ontbreken (gevonden: "
            f"{', '.join(table.columns[:10])}). Gebruik OPENDATA_SECTOREN_<jaar>.txt van Statbel."
        )
    table = table[table["CD_REFNIS"].str.strip() == str(nis)]
    if table.empty:
        raise CohesieError(
            f"{path.name} bevat geen sectoren van gemeente {nis}. Controleer de NIS-code van de "
            "geladen sectoren of het bestand."
        )
    problems = []
    totals = pd.to_numeric(table["TOTAL"].str.strip(), errors="coerce")
    for line, value, ok in zip(table.index + 2, table["TOTAL"], totals.notna() & (totals >= 0)):
        if not ok:
            problems.append(f"rij {line}: TOTAL '{value}' is geen aantal inwoners")
    if problems:
        raise ValidationError(f"{path.name}: ongeldige bevolkingscijfers.", problems)
    jaar = None
    match = re.search(r"(20\d\d)", path.name)
    if match:
        jaar = match.group(1)
    elif "DT_STRT_SECTOR" in table.columns:
        jaar = table["DT_STRT_SECTOR"].iloc[0][-4:]
    out = pd.DataFrame({"sector": table["CD_SECTOR"].str.strip(), "inwoners": totals.astype(int)})
    return out.groupby("sector", as_index=False)["inwoners"].sum(), jaar


def wijkindeling_from_csv(path: str | Path) -> pd.DataFrame:
    """The city's sector→wijk table with columns ``sector, wijk_code, wijk_naam``."""
    path = Path(path)
    table = _read_text_table(path, sep=None)
    table.columns = [c.strip().lower() for c in table.columns]
    needed = ["sector", "wijk_code", "wijk_naam"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise CohesieError(
            f"{path.name}: kolom(men) {', '.join(missing)} ontbreken. Een wijkindeling heeft "
            f"de kolommen sector,wijk_code,wijk_naam (gevonden: {', '.join(table.columns)})."
        )
    table = table[needed].apply(lambda s: s.str.strip())
    empty = table[(table == "").any(axis=1)]
    if len(empty):
        raise ValidationError(
            f"{path.name}: lege waarden in de wijkindeling.",
            [f"rij {i + 2}: sector, wijk_code en wijk_naam moeten ingevuld zijn" for i in empty.index],
        )
    return table
