"""Sector vintages: which set of statistical sector codes a file uses, and how well it covers
the loaded sectors.

Statbel revised the sector codes in 2025 (Mechelen: 97 sectors in the set used from 2020 to
2024, 103 in 2025; split sectors got new codes such as ``12025A12K``/``12025A12L`` for
``12025A12-``). Wijk tables, population files and sector files of different vintages therefore
meet. The rules:

- A vintage is recognised from a file's column names only (:func:`vintage_of_columns`):
  Provincies in Cijfers' kerntabel says ``statsec``/``ggw7`` for 2025 and
  ``statsec2024``/``ggw72024`` for 2020-2024; Statbel's sector files say ``CS01012025`` /
  ``CNIS5_2025`` in the 2025 layout and ``cd_sector`` in the 2018-2024 layout. Codes alone do
  not tell the set, so a side without recognised columns has no vintage (``None``).
- ``2018-2024`` and ``2020-2024`` are both the codes before the 2025 revision; only ``2025``
  differs from them.
- The code ``<nis>ZZZZ`` ("niet te lokaliseren") has no polygon: it is neither covered nor
  unknown, it is reported on its own (:attr:`Coverage.unlocated`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

V2025 = "2025"
V2020_2024 = "2020-2024"
V2018_2024 = "2018-2024"

# how a vintage reads in a sentence ("het bestand gebruikt ...", "de geladen sectoren zijn ...")
_USES = {V2025: "sectorcodes van 2025",
         V2020_2024: "sectorcodes van de set 2020-2024 (vóór de herziening van 2025)",
         V2018_2024: "sectorcodes van vóór 2025 (Statbel-indeling 2018-2024)"}
_IS = {V2025: "de set 2025",
       V2020_2024: "de set 2020-2024 (vóór de herziening van 2025)",
       V2018_2024: "een set van vóór 2025 (Statbel-indeling 2018-2024)"}

# column name (lower case, full match) -> vintage; the first match in this order wins
_COLUMN_VINTAGES = [
    (r"statsec2024|ggw72024", V2020_2024),
    (r"statsec|ggw7", V2025),
    (r"cs01012025|cnis5_2025", V2025),
    (r"cd_sector", V2018_2024),
]
UNLOCATED_CODE = re.compile(r"\d{5}ZZZZ", flags=re.IGNORECASE)
EXAMPLES = 5  # codes shown as examples in a sentence


def vintage_of_columns(columns: Iterable) -> str | None:
    """The sector set a file's columns say it uses: ``"2025"``, ``"2020-2024"``,
    ``"2018-2024"`` or ``None`` when no column tells.

    Parameters
    ----------
    columns : iterable of str
        Column names as read (case and surrounding spaces ignored).
    """
    names = {str(c).strip().lower() for c in columns}
    for pattern, vintage in _COLUMN_VINTAGES:
        if any(re.fullmatch(pattern, name) for name in names):
            return vintage
    return None


def vintage_of_year(year) -> str | None:
    """The sector set of a file dated ``year`` (e.g. Statbel's ``OPENDATA_SECTOREN_2025``):
    ``"2025"`` from 2025 on, ``"2018-2024"`` for 2018-2024, else ``None``."""
    try:
        value = int(str(year).strip()[:4])
    except (TypeError, ValueError):
        return None
    if value >= 2025:
        return V2025
    if 2018 <= value <= 2024:
        return V2018_2024
    return None


def same_set(a: str | None, b: str | None) -> bool | None:
    """Whether two vintages are the same code set (``None`` when either is unknown)."""
    if a is None or b is None:
        return None
    return (a == V2025) == (b == V2025)


def describe(vintage: str | None) -> str:
    """A vintage as a Dutch noun phrase ("de set 2025"; "een onbekende set" for ``None``)."""
    return _IS.get(vintage, "een onbekende set") if vintage else "een onbekende set"


def is_unlocated(code) -> bool:
    """Whether ``code`` is a municipality's "niet te lokaliseren" sector ``<nis>ZZZZ``."""
    return bool(UNLOCATED_CODE.fullmatch(str(code).strip()))


@dataclass(frozen=True)
class Coverage:
    """How a file's sector codes cover the loaded sectors.

    Attributes
    ----------
    loaded : int
        Number of distinct loaded sector codes.
    covered : int
        Loaded codes that the file has.
    left_out : int
        Loaded codes the file does not have (examples in ``left_out_examples``).
    unknown : int
        Codes of the file that are not loaded sectors, not counting ``<nis>ZZZZ``.
    unlocated : tuple of str
        The file's ``<nis>ZZZZ`` codes ("niet te lokaliseren"): neither covered nor unknown.
    file_vintage, loaded_vintage : str or None
        The sector set each side looks like (see :func:`vintage_of_columns`).
    file_name : str or None
        How the file is named in :meth:`explain` (default "het bestand").
    """

    loaded: int
    covered: int
    left_out: int
    unknown: int
    left_out_examples: tuple[str, ...] = ()
    unknown_examples: tuple[str, ...] = ()
    left_out_codes: tuple[str, ...] = ()
    unknown_codes: tuple[str, ...] = ()
    unlocated: tuple[str, ...] = ()
    file_vintage: str | None = None
    loaded_vintage: str | None = None
    file_name: str | None = None

    @property
    def complete(self) -> bool:
        """Every loaded sector is in the file."""
        return self.left_out == 0

    @property
    def exact(self) -> bool:
        """The file has exactly the loaded sectors (besides ``<nis>ZZZZ``)."""
        return self.left_out == 0 and self.unknown == 0

    @property
    def file_looks_like(self) -> str:
        """The file's sector set as a phrase ("sectorcodes van 2025")."""
        return _USES.get(self.file_vintage, "een niet herkende sectorset") if self.file_vintage \
            else "een niet herkende sectorset"

    @property
    def loaded_looks_like(self) -> str:
        """The loaded sectors' set as a phrase ("de set 2020-2024 ...")."""
        return describe(self.loaded_vintage)

    @property
    def vintages_differ(self) -> bool:
        """Both sides have a known vintage and they are different code sets."""
        return same_set(self.file_vintage, self.loaded_vintage) is False

    def vintage_sentence(self) -> str:
        """Which set each side looks like, in one Dutch sentence ("" when neither is known)."""
        if self.file_vintage is None and self.loaded_vintage is None:
            return ""
        subject = self.file_name or "het bestand"
        if self.file_vintage is None:
            return (f"De geladen sectoren zijn {describe(self.loaded_vintage)}; welke set "
                    f"{subject} gebruikt, is niet te herkennen aan de kolomnamen.")
        if self.loaded_vintage is None:
            return (f"{_capital(subject)} gebruikt {self.file_looks_like}; welke set de geladen "
                    "sectoren zijn, is niet bekend (ze werden zonder herkende kolomnamen "
                    "geïmporteerd).")
        return (f"{_capital(subject)} gebruikt {self.file_looks_like}; de geladen sectoren zijn "
                f"{describe(self.loaded_vintage)}.")

    def explain(self) -> str:
        """What covers what, which set each side looks like and what to do, in Dutch."""
        subject = self.file_name or "het bestand"
        parts = [f"{_capital(subject)} dekt {self.covered} van de {self.loaded} geladen sectoren"]
        if self.left_out:
            parts[0] += (f"; {self.left_out} ontbreken (bv. {', '.join(self.left_out_examples)}"
                         f"{' ...' if self.left_out > len(self.left_out_examples) else ''})")
        parts[0] += "."
        if self.unknown:
            parts.append(f"{self.unknown} sectorcode(s) uit {subject} bestaan niet in de geladen "
                         f"sectoren (bv. {', '.join(self.unknown_examples)}"
                         f"{' ...' if self.unknown > len(self.unknown_examples) else ''}).")
        if self.loaded and not self.covered:
            parts.append("Geen enkele code komt overeen: is het bestand van een andere gemeente?")
        sentence = self.vintage_sentence()
        if sentence and not self.exact:
            parts.append(sentence)
        if not self.complete:
            if self.vintages_differ:
                parts.append("Gebruik een bestand van dezelfde sectorset als de geladen sectoren, "
                             f"of importeer eerst de sectoren van {describe(self.file_vintage)}.")
            elif same_set(self.file_vintage, self.loaded_vintage):
                parts.append("Beide lijken dezelfde set, maar de codes verschillen: controleer "
                             "of het bestand volledig is en van dezelfde gemeente.")
            else:
                parts.append("Gebruik een bestand met dezelfde sectorcodes als de geladen sectoren.")
        return " ".join(parts)


def _capital(text: str) -> str:
    """"het bestand" → "Het bestand"; a file name ("statsec_ggw7.xlsx") keeps its case."""
    return text[:1].upper() + text[1:] if re.match(r"[a-z]+\s", text) else text


def compare_codes(file_codes: Iterable, loaded_codes: Iterable, *, file_label: str | None = None,
                  loaded_label: str | None = None, file_name: str | None = None,
                  examples: int = EXAMPLES) -> Coverage:
    """Compare the sector codes of a file with the loaded sectors.

    Parameters
    ----------
    file_codes, loaded_codes : iterable of str
        Sector codes (duplicates, surrounding spaces and empty values ignored).
    file_label, loaded_label : str, optional
        The vintage of each side (``"2025"``, ``"2020-2024"``, ``"2018-2024"``), e.g. from
        :func:`vintage_of_columns` or the store's meta ``sectoren_vintage``.
    file_name : str, optional
        How :meth:`Coverage.explain` names the file (e.g. its file name).
    examples : int
        How many codes each list of examples holds.

    Returns
    -------
    Coverage
    """
    found = {str(c).strip() for c in file_codes if _present(c)}
    loaded = {str(c).strip() for c in loaded_codes if _present(c)}
    unlocated = sorted(c for c in found if is_unlocated(c) and c not in loaded)
    left_out = sorted(loaded - found)
    unknown = sorted(found - loaded - set(unlocated))
    return Coverage(loaded=len(loaded), covered=len(loaded & found), left_out=len(left_out),
                    unknown=len(unknown), left_out_examples=tuple(left_out[:examples]),
                    unknown_examples=tuple(unknown[:examples]), left_out_codes=tuple(left_out),
                    unknown_codes=tuple(unknown), unlocated=tuple(unlocated),
                    file_vintage=file_label, loaded_vintage=loaded_label, file_name=file_name)


def _present(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return str(value).strip() != ""
