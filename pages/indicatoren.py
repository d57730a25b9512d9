"""Indicatoren: one row per area, the city for comparison, a chart and a CSV download."""

import streamlit as st

from cohesie import areas, indicators, ui

current = ui.loaded()
data, filters = current.data, st.session_state["filters"]

st.title("Indicatoren per gebied")
level = st.radio("Niveau", list(areas.LEVELS), format_func=areas.LEVEL_LABELS.get,
                 horizontal=True, index=1, key="i_level")
table = indicators.per_area(data.sectors, data.points, level=level, filters=filters,
                            area_frame=current.areas[level])
city = indicators.city_reference(indicators.per_area(
    data.sectors, data.points, level="gemeente", filters=filters, area_frame=current.areas["gemeente"]))
catalogue = indicators.indicator_catalogue()
indicator = st.selectbox("Indicator voor de grafiek", list(catalogue), format_func=catalogue.get,
                         index=list(catalogue).index("signalen_per_1000"), key="i_indicator")

st.metric(f"Stad: {catalogue[indicator]}", f"{city[indicator]:,.2f}".replace(",", " ").replace(".", ","))
shown = table.assign(**{f"{indicator}_tov_stad": (table[indicator] / city[indicator]).round(2)
                        if city[indicator] else None})
st.dataframe(shown, hide_index=True, use_container_width=True, key="i_table",
             column_config={"code": "Code", "naam": "Naam", "oppervlakte_km2": "km²",
                            f"{indicator}_tov_stad": st.column_config.NumberColumn(
                                "t.o.v. stad", help="waarde gedeeld door de stedelijke waarde")})
chart = table.set_index("naam")[[indicator]].sort_values(indicator, ascending=False)
st.bar_chart(chart, horizontal=True, height=max(250, 22 * len(chart)))
st.caption(f"Stedelijke waarde: {city[indicator]:.2f}. Filters: {ui.describe_filters(filters, current)}")
st.download_button("Download CSV", table.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"indicatoren_{level}.csv", mime="text/csv", key="i_download")
