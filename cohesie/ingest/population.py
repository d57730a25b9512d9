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
    #: shares of age groups and sexes per sector as context figures (``niveau, code, kolom,
    #: waarde`` and their ``meta``, as :class:`cohesie.ingest.context.ContextFile`); empty when
    #: the file carries no such columns
    composition: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["niveau", "code", "kolom", "waarde"]))
    composition_meta: pd.DataFrame = field(default_factory=pd.DataFrame)
    long: bool = False  # one row per sector and age class / sex (pivoted)


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
    used = {c for c in cols.values() if c}
    rest = [c for c in frame.columns if c not in used]
    long_cols = {k: statbel._find_column(rest, pats) for k, pats in LONG_FIELDS.items()}
    long_cols = {k: v for k, v in long_cols.items() if v}
    rest = [c for c in rest if c not in long_cols.values()]
    wide = {} if long_cols else {c: (age_class(c), sex_of(c)) for c in rest}
    wide = {c: ("leeftijd", a) if a else ("geslacht", x) for c, (a, x) in wide.items() if a or x}
    derived_total = False
    if cols["inwoners"] is None and any(d == "leeftijd" for d, _ in wide.values()):
        derived_total = True  # the inhabitants are the sum of the age groups
    found = ", ".join(map(str, list(frame.columns)[:20]))
    missing = [what for what, key in (("de sectorcode", "code"), ("het aantal inwoners", "inwoners"))
               if cols[key] is None and not (key == "inwoners" and derived_total)]
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
    bad: list[str] = []
    groups: dict[str, pd.Series] = {}
    dimension: dict[str, str] = {}
    for column, (dim, group) in wide.items():
        if group in groups:
            bad.append(f"kolommen '{dimension[group + '_kolom']}' en '{column}' zijn allebei {group}; laat er één over")
            continue
        counted, wrong = statbel.parse_inhabitants(frame[column], column=column, rows=frame.index)
        bad += wrong
        groups[group], dimension[group], dimension[group + "_kolom"] = counted, dim, column
    if derived_total:
        ages = [groups[g] for g in groups if dimension[g] == "leeftijd"]
        numbers = pd.concat(ages, axis=1).sum(axis=1, min_count=len(ages)) if ages else pd.Series(dtype=float)
        numbers = numbers.where(pd.concat(ages, axis=1).notna().all(axis=1))
    else:
        numbers, wrong = statbel.parse_inhabitants(frame[cols["inwoners"]], column=cols["inwoners"],
                                                   rows=frame.index)
        bad += wrong
    for group in list(groups):
        over = groups[group] > numbers
        bad += [f"rij {rij}: {group} ({int(g)}) is meer dan het aantal inwoners ({int(n)}) in kolom "
                f"'{dimension[group + '_kolom']}'" for rij, g, n in
                zip(frame.index[over.to_numpy()], groups[group][over], numbers[over])][:20]
    if long_cols:
        kinds = _long_groups(frame, long_cols, name, bad)
        for dim in kinds.columns:
            for group in sorted(set(kinds[dim].dropna())):
                groups[group] = numbers.where(kinds[dim] == group, 0).where(numbers.notna())
                dimension[group] = dim
    empty_code = codes.eq("") | codes.eq("NAN")
    bad += [f"rij {rij}: lege sectorcode" for rij in frame.index[empty_code.to_numpy()]]
    table = pd.DataFrame({"sector": codes.to_numpy(), "inwoners": numbers.to_numpy()})[~empty_code.to_numpy()]
    dup = table["sector"][table["sector"].duplicated()]
    if long_cols:  # one row per sector and class: a class listed twice for a sector is the fault
        keys = pd.concat([codes.rename("sector"), frame[list(long_cols.values())]], axis=1)[~empty_code.to_numpy()]
        twice = keys[keys.duplicated(keep=False)].drop_duplicates()
        bad += [f"sector {r[0]} staat meer dan eens in het bestand met " + ", ".join(
                    f"{col} '{v}'" for col, v in zip(long_cols.values(), r[1:]))
                for r in twice.itertuples(index=False)][:20]
    elif len(dup) and not is_statbel:
        bad += [f"sector {c} staat meer dan eens in het bestand; laat één rij per sector over"
                for c in sorted(set(dup))[:20]]
    if bad:
        raise ValidationError(f"{name}: ongeldige bevolkingscijfers.", bad)
    without = sorted(set(table.loc[table["inwoners"].isna(), "sector"]))
    table = table.dropna(subset=["inwoners"])
    table = table.groupby("sector", as_index=False)["inwoners"].sum()
    table["inwoners"] = table["inwoners"].astype("int64")
    notes = []
    jaar = _year(path, frame, year)
    keep = ~empty_code.to_numpy()
    comp, comp_meta = composition(codes[keep], {g: s[keep] for g, s in groups.items()},
                                  table.set_index("sector")["inwoners"], jaar=jaar,
                                  dimension={g: d for g, d in dimension.items() if not g.endswith("_kolom")}) \
        if groups else (pd.DataFrame(columns=["niveau", "code", "kolom", "waarde"]), pd.DataFrame())
    if derived_total:
        notes.append(f"{name} heeft geen kolom met het totaal: de inwoners zijn de som van de leeftijdsgroepen "
                     f"({', '.join(g for g in groups if dimension[g] == 'leeftijd')}).")
    if len(comp_meta):
        notes.append(f"Samenstelling van de bevolking als contextcijfers per sector: "
                     f"{', '.join(n + ' (%)' for n in comp_meta['naam'])}"
                     + (f" (lange vorm: één rij per sector en {' en '.join(long_cols)}, gedraaid)" if long_cols else "")
                     + ".")
    if without:
        notes.append(f"{len(without)} sector(en) staan in {name} zonder bevolkingscijfer (lege cel): "
                     + ", ".join(without[:10]))
    return PopulationFile(table, jaar, without,
                          {("sector" if k == "code" else k): v for k, v in cols.items() if v},
                          is_statbel, notes, comp, comp_meta, bool(long_cols))


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


