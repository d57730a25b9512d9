"""Wijkfiche: one wijk's figures next to the city, a small map, its records and signals."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from cohesie import indicators, maps, settings, spatial, ui, views
from cohesie.layers import LAYERS

current = ui.loaded()
data, filters = current.data, st.session_state["filters"]

options = views.wijk_options(data.sectors)
codes = list(options)
default = st.session_state.get("selected_wijk")
wijk = st.selectbox("Wijk", codes, format_func=options.get, key="w_wijk",
                    index=codes.index(default) if default in codes else 0)
row = indicators.per_area(data.sectors, data.points, level="wijk", filters=filters,
                          area_frame=current.areas["wijk"]).set_index("code").loc[wijk]
city = indicators.city_reference(indicators.per_area(
    data.sectors, data.points, level="gemeente", filters=filters, area_frame=current.areas["gemeente"]))
st.title(f"Wijkfiche {row['naam']}")

cols = st.columns(4)
cols[0].metric("Inwoners", f"{int(row['inwoners']):,}".replace(",", " "))
cols[1].metric("Oppervlakte", f"{row['oppervlakte_km2']:.2f} km²".replace(".", ","))
cols[2].metric("Signalen per 1000 inw.", views.format_value(row["signalen_per_1000"], "x"),
               delta=views.format_value(row["signalen_per_1000"] - city["signalen_per_1000"], "x") + " t.o.v. stad",
               delta_color="inverse")
cols[3].metric("Meubilair per 1000 inw.", views.format_value(row["meubilair_per_1000"], "x"),
               delta=views.format_value(row["meubilair_per_1000"] - city["meubilair_per_1000"], "x") + " t.o.v. stad")

left, right = st.columns([3, 2])
with left:
    compare = views.compare_with_city(row, city, ["inwoners_per_km2", *[f"{k}_per_1000" for k in LAYERS]])
    st.dataframe(compare, hide_index=True, use_container_width=True)
with right:
    sel = data.sectors[data.sectors["wijk_code"] == wijk]
    pts = views.points_for_map(data.points, indicators.Filters(
        start=filters.start, end=filters.end, layers=filters.layers, types=filters.types,
        statuses=filters.statuses, wijken=(wijk,)))
    small = maps.small_map(shapes_geojson=spatial.display_geojson(sel, ["code"]), points=pts,
                           assets=ui.map_assets(), tiles=settings.tiles_url(),
                           bounds=views.bounds_latlon(sel))
    st_folium(small, key=f"wijkkaart_{wijk}", height=330, use_container_width=True, returned_objects=[])

st.subheader("Signalen per maand")
per_month = indicators.signals_per_month(data.points, indicators.Filters(
    start=filters.start, end=filters.end, types=filters.types, statuses=filters.statuses, wijken=(wijk,)))
if per_month.empty:
    st.write("Geen signalen in deze periode.")
else:
    st.bar_chart(per_month, height=280)

year = dt.date.today().year
late = indicators.pleinmakers_without_action(data.points[data.points["wijk_code"] == wijk], data.acties, year=year)
for layer in ("pleinmakers", "projecten", "meubilair", "actoren"):
    records = views.records_in_wijk(data.points, layer, wijk, filters)
    st.subheader(f"{LAYERS[layer].label} ({len(records)})")
    if layer == "pleinmakers" and len(late):
        st.warning(f"Zonder actie in {year}: " + ", ".join(late["naam"]))
    if layer == "pleinmakers":
        ui.action_form(data, wijk)
    if records.empty:
        st.write("Geen.")
    else:
        st.dataframe(records, hide_index=True, use_container_width=True)
