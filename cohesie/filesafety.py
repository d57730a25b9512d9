"""Checks every imported file passes before anything reads its contents.

- Size: at most :func:`~cohesie.settings.max_upload_mb` MB (50 by default, the same limit as
  the upload widget's ``server.maxUploadSize``), for the page and the command line alike.
- Archives (zip, and xlsx which is a zip): the member list is read from the central directory
  only, then refused when there are more than :func:`~cohesie.settings.max_zip_members` members
  or their uncompressed sizes add up to more than :func:`~cohesie.settings.max_unzipped_mb` MB
  (a "zip bomb"). Readers of zip members (Python's ``zipfile``, GDAL's ``/vsizip``) stop at the
  declared size, so the declared sizes are what is checked.
- XLSX: every XML part is opened with :mod:`defusedxml`, which refuses a document type
  declaration (the carrier of entity bombs and external entities) before the first element.
  Excel never writes one. openpyxl itself parses with defusedxml too once it is installed.

Every refusal is a :class:`~cohesie.errors.CohesieError` with a Dutch message saying what is
wrong and what to do; nothing has been read or written at that point.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from cohesie import settings
from cohesie.errors import CohesieError
from cohesie.formatting import formatter

ZIP_MAGIC = b"PK\x03\x04"
MB = 1_000_000
XML_PARTS = (".xml", ".rels", ".vml")


class _Unreadable(CohesieError):
    """The archive's member list cannot be read at all."""


def _mb(n_bytes: float) -> str:
    """``3,8 MB``; under 1 MB in whole kB (``2 kB``), so a small limit does not read as 0,0."""
    fmt = formatter("nl")
    if n_bytes < MB:
        return f"{fmt.integer(max(1, round(n_bytes / 1000)))} kB"
    return f"{fmt.number(n_bytes / MB, 1)} MB"


def check_size(path: str | Path, *, name: str | None = None) -> int:
    """The size of ``path`` in bytes; a Dutch error when it is beyond the upload limit."""
    path = Path(path)
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise CohesieError(f"Bestand niet gevonden: {path}. Controleer het pad.") from None
    limit = settings.max_upload_mb()
    if size > limit * MB:
        raise CohesieError(
            f"{name} is {_mb(size)}; de grens voor een import is {_mb(limit * MB)}. Er is niets "
            "ingelezen. Verklein het bestand (bv. enkel de nodige kolommen of de eigen gemeente), "
            "of laat de beheerder de grens verhogen (instelling COHESIE_MAX_UPLOAD_MB en "
            "server.maxUploadSize in .streamlit/config.toml).")
    return size


def is_zip(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == ZIP_MAGIC
    except OSError:
        return False


def check_archive(path: str | Path, *, name: str | None = None) -> list[zipfile.ZipInfo]:
    """The members of the zip archive ``path`` (also an xlsx) once they pass the limits on
    their number and total uncompressed size; a Dutch error otherwise."""
    path = Path(path)
    name = name or path.name
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _Unreadable(f"{name} is geen geldig zip-archief (of het is beschadigd). Download of "
                           "exporteer het opnieuw.") from None
    most = settings.max_zip_members()
    if len(members) > most:
        raise CohesieError(
            f"{name} bevat {formatter('nl').integer(len(members))} bestanden; meer dan "
            f"{formatter('nl').integer(most)} wordt niet uitgepakt. Er is niets ingelezen. Zet enkel "
            "het nodige bestand (bv. de shapefile met .shp, .dbf, .shx en .prj) in het archief.")
    total = sum(max(m.file_size, 0) for m in members)
    limit = settings.max_unzipped_mb()
    if total > limit * MB:
        raise CohesieError(
            f"{name} wordt uitgepakt {_mb(total)} groot; de grens is {_mb(limit * MB)}. Er is "
            "niets ingelezen. Dit kan een 'zipbom' zijn; een echt bestand van deze grootte "
            "importeer je beter in delen (instelling COHESIE_MAX_UNZIPPED_MB).")
    return members


def check_xlsx_xml(path: str | Path, *, name: str | None = None,
                   members: list[zipfile.ZipInfo] | None = None) -> None:
    """Refuse an Excel workbook whose XML declares a document type (entity bombs, external
    entities): each XML part is parsed with defusedxml up to its first element."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    path = Path(path)
    name = name or path.name
    members = check_archive(path, name=name) if members is None else members
    try:
        with zipfile.ZipFile(path) as zf:
            for member in members:
                if not member.filename.lower().endswith(XML_PARTS):
                    continue
                with zf.open(member) as fh:
                    try:
                        for _event, _elem in iterparse(fh, events=("start",), forbid_dtd=True):
                            break  # a DTD comes before the first element: nothing more to check
                    except DefusedXmlException:
                        raise CohesieError(
                            f"{name} is geweigerd: het onderdeel {member.filename} bevat een "
                            "documenttype-declaratie (DTD/entiteiten), wat Excel nooit schrijft en "
                            "een aanval kan zijn ('XML-bom'). Er is niets ingelezen. Open het bestand "
                            "in Excel en sla het opnieuw op als .xlsx, of exporteer het als CSV.") from None
                    except ParseError:
                        pass  # broken XML: openpyxl reports it with the usual message
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as err:
        raise CohesieError(f"{name} kan niet gelezen worden als Excel-bestand ({err}). Open het in "
                           "Excel en sla het opnieuw op als .xlsx of CSV.") from None


def check_file(path: str | Path, *, name: str | None = None) -> None:
    """All checks that fit ``path``: size, then (zip or xlsx) the archive, then (xlsx) its XML."""
    path = Path(path)
    name = name or path.name
    check_size(path, name=name)
    if is_zip(path):
        try:
            members = check_archive(path, name=name)
        except _Unreadable:
            return  # not a zip after all: the reader says what the file is
        if path.suffix.lower() in (".xlsx", ".xlsm") or any(m.filename.startswith("xl/") for m in members):
            check_xlsx_xml(path, name=name, members=members)
