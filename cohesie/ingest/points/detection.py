"""Detecting what a raw point table holds: which column is which field, which coordinate
system, which layer.

``detect_columns`` maps our fields (id, naam, type, lat/lon, x/y, wijk, ...) to the file's
column names by common header names or an explicit mapping; ``detect_crs`` tells WGS84,
Lambert 72 or Lambert 2008 from the coordinate ranges or the file's own CRS; ``guess_layer``
and ``layer_mismatch`` compare the type values with the known types of the five layers.
``parse_numbers`` reads numbers with a decimal comma or point, as the detection and the
row checks of :mod:`.validation` both need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cohesie.errors import CohesieError
from cohesie.ingest.points.reading import _norm
from cohesie.layers import LAYERS, Layer

# Common header names per field, compared after :func:`_norm` (lower case, accents and
# punctuation removed). "nr" is deliberately absent from ``id``: it usually means house number.
ALIASES = {
    "id": ["id", "code", "nummer", "referentie", "ref", "identificatie"],
    "naam": ["naam", "name", "titel", "benaming", "omschrijving_kort"],
    "type": ["type", "soort", "categorie", "category", "kind"],
    "status": ["status", "toestand"],
    "datum": ["datum", "date", "startdatum", "datum_geplaatst", "datum_melding", "actief_sinds",
              "datum_opgenomen", "meldingsdatum"],
    "lat": ["lat", "latitude", "breedtegraad", "breedte", "y_wgs84", "lat_wgs84", "gps_lat",
            "wgs84_lat"],
    "lon": ["lon", "lng", "long", "longitude", "lengtegraad", "lengte", "x_wgs84", "lon_wgs84",
            "gps_lon", "gps_lng", "wgs84_lon"],
    "x": ["x", "x_lambert", "lambert_x", "x_coord", "xcoord", "x_coordinaat", "xcoordinaat",
          "coord_x", "x_31370", "x_3812", "oost"],
    "y": ["y", "y_lambert", "lambert_y", "y_coord", "ycoord", "y_coordinaat", "ycoordinaat",
          "coord_y", "y_31370", "y_3812", "noord"],
    "wijk": ["wijk", "wijk_code", "wijkcode", "wijknaam", "wijk_naam"],
}
FIELD_LABELS = {"id": "id (sleutel)", "naam": "naam", "type": "type", "status": "status",
                "datum": "datum", "lat": "breedtegraad (lat)", "lon": "lengtegraad (lon)",
                "x": "x (Lambert)", "y": "y (Lambert)", "wijk": "wijk (code of naam)"}
ADDRESS_NAMES = ("adres", "address", "straat", "straatnaam", "street", "huisnummer", "huisnr",
                 "nr", "postcode", "gemeente")
CRS_NAMES = {4326: "WGS84 (lat/lon, EPSG:4326)", 31370: "Belgische Lambert 72 (EPSG:31370)",
             3812: "Belgische Lambert 2008 (EPSG:3812)"}


# -- columns ---------------------------------------------------------------------------
def mappable_fields(layer: str) -> list[str]:
    """Fields a column can be mapped to for ``layer`` (common, layer-specific, location)."""
    lay = LAYERS[layer]
    return ["id", "naam", "type", "status", "datum", *lay.extra, "lat", "lon", "x", "y", "wijk"]


def use_column(found: dict[str, str], fld: str, columns, name) -> bool:
    """Let the column called ``name`` (exactly, or else after :func:`_norm`) feed ``fld`` in
    ``found``; one column feeds one field, so a field it fed before loses it. False when
    ``columns`` has no such column (``found`` is then unchanged)."""
    real = name if name in columns else next((c for c in columns if _norm(c) == _norm(name)), None)
    if real is None:
        return False
    for other in [f for f, c in found.items() if c == real and f != fld]:
        del found[other]
    found[fld] = real
    return True


def detect_columns(columns, *, layer: Layer | str,
                   mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Map our field names to the file's column names (an explicit ``mapping`` wins).

    Raises
    ------
    CohesieError
        When ``mapping`` names a field or column that does not exist.
    """
    lay = LAYERS[layer] if isinstance(layer, str) else layer
    columns = [c for c in columns if not str(c).startswith("_")]
    lower = {}
    for c in columns:
        lower.setdefault(_norm(c), c)
    found: dict[str, str] = {}
    wanted = {**ALIASES, **{f: [f] for f in lay.extra}}
    for fld, names in wanted.items():
        for name in names:
            if name in lower:
                found[fld] = lower[name]
                break
    fields = mappable_fields(lay.name)
    problems = []
    for fld, col in (mapping or {}).items():
        if fld not in fields:
            problems.append(f"veld '{fld}' bestaat niet in laag {lay.name} (velden: {', '.join(fields)})")
            continue
        if col in ("", None):
            found.pop(fld, None)
            continue
        if not use_column(found, fld, columns, col):
            problems.append(f"kolom '{col}' bestaat niet (kolommen: {', '.join(map(str, columns))})")
    if problems:
        raise CohesieError("De koppeling van kolommen (--map kolom=veld) klopt niet: "
                           + "; ".join(problems) + ".")
    return found


