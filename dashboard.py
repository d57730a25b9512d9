"""Cohesiekaart: page config, navigation and the shared frame of every page."""

import streamlit as st

from cohesie import ui

st.set_page_config(page_icon="🗺️", layout="wide")  # the title comes from each page (st.Page)

pages = [
    st.Page("pages/kaart.py", title=ui.t("Kaart"), icon=":material/map:", default=True, url_path="start"),
    st.Page("pages/indicatoren.py", title=ui.t("Indicatoren"), icon=":material/bar_chart:", url_path="indicatoren"),
    st.Page("pages/wijkfiche.py", title=ui.t("Wijkfiche"), icon=":material/home_work:", url_path="wijkfiche"),
    st.Page("pages/vergelijken.py", title=ui.t("Vergelijken"), icon=":material/compare_arrows:", url_path="vergelijken"),
    st.Page("pages/plaatsing.py", title=ui.t("Plaatsing"), icon=":material/add_location_alt:", url_path="plaatsing"),
    st.Page("pages/presentatie.py", title=ui.t("Presentatie"), icon=":material/slideshow:", url_path="presentatie"),
    st.Page("pages/gegevens.py", title=ui.t("Gegevens"), icon=":material/database:", url_path="gegevens"),
    st.Page("pages/importeren.py", title=ui.t("Importeren"), icon=":material/upload_file:", url_path="importeren"),
]
# The default page is served at "/"; Streamlit answers its own url_path ("/kaart") with "Page not
# found". A hidden alias with that path runs the same script, so shared links to /kaart work.
pages.append(st.Page("pages/kaart.py", title=ui.t("Kaart"), url_path="kaart", visibility="hidden"))
page = st.navigation(pages)
with ui.stop_on_error():  # e.g. the database connection cut mid-run: a message, not a traceback
    ui.shared_frame(ui.loaded(), page=page.url_path)
    page.run()
