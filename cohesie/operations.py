"""What the command line and the pages do to a data directory: imports, demo, exports.

Each operation validates everything first and then writes in one transaction, so a failed
operation leaves the data directory as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cohesie import areas, dataset, demo, spatial
from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest import points as point_ingest
from cohesie.ingest import statbel
from cohesie.layers import LAYERS, get_layer
from cohesie.storage import Store


@dataclass
class Report:
    """What an operation did, for the CLI and the pages."""

    message: str
    notes: list[str] = field(default_factory=list)
    imported: int = 0
    rejects: pd.DataFrame | None = None
    rejects_path: Path | None = None
    problems: pd.DataFrame | None = None
    refused: int = 0
    inserted: int = 0
    changed: int = 0
    details: list[str] = field(default_factory=list)  # printed after the notes (CLI)


def _rejoin_points(con, sectors: gpd.GeoDataFrame, wijk_table: pd.DataFrame) -> int:
    """Re-join every stored point to ``sectors`` (after sectors or wijken changed).

    Returns how many located points fell outside every sector.
    """
    in_database = con.rejoin_points()
    if in_database is not None:  # PostGIS: ST_Intersects in SQL over the stored points
        return in_database
    pts = con.point_locations()
    if pts.empty:
        return 0
    sectors, _ = areas.attach_wijken(sectors, wijk_table)
    located = pts["x"].notna()
    pts["sector"] = None
    pts.loc[located, "sector"] = spatial.sector_of_points(pts.loc[located, "x"], pts.loc[located, "y"], sectors)
    pts["wijk_code"] = pts["sector"].map(sectors.set_index("code")["wijk_code"])
    lookup = {}
    for code, name in sectors[["wijk_code", "wijk_naam"]].drop_duplicates().itertuples(index=False):
        lookup[str(code).lower()] = code
        lookup[str(name).lower()] = code
    by_ref = pts["wijk_ref"].fillna("").str.lower().map(lookup)
    pts["wijk_code"] = pts["wijk_code"].where(pts["wijk_code"].notna(), by_ref)
    con.update_point_sectors(pts)
    return int((located & pts["sector"].isna()).sum())


def import_sectors(store: Store, path, *, nis: str, crs: int | None = None,
                   mapping: dict | None = None) -> Report:
    """Load the sectors of ``nis`` from any polygon file, replacing earlier sectors.

    ``mapping`` (field → column, as ``--map SECTOR=sector``) names columns that are not
    recognised; see :func:`cohesie.ingest.statbel.sectors_from_file`. A population column in the
    file (``POP``, ``inwoners``, or ``--map KOLOM=inwoners``) replaces the stored population.
    """
    from cohesie import vintage

    read = statbel.sectors_from_file(path, nis=nis, crs=crs, mapping=mapping)
    sectors, notes = read.sectors, list(read.notes)
    name = Path(path).name
    meta = store.meta()
    if meta.get("nis") and meta["nis"] != str(nis) and meta.get("is_demo") != "1":
        raise CohesieError(
            f"De gegevensmap {store.location} bevat al gemeente {meta['nis']} "
            f"({meta.get('gemeente', '?')}). Gebruik een andere map met --data-dir voor "
            f"gemeente {nis}."
        )
    sets = vintage.vintage_of_columns(read.columns.values())
    with store.transaction() as con:
        if meta.get("is_demo") == "1":
            con.clear_all()
            notes.append("De demogegevens zijn vervangen.")
        con.write_sectors(sectors)
        wijk_table = con.stored_wijkindeling()
        outside = _rejoin_points(con, sectors, wijk_table)
        if outside:
            notes.append(f"{outside} bestaande punt(en) liggen niet meer in een sector.")
        con.set_meta(nis=nis, gemeente=sectors["gemeente_naam"].iloc[0] or nis,
                     is_demo=0, bron_sectoren=name, sectoren_vintage=sets,
                     sectoren_afgeleid=",".join(read.derived) or None)
        con.log_import(soort="sectoren", bestand=path, aantal=len(sectors))
        if read.population is not None:
            table = read.population
            replaced = len(con.population_sectors()) > 0
            con.write_population(table, jaar=None)
            con.set_meta(bron_bevolking=f"{name} (kolom {read.columns['inwoners']})",
                         bevolking_jaar=None, bevolking_vintage=sets,
                         bevolking_dekking=f"{len(table)}/{len(sectors)}")
            con.log_import(soort="bevolking", bestand=path, aantal=int(table["inwoners"].sum()))
            notes.append(f"Bevolking uit kolom '{read.columns['inwoners']}': "
                         f"{int(table['inwoners'].sum())} inwoners in {len(table)} sectoren"
                         + (" (vervangt de eerder geladen bevolking)." if replaced else "."))
            without = sorted(set(sectors["code"]) - set(table["sector"]))
            if without:
                notes.append(_no_figure_note(without))
        else:
            stored = con.population_sectors()
            if len(stored):
                cover = vintage.compare_codes(stored["sector"], sectors["code"],
                                              file_label=meta.get("bevolking_vintage"), loaded_label=sets,
                                              file_name=f"de geladen bevolking ({meta.get('bron_bevolking', '?')})")
                if not cover.complete:
                    notes.append(cover.explain() + " Die sectoren hebben geen bevolkingscijfer (geen "
                                 "gegevens, niet 0); importeer bevolking van dezelfde sectorset.")
    return Report(f"{len(sectors)} sectoren van gemeente {nis} geïmporteerd.", notes, len(sectors))


NO_FIGURE_SHOWN = 20  # sectors without a population figure named in a note


def _no_figure_note(codes: list[str]) -> str:
    shown = ", ".join(codes[:NO_FIGURE_SHOWN])
    more = f" … en {len(codes) - NO_FIGURE_SHOWN} meer" if len(codes) > NO_FIGURE_SHOWN else ""
    return (f"{len(codes)} sector(en) zonder bevolkingscijfer: hun inwoners zijn onbekend (geen "
            f"gegevens, niet 0), dus hun cijfers per 1000 inwoners blijven leeg en de totalen van "
            f"de stad tellen ze niet mee: {shown}{more}.")


def _require_sectors(store: Store):
    data = dataset.load(store)
    if data.empty:
        raise CohesieError(
            "Er zijn nog geen sectoren geladen. Importeer eerst de sectoren met "
            "'python -m cohesie import-sectors BESTAND --nis CODE'."
        )
    return data


def import_wijken(store: Store, path, *, names=None, mapping: dict | None = None,
                  onbekend: bool = False, sheet: str | None = None) -> Report:
    """Load a sector→wijk table (the city's own, or Provincies in Cijfers' kerntabel).

    Every loaded sector must be in exactly one wijk; with ``onbekend`` the loaded sectors the
    table leaves out go to the "onbekend" wijk instead (the "niet te lokaliseren" bucket).
    Wijk names come from ``names`` (a name list or wijk polygon file), else the table, else the
    code. Everything wrong (rows, coverage, sector vintages) is raised at once as a
    :class:`ValidationError`; then nothing changed. See :mod:`cohesie.ingest.wijken` and
    :mod:`cohesie.vintage`.

    Meta written: ``bron_wijken``, ``bron_wijknamen``, ``wijken_vintage``, ``wijken_dekking``
    ("covered/loaded"), ``wijken_onbekend`` (bucket code or empty), ``wijken_onbekend_sectoren``
    (sectors put there), ``attributie_wijken`` (the attribution the source's licence asks for,
    or empty), and ``sectoren_vintage`` when it was unknown and the table matches the loaded
    sectors exactly.
    """
    from cohesie import vintage
    from cohesie.ingest import wijken

    name = Path(path).name
    read = wijken.read_wijk_table(path, mapping=mapping, names=names, sheet=sheet, collect=True)
    data = _require_sectors(store)
    meta = data.meta
    loaded = data.sectors["code"]
    loaded_vintage = meta.get("sectoren_vintage") or None
    cover = vintage.compare_codes([*read.table["sector"], *read.unlocated], loaded,
                                  file_label=read.vintage, loaded_label=loaded_vintage, file_name=name)
    problems = list(read.problems)
    if not cover.complete and not onbekend:
        problems += [cover.explain(),
                     ("Of importeer opnieuw met --onbekend: de sectoren die de tabel niet heeft, komen "
                      "dan in de wijk 'onbekend' (niet te lokaliseren).")]
    if problems:
        what = ("de wijkindeling past niet bij de geladen sectoren" if not cover.complete and not onbekend
                else "de wijkindeling heeft fouten")
        raise ValidationError(f"{name}: {what}; niets gewijzigd.", problems + read.odd_codes)

    notes = list(read.notes)
    if read.odd_codes:
        notes.append(f"{len(read.odd_codes)} rij(en) met een code die niet de vorm van een sectorcode heeft "
                     f"(niet gebruikt): " + "; ".join(read.odd_codes[:5])
                     + (" ..." if len(read.odd_codes) > 5 else ""))
    table = read.table[read.table["sector"].isin(set(loaded))]
    # the file's own "onbekend" wijk (the one <nis>ZZZZ maps to), else Provincies in Cijfers' form
    bucket = next(iter(read.onbekend), f"{data.nis}ONB")
    bucket_name = read.onbekend.get(bucket) or f"{meta.get('gemeente') or data.nis} - niet te lokaliseren"
    if read.unlocated:
        notes.append(f"Sector {', '.join(read.unlocated)} (niet te lokaliseren, zonder polygoon) hoort bij "
                     f"wijk {', '.join(read.onbekend) or '?'}: die wijk telt niet als gebied.")
    if cover.left_out:  # only with onbekend
        extra = pd.DataFrame({"sector": list(cover.left_out_codes), "wijk_code": bucket,
                              "wijk_naam": bucket_name})
        table = pd.concat([table, extra], ignore_index=True)
        notes.append(f"--onbekend: {cover.left_out} geladen sector(en) staan niet in {name} en komen in de "
                     f"wijk '{bucket_name}' ({bucket}), die niet als gebied telt (bv. "
                     f"{', '.join(cover.left_out_examples)}{' ...' if cover.left_out > len(cover.left_out_examples) else ''}). "
                     + cover.vintage_sentence())
    if cover.unknown:
        other = [c for c in cover.unknown_codes if not c.startswith(str(data.nis))]
        notes.append(f"{cover.unknown} sectorcode(s) uit {name} bestaan niet in de geladen sectoren en "
                     f"worden niet gebruikt (bv. {', '.join(cover.unknown_examples)})"
                     + (f"; {len(other)} ervan horen bij een andere gemeente" if other else "") + ".")
    buckets = {bucket, *read.onbekend}
    is_bucket = table["wijk_code"].isin(buckets) | table["wijk_code"].map(areas.is_unlocated_wijk)
    in_bucket = int(is_bucket.sum())
    inferred = {}
    if not loaded_vintage and read.vintage and cover.exact:
        inferred["sectoren_vintage"] = read.vintage  # the same codes as a table of known vintage
    elif cover.exact and vintage.same_set(read.vintage, loaded_vintage) is False:
        # column names tell a file's layout, not always its codes (a 2025-style sector file can
        # carry the older codes); with exactly the same codes there is no mismatch to fix
        notes.append(f"{name} is volgens zijn kolomnamen {vintage.describe(read.vintage)} en de geladen sectoren "
                     f"{vintage.describe(loaded_vintage)}, maar de codes zijn precies dezelfde: voor deze "
                     "gemeente past de tabel (de sets verschillen hier niet, of het sectorbestand draagt "
                     "nog de oude codes).")
    if read.attribution:
        notes.append(f"Bronvermelding bij de gegevens: \"{read.attribution}\".")
    with store.transaction() as con:
        con.write_wijkindeling(table)
        _rejoin_points(con, data.sectors.drop(columns=["wijk_code", "wijk_naam"]), table)
        con.set_meta(bron_wijken=name, bron_wijknamen=read.names_source or None,
                     wijken_vintage=read.vintage, wijken_dekking=f"{cover.covered}/{cover.loaded}",
                     wijken_onbekend=bucket if in_bucket else (", ".join(read.onbekend) or None),
                     wijken_onbekend_sectoren=in_bucket, attributie_wijken=read.attribution,
                     **inferred)
        con.log_import(soort="wijken", bestand=path, aantal=table["wijk_code"].nunique())
    real = table.loc[~is_bucket, "wijk_code"].nunique()
    message = f"{real} wijken geïmporteerd ({len(table)} sectoren"
    message += f", waarvan {in_bucket} in 'onbekend')." if in_bucket else ")."
    return Report(message, notes, imported=len(table))


def import_population(store: Store, path, *, mapping: dict | None = None, year=None,
                      partial: bool = False) -> Report:
    """Load inhabitants per sector from Statbel's OPENDATA_SECTOREN file or any table with a
    sector code and a population column (see :mod:`cohesie.ingest.population`).

    A file that leaves loaded sectors out (typically one of another sector set) is refused, with
    how many loaded sectors it covers, which it leaves out and how the file's sector set compares
    (:mod:`cohesie.vintage`). With ``partial`` (``--gedeeltelijk``) it is accepted: those sectors
    get no figure (no data, shown "—", never 0) and are listed. A file that covers no loaded
    sector at all is always refused. Refused means nothing changed.

    A file that carries inhabitants per age group (``0-17``, ``18-64``, ``65+``) or sex
    (``mannen``/``vrouwen``, ``M``/``F``), as columns or as one row per sector and class, also
    stores each group's share (%) per sector as a context figure (source "bevolkingsbestand",
    the file's year; :mod:`cohesie.context` combines them to wijken and the city weighted by
    inhabitants). A file without such columns leaves the context figures as they are.
    """
    from cohesie import vintage
    from cohesie.ingest import population

    data = _require_sectors(store)
    name = Path(path).name
    read = population.population_from_file(path, nis=data.nis, mapping=mapping, year=year)
    table, jaar = read.table, read.jaar
    by_year = vintage.vintage_of_year(jaar) if jaar else None
    by_columns = vintage.vintage_of_columns(read.columns.values())
    # Statbel's CD_SECTOR column is the same in every year: there the year tells the set
    sets = (by_year or by_columns) if read.statbel else (by_columns or by_year)
    cover = vintage.compare_codes(table["sector"], data.sectors["code"], file_label=sets,
                                  loaded_label=data.meta.get("sectoren_vintage"), file_name=name)
    if not cover.covered:
        raise ValidationError(f"{name}: niets geïmporteerd, het bestand heeft voor geen enkele geladen "
                              "sector een bevolkingscijfer.", [cover.explain()])
    if not partial and not cover.complete:
        raise ValidationError(f"{name}: de bevolking past niet bij de geladen sectoren ({cover.left_out} van de "
                              f"{cover.loaded} geladen sectoren zonder bevolkingscijfer); niets gewijzigd.",
                              [cover.explain(),
                               "Gebruik een bevolkingsbestand met dezelfde sectorcodes als de geladen sectoren, "
                               "of importeer opnieuw met --gedeeltelijk: de sectoren zonder cijfer krijgen dan "
                               "geen gegevens (—, nooit 0)."])
    known = table["sector"].isin(data.sectors["code"])
    unlocated = table["sector"].isin(cover.unlocated)
    notes = []  # read.notes names the empty cells; the no-figure note below lists them all
    if unlocated.any():
        notes.append(f"{int(unlocated.sum())} code(s) zonder polygoon (bv. 'niet te lokaliseren'): "
                     f"{int(table.loc[unlocated, 'inwoners'].sum())} inwoners tellen niet mee in de "
                     f"gebieden ({', '.join(table.loc[unlocated, 'sector'][:5])}).")
    if not cover.exact:
        notes.append(cover.explain())
    if cover.unknown:
        notes.append(f"De {cover.unknown} onbekende code(s) worden niet bewaard "
                     f"({int(table.loc[~known & ~unlocated, 'inwoners'].sum())} inwoners).")
    if cover.left_out:
        notes.append(_no_figure_note(list(cover.left_out_codes)))
    with store.transaction() as con:
        con.write_population(table[known | unlocated], jaar=jaar)
        shares = read.composition[read.composition["code"].isin(data.sectors["code"])]
        if len(read.composition_meta):
            con.write_context(shares, read.composition_meta)
        con.set_meta(bron_bevolking=name, bevolking_jaar=jaar, bevolking_vintage=sets,
                     bevolking_dekking=f"{cover.covered}/{cover.loaded}")
        con.log_import(soort="bevolking", bestand=path, aantal=int(table.loc[known, "inwoners"].sum()))
    message = (f"Bevolking {jaar or ''} geïmporteerd: {int(table.loc[known, 'inwoners'].sum())} "
               f"inwoners in {int(known.sum())} sectoren")
    if cover.left_out:
        message += f"; {cover.left_out} sector(en) zonder bevolkingscijfer (geen gegevens)"
    if len(read.composition_meta):
        message += ("; samenstelling als contextcijfers: "
                    + ", ".join(f"{n} (%)" for n in read.composition_meta["naam"]))
        notes += [n for n in read.notes if n.startswith(f"{name} heeft geen kolom met het totaal")]
    return Report(message + ".", notes, int(known.sum()))


class ImportRefused(ValidationError):
    """Nothing was imported from a point file; carries the check so pages can show it."""

    def __init__(self, summary: str, problems: list[str], *, result: point_ingest.PointImport,
                 rejects_path: Path | None):
        super().__init__(summary, problems)
        self.result = result
        self.rejects_path = rejects_path


def check_points(store: Store, path, *, layer: str, sheet: str | None = None, crs: int | None = None,
                 mapping: dict | None = None, progress=None) -> point_ingest.PointImport:
    """Read and check a point file without writing anything.

    ``progress(fraction, text)`` is called between steps (fractions 0-0.7 of an import).
    """
    get_layer(layer)
    report = progress or (lambda fraction, text: None)
    report(0.0, "Bestand lezen…")
    raw = point_ingest.read_table(path, sheet=sheet)
    sectors = dataset.load_sectors(store)
    if sectors.empty:
        _require_sectors(store)  # raises with the Dutch "import sectors first" message
    return point_ingest.prepare_points(raw, layer=layer, sectors=sectors, crs=crs, mapping=mapping,
                                       progress=progress)


def import_points(store: Store, path, *, layer: str, strict: bool = False, sheet: str | None = None,
                  crs: int | None = None, mapping: dict | None = None, progress=None) -> Report:
    """Import a point file into ``layer`` in one transaction; refused rows go to a rejects file.

    The ``id`` column is the key: a record with a known id is updated (only if it differs),
    never duplicated.

    Raises
    ------
    ImportRefused
        When nothing can be imported, or with ``strict`` when any row would be refused; then
        nothing is written to the database (the rejects file is still kept).
    """
    report = progress or (lambda fraction, text: None)
    result = check_points(store, path, layer=layer, sheet=sheet, crs=crs, mapping=mapping,
                          progress=progress)
    name = Path(path).name
    rejects_path = None
    if len(result.rejects):
        rejects_path = store.write_rejects(result.rejects, layer=layer, source=name)
    if result.records.empty or (strict and len(result.rejects)):
        why = ("geen enkele rij is geldig" if result.records.empty else
               f"--strict: {len(result.rejects)} van de {len(result.records) + len(result.rejects)} "
               "rijen zouden geweigerd worden")
        problems = result.problem_lines()
        if rejects_path:
            # first, so the CLI's cut-off after 50 problems never hides where they are
            problems.insert(0, f"geweigerde rijen bewaard in {rejects_path}")
        raise ImportRefused(f"{name}: niets geïmporteerd ({why}). Verbeter de rijen hieronder en "
                            "laad het bestand opnieuw.", problems, result=result,
                            rejects_path=rejects_path)
    total = len(result.records)
    report(0.7, f"0 van {total} rijen geschreven…")
    with store.transaction() as con:
        inserted, changed = con.upsert_points(
            result.records,
            progress=lambda done, all_: report(0.7 + 0.29 * done / max(all_, 1),
                                               f"{done} van {all_} rijen geschreven…"))
        con.log_import(soort="punten", bestand=path, laag=layer, aantal=total,
                       geweigerd=len(result.rejects))
    report(1.0, "Klaar.")
    msg = f"{layer}: {result.summary}"
    if rejects_path:
        msg += f"; geweigerde rijen in {rejects_path}"
    notes = [f"{inserted} nieuw, {changed} bijgewerkt, {total - inserted - changed} ongewijzigd.",
             *result.notes]
    return Report(msg, notes, total, result.rejects, rejects_path, problems=result.problems,
                  refused=len(result.rejects), inserted=inserted, changed=changed,
                  details=refused_listing(result.rejects, rejects_path=rejects_path))


REFUSED_SHOWN = 20  # refused rows the command line lists before pointing to the rejects file


def refused_listing(rejects: pd.DataFrame | None, *, rejects_path: Path | None,
                    limit: int = REFUSED_SHOWN) -> list[str]:
    """The first ``limit`` refused rows as lines (``rij 7, kolom datum: reden``), then
    ``… en N meer in FILE`` when there are more; [] when no row was refused."""
    from cohesie.formatting import formatter

    if rejects is None or not len(rejects):
        return []
    lines = [f"Geweigerde rijen ({formatter('nl').integer(len(rejects))}):"]
    for rij, kolom, reden in rejects[["rij", "kolom", "reden"]].head(limit).itertuples(index=False):
        lines.append(f"  rij {rij}, kolom {kolom}: {reden}" if kolom else f"  rij {rij}: {reden}")
    more = len(rejects) - limit
    if more > 0:
        where = f" in {rejects_path}" if rejects_path else ""
        lines.append(f"… en {formatter('nl').integer(more)} meer{where}")
    return lines


def build_demo(store: Store) -> Report:
    """Replace the data directory's contents with the generated demo municipality."""
    d = demo.build()
    meta = store.meta()
    if meta.get("nis") and meta.get("is_demo") != "1":
        raise CohesieError(
            f"De gegevensmap {store.location} bevat echte gegevens van gemeente {meta['nis']}. "
            "De demo overschrijft die niet; kies een andere map met --data-dir."
        )
    with store.transaction() as con:
        con.clear_all()
        con.write_sectors(d.sectors)
        con.write_wijkindeling(d.wijkindeling)
        con.write_population(d.population, jaar="demo")
        con.upsert_points(d.points)
        con.insert_actions(d.acties)
        con.set_meta(nis=demo.DEMO_NIS, gemeente=demo.DEMO_NAME, is_demo=1,
                     bron_sectoren="gegenereerde demo (fictief)", bron_bevolking="gegenereerde demo (fictief)",
                     bron_wijken="gegenereerde demo (fictief)", bevolking_jaar="demo",
                     demo_gemaakt=dt.date.today().isoformat())
        con.log_import(soort="demo", bestand=None, aantal=len(d.points))
    counts = d.points["layer"].value_counts()
    detail = ", ".join(f"{counts.get(k, 0)} {k}" for k in LAYERS)
    return Report(f"Demo '{demo.DEMO_NAME}' aangemaakt in {store.location}: {len(d.sectors)} sectoren, "
                  f"{d.wijkindeling['wijk_code'].nunique()} wijken, {detail}.", imported=len(d.points))


