"""Indicatoren: one row per area, the city for comparison, a chart and a CSV download."""

import streamlit as st

from cohesie import areas, exports, indicators, ui, views

current, filters = ui.page_context()
data = current.data

st.title("Indicatoren per gebied")
level = st.radio("Niveau", list(areas.LEVELS), format_func=areas.LEVEL_LABELS.get,
                 horizontal=True, index=1, key="i_level")
radius = st.number_input("Bereik voor de dekkingsindicatoren (meter)", min_value=50, max_value=2000,
                         value=300, step=50, key="i_radius")
table, city = indicators.table_with_city(data.sectors, data.points, level=level, filters=filters,
                                         radius=radius, area_frames=current.areas)
catalogue = indicators.catalogue_with_coverage(radius)
indicator = st.selectbox("Indicator voor de grafiek", list(catalogue), format_func=catalogue.get,
                         index=list(catalogue).index("signalen_per_1000"), key="i_indicator")

st.metric(f"Stad: {catalogue[indicator]}", f"{city[indicator]:,.2f}".replace(",", " ").replace(".", ","))
user = ui.current_user()
if user.can("admin"):
    display, hidden = table, 0
else:
    display, hidden = views.protect_signals(table, data.sectors, level=level)
shown = display.assign(**{f"{indicator}_tov_stad": (table[indicator] / city[indicator]).round(2)
                        if city[indicator] else None})
labels = {c: catalogue.get(c, c) for c in shown.columns}
labels.update({"code": "Code", "naam": "Naam", "inwoners": "Inwoners", "oppervlakte_km2": "km²",
               "zorgsignalen": "Zorgsignalen (aantal)"})
config = {c: label for c, label in labels.items()}
config[f"{indicator}_tov_stad"] = st.column_config.NumberColumn(
    "t.o.v. stad", help="waarde gedeeld door de stedelijke waarde (1 = gelijk aan de stad)")
st.dataframe(shown, hide_index=True, use_container_width=True, key="i_table", column_config=config)
chart = table.set_index("naam")[[indicator]].sort_values(indicator, ascending=False)
st.bar_chart(chart, horizontal=True, height=max(250, 22 * len(chart)))
st.caption(f"Stedelijke waarde: {city[indicator]:.2f}. Filters: {ui.describe_filters(filters, current)}")
if hidden:
    st.caption(f"{hidden} signaalcijfer(s) verborgen: '< 5' is een aantal van 1 tot 4, 'verborgen' is "
               "afgeschermd zodat zo'n klein aantal niet terug te rekenen is; de bijhorende cijfers "
               "per 1000 inwoners en per km² zijn leeg. 0 betekent echt nul.")
header = ui.export_header(f"Indicatoren per {areas.LEVEL_LABELS[level].lower()}", filters, current)
c1, c2 = st.columns(2)
c1.download_button("Download CSV", exports.table_csv(display, header_lines=header),
                   file_name=f"indicatoren_{level}.csv", mime="text/csv", key="i_download")
c2.download_button("Download Excel", exports.table_xlsx(display, header_lines=header, sheet="indicatoren"),
                   file_name=f"indicatoren_{level}.xlsx", key="i_download_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
