"""Wijkfiche: one wijk's figures next to the city, a small map, its records and signals.

Widgets → one call (:func:`cohesie.wijkfiche.wijkfiche`) → render; the PDF and CSV render the
same object.
"""

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from cohesie import exports, maps, settings, statview, ui, wijkfiche
from cohesie.formatting import vega_number_expr

current, filters = ui.page_context(page="wijkfiche")
t = ui.translator()
admin = ui.current_user().can("admin")
lang = ui.lang()
counting = dict(counts=lambda level, f: ui.area_counts(current, level, f),
                per_month=lambda f: ui.signals_per_month(current, f),
                records=current.index.of_layer, describe=lambda f: ui.describe_filters(f, current),
                area_frames=current.areas,
                per_period=lambda level, f, per="year": ui.counts_per_period(current, level, f, per=per))
statistics = dict(alerts=ui.alerts_source(current, filters, admin=admin), effect=ui.effect_source(current),
                  intervention=st.session_state.get("w_effect"),
                  effect_radius=st.session_state.get("w_effect_radius", 300),
                  effect_months=st.session_state.get("w_effect_months", 24), signal_window=ui.statistics_window(current))
with st.spinner(t("Opvallende stijgingen berekenen…")):
    fiche = wijkfiche.wijkfiche(current.data, wijk=ui.selected_wijk(current, filters), filters=filters,
                                admin=admin, lang=lang, trend_indicator=st.session_state.get("w_trend"),
                                trend_per=st.session_state.get("w_trend_per", "year"), **counting, **statistics)
if st.session_state.get("selected_wijk") != fiche.code or st.query_params.get("wijk") != fiche.code:
    ui.select_wijk(fiche.code)  # the URL names the wijk shown, so a link opens this fiche


def show_table(table: wijkfiche.Table, rows: int = 20) -> None:
    config = {col: st.column_config.Column(label, pinned=col == table.pinned) for col, label in table.headers.items()}
    st.dataframe(table.styler(), hide_index=True, width="stretch", column_config=config, placeholder="",
                 height=min(35 * (len(table) + 1) + 3, 35 * (rows + 1) + 3))  # the whole table, up to ``rows`` rows


def month_chart(chart: wijkfiche.MonthChart, thousands: str) -> alt.Chart:
    return alt.Chart(chart.data).mark_bar().encode(
        x=alt.X("maand_tekst:O", sort=chart.months, title=chart.x_title,
                axis=alt.Axis(values=chart.ticks, labelAngle=0, labelOverlap="greedy")),
        y=alt.Y("sum(aantal):Q", title=chart.y_title,
                axis=alt.Axis(labelExpr=f"replace(format(datum.value, ',d'), ',', '{thousands}')")),
        color=alt.Color("categorie:N", title=chart.legend_title,
                        scale=alt.Scale(domain=chart.categories, range=[chart.colours[c] for c in chart.categories])),
        order=alt.Order("volgorde:Q"),
        tooltip=[alt.Tooltip("maand_tekst:N", title=chart.x_title), alt.Tooltip("categorie:N", title=chart.legend_title),
                 alt.Tooltip("aantal_tekst:N", title=chart.y_title)],
    ).properties(height=300)


def strip_plot(dist: wijkfiche.Distribution, columns: list[str], lang: str) -> alt.FacetChart:
    """One row per indicator: every wijk a grey dot, this wijk red, the city a black tick."""
    roles = [dist.roles[r] for r in ("ander", "wijk", "stad")]
    base = alt.Chart().encode(
        x=alt.X("waarde:Q", title=None, scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(labelExpr=vega_number_expr(2, lang), tickCount=5, labelOverlap="greedy")),
        color=alt.Color("legenda:N", title=None, scale=alt.Scale(domain=roles, range=["#9e9e9e", "#d62728", "#222222"]),
                        legend=alt.Legend(orient="top", symbolOpacity=1, labelFontSize=12)),
        tooltip=[alt.Tooltip("naam:N", title=t("Wijk")), alt.Tooltip("tekst:N", title=t("Waarde"))])
    others = base.mark_circle(size=70, opacity=0.55).transform_filter("datum.rol == 'ander'")
    city = base.mark_tick(thickness=2, size=26).transform_filter("datum.rol == 'stad'")
    own = base.mark_circle(size=160, opacity=1, stroke="white", strokeWidth=1).transform_filter("datum.rol == 'wijk'")
    return alt.layer(others, city, own, data=dist.of(columns)).properties(width=560, height=26).facet(
        row=alt.Row("rij:N", sort=[dist.labels[c] for c in columns], title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="left", labelLimit=330,
                                      labelFontSize=12, labelColor="#31333F")),
        spacing=30, title=alt.TitleParams(dist.x_title, fontSize=12, fontWeight="normal", anchor="middle", orient="bottom")
    ).resolve_scale(x="independent").configure_view(stroke=None)


