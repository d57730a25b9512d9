"""Wijk tables (sector → wijk) and wijk-name lists, as cities have them.

Layouts read (CSV or XLSX, one sheet; column names compared after lower-casing and removing
accents and punctuation):

- Provincies in Cijfers' "kerntabel": ``statsec, ggw7`` (2025 sectors) or
  ``statsec2024, ggw72024`` (2020-2024 sectors), without names. Wijk codes such as
  ``12025W03``, ``1202503`` or ``21001_58``.
- The city's own table ``sector, wijk_code, wijk_naam``.
- Any other column names, through a mapping ``{veld: kolom}`` (``--map SECTOR=sector``).

Wijk names come from a name list (:func:`read_wijk_names`: Provincies in Cijfers'
``sequencenr, geoitem code, short name, name``, using ``short name``; or the code and name
columns of a wijk polygon file, GeoJSON/GPKG/SHP), else from the table, else the wijk code
itself. An empty name is filled from the code and reported, never a reason to refuse.

Rules:

- The sector ``<nis>ZZZZ`` ("niet te lokaliseren") has no polygon. Its wijk (``<nis>WONB``,
  ``<nis>ONB``, ``<nis>99``) is the *onbekend* bucket: kept aside in
  :attr:`WijkTable.onbekend`, not a row of the table, never an error.
- Every problem of the file is collected and raised at once as a
  :class:`~cohesie.errors.ValidationError` (row by row, with how to fix it).

Nothing here writes; :func:`cohesie.operations.import_wijken` compares the table with the
loaded sectors (:mod:`cohesie.vintage`) and stores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohesie import areas, vintage
from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest.points import read_table
from cohesie.ingest.points.detection import use_column
from cohesie.ingest.points.reading import _norm

FIELDS = ("sector", "wijk_code", "wijk_naam")
FIELD_LABELS = {"sector": "sectorcode", "wijk_code": "wijkcode", "wijk_naam": "wijknaam"}
# --map also accepts these names for a field
FIELD_ALIASES = {"sector": "sector", "sectorcode": "sector", "wijk_code": "wijk_code",
                 "wijk": "wijk_code", "wijkcode": "wijk_code", "wijk_naam": "wijk_naam",
                 "naam": "wijk_naam", "wijknaam": "wijk_naam"}
# recognised column names per field (after _norm), first match first
TABLE_COLUMNS = {
    "sector": [r"sector", r"statsec(\d{4})?", r"cd_sector", r"cs\d{8}", r"sector_?code",
               r"code_?sector", r"statistische_sector", r"cd_statsec"],
    "wijk_code": [r"wijk_code", r"wijkcode", r"ggw\d*", r"code_?wijk", r"wijk_id", r"wijk",
                  r"geoitem(_code)?"],
    "wijk_naam": [r"wijk_naam", r"wijknaam", r"naam_?wijk", r"short_name", r"naam", r"name"],
}
NAME_COLUMNS = {
    "wijk_code": [r"geoitem_code", r"geoitem", r"wijk_code", r"wijkcode", r"ggw\d*", r"code_?wijk",
                  r"wijk_id", r"code"],
    "wijk_naam": [r"short_name", r"wijk_naam", r"wijknaam", r"naam_?wijk", r"naam", r"name"],
}
PINC_ATTRIBUTION = ("Wijken voor omgevingsanalyse. (c) gemeentebesturen, verzameld door Data & "
                    "Analyse van de Vlaamse provincies")
# the form of a Statbel sector code: NIS (5 digits) and 4 characters ("12025A00-", "1100212MQ")
SECTOR_CODE = re.compile(r"\d{5}[0-9A-Z]{3}[0-9A-Z-]")
POLYGON_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")
SHOWN = 10  # codes listed in one note


@dataclass
class WijkTable:
    """A sector → wijk table as read from a file.

    Attributes
    ----------
    table : DataFrame
        ``sector, wijk_code, wijk_naam``, one row per sector with a polygon (the ``<nis>ZZZZ``
        rows are not in it); every name filled.
    onbekend : dict
        Wijk code → name of the *onbekend* bucket(s) the unlocated sector maps to.
    unlocated : list of str
        The file's ``<nis>ZZZZ`` sector codes.
    vintage : str or None
        The sector set the columns say (:func:`cohesie.vintage.vintage_of_columns`).
    pinc : bool
        The table or the name list has a Provincies in Cijfers layout (attribution needed).
    columns : dict
        Field → column of the file it was read from.
    notes : list of str
        Dutch notes: names filled from the code, repeated rows, which columns were used.
    source, names_source : str
        File names of the table and of the name list ("" when none).
    problems : list of str
        Problems of the file (only with ``collect=True``; otherwise they are raised).
    odd_codes : list of str
        Rows whose sector code does not have the form of a Statbel code (e.g. cut off by a
        spreadsheet): not a problem by itself, but the likely reason a loaded sector is missing.
    """

    table: pd.DataFrame
    onbekend: dict[str, str] = field(default_factory=dict)
    unlocated: list[str] = field(default_factory=list)
    vintage: str | None = None
    pinc: bool = False
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    names_source: str = ""
    problems: list[str] = field(default_factory=list)
    odd_codes: list[str] = field(default_factory=list)

    @property
    def attribution(self) -> str | None:
        """The attribution the data's licence asks for (Provincies in Cijfers), or None."""
        return PINC_ATTRIBUTION if self.pinc else None


