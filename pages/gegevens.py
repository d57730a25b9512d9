"""Gegevens: what is loaded, from which files, and how to replace the demo."""

import dataclasses

import streamlit as st

from cohesie import exports, indicators, operations, ui
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

current, _filters = ui.page_context()
data = current.data
meta = data.meta
t = ui.translator()

st.title(t("Gegevens"))
if data.is_demo:
    st.warning(t("De geladen gegevens zijn de **fictieve demo**. Vervang ze met de importcommando's hieronder."))
else:
    st.success(t("Echte gegevens van gemeente {gemeente} (NIS {nis}).", gemeente=meta.get("gemeente"),
                 nis=meta.get("nis")))

c = st.columns(4)
c[0].metric(t("Sectoren"), len(data.sectors))
c[1].metric(t("Wijken"), data.sectors["wijk_code"].nunique())
c[2].metric(t("Deelgemeenten"), data.sectors["deelgemeente"].nunique())
c[3].metric(t("Inwoners"), f"{int(data.sectors['inwoners'].sum()):,}".replace(",", " "))

st.subheader(t("Bronnen"))
st.table({t("wat"): [t(w) for w in ("gemeente", "sectoren", "wijkindeling", "bevolking", "gegevensmap",
                                     "gegevensversie")],
          t("waarde"): [f"{meta.get('gemeente')} (NIS {meta.get('nis')})", meta.get("bron_sectoren", "—"),
                        meta.get("bron_wijken", t("standaard: eerste 7 tekens van de sectorcode")),
                        f"{meta.get('bron_bevolking', t('niet geladen'))} ({meta.get('bevolking_jaar', '—')})",
                        str(ui.store().data_dir), str(data.version)]})
for note in data.notes:
    st.info(note)
if data.unlocated_population:
    st.info(t("{n} inwoners staan in Statbel's sector 'niet te lokaliseren' en tellen niet mee in de gebieden.",
              n=data.unlocated_population))

st.subheader(t("Aantal records per laag"))
per_layer = current.summary.groupby("layer")[["n", "zonder_punt"]].sum()  # every record, also on PostGIS
st.table({t("laag"): [layer_label(k, ui.lang()) for k in LAYERS],
          t("records"): [int(per_layer["n"].get(k, 0)) for k in LAYERS],
          t("zonder punt (enkel wijk)"): [int(per_layer["zonder_punt"].get(k, 0)) for k in LAYERS]})

st.subheader(t("Lagen downloaden"))
admin = ui.current_user().can("admin")
# signals are shown as points only to admins; others get them as suppressed counts (Indicatoren)
choices = [k for k in LAYERS if admin or k != "signalen"]
d1, d2, d3 = st.columns([2, 2, 2])
layer = d1.selectbox(t("Laag"), choices, format_func=lambda k, lg=ui.lang(): layer_label(k, lg), key="g_layer")
fmt = d2.selectbox(t("Formaat"), ["gpkg", "geojson", "csv", "xlsx"], key="g_format",
                   format_func={"gpkg": "GeoPackage (QGIS)", "geojson": "GeoJSON", "csv": "CSV", "xlsx": "Excel"}.get)
selected = indicators.filter_points(data.points, dataclasses.replace(_filters, layers=(layer,)))
d3.download_button(
    t("Download {laag}", laag=layer_label(layer, ui.lang())), key="g_download", on_click="ignore",
    file_name=f"{layer}.{fmt}", mime="application/octet-stream",
    data=lambda: exports.layer_export(operations.layer_frame(data, layer, selected), fmt=fmt, layer_name=layer,
                                      header_lines=ui.export_header(layer_label(layer, ui.lang()), _filters, current)))
st.caption(t("{n} records met de filters van de zijbalk. Signalen als punten enkel voor beheerders; anderen "
             "downloaden ze als aantallen per gebied op *Indicatoren*.", n=len(selected)))

st.subheader(t("Imports"))
if len(data.imports):
    st.dataframe(data.imports.drop(columns=["id"]), hide_index=True, width="stretch")
st.subheader(t("Recente wijzigingen"))
changes = ui.store().recent_changes(50)
if changes.empty:
    st.write(t("Nog geen wijzigingen vanuit het dashboard."))
else:
    st.dataframe(changes.drop(columns=["voor", "na"]), hide_index=True, width="stretch")
st.subheader(t("Eigen gegevens laden"))
st.code("python -m cohesie import-sectors sh_statbel_statistical_sectors_31370_20250101.shp.zip --nis 12025\n"
        "python -m cohesie import-wijken wijkindeling.csv\n"
        "python -m cohesie import-population OPENDATA_SECTOREN_2025.txt\n"
        "python -m cohesie import-points meubilair.csv --layer meubilair", language="bash")
