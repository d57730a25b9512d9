"""Inhabitants per sector from any table: Statbel's ``OPENDATA_SECTOREN_<jaar>``, a CSV/XLSX
with a sector code and a population column, or the attribute table of a GPKG/SHP/GeoJSON.

Rules:
- the sector column and the population column are recognised by name (``CD_SECTOR``,
  ``sector``, ``statsec``, ...; ``TOTAL``, ``inwoners``, ``bevolking``, ``population``,
  ``POP``) or named with ``mapping`` (field → column, as ``--map POP=inwoners``);
- rows of other municipalities are dropped by the NIS column when there is one (``CD_REFNIS``,
  ``MUNICIP``, ``nis``), else by the first 5 characters of the sector code;
- an empty population cell means "no figure" for that sector (listed, never 0); text, negative
  or fractional values are problems, all reported at once;
- Statbel's own file may list a sector more than once (its rows are added up); any other table
  listing a sector twice is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest import statbel

POPULATION_FIELDS = {
    "code": [r"cd_sector", r"cs\d{8}", r"cd_sector_\d{4}", r"sector", r"statsec(\d{4})?",
             r"sector_?code", r"code_?sector", r"cd_statsec", r"code"],
    "inwoners": [r"total", r"inwoners", r"bevolking", r"population", r"pop", r"ms_population",
                 r"totaal", r"aantal_inwoners", r"aantal"],
    "nis": [r"cd_refnis", r"cd_munty_refnis", r"cnis5_\d{4}", r"c_nis5", r"municip", r"nis",
            r"nis_?code", r"nis5", r"refnis"],
}
POPULATION_MAP_FIELDS = {"sector": "sectorcode (verplicht)", "inwoners": "aantal inwoners (verplicht)",
                         "nis": "NIS-code van de gemeente"}
VECTOR_SUFFIXES = (".shp", ".zip", ".gpkg", ".geojson", ".json")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


@dataclass
class PopulationFile:
    """What :func:`population_from_file` read.

    Attributes
    ----------
    table : DataFrame
        ``sector, inwoners`` (int) of the municipality, one row per sector with a figure.
    jaar : str or None
        Reference year: ``year`` if given, else from the file name (``..._2025``), else from
        Statbel's ``DT_STRT_SECTOR``.
    without_figure : list of str
        Sector codes listed in the file with an empty population cell.
    columns : dict
        Field → column of the file it was read from.
    statbel : bool
        The file has Statbel's ``OPENDATA_SECTOREN`` layout.
    notes : list of str
    """

    table: pd.DataFrame
    jaar: str | None
    without_figure: list[str] = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    statbel: bool = False
    notes: list[str] = field(default_factory=list)


def read_attributes(path: Path) -> pd.DataFrame:
    """Any table as text columns indexed by row number (header = row 1); a polygon file gives
    its attribute table (no coordinate system needed)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    if suffix in VECTOR_SUFFIXES:
        import pyogrio

        source = statbel._vector_source(path)
        try:
            frame = pyogrio.read_dataframe(source, read_geometry=False)
        except Exception as err:  # GDAL raises many types; the user needs one message
            raise CohesieError(f"{path.name} kan niet gelezen worden ({err}). Controleer of het een "
                               "volledig GeoPackage-, shapefile- of GeoJSON-bestand is.") from None
        frame = pd.DataFrame(frame)
        frame = frame.astype(object).where(frame.notna(), "").astype(str)
        frame.index = pd.RangeIndex(2, len(frame) + 2, name="rij")
        if frame.empty:
            raise CohesieError(f"{path.name} bevat geen rijen.")
        return frame
    if suffix not in TABLE_SUFFIXES:
        raise CohesieError(f"{path.name}: bestandstype '{suffix or '(geen)'}' wordt niet ondersteund voor "
                           "bevolking. Gebruik Statbel's OPENDATA_SECTOREN_<jaar>.txt, een CSV- of "
                           "XLSX-tabel, of een GeoPackage/shapefile met een bevolkingskolom.")
    from cohesie.ingest import points

    return points.read_table(path)


