"""The one catalogue of visible strings: Dutch (the default, used as the message id) and English.

Pages and ``ui`` call ``ui.t("Dutch text {name}", name=...)``; :func:`translate` looks the Dutch
text up here. ``tests/test_i18n.py`` checks that every string passed to ``t()`` in the code has
an English entry. Data values (sector and wijk names, types, statuses) are not translated;
messages from the data checks (import reports) stay Dutch.
"""

from __future__ import annotations

from cohesie.layers import LAYERS

LANGUAGES = {"nl": "Nederlands", "en": "English"}

EN: dict[str, str] = {
    # frame and navigation
    "Kaart": "Map", "Indicatoren": "Indicators", "Wijkfiche": "Neighbourhood profile",
    "Plaatsing": "Placement", "Presentatie": "Presentation", "Gegevens": "Data", "Importeren": "Import",
    "Taal": "Language",
    "**Demogegevens**: dit is de fictieve gemeente {gemeente} (namen, vormen en cijfers verzonnen). "
    "Echte gegevens laden: zie *Gegevens*.":
        "**Demo data**: this is the fictional municipality {gemeente} (names, shapes and figures "
        "invented). To load real data, see *Data*.",
    "Er zijn nog geen gegevens in {map}. Maak de demo met `python -m cohesie demo` of importeer "
    "sectoren met `python -m cohesie import-sectors`.":
        "There is no data in {map} yet. Build the demo with `python -m cohesie demo` or import "
        "sectors with `python -m cohesie import-sectors`.",
    "Gemeente {gemeente} (NIS {nis}) · sectoren: {sectoren} · bevolking: {bevolking} · gegevensversie {versie}":
        "Municipality {gemeente} (NIS {nis}) · sectors: {sectoren} · population: {bevolking} · data version {versie}",
    "niet geladen": "not loaded",
    "Er ging iets mis bij het tonen van deze pagina ({time}). Herlaad de pagina (F5) en probeer het "
    "opnieuw. Blijft het gebeuren, meld het dan aan de beheerder van Cohesiekaart met dit tijdstip en "
    "wat u deed: de details staan in het logboek van de server.":
        "Something went wrong while showing this page ({time}). Reload the page (F5) and try again. If it "
        "keeps happening, tell the Cohesiekaart administrator this time and what you did: the details "
        "are in the server's log.",
    "Filters": "Filters", "Lagen": "Layers", "Wijken": "Neighbourhoods", "alle wijken": "all neighbourhoods",
    "Periode": "Period", "Type en status per laag": "Type and status per layer",
    "Type en status: {keuze}": "Type and status: {keuze}", "Periode kiezen": "Choose the period", "alle": "all",
    "alle behalve verwijderd": "all except removed", "status": "status",
    "periode {a} – {b}": "period {a} – {b}", "wijken: {lijst}": "neighbourhoods: {lijst}",
    "lagen: {lijst}": "layers: {lijst}", "geen filters": "no filters",
    "legende": "legend", "geen gegevens": "no data",
    # login
    "Aangemeld als **{user}** ({role})": "Logged in as **{user}** ({role})", "Afmelden": "Log out",
    "Aanmelden": "Log in", "Aanmelden om te bewerken": "Log in to edit", "Gebruikersnaam": "User name",
    "Wachtwoord": "Password",
    "Bekijken kan zonder aanmelden. Om te bewerken moet je aangemeld zijn als editor of admin "
    "(zie *Aanmelden* in de zijbalk).":
        "Viewing needs no login. To edit you must be logged in as editor or admin (see *Log in* in "
        "the sidebar).",
    # layers and indicators
    "Pleinmakers": "Square makers", "Meubilair": "Street furniture", "Projecten": "Projects",
    "Signalen": "Signals", "Actoren": "Actors", "Inwoners": "Inhabitants",
    "Inwoners per km²": "Inhabitants per km²", "{laag} (aantal)": "{laag} (count)",
    "{laag} per 1000 inwoners": "{laag} per 1000 inhabitants", "{laag} per km²": "{laag} per km²",
    "Inwoners binnen {r} m van een {wat} (%)": "Inhabitants within {r} m of a {wat} (%)",
    "meubilair (elk type)": "piece of street furniture (any type)",
    "Zorgsignalen (aantal)": "Care signals (count)", "Code": "Code", "Naam": "Name", "km²": "km²",
    "Sector": "Sector", "Wijk": "Neighbourhood", "Deelgemeente": "District", "Gemeente": "Municipality",
    # indicatoren
    "Indicatoren per gebied": "Indicators per area", "Niveau": "Level",
    "Bereik voor de dekkingsindicatoren (meter)": "Reach for the coverage indicators (metres)",
    "Indicator voor de grafiek": "Indicator for the chart", "Stad: {indicator}": "City: {indicator}",
    "t.o.v. stad": "vs. city",
    "waarde gedeeld door de stedelijke waarde (1 = gelijk aan de stad)":
        "value divided by the city's value (1 = same as the city)",
    "Stedelijke waarde: {waarde}. Filters: {filters}": "City value: {waarde}. Filters: {filters}",
    "{n} signaalcijfer(s) verborgen: '< 5' is een aantal van 1 tot 4, 'verborgen' is afgeschermd "
    "zodat zo'n klein aantal niet terug te rekenen is; de bijhorende cijfers per 1000 inwoners en "
    "per km² zijn leeg. 0 betekent echt nul.":
        "{n} signal figure(s) hidden: '< 5' is a count of 1 to 4, 'verborgen' (hidden) is withheld "
        "so that such a small count cannot be worked out; the matching rates per 1000 inhabitants "
        "and per km² are empty. 0 means really zero.",
    "Download CSV": "Download CSV", "Download Excel": "Download Excel",
    "Indicatoren per {niveau}": "Indicators per {niveau}",
    # wijkfiche
    "Wijkfiche {naam}": "Neighbourhood profile {naam}", "Oppervlakte": "Area",
    "Signalen per 1000 inw.": "Signals per 1000 inh.", "{waarde} t.o.v. stad": "{waarde} vs. city",
    "kleine aantallen worden niet getoond": "small counts are not shown",
    "Binnen {r} m van meubilair": "Within {r} m of street furniture",
    "Aandeel van de inwoners dat binnen {r} m van meubilair woont. Stad: {waarde}":
        "Share of the inhabitants living within {r} m of street furniture. City: {waarde}",
    "{waarde} procentpunt t.o.v. stad": "{waarde} percentage points vs. city",
    "Wijkfiche als PDF": "Profile as PDF", "Alle wijken als PDF": "All neighbourhoods as PDF",
    "Signalen per maand": "Signals per month", "Geen signalen in deze periode.": "No signals in this period.",
    "{n} maand-categoriecellen met 1 tot 4 signalen (en cellen waaruit ze terug te rekenen zijn) zijn "
    "weggelaten om bewoners te beschermen.":
        "{n} month-category cells with 1 to 4 signals (and cells they could be worked out from) are "
        "left out to protect residents.",
    "Zonder actie in {jaar}: {namen}": "No action in {jaar}: {namen}", "Geen.": "None.",
    "indicator": "indicator", "wijk": "neighbourhood", "stad": "city", "verhouding": "ratio",
    "Recente acties": "Recent actions", "Actie registreren": "Record an action", "Pleinmaker": "Square maker",
    "Datum": "Date", "Soort": "Kind", "Beschrijving": "Description", "Actie bewaren": "Save action",
    "Actie bewaard.": "Action saved.",
    # plaatsing
    "Plaatsing van meubilair en projecten": "Placing street furniture and projects",
    "Type meubilair": "Type of furniture", "Bereik (meter)": "Reach (metres)",
    "Toon de gaten": "Show the gaps",
    "Toont wat verder ligt dan het bereik van elk meubel van dit type.":
        "Shows what lies beyond the reach of every item of this type.",
    "Inwoners binnen {r} m van een {type}": "Inhabitants within {r} m of a {type}",
    "Bevolking gelijk gespreid over de oppervlakte van elke sector.":
        "Population spread evenly over each sector's area.",
    "buiten bereik (gaten)": "out of reach (gaps)",
    "Gaten: verder dan {r} m van een {type}": "Gaps: farther than {r} m from a {type}",
    "Dekking per sector (%), bereik {r} m": "Coverage per sector (%), reach {r} m",
    "Gekozen plek": "Chosen spot", "Klik op de kaart om een plek te testen.": "Click the map to test a spot.",
    "Deze plek ligt buiten de gemeente. Klik binnen de gemeentegrens.":
        "This spot lies outside the municipality. Click inside the border.",
    "Sector **{sector}** ({code}), wijk **{wijk}**": "Sector **{sector}** ({code}), neighbourhood **{wijk}**",
    "Dichtstbijzijnde {type}: {afstand}": "Nearest {type}: {afstand}", "geen": "none",
    "Inwoners binnen {r} m: **{n}**, waarvan **{nieuw} nieuw** binnen bereik":
        "Inhabitants within {r} m: **{n}**, of whom **{nieuw} newly** within reach",
    "Naam of adres": "Name or address", "Opmerking": "Note", "Bewaar als voorstel": "Save as proposal",
    "Voorstel {id} bewaard.": "Proposal {id} saved.", "Suggesties": "Suggestions",
    "Aantal locaties": "Number of sites", "Weeg met signalen per 1000 inwoners":
        "Weight by signals per 1000 inhabitants",
    "Stel {n} locaties voor": "Suggest {n} sites", "Locaties berekenen…": "Computing sites…",
    "Geen plek voegt nog inwoners toe binnen dit bereik.": "No spot adds inhabitants within this reach.",
    "**{rang}.** {wijk}: +{winst} inwoners": "**{rang}.** {wijk}: +{winst} inhabitants",
    "Maak voorstel": "Make proposal",
    "Bestaand meubilair en projecten beheren": "Manage existing furniture and projects",
    "Record": "Record", "kies een record": "choose a record",
    "Status **{status}**, versie {versie}, laatst gewijzigd {wanneer}.":
        "Status **{status}**, version {versie}, last changed {wanneer}.",
    "Buiten gebruik (verwijderd)": "Retire (removed)", "Verplaats naar de gekozen plek": "Move to the chosen spot",
    "Verplaats naar coördinaten": "Move to coordinates", "Breedtegraad": "Latitude", "Lengtegraad": "Longitude",
    "Verplaats": "Move", "Geschiedenis": "History",
    # presentatie
    "◀ vorige": "◀ previous", "volgende ▶": "next ▶", "Heel {gemeente}": "All of {gemeente}",
    "Bron: {bron}, bevolking {jaar} · filters: {filters}": "Source: {bron}, population {jaar} · filters: {filters}",
    # gegevens
    "De geladen gegevens zijn de **fictieve demo**. Vervang ze met de importcommando's hieronder.":
        "The loaded data is the **fictional demo**. Replace it with the import commands below.",
    "Echte gegevens van gemeente {gemeente} (NIS {nis}).": "Real data of municipality {gemeente} (NIS {nis}).",
    "Sectoren": "Sectors", "Deelgemeenten": "Districts", "Bronnen": "Sources", "wat": "what", "waarde": "value",
    "gemeente": "municipality", "sectoren": "sectors", "wijkindeling": "neighbourhood division",
    "bevolking": "population", "gegevensmap": "data directory", "gegevensversie": "data version",
    "standaard: eerste 7 tekens van de sectorcode": "default: first 7 characters of the sector code",
    "{n} inwoners staan in Statbel's sector 'niet te lokaliseren' en tellen niet mee in de gebieden.":
        "{n} inhabitants are in Statbel's sector 'cannot be located' and are not counted in any area.",
    "Aantal records per laag": "Records per layer", "laag": "layer", "records": "records",
    "zonder punt (enkel wijk)": "without a point (neighbourhood only)", "Imports": "Imports",
    "Recente wijzigingen": "Recent changes",
    "Nog geen wijzigingen vanuit het dashboard.": "No changes made in the dashboard yet.",
    "Eigen gegevens laden": "Loading your own data",
    # importeren
    "Punten importeren": "Import points",
    "Bestand (CSV, Excel, GeoJSON of GeoPackage)": "File (CSV, Excel, GeoJSON or GeoPackage)",
    "Kies een bestand. Een id-kolom maakt van elke rij een record dat bij een volgende import "
    "bijgewerkt wordt in plaats van verdubbeld.":
        "Choose a file. An id column makes each row a record that a later import updates instead of "
        "duplicating.",
    "Laag": "Layer", "Werkblad of laag in het bestand": "Sheet or layer in the file",
    "eerste met gegevens": "first with data", "Voorbeeld": "Preview", "{n} rijen": "{n} rows",
    "Kolommen koppelen": "Map columns",
    "Automatisch herkend; pas aan waar nodig. Coördinaten: lat/lon (WGS84) of x/y (Lambert).":
        "Detected automatically; change where needed. Coordinates: lat/lon (WGS84) or x/y (Lambert).",
    "— geen —": "— none —", "Coördinatenstelsel": "Coordinate system", "automatisch: {crs}": "automatic: {crs}",
    "Alleen importeren als elke rij geldig is (strikt)": "Only import when every row is valid (strict)",
    "Controleren (schrijft niets)": "Check (writes nothing)", "Bezig…": "Working…", "Klaar.": "Done.",
    "Controle: {ok} rijen geldig, {bad} geweigerd (nog niets geschreven).":
        "Check: {ok} rows valid, {bad} refused (nothing written yet).",
    "Verslag": "Report", "Geïmporteerd": "Imported", "Geldig": "Valid", "Geweigerd": "Refused",
    "Geweigerde rijen downloaden (CSV)": "Download refused rows (CSV)", "Ook bewaard in {pad}.": "Also kept in {pad}.",
    "id (sleutel)": "id (key)", "naam": "name", "type": "type", "datum": "date",
    "breedtegraad (lat)": "latitude (lat)", "lengtegraad (lon)": "longitude (lon)", "x (Lambert)": "x (Lambert)",
    "y (Lambert)": "y (Lambert)", "wijk (code of naam)": "neighbourhood (code or name)", "niet herkend": "not recognised",
    "WGS84 (lat/lon, EPSG:4326)": "WGS84 (lat/lon, EPSG:4326)",
    "Belgische Lambert 72 (EPSG:31370)": "Belgian Lambert 72 (EPSG:31370)",
    "Belgische Lambert 2008 (EPSG:3812)": "Belgian Lambert 2008 (EPSG:3812)",
    "Cohesiekaart": "Cohesiekaart",
    "Lagen downloaden": "Download layers", "Formaat": "Format", "Download {laag}": "Download {laag}",
    "{n} records met de filters van de zijbalk. Signalen als punten enkel voor beheerders; anderen downloaden "
    "ze als aantallen per gebied op *Indicatoren*.":
        "{n} records with the sidebar filters. Signals as points for admins only; others download them as "
        "counts per area on *Indicators*.",
    "plein": "square", "adres": "address", "opmerking": "note", "doelgroep": "target group",
    "partners": "partners", "einddatum": "end date", "omschrijving": "description", "bron": "source",
    "contactrol": "contact role",
    # kaart
    "Kaart van {gemeente}": "Map of {gemeente}", "Indicator": "Indicator", "Gebieden": "Areas",
    "Klassen": "Classes", "Achtergrond": "Background", "Kaart (tegels)": "Map (tiles)",
    "geen achtergrond": "no background", "Kwantielen": "Quantiles", "Gelijke intervallen": "Equal intervals",
    "Natuurlijke grenzen (Jenks)": "Natural breaks (Jenks)",
    "aantal per gebied (cirkels)": "count per area (circles)", "punten": "points",
    "Zorgsignalen worden nooit als punt getoond, enkel geteld per gebied. Voorstellen hebben een open rand; "
    "een dikke stippelrand is een pleinmaker zonder actie dit jaar.":
        "Care signals are never shown as points, only counted per area. Proposals have an open outline; a "
        "thick dashed outline is a square maker without an action this year.",
    "geen actie in {jaar}": "no action in {jaar}", "signalen": "signals",
    "Geselecteerd: sector **{sector}** ({code}) in wijk **{wijk}**, {n} inwoners.":
        "Selected: sector **{sector}** ({code}) in neighbourhood **{wijk}**, {n} inhabitants.",
    "Open de wijkfiche van {wijk}": "Open the profile of {wijk}", "Filters: {filters}": "Filters: {filters}",
    "Kaart als PNG": "Map as PNG", "Wijken en sectoren": "Neighbourhoods and sectors", "Sectoren ": "Sectors ",
    "verborgen (< 5)": "hidden (< 5)",
    # Kaart per year and change between two periods (cohesie.changemap)
    "Weergave": "View", "Periode (zijbalk)": "Period (sidebar)", "Per jaar": "Per year",
    "Per kwartaal": "Per quarter", "Verandering: jaren": "Change: years", "Verandering: kwartalen": "Change: quarters",
    "Van – tot": "From – to", "Kleur volgens": "Colour by", "verschil": "difference", "procent": "percent",
    "geen verandering": "no change",
    "meubilair, projecten, pleinmakers en actoren zoals op de laatste dag van de periode, signalen gemeld in de periode":
        "furniture, projects, pleinmakers and actors as on the period's last day, signals reported in the period",
    "{periode}: {regel}. De periode vervangt die van de zijbalk.":
        "{periode}: {regel}. The period replaces the sidebar's.",
    "Verandering van {a} naar {b}: {regel}. De periodes vervangen die van de zijbalk.":
        "Change from {a} to {b}: {regel}. The periods replace the sidebar's.",
    "{indicator} heeft geen waarde per jaar: de kaart toont de periode van de zijbalk.":
        "{indicator} has no value per year: the map shows the sidebar's period.",
    "Te weinig periodes in de gegevens: de kaart toont de periode van de zijbalk.":
        "Too few periods in the data: the map shows the sidebar's period.",
    "Kies twee verschillende periodes om te vergelijken; de kaart vergelijkt nu de laatste twee.":
        "Choose two different periods to compare; the map now compares the last two.",
    "{indicator}: verandering {a} → {b}": "{indicator}: change {a} → {b}",
    "De kerncijfers bovenaan gelden voor {b}.": "The key figures at the top are for {b}.",
    "Hele stad: {a} {va} → {b} {vb}, {verschil} ({pct}).": "Whole city: {a} {va} → {b} {vb}, {verschil} ({pct}).",
    "Kleur: verandering in {eenheid}; de tooltip geeft ook de verandering in procent van {a}.":
        "Colour: change in {eenheid}; the tooltip also gives the change in percent of {a}.",
    "Kleur: verandering in procent van {a}; de tooltip geeft ook de verandering in {eenheid}.":
        "Colour: change in percent of {a}; the tooltip also gives the change in {eenheid}.",
    "Gebieden met 1 tot 4 signalen in een van beide periodes (of waaruit die terug te rekenen zijn) tonen "
    "geen verandering, om bewoners te beschermen.":
        "Areas with 1 to 4 signals in either period (or from which they could be worked out) show no change, "
        "to protect residents.",
    "procent niet bepaald ({a} was 0)": "percent not defined ({a} was 0)",
    "{periode} is nog niet voorbij: signalen tot nu, meubilair en projecten zoals nu.":
        "{periode} is not over yet: signals so far, furniture and projects as they are now.",
    "procent niet bepaald: {a} was 0": "percent not defined: {a} was 0",
    "verborgen (< 5 in een van beide periodes)": "hidden (< 5 in either period)",
    "verborgen (< 5 signalen in een van beide periodes)": "hidden (< 5 signals in either period)",
    " (DEMO: fictieve gegevens)": " (DEMO: fictional data)",
    "Bron: sectoren {sectoren}; bevolking {bevolking}": "Source: sectors {sectoren}; population {bevolking}",
    "Gegevens van {datum} (gegevensversie {versie})": "Data of {datum} (data version {versie})",
    # lead: the status filter's placeholder for layers that count only some statuses
    "telt: {statussen}": "counts: {statussen}",
    "Suggestie {rang}: +{winst} inwoners binnen bereik": "Suggestion {rang}: +{winst} inhabitants within reach",
    "Ook aanvaarden als niet elke sector een cijfer krijgt; die sectoren krijgen geen gegevens (--gedeeltelijk)":
        "Accept it also when not every sector gets a figure; those sectors get no data (--gedeeltelijk)",
    # kaart view model (cohesie/mapview.py, pages/kaart.py)
    "Voorstellen meubilair": "Furniture proposals",
    "gebied": "area", "gebieden": "areas", "verborgen": "hidden",
    "Geselecteerd: wijk **{wijk}**, {n} inwoners.": "Selected: neighbourhood **{wijk}**, {n} inhabitants.",
    "Klik op een sector om hem te selecteren.": "Click a sector to select it.",
    # safe editing (plaatsing, history, pleinmaker actions)
    "Voorstel gemaakt: {record}": "Proposal made: {record}", "Voorstel gemaakt": "Proposal made",
    "Nog geen wijzigingen bewaard.": "No changes saved yet.",
    "Actie bewaard: {soort} op {datum} voor {pleinmaker} ({id}).":
        "Action saved: {soort} on {datum} for {pleinmaker} ({id}).",
    "Dit voorstel bestond al; er is geen tweede gemaakt: {record}":
        "This proposal already existed; no second one was made: {record}",
    "Nu bewaard: {record}, versie {versie}, gewijzigd op {wanneer}.":
        "Stored now: {record}, version {versie}, changed on {wanneer}.",
    "onbekend": "unknown", "Voorstel bewaard": "Proposal saved", "Status gewijzigd": "Status changed",
    "Verwijderd": "Removed", "Verplaatst": "Moved", "Bewaard": "Saved", "leeg": "empty",
    "plaats: {afstand} m verplaatst": "location: moved {afstand} m", "sector": "sector",
    "{actie} (opgeslagen waarden onleesbaar)": "{actie} (stored values unreadable)",
    "aangemaakt als {status}": "created as {status}", "aangemaakt": "created",
    "actie: {soort} op {datum}": "action: {soort} on {datum}", "{actie} (niets gewijzigd)": "{actie} (nothing changed)",
    "verplaatst": "moved", "verwijderd": "removed", "gewijzigd": "changed", "actie": "action",
    "Dit record bestaat niet meer; kies een ander.": "This record no longer exists; choose another one.",
    # importeren: layer guessed from the type values, report (cohesie/importreport.py, ingest/points/detection.py)
    "Kies een laag": "Choose a layer", "geraden: {laag}": "guessed: {laag}",
    "Kies hierboven een andere laag als dat niet klopt.": "Choose another layer above if that is wrong.",
    "Kies de laag van dit bestand.": "Choose the layer of this file.",
    "Het bestand heeft geen kolom type (of soort, categorie) om de laag uit te raden.":
        "The file has no column type (or soort, categorie) to guess the layer from.",
    "De kolom {kolom} is leeg, dus de laag is niet te raden.":
        "The column {kolom} is empty, so the layer cannot be guessed.",
    "Geen enkele waarde in de kolom {kolom} is een gekend type van een laag, dus de laag is niet te raden.":
        "No value in the column {kolom} is a known type of any layer, so the layer cannot be guessed.",
    "De waarden in de kolom {kolom} passen even goed bij {laag} als bij {andere} ({n} van {totaal} elk), "
    "dus de laag is niet te raden.":
        "The values in the column {kolom} fit {laag} as well as {andere} ({n} of {totaal} each), so the "
        "layer cannot be guessed.",
    "Slechts {n} van {totaal} waarden in de kolom {kolom} zijn types van de laag {laag}, te weinig om de "
    "laag te raden.":
        "Only {n} of {totaal} values in the column {kolom} are types of the layer {laag}, too few to guess "
        "the layer.",
    "Laag geraden uit de kolom {kolom}: {n} van {totaal} waarden zijn types van de laag {laag}.":
        "Layer guessed from the column {kolom}: {n} of {totaal} values are types of the layer {laag}.",
    "De gekozen laag is {laag}, maar {n} van {totaal} waarden in de kolom {kolom} zijn types van de laag "
    "{andere} (zoals {voorbeelden}). Kies de laag {andere} of controleer het bestand voor je importeert.":
        "The chosen layer is {laag}, but {n} of {totaal} values in the column {kolom} are types of the "
        "layer {andere} (such as {voorbeelden}). Choose the layer {andere} or check the file before you "
        "import.",
    "Geen enkele van de {totaal} waarden in de kolom {kolom} is een gekend type van de laag {laag} "
    "({types}). Klopt de gekozen laag?":
        "None of the {totaal} values in the column {kolom} is a known type of the layer {laag} ({types}). "
        "Is the chosen layer right?",
    "{bestand}: {n} van {totaal} rijen geïmporteerd in {laag}, {geweigerd} geweigerd. Verbeter de "
    "geweigerde rijen (download hieronder) en laad ze opnieuw.":
        "{bestand}: {n} of {totaal} rows imported into {laag}, {geweigerd} refused. Correct the "
        "refused rows (download below) and load them again.",
    "{bestand}: alle {n} rijen geïmporteerd in {laag}.": "{bestand}: all {n} rows imported into {laag}.",
    "{nieuw} nieuw, {bijgewerkt} bijgewerkt, {ongewijzigd} ongewijzigd.":
        "{nieuw} new, {bijgewerkt} updated, {ongewijzigd} unchanged.",
    "{bestand}: niets geïmporteerd (strikt): {bad} van de {totaal} rijen zouden geweigerd worden. Verbeter "
    "de rijen hieronder en laad het bestand opnieuw.":
        "{bestand}: nothing imported (strict): {bad} of the {totaal} rows would be refused. Correct the "
        "rows below and load the file again.",
    "{bestand}: niets geïmporteerd, geen enkele rij is geldig. Verbeter de rijen hieronder en laad het "
    "bestand opnieuw.":
        "{bestand}: nothing imported, no row is valid. Correct the rows below and load the file again.",
    "rij": "row", "kolom": "column", "reden": "reason", "de gegevensmap": "the data directory",
    "De eerste {n} van {totaal} problemen; de download bevat alle geweigerde rijen met hun reden.":
        "The first {n} of {totaal} problems; the download holds every refused row with its reason.",
    "Geweigerde rijen: {rijen}; problemen: {totaal}.": "Refused rows: {rijen}; problems: {totaal}.",
    "Een kopie staat bij de geweigerde rijen van deze gegevensmap.":
        "A copy is kept with the refused rows of this data directory.",
    "{klaar} van {totaal} rijen geschreven…": "{klaar} of {totaal} rows written…",
    "Bestand lezen…": "Reading the file…", "Geometrie en coördinaten controleren…": "Checking geometry and coordinates…",
    "Punten aan sectoren koppelen…": "Joining points to sectors…",
    "Wijken, velden en datums controleren…": "Checking neighbourhoods, fields and dates…",
    "Records samenstellen…": "Assembling records…", "Controle klaar.": "Check done.",
    # presentatie (council view, cohesie/presentation.py)
    "Terug naar de kaart": "Back to the map", "stad: {waarde}": "city: {waarde}",
    "Meubilair geplaatst": "Street furniture placed",
    "{n} wijken, {inwoners} inwoners": "{n} neighbourhoods, {inwoners} inhabitants",
    "wijk {i} van {n} in {gemeente}": "neighbourhood {i} of {n} in {gemeente}",
    # -- Presentatie: the Vergelijk and Trend slides (issue 12 item 5) --
    "Vergelijk": "Compare", "Trend": "Trend", "Dia": "Slide", "Vorige dia": "Previous slide",
    "Volgende dia": "Next slide", "Aantal": "Count", "Per 1000 inwoners": "Per 1000 inhabitants",
    "stippellijn: gemiddelde per wijk ({waarde})": "dashed line: mean per neighbourhood ({waarde})",
    "stippellijn: de stad ({waarde})": "dashed line: the city ({waarde})",
    "gem. {waarde} per wijk": "mean {waarde} per neighbourhood",
    "{rang}, gedeeld met {n}": "{rang}, shared with {n}",
    "{naam} heeft geen balk bij {indicatoren}: het aantal signalen is verborgen om bewoners te beschermen, net als "
    "dat van de wijken die ontbreken.":
        "{naam} has no bar for {indicatoren}: its number of signals is hidden to protect residents, as are those of "
        "the neighbourhoods that are missing.",
    "Zet een laag aan om de wijken te vergelijken.": "Switch a layer on to compare the neighbourhoods.",
    "Zet een laag aan om haar trend te zien.": "Switch a layer on to see its trend.",
    "Geen gegevens per jaar voor deze indicator.": "No figures per year for this indicator.",
    "Per jaar: de signalen gemeld in dat jaar.": "Per year: the signals reported in that year.",
    "Per jaar: wat er op 31 december van dat jaar stond.": "Per year: what stood on 31 December of that year.",
    "Per 1000 inwoners met het bevolkingscijfer zoals geladen, voor elk jaar hetzelfde.":
        "Per 1000 inhabitants with the population figure as loaded, the same for every year.",
    "{jaar} (lopend)": "{jaar} (so far)",
    "{jaar} loopt nog: de cijfers van dat jaar zijn niet compleet.":
        "{jaar} is still running: its figures are not complete.",
    # -- issue 13 on the Wijkfiche, the record panel and the Presentatie (cohesie/statview.py) --
    "1 op {n}": "1 in {n}", "minder dan 1 op {n}": "less than 1 in {n}",
    "meer dan 1 op 2 (gewoon)": "more than 1 in 2 (ordinary)",
    "1 opvallende stijging {waar} in {periode}.": "1 notable rise {waar} in {periode}.",
    "{n} opvallende stijgingen {waar} in {periode}.": "{n} notable rises {waar} in {periode}.",
    "Niets opvallends {waar} in {periode}: geen categorie steeg meer dan seizoen en toeval verklaren.":
        "Nothing notable {waar} in {periode}: no category rose more than season and chance explain.",
    "in de stad": "in the city", "in {naam}": "in {naam}", "sector {naam}": "sector {naam}",
    "kwartaal {q} van {jaar}": "quarter {q} of {jaar}",
    "Alle categorieën van {naam}": "All categories of {naam}", "Hoe is dit berekend?": "How was this computed?",
    "Kans bij toeval": "Chance by accident", "Lezing": "Reading", "binnen de verwachting": "within expectation",
    "opvallend: meer dan seizoen en toeval verklaren": "notable: more than season and chance explain",
    "Kleine aantallen (1 tot 4) staan als '< 5'; de markering 'opvallend' blijft zichtbaar.":
        "Small counts (1 to 4) show as '< 5'; the 'notable' flag stays visible.",
    "Waargenomen: signalen in die periode. Verwacht: wat de eigen geschiedenis van het gebied (3 jaar met "
    "seizoen, het halfjaar net ervoor niet meegeteld) laat verwachten. Kans bij toeval: hoe vaak minstens zoveel signalen voorkomen als er niets veranderd "
    "is. Opvallend is een reden om te kijken, geen bewijs van een probleem.":
        "Observed: signals in that period. Expected: what the area's own history (3 years with season, the half "
        "year just before left out) leads one to expect. Chance by accident: how often at least this many signals occur if nothing changed. Notable is "
        "a reason to look, not proof of a problem.",
    "Opvallende stijgingen berekenen…": "Computing notable rises…", "Zet de laag signalen aan.":
        "Switch on the signals layer.",
    "Werkt het?": "Does it work?", "Ingreep": "Intervention", "Straal (meter)": "Radius (metres)",
    "Maanden voor en na": "Months before and after", "{laag}: {naam} (start {datum})": "{laag}: {naam} (start {datum})",
    "Geen ingrepen met een startdatum en een locatie in deze wijk (pleinmakers, projecten, geplaatst meubilair).":
        "No interventions with a start date and a location in this neighbourhood (pleinmakers, projects, placed "
        "furniture).",
    "Werkt het? heeft een startdatum en een locatie nodig; dit record heeft er geen.":
        "Does it work? needs a start date and a location; this record has none.",
    "Werkt het? kan pas berekend worden als het meubilair geplaatst is (met een datum geplaatst).":
        "Does it work? can only be computed once the furniture is placed (with a placement date).",
    "Deze ingreep start op {datum}; de signalen lopen van {van} tot {tot}: er is geen volledige maand voor én na "
    "de start om te vergelijken.":
        "This intervention starts on {datum}; the signals run from {van} to {tot}: there is no complete month both "
        "before and after the start to compare.",
    "De signalen lopen van {van} tot {tot}: rond deze start passen {n} maanden voor en na, niet {gevraagd}; er zijn "
    "er {n} gebruikt.":
        "The signals run from {van} to {tot}: around this start {n} months before and after fit, not {gevraagd}; "
        "{n} were used.",
    "voor de start": "before the start", "na de start": "after the start", "start {datum}": "start {datum}",
    "{n} signalen, index {i}": "{n} signals, index {i}", "index {i}": "index {i}",
    "Per maand, als index: 100 = het gemiddelde per maand van dat gebied voor de start, zodat beide lijnen op één "
    "as passen.":
        "Per month, as an index: 100 = that area's mean per month before the start, so that both lines fit on one "
        "axis.",
    "Per 3 maanden en als index (100 = het gemiddelde per maand van dat gebied voor de start), zodat kleine "
    "aantallen binnen {r} m niet te herleiden zijn.":
        "Per 3 months and as an index (100 = that area's mean per month before the start), so that small counts "
        "within {r} m cannot be worked out.",
    "{n} blok(ken) met 1 tot 4 signalen binnen {r} m zijn weggelaten.":
        "{n} block(s) with 1 to 4 signals within {r} m are left out.",
    "Binnen {r} m: {a} voor, {b} na; rest van de stad: {c} voor, {d} na (signalen).":
        "Within {r} m: {a} before, {b} after; rest of the city: {c} before, {d} after (signals).",
    "Maanden voor (−) en na (+) de startmaand": "Months before (−) and after (+) the start month",
    "Index (100 = gemiddelde voor de start)": "Index (100 = mean before the start)",
    "{indicator} per jaar": "{indicator} per year", "evenveel als in {vorig}": "the same as in {vorig}",
    "{verschil} meer dan in {vorig}": "{verschil} more than in {vorig}",
    "{verschil} minder dan in {vorig}": "{verschil} less than in {vorig}",
    "{naam}, {indicator}: {waarde} in {jaar}, {verandering}.": "{naam}, {indicator}: {waarde} in {jaar}, {verandering}.",
    # wijkfiche (view model, page, PDF and CSV)
    "Aantal signalen": "Number of signals", "Categorie": "Category", "Maand": "Month",
    "Gefilterde wijken als PDF": "Filtered neighbourhoods as PDF", "Wijkfiche als CSV": "Profile as CSV",
    "Kaart van de wijk": "Map of the neighbourhood", "Kerncijfers": "Key figures",
    "Vergelijking met de stad": "Comparison with the city",
    "Voorstellen meubilair (aantal)": "Furniture proposals (count)", "Oppervlakte (km²)": "Area (km²)",
    "Stad": "City", "Stad: {waarde}": "City: {waarde}", "Verhouding": "Ratio",
    "{pct} van de stad": "{pct} of the city", "Onderdeel": "Section", "Onderwerp": "Subject",
    "pagina {n}": "page {n}", "… en nog {n}": "… and {n} more", "actief sinds": "active since",
    "Te weinig signalen om per maand te tonen: kleine aantallen worden niet getoond.":
        "Too few signals to show per month: small counts are not shown.",
    "datum geplaatst": "date placed", "datum melding": "date reported", "datum opgenomen": "date added",
    "startdatum": "start date", "soort": "kind", "categorie": "category",
    # Gegevens: import log and recent changes (cohesie/inventory.py)
    "wanneer": "when", "bestand": "file", "bestand van": "file dated", "ingelezen": "read",
    "geweigerd": "refused", "wie": "who", "record": "record", "wijziging": "change",
    # data check and area imports (cohesie/datacheck.py, cohesie/areaimport.py, Gegevens, Importeren)
    "Gegevenscontrole": "Data check",
    "Gegevenscontrole van gemeente {gemeente} (NIS {nis})": "Data check of municipality {gemeente} (NIS {nis})",
    "OK": "OK", "WAARSCHUWING": "WARNING", "PROBLEEM": "PROBLEM", "Wat te doen": "What to do",
    "Consistent: geen waarschuwingen.": "Consistent: no warnings.",
    "Niet consistent: {n} waarschuwing(en); wat te doen staat bij elke waarschuwing.":
        "Not consistent: {n} warning(s); what to do is given with each warning.",
    "Niet consistent: er zijn geen sectoren.": "Not consistent: there are no sectors.",
    "Er zijn geen sectoren geladen: het dashboard kan niets tonen.":
        "No sectors are loaded: the dashboard cannot show anything.",
    "Importeer de statistische sectoren van Statbel voor je gemeente, of maak de demo.":
        "Import Statbel's statistical sectors of your municipality, or build the demo.",
    "de sectorset 2025": "the 2025 sector set",
    "de sectorset {jaren} (vóór de herziening van 2025)": "the {jaren} sector set (before the 2025 revision)",
    "een niet herkende sectorset": "an unrecognised sector set",
    "Gemeente {gemeente} (NIS {nis}) met {n} sectoren.": "Municipality {gemeente} (NIS {nis}) with {n} sectors.",
    "{n} sectoren, {w} wijken, {d} deelgemeenten.": "{n} sectors, {w} neighbourhoods, {d} districts.",
    "De sectoren lijken {set}.": "The sectors look like {set}.",
    "Welke sectorset de sectoren zijn, is niet bekend (geen herkende kolomnamen bij de import).":
        "Which sector set the sectors are is not known (no recognised column names at import).",
    "Dit is de fictieve demo; vervang ze door echte gegevens met de importcommando's.":
        "This is the fictional demo; replace it with real data using the import commands.",
    "Er is geen wijkindeling geladen: elke wijk is nu de groep sectoren met dezelfde eerste 7 tekens van de sectorcode.":
        "No neighbourhood table is loaded: each neighbourhood is now the group of sectors sharing the first "
        "7 characters of the sector code.",
    "Importeer de wijkindeling van de stad of de kerntabel van Provincies in Cijfers voor dezelfde sectorset als de sectoren.":
        "Import the city's neighbourhood table or the Provincies in Cijfers core table for the same sector "
        "set as the sectors.",
    "{n} sector(en) zonder wijk.": "{n} sector(s) without a neighbourhood.",
    "{n} van de {totaal} sectoren staan niet in de wijkindeling (bv. {codes}); ze vallen nu in hun standaardwijk (eerste 7 tekens).":
        "{n} of the {totaal} sectors are not in the neighbourhood table (e.g. {codes}); they now fall in "
        "their default neighbourhood (first 7 characters).",
    "Importeer de wijkindeling van dezelfde sectorset als de sectoren, of zet de ontbrekende sectoren in de wijk 'onbekend' met --onbekend.":
        "Import the neighbourhood table of the same sector set as the sectors, or put the missing sectors "
        "in the 'onbekend' (unknown) neighbourhood with --onbekend.",
    "De wijkindeling": "The neighbourhood table",
    "{wat} gebruikt {set}; de geladen sectoren zijn {geladen}.": "{wat} uses {set}; the loaded sectors are {geladen}.",
    "{n} wijk(en) zonder sectoren.": "{n} neighbourhood(s) without sectors.",
    "De wijkindeling noemt sectoren die niet geladen zijn.": "The neighbourhood table names sectors that are not loaded.",
    "{n} wijk(en) zonder geladen sector: {wijken}.": "{n} neighbourhood(s) without a loaded sector: {wijken}.",
    "{n} sectorcode(s) uit de wijkindeling bestaan niet in de geladen sectoren (bv. {codes}).":
        "{n} sector code(s) of the neighbourhood table do not exist among the loaded sectors (e.g. {codes}).",
    "De wijkindeling en de sectoren zijn van een andere sectorset. Importeer de wijkindeling die bij de geladen sectoren hoort (of de sectoren die bij de wijkindeling horen).":
        "The neighbourhood table and the sectors are of different sector sets. Import the neighbourhood "
        "table that belongs to the loaded sectors (or the sectors that belong to the table).",
    "{w} wijken; elke sector ligt in precies één wijk.": "{w} neighbourhoods; every sector lies in exactly one.",
    "{n} sector(en) staan in de wijk 'onbekend' (bv. {codes}): hun cijfers tellen in geen echte wijk mee.":
        "{n} sector(s) are in the 'onbekend' (unknown) neighbourhood (e.g. {codes}): their figures count in "
        "no real neighbourhood.",
    "{n} wijk(en) zonder naam tonen hun code (bv. {codes}); namen komen met --names.":
        "{n} neighbourhood(s) without a name show their code (e.g. {codes}); names come with --names.",
    "{n} sector(en) zonder echte wijk (in 'onbekend').": "{n} sector(s) without a real neighbourhood (in 'onbekend').",
    "Importeer de wijkindeling van dezelfde sectorset als de sectoren (zonder --onbekend).":
        "Import the neighbourhood table of the same sector set as the sectors (without --onbekend).",
    "De wijkindeling gebruikt {set}.": "The neighbourhood table uses {set}.",
    "Elke sector heeft een wijk.": "Every sector has a neighbourhood.",
    "Er is geen bevolking geladen: elke sector toont 'geen gegevens' en er zijn geen cijfers per 1000 inwoners.":
        "No population is loaded: every sector shows 'no data' and there are no figures per 1000 inhabitants.",
    "Importeer Statbel's bevolking per statistische sector van het jaar dat bij de sectorset past.":
        "Import Statbel's population per statistical sector of the year that matches the sector set.",
    "Het bevolkingsbestand": "The population file",
    "{n} sector(en) zonder bevolkingscijfer.": "{n} sector(s) without a population figure.",
    "{n} van de {totaal} sectoren hebben geen bevolkingscijfer (bv. {codes}); ze tellen als 'geen gegevens' (—), niet als 0.":
        "{n} of the {totaal} sectors have no population figure (e.g. {codes}); they count as 'no data' (—), "
        "not as 0.",
    "{n} sectorcode(s) uit het bevolkingsbestand bestaan niet in de geladen sectoren (bv. {codes}); hun {inwoners} inwoners tellen in geen enkel gebied mee.":
        "{n} sector code(s) of the population file do not exist among the loaded sectors (e.g. {codes}); "
        "their {inwoners} inhabitants count in no area.",
    "Het bevolkingsbestand noemt sectoren die niet geladen zijn.": "The population file names sectors that are not loaded.",
    "Importeer het bevolkingsbestand van een jaar met dezelfde sectorset als de sectoren (2025 of later voor de set 2025, 2020-2024 voor de set van vóór 2025).":
        "Import the population file of a year with the same sector set as the sectors (2025 or later for "
        "the 2025 set, 2020-2024 for the set before 2025).",
    "{n} inwoners in {s} sectoren.": "{n} inhabitants in {s} sectors.",
    "{n} inwoners staan in 'niet te lokaliseren' ({codes}) en tellen in geen gebied mee.":
        "{n} inhabitants are in 'niet te lokaliseren' (cannot be located, {codes}) and count in no area.",
    "Elke sector heeft een bevolkingscijfer.": "Every sector has a population figure.",
    "{laag}: {n}": "{laag}: {n}",
    "Records per laag: {n} in totaal.": "Records per layer: {n} in total.",
    "{n} record(s) met coördinaten liggen in geen enkele sector (buiten de gemeente).":
        "{n} record(s) with coordinates lie in no sector (outside the municipality).",
    "Zoek ze in de export (kolom sector leeg), verbeter hun coördinaten in het bronbestand en importeer het opnieuw; of importeer de sectoren die ze wel bevatten.":
        "Find them in the export (empty sector column), correct their coordinates in the source file and "
        "import it again; or import the sectors that do contain them.",
    "{n} record(s) zonder coördinaten noemen een wijk die niet bestaat.":
        "{n} record(s) without coordinates name a neighbourhood that does not exist.",
    "Geef ze coördinaten of de code of naam van een geladen wijk in de kolom wijk, en importeer het bestand opnieuw.":
        "Give them coordinates or the code or name of a loaded neighbourhood in the wijk column, and import "
        "the file again.",
    "Elk record ligt in een sector of in een geladen wijk.": "Every record lies in a sector or a loaded neighbourhood.",
    "{wat}: niet geladen": "{wat}: not loaded", ", geïmporteerd {wanneer}": ", imported {wanneer}",
    "Bronnen (fictieve demo).": "Sources (fictional demo).", "Bronvermelding: {tekst}": "Attribution: {tekst}",
    "Bronnen van de geladen gegevens.": "Sources of the loaded data.",
    "Hetzelfde verslag op de opdrachtregel: python -m cohesie check (exitcode 0 als alles klopt, 1 bij waarschuwingen).":
        "The same report on the command line: python -m cohesie check (exit code 0 when consistent, 1 with "
        "warnings).",
    "Soort bestand": "Kind of file", "Bestand": "File",
    "Punten (een laag)": "Points (a layer)", "Statistische sectoren (polygonen)": "Statistical sectors (polygons)",
    "Wijkindeling (sector → wijk)": "Neighbourhood table (sector → neighbourhood)",
    "Bevolking per sector": "Population per sector",
    "sectorcode (verplicht)": "sector code (required)", "naam van de sector": "sector name",
    "code van de deelgemeente": "district code", "naam van de deelgemeente": "district name",
    "NIS-code van de gemeente": "NIS code of the municipality", "naam van de gemeente": "municipality name",
    "aantal inwoners per sector": "inhabitants per sector", "wijkcode (verplicht)": "neighbourhood code (required)",
    "wijknaam": "neighbourhood name", "aantal inwoners (verplicht)": "inhabitants (required)",
    "Kies Statbel's statistische sectoren (de gezipte shapefile van 2025 of de GeoJSON van 2018-2024) of een ander polygonenbestand met een sectorcode.":
        "Choose Statbel's statistical sectors (the 2025 zipped shapefile or the 2018-2024 GeoJSON) or another "
        "polygon file with a sector code.",
    "Kies de kerntabel van Provincies in Cijfers (statsec, ggw7 of statsec2024, ggw72024) of de eigen tabel sector, wijk_code, wijk_naam.":
        "Choose the Provincies in Cijfers core table (statsec, ggw7 or statsec2024, ggw72024) or the city's own "
        "table sector, wijk_code, wijk_naam.",
    "Kies Statbel's OPENDATA_SECTOREN_<jaar> of een tabel met een sectorcode en een bevolkingskolom.":
        "Choose Statbel's OPENDATA_SECTOREN_<year> or a table with a sector code and a population column.",
    "Automatisch herkend; pas aan waar nodig (zoals --map KOLOM=VELD op de opdrachtregel).":
        "Recognised automatically; change where needed (like --map COLUMN=FIELD on the command line).",
    "Coördinatenstelsel als het bestand er geen heeft": "Coordinate system if the file has none",
    "uit het bestand": "from the file",
    "Wijknamen (optioneel): de namenlijst van Provincies in Cijfers of een wijkenbestand met code en naam":
        "Neighbourhood names (optional): the Provincies in Cijfers name list or a neighbourhood file with "
        "code and name",
    "Sectoren die de tabel niet noemt in de wijk 'onbekend' zetten (--onbekend)":
        "Put sectors the table does not name in the 'onbekend' (unknown) neighbourhood (--onbekend)",
    "Jaar (als de bestandsnaam het niet zegt)": "Year (if the file name does not say)",
    "probleem": "problem",
    "{bestand}: niets geïmporteerd, er is niets gewijzigd.": "{bestand}: nothing imported, nothing was changed.",
    "{n} probleem/problemen; verbeter ze en laad het bestand opnieuw.":
        "{n} problem(s); correct them and load the file again.",
    "Op de opdrachtregel:": "On the command line:", "Gegevenscontrole: {wat}": "Data check: {wat}",
    "Controleer daarna of alles bij elkaar past op *Gegevens* (Gegevenscontrole) of met python -m cohesie check.":
        "Then check that everything fits together on *Data* (Data check) or with python -m cohesie check.",
    # -- population without a figure (issue 11: sector and population import) --
    "Geselecteerd: sector **{sector}** ({code}) in wijk **{wijk}**; inwoners: {n}.":
        "Selected: sector **{sector}** ({code}) in neighbourhood **{wijk}**; inhabitants: {n}.",
    "Inwoners (zonder {n} sector(en) zonder bevolkingscijfer)":
        "Inhabitants (excluding {n} sector(s) without a population figure)",
    "{n} sector(en) zonder bevolkingscijfer: hun inwoners zijn onbekend (geen gegevens, niet 0). Hun cijfers per "
    "1000 inwoners en per km² blijven leeg, net als die van de gebieden waarin ze liggen en van de stad; het "
    "aantal inwoners van de stad telt ze niet mee.":
        "{n} sector(s) without a population figure: their inhabitants are unknown (no data, not 0). Their "
        "figures per 1000 inhabitants and per km² stay empty, as do those of the areas they lie in and of the "
        "city; the city's inhabitants leave them out.",
    # -- Wijkfiche: rank among the wijken and strip plot (issue 12 item 2) --
    "Rang": "Rank", "{rang} van {aantal}": "{rang} of {aantal}", "Gerangschikte wijken": "Neighbourhoods ranked",
    "{n} zonder waarde": "{n} without a value", "{n} met een verborgen aantal": "{n} with a hidden count",
    "Niet gerangschikt: {wie}.": "Not ranked: {wie}.",
    "Rang: plaats tussen de {n} wijken van de stad, 1 = hoogste waarde; gelijke waarden delen een rang.":
        "Rank: place among the city's {n} neighbourhoods, 1 = highest value; equal values share a rank.",
    "{naam} staat niet in de rijen {rijen}: het aantal signalen is verborgen om bewoners te beschermen, net als "
    "dat van de wijken die ontbreken.":
        "{naam} is not drawn in the rows {rijen}: its number of signals is hidden to protect residents, as are "
        "those of the neighbourhoods that are missing.",
    "Andere wijken": "Other neighbourhoods", "Plaats tussen de wijken": "Place among the neighbourhoods",
    "Waarde (eigen schaal per indicator)": "Value (own scale per indicator)", "Waarde": "Value",
    "Indicatoren in de grafiek": "Indicators in the chart",
    # context figures (issue 12 item 4): cohesie/context.py
    "{naam} is per {eigen} geladen en bestaat dus alleen per {eigen} en voor de hele gemeente, niet per {niveau}.":
        "{naam} was loaded per {eigen}, so it exists only per {eigen} and for the whole municipality, not per "
        "{niveau}.",
    "{naam}: {n} gebied(en) zonder inwoners of zonder bevolkingscijfer tellen niet mee in het gemiddelde gewogen "
    "naar inwoners ({codes}).":
        "{naam}: {n} area(s) without inhabitants or without a population figure are left out of the mean weighted "
        "by inhabitants ({codes}).",
    # -- Kaart: early warning ("Opvallend") and hot spots (issue 13) --
    "Hot spots": "Hot spots",
    "Hot spots worden altijd per sector getoetst.": "Hot spots are always tested per sector.",
    "Hot spots van signalen per 1000 inwoners": "Hot spots of signals per 1000 inhabitants",
    "{waarde} per 1000 inwoners": "{waarde} per 1000 inhabitants", "signalen {aantal}": "signals {aantal}",
    "Geen signalen in de gekozen periode en categorieën: er zijn geen hot spots te zoeken.":
        "No signals in the chosen period and categories: there are no hot spots to look for.",
    "Opvallend: {categorie} {periode}, {waargenomen} waargenomen, {verwacht} verwacht":
        "Notable: {categorie} {periode}, {waargenomen} observed, {verwacht} expected",
    "{n} opvallend in {periode}": "{n} notable in {periode}",
    "Niets opvallend in {periode}": "Nothing notable in {periode}",
    "Geen signalen om te toetsen.": "No signals to test.",
    "p-waarde (gecorrigeerd)": "p-value (corrected)",
    "Opvallend (vroege waarschuwing): rode rand en !": "Notable (early warning): red outline and !",
    "De laag signalen staat uit: geen vroege waarschuwing.":
        "The signals layer is switched off: no early warning.",
    "De vroege waarschuwing is nog niet beschikbaar met een gedeelde databank (PostGIS); gebruik "
    "'python -m cohesie alerts'.":
        "The early warning is not yet available with a shared database (PostGIS); use "
        "'python -m cohesie alerts'.",
    "Minimaal overschot (signalen)": "Minimum excess (signals)",
    "Een stijging is pas opvallend als er minstens zoveel signalen meer zijn dan verwacht.":
        "A rise is notable only when there are at least this many signals more than expected.",
    "zie de lijst onder de kaart": "see the list below the map",
    "per wijk": "per neighbourhood", "per sector": "per sector",
    "Vroege waarschuwing berekenen…": "Computing the early warning…", "Getoetste periode": "Period tested",
    "De vroege waarschuwing wordt berekend; de kaart toont ze zodra ze klaar is.":
        "The early warning is being computed; the map shows it as soon as it is ready.",
    "Gegevens laden…": "Loading the data…",
    "Signalen: per 1000 inwoners in de hot-spotklassen": "Signals: per 1000 inhabitants in the hot-spot classes",
    # -- Wijkfiche: trend per year (issue 12 item 3) --
    "Trend per jaar": "Trend per year", "Jaar": "Year", "Gebied": "Area",
    "Verandering {jaar} tegenover het jaar ervoor": "Change {jaar} compared with the year before",
    "De verandering wordt niet getoond: een van beide jaren heeft te weinig signalen.":
        "The change is not shown: one of the two years has too few signals.",
    "Jaren met 1 tot 4 signalen (en jaren waaruit ze terug te rekenen zijn) zijn weggelaten om bewoners te beschermen.":
        "Years with 1 to 4 signals (and years they could be worked out from) are left out to protect residents.",
    # -- statistics (issue 13): early warning, hot spots, "Werkt het?" --
    "Per gebied en categorie is {periode} vergeleken met wat de eigen geschiedenis ({jaren} jaar, het halfjaar net ervoor niet meegeteld) laat "
    "verwachten: een Poisson-regressie met trend en seizoen, met ruimte voor extra spreiding. Opvallend = na "
    "correctie voor het aantal getoetste reeksen (Benjamini-Hochberg) significant op {alpha} en minstens {min} "
    "signalen boven de verwachting. Een opvallende stijging is een reden om te kijken, geen bewijs van een probleem.":
        "For each area and category, {periode} is compared with what its own history ({jaren} years, leaving out the half year just before) leads "
        "one to expect: a Poisson regression with trend and season that allows for extra variation. Notable = "
        "significant at {alpha} after correction for the number of series tested (Benjamini-Hochberg) and at "
        "least {min} signals above the expected count. A notable rise is a reason to look, not proof of a problem.",
    "de laatste volledige maand": "the latest complete month",
    "het laatste volledige kwartaal": "the latest complete quarter",
    "te korte geschiedenis: niet getoetst": "history too short: not tested",
    "nooit eerder signalen in deze categorie: niet getoetst": "never any signals of this category before: not tested",
    "{n} reeks(en) niet getoetst: minder dan een jaar geschiedenis voor de getoetste periode.":
        "{n} series not tested: less than a year of history before the tested period.",
    "{n} reeks(en) niet getoetst: in de geschiedenis nooit een signaal van die categorie in dat gebied (een eerste "
    "signaal is geen stijging die we kunnen toetsen).":
        "{n} series not tested: never a signal of that category in that area in the history (a first signal is "
        "not a rise we can test).",
    "Waargenomen": "Observed", "Verwacht": "Expected", "p-waarde": "p-value", "Opvallend": "Notable",
    "ja": "yes", "nee": "no",
    "hot spot 99 %": "hot spot 99%", "hot spot 95 %": "hot spot 95%", "cold spot": "cold spot",
    "niet significant": "not significant", "geen inwoners": "no inhabitants", "geen buren": "no neighbours",
    "Getis-Ord Gi*: vergelijkt de signalen per 1000 inwoners van een sector en zijn buren (sectoren die een grens "
    "of hoek delen) met die van de hele stad; een hot spot is een groep sectoren met samen uitzonderlijk hoge "
    "cijfers, na correctie voor het aantal getoetste sectoren.":
        "Getis-Ord Gi*: compares the signals per 1000 inhabitants of a sector and its neighbours (sectors sharing a "
        "border or corner) with those of the whole city; a hot spot is a group of sectors with exceptionally high "
        "figures together, after correction for the number of sectors tested.",
    "{n} sector(en) zonder (gekende) inwoners hebben geen cijfer per 1000 inwoners en zijn niet getoetst: {codes}.":
        "{n} sector(s) without (known) inhabitants have no figure per 1000 inhabitants and were not tested: {codes}.",
    "{n} sector(en) zonder buren met een cijfer (eilanden) zijn niet getoetst: {codes}.":
        "{n} sector(s) without neighbours with a figure (islands) were not tested: {codes}.",
    "Verschil-in-verschillen: de verandering van het aantal signalen per maand binnen {r} m tussen de {m} maanden "
    "voor en na de startmaand, gedeeld door dezelfde verandering in de rest van de stad (Poisson-regressie met een "
    "effect per gebied en per maand; het interval houdt rekening met extra spreiding tussen de maanden). Ook andere "
    "veranderingen dicht bij de ingreep tellen mee.":
        "Difference in differences: the change in signals per month within {r} m between the {m} months before "
        "and after the start month, divided by the same change in the rest of the city (Poisson regression with "
        "an effect per area and per month; the interval allows for extra variation between months). Other "
        "changes close to the intervention count too.",
    "In de {m} maanden na de start {verb} de signalen binnen {r} m met {pct} (95 %-interval {lo} tot {hi}) meer "
    "dan in de rest van de stad.":
        "In the {m} months after the start, signals within {r} m {verb} by {pct} more than in the rest of the city "
        "(95% interval {lo} to {hi}).",
    "daalden": "fell", "stegen": "rose",
    "Te weinig signalen binnen {r} m ({n} in de {m} maanden voor en na de start samen; minstens {min} nodig, en in "
    "elke periode minstens één) om een verandering te schatten.":
        "Too few signals within {r} m ({n} in the {m} months before and after the start together; at least {min} "
        "needed, and at least one in each period) to estimate a change.",
    "{n} signalen zonder locatie (alleen een wijk) tellen niet mee: hun afstand is onbekend.":
        "{n} signals without a location (a neighbourhood only) are left out: their distance is unknown.",
    "binnen {r} m": "within {r} m", "rest van de stad": "rest of the city",
    "Het interval bevat 0 %: het verschil kan toeval zijn.": "The interval contains 0%: the difference may be chance.",
    "Dat wijst op samenhang, niet noodzakelijk op oorzaak.": "That points to association, not necessarily cause.",
    # Vergelijken (issue 12 item 1)
    "Perioden vóór {periode} zijn weggelaten: de gegevens hebben daar nog niets van deze laag.":
        "Periods before {periode} are left out: the data hold nothing of this layer there yet.",
    "Trend per kwartaal: {indicator}": "Trend per quarter: {indicator}",
    "Vergelijken": "Compare", "Gebieden (twee tot vier)": "Areas (two to four)",
    "kies wijken, sectoren, deelgemeenten of de stad": "choose neighbourhoods, sectors, districts or the city",
    "Kies twee tot vier gebieden om ze naast elkaar te zien; de stad mag erbij.":
        "Choose two to four areas to see them side by side; the city may be one of them.",
    "Vergelijking als PDF": "Comparison as PDF", "Vergelijking als Excel": "Comparison as Excel",
    "Indicator voor de kaartjes en de trend": "Indicator for the small maps and the trend",
    "Vergelijking {namen}": "Comparison {namen}",
    "{naam}: rang": "{naam}: rank", "{naam}: gerangschikt": "{naam}: areas ranked",
    "wijken": "neighbourhoods", "deelgemeenten": "districts",
    "Rang: plaats tussen alle gebieden van hetzelfde niveau ({aantallen}), 1 = hoogste waarde; gelijke waarden "
    "delen een rang.":
        "Rank: position among all areas of the same level ({aantallen}), 1 = highest value; equal values share "
        "a rank.",
    "'< 5' is een aantal signalen van 1 tot 4, 'verborgen' is afgeschermd zodat zo'n klein aantal niet terug te "
    "rekenen is; de cijfers per 1000 inwoners erop blijven leeg.":
        "'< 5' is a count of 1 to 4 signals, 'hidden' is withheld so that such a small count cannot be worked "
        "out; the figures per 1000 inhabitants on it stay empty.",
    "Geen trend voor {indicator}: dat cijfer heeft één waarde, geen reeks per jaar.":
        "No trend for {indicator}: that figure has one value, no series per year.",
    "Kaart: {indicator} per sector": "Map: {indicator} per sector",
    "verborgen (kleine aantallen)": "hidden (small counts)",
    "De kaartjes blijven grijs: dit cijfer bestaat niet per sector.":
        "The small maps stay grey: this figure does not exist per sector.",
    "Trend per jaar: {indicator}": "Trend per year: {indicator}",
    "Vergelijk met …": "Compare with …",
    "Open Vergelijken met deze wijk al gekozen; kies er daar een tot drie gebieden bij.":
        "Opens Compare with this neighbourhood already chosen; add one to three areas there.",
    # -- Wijkfiche: context figures, trend per quarter, trend in the exports (issue 12) --
    "Contextcijfers van de stad: {lijst}.": "The city's context figures: {lijst}.",
    "bron {bron}": "source {bron}", "bron onbekend": "source unknown",
    "Inwoners: {wijk} van {stad} in de stad ({deel}).": "Inhabitants: {wijk} of {stad} in the city ({deel}).",
    "Bevolkingscijfers {jaar}.": "Population figures {jaar}.",
    "Contextcijfers": "Context figures", "Bron": "Source", "Context": "Context",
    "Verandering": "Change", "Verandering (%)": "Change (%)",
    "{n} eerdere perioden staan in de CSV.": "{n} earlier periods are in the CSV.",
    "Kwartaal": "Quarter", "Per": "Per", "Trend per kwartaal": "Trend per quarter",
    "Verandering {kwartaal} tegenover het kwartaal ervoor": "Change {kwartaal} compared with the quarter before",
    "De verandering wordt niet getoond: een van beide kwartalen heeft te weinig signalen.":
        "The change is not shown: one of the two quarters has too few signals.",
    "Kwartalen met 1 tot 4 signalen (en kwartalen waaruit ze terug te rekenen zijn) zijn weggelaten om "
    "bewoners te beschermen.":
        "Quarters with 1 to 4 signals (and quarters they could be worked out from) are left out to protect "
        "residents.",
    "{periode} (lopend)": "{periode} (ongoing)",
    "Per 1000 inwoners: {wijk} inwoners in de wijk, {stad} in de stad, hetzelfde cijfer voor elke periode.":
        "Per 1000 inhabitants: {wijk} inhabitants in the neighbourhood, {stad} in the city, the same figure for "
        "every period.",
    "Signalen tellen in de periode waarin ze gemeld zijn; meubilair, projecten, pleinmakers en actoren als ze op "
    "de laatste dag van de periode bestaan.":
        "Signals count in the period they were reported in; street furniture, projects, pleinmakers and actors "
        "when they exist on the last day of the period.",
    "Tabel per {periode}": "Table per {periode}",
    "{periode} loopt nog: de cijfers ervan zijn onvolledig.": "{periode} is still running: its figures are incomplete.",
}


