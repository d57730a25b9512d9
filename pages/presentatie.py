"""Presentatie: the council-room view. Full-width map and large key figures of the city or one
wijk, stepping through the wijken with vorige/volgende. No editing controls, no sidebar."""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import indicators, maps, settings, ui, views

current, filters = ui.page_context()
data = current.data
t = ui.translator()
ui.presentation_style()

options = {"": t("Heel {gemeente}", gemeente=data.meta.get("gemeente", "")), **views.wijk_options(data.sectors)}
codes = list(options)
if "p_index" not in st.session_state:
    st.session_state["p_index"] = 0
nav = st.columns([1, 6, 1])
if nav[0].button(t("◀ vorige"), key="p_prev", width="stretch"):
    st.session_state["p_index"] = (st.session_state["p_index"] - 1) % len(codes)
if nav[2].button(t("volgende ▶"), key="p_next", width="stretch"):
    st.session_state["p_index"] = (st.session_state["p_index"] + 1) % len(codes)
wijk = codes[st.session_state["p_index"]]
nav[1].markdown(f"<h1 style='text-align:center;margin:0'>{ui.escape(options[wijk])}</h1>",
                unsafe_allow_html=True)

catalogue = indicators.indicator_catalogue(ui.lang())
indicator = st.session_state.get("m_indicator", "signalen_per_1000")
city_filters = indicators.Filters(start=filters.start, end=filters.end, layers=filters.layers,
                                  types=filters.types, statuses=filters.statuses)
table = indicators.per_area(data.sectors, None, level="wijk", filters=city_filters,
                            area_frame=current.areas["wijk"], counts=ui.area_counts(current, "wijk", city_filters))
city = indicators.city_reference(table)
row = table.set_index("code").loc[wijk] if wijk else city
figures = [(t("Inwoners"), views.format_value(row["inwoners"], "inwoners")),
           (t("Meubilair"), views.format_value(row["meubilair"], "meubilair")),
           (t("Projecten"), views.format_value(row["projecten"], "projecten")),
           (t("Signalen per 1000 inw."), views.format_value(row["signalen_per_1000"], "x"))]
ui.big_figures(figures)

styles, classes = views.choropleth(table, indicator=indicator, method=st.session_state.get("m_method", "quantiles"))
fg = maps.overlay(level="wijk", styles=styles, wijk_of_sector=dict(zip(data.sectors["code"], data.sectors["wijk_code"])),
                  highlight=[wijk] if wijk else [], points=ui.map_points(current, filters),
                  signal_counts=None)
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"], wijken_url=current.urls["wijk"],
                     assets=ui.map_assets(), tiles=settings.tiles_url())
view = views.view_of(data.sectors[data.sectors["wijk_code"] == wijk] if wijk else data.sectors)
left, right = st.columns([5, 1])
with left:
    st_folium(base, key="presentatie", feature_group_to_add=fg, height=720, use_container_width=True,
              center=view["center"], zoom=view["zoom"], returned_objects=[])
with right:
    ui.legend(classes.legend(), catalogue[indicator])
st.caption(t("Bron: {bron}, bevolking {jaar} · filters: {filters}", bron=data.meta.get("bron_sectoren", "?"),
             jaar=data.meta.get("bevolking_jaar", "?"), filters=ui.describe_filters(filters, current)))