def prepare(store: Store, *, progress=None) -> Report:
    """Make now what the app derives from a data version on its first visit, so that the first
    visitor after a server start waits for none of it: the dissolved wijken and other levels,
    the map's display files, the point index of every signal (:func:`cohesie.counting.load_index`)
    and the Kaart's early warning for the latest complete month per sector and per wijk
    (:func:`cohesie.surveillance.alerts_kept`). What is already there for this version is read,
    not made again. ``progress(text)`` is told each step."""
    import time

    from cohesie import counting, dataset, statmap, surveillance, views

    say = progress or (lambda text: None)
    data = dataset.load(store, point_layers=counting.NON_EVENT_LAYERS)
    if data.empty:
        return Report(f"Niets voor te bereiden: er zijn geen sectoren geladen in {store.location}. "
                      "Maak de demo ('python -m cohesie demo') of importeer sectoren.")
    done, t0 = [], time.perf_counter()
    say("gebieden en kaartbestanden")
    frames = views.area_frames(data.sectors, store=store)
    views.display_files(store, data.sectors, frames["wijk"])
    say("puntenindex")
    index = counting.load_index(store, data.points, data.sectors, version=data.version)
    done.append("gebieden, kaartbestanden en puntenindex")
    notes = []
    for level in ("sector", "wijk"):
        say(f"vroege waarschuwing per {level}")
        try:
            surveillance.alerts_kept(store, index, data.sectors, version=data.version, level=level, per="month",
                                     settings=statmap.KAART_ALERT_SETTINGS)
            done.append(f"vroege waarschuwing per {level}")
        except CohesieError as err:  # nothing to test (no dated signals): the Kaart says so itself
            notes.append(f"Vroege waarschuwing per {level} niet voorbereid: {err}")
    from cohesie.formatting import formatter

    seconds = formatter("nl").number(time.perf_counter() - t0, 1)
    return Report(f"Voorbereid voor gegevensversie {data.version} in {store.location}: {', '.join(done)} "
                  f"({seconds} s).", notes=notes)


