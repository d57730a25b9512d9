"""The Gegevens page as one object: what is loaded (key figures, sources, records per layer),
the import log and the recent changes, in words and numbers people read.

Rules:
- Counts stay numbers in the tables (they sort numerically); what a cell shows comes from the
  one formatter (:mod:`cohesie.formatting`): ``88.000`` inhabitants, ``01/12/2026 13:41``.
- Empty is empty: no "None" or "nan" in any cell.
- No server paths for everyone: the import log names a file, not where it lay on the server;
  the data directory is listed for admins only.
- A change reads "veld: oud → nieuw" (:func:`cohesie.history.describe`), never as raw JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PureWindowsPath

import pandas as pd

from cohesie.formatting import formatter, is_empty
from cohesie.i18n import layer_label, translate
from cohesie.layers import LAYERS


@dataclass(frozen=True)
class ShownTable:
    """A table with numeric/date values kept as they are, the display function per column and
    the translated headers."""

    frame: pd.DataFrame
    labels: dict[str, str]
    formats: dict = field(default_factory=dict)

    def styler(self):
        """A pandas Styler of the table under its translated headers, showing the formatted
        texts over the original values."""
        shown = self.frame.rename(columns=self.labels)
        return shown.style.format({self.labels.get(c, c): f for c, f in self.formats.items()})

    def texts(self) -> pd.DataFrame:
        """Every cell as it is displayed (for tests and exports)."""
        out = pd.DataFrame(index=self.frame.index)
        for column in self.frame.columns:
            show = self.formats.get(column, _text)
            out[column] = [show(v) for v in self.frame[column]]
        return out


@dataclass(frozen=True)
class Inventory:
    """Everything the Gegevens page shows."""

    figures: tuple[tuple[str, str], ...]
    sources: ShownTable
    per_layer: ShownTable
    imports: ShownTable
    changes: ShownTable


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and is_empty(value)) else str(value)


def _moments(frame: pd.DataFrame, column: str) -> pd.Series:
    """ISO timestamps of ``column`` as datetimes (NaT where empty or missing)."""
    values = frame[column] if column in frame else pd.Series([None] * len(frame), index=frame.index)
    return pd.to_datetime(values, errors="coerce", format="ISO8601")


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column] if column in frame else pd.Series([None] * len(frame), index=frame.index)
    return pd.to_numeric(values, errors="coerce")


def _texts(frame: pd.DataFrame, column: str, show=None) -> list[str]:
    values = frame[column] if column in frame else [None] * len(frame)
    return [(show or _text)(v) for v in values]


def _file_name(value) -> str:
    """The file's name without the server folder it was read from."""
    text = _text(value)
    return PureWindowsPath(text).name if text else ""


def inventory(data, summary: pd.DataFrame, changes: pd.DataFrame, *, lang: str = "nl",
              admin: bool = False, data_dir: str = "") -> Inventory:
    """The Gegevens page for ``data``.

    Parameters
    ----------
    summary : DataFrame
        Per-layer record summary (``layer``, ``n``, ``zonder_punt``), e.g.
        :func:`cohesie.counting.point_summary`.
    changes : DataFrame
        :meth:`cohesie.storage.Store.recent_changes`.
    admin : bool
        Whether the data directory (a server path) is listed.
    """
    from cohesie import history

    fmt = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    meta = data.meta
    sectors = data.sectors
    figures = ((t("Sectoren"), fmt.integer(len(sectors))),
               (t("Wijken"), fmt.integer(sectors["wijk_code"].nunique())),
               (t("Deelgemeenten"), fmt.integer(sectors["deelgemeente"].nunique())),
               (t("Inwoners"), fmt.integer(sectors["inwoners"].sum())))

    def meta_text(key, default="—"):
        value = _text(meta.get(key))
        return value or default

    rows = [(t("gemeente"), f"{meta_text('gemeente')} (NIS {meta_text('nis')})"),
            (t("sectoren"), meta_text("bron_sectoren")),
            (t("wijkindeling"), meta_text("bron_wijken", t("standaard: eerste 7 tekens van de sectorcode"))),
            (t("bevolking"), f"{meta_text('bron_bevolking', t('niet geladen'))} ({meta_text('bevolking_jaar')})")]
    if admin:
        rows.append((t("gegevensmap"), data_dir or "—"))
    rows.append((t("gegevensversie"), fmt.integer(data.version)))
    sources = ShownTable(pd.DataFrame(rows, columns=["wat", "waarde"]), {"wat": t("wat"), "waarde": t("waarde")})

    per = summary.groupby("layer")[["n", "zonder_punt"]].sum() if len(summary) else pd.DataFrame(
        columns=["n", "zonder_punt"])
    layers = pd.DataFrame({"laag": [layer_label(k, lang) for k in LAYERS],
                           "records": [int(per["n"].get(k, 0)) for k in LAYERS],
                           "zonder_punt": [int(per["zonder_punt"].get(k, 0)) for k in LAYERS]})
    per_layer = ShownTable(layers, {"laag": t("laag"), "records": t("records"),
                                    "zonder_punt": t("zonder punt (enkel wijk)")},
                           {"records": fmt.integer, "zonder_punt": fmt.integer})

    log = data.imports.reset_index(drop=True)
    layer_name = lambda v: layer_label(v, lang) if v in LAYERS else _text(v)  # noqa: E731
    imports = pd.DataFrame({
        "tijdstip": _moments(log, "tijdstip"), "soort": _texts(log, "soort"),
        "bestand": _texts(log, "bestand", _file_name), "bestand_datum": _moments(log, "bestand_datum"),
        "laag": _texts(log, "laag", layer_name), "aantal": _numbers(log, "aantal"),
        "geweigerd": _numbers(log, "geweigerd")})
    imports = imports.iloc[::-1].reset_index(drop=True)  # newest first
    import_table = ShownTable(
        imports, {"tijdstip": t("wanneer"), "soort": t("soort"), "bestand": t("bestand"),
                  "bestand_datum": t("bestand van"), "laag": t("laag"), "aantal": t("ingelezen"),
                  "geweigerd": t("geweigerd")},
        {"tijdstip": fmt.datetime, "bestand_datum": fmt.datetime, "aantal": fmt.integer, "geweigerd": fmt.integer})

    changes = changes.reset_index(drop=True)
    recent = pd.DataFrame({
        "tijdstip": _moments(changes, "tijdstip"), "gebruiker": _texts(changes, "gebruiker"),
        "laag": _texts(changes, "layer", layer_name), "record": _texts(changes, "record_id"),
        "wijziging": [history.describe(row, lang=lang).what for _, row in changes.iterrows()]})
    change_table = ShownTable(recent, {"tijdstip": t("wanneer"), "gebruiker": t("wie"), "laag": t("laag"),
                                       "record": t("record"), "wijziging": t("wijziging")},
                              {"tijdstip": fmt.datetime})
    return Inventory(figures=figures, sources=sources, per_layer=per_layer, imports=import_table,
                     changes=change_table)
