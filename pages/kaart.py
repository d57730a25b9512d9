"""Kaart: sectors or wijken coloured by an indicator, with the point layers on top."""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import indicators, maps, settings, ui, views
from cohesie.classify import METHODS
from cohesie.layers import LAYERS

current = ui.loaded()
data, filters = current.data, st.session_state["filters"]

st.title(f"Kaart van {data.meta.get('gemeente', '')}")
figures = indicators.key_figures(data.sectors, data.points, filters)
ui.metrics_row(figures, {"inwoners": "Inwoners", "wijken": "Wijken",
                         **{k: LAYERS[k].label for k in filters.layers}})

c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
catalogue = indicators.indicator_catalogue()
indicator = c1.selectbox("Indicator", list(catalogue), format_func=catalogue.get,
                         index=list(catalogue).index("signalen_per_1000"), key="m_indicator")
level = c2.radio("Gebieden", ["sector", "wijk"], horizontal=True, key="m_level",
                 format_func={"sector": "Sectoren", "wijk": "Wijken"}.get)
method = c3.selectbox("Klassen", list(METHODS), format_func=METHODS.get, key="m_method")
tiles_choice = c4.selectbox("Achtergrond", ["kaart", maps.NO_TILES], key="m_tiles",
                            format_func={"kaart": "Kaart (tegels)", maps.NO_TILES: "geen achtergrond"}.get)

table = indicators.per_area(data.sectors, data.points, level=level, filters=filters,
                            area_frame=current.areas[level])
styles, classes = views.choropleth(table, indicator=indicator, method=method)
fg = maps.overlay(
    level=level, styles=styles, highlight=list(filters.wijken),
    points=views.points_for_map(data.points, filters),
    signal_counts=views.signal_circles(data.points, data.sectors, current.areas[level], filters, level=level),
)
tiles = settings.tiles_url() if tiles_choice == "kaart" else maps.NO_TILES
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"],
                     wijken_url=current.urls["wijk"], assets=ui.map_assets(), tiles=tiles)

map_col, side_col = st.columns([4, 1])
with map_col:
    result = st_folium(base, key="kaart", feature_group_to_add=fg, height=620,
                       use_container_width=True, returned_objects=["last_clicked"])
with side_col:
    ui.legend(classes.legend(), catalogue[indicator])
    st.markdown("**Lagen**")
    for k in filters.layers:
        lay = LAYERS[k]
        how = "aantal per gebied (cirkels)" if k == "signalen" else "punten"
        st.markdown(f"<span style='color:{lay.colour}'>●</span> {lay.label}: {how}", unsafe_allow_html=True)
    st.caption("Zorgsignalen worden nooit als punt getoond, enkel geteld per gebied. "
               "Voorstellen hebben een open rand.")

clicked = (result or {}).get("last_clicked")
if clicked:
    sector = views.sector_at(clicked["lat"], clicked["lng"], data.sectors)
    if sector is not None:
        st.session_state["selected_wijk"] = sector["wijk_code"]
        st.info(f"Geselecteerd: sector **{sector['naam']}** ({sector['code']}) in wijk "
                f"**{sector['wijk_naam']}**, {int(sector['inwoners'])} inwoners.")
        if st.button(f"Open de wijkfiche van {sector['wijk_naam']}", key="open_fiche"):
            st.switch_page("pages/wijkfiche.py")
st.caption(f"Filters: {ui.describe_filters(filters, current)}")
