"""Gegevens: what is loaded, from which files, and how to replace the demo."""

import streamlit as st

from cohesie import datacheck, exports, inventory, operations, ui
from cohesie.formatting import formatter
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

current, _filters = ui.page_context()
data = current.data
meta = data.meta
t = ui.translator()
admin = ui.current_user().can("admin")
shown = inventory.inventory(data, current.summary, ui.store().recent_changes(50), lang=ui.lang(), admin=admin,
                            data_dir=str(ui.store().data_dir))

st.title(t("Gegevens"))
if data.is_demo:
    st.warning(t("De geladen gegevens zijn de **fictieve demo**. Vervang ze met de importcommando's hieronder."))
else:
    st.success(t("Echte gegevens van gemeente {gemeente} (NIS {nis}).", gemeente=meta.get("gemeente") or "—",
                 nis=meta.get("nis") or "—"))

for column, (label, value) in zip(st.columns(len(shown.figures)), shown.figures):
    column.metric(label, value)

st.subheader(t("Bronnen"))
st.table(shown.sources.styler(), hide_index=True)
for note in data.notes:
    st.info(note)
if data.unlocated_population:
    st.info(t("{n} inwoners staan in Statbel's sector 'niet te lokaliseren' en tellen niet mee in de gebieden.",
              n=formatter(ui.lang()).integer(data.unlocated_population)))

st.subheader(t("Aantal records per laag"))
st.table(shown.per_layer.styler(), hide_index=True)

st.subheader(t("Gegevenscontrole"))
# the same DataCheck as 'python -m cohesie check' (cohesie/datacheck.py)
checked = datacheck.check(data, meta, data.imports, tables=ui.store().check_tables(), lang=ui.lang())
{"ok": st.success, "warning": st.warning}.get(checked.level, st.error)(checked.summary)
for item in checked.items:
    icon = {"ok": ":material/check_circle:", "warning": ":material/warning:"}.get(item.level, ":material/error:")
    with st.container(border=item.level != "ok"):
        st.markdown(f"{icon} **{ui.escape(item.what)}**")
        if item.details:
            st.markdown("\n".join(f"- {ui.escape(d)}" for d in item.details))
        if item.todo:
            st.markdown(f"*{checked.labels['todo']}:* {ui.escape(item.todo)}")
        if item.commands:
            st.code("\n".join(item.commands), language="bash")
st.caption(t("Hetzelfde verslag op de opdrachtregel: python -m cohesie check (exitcode 0 als alles klopt, 1 bij "
             "waarschuwingen)."))

st.subheader(t("Lagen downloaden"))
# signals are shown as points only to admins; others get them as suppressed counts (Indicatoren)
choices = [k for k in LAYERS if admin or k != "signalen"]
d1, d2, d3 = st.columns([2, 2, 2])
layer = ui.sticky_choice(d1.selectbox, "g_layer", choices, choices[0], t("Laag"),
                        format_func=lambda k, lg=ui.lang(): layer_label(k, lg))
fmt = d2.selectbox(t("Formaat"), ["gpkg", "geojson", "csv", "xlsx"], key="g_format",
                   format_func={"gpkg": "GeoPackage (QGIS)", "geojson": "GeoJSON", "csv": "CSV", "xlsx": "Excel"}.get)
n_selected, selected = ui.layer_records(current, layer, _filters)  # signals: read only for the download
d3.download_button(
    t("Download {laag}", laag=layer_label(layer, ui.lang())), key="g_download", on_click="ignore",
    file_name=f"{layer}.{fmt}", mime="application/octet-stream",
    data=lambda: exports.layer_export(operations.layer_frame(data, layer, selected()), fmt=fmt, layer_name=layer,
                                      header_lines=ui.export_header(layer_label(layer, ui.lang()), _filters, current),
                                      sep=";", decimal=","))
st.caption(t("{n} records met de filters van de zijbalk. Signalen als punten enkel voor beheerders; anderen "
             "downloaden ze als aantallen per gebied op *Indicatoren*.", n=formatter(ui.lang()).integer(n_selected)))

st.subheader(t("Imports"))
if len(shown.imports.frame):
    st.dataframe(shown.imports.styler(), hide_index=True, width="stretch", key="g_imports", placeholder="")
st.subheader(t("Recente wijzigingen"))
if shown.changes.frame.empty:
    st.write(t("Nog geen wijzigingen vanuit het dashboard."))
else:
    st.dataframe(shown.changes.styler(), hide_index=True, width="stretch", key="g_changes", placeholder="")
st.subheader(t("Eigen gegevens laden"))
st.code("python3 -m cohesie import-sectors sh_statbel_statistical_sectors_31370_20250101.shp.zip --nis 12025\n"
        "python3 -m cohesie import-wijken statsec_ggw7.xlsx --names ggw7_namen.xlsx\n"
        "python3 -m cohesie import-population OPENDATA_SECTOREN_2025.txt\n"
        "python3 -m cohesie import-points meubilair.csv --layer meubilair\n"
        "python3 -m cohesie check", language="bash")
