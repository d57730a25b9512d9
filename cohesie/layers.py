"""The five point layers and their fields: the one place where their schema is defined.

Every record has the common fields (``id``, ``naam``, ``type``, ``status``, ``datum``) and
either a location (stored as x/y in EPSG:31370 and joined to its sector when written) or only
an area reference (``wijk``: a wijk code or name). Layer-specific fields are listed per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REMOVED = "verwijderd"  # records with this status are kept but never counted


@dataclass(frozen=True)
class Layer:
    """Schema of one point layer.

    Attributes
    ----------
    name : str
        Key used on the command line and in storage.
    label : str
        Dutch label for pages.
    type_label : str
        What ``type`` means in this layer (e.g. "categorie").
    date_label : str
        What ``datum`` means in this layer (e.g. "datum geplaatst").
    types : tuple of str
        Known values of ``type``; other values are accepted (cities have their own lists).
    statuses : tuple of str
        Allowed statuses; the first is the default.
    extra : tuple of str
        Layer-specific text fields.
    period : str
        ``"event"``: counted when ``datum`` lies in the period; ``"span"``: counted when it is
        active in the period (``datum`` ≤ end and ``einddatum`` empty or ≥ start).
    name_required : bool
        Whether ``naam`` must be filled in.
    sensitive_types : tuple of str
        Types that the map shows only aggregated per area, never as points.
    """

    name: str
    label: str
    type_label: str
    date_label: str
    types: tuple[str, ...]
    statuses: tuple[str, ...]
    extra: tuple[str, ...] = ()
    period: str = "span"
    name_required: bool = True
    sensitive_types: tuple[str, ...] = field(default_factory=tuple)
    colour: str = "#333333"


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            "pleinmakers", "Pleinmakers", "soort", "actief sinds",
            types=("pleinmaker",), statuses=("actief", "inactief", REMOVED),
            extra=("plein",), colour="#d62728",
        ),
        Layer(
            "meubilair", "Meubilair", "type", "datum geplaatst",
            types=("gevelbank", "picknicktafel", "boekenruilkast"),
            statuses=("geplaatst", "voorstel", "goedgekeurd", "afgewezen", REMOVED),
            extra=("adres", "opmerking"), colour="#1f77b4",
        ),
        Layer(
            "projecten", "Projecten", "categorie", "startdatum",
            types=("buurtproject", "burendag", "onthaal nieuwe inwoners", "jeugdwerking",
                   "groen en plein", "ontmoeting"),
            statuses=("lopend", "gepland", "afgerond", REMOVED),
            extra=("doelgroep", "partners", "einddatum", "omschrijving"), colour="#2ca02c",
        ),
        Layer(
            "signalen", "Signalen", "categorie", "datum melding",
            types=("hangjongeren", "wildplassen", "zwerfvuil", "burenoverlast", "zorgsignaal"),
            statuses=("open", "in behandeling", "afgesloten", REMOVED),
            extra=("bron",), period="event", name_required=False,
            sensitive_types=("zorgsignaal",), colour="#ff7f0e",
        ),
        Layer(
            "actoren", "Actoren", "soort",  "datum opgenomen",
            types=("stedelijke dienst", "middenveld", "school", "zorg", "bewonersgroep"),
            statuses=("actief", "inactief", REMOVED),
            extra=("adres", "contactrol"), colour="#9467bd",
        ),
    )
}

#: The counting rule by status, in one place for every engine (pandas, numpy, SQL). Key figures
#: and indicators count only these statuses of a layer: placed furniture, running or finished
#: projects (a bench that is only proposed is not a bench; a planned project has not started).
#: Layers not listed count every status but ``verwijderd``. When the user picks statuses of a
#: layer in the filter, those count instead (``verwijderd`` still never): see
#: :func:`counted_statuses`.
COUNTED_STATUSES: dict[str, tuple[str, ...]] = {
    "meubilair": ("geplaatst",),
    "projecten": ("lopend", "afgerond"),
}
#: Proposals, counted apart as their own figure ``<laag>_voorstel`` (``meubilair_voorstel``).
PROPOSAL_STATUSES: dict[str, tuple[str, ...]] = {"meubilair": ("voorstel", "goedgekeurd")}
PROPOSAL_COLUMNS: dict[str, str] = {f"{layer}_voorstel": layer for layer in PROPOSAL_STATUSES}


def counted_statuses(layer: str, chosen: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Statuses of ``layer`` that count, given the statuses the user ``chose`` for it.

    Returns the chosen statuses (without ``verwijderd``) when there are any, else the layer's
    default from :data:`COUNTED_STATUSES`; ``None`` means every status except ``verwijderd``.
    """
    if chosen:
        return tuple(s for s in chosen if s != REMOVED)
    return COUNTED_STATUSES.get(layer)


COMMON_FIELDS = ("id", "naam", "type", "status", "datum")
EXTRA_FIELDS: tuple[str, ...] = tuple(sorted({f for lay in LAYERS.values() for f in lay.extra}))
DATE_FIELDS = ("datum", "einddatum")


def get_layer(name: str) -> Layer:
    """The layer called ``name``; a Dutch error listing the valid names otherwise."""
    from cohesie.errors import CohesieError

    try:
        return LAYERS[name]
    except KeyError:
        raise CohesieError(
            f"Onbekende laag '{name}'. Kies een van: {', '.join(LAYERS)}."
        ) from None
