"""Importeren: load a point file (CSV, XLSX, GeoJSON, GeoPackage) with the same engine as
``python -m cohesie import-points``: layer (chosen, or guessed from the type values), preview,
column mapping, coordinate system, and the report (:mod:`cohesie.importreport`). Sector, wijk
and population files go through the same operations as ``import-sectors``, ``import-wijken``
and ``import-population`` (:mod:`cohesie.areaimport`)."""

import streamlit as st

from cohesie import areaimport, importreport, settings, ui
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
st.title(t("Importeren"))
if ui.require_editor() is None:
    st.stop()
store = ui.store()


def keep_upload(upload, **options) -> str:
    """The upload kept in the data directory (its path), or a message without server paths
    (e.g. a full disk) and the end of this run."""
    try:
        return str(store.save_upload(upload.name, upload.getvalue(), **options))
    except CohesieError as err:
        st.error(importreport.public_text(str(err), stored=upload.name, original=upload.name, lang=lang,
                                          places=(store.data_dir, store.location)))
        st.stop()


kind = st.radio(t("Soort bestand"), list(areaimport.KINDS), key="imp_kind", horizontal=True,
                format_func=lambda k: t(areaimport.KIND_LABELS[k]))


def area_import(kind: str) -> None:
    """Sectors, a wijk table or population: upload, preview, columns, options, import, report."""
    upload = st.file_uploader(t("Bestand"), key=f"imp_upload_{kind}", type=areaimport.UPLOAD_TYPES[kind])
    if upload is None:
        st.info({"sectoren": t("Kies Statbel's statistische sectoren (de gezipte shapefile van 2025 of de "
                               "GeoJSON van 2018-2024) of een ander polygonenbestand met een sectorcode."),
                 "wijkindeling": t("Kies de kerntabel van Provincies in Cijfers (statsec, ggw7 of statsec2024, "
                                   "ggw72024) of de eigen tabel sector, wijk_code, wijk_naam."),
                 "bevolking": t("Kies Statbel's OPENDATA_SECTOREN_<jaar> of een tabel met een sectorcode en een "
                                "bevolkingskolom.")}[kind])
        return
    saved = st.session_state.get(f"imp_saved_{kind}")
    if not saved or saved[0] != upload.file_id:
        # under its own name: the import records it and may read the year from it
        saved = (upload.file_id, keep_upload(upload, keep_name=True))
        st.session_state[f"imp_saved_{kind}"] = saved
        st.session_state.pop(f"imp_area_result_{kind}", None)
    path, file_key = saved[1], upload.file_id

    def public(text: str) -> str:
        return importreport.public_text(text, stored=path, original=upload.name, lang=lang,
                                        places=(store.data_dir, store.location))

    try:
        raw = areaimport.read_preview(path, kind)
    except CohesieError as err:
        st.error(public(str(err)))
        return
    st.subheader(t("Voorbeeld"))
    st.caption(t("{n} rijen", n=formatter(lang).integer(len(raw))))
    # short, so the column choices and the button stay in view at 1440x900
    st.dataframe(raw.head(10).drop(columns=[c for c in raw.columns if str(c).startswith("_")]), height=180)

    st.subheader(t("Kolommen koppelen"))
    st.caption(t("Automatisch herkend; pas aan waar nodig (zoals --map KOLOM=VELD op de opdrachtregel)."))
    columns = [str(c) for c in raw.columns if not str(c).startswith("_")]
    detected = areaimport.detect(kind, columns)
    mapping, overrides = {}, {}
    grid = st.columns(4)
    for i, (fld, label) in enumerate(areaimport.fields(kind).items()):
        default = detected.get(fld)
        # a recognised column can be changed but not switched off (as with --map)
        options = columns if default in columns else [NONE, *columns]
        choice = grid[i % 4].selectbox(t(label), options, index=options.index(default) if default in options else 0,
                                       format_func=lambda c: t(NONE) if c == NONE else c,
                                       key=f"imp_amap_{file_key}_{fld}")
        if choice != NONE:
            mapping[fld] = choice
            if choice != default:
                overrides[fld] = choice

    options = {}
    if kind == "sectoren":
        o1, o2 = st.columns(2)
        options["nis"] = o1.text_input(t("NIS-code van de gemeente"), key="imp_nis",
                                       value=current.data.meta.get("nis") if not current.data.is_demo
                                       and current.data.meta.get("nis") else settings.DEFAULT_NIS)
        crs = o2.selectbox(t("Coördinatenstelsel als het bestand er geen heeft"), [AUTO, 31370, 3812, 4326],
                           key=f"imp_acrs_{file_key}",
                           format_func=lambda c: t("uit het bestand") if c == AUTO
                           else t(point_ingest.describe_crs(c)))
        options["crs"] = None if crs == AUTO else int(crs)
    elif kind == "wijkindeling":
        names = st.file_uploader(t("Wijknamen (optioneel): de namenlijst van Provincies in Cijfers of een "
                                   "wijkenbestand met code en naam"), key="imp_names",
                                 type=["xlsx", "xlsm", "csv", "txt", "geojson", "json", "gpkg", "zip"])
        if names is not None:
            stored = st.session_state.get("imp_names_saved")
            if not stored or stored[0] != names.file_id:
                stored = (names.file_id, keep_upload(names, keep_name=True))
                st.session_state["imp_names_saved"] = stored
            options["names"], options["names_original"] = stored[1], names.name
        options["onbekend"] = st.checkbox(t("Sectoren die de tabel niet noemt in de wijk 'onbekend' zetten "
                                            "(--onbekend)"), key="imp_onbekend")
    else:
        options["year"] = st.text_input(t("Jaar (als de bestandsnaam het niet zegt)"), key="imp_year").strip() or None
        options["gedeeltelijk"] = st.checkbox(t("Ook aanvaarden als niet elke sector een cijfer krijgt; die "
                                                "sectoren krijgen geen gegevens (--gedeeltelijk)"),
                                              key="imp_gedeeltelijk")

    if st.button(t("Importeren"), type="primary", key="imp_area_run"):
        with st.spinner(t("Bezig…")):
            st.session_state[f"imp_area_result_{kind}"] = (file_key, areaimport.run(
                store, path, kind=kind, original=upload.name, lang=lang, mapping=mapping, **options),
                areaimport.command_line(kind, upload.name, mapping=overrides,
                                        **{k: v for k, v in options.items() if k != "names"}))
    result = st.session_state.get(f"imp_area_result_{kind}")
    if result and result[0] == file_key:
        _, report, command = result
        st.subheader(t("Verslag"))
        {"success": st.success, "warning": st.warning}.get(report.level, st.error)(report.message)
        for note in report.notes:
            st.markdown(f"- {ui.escape(note)}")
        if report.problems is not None:
            st.caption(report.problems_caption)
            st.table(report.problems, hide_index=True)
        st.caption(t("Op de opdrachtregel:"))
        st.code(command, language="bash")
        if report.level != "error":
            st.caption(t("Controleer daarna of alles bij elkaar past op *Gegevens* (Gegevenscontrole) of met "
                         "python -m cohesie check."))


if kind != "punten":
    area_import(kind)
    st.stop()

upload = st.file_uploader(t("Bestand (CSV, Excel, GeoJSON of GeoPackage)"), key="imp_upload",
                          type=["csv", "txt", "tsv", "xlsx", "xlsm", "geojson", "json", "gpkg"])
if upload is None:
    st.info(t("Kies een bestand. Een id-kolom maakt van elke rij een record dat bij een volgende import "
              "bijgewerkt wordt in plaats van verdubbeld."))
    st.stop()

saved = st.session_state.get("imp_saved")
if not saved or saved[0] != upload.file_id:
    saved = (upload.file_id, keep_upload(upload))
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