def trend_chart(trend: wijkfiche.Trend, lang: str) -> alt.LayerChart:
    """The wijk (red, solid) and the city (black, dashed) per year; hidden years are gaps."""
    base = alt.Chart(trend.data[trend.data["waarde"].notna()]).encode(
        x=alt.X("periode:O", sort=trend.periods, title=trend.x_title, scale=alt.Scale(domain=trend.periods),
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
        y=alt.Y("waarde:Q", title=trend.y_title, scale=alt.Scale(zero=True),
                axis=alt.Axis(labelExpr=vega_number_expr(trend.decimals, lang), tickCount=5)),
        color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=trend.series, range=["#d62728", "#222222"]),
                        legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("reeks:N", scale=alt.Scale(domain=trend.series, range=[[1, 0], [6, 4]]), legend=None),
        detail="deel:N",
        tooltip=[alt.Tooltip("reeks:N", title=t("Gebied")), alt.Tooltip("periode:N", title=trend.x_title),
                 alt.Tooltip("tekst:N", title=trend.y_title)])
    return alt.layer(base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=45)).properties(height=300)


st.session_state["w_wijk"] = fiche.code
st.selectbox(t("Wijk"), list(fiche.options), format_func=fiche.options.get, key="w_wijk",
             on_change=lambda: ui.select_wijk(st.session_state["w_wijk"]))
st.title(fiche.title)
st.page_link("pages/vergelijken.py", label=t("Vergelijk met …"), icon=":material/compare_arrows:",
             query_params={"vergelijk": fiche.code}, help=t("Open Vergelijken met deze wijk al gekozen; kies er daar een tot drie gebieden bij."))
d1, d2, d3, _ = st.columns([1, 1, 1, 2])
d1.download_button(t("Wijkfiche als PDF"), on_click="ignore", mime="application/pdf", key="w_pdf",
                   file_name=f"wijkfiche_{fiche.code}.pdf", data=lambda: exports.wijkfiche_pdf([fiche]))
d2.download_button(t("Wijkfiche als CSV"), on_click="ignore", mime="text/csv", key="w_csv",
                   file_name=f"wijkfiche_{fiche.code}.csv",
                   data=lambda: wijkfiche.csv_bytes(fiche))
d3.download_button(t("Gefilterde wijken als PDF") if filters.wijken else t("Alle wijken als PDF"),
                   on_click="ignore", mime="application/pdf", key="w_pdf_all", file_name="wijkfiches.pdf",
                   data=lambda: exports.wijkfiche_pdf(wijkfiche.wijkfiches(
                       current.data, filters=filters, admin=admin, lang=lang, trend_indicator=fiche.trend and fiche.trend.indicator,
                       trend_per=fiche.trend.per if fiche.trend else "year", **counting,
                       alerts=statistics["alerts"])))

st.caption("  \n".join(fiche.context))  # the context block: inhabitants, the context figures' source

for col, figure in zip(st.columns(len(fiche.figures)), fiche.figures):
    col.metric(figure.label, figure.text, delta=figure.delta_text, delta_color=figure.delta_color,
               delta_arrow=figure.delta_arrow, help=figure.help)

left, right = st.columns([3, 2])
with left:
    st.subheader(fiche.labels["comparison"])
    show_table(fiche.comparison, rows=40)  # with the context figures at the end
    st.caption(fiche.labels["rank_note"])
with right:
    st.subheader(fiche.labels["map"])
    small = maps.small_map(shapes_geojson=fiche.shapes_geojson(), points=fiche.points, assets=ui.map_assets(),
                           tiles=settings.tiles_url(), bounds=fiche.bounds,
                           layer_labels=fiche.layer_names)
    st_folium(small, key=f"wijkkaart_{fiche.code}", height=330, use_container_width=True, returned_objects=[])