def translate(text: str, lang: str = "nl", **values) -> str:
    """``text`` (Dutch) in ``lang``, with ``{name}`` fields filled from ``values``."""
    out = EN.get(text, text) if lang == "en" else text
    return out.format(**values) if values else out


def layer_label(layer: str, lang: str = "nl") -> str:
    return translate(LAYERS[layer].label, lang)


def indicator_labels(lang: str = "nl", *, radius: float | None = None) -> dict[str, str]:
    """Indicator column → label in ``lang`` (coverage columns too when ``radius`` is given)."""
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    cat = {"inwoners": t("Inwoners"), "inwoners_per_km2": t("Inwoners per km²")}
    for layer in LAYERS:
        label = layer_label(layer, lang)
        cat[layer] = t("{laag} (aantal)", laag=label)
        cat[f"{layer}_per_1000"] = t("{laag} per 1000 inwoners", laag=label)
        cat[f"{layer}_per_km2"] = t("{laag} per km²", laag=label)
    if radius is not None:
        from cohesie.coverage import COVERAGE_COLUMNS

        for column, kind in COVERAGE_COLUMNS.items():
            cat[column] = t("Inwoners binnen {r} m van een {wat} (%)", r=f"{radius:g}",
                            wat=kind or t("meubilair (elk type)"))
    return cat
