"""Editing records from the dashboard: proposals, status changes, moves, retirements and
pleinmaker actions. Every function checks the caller's token and role first (never session
state alone), validates, and writes through storage with an audit entry and a version check.

Proposals made from the dashboard are idempotent: :func:`propose_once` derives the record's id
from a key (:func:`suggestion_key` for a suggested site: layer, type and location;
:func:`spot_key` for a clicked spot: layer, type, location and name), so saving the same
proposal twice (a double click, a second click, a rerun) returns the record saved the first
time instead of creating a twin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pandas as pd

from cohesie import auth, spatial
from cohesie.errors import CohesieError
from cohesie.layers import REMOVED, get_layer

# Allowed status changes for proposals; any status may also go to "verwijderd".
TRANSITIONS = {
    "voorstel": ("goedgekeurd", "afgewezen"),
    "goedgekeurd": ("geplaatst", "afgewezen"),
    "geplaatst": (),
    "afgewezen": ("voorstel",),
}


def locate(sectors, *, lat: float | None = None, lon: float | None = None,
           x: float | None = None, y: float | None = None) -> dict:
    """Sector and wijk of a location given as lat/lon (EPSG:4326) or x/y (EPSG:31370).

    Raises a Dutch error when the point lies outside the municipality (with the distance).
    """
    if x is None or y is None:
        if lat is None or lon is None:
            raise CohesieError("Geef een locatie: klik op de kaart of vul coördinaten in.")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CohesieError(f"Coördinaten {lat}, {lon} liggen buiten het bereik van breedte/lengtegraad.")
        xs, ys = spatial.to_analysis_xy([lon], [lat], crs=4326)
        x, y = float(xs[0]), float(ys[0])
    code = spatial.sector_of_points([x], [y], sectors)[0]
    if code is None:
        dist = float(spatial.distance_to_area([x], [y], spatial.municipality_outline(sectors))[0])
        raise CohesieError(f"Dit punt ligt buiten de gemeente ({dist / 1000:.2f} km van de grens). "
                           "Kies een plaats binnen de gemeente.")
    row = sectors[sectors["code"] == code].iloc[0]
    return {"x": x, "y": y, "sector": code, "wijk_code": row["wijk_code"], "wijk_naam": row["wijk_naam"],
            "sector_naam": row["naam"]}


def suggestion_key(*, layer: str, type_: str, x: float, y: float) -> str:
    """Idempotency key of a suggested site: its layer, type and location (EPSG:31370, to
    the decimetre)."""
    return f"suggestie|{layer}|{(type_ or '').strip()}|{float(x):.1f}|{float(y):.1f}"


def spot_key(*, layer: str, type_: str, lat: float, lon: float, naam: str) -> str:
    """Idempotency key of a proposal at a clicked spot (EPSG:4326, to about 1 cm) with a name."""
    return (f"plek|{layer}|{(type_ or '').strip()}|{float(lat):.7f}|{float(lon):.7f}|"
            f"{' '.join((naam or '').split()).casefold()}")


def keyed_id(layer: str, key: str) -> str:
    """The record id a proposal with idempotency ``key`` gets (same key, same id)."""
    return f"{layer[:1].upper()}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"


def propose_once(store, sectors, token, *, key: str, layer: str, **fields) -> tuple[dict, bool]:
    """:func:`propose` keyed by ``key``: the first call saves, every later call with the same
    key returns that record unchanged.

    Returns
    -------
    (dict, bool)
        The stored record and whether this call created it.
    """
    auth.require(store, token, "editor")
    record_id = keyed_id(layer, key)
    existing = store.get_point(layer, record_id)
    if existing is not None:
        return existing, False
    return propose(store, sectors, token, layer=layer, record_id=record_id, **fields), True


def propose(store, sectors, token, *, layer: str, type_: str, naam: str, lat=None, lon=None,
            x=None, y=None, note: str = "", status: str = "voorstel",
            record_id: str | None = None) -> dict:
    """Save a new record (by default a proposal) at a location inside the municipality.

    With ``record_id`` (see :func:`propose_once`) an existing record of that id is returned
    as stored instead of saving a second one; without, the record gets a fresh random id.
    """
    user = auth.require(store, token, "editor")
    lay = get_layer(layer)
    naam, type_ = (naam or "").strip(), (type_ or "").strip()
    problems = []
    if lay.name_required and not naam:
        problems.append("geef een naam of adres")
    if not type_:
        problems.append(f"kies een {lay.type_label}")
    if status not in lay.statuses:
        problems.append(f"status '{status}' bestaat niet in laag {lay.label}")
    if problems:
        raise CohesieError("Niet bewaard: " + "; ".join(problems) + ".")
    where = locate(sectors, lat=lat, lon=lon, x=x, y=y)
    record = {"layer": layer, "id": record_id or f"{layer[:1].upper()}-{uuid.uuid4().hex[:10]}", "naam": naam,
              "type": type_, "status": status, "datum": pd.Timestamp(dt.date.today()),
              "x": where["x"], "y": where["y"], "sector": where["sector"], "wijk_code": where["wijk_code"]}
    if "opmerking" in lay.extra and note:
        record["opmerking"] = note.strip()
    elif "omschrijving" in lay.extra and note:
        record["omschrijving"] = note.strip()
    return store.create_point(record, user=user.username, existing_ok=record_id is not None)


def set_status(store, token, *, layer: str, record_id: str, status: str, expected_version: int) -> dict:
    """Move a record to ``status`` (proposal workflow or retirement 'verwijderd').

    Asking for the status the record has already changes nothing and returns the stored
    record (the second click of a double click must not count as a conflict or a change).
    """
    user = auth.require(store, token, "editor")
    lay = get_layer(layer)
    current = store.get_point(layer, record_id)
    if current is None:
        raise CohesieError(f"Record {record_id} bestaat niet in laag {lay.label}.")
    if status not in lay.statuses:
        raise CohesieError(f"Status '{status}' bestaat niet in laag {lay.label}; kies uit {', '.join(lay.statuses)}.")
    old = current["status"]
    if status == old:
        return current
    if status != REMOVED and old in TRANSITIONS and status not in TRANSITIONS[old] and status != old:
        allowed = ", ".join((*TRANSITIONS[old], REMOVED)) or REMOVED
        raise CohesieError(f"Van '{old}' naar '{status}' kan niet; mogelijk: {allowed}.")
    changes = {"status": status}
    if status == "geplaatst":
        changes["datum"] = dt.date.today().isoformat()
    action = "verwijderd" if status == REMOVED else "status"
    return store.update_point(layer, record_id, changes, user=user.username,
                              expected_version=expected_version, action=action)


def move(store, sectors, token, *, layer: str, record_id: str, expected_version: int,
         lat=None, lon=None, x=None, y=None) -> dict:
    """Give a record a new location (inside the municipality)."""
    user = auth.require(store, token, "editor")
    where = locate(sectors, lat=lat, lon=lon, x=x, y=y)
    return store.update_point(layer, record_id,
                              {"x": where["x"], "y": where["y"], "sector": where["sector"],
                               "wijk_code": where["wijk_code"]},
                              user=user.username, expected_version=expected_version, action="verplaatst")


def record_action(store, token, *, pleinmaker_id: str, datum, soort: str, beschrijving: str = "") -> None:
    """Record a pleinmaker's action (e.g. a burendag)."""
    user = auth.require(store, token, "editor")
    if store.get_point("pleinmakers", pleinmaker_id) is None:
        raise CohesieError(f"Pleinmaker {pleinmaker_id} bestaat niet.")
    when = pd.Timestamp(datum) if datum else None
    if when is None or pd.isna(when):
        raise CohesieError("Geef de datum van de actie.")
    if not (soort or "").strip():
        raise CohesieError("Geef het soort actie (bv. burendag).")
    store.add_action({"pleinmaker_id": pleinmaker_id, "datum": when, "soort": soort.strip(),
                      "beschrijving": (beschrijving or "").strip()}, user=user.username)