spread = fiche.distribution
st.subheader(spread.title)
if "_keep_w_spreiding" in st.session_state:  # indicators of layers switched off are no option now
    st.session_state["_keep_w_spreiding"] = [c for c in st.session_state["_keep_w_spreiding"] if c in spread.columns]
shown = ui.sticky(st.multiselect, "w_spreiding", spread.default, t("Indicatoren in de grafiek"), spread.columns,
                  format_func=lambda col: fiche.comparison.values.loc[col, "indicator"])
if shown:
    st.altair_chart(strip_plot(spread, [c for c in spread.columns if c in shown], lang), width="content")
if spread.note:
    st.caption(spread.note)

trend = fiche.trend
if trend is not None:
    st.subheader(trend.title)
    st.session_state["w_trend"] = trend.indicator
    st.session_state["w_trend_per"] = trend.per
    pick, per = st.columns([3, 2])
    pick.selectbox(t("Indicator"), list(trend.options), format_func=trend.options.get, key="w_trend")
    per.radio(trend.per_label, list(trend.per_options), format_func=trend.per_options.get, key="w_trend_per",
              horizontal=True)
    st.caption("  \n".join([*trend.context, *fiche.context[1:]]))  # what stands behind the numbers
    if trend.empty:
        st.write(fiche.labels["none"])
    else:
        st.altair_chart(trend_chart(trend, lang), width="stretch")
    if trend.change_year:
        st.metric(trend.change_label, trend.change_text or fiche.fmt.no_data,
                  delta=trend.change_pct_text or None, delta_color="off")
    if trend.note:
        st.caption(trend.note)
    if trend.table is not None and len(trend.table):
        with st.expander(t("Tabel per {periode}", periode=trend.x_title.lower())):
            show_table(trend.table)

if fiche.signals is not None:
    st.subheader(fiche.signals.title)
    if fiche.signals.empty:
        st.write(fiche.signals.empty_text)
    else:
        st.altair_chart(month_chart(fiche.signals, fiche.fmt.integer(1000)[1]), width="stretch")
    if fiche.signals.note:
        st.caption(fiche.signals.note)

def show_opvallend(block: statview.Opvallend) -> None:
    st.subheader(block.title)
    if block.error:
        st.info(block.error)
        return
    (st.warning if block.flagged else st.success)(block.sentence)
    numbers = ui.right_aligned(block.numbers)
    if not block.rows.empty:
        st.dataframe(block.rows, hide_index=True, width="stretch", column_config=numbers)
    if not block.tested.empty:
        with st.expander(t("Alle categorieën van {naam}", naam=fiche.naam)):
            st.dataframe(block.tested, hide_index=True, width="stretch", column_config=numbers)
    st.caption(" ".join([block.reading, *block.notes]))
    with st.expander(t("Hoe is dit berekend?")):
        st.write(block.method)


def show_effect(view: statview.EffectView | None) -> None:
    st.subheader(t("Werkt het?"))
    if not fiche.interventions:
        st.write(t("Geen ingrepen met een startdatum en een locatie in deze wijk (pleinmakers, projecten, "
                   "geplaatst meubilair)."))
        return
    pick, rad, mon = st.columns([4, 1, 1])
    if view is not None:
        st.session_state["w_effect"] = view.key
    pick.selectbox(t("Ingreep"), list(fiche.interventions), format_func=fiche.interventions.get, key="w_effect")
    rad.number_input(t("Straal (meter)"), min_value=50, max_value=2000, value=300, step=50, key="w_effect_radius")
    mon.number_input(t("Maanden voor en na"), min_value=1, max_value=60, value=24, step=1, key="w_effect_months")
    if view is None:
        return
    if view.error:
        st.info(view.error)
        return
    st.markdown(f"**{ui.escape(view.sentence)}**")
    if not view.empty:
        st.altair_chart(statview.effect_chart(view, lang), width="stretch")
    st.caption(" ".join(x for x in [view.note, *view.notes, view.totals] if x))
    with st.expander(t("Hoe is dit berekend?")):
        st.write(view.method)


if fiche.opvallend is not None:
    show_opvallend(fiche.opvallend)
if fiche.signals is not None:
    show_effect(fiche.effect)

for records in fiche.records:
    st.subheader(records.title)
    if records.layer == "pleinmakers":
        if fiche.late_text:
            st.warning(fiche.late_text)
        ui.action_form(current.data, fiche.code)
    if records.table.empty:
        st.write(fiche.labels["none"])
    else:
        show_table(records.table)