@dataclass
class WijkNames:
    """Wijk names from a name list: ``names`` maps wijk code → name."""

    names: dict[str, str]
    pinc: bool = False
    source: str = ""
    notes: list[str] = field(default_factory=list)


is_onbekend_wijk = areas.is_unlocated_wijk


def _match(columns, patterns: dict[str, list[str]]) -> dict[str, str]:
    normal = {}
    for col in columns:
        if not str(col).startswith("_"):
            normal.setdefault(_norm(col), col)
    found: dict[str, str] = {}
    for fld, pats in patterns.items():
        for pat in pats:
            hit = next((col for norm, col in normal.items() if re.fullmatch(pat, norm)
                        and col not in found.values()), None)
            if hit is not None:
                found[fld] = hit
                break
    return found


def _apply_mapping(found: dict[str, str], columns, mapping: dict[str, str] | None,
                   name: str) -> dict[str, str]:
    """``mapping`` ({veld: kolom}, as ``--map KOLOM=VELD`` gives it) over the recognised columns."""
    problems = []
    for fld, col in (mapping or {}).items():
        target = FIELD_ALIASES.get(_norm(fld))
        if target is None:
            problems.append(f"veld '{fld}' bestaat niet voor een wijkindeling (velden: "
                            f"{', '.join(FIELDS)})")
            continue
        if not use_column(found, target, columns, col):
            problems.append(f"kolom '{col}' staat niet in {name} (kolommen: "
                            f"{', '.join(map(str, columns))})")
    if problems:
        raise CohesieError("De koppeling van kolommen (--map KOLOM=VELD) klopt niet: "
                           + "; ".join(problems) + ". Bv. --map SECTOR=sector --map WIJK=wijk_code.")
    return found


def _read(path: Path, *, sheet: str | None) -> pd.DataFrame:
    if path.suffix.lower() in POLYGON_SUFFIXES:
        return _read_polygon_attributes(path)
    return read_table(path, sheet=sheet)


def _read_polygon_attributes(path: Path) -> pd.DataFrame:
    """The attribute table of a polygon file (GeoJSON, GeoPackage, shapefile or a zip with one)."""
    import pyogrio

    from cohesie.ingest.statbel import _vector_source

    if not path.exists():
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.")
    try:
        frame = pyogrio.read_dataframe(_vector_source(path), read_geometry=False)
    except CohesieError:
        raise
    except Exception as err:  # GDAL raises many types; the user needs one message
        raise CohesieError(f"{path.name} kan niet gelezen worden als kaartlaag ({err}). Controleer "
                           "of het een volledig GeoJSON-, GeoPackage- of shapefile-bestand is.") from None
    frame = pd.DataFrame(frame)
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="rij")  # feature number
    if frame.empty:
        raise CohesieError(f"{path.name} bevat geen objecten. Kies het juiste bestand.")
    return frame


