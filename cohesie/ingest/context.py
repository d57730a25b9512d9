"""Context figures from a CSV/XLSX table: one row per sector or wijk, one column per figure.

Rules:
- the area code column is recognised by name (sector: ``sector``, ``statsec``, ``CD_SECTOR``,
  ``sector_code``, ``code``; wijk: ``wijk``, ``wijk_code``, ``ggw7``, ``code``) or named with
  ``mapping`` (``{"code": "KOLOM"}``, from ``--map KOLOM=code``);
- every other column holding numbers is a figure (``51,2`` and ``51.2`` both read); a column
  without any number (names, remarks) is skipped and said so; a text cell in a column of numbers
  is a problem; an empty cell is "no figure" for that area;
- a figure's column name in Cohesiekaart is the file's column in lower case with ``_`` for other
  characters (``Aandeel 65+`` → ``aandeel_65``); it may not be the name of a built-in indicator;
- codes that are not loaded areas, codes listed twice and empty codes are problems; loaded areas
  the file leaves out are reported (they get no figure);
- every problem is collected and reported at once (:class:`cohesie.errors.ValidationError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest import statbel
from cohesie.ingest.points import parse_numbers, read_table

CODE_PATTERNS = {
    "sector": [r"cd_sector", r"sector", r"statsec(\d{4})?", r"sector_?code", r"code_?sector", r"cs\d{8}",
               r"code"],
    "wijk": [r"wijk_?code", r"wijk", r"ggw7(\d{4})?", r"code_?wijk", r"code"],
}
RECOGNISED = {"sector": "CD_SECTOR, sector, statsec, sector_code, code",
              "wijk": "wijk_code, wijk, ggw7, code"}
EMPTY = ("", "nan", "none", "-", "—")
SHOWN = 20


@dataclass
class ContextFile:
    """What :func:`context_from_file` read.

    Attributes
    ----------
    values : DataFrame
        ``niveau, code, kolom, waarde``: one row per area and figure with a value.
    meta : DataFrame
        ``kolom, niveau, naam, eenheid, bron, jaar, soort`` per figure, in file order.
    missing : list of str
        Loaded area codes the file does not list.
    notes : list of str
    """

    values: pd.DataFrame
    meta: pd.DataFrame
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def column_key(name: str) -> str:
    """The name of a file's column in Cohesiekaart (``Aandeel 65+`` → ``aandeel_65``)."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def _options(items: dict | None, flag: str, columns: list[str], problems: list[str]) -> dict:
    """``{file column: value}`` of ``--name``/``--unit`` with unknown columns as problems."""
    out = {}
    for column, value in (items or {}).items():
        match = [c for c in columns if c == column] or [c for c in columns if c.lower() == column.lower()]
        if not match:
            problems.append(f"{flag} {column}=…: het bestand heeft geen kolom met getallen '{column}' "
                            f"(kolommen met getallen: {', '.join(columns) or 'geen'})")
        else:
            out[match[0]] = value
    return out


