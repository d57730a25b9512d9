"""Command line: ``python -m cohesie [--data-dir DIR] COMMAND ...`` (thin over operations)."""

from __future__ import annotations

import argparse
import sys

from cohesie import settings

EXIT_OK, EXIT_INVALID, EXIT_BUG = 0, 2, 1


# argparse's own messages are English; users get them in Dutch (patterns of Python 3.11-3.13).
_ARGPARSE_NL = (
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.*)\)",
     r"\1: \2 is geen geldige keuze; kies uit \3"),
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"argument (.+?): invalid int value: (.*)", r"\1: \2 is geen geheel getal (bv. 31370)"),
    (r"argument (.+?): invalid \w+ value: (.*)", r"\1: \2 is geen geldige waarde"),
    (r"argument (.+?): expected one argument", r"\1 verwacht een waarde"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
)


def _dutch(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_NL:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # Dutch usage errors, exit 2, no traceback
        sys.stderr.write(self.format_usage().replace("usage:", "gebruik:", 1))
        sys.stderr.write(f"Fout: {_dutch(message)}\nGebruik 'python -m cohesie --help' voor hulp.\n")
        raise SystemExit(EXIT_INVALID)


def _mapping(items: list[str] | None) -> dict[str, str]:
    from cohesie.errors import CohesieError

    out = {}
    for item in items or []:
        column, sep, fld = item.partition("=")
        if not sep or not column or not fld:
            raise CohesieError(f"--map '{item}' is ongeldig: schrijf kolom=veld, bv. --map Breedte=lat.")
        out[fld.strip()] = column.strip()
    return out


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    """``KOLOM=TEKST`` options as ``{kolom: tekst}`` (``--name``, ``--unit``)."""
    from cohesie.errors import CohesieError

    out = {}
    for item in items or []:
        column, sep, text = item.partition("=")
        if not sep or not column.strip() or not text.strip():
            raise CohesieError(f"{flag} '{item}' is ongeldig: schrijf KOLOM=TEKST, bv. {flag} "
                               f"{'pct_65plus=Aandeel 65-plussers' if flag == '--name' else 'pct_65plus=%'}.")
        out[column.strip()] = text.strip()
    return out


def _progress_bar():
    """A one-line progress bar on stderr when it is a terminal (None otherwise)."""
    if not sys.stderr.isatty():
        return None

    def show(fraction: float, text: str) -> None:
        filled = int(30 * fraction)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {text[:50]:<50}")
        if fraction >= 1:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def build_parser() -> argparse.ArgumentParser:
    from cohesie.areas import LEVELS
    from cohesie.layers import LAYERS

    p = _Parser(prog="python -m cohesie", description="Cohesiekaart: gegevens laden en bevragen.")
    p.add_argument("--data-dir", help="gegevensmap (standaard $COHESIE_DATA_DIR of geodata/)")
    p.add_argument("--db-url", help="PostgreSQL/PostGIS-database, bv. postgresql+psycopg://gebruiker"
                   "@host:5432/cohesie (standaard $COHESIE_DB_URL; leeg = SQLite in de gegevensmap)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMANDO")
    sub.add_parser("demo", help="maak de fictieve demogemeente aan (en bereid ze voor, zie prepare)")
    sub.add_parser("prepare", help="maak nu wat de app per gegevensversie afleidt (puntenindex, kaartbestanden, "
                                   "vroege waarschuwing), zodat de eerste bezoeker na een start niet wacht")
    s = sub.add_parser("import-sectors", help="statistische sectoren laden (Statbel of elk polygonenbestand)",
                       description="Sectoren uit een GPKG, SHP, GeoJSON of zip. De sectorcode wordt herkend "
                       "(CS01012025, cd_sector, SECTOR, statsec, sector_code, code) of opgegeven met "
                       "--map KOLOM=sector. Velden voor --map: sector, naam, deelgemeente, "
                       "deelgemeente_naam, nis, gemeente_naam, inwoners. Zonder naam of deelgemeente "
                       "worden die van de code afgeleid (deelgemeente = eerste 6 tekens). Een "
                       "bevolkingskolom (POP, inwoners, of --map KOLOM=inwoners) wordt als bevolking geladen.")
    s.add_argument("file")
    s.add_argument("--nis", default=settings.DEFAULT_NIS, help="NIS-code van de gemeente (standaard 12025)")
    s.add_argument("--crs", type=int, help="EPSG-code als het bestand er geen heeft")
    s.add_argument("--map", action="append", metavar="KOLOM=VELD",
                   help="kolom aan veld koppelen, bv. --map SECTOR=sector --map MUNICIP=nis --map POP=inwoners")
    s = sub.add_parser("import-wijken", help="wijkindeling laden (sector,wijk_code,wijk_naam of de kerntabel "
                       "van Provincies in Cijfers)",
                       description="Wijkindeling sector → wijk uit CSV of XLSX: de eigen tabel "
                       "sector,wijk_code,wijk_naam, of de kerntabel van Provincies in Cijfers (statsec,ggw7 "
                       "voor de sectoren van 2025; statsec2024,ggw72024 voor 2020-2024). Andere kolomnamen "
                       "koppel je met --map KOLOM=VELD (velden: sector, wijk_code, wijk_naam). Wijknamen "
                       "komen uit --names, anders uit het bestand, anders is de code de naam. Elke geladen "
                       "sector moet in de tabel staan; met --onbekend komen ontbrekende sectoren in de wijk "
                       "'onbekend' (niet te lokaliseren).")
    s.add_argument("file")
    s.add_argument("--names", metavar="BESTAND",
                   help="wijknamen: de namenlijst van Provincies in Cijfers (geoitem code, short name) of "
                   "een wijkenbestand (GeoJSON/GPKG/SHP) met code en naam")
    s.add_argument("--map", action="append", metavar="KOLOM=VELD",
                   help="kolom aan veld koppelen, bv. --map SECTOR=sector --map WIJK=wijk_code")
    s.add_argument("--sheet", help="werkblad in een Excel-bestand")
    s.add_argument("--onbekend", action="store_true",
                   help="geladen sectoren die de tabel niet heeft in de wijk 'onbekend' zetten in plaats "
                   "van te weigeren")
    s = sub.add_parser("import-population", help="bevolking per sector laden (OPENDATA_SECTOREN of elke tabel)",
                       description="Bevolking per sector uit Statbel's OPENDATA_SECTOREN_<jaar>, een CSV/XLSX "
                       "of de attributentabel van een GPKG/SHP/GeoJSON. Kolommen worden herkend (CD_SECTOR, "
                       "sector, statsec; TOTAL, inwoners, bevolking, population, POP; CD_REFNIS, nis) of "
                       "opgegeven met --map KOLOM=VELD (velden: sector, inwoners, nis). Een bestand dat niet "
                       "alle geladen sectoren dekt (bv. van een andere sectorset), wordt geweigerd en er "
                       "verandert niets; met --gedeeltelijk wordt het aanvaard: die sectoren krijgen geen "
                       "cijfer (geen gegevens, nooit 0) en worden opgesomd. Een bestand dat geen enkele "
                       "geladen sector dekt, wordt altijd geweigerd. Heeft het bestand ook inwoners per "
                       "leeftijdsgroep (kolommen 0-17, 18-64, 65+) of geslacht (mannen/vrouwen, M/F), of één "
                       "rij per sector en leeftijd/geslacht (CD_AGE, CD_SEX, MS_POPULATION), dan wordt het "
                       "aandeel van elke groep per sector bewaard als contextcijfer (bron bevolkingsbestand).")
    s.add_argument("file")
    s.add_argument("--map", action="append", metavar="KOLOM=VELD",
                   help="kolom aan veld koppelen, bv. --map POP=inwoners --map SECTOR=sector")
    s.add_argument("--year", help="jaar van de cijfers als de bestandsnaam er geen vermeldt, bv. 2025")
    s.add_argument("--gedeeltelijk", action="store_true",
                   help="aanvaarden ook als niet elke geladen sector een cijfer krijgt (die: geen gegevens)")
    s = sub.add_parser("import-points", help="punten van een laag laden (CSV, XLSX, GeoJSON, GPKG)")
    s.add_argument("file")
    s.add_argument("--layer", required=True, choices=list(LAYERS))
    s.add_argument("--strict", action="store_true", help="niets schrijven als er een rij geweigerd wordt")
    s.add_argument("--sheet", help="werkblad in een Excel-bestand")
    s.add_argument("--crs", type=int, help="EPSG-code van de x/y-kolommen (4326, 31370, 3812)")
    s.add_argument("--map", action="append", metavar="KOLOM=VELD", help="kolom aan veld koppelen")
    s = sub.add_parser("import-indicators", help="contextcijfers per sector of wijk laden (CSV, XLSX)",
                       description="Cijfers die de stad zelf heeft (aandeel 65-plussers, kinderarmoede, "
                       "kansarmoede-index, bevragingsscore) per sector of wijk uit een CSV/XLSX. De codekolom "
                       "wordt herkend (sector, statsec, CD_SECTOR, code; wijk, wijk_code, ggw7, code) of "
                       "opgegeven met --map KOLOM=code. Elke andere kolom met getallen wordt geladen, onder "
                       "de kolomnaam in kleine letters. Kolommen met --count zijn aantallen (opgeteld over "
                       "gebieden), de andere aandelen of scores (gemiddelde gewogen naar inwoners). Per "
                       "wijk geladen cijfers bestaan per wijk en voor de gemeente. Een fout bestand wordt "
                       "geweigerd en er verandert niets; een kolom met dezelfde naam wordt vervangen.")
    s.add_argument("file")
    s.add_argument("--level", required=True, choices=["sector", "wijk"])
    s.add_argument("--map", action="append", metavar="KOLOM=code", help="de kolom met de gebiedscode")
    s.add_argument("--count", action="append", metavar="KOLOM", default=[],
                   help="kolom is een aantal (opgeteld over gebieden); herhaalbaar")
    s.add_argument("--name", action="append", metavar="KOLOM=NAAM", help="naam van een kolom op het scherm")
    s.add_argument("--unit", action="append", metavar="KOLOM=EENHEID", help="eenheid van een kolom, bv. %%")
    s.add_argument("--source", help="bron van de cijfers (standaard de bestandsnaam)")
    s.add_argument("--year", help="jaar van de cijfers, bv. 2024")
    s.add_argument("--sheet", help="werkblad in een Excel-bestand")
    s = sub.add_parser("indicators", help="indicatoren per gebied als CSV naar stdout",
                       description="Indicatoren per gebied als CSV naar stdout (',' en '.'). "
                       "meubilair telt geplaatst meubilair, meubilair_voorstel de voorstellen "
                       "(voorstel, goedgekeurd), projecten de lopende en afgeronde projecten; "
                       "verwijderd telt nooit.")
    s.add_argument("--level", required=True, choices=list(LEVELS))
    s.add_argument("--from", dest="start", help="begindatum (JJJJ-MM-DD)")
    s.add_argument("--to", dest="end", help="einddatum (JJJJ-MM-DD)")
    s.add_argument("--radius", default="300", metavar="METER",
                   help="afstand in meter voor de dekkingskolommen dekking_*_pct (standaard 300)")
    s.add_argument("--per", choices=["year", "quarter"],
                   help="één rij per gebied en periode (jaar of kwartaal) met een kolom periode "
                   "(2024, 2024-Q3), over de hele gegevensperiode (ingekort door --from/--to): "
                   "meubilair, projecten, pleinmakers en actoren zoals ze op de laatste dag van "
                   "de periode staan, signalen gemeld in de periode; aantallen per 1000 "
                   "inwoners en per km² uit de aantallen van die periode (bevolking zoals "
                   "geladen), dekking met het meubilair op de laatste dag")
    sub.add_parser("check", help="controleer of de geladen gegevens bij elkaar passen",
                   description="Controleer de gegevensmap (of database): gemeente en sectorset, sectoren "
                   "zonder wijk of bevolking, wijken zonder sectoren, punten buiten de gemeente, records "
                   "per laag en de bron van elk bestand, met wat te doen. Exitcode 0 als alles klopt, "
                   "1 bij waarschuwingen.")
    s = sub.add_parser("user", help="lokale gebruikers beheren (viewer, editor, admin)")
    users = s.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    u = users.add_parser("add", help="gebruiker aanmaken of rol/wachtwoord wijzigen",
                         description="Gebruiker aanmaken of rol/wachtwoord wijzigen. Een wachtwoord "
                         "heeft minstens 12 tekens en is niet gelijk aan de gebruikersnaam.")
    u.add_argument("username")
    u.add_argument("--role", default="editor", choices=["viewer", "editor", "admin"])
    u.add_argument("--naam", default="", help="weergavenaam")
    u.add_argument("--password-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen")
    u.add_argument("--no-password", action="store_true", help="geen wachtwoord (aanmelden via OIDC)")
    u = users.add_parser("remove", help="gebruiker verwijderen")
    u.add_argument("username")
    users.add_parser("list", help="gebruikers tonen")
    s = sub.add_parser("db", help="databaseschema bijwerken, backup maken of terugzetten")
    db = s.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    db.add_parser("upgrade", help="het databaseschema naar de nieuwste versie brengen")
    db.add_parser("status", help="backend en schemaversie tonen")
    d = db.add_parser("backup", help="backup van het SQLite-bestand maken (mag terwijl de app draait)")
    d.add_argument("file")
    d = db.add_parser("restore", help="een backup terugzetten (wordt eerst gecontroleerd)")
    d.add_argument("file")
    s = sub.add_parser("export", help="een laag exporteren")
    s.add_argument("--layer", required=True, choices=list(LAYERS))
    s.add_argument("--format", required=True, choices=["csv", "xlsx", "geojson", "gpkg"])
    s.add_argument("-o", "--output", required=True)
    s = sub.add_parser("alerts", help="vroege waarschuwing: opvallende stijgingen van signalen als CSV",
                       description="Per gebied en signaalcategorie de laatste volledige periode tegenover wat de "
                       "eigen geschiedenis (3 jaar, met trend en seizoen) laat verwachten. CSV naar stdout: "
                       "code,naam,categorie,periode,waargenomen,verwacht,p_waarde,opvallend (ja/nee), "
                       "p_gecorrigeerd (Benjamini-Hochberg), overschot, model, opmerking. Een categorie die "
                       "in een gebied nooit eerder voorkwam, wordt niet getoetst (opmerking).")
    s.add_argument("--level", default="wijk", choices=["wijk", "sector"])
    s.add_argument("--period", default="month", choices=["month", "quarter"])
    s.add_argument("--until", metavar="JJJJ-MM",
                   help="de laatste volledige periode tot en met deze maand (standaard: de laatste volledige "
                   "periode in de gegevens)")
    s.add_argument("--min-excess", default="5", metavar="AANTAL",
                   help="minstens zoveel signalen boven de verwachting om opvallend te zijn (standaard 5)")
    s = sub.add_parser("hotspots", help="hot spots van signalen per 1000 inwoners (Getis-Ord Gi*) als CSV",
                       description="Getis-Ord Gi* op de signalen per 1000 inwoners per sector (buren: sectoren "
                       "die een grens of hoek delen), gecorrigeerd voor het aantal sectoren. CSV naar stdout: "
                       "code,naam,waarde,z,p_waarde,klasse (hot spot 99 %%, hot spot 95 %%, cold spot, niet "
                       "significant, geen inwoners, geen buren).")
    s.add_argument("--category", help="alleen deze signaalcategorie (bv. zwerfvuil)")
    s.add_argument("--from", dest="start", help="begindatum (JJJJ-MM-DD)")
    s.add_argument("--to", dest="end", help="einddatum (JJJJ-MM-DD)")
    s = sub.add_parser("effect", help="werkt het? signalen rond een ingreep voor en na de start, als CSV",
                       description="Signalen per maand binnen een straal rond een pleinmaker, geplaatst "
                       "meubilair of project, in de N maanden voor en na de startmaand, tegenover dezelfde "
                       "verandering in de rest van de stad (verschil-in-verschillen, Poisson). CSV met één rij.")
    s.add_argument("--layer", required=True, choices=["pleinmakers", "meubilair", "projecten"])
    s.add_argument("--id", required=True, help="id van het record, bv. PM02")
    s.add_argument("--radius", default="300", metavar="METER", help="straal in meter (standaard 300)")
    s.add_argument("--months", type=int, default=24, metavar="N", help="maanden voor en na (standaard 24)")
    s.add_argument("--category", help="alleen deze signaalcategorie (bv. zwerfvuil)")
    return p


def _date(value: str | None, flag: str):
    import pandas as pd

    from cohesie.errors import CohesieError
    from cohesie.ingest.points import parse_dates

    if not value:
        return None
    parsed = parse_dates(pd.Series([value])).iloc[0]
    if pd.isna(parsed):
        raise CohesieError(f"{flag} '{value}' is geen datum; schrijf bv. 2024-12-31.")
    return parsed


def _radius(value: str) -> float:
    from cohesie.errors import CohesieError

    try:
        radius = float(value)
    except ValueError:
        radius = float("nan")
    if not (0 < radius < float("inf")):
        raise CohesieError(f"--radius '{value}' is geen geldige afstand: geef een getal groter "
                           "dan 0 in meter, bv. --radius 300.")
    return radius


def _password(args) -> str | None:
    """Password from stdin (scripts) or an interactive prompt; never from the command line."""
    import getpass

    from cohesie.errors import CohesieError

    if args.no_password:
        return None
    if args.password_stdin:
        value = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        value = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nogmaals: ") != value:
            raise CohesieError("De wachtwoorden verschillen; probeer opnieuw.")
    else:
        raise CohesieError("Geen wachtwoord: gebruik --password-stdin of start het commando in een terminal.")
    if not value:
        raise CohesieError("Het wachtwoord is leeg.")
    return value


def _indicators_per_period(store, data, level: str, per: str, filters, radius: float):
    """``indicators --per``: :func:`cohesie.trends.indicators_per_period` with coverage per
    period; counts in the database on PostGIS, else from the records loaded once (numpy)."""
    import pandas as pd

    from cohesie import counting, dataset, indicators, trends

    periods = trends.data_periods(store.point_summary(), per=per, filters=filters)
    if store.counts_in_database:
        points, engine = data.points, counting.DatabaseCounts(store, data.sectors)
    else:
        points = dataset.load(store).points
        engine = counting.PointIndex(points, data.sectors)
    counts = trends.counts_per_period(points, data.sectors, level=level, per=per, filters=filters,
                                      periods=periods, engine=engine)
    table = trends.indicators_per_period(data.sectors, counts, level=level)
    frames = []
    for period in periods:
        rows = table[table["periode"] == period.label].drop(columns="periode")
        rows = indicators.with_coverage(rows, data.sectors, data.points, level=level, radius=radius,
                                        end=period.end)
        frames.append(rows.assign(periode=period.label))
    if not frames:
        return indicators.with_coverage(table.drop(columns="periode"), data.sectors, data.points,
                                        level=level, radius=radius).assign(periode=pd.Series(dtype=object))
    order = {period.label: i for i, period in enumerate(periods)}
    out = pd.concat(frames, ignore_index=True)
    return (out.assign(_o=out["periode"].map(order)).sort_values(["code", "_o"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from cohesie import dataset, indicators, operations
    from cohesie.errors import CohesieError
    from cohesie.storage import open_store

    try:
        store = open_store(args.data_dir, url=args.db_url)
        if args.command == "db":
            return _db(store, args)
        if args.command == "check":
            return _check(store, args)
        if args.command == "demo":
            report = operations.build_demo(store)
            prepared = operations.prepare(store)
            report.notes.extend([prepared.message, *prepared.notes])
        elif args.command == "prepare":
            report = operations.prepare(store)
        elif args.command == "import-sectors":
            report = operations.import_sectors(store, args.file, nis=args.nis, crs=args.crs,
                                               mapping=_mapping(args.map))
        elif args.command == "import-wijken":
            report = operations.import_wijken(store, args.file, names=args.names, mapping=_mapping(args.map),
                                              onbekend=args.onbekend, sheet=args.sheet)
        elif args.command == "import-population":
            report = operations.import_population(store, args.file, mapping=_mapping(args.map),
                                                  year=args.year, partial=args.gedeeltelijk)
        elif args.command == "import-indicators":
            report = operations.import_indicators(
                store, args.file, level=args.level, mapping=_mapping(args.map), counts=args.count,
                names=_pairs(args.name, "--name"), units=_pairs(args.unit, "--unit"), source=args.source,
                year=args.year, sheet=args.sheet)
        elif args.command == "import-points":
            report = operations.import_points(store, args.file, layer=args.layer, strict=args.strict,
                                              sheet=args.sheet, crs=args.crs, mapping=_mapping(args.map),
                                              progress=_progress_bar())
        elif args.command == "indicators":
            start, end = _date(args.start, "--from"), _date(args.end, "--to")
            if start is not None and end is not None and start > end:
                raise CohesieError(f"--from {args.start} ligt na --to {args.end}; wissel ze om.")
            radius = _radius(args.radius)
            # only furniture (for coverage) comes into Python; the counts run in the store
            data = dataset.load(store, point_layers=("meubilair",))
            if data.empty:
                raise CohesieError("Er zijn geen sectoren geladen in "
                                   f"{store.location}. Maak de demo ('python -m cohesie demo') "
                                   "of importeer sectoren.")
            filters = indicators.Filters(start=start, end=end)
            if args.per:
                table = _indicators_per_period(store, data, args.level, args.per, filters, radius)
            else:
                from cohesie import counting

                counts = counting.DatabaseCounts(store, data.sectors).area_counts(args.level, filters)
                table = indicators.per_area(data.sectors, data.points, level=args.level, filters=filters,
                                            counts=counts)
                table = indicators.with_coverage(table, data.sectors, data.points, level=args.level,
                                                 radius=radius, end=end)
            # columns added later go last, so scripts that read columns by position keep working
            from cohesie.layers import PROPOSAL_COLUMNS

            added = list(PROPOSAL_COLUMNS)
            added += ["periode"] if args.per else []
            table = table[[c for c in table.columns if c not in added] + added]
            from cohesie import context

            figures = context.figures(data.sectors, data.context, data.context_meta, level=args.level)
            table = context.append_to(table, figures)  # the city's context figures, last
            if args.per:  # ... but before periode, which --per promises as the last column
                table = table[[c for c in table.columns if c != "periode"] + ["periode"]]
            for note in figures.notes:
                sys.stderr.write(f"Let op: {note}\n")
            # whole numbers stay whole; a sector without a population figure stays empty
            table["inwoners"] = table["inwoners"].round().astype("Int64")
            table.to_csv(sys.stdout, index=False)
            return EXIT_OK
        elif args.command in ("alerts", "hotspots", "effect"):
            return _statistics(store, args)
        elif args.command == "user":
            if args.user_command == "list":
                table = store.list_users()
                print(table.to_string(index=False) if len(table) else "Nog geen gebruikers.")
                return EXIT_OK
            if args.user_command == "remove":
                report = operations.remove_user(store, args.username)
            else:
                report = operations.add_user(store, args.username, role=args.role, naam=args.naam,
                                             password=_password(args))
        elif args.command == "export":
            report = operations.export_layer(store, layer=args.layer, fmt=args.format, path=args.output)
        else:  # pragma: no cover - argparse enforces the choices
            raise CohesieError(f"Onbekend commando {args.command}")
    except CohesieError as err:
        sys.stderr.write(f"Fout: {err}\n")
        return EXIT_INVALID
    except BrokenPipeError:  # the reader of our output is gone: main() ends quietly
        raise
    except OSError as err:
        sys.stderr.write(f"Fout: bestand of map niet bruikbaar: {err.filename or ''} ({err.strerror}).\n")
        return EXIT_INVALID
    except Exception as err:  # a bug, not bad input: still no traceback for the user
        sys.stderr.write(f"Onverwachte fout ({type(err).__name__}: {err}). Er is niets half geschreven: "
                         "elke wijziging loopt in één transactie. Meld dit aan de beheerder van "
                         "Cohesiekaart, met het commando dat je gaf.\n")
        return EXIT_BUG
    print(report.message)
    for note in report.notes:
        print(f"- {note}")
    for line in report.details:  # import-points: the first refused rows
        print(line)
    return EXIT_OK


def _statistics(store, args) -> int:
    """``alerts``, ``hotspots``, ``effect``: CSV on stdout (',' and '.'), notes on stderr."""
    import pandas as pd

    from cohesie import dataset
    from cohesie.counting import PointIndex
    from cohesie.errors import CohesieError

    data = dataset.load(store)
    if data.empty:
        raise CohesieError(f"Er zijn geen sectoren geladen in {store.location}. Maak de demo "
                           "('python -m cohesie demo') of importeer sectoren.")
    index = PointIndex(data.points, data.sectors)
    if args.command == "alerts":
        from cohesie import surveillance

        try:
            min_excess = float(args.min_excess)
        except ValueError:
            min_excess = float("nan")
        if not min_excess >= 0:
            raise CohesieError(f"--min-excess '{args.min_excess}' is geen aantal; geef een getal van 0 of meer, "
                               "bv. --min-excess 5.")
        result = surveillance.alerts(index, data.sectors, level=args.level, per=args.period, until=args.until,
                                     settings=surveillance.AlertSettings(min_excess=min_excess))
        table = result.table.assign(verwacht=result.table["verwacht"].round(2),
                                    p_waarde=result.table["p_waarde"].round(4),
                                    p_gecorrigeerd=result.table["p_gecorrigeerd"].round(4),
                                    overschot=result.table["overschot"].round(2),
                                    opvallend=result.table["opvallend"].map({True: "ja", False: "nee"}))
    elif args.command == "hotspots":
        from cohesie import hotspots

        start, end = _date(args.start, "--from"), _date(args.end, "--to")
        if start is not None and end is not None and start > end:
            raise CohesieError(f"--from {args.start} ligt na --to {args.end}; wissel ze om.")
        result = hotspots.hot_spots(index, data.sectors, category=args.category, start=start, end=end)
        table = result.table
    else:
        from cohesie import effects

        result = effects.effect(index, args.layer, args.id, radius=_radius(args.radius), months=args.months,
                                category=args.category)
        table = pd.DataFrame([result.row]).assign(zin=result.sentence)
    for note in result.notes:
        sys.stderr.write(f"Let op: {note}\n")
    table.to_csv(sys.stdout, index=False)
    return EXIT_OK


def _check(store, args) -> int:
    """``check``: the data check (:mod:`cohesie.datacheck`) on stdout; 0 consistent, 1 not."""
    import shlex

    from cohesie import datacheck, dataset

    command = "python -m cohesie" + (f" --data-dir {shlex.quote(args.data_dir)}" if args.data_dir else "")
    data = dataset.load(store, point_layers=())  # the points are counted in the store (check_tables)
    report = datacheck.check(data, data.meta, data.imports, tables=store.check_tables(), lang="nl",
                             command=command)
    sys.stdout.write(report.text())
    return report.exit_code


def _db(store, args) -> int:
    """``db upgrade|status|backup|restore``."""
    if args.db_command == "status":
        kind = "PostgreSQL/PostGIS" if store.counts_in_database else "SQLite (ingebouwd)"
        print(f"{kind}: {store.location}; schemaversie {store.revision() or 'geen'}")
    elif args.db_command == "upgrade":
        before, after = store.upgrade()
        if before == after:
            print(f"Het schema van {store.location} is al bij (versie {after}).")
        else:
            print(f"Schema van {store.location} bijgewerkt van versie {before or 'geen'} naar {after}.")
    elif args.db_command == "backup":
        path = store.backup(args.file)
        print(f"Backup van {store.location} gemaakt: {path}.")
    else:
        sectors, points = store.restore(args.file)
        print(f"Backup {args.file} teruggezet in {store.location}: {sectors} sectoren, "
              f"{points} records.")
    return EXIT_OK


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. "| head": the reader has what it wanted; no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    raise SystemExit(code)


if __name__ == "__main__":
    main()
