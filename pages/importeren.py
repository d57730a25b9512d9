"""Importeren: load a point file (CSV, XLSX, GeoJSON, GeoPackage) with the same engine as
``python -m cohesie import-points``: layer (chosen, or guessed from the type values), preview,
column mapping, coordinate system, and the report (:mod:`cohesie.importreport`)."""

import streamlit as st

from cohesie import importreport, ui
from cohesie.errors import CohesieError
from cohesie.formatting import formatter
from cohesie.ingest import points as point_ingest
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

NONE = "— geen —"  # a sentinel value; shown translated
AUTO = "automatisch"

current, _filters = ui.page_context()
t = ui.translator()
lang = ui.lang()
st.title(t("Punten importeren"))
if ui.require_editor() is None:
    st.stop()
store = ui.store()

upload = st.file_uploader(t("Bestand (CSV, Excel, GeoJSON of GeoPackage)"), key="imp_upload",
                          type=["csv", "txt", "tsv", "xlsx", "xlsm", "geojson", "json", "gpkg"])
if upload is None:
    st.info(t("Kies een bestand. Een id-kolom maakt van elke rij een record dat bij een volgende import "
              "bijgewerkt wordt in plaats van verdubbeld."))
    st.stop()

saved = st.session_state.get("imp_saved")
if not saved or saved[0] != upload.file_id:
    saved = (upload.file_id, str(store.save_upload(upload.name, upload.getvalue())))
    st.session_state["imp_saved"] = saved
    st.session_state.pop("imp_result", None)
    st.session_state.pop("imp_layer", None)  # a new file: its layer is chosen (or guessed) anew
path = saved[1]
file_key = upload.file_id


def public(text: str) -> str:
    return importreport.public_text(text, stored=path, original=upload.name, lang=lang,
                                    places=(store.data_dir, store.location))


c1, c2 = st.columns(2)
sheets = point_ingest.list_sheets(path)
sheet = None
if len(sheets) > 1:
    chosen = c2.selectbox(t("Werkblad of laag in het bestand"), [AUTO, *sheets], key=f"imp_sheet_{file_key}",
                          format_func=lambda s: t("eerste met gegevens") if s == AUTO else s)
    sheet = None if chosen == AUTO else chosen

try:
    raw = point_ingest.read_table(path, sheet=sheet)
except CohesieError as err:
    st.error(public(str(err)))
    st.stop()

guessed, why = point_ingest.guess_layer(raw, lang=lang)
chosen_layer = c1.selectbox(
    t("Laag"), list(LAYERS), index=None, key="imp_layer",
    placeholder=t("geraden: {laag}", laag=layer_label(guessed, lang)) if guessed else t("Kies een laag"),
    format_func=lambda k, lg=lang: layer_label(k, lg))
layer = chosen_layer or guessed
if chosen_layer is None and guessed:
    st.info(why + " " + t("Kies hierboven een andere laag als dat niet klopt."))
elif layer is None:
    st.warning(t("Kies de laag van dit bestand.") + " " + why)

st.subheader(t("Voorbeeld"))
st.caption(" · ".join([t("{n} rijen", n=formatter(lang).integer(len(raw))),
                       *(public(n) for n in raw.attrs.get("notes", []))]))
st.dataframe(raw.head(10).drop(columns=[c for c in raw.columns if str(c).startswith("_")]))
if layer is None:
    st.stop()

st.subheader(t("Kolommen koppelen"))
st.caption(t("Automatisch herkend; pas aan waar nodig. Coördinaten: lat/lon (WGS84) of x/y (Lambert)."))
columns = [str(c) for c in raw.columns if not str(c).startswith("_")]
detected = point_ingest.detect_columns(raw.columns, layer=layer)
mapping = {}
grid = st.columns(4)
for i, fld in enumerate(point_ingest.mappable_fields(layer)):
    options = [NONE, *columns]
    default = detected.get(fld)
    choice = grid[i % 4].selectbox(t(point_ingest.FIELD_LABELS.get(fld, fld)), options,
                                   format_func=lambda c: t(NONE) if c == NONE else c,
                                   index=options.index(default) if default in options else 0,
                                   key=f"imp_map_{file_key}_{layer}_{fld}")
    mapping[fld] = "" if choice == NONE else choice

try:
    cols = point_ingest.detect_columns(raw.columns, layer=layer, mapping=mapping)
    found = point_ingest.detect_crs(raw, cols)
except CohesieError as err:
    st.error(public(str(err)))
    st.stop()
crs_options = [AUTO, 4326, 31370, 3812]
crs_choice = st.selectbox(
    t("Coördinatenstelsel"), crs_options, key=f"imp_crs_{file_key}",
    format_func=lambda c: t("automatisch: {crs}", crs=t(point_ingest.describe_crs(found))) if c == AUTO
    else t(point_ingest.describe_crs(c)))
crs = None if crs_choice == AUTO else int(crs_choice)
strict = st.checkbox(t("Alleen importeren als elke rij geldig is (strikt)"), key="imp_strict")

mismatch = point_ingest.layer_mismatch(raw, cols, layer, lang=lang)
if mismatch:
    st.warning(mismatch)

b1, b2 = st.columns(2)
check = b1.button(t("Controleren (schrijft niets)"), key="imp_check")
run = b2.button(t("Importeren"), type="primary", key="imp_run")
if check or run:
    bar = st.progress(0.0, text=t("Bezig…"))
    st.session_state["imp_result"] = importreport.run(
        store, path, action="import" if run else "check", original=upload.name, layer=layer, lang=lang,
        strict=strict, sheet=sheet, crs=crs, mapping=mapping,
        progress=lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text))
    bar.progress(1.0, text=t("Klaar."))

report = st.session_state.get("imp_result")
if report:
    st.subheader(t("Verslag"))
    {"success": st.success, "info": st.info, "warning": st.warning}.get(report.level, st.error)(report.message)
    for col, (label, value) in zip(st.columns(max(len(report.metrics), 1)), report.metrics):
        col.metric(label, value)
    for note in report.notes:
        st.caption(note)
    if report.problems is not None:
        st.caption(report.problems_caption)
        st.table(report.problems, hide_index=True)
    if report.download is not None:
        st.download_button(t("Geweigerde rijen downloaden (CSV)"), report.download,
                           file_name=report.download_name, mime="text/csv", key="imp_download")
    if report.kept_note:
        st.caption(report.kept_note)