def context_from_file(path: str | Path, *, level: str, known_codes, mapping: dict | None = None,
                      counts=(), names: dict | None = None, units: dict | None = None,
                      source: str | None = None, year: str | int | None = None,
                      reserved=(), sheet: str | None = None) -> ContextFile:
    """Context figures per area of ``level`` (``sector`` or ``wijk``) from a table.

    Parameters
    ----------
    known_codes : iterable of str
        Codes of the loaded areas of ``level``.
    mapping : dict, optional
        ``{"code": column}``: the column with the area code.
    counts : iterable of str
        File columns that are counts (summed over areas); the others are rates or shares.
    names, units : dict, optional
        File column → name / unit shown (default: the column's own name, no unit).
    source, year : optional
        Source and reference year of every figure in the file.
    reserved : iterable of str
        Column names of built-in indicators, which a figure may not take.
    """
    path = Path(path)
    if level not in CODE_PATTERNS:
        raise CohesieError(f"--level '{level}' kan niet voor contextcijfers: kies sector of wijk.")
    year = None if year is None or not str(year).strip() else str(year).strip()
    if year is not None and not re.fullmatch(r"(19|20)\d\d", year):
        raise CohesieError(f"--year '{year}' is geen jaartal; schrijf bv. --year 2024.")
    frame = read_table(path, sheet=sheet)
    name = path.name
    problems: list[str] = []
    fields = {"code": f"{level}code (verplicht)"}
    remap = {("code" if k.strip().lower() in ("code", "sector", "wijk", "wijk_code") else k): v
             for k, v in (mapping or {}).items()}
    cols, map_problems = statbel.resolve_columns(frame.columns, {"code": CODE_PATTERNS[level]}, remap,
                                                 name=name, fields={"sector": fields["code"]})
    if map_problems:
        raise ValidationError(f"{name}: --map klopt niet.", [p.replace("kies uit sector", "kies code")
                                                             for p in map_problems])
    code_column = cols["code"]
    if code_column is None:
        raise CohesieError(
            f"{name}: geen kolom met de {level}code gevonden. Kolommen in het bestand: "
            f"{', '.join(map(str, frame.columns[:20]))}. Herkend worden "
            f"{RECOGNISED[level]}; "
            "zeg welke kolom de code heeft met --map KOLOM=code.")
    raw_codes = frame[code_column].astype(str).str.strip()
    codes = statbel.normalise_codes(raw_codes) if level == "sector" else raw_codes
    empty_code = raw_codes.str.lower().isin(EMPTY)
    problems += [f"rij {rij}: lege {level}code in kolom '{code_column}'" for rij in frame.index[empty_code.to_numpy()]]
    dup = sorted(set(codes[~empty_code & codes.duplicated(keep=False)]))
    problems += [f"{level} {c} staat meer dan eens in het bestand (rijen "
                 f"{', '.join(map(str, frame.index[(codes == c).to_numpy()]))}); laat één rij per {level} over"
                 for c in dup[:SHOWN]]
    known = {str(c) for c in known_codes}
    unknown = sorted(set(codes[~empty_code]) - known)
    if unknown:
        more = f" … en {len(unknown) - SHOWN} meer" if len(unknown) > SHOWN else ""
        problems.append(f"{len(unknown)} code(s) in kolom '{code_column}' zijn geen geladen {level}: "
                        f"{', '.join(unknown[:SHOWN])}{more}. Controleer de kolom (of --map KOLOM=code) en "
                        f"--level, of laad eerst de juiste {'sectoren' if level == 'sector' else 'wijkindeling'}.")

    notes: list[str] = []
    numeric: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column == code_column or str(column).startswith("_"):
            continue
        text = frame[column].astype(str).str.strip()
        filled = ~text.str.lower().isin(EMPTY)
        parsed = parse_numbers(text.where(filled, ""))
        if not filled.any() or not parsed[filled].notna().any():
            notes.append(f"Kolom '{column}' bevat geen getallen en wordt niet geladen.")
            continue
        bad = filled & parsed.isna()
        problems += [f"rij {rij}, kolom '{column}': '{value}' is geen getal"
                     for rij, value in zip(frame.index[bad.to_numpy()], frame[column][bad])][:SHOWN]
        numeric[str(column)] = parsed.where(filled)
    columns = list(numeric)
    if not columns:
        problems.append(f"{name} heeft naast de codekolom '{code_column}' geen kolom met getallen.")
    count_set = set(_options(dict.fromkeys(counts or (), True), "--count", columns, problems))
    names = _options(names, "--name", columns, problems)
    units = _options(units, "--unit", columns, problems)
    keys = {c: column_key(c) for c in columns}
    reserved = set(reserved)
    for column, key in keys.items():
        if not key:
            problems.append(f"kolom '{column}' heeft geen bruikbare naam; geef ze een naam met letters")
        elif key in reserved:
            problems.append(f"kolom '{column}' heeft de naam van een bestaande indicator ('{key}'); geef de "
                            "kolom in het bestand een andere naam")
    seen: dict[str, str] = {}
    for column, key in keys.items():
        if key and key in seen:
            problems.append(f"kolommen '{seen[key]}' en '{column}' krijgen dezelfde naam '{key}'; hernoem er één")
        seen.setdefault(key, column)
    if problems:
        raise ValidationError(f"{name}: de contextcijfers kunnen niet geladen worden; niets gewijzigd.",
                              problems)

    missing = sorted(known - set(codes))
    if missing:
        more = f" … en {len(missing) - SHOWN} meer" if len(missing) > SHOWN else ""
        notes.append(f"{len(missing)} geladen {level}(s) staan niet in {name} en krijgen geen cijfer (geen "
                     f"gegevens, niet 0): {', '.join(missing[:SHOWN])}{more}.")
    values = pd.concat([pd.DataFrame({"niveau": level, "code": codes.to_numpy(), "kolom": keys[c],
                                      "waarde": numeric[c].to_numpy()}) for c in columns], ignore_index=True)
    values = values[values["waarde"].notna()].reset_index(drop=True)
    meta = pd.DataFrame([{"kolom": keys[c], "niveau": level, "naam": names.get(c, c), "eenheid": units.get(c),
                          "bron": source or name, "jaar": year,
                          "soort": "count" if c in count_set else "rate"} for c in columns])
    return ContextFile(values, meta, missing, notes)
