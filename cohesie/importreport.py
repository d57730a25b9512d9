"""What the Importeren page shows after a check or an import: the report as a view model.

Rules:
- The colour follows the outcome: ``success`` only when every row was imported; ``warning``
  when rows were refused; ``error`` when nothing could be imported or the file was refused;
  ``info`` for a check in which every row is valid (nothing is written by a check).
- No server path in any text: the stored upload is named by its original file name, the data
  directory as "de gegevensmap", any other absolute path by its last part.
- Every label in the page's language; numbers through :mod:`cohesie.formatting`. Messages of
  the row checks themselves (the reasons) stay Dutch, as everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohesie import operations
from cohesie.errors import CohesieError
from cohesie.formatting import formatter
from cohesie.i18n import layer_label, translate
from cohesie.ingest import points as point_ingest

#: Problems shown on the page; the download holds every refused row.
PROBLEMS_SHOWN = 200

_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(?:/[^\s/'\"(),;]+){2,}")
_WRITTEN = re.compile(r"(\d+) van (\d+) rijen geschreven…")


@dataclass(frozen=True)
class ImportReport:
    """Everything the page shows about one check or import.

    Attributes
    ----------
    kind : str
        ``"import"``, ``"check"``, ``"refused"`` (nothing imported) or ``"error"`` (file refused).
    level : str
        ``"success"``, ``"info"``, ``"warning"`` or ``"error"``: the colour of the message.
    message : str
        The outcome in one or two sentences.
    metrics : list of (label, value)
        Imported (or valid) and refused rows, formatted.
    notes : list of str
        What was detected or repaired while reading.
    problems : DataFrame or None
        The first :data:`PROBLEMS_SHOWN` problems: row, column and the full reason (text).
    problems_caption : str
        Says how many problems there are and how many are shown.
    download : bytes or None
        The refused rows with their reasons as CSV.
    download_name : str or None
        ``geweigerd_<original stem>.csv``.
    kept_note : str
        Where a copy of the refused rows is kept, without a path ("" when none is kept).
    """

    kind: str
    level: str
    message: str
    metrics: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: pd.DataFrame | None = None
    problems_caption: str = ""
    download: bytes | None = None
    download_name: str | None = None
    kept_note: str = ""


def public_text(text: str, *, stored: Path | str, original: str, places=(), lang: str = "nl") -> str:
    """``text`` without server paths: the stored upload becomes its original name, each of
    ``places`` (the data directory, the database location) "de gegevensmap" and any other
    absolute path its last part."""
    stored = Path(stored)
    places = sorted({str(p) for p in places if p is not None and str(p)}, key=len, reverse=True)
    folder = translate("de gegevensmap", lang)

    def hide(match: re.Match) -> str:
        path = match.group(0).rstrip(".")
        rest = match.group(0)[len(path):]  # a full stop ending the sentence
        return (folder if path in places else path.rsplit("/", 1)[-1]) + rest

    out = str(text).replace(str(stored), original).replace(stored.name, original)
    out = _ABSOLUTE_PATH.sub(hide, out)
    for place in places:
        out = out.replace(place, folder)
    return out


def rejects_file_name(original: str) -> str:
    """Name of the refused-rows download: ``geweigerd_<stem of the uploaded file>.csv``."""
    return f"geweigerd_{Path(original).stem or 'bestand'}.csv"


def progress_text(text: str, lang: str) -> str:
    """A progress message of the check or import in ``lang``, numbers formatted."""
    written = _WRITTEN.fullmatch(text)
    if written:
        fmt = formatter(lang)
        return translate("{klaar} van {totaal} rijen geschreven…", lang,
                         klaar=fmt.integer(int(written.group(1))), totaal=fmt.integer(int(written.group(2))))
    return translate(text, lang)


def run(store, path, *, action: str, original: str, layer: str, lang: str = "nl",
        strict: bool = False, sheet: str | None = None, crs: int | None = None,
        mapping: dict | None = None, progress=None) -> ImportReport:
    """Check (``action="check"``, writes nothing) or import the stored upload ``path`` into
    ``layer`` and return the page's report; errors become a report too (never raised).

    ``original`` is the file name as uploaded; ``progress(fraction, text)`` gets texts in ``lang``.
    """
    shown = (lambda f, text: progress(f, progress_text(text, lang))) if progress else None
    options = dict(layer=layer, sheet=sheet, crs=crs, mapping=mapping, progress=shown)
    clean = dict(stored=path, original=original, lang=lang,
                 places=(getattr(store, "data_dir", None), getattr(store, "location", None)))
    try:
        if action == "import":
            rep = operations.import_points(store, path, strict=strict, **options)
            # rep.notes[0] is the Dutch "n nieuw, m bijgewerkt" line; import_report writes it in lang
            return import_report(rep, original=original, layer=layer, lang=lang,
                                 notes=[public_text(n, **clean) for n in rep.notes[1:]])
        chk = operations.check_points(store, path, **options)
        return check_report(chk, original=original, lang=lang,
                            notes=[public_text(n, **clean) for n in chk.notes])
    except operations.ImportRefused as err:
        return refused_report(err.result, original=original, strict=strict, kept=err.rejects_path is not None,
                              lang=lang, notes=[public_text(n, **clean) for n in err.result.notes])
    except CohesieError as err:
        return ImportReport("error", "error", public_text(str(err), **clean))


def import_report(rep: operations.Report, *, original: str, layer: str, lang: str = "nl",
                  notes: list[str] | None = None) -> ImportReport:
    """The report of an import that wrote rows (``rep`` from :func:`operations.import_points`)."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    total = rep.imported + rep.refused
    values = dict(bestand=original, n=fmt.integer(rep.imported), totaal=fmt.integer(total),
                  geweigerd=fmt.integer(rep.refused), laag=layer_label(layer, lang))
    if rep.refused:
        level = "warning"
        message = t("{bestand}: {n} van {totaal} rijen geïmporteerd in {laag}, {geweigerd} geweigerd. "
                    "Verbeter de geweigerde rijen (download hieronder) en laad ze opnieuw.",
                    **values)
    else:
        level = "success"
        message = t("{bestand}: alle {n} rijen geïmporteerd in {laag}.", **values)
    unchanged = rep.imported - rep.inserted - rep.changed
    counts = t("{nieuw} nieuw, {bijgewerkt} bijgewerkt, {ongewijzigd} ongewijzigd.",
               nieuw=fmt.integer(rep.inserted), bijgewerkt=fmt.integer(rep.changed),
               ongewijzigd=fmt.integer(unchanged))
    return _with_rejects(ImportReport(
        "import", level, message,
        metrics=[(t("Geïmporteerd"), fmt.integer(rep.imported)), (t("Geweigerd"), fmt.integer(rep.refused))],
        notes=[counts, *(notes or [])]), rep.problems, rep.rejects, original=original,
        kept=rep.rejects_path is not None, lang=lang)