def layer_frame(data, layer: str, points: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Records of ``layer`` (from ``points``, default all of ``data``) as a GeoDataFrame in
    EPSG:31370 (records without a point have an empty geometry) with the wijk name added."""
    lay = get_layer(layer)
    source = data.points if points is None else points
    pts = source[source["layer"] == layer]
    cols = ["id", "naam", "type", "status", "datum", *lay.extra, "sector", "wijk_code"]
    frame = pts[[c for c in cols if c in pts.columns]].copy()
    frame["wijk_naam"] = frame["wijk_code"].map(
        data.sectors.drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"])
    for c in ("datum", "einddatum"):
        if c in frame:
            frame[c] = pd.to_datetime(frame[c]).dt.strftime("%Y-%m-%d")
    geom = gpd.points_from_xy(pts["x"], pts["y"], crs=31370)
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geom)


def export_header(data, title: str, filters_text: str, *, lang: str = "nl") -> list[str]:
    """Title, source, data date and filters printed on an export (in ``lang``)."""
    from cohesie.formatting import formatter
    from cohesie.i18n import translate

    meta = data.meta
    last = formatter(lang).date(data.imports["tijdstip"].iloc[-1], empty="?") if len(data.imports) else "?"
    demo = translate(" (DEMO: fictieve gegevens)", lang) if data.is_demo else ""
    lines = [f"{title} — {meta.get('gemeente', '?')} (NIS {meta.get('nis', '?')}){demo}",
             translate("Bron: sectoren {sectoren}; bevolking {bevolking}", lang,
                       sectoren=meta.get("bron_sectoren", "?"), bevolking=meta.get("bron_bevolking", "?")),
             translate("Gegevens van {datum} (gegevensversie {versie})", lang, datum=last, versie=data.version),
             translate("Filters: {filters}", lang, filters=filters_text)]
    if meta.get("attributie_wijken"):  # verbatim, as the wijk source's licence asks
        lines.insert(2, meta["attributie_wijken"])
    return lines


def export_layer(store: Store, *, layer: str, fmt: str, path) -> Report:
    """Write ``layer`` to ``path`` as csv, xlsx (text cells that look like formulas neutralised),
    geojson (EPSG:4326) or gpkg (EPSG:31370), each with title, source, data date and filters."""
    from cohesie import exports

    if fmt not in ("csv", "xlsx", "geojson", "gpkg"):
        raise CohesieError(f"Onbekend formaat '{fmt}'. Kies csv, xlsx, geojson of gpkg.")
    get_layer(layer)
    data = dataset.load(store)
    frame = layer_frame(data, layer)
    header = export_header(data, f"Laag {layer}", "geen (volledige laag)")
    store.write_bytes(Path(path), exports.layer_export(frame, fmt=fmt, layer_name=layer, header_lines=header))
    return Report(f"{len(frame)} {layer} geëxporteerd naar {path}.", imported=len(frame))


def add_user(store: Store, username: str, *, role: str, password: str | None, naam: str = "") -> Report:
    """Create or update a local account (password hashed with argon2).

    Without a password the account can only log in through OIDC (``st.login``) with the
    username as e-mail address; an existing account keeps its password. A new password needs
    at least 12 characters and may not equal the username (:func:`cohesie.auth.check_password`).
    """
    from cohesie import auth

    username = auth.check_username(username)
    auth.check_role(role)
    existing = store.get_user(username)
    if password is None and existing is None and not _is_email(username):
        raise CohesieError("Geef een wachtwoord (via de prompt of --password-stdin), of gebruik een "
                           "e-mailadres voor aanmelden via de OIDC-provider.")
    if password is not None:
        auth.check_password(password, username)
    hashed = auth.hash_password(password) if password else None
    store.save_user(username, rol=role, password_hash=hashed, naam=naam)
    verb = "bijgewerkt" if existing else "aangemaakt"
    return Report(f"Gebruiker {username} {verb} met rol {role}.")


def _is_email(text: str) -> bool:
    return "@" in text and "." in text.split("@")[-1]


def remove_user(store: Store, username: str) -> Report:
    if not store.remove_user(username):
        raise CohesieError(f"Gebruiker {username} bestaat niet. 'python -m cohesie user list' toont wie er is.")
    return Report(f"Gebruiker {username} verwijderd.")


def import_indicators(store: Store, path, *, level: str, mapping: dict | None = None, counts=(),
                      names: dict | None = None, units: dict | None = None, source: str | None = None,
                      year=None, sheet: str | None = None) -> Report:
    """Load context figures per sector or wijk from a CSV/XLSX (see :mod:`cohesie.ingest.context`
    for the reading rules, :mod:`cohesie.context` for how they combine to other levels).

    A figure already loaded under the same column name is replaced; other figures stay. Refused
    means nothing changed.
    """
    from cohesie import context, indicators
    from cohesie.i18n import indicator_labels
    from cohesie.ingest import context as context_ingest

    data = _require_sectors(store)
    known = data.sectors["code"] if level == "sector" else data.sectors["wijk_code"].dropna().unique()
    reserved = {"code", "naam", "oppervlakte_km2", "periode", *indicators.COUNT_COLUMNS,
                *indicator_labels(radius=300)}
    read = context_ingest.context_from_file(path, level=level, known_codes=known, mapping=mapping,
                                            counts=counts, names=names, units=units, source=source,
                                            year=year, reserved=reserved, sheet=sheet)
    notes = list(read.notes)
    whole = context.figures(data.sectors, read.values, read.meta, level="gemeente")
    notes += whole.notes
    name = Path(path).name
    with store.transaction() as con:
        con.write_context(read.values, read.meta)
        con.log_import(soort="contextcijfers", bestand=path, laag=level, aantal=len(read.meta))
    shown = ", ".join(f"{k} ({'aantal' if s == 'count' else 'gewogen gemiddelde'})"
                      for k, s in zip(read.meta["kolom"], read.meta["soort"]))
    areas_with = read.values["code"].nunique()
    message = (f"Contextcijfers uit {name} geïmporteerd per {level}: {len(read.meta)} kolom(men) voor "
               f"{areas_with} gebied(en): {shown}.")
    return Report(message, notes, len(read.meta))
