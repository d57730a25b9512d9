"""Indicatoren: one row per area, the city for comparison, a ranked chart and table exports."""

import streamlit as st

from cohesie import areas, exports, indicatorview, ui

current, filters = ui.page_context()
t = ui.translator()

st.title(t("Indicatoren per gebied"))
level = ui.sticky_choice(st.radio, "i_level", list(areas.LEVELS), "wijk", t("Niveau"),
                        format_func=lambda lv: t(areas.LEVEL_LABELS[lv]), horizontal=True)
radius = st.number_input(t("Bereik voor de dekkingsindicatoren (meter)"), min_value=50, max_value=2000,
                         value=300, step=50, key="i_radius")
catalogue = indicatorview.indicator_options(radius, lang=ui.lang(), data=current.data)
indicator = ui.sticky_choice(st.selectbox, "i_indicator", list(catalogue), "signalen_per_1000",
                            t("Indicator voor de grafiek"), format_func=catalogue.get)

view = indicatorview.indicator_table(
    current.data, filters, level=level, indicator=indicator, radius=radius,
    admin=ui.current_user().can("admin"), lang=ui.lang(), filters_text=ui.describe_filters(filters, current),
    area_frames=current.areas, counts=lambda lv: ui.area_counts(current, lv, filters))

st.metric(t("Stad: {indicator}", indicator=view.indicator_label), view.city_text)
if view.population_note:
    st.info(view.population_note)
for note in view.context_notes:
    st.caption(note)
config = {c: st.column_config.Column(label) for c, label in view.labels.items()}
config["naam"] = st.column_config.TextColumn(view.labels["naam"], pinned=True)
config[view.ratio_column] = st.column_config.Column(
    view.labels[view.ratio_column], help=t("waarde gedeeld door de stedelijke waarde (1 = gelijk aan de stad)"))
st.dataframe(view.styler(), hide_index=True, width="stretch", key="i_table", column_config=config,
             placeholder="")  # an empty rate stays empty, not "None"
st.altair_chart(indicatorview.bar_chart(view), width="stretch")
st.caption(t("Stedelijke waarde: {waarde}. Filters: {filters}", waarde=view.city_text,
             filters=ui.describe_filters(filters, current)))
if view.hidden_cells:
    st.caption(t("{n} signaalcijfer(s) verborgen: '< 5' is een aantal van 1 tot 4, 'verborgen' is afgeschermd "
                 "zodat zo'n klein aantal niet terug te rekenen is; de bijhorende cijfers per 1000 inwoners en "
                 "per km² zijn leeg. 0 betekent echt nul.", n=view.hidden_cells))
c1, c2 = st.columns(2)
c1.download_button(t("Download CSV"), exports.table_csv(view.export_frame(as_shown=True), header_lines=list(view.header_lines),
                                                       sep=";", decimal=","),
                   file_name=f"indicatoren_{level}.csv", mime="text/csv", key="i_download")
c2.download_button(t("Download Excel"), exports.table_xlsx(view.export_frame(), header_lines=list(view.header_lines),
                                                          sheet="indicatoren", decimals=view.export_decimals()),
                   file_name=f"indicatoren_{level}.xlsx", key="i_download_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
