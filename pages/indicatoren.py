"""Indicatoren: one row per area, the city for comparison, a chart and table exports."""

import streamlit as st

from cohesie import areas, exports, indicators, ui, views

current, filters = ui.page_context()
data = current.data
t = ui.translator()

st.title(t("Indicatoren per gebied"))
level = st.radio(t("Niveau"), list(areas.LEVELS), format_func=lambda lv: t(areas.LEVEL_LABELS[lv]),
                 horizontal=True, index=1, key="i_level")
radius = st.number_input(t("Bereik voor de dekkingsindicatoren (meter)"), min_value=50, max_value=2000,
                         value=300, step=50, key="i_radius")
table, city = indicators.table_with_city(data.sectors, data.points, level=level, filters=filters,
                                         radius=radius, area_frames=current.areas,
                                         counts=lambda lv: ui.area_counts(current, lv, filters))
catalogue = indicators.catalogue_with_coverage(radius, lang=ui.lang())
indicator = st.selectbox(t("Indicator voor de grafiek"), list(catalogue), format_func=catalogue.get,
                         index=list(catalogue).index("signalen_per_1000"), key="i_indicator")

st.metric(t("Stad: {indicator}", indicator=catalogue[indicator]), views.format_value(city[indicator], "x"))
user = ui.current_user()
display, hidden = views.protect_signals(table, data.sectors, level=level, admin=user.can("admin"))
ratio = f"{indicator}_tov_stad"
shown = display.assign(**{ratio: (table[indicator] / city[indicator]).round(2) if city[indicator] else None})
config = {c: catalogue.get(c, c) for c in shown.columns}
config.update({"code": t("Code"), "naam": t("Naam"), "inwoners": t("Inwoners"), "oppervlakte_km2": t("km²"),
               "zorgsignalen": t("Zorgsignalen (aantal)"),
               ratio: st.column_config.NumberColumn(
                   t("t.o.v. stad"), help=t("waarde gedeeld door de stedelijke waarde (1 = gelijk aan de stad)"))})
st.dataframe(shown, hide_index=True, width="stretch", key="i_table", column_config=config)
chart = table.set_index("naam")[[indicator]].rename(columns=catalogue).sort_values(catalogue[indicator],
                                                                                   ascending=False)
st.bar_chart(chart, horizontal=True, height=max(250, 22 * len(chart)))
st.caption(t("Stedelijke waarde: {waarde}. Filters: {filters}", waarde=views.format_value(city[indicator], "x"),
             filters=ui.describe_filters(filters, current)))
if hidden:
    st.caption(t("{n} signaalcijfer(s) verborgen: '< 5' is een aantal van 1 tot 4, 'verborgen' is afgeschermd "
                 "zodat zo'n klein aantal niet terug te rekenen is; de bijhorende cijfers per 1000 inwoners en "
                 "per km² zijn leeg. 0 betekent echt nul.", n=hidden))
header = ui.export_header(t("Indicatoren per {niveau}", niveau=t(areas.LEVEL_LABELS[level]).lower()), filters,
                          current)
c1, c2 = st.columns(2)
c1.download_button(t("Download CSV"), exports.table_csv(display, header_lines=header),
                   file_name=f"indicatoren_{level}.csv", mime="text/csv", key="i_download")
c2.download_button(t("Download Excel"), exports.table_xlsx(display, header_lines=header, sheet="indicatoren"),
                   file_name=f"indicatoren_{level}.xlsx", key="i_download_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
