"""The Importeren page for area files — sectors, a wijk table, population — with the same
operations and messages as ``import-sectors``, ``import-wijken`` and ``import-population``.

Rules:
- The page's column mapping is the command line's ``--map KOLOM=VELD``: a dict field → column,
  passed to the same operation (:mod:`cohesie.operations`).
- Messages are the operation's own (Dutch, as on the command line); only the page's labels are
  translated. No server path in any text (:func:`cohesie.importreport.public_text`).
- The colour follows the outcome: ``warning`` when the import left something out — what the
  data check (:func:`left_out_after`) then finds for that kind of file: sectors without wijk or
  in "onbekend", sectors without a population figure, points outside; ``success`` otherwise;
  ``error`` when the file was refused (a refused file changes nothing).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesie import dataset, operations
from cohesie.errors import CohesieError, ValidationError
from cohesie.importreport import ImportReport, public_text
from cohesie.i18n import translate

KINDS = ("punten", "sectoren", "wijkindeling", "bevolking")
KIND_LABELS = {"punten": "Punten (een laag)", "sectoren": "Statistische sectoren (polygonen)",
               "wijkindeling": "Wijkindeling (sector → wijk)", "bevolking": "Bevolking per sector"}
# a shapefile is uploaded zipped: a lone .shp has no attributes (.dbf) or coordinate system (.prj)
UPLOAD_TYPES = {
    "sectoren": ["zip", "gpkg", "geojson", "json"],
    "wijkindeling": ["csv", "txt", "tsv", "xlsx", "xlsm", "geojson", "json", "gpkg", "zip"],
    "bevolking": ["txt", "csv", "tsv", "xlsx", "xlsm", "gpkg", "geojson", "json", "zip"],
}
COMMANDS = {"sectoren": "import-sectors", "wijkindeling": "import-wijken", "bevolking": "import-population"}


def fields(kind: str) -> dict[str, str]:
    """The fields ``--map`` accepts for ``kind`` with a Dutch label (translate for display)."""
    if kind == "sectoren":
        return {"sector": "sectorcode (verplicht)", "naam": "naam van de sector",
                "deelgemeente": "code van de deelgemeente", "deelgemeente_naam": "naam van de deelgemeente",
                "nis": "NIS-code van de gemeente", "gemeente_naam": "naam van de gemeente",
                "inwoners": "aantal inwoners per sector"}
    if kind == "wijkindeling":
        return {"sector": "sectorcode (verplicht)", "wijk_code": "wijkcode (verplicht)", "wijk_naam": "wijknaam"}
    if kind == "bevolking":
        return {"sector": "sectorcode (verplicht)", "inwoners": "aantal inwoners (verplicht)",
                "nis": "NIS-code van de gemeente"}
    raise CohesieError(f"Onbekende soort bestand '{kind}'. Kies uit {', '.join(KINDS[1:])}.")


def read_preview(path, kind: str) -> pd.DataFrame:
    """The file's table as read (text columns; a polygon file's attributes), for the preview
    and the column choices."""
    from cohesie.ingest import population, wijken

    fields(kind)
    if kind == "wijkindeling":
        return wijken._read(Path(path), sheet=None)
    return population.read_attributes(Path(path))


def detect(kind: str, columns) -> dict[str, str]:
    """Field → column recognised in ``columns`` without any mapping (as the operation would)."""
    from cohesie.ingest import population, statbel, wijken

    columns = [str(c) for c in columns if not str(c).startswith("_")]
    if kind == "wijkindeling":
        return dict(wijken._match(columns, wijken.TABLE_COLUMNS))
    patterns, known = ((statbel.SECTOR_FIELDS, fields("sectoren")) if kind == "sectoren"
                       else (population.POPULATION_FIELDS, fields("bevolking")))
    found, _ = statbel.resolve_columns(columns, patterns, None, name="", fields=known)
    return {("sector" if f == "code" else f): c for f, c in found.items() if c and
            ("sector" if f == "code" else f) in known}


def run(store, path, *, kind: str, original: str, lang: str = "nl", mapping: dict | None = None,
        nis: str | None = None, crs: int | None = None, names: str | Path | None = None,
        names_original: str | None = None, onbekend: bool = False, year: str | None = None,
        gedeeltelijk: bool = False) -> ImportReport:
    """Import the stored upload ``path`` as ``kind`` and return the page's report (never raises).

    ``mapping`` is field → column (``--map``); ``nis``/``crs`` for sectors, ``names``/``onbekend``
    for a wijk table, ``year``/``gedeeltelijk`` for population.
    """
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    places = (getattr(store, "data_dir", None), getattr(store, "location", None))

    def clean(text: str) -> str:
        out = public_text(text, stored=path, original=original, lang=lang, places=places)
        if names is not None and names_original:
            out = public_text(out, stored=names, original=names_original, lang=lang, places=places)
        return out

    mapping = {f: c for f, c in (mapping or {}).items() if c} or None
    try:
        if kind == "sectoren":
            rep = operations.import_sectors(store, path, nis=nis, crs=crs, mapping=mapping)
        elif kind == "wijkindeling":
            rep = operations.import_wijken(store, path, names=names, mapping=mapping, onbekend=onbekend)
        elif kind == "bevolking":
            rep = operations.import_population(store, path, mapping=mapping, year=year or None,
                                               partial=gedeeltelijk)
        else:
            fields(kind)  # raises the Dutch "unknown kind"
    except ValidationError as err:
        problems = pd.DataFrame({t("probleem"): [clean(p) for p in err.problems]}) if err.problems else None
        return ImportReport("error", "error", t("{bestand}: niets geïmporteerd, er is niets gewijzigd.",
                                                bestand=original) + " " + clean(err.summary),
                            problems=problems,
                            problems_caption=t("{n} probleem/problemen; verbeter ze en laad het bestand opnieuw.",
                                               n=len(err.problems)) if err.problems else "")
    except CohesieError as err:
        return ImportReport("error", "error", t("{bestand}: niets geïmporteerd, er is niets gewijzigd.",
                                                bestand=original) + " " + clean(str(err)))
    except OSError as err:
        return ImportReport("error", "error", t("{bestand}: niets geïmporteerd, er is niets gewijzigd.",
                                                bestand=original) + " " + clean(f"{err.strerror}"))
    notes = [clean(n) for n in [*rep.notes, *rep.details]]
    left_out = left_out_after(store, kind, lang=lang)
    if left_out:
        notes.append(t("Gegevenscontrole: {wat}", wat=" ".join(left_out)))
    return ImportReport("import", "warning" if left_out else "success", clean(rep.message), notes=notes)


#: the data-check topics in which an import of each kind can leave something out
LEFT_OUT_TOPICS = {"sectoren": ("wijken", "bevolking", "punten"), "wijkindeling": ("wijken",),
                   "bevolking": ("bevolking",)}


def left_out_after(store, kind: str, *, lang: str = "nl") -> list[str]:
    """What the data check (:mod:`cohesie.datacheck`) finds left out or mismatched after an import
    of ``kind`` (its findings' sentences; [] when nothing was): sectors without wijk or in
    'onbekend', sectors without a population figure, unknown codes, points outside."""
    from cohesie import datacheck

    data = dataset.load(store, point_layers=())
    found = datacheck.check(data, data.meta, data.imports, tables=store.check_tables(), lang=lang)
    return [i.what for i in found.warnings if i.topic in LEFT_OUT_TOPICS[kind]]


def command_line(kind: str, original: str, *, mapping: dict | None = None, nis: str | None = None,
                 crs: int | None = None, names_original: str | None = None, onbekend: bool = False,
                 year: str | None = None, gedeeltelijk: bool = False) -> str:
    """The command that does the same import (shown under the report)."""
    import shlex

    parts = ["python -m cohesie", COMMANDS[kind], shlex.quote(original)]
    if kind == "sectoren":
        parts += ["--nis", shlex.quote(str(nis))] + (["--crs", str(crs)] if crs else [])
    if kind == "wijkindeling" and names_original:
        parts += ["--names", shlex.quote(names_original)]
    if kind == "wijkindeling" and onbekend:
        parts.append("--onbekend")
    if kind == "bevolking" and year:
        parts += ["--year", shlex.quote(str(year))]
    if kind == "bevolking" and gedeeltelijk:
        parts.append("--gedeeltelijk")
    for fld, column in (mapping or {}).items():
        if column:
            parts += ["--map", shlex.quote(f"{column}={fld}")]
    return " ".join(parts)
