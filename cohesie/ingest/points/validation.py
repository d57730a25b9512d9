"""Validating a raw point table row by row: the clean records and the refused rows.

``prepare_points`` checks every row for a layer (geometry type, coordinates and their range,
lat/lon swapped, inside the municipality, wijk, name, type, status, dates, duplicate ids),
collects every problem (row, column, what is wrong, how to fix it, in Dutch) and returns a
:class:`PointImport`: the accepted records (x/y in EPSG:31370, joined to their sector) with the
refused rows and their reasons. Which column is which and which coordinate system the file
uses come from :mod:`.detection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesie import spatial
from cohesie.errors import CohesieError
from cohesie.ingest.points.detection import (
    ADDRESS_NAMES,
    FIELD_LABELS,
    check_crs,
    describe_crs,
    detect_columns,
    detect_xy_crs,
    parse_numbers,
)
from cohesie.ingest.points.reading import _norm
from cohesie.layers import LAYERS

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
# Rough bounds of Belgium, used to recognise swapped latitude/longitude.
BE_LAT = (49.4, 51.6)
BE_LON = (2.4, 6.5)

Progress = Callable[[float, str], None]


@dataclass
class PointImport:
    """Outcome of checking one file.

    Attributes
    ----------
    records : DataFrame
        Accepted rows in storage columns (x/y in EPSG:31370, sector, wijk_code).
    rejects : DataFrame
        Refused rows: ``rij``, ``kolom``, ``reden`` and the original columns.
    notes : list of str
        What was detected or repaired (delimiter, coordinate system, swapped columns).
    problems : DataFrame
        One line per problem: ``rij``, ``kolom``, ``probleem``.
    columns : dict
        ``{field: column}`` used.
    crs : int or None
        EPSG code the coordinates were read in.
    """

    records: pd.DataFrame
    rejects: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["rij", "kolom", "probleem"]))
    columns: dict = field(default_factory=dict)
    crs: int | None = None

    @property
    def summary(self) -> str:
        return f"{len(self.records)} geïmporteerd, {len(self.rejects)} geweigerd"

    def problem_lines(self) -> list[str]:
        """One Dutch line per problem: ``rij 14, kolom lat: ...``."""
        p = self.problems
        return [f"rij {r}, kolom {k}: {m}" if k else f"rij {r}: {m}"
                for r, k, m in zip(p["rij"], p["kolom"], p["probleem"])]


# -- values -----------------------------------------------------------------------------
def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ``2024-12-31``, ``31/12/2024`` and ``31.12.2024`` (NaT where unreadable).

    A time of day after the date is ignored: records carry a date.
    """
    text = values.astype(str).str.strip().str.replace(r"[ T]\d{1,2}:\d\d(:\d\d(\.\d+)?)?$", "", regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    # dates the nanosecond type cannot hold (e.g. 9999-12-31) stay NaT: unreadable, not a crash
    low, high = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")
    for fmt in DATE_FORMATS:
        todo = np.flatnonzero((out.isna() & (text != "")).to_numpy())
        if not len(todo):
            break
        parsed = pd.to_datetime(text.iloc[todo], format=fmt, errors="coerce")
        keep = (parsed.notna() & (parsed >= low) & (parsed <= high)).to_numpy()
        if keep.any():
            out.iloc[todo[keep]] = parsed.iloc[keep].astype("datetime64[ns]").to_numpy()
    return out


def _stable_ids(layer: str, raw: pd.DataFrame) -> pd.Series:
    """Ids for rows without one: a hash of the row's content (same file → same ids), with the
    occurrence number so identical rows stay distinct."""
    content = raw[[c for c in raw.columns if not str(c).startswith("_")]]
    h = pd.util.hash_pandas_object(content, index=False).to_numpy()
    occurrence = pd.Series(h).groupby(h).cumcount().to_numpy().astype("uint64")
    salt = np.uint64(int.from_bytes(layer.encode()[:8].ljust(8, b"\0"), "little"))
    with np.errstate(over="ignore"):
        mixed = h ^ salt ^ (occurrence * np.uint64(0x9E3779B97F4A7C15))
    return pd.Series(np.char.add("h", np.char.mod("%016x", mixed)), index=raw.index)


def _km(metres: np.ndarray) -> pd.Series:
    text = pd.Series(np.asarray(metres) / 1000).map("{:.2f}".format)
    return text.str.replace(".", ",", regex=False)


# -- checking ---------------------------------------------------------------------------
class _Problems:
    """Collects problems per row position; messages are built for refused rows only."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[pd.DataFrame] = []

    def add(self, mask, column: str, message) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        pos = np.flatnonzero(mask)
        text = message(mask) if callable(message) else message
        text = np.asarray(text, dtype=object) if not isinstance(text, str) else np.full(len(pos), text, dtype=object)
        self.parts.append(pd.DataFrame({"pos": pos, "kolom": column or "", "probleem": text}))

    def refused(self) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        for part in self.parts:
            out[part["pos"].to_numpy()] = True
        return out

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"pos": pd.Series(dtype=int), "kolom": pd.Series(dtype=object),
                                 "probleem": pd.Series(dtype=object)})
        return pd.concat(self.parts, ignore_index=True).sort_values("pos", kind="stable")


def prepare_points(raw: pd.DataFrame, *, layer: str, sectors: gpd.GeoDataFrame,
                   crs: int | None = None, mapping: dict[str, str] | None = None,
                   progress: Progress | None = None) -> PointImport:
    """Check every row of ``raw`` for ``layer`` and split into records and refused rows.

    Parameters
    ----------
    raw : DataFrame
        Text columns as returned by :func:`read_table` (index = row number ``rij``; any other
        index is numbered from 2, as if row 1 were the header).
    layer : str
        One of :data:`cohesie.layers.LAYERS`.
    sectors : GeoDataFrame
        The municipality's sectors (EPSG:31370) with ``code`` and ``wijk_code``/``wijk_naam``.
    crs : int, optional
        EPSG code of the coordinate columns; detected when omitted (lat/lon → 4326, x/y from
        their ranges or the file's own CRS).
    mapping : dict, optional
        ``{field: column}`` overriding the detected columns.
    progress : callable, optional
        Called with ``(fraction, Dutch text)`` between steps.

    Returns
    -------
    PointImport
    """
    report = progress or (lambda fraction, text: None)
    lay = LAYERS[layer]
    if sectors.empty:
        raise CohesieError(
            "Er zijn nog geen sectoren geladen. Importeer eerst de sectoren met "
            "'python -m cohesie import-sectors BESTAND --nis CODE'."
        )
    if raw.empty:
        raise CohesieError("Het bestand heeft geen rijen met gegevens.")
    crs = check_crs(crs) if crs is not None else None
    cols = detect_columns(raw.columns, layer=lay, mapping=mapping)
    notes: list[str] = list(raw.attrs.get("notes", []))
    _require_location(raw, cols)

    n = len(raw)
    if raw.index.name == "rij":
        rownum = pd.Series(np.asarray(raw.index), index=raw.index)
    else:
        rownum = pd.Series(np.arange(2, n + 2), index=raw.index)
    probs = _Problems(n)
    empty = pd.Series("", index=raw.index)

    def col(fld) -> pd.Series:
        return raw[cols[fld]].astype(str).str.strip() if fld in cols else empty

    report(0.05, "Geometrie en coördinaten controleren…")
    # -- geometry type (GeoJSON/GeoPackage) ------------------------------------------
    if "_geomtype" in raw.columns:
        gt = raw["_geomtype"].astype(str)
        bad = ((gt != "Point") & (gt != "")).to_numpy()
        probs.add(bad, "geometrie", lambda m: "geometrie is een " + gt[m] + ", geen punt; zet het "
                  "object om naar een punt (bv. zijn middelpunt) of teken het opnieuw als punt")

    # -- coordinates -----------------------------------------------------------------
    located, x, y, used_crs = _coordinates(raw, cols, col, crs, probs, notes)

    report(0.3, "Punten aan sectoren koppelen…")
    sector = np.full(n, None, dtype=object)
    if located.any():
        sector[located] = spatial.sector_of_points(x[located], y[located], sectors)
    if used_crs == 4326 and located.any():
        located, sector = _swapped(raw, cols, col, x, y, located, sector, sectors, probs, notes,
                                   rownum)
    outside = located & pd.isna(sector)
    if outside.any():
        outline = spatial.municipality_outline(sectors)
        dist = spatial.distance_to_area(x[outside], y[outside], outline)
        where = _coord_columns(cols, used_crs)
        shown = _coord_text(col, cols, used_crs)
        crs_text = describe_crs(used_crs)
        probs.add(outside, where, lambda m: "punt (" + shown[m] + ") ligt buiten de gemeente, "
                  + _km(dist).to_numpy() + " km van de grens; het wordt niet verschoven. Controleer "
                  f"de coördinaten (gelezen als {crs_text}) of laat de rij weg")
        if outside.sum() == located.sum() and np.median(dist) > 20_000:
            notes.append(f"Alle punten liggen ver buiten de gemeente (mediaan {np.median(dist) / 1000:.0f} km). "
                         f"Klopt het coördinatenstelsel ({crs_text})? Kies het juiste met --crs of op "
                         "de importpagina.")
        located = located & ~outside
        x[outside], y[outside] = np.nan, np.nan

    report(0.5, "Wijken, velden en datums controleren…")
    # -- area reference ---------------------------------------------------------------
    wijk_ref = col("wijk")
    lookup = {}
    for code, name in sectors[["wijk_code", "wijk_naam"]].drop_duplicates().itertuples(index=False):
        lookup[str(code).strip().lower()] = code
        lookup[str(name).strip().lower()] = code
    by_ref = wijk_ref.str.lower().map(lookup)
    wijk_of_sector = sectors.set_index("code")["wijk_code"]
    wijk_code = pd.Series(sector, index=raw.index).map(wijk_of_sector)
    wijk_code = wijk_code.where(wijk_code.notna(), by_ref)
    no_loc = ~located & ~probs.refused()
    unknown = no_loc & (wijk_ref != "").to_numpy() & by_ref.isna().to_numpy()
    probs.add(unknown, cols.get("wijk", "wijk"), lambda m: "wijk '" + wijk_ref[m] + "' bestaat niet; "
              "gebruik een wijkcode of wijknaam uit de wijkindeling (zie de pagina Gegevens)")
    nothing = no_loc & (wijk_ref == "").to_numpy()
    coord_cols = _coord_columns(cols, used_crs) or "coördinaten"
    probs.add(nothing, coord_cols, "geen locatie: de coördinaten zijn leeg en er is geen wijk; vul "
              "coördinaten of een wijk in")

    # -- text fields, status, dates ----------------------------------------------------
    naam, typ = col("naam"), col("type")
    status = col("status").str.lower()
    if lay.name_required:
        probs.add((naam == "").to_numpy(), cols.get("naam", "naam"),
                  "naam is leeg; vul een naam in" + ("" if "naam" in cols else
                                                     " (het bestand heeft geen kolom naam; koppel er een)"))
    if len(lay.types) == 1:
        typ = typ.where(typ != "", lay.types[0])
    probs.add((typ == "").to_numpy(), cols.get("type", "type"),
              f"{lay.type_label} is leeg; vul bv. {', '.join(lay.types[:3])} in")
    status = status.where(status != "", lay.statuses[0])
    probs.add((~status.isin(lay.statuses)).to_numpy(), cols.get("status", "status"),
              lambda m: "status '" + status[m] + f"' is onbekend; kies uit {', '.join(lay.statuses)}")
    dates = {}
    for fld in ("datum", *(f for f in lay.extra if f == "einddatum")):
        txt = col(fld)
        parsed = parse_dates(txt)
        probs.add(((txt != "") & parsed.isna()).to_numpy(), cols.get(fld, fld),
                  lambda m, t=txt: f"{fld} '" + t[m] + "' is onleesbaar; schrijf de datum als "
                  "2024-12-31, 31/12/2024 of 31.12.2024 (de rij wordt niet zonder datum geladen)")
        dates[fld] = parsed

    # -- ids ---------------------------------------------------------------------------
    ids = col("id")
    dup = ((ids != "") & ids.duplicated(keep=False)).to_numpy()
    if dup.any():
        rows_of = rownum[dup].astype(str).groupby(ids[dup]).agg(lambda r: ", ".join(r[:10]))
        probs.add(dup, cols.get("id", "id"), lambda m: "id '" + ids[m] + "' komt meermaals voor in dit "
                  "bestand (rijen " + ids[m].map(rows_of) + "); geef elke rij een eigen id of verwijder "
                  "de dubbele rij")

    report(0.65, "Records samenstellen…")
    refused = probs.refused()
    keep = ~refused
    records = pd.DataFrame({
        "layer": layer,
        "naam": naam.where(naam != "", None),
        "type": typ.str.lower() if len(lay.types) else typ,
        "status": status,
        "datum": dates["datum"],
        "wijk_ref": wijk_ref.where(wijk_ref != "", None),
        "x": x, "y": y, "sector": sector, "wijk_code": wijk_code,
    }, index=raw.index)
    for fld in lay.extra:
        records[fld] = dates[fld] if fld in dates else col(fld).where(col(fld) != "", None)
    if "id" in cols and (ids != "").all():
        records["id"] = ids
    else:
        generated = _stable_ids(layer, raw)
        records["id"] = ids.where(ids != "", generated)
        n_gen = int(((ids == "") & keep).sum())
        if n_gen:
            notes.append(f"{n_gen} rij(en) zonder id kregen een id afgeleid van hun inhoud: hetzelfde "
                         "bestand opnieuw laden verdubbelt niets, maar een gecorrigeerde rij zonder id "
                         "wordt een nieuw record. Voeg een kolom id toe om records bij te werken.")
    records = records[keep].reset_index(drop=True)

    table = probs.table()
    table["rij"] = rownum.to_numpy()[table["pos"].to_numpy()]
    problems = table[["rij", "kolom", "probleem"]].reset_index(drop=True)
    rejects = _rejects(raw, table, refused, rownum)
    broken = raw.attrs.get("malformed") or []
    if broken:
        why = [f"de rij heeft {n} velden in plaats van {expected}; controleer aanhalingstekens en het "
               "scheidingsteken op die regel" for _, _, n, expected in broken]
        extra = pd.DataFrame({"rij": [b[0] for b in broken], "kolom": "", "probleem": why})
        problems = pd.concat([problems, extra], ignore_index=True).sort_values("rij", ignore_index=True)
        lines = pd.DataFrame({"rij": [b[0] for b in broken], "kolom": "", "reden": why,
                              "oorspronkelijke_regel": [b[1] for b in broken]})
        rejects = pd.concat([rejects, lines], ignore_index=True).sort_values("rij", ignore_index=True)
    report(0.7, "Controle klaar.")
    return PointImport(records=records, rejects=rejects, notes=notes, problems=problems,
                       columns=cols, crs=used_crs)


def _require_location(raw: pd.DataFrame, cols: dict) -> None:
    """File-level check: some way to place a row (coordinates or a wijk) must be present."""
    for a, b in (("lat", "lon"), ("x", "y")):
        if (a in cols) != (b in cols):
            have, miss = (a, b) if a in cols else (b, a)
            raise CohesieError(
                f"Er is een kolom voor {FIELD_LABELS[have]} ('{cols[have]}') maar niet voor "
                f"{FIELD_LABELS[miss]}. Voeg die kolom toe of koppel ze met --map KOLOM={miss}."
            )
    if any(f in cols for f in ("lat", "x", "wijk")):
        return
    names = ", ".join(map(str, [c for c in raw.columns if not str(c).startswith("_")]))
    addr = [c for c in raw.columns if _norm(c) in ADDRESS_NAMES]
    if addr:
        raise CohesieError(
            f"Dit bestand heeft adressen (kolommen {', '.join(map(str, addr))}) maar geen "
            "coördinaten. Cohesiekaart zet geen adressen om naar punten: voeg kolommen lat en lon "
            "(WGS84) of x en y (Lambert) toe, bv. met een geocodeerdienst (zoals het "
            "Adressenregister of de GIS-dienst van de stad), of een kolom wijk. Kolommen nu: "
            f"{names}."
        )
    raise CohesieError(
        "Geen locatie gevonden: het bestand heeft geen kolommen lat/lon (WGS84), x/y (Lambert) of "
        f"wijk. Kolommen: {names}. Hernoem de kolommen of koppel ze met --map KOLOM=lat enz."
    )


def _coord_columns(cols: dict, used_crs) -> str:
    if "lat" in cols and "lon" in cols:
        return f"{cols['lat']}/{cols['lon']}"
    if "x" in cols and "y" in cols:
        return f"{cols['x']}/{cols['y']}"
    return ""


def _coord_text(col, cols, used_crs) -> pd.Series:
    if "lat" in cols:
        return col("lat") + ", " + col("lon")
    return col("x") + ", " + col("y")


def _coordinates(raw, cols, col, crs, probs: _Problems, notes: list[str]):
    """Parse and range-check the coordinate columns; returns (located, x, y, crs) with x/y in
    EPSG:31370 (NaN where not located)."""
    n = len(raw)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    located = np.zeros(n, dtype=bool)
    if "lat" in cols:
        a_fld, b_fld = "lon", "lat"      # a = east/x, b = north/y
        used = crs or 4326
    elif "x" in cols:
        a_fld, b_fld = "x", "y"
        used = None
    else:
        return located, x, y, None
    a_txt, b_txt = col(a_fld), col(b_fld)
    a, b = parse_numbers(a_txt), parse_numbers(b_txt)
    a_empty, b_empty = (a_txt == "").to_numpy(), (b_txt == "").to_numpy()
    for txt, num, fld, emp, other_emp in ((b_txt, b, b_fld, b_empty, a_empty), (a_txt, a, a_fld, a_empty, b_empty)):
        probs.add(emp & ~other_emp, cols[fld], f"{FIELD_LABELS[fld]} is leeg terwijl de andere "
                  "coördinaat ingevuld is; vul beide in of laat beide leeg")
        probs.add(~emp & num.isna().to_numpy(), cols[fld], lambda m, t=txt, f=fld: f"{FIELD_LABELS[f]} '" + t[m]
                  + "' is geen getal; schrijf bv. " + ("51,0259 of 51.0259" if f in ("lat", "lon", "y")
                                                        and a_fld == "lon" else "153456,7"))
    ok = a.notna().to_numpy() & b.notna().to_numpy()
    if used is None:
        declared = raw.attrs.get("crs")
        detected = detect_xy_crs(a[ok], b[ok])
        if crs is not None:
            used = crs
        elif declared and (declared != 4326 or detected in (None, 4326)):
            used = int(declared)
        elif declared == 4326 and detected not in (None, 4326):
            used = detected
            notes.append(f"Het bestand zegt WGS84, maar de coördinaten zijn {describe_crs(detected)}; "
                         "zo gelezen.")
        elif raw.attrs.get("geo") and declared is None and crs is None:
            raise CohesieError("Het bestand heeft geen coördinatenstelsel. Geef het op met --crs "
                               "(bv. --crs 31370) of kies het op de importpagina.")
        else:
            used = detected
        if used is None and ok.any():
            raise CohesieError(
                f"Het coördinatenstelsel van de kolommen {cols['x']}/{cols['y']} is niet te "
                "herkennen (geen WGS84, Lambert 72 of Lambert 2008). Geef het op met --crs "
                "(bv. --crs 31370) of gebruik kolommen lat/lon."
            )
        if used is not None and crs is None and declared is None:
            notes.append(f"Coördinatenstelsel herkend: {describe_crs(used)}.")
    elif crs is not None and crs != 4326:
        notes.append(f"Kolommen {cols['lon']}/{cols['lat']} gelezen als x/y in {describe_crs(crs)}.")
    if used == 4326:
        lat_bad = ok & ((b < -90) | (b > 90)).to_numpy()
        lon_bad = ok & ((a < -180) | (a > 180)).to_numpy()
        hint = ("; dit lijkt een Lambert-coördinaat: koppel de kolommen als x/y of kies het "
                "coördinatenstelsel met --crs" if (np.nanmedian(np.abs(b[ok])) > 1000 if ok.any() else False)
                else "; controleer de kolom")
        probs.add(lat_bad, cols[b_fld], lambda m: f"{FIELD_LABELS[b_fld]} " + b_txt[m] + " ligt buiten [-90, 90]" + hint)
        probs.add(lon_bad, cols[a_fld], lambda m: f"{FIELD_LABELS[a_fld]} " + a_txt[m] + " ligt buiten [-180, 180]" + hint)
        ok = ok & ~lat_bad & ~lon_bad
    if ok.any():
        xa, ya = spatial.to_analysis_xy(a[ok].to_numpy(), b[ok].to_numpy(), crs=int(used))
        x[ok], y[ok] = xa, ya
        good = np.isfinite(x) & np.isfinite(y)
        probs.add(ok & ~good, _coord_columns(cols, used),
                  "de coördinaten kunnen niet omgerekend worden; controleer ze en het coördinatenstelsel")
        ok = ok & good
    x[~ok], y[~ok] = np.nan, np.nan
    return ok, x, y, used


def _swapped(raw, cols, col, x, y, located, sector, sectors, probs: _Problems, notes, rownum):
    """Detect latitude/longitude swapped; swap only when every such point then lies inside."""
    if "lat" in cols:
        lat, lon = parse_numbers(col("lat")).to_numpy(), parse_numbers(col("lon")).to_numpy()
    else:
        lat, lon = parse_numbers(col("y")).to_numpy(), parse_numbers(col("x")).to_numpy()
    cand = (located & (lat >= BE_LON[0]) & (lat <= BE_LON[1]) & (lon >= BE_LAT[0]) & (lon <= BE_LAT[1]))
    if not cand.any():
        return located, sector
    xs, ys = spatial.to_analysis_xy(lat[cand], lon[cand], crs=4326)
    sw_sector = spatial.sector_of_points(xs, ys, sectors)
    inside = ~pd.isna(sw_sector)
    rows = ", ".join(map(str, rownum.to_numpy()[cand][:10])) + (" …" if cand.sum() > 10 else "")
    where = _coord_columns(cols, 4326)
    if inside.all():
        x[cand], y[cand] = xs, ys
        sector[cand] = sw_sector
        notes.append(f"Breedte- en lengtegraad waren omgewisseld in {int(cand.sum())} rij(en) "
                     f"({rows}); ze zijn teruggewisseld omdat al die punten dan in de gemeente "
                     f"liggen. Verbeter de kolommen {where} in het bronbestand.")
        return located, sector
    inside_full = np.zeros(len(cand), dtype=bool)
    inside_full[np.flatnonzero(cand)[inside]] = True
    probs.add(inside_full, where, "breedte- en lengtegraad lijken omgewisseld (omgewisseld ligt het punt "
              "in de gemeente); niet automatisch gecorrigeerd omdat niet alle omgewisselde punten in "
              "de gemeente vallen. Wissel de twee waarden om")
    probs.add(cand & ~inside_full, where, "breedte- en lengtegraad lijken omgewisseld, maar ook "
              "omgewisseld ligt het punt buiten de gemeente; controleer de coördinaten")
    located = located & ~cand
    x[cand], y[cand] = np.nan, np.nan
    sector[cand] = None
    return located, sector


def _rejects(raw: pd.DataFrame, table: pd.DataFrame, refused: np.ndarray,
             rownum: pd.Series) -> pd.DataFrame:
    """Refused rows with ``rij``, ``kolom`` and ``reden`` first, then the original columns."""
    original = raw.iloc[np.flatnonzero(refused)]
    original = original.drop(columns=[c for c in original.columns if str(c).startswith("_")])
    out = original.reset_index(drop=True)
    if not len(out):
        return pd.DataFrame(columns=["rij", "kolom", "reden", *out.columns])
    if table["pos"].duplicated().any():
        grouped = table.groupby("pos", sort=True).agg(
            kolom=("kolom", lambda s: ", ".join(dict.fromkeys(v for v in s if v))),
            reden=("probleem", "; ".join))
    else:
        grouped = table.set_index("pos")[["kolom", "probleem"]].rename(columns={"probleem": "reden"}).sort_index()
    out.insert(0, "reden", grouped["reden"].to_numpy())
    out.insert(0, "kolom", grouped["kolom"].to_numpy())
    out.insert(0, "rij", rownum.to_numpy()[np.flatnonzero(refused)])
    return out


def rejects_csv(rejects: pd.DataFrame) -> bytes:
    """Refused rows as CSV bytes for a download (UTF-8 with BOM so Excel shows accents)."""
    return rejects.to_csv(index=False, sep=";").encode("utf-8-sig")