def population_from_file(path: str | Path, *, nis: str, mapping: dict | None = None,
                         year: str | int | None = None) -> PopulationFile:
    """Inhabitants per sector of municipality ``nis`` from any table (see the module rules).

    Parameters
    ----------
    mapping : dict, optional
        Field (``sector``, ``inwoners``, ``nis``) → column, e.g. ``{"inwoners": "POP"}``.
    year : str or int, optional
        Reference year when the file name does not carry one.
    """
    path = Path(path)
    if year is not None and str(year).strip() and not re.fullmatch(r"(19|20)\d\d", str(year).strip()):
        raise CohesieError(f"--year '{str(year).strip()}' is geen jaartal; schrijf bv. --year 2025.")
    frame = read_attributes(path)
    name = path.name
    cols, problems = statbel.resolve_columns(frame.columns, POPULATION_FIELDS, mapping, name=name,
                                             fields=POPULATION_MAP_FIELDS)
    if problems:
        raise ValidationError(f"{name}: --map klopt niet.", problems)
    found = ", ".join(map(str, list(frame.columns)[:20]))
    missing = [what for what, key in (("de sectorcode", "code"), ("het aantal inwoners", "inwoners"))
               if cols[key] is None]
    if missing:
        raise CohesieError(
            f"{name}: geen kolom met {' en '.join(missing)} gevonden. Kolommen in het bestand: {found}. "
            "Herkend worden CD_SECTOR, sector, statsec, sector_code, code (sectorcode) en TOTAL, "
            "inwoners, bevolking, population, POP (inwoners). Zeg welke kolom wat is met --map, bv. "
            "--map SECTOR=sector --map POP=inwoners."
        )
    upper = {str(c).upper() for c in frame.columns}
    is_statbel = {"CD_REFNIS", "CD_SECTOR", "TOTAL"} <= upper
    codes = statbel.normalise_codes(frame[cols["code"]])
    wrong = statbel.not_sector_codes(codes, cols["code"], name=name, columns=frame.columns, flag="--map",
                                     raw=frame[cols["code"]])
    if wrong:
        raise CohesieError(wrong)
    nis_of_row = (statbel._nis_text(frame[cols["nis"]]) if cols["nis"] else codes.str.slice(0, 5))
    present = sorted(set(nis_of_row) - {""})
    mine = (nis_of_row == str(nis)).to_numpy()
    if not mine.any():
        by = f"kolom '{cols['nis']}'" if cols["nis"] else "de eerste 5 tekens van de sectorcode"
        raise CohesieError(
            f"{name} bevat geen sectoren van gemeente {nis} (NIS-code gelezen uit {by}; gevonden: "
            f"{', '.join(present[:20]) or 'geen'}). Controleer de NIS-code van de geladen sectoren of "
            "het bestand."
        )
    frame, codes = frame[mine], codes[mine]
    numbers, bad = statbel.parse_inhabitants(frame[cols["inwoners"]], column=cols["inwoners"],
                                             rows=frame.index)
    empty_code = codes.eq("") | codes.eq("NAN")
    bad += [f"rij {rij}: lege sectorcode" for rij in frame.index[empty_code.to_numpy()]]
    table = pd.DataFrame({"sector": codes.to_numpy(), "inwoners": numbers.to_numpy()})[~empty_code.to_numpy()]
    dup = table["sector"][table["sector"].duplicated()]
    if len(dup) and not is_statbel:
        bad += [f"sector {c} staat meer dan eens in het bestand; laat één rij per sector over"
                for c in sorted(set(dup))[:20]]
    if bad:
        raise ValidationError(f"{name}: ongeldige bevolkingscijfers.", bad)
    without = sorted(set(table.loc[table["inwoners"].isna(), "sector"]))
    table = table.dropna(subset=["inwoners"])
    table = table.groupby("sector", as_index=False)["inwoners"].sum()
    table["inwoners"] = table["inwoners"].astype("int64")
    notes = []
    if without:
        notes.append(f"{len(without)} sector(en) staan in {name} zonder bevolkingscijfer (lege cel): "
                     + ", ".join(without[:10]))
    return PopulationFile(table, _year(path, frame, year), without,
                          {("sector" if k == "code" else k): v for k, v in cols.items() if v},
                          is_statbel, notes)


def _year(path: Path, frame: pd.DataFrame, year) -> str | None:
    if year is not None and str(year).strip():
        return str(year).strip()  # checked before reading the file
    match = re.search(r"(?<!\d)((19|20)\d\d)(\d{4})?(?!\d)", path.stem)
    if match:
        return match.group(1)
    starts = [c for c in frame.columns if str(c).upper() == "DT_STRT_SECTOR"]
    if starts and len(frame):
        value = str(frame[starts[0]].iloc[0]).strip()[-4:]
        if re.fullmatch(r"(19|20)\d\d", value):
            return value
    return None