# -- population composition: age groups and sex (issue 12) --------------------------------------
COMPOSITION_SOURCE = "bevolkingsbestand"
#: long format: the column naming a row's age class or sex
LONG_FIELDS = {
    "leeftijd": [r"cd_age", r"cd_age_class", r"tx_age_class", r"age", r"age_?class", r"age_?group",
                 r"leeftijd", r"leeftijdsklasse", r"leeftijdsgroep", r"leeftijdscategorie", r"lft"],
    "geslacht": [r"cd_sex", r"sex", r"geslacht", r"gender", r"tx_sex", r"tx_sex_nl"],
}
#: single ages (Statbel's CD_AGE 0…110) are grouped into these classes
BROAD_AGES = ((0, 17, "0-17"), (18, 64, "18-64"), (65, None, "65+"))
_PREFIX = r"^(?:ms_)?(?:pop(?:ulation)?|inw(?:oners)?|bevolking|aantal|n|leeftijd|lft|age)[ _]*"
_AGE_RANGE = re.compile(r"(\d{1,3})\s*(?:-|–|_|tot|to)\s*(\d{1,3})\s*(?:j|jaar|y|years)?")
_AGE_OPEN = re.compile(r"(\d{1,3})\s*(?:\+|_?plus|\s*en ouder|_en_ouder|\s*(?:jaar|j)?\s*(?:\+|en meer|en ouder))\s*(?:j|jaar)?")
SEXES = {"mannen": ("m", "man", "mannen", "male", "males", "men", "mannelijk", "h", "homme", "hommes"),
         "vrouwen": ("v", "f", "vrouw", "vrouwen", "female", "females", "women", "vrouwelijk", "femme", "femmes")}


def age_class(name) -> str | None:
    """``"0-17"``, ``"65+"`` for a column name or cell value naming an age class (``0-17``,
    ``leeftijd_18_64``, ``65+``, ``65 en ouder``, ``POP_65PLUS``), else None."""
    text = re.sub(_PREFIX, "", str(name).strip().lower())
    if m := _AGE_RANGE.fullmatch(text):
        low, high = int(m.group(1)), int(m.group(2))
        return f"{low}-{high}" if low <= high else None
    if m := _AGE_OPEN.fullmatch(text):
        return f"{int(m.group(1))}+"
    return None


def sex_of(name) -> str | None:
    """``"mannen"`` or ``"vrouwen"`` for a column name or cell value naming a sex (``M``,
    ``F``, ``V``, ``mannen``, ``vrouwen``, ``pop_m``), else None."""
    text = re.sub(_PREFIX, "", str(name).strip().lower())
    return next((sex for sex, names in SEXES.items() if text in names), None)