def read_rows(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The rows of a wijk table or name list as text columns indexed by row number (for a page
    that shows the columns before importing); as :func:`read_wijk_table` reads them."""
    return _read(Path(path), sheet=sheet)


def recognised_columns(columns) -> dict[str, str]:
    """Field (``sector``, ``wijk_code``, ``wijk_naam``) → the column of ``columns`` that
    :func:`read_wijk_table` would use without ``--map``."""
    return _match(list(columns), TABLE_COLUMNS)


def _clean(series: pd.Series) -> pd.Series:
    text = series.fillna("").astype(str).str.strip()
    # a number-looking code read from Excel as a float ("1202503.0")
    return text.str.replace(r"^(\d+)\.0$", r"\1", regex=True)


def read_wijk_names(path: str | Path, *, sheet: str | None = None) -> WijkNames:
    """Wijk names from Provincies in Cijfers' name list or a wijk polygon file.

    Parameters
    ----------
    path : str or Path
        XLSX/CSV with ``geoitem code`` and ``short name`` (or ``wijk_code, wijk_naam``), or a
        GeoJSON/GPKG/SHP with a code and a name column (``geoitem, naam``).

    Returns
    -------
    WijkNames
    """
    path = Path(path)
    frame = _read(path, sheet=sheet)
    cols = _match(frame.columns, NAME_COLUMNS)
    missing = [FIELD_LABELS[f] for f in ("wijk_code", "wijk_naam") if f not in cols]
    if missing:
        raise CohesieError(
            f"{path.name}: geen kolom met de {' en de '.join(missing)} gevonden. Een namenlijst "
            "heeft een code- en een naamkolom (bv. 'geoitem code, short name' van Provincies in "
            "Cijfers, of 'wijk_code, wijk_naam'). Kolommen in het bestand: "
            f"{', '.join(map(str, frame.columns[:20]))}.")
    codes, names = _clean(frame[cols["wijk_code"]]), _clean(frame[cols["wijk_naam"]])
    keep = (codes != "") & (names != "")
    out: dict[str, str] = {}
    problems = []
    for rij, code, name in zip(frame.index[keep], codes[keep], names[keep]):
        if code in out and out[code] != name:
            problems.append(f"rij {rij}: wijk {code} heeft al de naam '{out[code]}', hier "
                            f"'{name}'; geef elke wijk één naam")
        out.setdefault(code, name)
    if problems:
        raise ValidationError(f"{path.name}: de namenlijst geeft wijken meer dan één naam.", problems)
    if not out:
        raise CohesieError(f"{path.name}: de kolommen {cols['wijk_code']} en {cols['wijk_naam']} "
                           "zijn leeg; kies de namenlijst met ingevulde codes en namen.")
    notes = [f"Wijknamen uit {path.name} (kolommen {cols['wijk_code']}, {cols['wijk_naam']})."]
    pinc = {"geoitem_code", "short_name"} <= {_norm(c) for c in frame.columns}
    return WijkNames(out, pinc=pinc, source=path.name, notes=notes)


def read_wijk_table(path: str | Path, *, mapping: dict[str, str] | None = None,
                    names: str | Path | None = None, sheet: str | None = None,
                    collect: bool = False) -> WijkTable:
    """A sector → wijk table from a file, with names from ``names``, the file or the code.

    Parameters
    ----------
    path : str or Path
        The table (CSV, XLSX, or the attributes of a GeoJSON/GPKG/SHP).
    mapping : dict, optional
        ``{veld: kolom}`` for columns with other names (fields ``sector``, ``wijk_code``,
        ``wijk_naam``; also ``wijk``, ``naam``).
    names : str or Path, optional
        A name list (:func:`read_wijk_names`); its names win over the table's.
    collect : bool
        Return the rows' problems in :attr:`WijkTable.problems` instead of raising them, so a
        caller can report them together with its own (e.g. the coverage of the loaded sectors).

    Raises
    ------
    CohesieError, ValidationError
        Unreadable file, no sector or wijk column, or rows with problems (all at once).
    """
    path = Path(path)
    name = path.name
    frame = _read(path, sheet=sheet)
    cols = _apply_mapping(_match(frame.columns, TABLE_COLUMNS), list(frame.columns), mapping, name)
    missing = [f for f in ("sector", "wijk_code") if f not in cols]
    if missing:
        raise CohesieError(
            f"{name}: geen kolom met de {' en de '.join(FIELD_LABELS[f] for f in missing)} gevonden "
            f"(kolommen in het bestand: {', '.join(map(str, frame.columns[:20]))}). Een wijkindeling "
            "heeft de kolommen sector,wijk_code,wijk_naam, of statsec,ggw7 (Provincies in Cijfers). "
            "Koppel andere kolommen met --map, bv. --map SECTOR=sector --map WIJK=wijk_code."
            + _what_it_looks_like(frame.columns))
    notes = [f"Kolommen: sector uit '{cols['sector']}', wijk uit '{cols['wijk_code']}'"
             + (f", naam uit '{cols['wijk_naam']}'." if "wijk_naam" in cols else ".")]
    sector = _clean(frame[cols["sector"]]).str.upper()
    wijk = _clean(frame[cols["wijk_code"]])
    naam = _clean(frame[cols["wijk_naam"]]) if "wijk_naam" in cols else pd.Series("", index=frame.index)
    rows = pd.DataFrame({"sector": sector, "wijk_code": wijk, "wijk_naam": naam})
    rows = rows[(rows != "").any(axis=1)]
    used = {cols[f] for f in cols}
    vintage_label = vintage.vintage_of_columns(used)
    pinc = any(re.fullmatch(r"statsec(\d{4})?|ggw\d*", _norm(c)) for c in used)

    problems, odd = [], []
    for rij, line, fields, expected in frame.attrs.get("malformed", []):
        problems.append(f"rij {rij}: {fields} velden in plaats van {expected} ('{line[:60]}'); "
                        "controleer het scheidingsteken en de aanhalingstekens van die rij")
    for rij, s, w in rows[["sector", "wijk_code"]].itertuples():
        if not s:
            problems.append(f"rij {rij}, kolom {cols['sector']}: de sectorcode is leeg"
                            + (f" (wijk {w})" if w else "")
                            + "; vul de code in (bv. 12025A00-) of verwijder de rij")
        elif not w:
            problems.append(f"rij {rij}, kolom {cols['wijk_code']}: sector {s} heeft geen wijkcode; "
                            "vul de wijk in")
        elif not (SECTOR_CODE.fullmatch(s) or vintage.is_unlocated(s)):
            odd.append(f"rij {rij}, kolom {cols['sector']}: '{s}' heeft niet de vorm van een "
                       "sectorcode van Statbel (5 cijfers NIS en 4 tekens, bv. 12025A00-)")
    rows = rows[(rows["sector"] != "") & (rows["wijk_code"] != "")]
    if rows.empty:  # nothing left to import, whatever else is wrong
        raise ValidationError(f"{name}: geen enkele rij heeft een sectorcode én een wijkcode; niets "
                              "geïmporteerd.", problems + odd)
    given = rows[rows["wijk_naam"] != ""].drop_duplicates(["wijk_code", "wijk_naam"])
    for code in sorted(set(given["wijk_code"][given["wijk_code"].duplicated()]))[:SHOWN]:
        problems.append(f"wijk {code} heeft meer dan één naam in de tabel "
                        f"({', '.join(given.loc[given['wijk_code'] == code, 'wijk_naam'])}); geef "
                        "elke wijk één naam")
    repeated = rows.duplicated(["sector", "wijk_code"])
    if repeated.any():
        notes.append(f"{int(repeated.sum())} rij(en) stonden er twee keer in; één keer gebruikt "
                     f"(rijen {', '.join(map(str, rows.index[repeated][:SHOWN]))}).")
        rows = rows[~repeated]
    twice = sorted(set(rows["sector"][rows["sector"].duplicated()]))
    for s in twice[:SHOWN]:
        places = rows.loc[rows["sector"] == s]
        problems.append(f"sector {s} staat in meer dan één wijk ({', '.join(places['wijk_code'])}, "
                        f"rijen {', '.join(map(str, places.index))}); laat elke sector in één wijk")
    if twice:
        problems.insert(0, "sector(en) staan in meer dan één wijk: " + ", ".join(twice[:SHOWN]))

    name_list = None
    if names is not None:
        try:
            name_list = read_wijk_names(names)
        except ValidationError as err:
            problems.extend(err.problems)
        except CohesieError as err:
            problems.append(str(err))
    if problems and not collect:
        raise ValidationError(f"{name}: de wijkindeling heeft fouten; niets geïmporteerd.", problems + odd)

    rows = _named(rows, name_list, notes)
    is_unlocated = rows["sector"].map(vintage.is_unlocated)
    onbekend = dict(rows.loc[is_unlocated, ["wijk_code", "wijk_naam"]].drop_duplicates("wijk_code")
                    .itertuples(index=False, name=None))
    table = rows[~is_unlocated].reset_index(drop=True)
    return WijkTable(table=table, onbekend=onbekend, unlocated=sorted(rows.loc[is_unlocated, "sector"]),
                     vintage=vintage_label, pinc=pinc or bool(name_list and name_list.pinc),
                     columns=cols, notes=notes, source=name,
                     names_source=name_list.source if name_list else "", problems=problems,
                     odd_codes=odd)


def _what_it_looks_like(columns) -> str:
    """A hint when a file without a wijk table's columns is another known kind of file."""
    names = {_norm(c) for c in columns}
    if {"geoitem_code", "short_name"} <= names or ("sector" not in _match(columns, TABLE_COLUMNS)
                                                   and len(_match(columns, NAME_COLUMNS)) == 2):
        return (" Dit lijkt een lijst met wijknamen: geef die met --names, naast de tabel sector → "
                "wijk (bv. statsec_ggw7.xlsx --names ggw7_namen.xlsx).")
    if {"cd_refnis", "total"} <= names:
        return " Dit lijkt een bevolkingsbestand van Statbel: importeer het met import-population."
    if {"cd_sector", "cs01012025"} & names and not _match(columns, {"w": TABLE_COLUMNS["wijk_code"]}):
        return " Dit lijkt een sectorbestand van Statbel: importeer het met import-sectors."
    return ""


def _named(rows: pd.DataFrame, name_list: WijkNames | None, notes: list[str]) -> pd.DataFrame:
    """Fill ``wijk_naam``: the name list first, then the file's own name, then the code."""
    rows = rows.copy()
    own = rows[rows["wijk_naam"] != ""].drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"]
    codes = pd.Series(sorted(set(rows["wijk_code"])), dtype=object)
    if name_list is not None:
        notes.extend(name_list.notes)
        listed = codes[codes.isin(list(name_list.names))]
        unlisted = sorted(set(codes) - set(listed))
        if unlisted:
            notes.append(f"{len(unlisted)} wijkcode(s) staan niet in {name_list.source}: "
                         f"{', '.join(unlisted[:SHOWN])}{' ...' if len(unlisted) > SHOWN else ''}"
                         f" (de namenlijst hoort bij een andere wijkindeling?)")
        chosen = {c: name_list.names.get(c) or own.get(c) or "" for c in codes}
    else:
        chosen = {c: own.get(c, "") for c in codes}
    from_code = sorted(c for c, n in chosen.items() if not n and not is_onbekend_wijk(c))
    if from_code:
        whole = name_list is None and own.empty
        notes.append(("Het bestand heeft geen wijknamen: " if whole else
                      f"{len(from_code)} wijk(en) zonder naam: ")
                     + "de wijkcode is de naam (" + ", ".join(from_code[:SHOWN])
                     + (" ..." if len(from_code) > SHOWN else "")
                     + "). Geef namen met --names NAMENLIJST of een kolom wijk_naam.")
    for code, chosen_name in chosen.items():
        if not chosen_name:
            chosen[code] = "niet te lokaliseren" if is_onbekend_wijk(code) else code
    rows["wijk_naam"] = rows["wijk_code"].map(chosen)
    return rows
