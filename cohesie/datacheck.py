"""The data check: is what is loaded consistent, and what to do where it is not.

``python -m cohesie check`` prints it and the Gegevens page shows it; both render the same
:class:`DataCheck` that :func:`check` returns.

Rules:
- One item per question: municipality and sector set, wijken, population, points, records per
  layer, the sources. Each item has a level: ``ok``, ``warning`` (the figures are incomplete or
  mix sector sets) or ``problem`` (nothing can be shown: no sectors).
- Every item that is not ``ok`` says what to do, with the exact command (file names in capitals
  are the reader's own files).
- Codes are compared with :func:`cohesie.vintage.compare_codes`; the sector set of each file
  comes from the store's meta (``sectoren_vintage``, ``wijken_vintage``, ``bevolking_vintage``)
  or, for population, from its year. ``<nis>ZZZZ`` ("niet te lokaliseren") is never a problem.
- A sector without a population figure is "no data", never 0 inhabitants.
- Exit code: 0 when every item is ``ok``, 1 otherwise.
- Every text in ``lang`` (:func:`cohesie.i18n.translate`), numbers through the formatter; sector
  codes, file names and commands stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PureWindowsPath

import pandas as pd

from cohesie import vintage
from cohesie.formatting import formatter
from cohesie.i18n import layer_label, translate
from cohesie.layers import LAYERS

OK, WARNING, PROBLEM = "ok", "warning", "problem"
_ORDER = {OK: 0, WARNING: 1, PROBLEM: 2}
EXAMPLES = 5
COMMAND = "python -m cohesie"

# the wijk that holds what cannot be located: PinC's <nis>WONB / <nis>ONB / <nis>99, or by name
_ONBEKEND_CODE = re.compile(r"\d{5}[_W]?(ONB|99)", flags=re.IGNORECASE)
_ONBEKEND_NAME = re.compile(r"onbekend|niet te lokaliseren", flags=re.IGNORECASE)


@dataclass(frozen=True)
class CheckItem:
    """One finding of the check.

    Attributes
    ----------
    level : str
        ``"ok"``, ``"warning"`` or ``"problem"``.
    what : str
        The finding in one sentence.
    details : tuple of str
        Facts behind it (counts, example codes, which set each side looks like).
    todo : str
        What to do about it ("" when ``ok``).
    commands : tuple of str
        The exact commands to run (file names in capitals are the reader's own files).
    topic : str
        What the finding is about: ``"gemeente"``, ``"wijken"``, ``"bevolking"``, ``"punten"``,
        ``"bronnen"``, or ``"ontbreekt"`` when a kind of file was never loaded (so an import page
        can tell "this file left something out" from "that file is still missing").
    """

    level: str
    what: str
    details: tuple[str, ...] = ()
    todo: str = ""
    commands: tuple[str, ...] = ()
    topic: str = ""


@dataclass(frozen=True)
class DataCheck:
    """The whole check: a headline and the items, in the order they are shown."""

    title: str
    summary: str
    items: tuple[CheckItem, ...]
    lang: str = "nl"
    labels: dict = field(default_factory=dict)

    @property
    def level(self) -> str:
        """The worst level of the items."""
        return max((i.level for i in self.items), key=_ORDER.get, default=OK)

    @property
    def consistent(self) -> bool:
        return self.level == OK

    @property
    def exit_code(self) -> int:
        """0 when consistent, 1 with warnings or problems."""
        return 0 if self.consistent else 1

    @property
    def warnings(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.level != OK)

    def text(self) -> str:
        """The report as the command line prints it."""
        lines = [self.title, self.summary, ""]
        for item in self.items:
            lines.append(f"[{self.labels[item.level]}] {item.what}")
            lines.extend(f"    - {d}" for d in item.details)
            if item.todo:
                lines.append(f"    {self.labels['todo']}: {item.todo}")
            lines.extend(f"      {c}" for c in item.commands)
        return "\n".join(lines) + "\n"


def check(data, meta: dict | None = None, imports: pd.DataFrame | None = None, *, tables: dict,
          lang: str = "nl", command: str = COMMAND) -> DataCheck:
    """Check the loaded data for consistency.

    Parameters
    ----------
    data : cohesie.dataset.Dataset
        What is loaded (its ``sectors`` with ``code``, ``wijk_code``, ``deelgemeente``).
    meta : dict, optional
        The store's meta (default ``data.meta``): ``nis``, ``gemeente``, ``bron_*``, ``*_vintage``.
    imports : DataFrame, optional
        The import log (default ``data.imports``).
    tables : dict of DataFrame
        :meth:`cohesie.storage.Store.check_tables`: ``wijkindeling`` and ``population`` as
        stored, and per layer ``n``, ``buiten`` and ``zonder_plaats``.
    lang : str
        ``"nl"`` or ``"en"``.
    command : str
        How the commands in the advice start (the command line adds its ``--data-dir``).

    Returns
    -------
    DataCheck
    """
    meta = data.meta if meta is None else meta
    imports = data.imports if imports is None else imports
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    fmt = formatter(lang)
    labels = {OK: t("OK"), WARNING: t("WAARSCHUWING"), PROBLEM: t("PROBLEEM"), "todo": t("Wat te doen")}
    sectors = data.sectors
    codes = sorted(sectors["code"].astype(str)) if len(sectors) else []
    gemeente = meta.get("gemeente") or "—"
    nis = meta.get("nis") or "CODE"
    title = t("Gegevenscontrole van gemeente {gemeente} (NIS {nis})", gemeente=gemeente,
              nis=meta.get("nis") or "—")
    if not codes:
        item = CheckItem(PROBLEM, t("Er zijn geen sectoren geladen: het dashboard kan niets tonen."),
                         todo=t("Importeer de statistische sectoren van Statbel voor je gemeente, of maak de demo."),
                         commands=(f"{command} import-sectors SECTOREN.zip --nis {nis}", f"{command} demo"),
                         topic="ontbreekt")
        return DataCheck(title, t("Niet consistent: er zijn geen sectoren."), (item,), lang, labels)

    sector_set = meta.get("sectoren_vintage") or None
    items = [_municipality(data, meta, codes, sector_set, t, fmt)]
    items.extend(_wijken(sectors, tables["wijkindeling"], meta, codes, sector_set, t, fmt, command))
    items.extend(_population(tables["population"], meta, codes, sector_set, t, fmt, command))
    items.extend(_points(tables["points"], t, fmt, command))
    items.append(_sources(meta, imports, t, fmt, data.is_demo))
    bad = sum(1 for i in items if i.level != OK)
    summary = (t("Consistent: geen waarschuwingen.") if not bad else
               t("Niet consistent: {n} waarschuwing(en); wat te doen staat bij elke waarschuwing.",
                 n=fmt.integer(bad)))
    return DataCheck(title, summary, tuple(items), lang, labels)


def _set_name(value: str | None, t) -> str:
    """A vintage as a short phrase in the page's language."""
    if value == vintage.V2025:
        return t("de sectorset 2025")
    if value in (vintage.V2020_2024, vintage.V2018_2024):
        return t("de sectorset {jaren} (vóór de herziening van 2025)", jaren=value)
    return t("een niet herkende sectorset")


def _examples(values) -> str:
    values = list(values)
    shown = ", ".join(values[:EXAMPLES])
    return shown + (" …" if len(values) > EXAMPLES else "")


def _municipality(data, meta, codes, sector_set, t, fmt) -> CheckItem:
    sectors = data.sectors
    details = [t("{n} sectoren, {w} wijken, {d} deelgemeenten.", n=fmt.integer(len(codes)),
                 w=fmt.integer(sectors["wijk_code"].nunique()), d=fmt.integer(sectors["deelgemeente"].nunique()))]
    if sector_set:
        details.append(t("De sectoren lijken {set}.", set=_set_name(sector_set, t)))
    elif not data.is_demo:  # the demo's invented codes belong to no set
        details.append(t("Welke sectorset de sectoren zijn, is niet bekend (geen herkende kolomnamen bij de import)."))
    if data.is_demo:
        details.append(t("Dit is de fictieve demo; vervang ze door echte gegevens met de importcommando's."))
    what = t("Gemeente {gemeente} (NIS {nis}) met {n} sectoren.", gemeente=meta.get("gemeente") or "—",
             nis=meta.get("nis") or "—", n=fmt.integer(len(codes)))
    return CheckItem(OK, what, tuple(details), topic="gemeente")


def _is_onbekend(code, name, buckets=frozenset()) -> bool:
    """The "onbekend" wijk: the bucket the import recorded (meta ``wijken_onbekend``), PinC's
    ``<nis>WONB``/``<nis>ONB``/``<nis>99``, or a wijk named "onbekend"/"niet te lokaliseren"."""
    code = str(code).strip()
    return bool(code in buckets or _ONBEKEND_CODE.fullmatch(code) or _ONBEKEND_NAME.search(str(name or "")))


def _wijken(sectors, table, meta, codes, sector_set, t, fmt, command) -> list[CheckItem]:
    wijk_command = f"{command} import-wijken KERNTABEL.xlsx --names WIJKNAMEN.xlsx"
    if table is None or table.empty:
        return [CheckItem(
            WARNING, t("Er is geen wijkindeling geladen: elke wijk is nu de groep sectoren met dezelfde "
                       "eerste 7 tekens van de sectorcode."),
            todo=t("Importeer de wijkindeling van de stad of de kerntabel van Provincies in Cijfers voor "
                   "dezelfde sectorset als de sectoren."),
            commands=(wijk_command,), topic="ontbreekt")]
    table = table.astype({"sector": str, "wijk_code": str})
    buckets = frozenset(c.strip() for c in str(meta.get("wijken_onbekend") or "").split(",") if c.strip())
    wijk_set = meta.get("wijken_vintage") or None
    cover = vintage.compare_codes(table["sector"], codes, file_label=wijk_set, loaded_label=sector_set)
    items = []
    if cover.left_out:
        details = [t("{n} van de {totaal} sectoren staan niet in de wijkindeling (bv. {codes}); ze vallen "
                     "nu in hun standaardwijk (eerste 7 tekens).", n=fmt.integer(cover.left_out),
                     totaal=fmt.integer(cover.loaded), codes=_examples(cover.left_out_codes))]
        details.extend(_sets_differ(wijk_set, sector_set, t, t("De wijkindeling")))
        items.append(CheckItem(
            WARNING, t("{n} sector(en) zonder wijk.", n=fmt.integer(cover.left_out)), tuple(details),
            todo=t("Importeer de wijkindeling van dezelfde sectorset als de sectoren, of zet de ontbrekende "
                   "sectoren in de wijk 'onbekend' met --onbekend."),
            commands=(wijk_command, f"{wijk_command} --onbekend"), topic="wijken"))
    # wijken none of whose sectors is loaded (the onbekend wijk of <nis>ZZZZ is meant to be so)
    loaded = set(codes)
    per_wijk = table.groupby("wijk_code").agg(
        loaded=("sector", lambda s: int(s.isin(loaded).sum())),
        unlocated=("sector", lambda s: bool(s.map(vintage.is_unlocated).all())),
        naam=("wijk_naam", "first"))
    onbekend = pd.Series([_is_onbekend(c, n, buckets) for c, n in zip(per_wijk.index, per_wijk["naam"])],
                         index=per_wijk.index, dtype=bool)
    empty = per_wijk[(per_wijk["loaded"] == 0) & ~per_wijk["unlocated"] & ~onbekend]
    if len(empty) or cover.unknown:
        details = []
        if len(empty):
            details.append(t("{n} wijk(en) zonder geladen sector: {wijken}.", n=fmt.integer(len(empty)),
                             wijken=_examples([f"{c} ({n})" for c, n in zip(empty.index, empty["naam"])])))
        if cover.unknown:
            details.append(t("{n} sectorcode(s) uit de wijkindeling bestaan niet in de geladen sectoren (bv. "
                             "{codes}).", n=fmt.integer(cover.unknown), codes=_examples(cover.unknown_codes)))
        details.extend(_sets_differ(wijk_set, sector_set, t, t("De wijkindeling")))
        what = (t("{n} wijk(en) zonder sectoren.", n=fmt.integer(len(empty))) if len(empty) else
                t("De wijkindeling noemt sectoren die niet geladen zijn."))
        items.append(CheckItem(
            WARNING, what, tuple(details),
            todo=t("De wijkindeling en de sectoren zijn van een andere sectorset. Importeer de wijkindeling "
                   "die bij de geladen sectoren hoort (of de sectoren die bij de wijkindeling horen)."),
            commands=(wijk_command, f"{command} import-sectors SECTOREN.zip --nis {meta.get('nis') or 'CODE'}"),
            topic="wijken"))
    # sectors with a polygon put in the "onbekend" wijk (--onbekend) lie in no real wijk
    in_onbekend = sectors[[_is_onbekend(c, n, buckets) for c, n in zip(sectors["wijk_code"], sectors["wijk_naam"])]]
    if len(in_onbekend):
        details = [t("{n} sector(en) staan in de wijk 'onbekend' (bv. {codes}): hun cijfers tellen in geen "
                     "echte wijk mee.", n=fmt.integer(len(in_onbekend)),
                     codes=_examples(sorted(in_onbekend["code"])))]
        details.extend(_sets_differ(wijk_set, sector_set, t, t("De wijkindeling")))
        items.append(CheckItem(
            WARNING, t("{n} sector(en) zonder echte wijk (in 'onbekend').", n=fmt.integer(len(in_onbekend))),
            tuple(details),
            todo=t("Importeer de wijkindeling van dezelfde sectorset als de sectoren (zonder --onbekend)."),
            commands=(wijk_command,), topic="wijken"))
    if not items:
        details = [t("{w} wijken; elke sector ligt in precies één wijk.",
                     w=fmt.integer(table["wijk_code"].nunique()))]
        if wijk_set:
            details.append(t("De wijkindeling gebruikt {set}.", set=_set_name(wijk_set, t)))
        unnamed = sorted(set(table.loc[table["wijk_naam"].astype(str) == table["wijk_code"], "wijk_code"]))
        if unnamed:
            details.append(t("{n} wijk(en) zonder naam tonen hun code (bv. {codes}); namen komen met --names.",
                             n=fmt.integer(len(unnamed)), codes=_examples(unnamed)))
        items.append(CheckItem(OK, t("Elke sector heeft een wijk."), tuple(details), topic="wijken"))
    return items


def _sets_differ(file_set, loaded_set, t, subject: str) -> list[str]:
    if vintage.same_set(file_set, loaded_set) is False:
        return [t("{wat} gebruikt {set}; de geladen sectoren zijn {geladen}.", wat=subject,
                  set=_set_name(file_set, t), geladen=_set_name(loaded_set, t))]
    return []


def _population(table, meta, codes, sector_set, t, fmt, command) -> list[CheckItem]:
    pop_command = f"{command} import-population OPENDATA_SECTOREN_JAAR.txt"
    if table is None or table.empty:
        return [CheckItem(
            WARNING, t("Er is geen bevolking geladen: elke sector toont 'geen gegevens' en er zijn geen "
                       "cijfers per 1000 inwoners."),
            todo=t("Importeer Statbel's bevolking per statistische sector van het jaar dat bij de sectorset past."),
            commands=(pop_command,), topic="ontbreekt")]
    pop_set = meta.get("bevolking_vintage") or vintage.vintage_of_year(meta.get("bevolking_jaar"))
    cover = vintage.compare_codes(table["sector"].astype(str), codes, file_label=pop_set, loaded_label=sector_set)
    subject = t("Het bevolkingsbestand")
    if cover.left_out or cover.unknown:
        details = []
        if cover.left_out:
            details.append(t("{n} van de {totaal} sectoren hebben geen bevolkingscijfer (bv. {codes}); ze tellen "
                             "als 'geen gegevens' (—), niet als 0.", n=fmt.integer(cover.left_out),
                             totaal=fmt.integer(cover.loaded), codes=_examples(cover.left_out_codes)))
        if cover.unknown:
            unknown = table[table["sector"].astype(str).isin(cover.unknown_codes)]
            details.append(t("{n} sectorcode(s) uit het bevolkingsbestand bestaan niet in de geladen sectoren "
                             "(bv. {codes}); hun {inwoners} inwoners tellen in geen enkel gebied mee.",
                             n=fmt.integer(cover.unknown), codes=_examples(cover.unknown_codes),
                             inwoners=fmt.integer(pd.to_numeric(unknown["inwoners"]).sum())))
        details.extend(_sets_differ(pop_set, sector_set, t, subject))
        what = (t("{n} sector(en) zonder bevolkingscijfer.", n=fmt.integer(cover.left_out)) if cover.left_out
                else t("Het bevolkingsbestand noemt sectoren die niet geladen zijn."))
        return [CheckItem(
            WARNING, what, tuple(details),
            todo=t("Importeer het bevolkingsbestand van een jaar met dezelfde sectorset als de sectoren "
                   "(2025 of later voor de set 2025, 2020-2024 voor de set van vóór 2025)."),
            commands=(pop_command,), topic="bevolking")]
    located = table[table["sector"].astype(str).isin(codes)]
    details = [t("{n} inwoners in {s} sectoren.", n=fmt.integer(pd.to_numeric(located["inwoners"]).sum()),
                 s=fmt.integer(len(located)))]
    if cover.unlocated:
        rest = table[table["sector"].astype(str).isin(cover.unlocated)]
        details.append(t("{n} inwoners staan in 'niet te lokaliseren' ({codes}) en tellen in geen gebied mee.",
                         n=fmt.integer(pd.to_numeric(rest["inwoners"]).sum()), codes=", ".join(cover.unlocated)))
    return [CheckItem(OK, t("Elke sector heeft een bevolkingscijfer."), tuple(details), topic="bevolking")]


def _points(summary, t, fmt, command) -> list[CheckItem]:
    rows = {r.layer: r for r in summary.itertuples(index=False)} if len(summary) else {}
    counts = [t("{laag}: {n}", laag=layer_label(k, lang=fmt.lang), n=fmt.integer(rows[k].n if k in rows else 0))
              for k in LAYERS]
    items = [CheckItem(OK, t("Records per laag: {n} in totaal.",
                             n=fmt.integer(sum(int(r.n) for r in rows.values()))), tuple(counts), topic="punten")]
    outside = {k: int(r.buiten) for k, r in rows.items() if int(r.buiten)}
    if outside:
        items.append(CheckItem(
            WARNING, t("{n} record(s) met coördinaten liggen in geen enkele sector (buiten de gemeente).",
                       n=fmt.integer(sum(outside.values()))),
            tuple(t("{laag}: {n}", laag=layer_label(k, lang=fmt.lang), n=fmt.integer(n)) for k, n in outside.items()),
            todo=t("Zoek ze in de export (kolom sector leeg), verbeter hun coördinaten in het bronbestand en "
                   "importeer het opnieuw; of importeer de sectoren die ze wel bevatten."),
            commands=tuple(f"{command} export --layer {k} --format csv -o {k}.csv" for k in outside)
            + tuple(f"{command} import-points BESTAND.csv --layer {k}" for k in outside), topic="punten"))
    nowhere = {k: int(r.zonder_plaats) for k, r in rows.items() if int(r.zonder_plaats)}
    if nowhere:
        items.append(CheckItem(
            WARNING, t("{n} record(s) zonder coördinaten noemen een wijk die niet bestaat.",
                       n=fmt.integer(sum(nowhere.values()))),
            tuple(t("{laag}: {n}", laag=layer_label(k, lang=fmt.lang), n=fmt.integer(n)) for k, n in nowhere.items()),
            todo=t("Geef ze coördinaten of de code of naam van een geladen wijk in de kolom wijk, en importeer "
                   "het bestand opnieuw."),
            commands=tuple(f"{command} import-points BESTAND.csv --layer {k}" for k in nowhere), topic="punten"))
    if not outside and not nowhere:
        items.append(CheckItem(OK, t("Elk record ligt in een sector of in een geladen wijk."), topic="punten"))
    return items


def _file_name(value) -> str:
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return PureWindowsPath(text).name if text else ""


def _sources(meta, imports, t, fmt, is_demo) -> CheckItem:
    """Each imported file with its sector set and when it was imported (from meta and the log)."""
    log = imports if imports is not None else pd.DataFrame()
    last = {}
    for row in log.to_dict("records") if len(log) else []:
        key = row.get("soort") if row.get("soort") != "punten" else f"punten:{row.get('laag')}"
        last[key] = row
    details = []

    def when(kind) -> str:
        row = last.get(kind)
        if not row or not row.get("tijdstip"):
            return ""
        return t(", geïmporteerd {wanneer}", wanneer=fmt.datetime(pd.to_datetime(row["tijdstip"], errors="coerce")))

    def source(label, key, kind, set_key=None, extra=""):
        name = meta.get(key)
        if not name:
            details.append(t("{wat}: niet geladen", wat=label))
            return
        set_text = ""
        if set_key and meta.get(set_key):
            set_text = " — " + _set_name(meta[set_key], t)
        details.append(f"{label}: {_file_name(name) or name}{extra}{set_text}{when(kind)}")

    source(t("sectoren"), "bron_sectoren", "sectoren", "sectoren_vintage")
    source(t("wijkindeling"), "bron_wijken", "wijken", "wijken_vintage")
    jaar = meta.get("bevolking_jaar")
    source(t("bevolking"), "bron_bevolking", "bevolking", "bevolking_vintage",
           extra=f" ({jaar})" if jaar and jaar != "demo" else "")
    for layer in LAYERS:
        row = last.get(f"punten:{layer}")
        if row:
            details.append(f"{layer_label(layer, lang=fmt.lang)}: {_file_name(row.get('bestand'))}{when(f'punten:{layer}')}")
    if meta.get("attributie_wijken"):
        details.append(t("Bronvermelding: {tekst}", tekst=meta["attributie_wijken"]))
    what = t("Bronnen (fictieve demo).") if is_demo else t("Bronnen van de geladen gegevens.")
    return CheckItem(OK, what, tuple(details), topic="bronnen")
