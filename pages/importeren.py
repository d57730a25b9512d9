"""Importeren: load a point file (CSV, XLSX, GeoJSON, GeoPackage) with the same engine as
``python -m cohesie import-points``: preview, column mapping, coordinate system, report."""

import streamlit as st

from cohesie import operations, ui
from cohesie.errors import CohesieError
from cohesie.ingest import points as point_ingest
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

NONE = "— geen —"  # a sentinel value; shown translated
AUTO = "automatisch"

current, _filters = ui.page_context()
t = ui.translator()
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
path = saved[1]
file_key = upload.file_id

c1, c2 = st.columns(2)
layer = c1.selectbox(t("Laag"), list(LAYERS), key="imp_layer", format_func=lambda k, lg=ui.lang(): layer_label(k, lg))
sheets = point_ingest.list_sheets(path)
sheet = None
if len(sheets) > 1:
    chosen = c2.selectbox(t("Werkblad of laag in het bestand"), [AUTO, *sheets], key=f"imp_sheet_{file_key}",
                          format_func=lambda s: t("eerste met gegevens") if s == AUTO else s)
    sheet = None if chosen == AUTO else chosen

try:
    raw = point_ingest.read_table(path, sheet=sheet)
    detected = point_ingest.detect_columns(raw.columns, layer=layer)
except CohesieError as err:
    st.error(str(err))
    st.stop()

st.subheader(t("Voorbeeld"))
st.caption(t("{n} rijen", n=len(raw)) + " · " + " ".join(raw.attrs.get("notes", [])))
st.dataframe(raw.head(10).drop(columns=[c for c in raw.columns if str(c).startswith("_")]))

st.subheader(t("Kolommen koppelen"))
st.caption(t("Automatisch herkend; pas aan waar nodig. Coördinaten: lat/lon (WGS84) of x/y (Lambert)."))
columns = [str(c) for c in raw.columns if not str(c).startswith("_")]
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
    st.error(str(err))
    st.stop()
crs_options = [AUTO, 4326, 31370, 3812]
crs_choice = st.selectbox(
    t("Coördinatenstelsel"), crs_options, key=f"imp_crs_{file_key}",
    format_func=lambda c: t("automatisch: {crs}", crs=t(point_ingest.describe_crs(found))) if c == AUTO
    else t(point_ingest.describe_crs(c)))
crs = None if crs_choice == AUTO else int(crs_choice)
strict = st.checkbox(t("Alleen importeren als elke rij geldig is (strikt)"), key="imp_strict")

b1, b2 = st.columns(2)
check = b1.button(t("Controleren (schrijft niets)"), key="imp_check")
run = b2.button(t("Importeren"), type="primary", key="imp_run")
if check or run:
    bar = st.progress(0.0, text=t("Bezig…"))
    options = dict(layer=layer, sheet=sheet, crs=crs, mapping=mapping,
                   progress=lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text))
    try:
        if run:
            rep = operations.import_points(store, path, strict=strict, **options)
            result = {"kind": "import", "message": rep.message, "notes": rep.notes,
                      "imported": rep.imported, "problems": rep.problems, "rejects": rep.rejects,
                      "rejects_path": rep.rejects_path}
        else:
            chk = operations.check_points(store, path, **options)
            result = {"kind": "check", "message": t("Controle: {ok} rijen geldig, {bad} geweigerd (nog niets "
                                                    "geschreven).", ok=len(chk.records), bad=len(chk.rejects)),
                      "notes": chk.notes, "imported": len(chk.records), "problems": chk.problems,
                      "rejects": chk.rejects, "rejects_path": None}
    except operations.ImportRefused as err:
        result = {"kind": "refused", "message": err.summary, "notes": err.result.notes, "imported": 0,
                  "problems": err.result.problems, "rejects": err.result.rejects,
                  "rejects_path": err.rejects_path}
    except CohesieError as err:
        result = {"kind": "error", "message": str(err), "notes": [], "imported": 0,
                  "problems": None, "rejects": None, "rejects_path": None}
    bar.progress(1.0, text=t("Klaar."))
    result["file"] = upload.name
    st.session_state["imp_result"] = result

result = st.session_state.get("imp_result")
if result:
    st.subheader(t("Verslag"))
    show = {"import": st.success, "check": st.info}.get(result["kind"], st.error)
    show(result["message"])
    refused = 0 if result["rejects"] is None else len(result["rejects"])
    m1, m2 = st.columns(2)
    m1.metric(t("Geïmporteerd") if result["kind"] == "import" else t("Geldig"), result["imported"])
    m2.metric(t("Geweigerd"), refused)
    for note in result["notes"]:
        st.caption(note)
    if refused:
        st.dataframe(result["problems"], hide_index=True)
        st.download_button(t("Geweigerde rijen downloaden (CSV)"), point_ingest.rejects_csv(result["rejects"]),
                           file_name=f"geweigerd_{result['file']}.csv", mime="text/csv", key="imp_download")
        if result["rejects_path"]:
            st.caption(t("Ook bewaard in {pad}.", pad=result["rejects_path"]))
