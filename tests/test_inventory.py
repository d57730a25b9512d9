"""The Gegevens view model: counts through the formatter, no "None", a readable import log and
readable recent changes (no server paths, no raw JSON)."""

from __future__ import annotations

import json

import pandas as pd
from test_indicatorview import make_data

from cohesie import inventory


def summary() -> pd.DataFrame:
    return pd.DataFrame({"layer": ["signalen", "signalen", "meubilair"], "n": [12000, 270, 58],
                         "zonder_punt": [0, 3, 1]})


def changes() -> pd.DataFrame:
    return pd.DataFrame({
        "tijdstip": ["2026-12-01T13:41:36"], "gebruiker": ["eva"], "actie": ["gewijzigd"],
        "layer": ["meubilair"], "record_id": ["m-17"],
        "voor": [json.dumps({"status": "voorstel", "naam": "Bank", "version": 1})],
        "na": [json.dumps({"status": "goedgekeurd", "naam": "Bank", "version": 2})]})


def make(**kw):
    data = make_data()
    imports = pd.DataFrame({
        "id": [1, 2], "tijdstip": ["2026-11-30T10:00:00", "2026-12-01T09:05:00"],
        "soort": ["sectoren", "punten"], "bestand": ["/srv/cohesie/upload/sectoren.zip", None],
        "bestand_datum": ["2026-11-29T08:00:00", None], "laag": [None, "meubilair"],
        "aantal": [4, 12270], "geweigerd": [None, 3]})
    data = type(data)(sectors=data.sectors, points=data.points, acties=data.acties, meta=data.meta,
                      imports=imports)
    return inventory.inventory(data, summary(), changes(), data_dir="/srv/cohesie/data", **kw)


def test_figures_and_counts_go_through_the_formatter():
    shown = make()
    assert dict(shown.figures) == {"Sectoren": "4", "Wijken": "2", "Deelgemeenten": "2", "Inwoners": "4.300"}
    layers = shown.per_layer.texts().set_index("laag")
    assert layers.loc["Signalen", "records"] == "12.270"
    assert pd.api.types.is_integer_dtype(shown.per_layer.frame["records"])  # still a number
    assert "12.270" in shown.per_layer.styler().to_html()
    assert dict(make(lang="en").figures)["Inhabitants"] == "4,300"


def test_import_log_is_readable_without_server_paths_or_none():
    shown = make()
    texts = shown.imports.texts()
    assert texts["tijdstip"].tolist() == ["01/12/2026 09:05", "30/11/2026 10:00"]  # newest first
    assert texts["bestand"].tolist() == ["", "sectoren.zip"]
    assert texts["bestand_datum"].tolist() == ["", "29/11/2026 08:00"]
    assert texts["aantal"].tolist() == ["12.270", "4"] and texts["geweigerd"].tolist() == ["3", ""]
    assert texts["laag"].tolist() == ["Meubilair", ""]
    everything = "\n".join(texts.to_numpy().ravel())
    assert "None" not in everything and "nan" not in everything and "/srv" not in everything
    assert "/srv" not in shown.sources.texts().to_string()
    assert "/srv/cohesie/data" in make(admin=True).sources.texts().to_string()
    assert shown.imports.labels["tijdstip"] == "wanneer"
    assert make(lang="en").imports.labels["geweigerd"] == "refused"


def test_recent_changes_read_as_field_old_new():
    shown = make()
    texts = shown.changes.texts()
    assert texts.loc[0, "wijziging"] == "status: voorstel → goedgekeurd"
    assert texts.loc[0, "tijdstip"] == "01/12/2026 13:41"
    assert list(shown.changes.frame.columns) == ["tijdstip", "gebruiker", "laag", "record", "wijziging"]
    assert "{" not in texts.to_string()  # no raw JSON