def check_report(chk: point_ingest.PointImport, *, original: str, lang: str = "nl",
                 notes: list[str] | None = None) -> ImportReport:
    """The report of a check (nothing written)."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    ok, bad = len(chk.records), len(chk.rejects)
    level = "info" if not bad else ("warning" if ok else "error")
    message = t("Controle: {ok} rijen geldig, {bad} geweigerd (nog niets geschreven).",
                ok=fmt.integer(ok), bad=fmt.integer(bad))
    return _with_rejects(ImportReport(
        "check", level, message,
        metrics=[(t("Geldig"), fmt.integer(ok)), (t("Geweigerd"), fmt.integer(bad))],
        notes=list(notes or [])), chk.problems, chk.rejects, original=original, kept=False, lang=lang)


def refused_report(result: point_ingest.PointImport, *, original: str, strict: bool, kept: bool,
                   lang: str = "nl", notes: list[str] | None = None) -> ImportReport:
    """The report when nothing was imported (no valid row, or ``strict`` with refused rows)."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    ok, bad = len(result.records), len(result.rejects)
    if ok and strict:
        message = t("{bestand}: niets geïmporteerd (strikt): {bad} van de {totaal} rijen zouden geweigerd "
                    "worden. Verbeter de rijen hieronder en laad het bestand opnieuw.", bestand=original,
                    bad=fmt.integer(bad), totaal=fmt.integer(ok + bad))
    else:
        message = t("{bestand}: niets geïmporteerd, geen enkele rij is geldig. Verbeter de rijen hieronder "
                    "en laad het bestand opnieuw.", bestand=original)
    return _with_rejects(ImportReport(
        "refused", "error", message,
        metrics=[(t("Geïmporteerd"), fmt.integer(0)), (t("Geweigerd"), fmt.integer(bad))],
        notes=list(notes or [])), result.problems, result.rejects, original=original, kept=kept, lang=lang)


def _with_rejects(report: ImportReport, problems: pd.DataFrame | None, rejects: pd.DataFrame | None, *,
                  original: str, kept: bool, lang: str) -> ImportReport:
    """``report`` with the problems table, its caption and the refused-rows download."""
    if rejects is None or not len(rejects):
        return report
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    problems = problems if problems is not None else pd.DataFrame(columns=["rij", "kolom", "probleem"])
    head = problems.head(PROBLEMS_SHOWN)
    table = pd.DataFrame({t("rij"): head["rij"].astype(str).to_numpy(),
                          t("kolom"): head["kolom"].fillna("").astype(str).to_numpy(),
                          t("reden"): head["probleem"].fillna("").astype(str).to_numpy()})
    if len(problems) > len(head):
        caption = t("De eerste {n} van {totaal} problemen; de download bevat alle geweigerde rijen met hun "
                    "reden.", n=fmt.integer(len(head)), totaal=fmt.integer(len(problems)))
    else:
        caption = t("Geweigerde rijen: {rijen}; problemen: {totaal}.", totaal=fmt.integer(len(problems)),
                    rijen=fmt.integer(len(rejects)))
    return ImportReport(
        report.kind, report.level, report.message, report.metrics, report.notes, problems=table,
        problems_caption=caption, download=point_ingest.rejects_csv(rejects),
        download_name=rejects_file_name(original),
        kept_note=t("Een kopie staat bij de geweigerde rijen van deze gegevensmap.") if kept else "")
