"""Statbel's statistical sectors (2018-2024 GeoJSON layout and 2025 shapefile layout),
population per sector (``OPENDATA_SECTOREN_<jaar>``) and a city's sector→wijk table."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from cohesie import settings
from cohesie.errors import CohesieError, ValidationError

# Each normalised field with the source columns it may come from (matched case-insensitively).
SECTOR_FIELDS = {
    "code": [r"cd_sector", r"cs\d{8}", r"cd_sector_\d{4}"],
    "naam": [r"tx_sector_descr_nl", r"t_sec_nl"],
    "deelgemeente": [r"cd_sub_munty", r"c_nis6"],
    "deelgemeente_naam": [r"tx_sub_munty_nl", r"t_nis6_nl"],
    "nis": [r"cd_munty_refnis", r"cnis5_\d{4}", r"c_nis5", r"cd_refnis"],
    "gemeente_naam": [r"tx_munty_descr_nl", r"t_mun_nl"],
}
READABLE = (".geojson", ".json", ".shp", ".gpkg", ".zip")


def _find_column(columns, patterns) -> str | None:
    for pattern in patterns:
        for col in columns:
            if re.fullmatch(pattern, str(col), flags=re.IGNORECASE):
                return col
    return None


def _vector_source(path: Path) -> str:
    """The path GDAL should open: for a zip, the one vector file inside (also in a folder)."""
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


def sectors_from_statbel(path: str | Path, *, nis: str, crs: int | None = None
                         ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Sectors of municipality ``nis`` from a Statbel file of either layout.

    Returns
    -------
    (GeoDataFrame, list of str)
        Sectors in EPSG:31370 with columns ``code, naam, deelgemeente, deelgemeente_naam, nis,
        gemeente_naam, geometry``, and Dutch notes (repairs, dropped sectors without polygon).
    """
    nis = str(nis).strip()
    if not re.fullmatch(r"\d{5}", nis):
        raise CohesieError(f"NIS-code '{nis}' is ongeldig: een gemeente heeft 5 cijfers, bv. 12025.")
    frame = read_vector(path, crs=crs)
    name = Path(path).name
    cols = {f: _find_column(frame.columns, pats) for f, pats in SECTOR_FIELDS.items()}
    if cols["code"] is None:
        raise CohesieError(
            f"{name}: geen kolom met de sectorcode gevonden (verwacht 'cd_sector' of "
            f"'CS01012025'). Kolommen in het bestand: {', '.join(map(str, frame.columns[:20]))}."
        )
    out = pd.DataFrame({"code": frame[cols["code"]].astype(str).str.strip()})
    for field in ("naam", "deelgemeente", "deelgemeente_naam", "nis", "gemeente_naam"):
        out[field] = frame[cols[field]].astype(str).str.strip() if cols[field] else None
    if cols["nis"] is None:
        out["nis"] = out["code"].str.slice(0, 5)
    out["nis"] = out["nis"].str.replace(r"\.0$", "", regex=True)
    if cols["deelgemeente"] is None:
        out["deelgemeente"] = out["code"].str.slice(0, 6)
    out["naam"] = out["naam"].fillna(out["code"]) if cols["naam"] else out["code"]
    out["deelgemeente_naam"] = out["deelgemeente_naam"].fillna(out["deelgemeente"])
    gdf = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)
    present = sorted(gdf["nis"].dropna().unique())
    gdf = gdf[gdf["nis"] == nis]
    if gdf.empty:
        raise CohesieError(
            f"{name} bevat geen sectoren van gemeente {nis}. NIS-codes in het bestand: "
            f"{', '.join(present[:30]) or 'geen'}{' ...' if len(present) > 30 else ''}. "
            "Kies een van die codes met --nis of gebruik het bestand van de juiste gemeente."
        )
    notes: list[str] = []
    no_geom = gdf.geometry.isna() | gdf.geometry.is_empty
    if no_geom.any():
        notes.append(f"{int(no_geom.sum())} sector(en) zonder polygoon overgeslagen: "
                     + ", ".join(gdf.loc[no_geom, "code"][:10]))
        gdf = gdf[~no_geom]
    dup = gdf["code"][gdf["code"].duplicated()]
    if len(dup):
        raise ValidationError(f"{name}: sectorcodes komen meer dan eens voor.",
                              [f"sector {c} staat meer dan eens in het bestand" for c in sorted(set(dup))])
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf = gdf.copy()
        gdf.loc[invalid, "geometry"] = shapely.make_valid(gdf.loc[invalid, "geometry"].values)
        notes.append(f"{int(invalid.sum())} ongeldige polygoon/polygonen hersteld: "
                     + ", ".join(gdf.loc[invalid, "code"][:10]))
    gdf = gdf.copy()
    gdf["geometry"] = gdf.geometry.apply(_polygonal)
    return gdf.sort_values("code", ignore_index=True), notes


def _polygonal(geom):
    """Keep only the polygon parts (make_valid may add lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _read_text_table(path: Path, *, sep: str | None) -> pd.DataFrame:
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
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