def composition_key(group: str) -> str:
    """The context column of a group's share (``65+`` → ``aandeel_65plus``, ``0-17`` →
    ``aandeel_0_17``, ``vrouwen`` → ``aandeel_vrouwen``)."""
    return "aandeel_" + group.replace("+", "plus").replace("-", "_")


def _class_order(group: str) -> tuple:
    m = re.match(r"(\d+)", group)
    return (0, int(m.group(1))) if m else (1, group)


def _long_groups(frame: pd.DataFrame, columns: dict, name: str, problems: list[str]) -> pd.DataFrame:
    """Per row the group(s) it belongs to, from the long format's age and sex columns (one
    column per dimension, values ``0-17``/``65+``/single ages, ``M``/``F``)."""
    out = pd.DataFrame(index=frame.index)
    if columns.get("leeftijd"):
        column = columns["leeftijd"]
        raw = frame[column].astype(str).str.strip()
        single = pd.to_numeric(raw, errors="coerce")
        if single.notna().all() and (single % 1 == 0).all():  # single ages: the broad classes
            def broad(age):
                return next(label for low, high, label in BROAD_AGES if age >= low and (high is None or age <= high))
            out["leeftijd"] = single.astype(int).map(broad)
        else:
            classes = raw.map(age_class)
            bad = classes.isna()
            problems += [f"rij {rij}: '{value}' in kolom '{column}' is geen leeftijdsklasse (schrijf bv. 0-17, "
                         "18-64, 65+ of één leeftijd per rij)" for rij, value in zip(frame.index[bad], raw[bad])][:20]
            out["leeftijd"] = classes
    if columns.get("geslacht"):
        column = columns["geslacht"]
        raw = frame[column].astype(str).str.strip()
        sexes = raw.map(sex_of)
        bad = sexes.isna()
        problems += [f"rij {rij}: '{value}' in kolom '{column}' is geen geslacht (schrijf M/V, M/F of "
                     "mannen/vrouwen)" for rij, value in zip(frame.index[bad], raw[bad])][:20]
        out["geslacht"] = sexes
    return out


def composition(sectors: pd.Series, counts: dict[str, pd.Series], totals: pd.Series, *, jaar: str | None,
                dimension: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shares (%) per sector of each group: the group's inhabitants over the sector's
    inhabitants × 100, rounded to 3 decimals; empty where either is missing or the sector has
    no inhabitants.

    Parameters
    ----------
    sectors : Series
        Sector code per row (a sector may repeat; its rows are added up).
    counts : dict
        Group (``0-17``, ``65+``, ``vrouwen``) → inhabitants per row.
    totals : Series
        The sector's inhabitants, indexed by sector code.
    dimension : dict
        Group → ``"leeftijd"`` or ``"geslacht"`` (the order of the figures: ages, then sexes).

    Returns
    -------
    (values, meta) : as :class:`cohesie.ingest.context.ContextFile` (``niveau`` ``sector``).
    """
    groups = sorted(counts, key=lambda g: (dimension[g] != "leeftijd", _class_order(g)))
    values, meta = [], []
    for group in groups:
        frame = pd.DataFrame({"sector": sectors.to_numpy(), "n": counts[group].to_numpy(dtype=float)})
        per = frame.groupby("sector")["n"].sum(min_count=1)
        whole = totals.reindex(per.index).astype(float)
        share = (per / whole.where(whole > 0) * 100).round(3)
        key = composition_key(group)
        values.append(pd.DataFrame({"niveau": "sector", "code": share.index.astype(str), "kolom": key,
                                    "waarde": share.to_numpy()}).dropna(subset=["waarde"]))
        meta.append({"kolom": key, "niveau": "sector", "naam": f"Aandeel {group}", "eenheid": "%",
                     "bron": COMPOSITION_SOURCE, "jaar": jaar, "soort": "rate"})
    columns = ["niveau", "code", "kolom", "waarde"]
    out = pd.concat(values, ignore_index=True) if values else pd.DataFrame(columns=columns)
    return out[columns], pd.DataFrame(meta, columns=["kolom", "niveau", "naam", "eenheid", "bron", "jaar", "soort"])