# -- numbers and coordinate systems ----------------------------------------------------
def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers with a decimal point or comma, with or without thousands separators (NaN where
    not a finite number): ``51,02``, ``51.02``, ``153.456,78``, ``153,456.78``."""
    text = values.astype(str).str.strip().str.replace(r"[\s\u00a0']", "", regex=True)
    comma, dot = text.str.rfind(","), text.str.rfind(".")
    # The separator that comes last is the decimal one; the other groups thousands.
    comma_decimal = comma > dot
    text = text.where(~comma_decimal, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    text = text.where(comma_decimal | (comma < 0), text.str.replace(",", "", regex=False))
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    return out.where(np.isfinite(out))


def detect_xy_crs(x: pd.Series, y: pd.Series) -> int | None:
    """EPSG:4326, 31370 or 3812 from the coordinate ranges (None when they fit none).

    Lambert 72 x ≈ 20-300 km and y ≈ 20-250 km; Lambert 2008 both ≈ 500-800 km; WGS84
    longitude/latitude in degrees.
    """
    x, y = pd.Series(x).dropna(), pd.Series(y).dropna()
    if x.empty or y.empty:
        return None
    xm, ym = x.median(), y.median()
    if -180 <= xm <= 180 and -90 <= ym <= 90:  # Belgian Lambert values are never this small
        return 4326
    if 500_000 <= xm <= 800_000 and 500_000 <= ym <= 800_000:
        return 3812
    if 1_000 <= xm <= 320_000 and 1_000 <= ym <= 320_000:
        return 31370
    return None


def detect_crs(raw: pd.DataFrame, columns: dict[str, str]) -> int | None:
    """The coordinate system of the file's coordinates, as :func:`prepare_points` would use it
    without an explicit ``crs`` (None when the file has no usable coordinates)."""
    if "lat" in columns and "lon" in columns:
        return 4326
    if "x" in columns and "y" in columns:
        xv, yv = parse_numbers(raw[columns["x"]]), parse_numbers(raw[columns["y"]])
        detected = detect_xy_crs(xv, yv)
        declared = raw.attrs.get("crs")
        if declared and (declared != 4326 or detected in (None, 4326)):
            return int(declared)
        return detected
    return None


def describe_crs(epsg: int | None) -> str:
    """Dutch name of a coordinate system."""
    if epsg is None:
        return "niet herkend"
    return CRS_NAMES.get(int(epsg), f"EPSG:{epsg}")


def check_crs(epsg) -> int:
    """``epsg`` as int when pyproj knows it; a Dutch error otherwise."""
    from pyproj import CRS

    try:
        code = int(epsg)
        CRS.from_epsg(code)
    except Exception:
        raise CohesieError(f"Coördinatenstelsel '{epsg}' is onbekend. Gebruik 4326 (WGS84), "
                           "31370 (Lambert 72) of 3812 (Lambert 2008).") from None
    return code


# -- which layer a file holds -----------------------------------------------------------
@dataclass(frozen=True)
class TypeCounts:
    """How many of a file's type values are known types of each layer.

    Attributes
    ----------
    column : str or None
        The type column that was counted (None when the file has none).
    total : int
        Rows with a non-empty type value.
    per_layer : dict
        ``{layer: rows whose type is one of that layer's known types}``.
    """

    column: str | None
    total: int
    per_layer: dict[str, int]


def type_counts(raw: pd.DataFrame, columns: dict[str, str] | None = None) -> TypeCounts:
    """Count the type values of ``raw`` that are known types of each layer.

    ``columns`` is the ``{field: column}`` mapping of :func:`detect_columns`; without it the
    type column is found by its header (type, soort, categorie, ...).
    """
    if columns is None:
        lower = {_norm(c): c for c in reversed(list(raw.columns)) if not str(c).startswith("_")}
        column = next((lower[n] for n in ALIASES["type"] if n in lower), None)
    else:
        column = columns.get("type")
    if column is None or column not in raw.columns:
        return TypeCounts(None, 0, {name: 0 for name in LAYERS})
    values = raw[column].astype(str).str.strip().str.lower()
    values = values[values != ""]
    per_layer = {name: int(values.isin([t.lower() for t in lay.types]).sum()) for name, lay in LAYERS.items()}
    return TypeCounts(str(column), len(values), per_layer)


def guess_layer(raw: pd.DataFrame, columns: dict[str, str] | None = None, *,
                lang: str = "nl") -> tuple[str | None, str]:
    """The layer a file holds, guessed from its type values, and why (in ``lang``).

    A layer is guessed when at least half of the non-empty type values are its known types
    and no other layer has as many; otherwise the answer is None and the reason says what
    is missing, so the user chooses the layer.

    Returns
    -------
    (layer or None, reason)
        e.g. ``("meubilair", "Laag geraden uit de kolom type: 12 van 12 waarden zijn types
        van de laag Meubilair.")``
    """
    from cohesie.formatting import formatter
    from cohesie.i18n import layer_label, translate

    fmt = formatter(lang)
    counts = type_counts(raw, columns)
    if counts.column is None:
        return None, translate("Het bestand heeft geen kolom type (of soort, categorie) om de laag uit "
                               "te raden.", lang)
    if counts.total == 0:
        return None, translate("De kolom {kolom} is leeg, dus de laag is niet te raden.", lang,
                               kolom=counts.column)
    ranked = sorted(counts.per_layer.items(), key=lambda kv: kv[1], reverse=True)
    (best, n), (second, n2) = ranked[0], ranked[1]
    values = dict(kolom=counts.column, n=fmt.integer(n), totaal=fmt.integer(counts.total),
                  laag=layer_label(best, lang))
    if n == 0:
        return None, translate("Geen enkele waarde in de kolom {kolom} is een gekend type van een laag, "
                               "dus de laag is niet te raden.", lang, kolom=counts.column)
    if n == n2:
        return None, translate("De waarden in de kolom {kolom} passen even goed bij {laag} als bij "
                               "{andere} ({n} van {totaal} elk), dus de laag is niet te raden.", lang,
                               **values, andere=layer_label(second, lang))
    if 2 * n < counts.total:
        return None, translate("Slechts {n} van {totaal} waarden in de kolom {kolom} zijn types van de laag "
                               "{laag}, te weinig om de laag te raden.", lang, **values)
    return best, translate("Laag geraden uit de kolom {kolom}: {n} van {totaal} waarden zijn types van "
                           "de laag {laag}.", lang, **values)


def layer_mismatch(raw: pd.DataFrame, columns: dict[str, str] | None, layer: str, *,
                   lang: str = "nl") -> str | None:
    """A warning (in ``lang``) when the type values do not fit ``layer``; None when they do.

    They do not fit when another layer's known types cover more of the values, or when
    none of the values is a known type of ``layer`` (a city may have its own types, so this
    is a warning, not a refusal).
    """
    from cohesie.formatting import formatter
    from cohesie.i18n import layer_label, translate

    fmt = formatter(lang)
    counts = type_counts(raw, columns)
    if counts.column is None or counts.total == 0:
        return None
    chosen = counts.per_layer[layer]
    other, n_other = max(((k, v) for k, v in counts.per_layer.items() if k != layer), key=lambda kv: kv[1])
    if n_other > chosen:
        examples = ", ".join(LAYERS[other].types[:3])
        return translate("De gekozen laag is {laag}, maar {n} van {totaal} waarden in de kolom {kolom} "
                         "zijn types van de laag {andere} (zoals {voorbeelden}). Kies de laag {andere} "
                         "of controleer het bestand voor je importeert.", lang,
                         laag=layer_label(layer, lang), n=fmt.integer(n_other),
                         totaal=fmt.integer(counts.total), kolom=counts.column,
                         andere=layer_label(other, lang), voorbeelden=examples)
    if chosen == 0:
        return translate("Geen enkele van de {totaal} waarden in de kolom {kolom} is een gekend type van "
                         "de laag {laag} ({types}). Klopt de gekozen laag?", lang,
                         totaal=fmt.integer(counts.total), kolom=counts.column,
                         laag=layer_label(layer, lang), types=", ".join(LAYERS[layer].types))
    return None
