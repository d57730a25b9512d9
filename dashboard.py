"""Cohesiekaart: page config, navigation and the shared frame of every page."""

import streamlit as st

from cohesie import ui

st.set_page_config(page_title="Cohesiekaart", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/kaart.py", title="Kaart", icon=":material/map:", default=True, url_path="kaart"),
    st.Page("pages/indicatoren.py", title="Indicatoren", icon=":material/bar_chart:", url_path="indicatoren"),
    st.Page("pages/wijkfiche.py", title="Wijkfiche", icon=":material/home_work:", url_path="wijkfiche"),
    st.Page("pages/plaatsen.py", title="Plaatsing", icon=":material/add_location_alt:", url_path="plaatsing"),
    st.Page("pages/presentatie.py", title="Presentatie", icon=":material/slideshow:", url_path="presentatie"),
    st.Page("pages/gegevens.py", title="Gegevens", icon=":material/database:", url_path="gegevens"),
    st.Page("pages/importeren.py", title="Importeren", icon=":material/upload_file:", url_path="importeren"),
]
page = st.navigation(pages)
current = ui.loaded()
ui.frame(current)
st.session_state["filters"] = ui.sidebar_filters(current)
ui.login_panel()
page.run()
