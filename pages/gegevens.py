"""Gegevens: what is loaded, from which files, and how to replace the demo."""

import streamlit as st

from cohesie import ui
from cohesie.layers import LAYERS

current, _filters = ui.page_context()
data = current.data
meta = data.meta

st.title("Gegevens")
if data.is_demo:
    st.warning("De geladen gegevens zijn de **fictieve demo**. Vervang ze met de importcommando's hieronder.")
else:
    st.success(f"Echte gegevens van gemeente {meta.get('gemeente')} (NIS {meta.get('nis')}).")

c = st.columns(4)
c[0].metric("Sectoren", len(data.sectors))
c[1].metric("Wijken", data.sectors["wijk_code"].nunique())
c[2].metric("Deelgemeenten", data.sectors["deelgemeente"].nunique())
c[3].metric("Inwoners", f"{int(data.sectors['inwoners'].sum()):,}".replace(",", " "))

st.subheader("Bronnen")
st.table({"wat": ["gemeente", "sectoren", "wijkindeling", "bevolking", "gegevensmap", "gegevensversie"],
          "waarde": [f"{meta.get('gemeente')} (NIS {meta.get('nis')})", meta.get("bron_sectoren", "—"),
                     meta.get("bron_wijken", "standaard: eerste 7 tekens van de sectorcode"),
                     f"{meta.get('bron_bevolking', 'niet geladen')} ({meta.get('bevolking_jaar', '—')})",
                     str(ui.store().data_dir), str(data.version)]})
for note in data.notes:
    st.info(note)
if data.unlocated_population:
    st.info(f"{data.unlocated_population} inwoners staan in Statbel's sector 'niet te lokaliseren' "
            "en tellen niet mee in de gebieden.")

st.subheader("Aantal records per laag")
counts = data.points["layer"].value_counts()
st.table({"laag": [LAYERS[k].label for k in LAYERS], "records": [int(counts.get(k, 0)) for k in LAYERS],
          "zonder punt (enkel wijk)": [int(((data.points["layer"] == k) & data.points["x"].isna()).sum())
                                       for k in LAYERS]})

st.subheader("Imports")
if len(data.imports):
    st.dataframe(data.imports.drop(columns=["id"]), hide_index=True, use_container_width=True)
st.subheader("Recente wijzigingen")
changes = ui.store().recent_changes(50)
if changes.empty:
    st.write("Nog geen wijzigingen vanuit het dashboard.")
else:
    st.dataframe(changes.drop(columns=["voor", "na"]), hide_index=True, use_container_width=True)
st.subheader("Eigen gegevens laden")
st.code("python -m cohesie import-sectors sh_statbel_statistical_sectors_31370_20250101.shp.zip --nis 12025\n"
        "python -m cohesie import-wijken wijkindeling.csv\n"
        "python -m cohesie import-population OPENDATA_SECTOREN_2025.txt\n"
        "python -m cohesie import-points meubilair.csv --layer meubilair", language="bash")
