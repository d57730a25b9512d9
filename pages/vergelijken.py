"""Vergelijken: two to four areas side by side (every indicator, rank and the city), small maps
in one set of classes and the trend of one indicator.

Widgets → one call (:func:`cohesie.comparison.comparison`) → render; the PDF and XLSX render
the same object. The selection lives in the URL (``?vergelijk=CODE,CODE&indicator=...&per=kwartaal``).
"""

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from cohesie import comparison, exports, maps, settings, ui, urlstate
from cohesie.formatting import vega_number_expr
from cohesie.wijkfiche import TREND_DEFAULT, TREND_PER

current, filters = ui.page_context(page="vergelijken")
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")
choices = {c: a.label for c, a in comparison.area_index(current.data.sectors, lang).items()}

# a link (or the Wijkfiche's "Vergelijk met …") names the areas: the URL wins over the session;
# without one (back through the menu) the session's choice stays
asked = st.query_params.get("vergelijk", "")
if asked and asked != st.session_state.get("_v_written"):
    codes, indicator = urlstate.comparison_from_query(st.query_params, known=choices,
                                                      indicators=[st.query_params.get("indicator")])
    st.session_state["_keep_v_areas"] = [a.code for a in comparison.resolve(current.data.sectors, codes, lang)]
    if indicator:
        st.session_state["_keep_v_indicator"] = indicator
    st.session_state["_keep_v_per"] = "quarter" if st.query_params.get("per") == "kwartaal" else "year"
    for key in ("v_areas", f"v_areas_{lang}"):
        st.session_state.pop(key, None)

st.title(t("Vergelijken"))
chosen = ui.sticky(st.multiselect, "v_areas", [], t("Gebieden (twee tot vier)"), list(choices),
                   format_func=choices.get, max_selections=comparison.MAX_AREAS,
                   placeholder=t("kies wijken, sectoren, deelgemeenten of de stad"))
view = comparison.comparison(
    current.data, areas=chosen, filters=filters, admin=admin, lang=lang,
    indicator=st.session_state.get("_keep_v_indicator"),
    counts=lambda level, f: ui.area_counts(current, level, f),
    per_period=lambda level, f, per="year": ui.counts_per_period(current, level, f, per=per),
    describe=lambda f: ui.describe_filters(f, current), area_frames=current.areas,
    per=st.session_state.get("_keep_v_per", "year"))

written = urlstate.comparison_to_query(view.codes, view.indicator, default_indicator=TREND_DEFAULT)
if view.codes and st.session_state.get("_keep_v_per") == "quarter":
    written["per"] = "kwartaal"
for name in (*urlstate.COMPARISON_PARAMS, "per"):
    if name in written and st.query_params.get(name) != written[name]:
        st.query_params[name] = written[name]
    elif name not in written and name in st.query_params:
        del st.query_params[name]
st.session_state["_v_written"] = written.get("vergelijk", "")


def trend_chart(trend: comparison.TrendLines) -> alt.LayerChart:
    """Every area a solid line in its own colour, the city black and dashed; hidden years are gaps."""
    dashes = [[6, 4] if s == trend.city_series else [1, 0] for s in trend.series]
    base = alt.Chart(trend.data[trend.data["waarde"].notna()]).encode(
        x=alt.X("periode:O", sort=trend.periods, title=trend.x_title, scale=alt.Scale(domain=trend.periods),
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
        y=alt.Y("waarde:Q", title=trend.y_title, scale=alt.Scale(zero=True),
                axis=alt.Axis(labelExpr=vega_number_expr(trend.decimals, lang), tickCount=5)),
        color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=trend.series, range=trend.colours),
                        legend=alt.Legend(orient="top", labelLimit=260)),
        strokeDash=alt.StrokeDash("reeks:N", scale=alt.Scale(domain=trend.series, range=dashes), legend=None),
        detail="deel:N",
        tooltip=[alt.Tooltip("reeks:N", title=t("Gebied")), alt.Tooltip("periode:N", title=trend.x_title),
                 alt.Tooltip("tekst:N", title=trend.y_title)])
    return alt.layer(base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=45)).properties(height=320)


if len(view.areas) < 2:
    st.info(t("Kies twee tot vier gebieden om ze naast elkaar te zien; de stad mag erbij."))
if not view.areas:
    st.stop()

st.subheader(view.title)
d1, d2, _ = st.columns([1, 1, 3])
d1.download_button(t("Vergelijking als PDF"), on_click="ignore", mime="application/pdf", key="v_pdf",
                   file_name=f"vergelijking_{'_'.join(view.codes)}.pdf", data=lambda: exports.comparison_pdf(view))
d2.download_button(t("Vergelijking als Excel"), on_click="ignore", key="v_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   file_name=f"vergelijking_{'_'.join(view.codes)}.xlsx", data=lambda: exports.comparison_xlsx(view))

table = view.table
config = {col: st.column_config.TextColumn(label, pinned=col == table.pinned, width="large" if col == table.pinned else None,
                                           alignment="left" if col == table.pinned else "right")
          for col, label in table.headers.items()}
st.dataframe(table.text, hide_index=True, width="stretch", column_config=config, placeholder="",
             height=min(35 * (len(table) + 1) + 3, 740), key="v_table")
for note in view.notes:
    st.caption(note)

options = list(view.options)
st.session_state["v_indicator"] = view.indicator
st.selectbox(t("Indicator voor de kaartjes en de trend"), options, format_func=view.options.get, key="v_indicator",
             on_change=lambda: st.session_state.update(_keep_v_indicator=st.session_state["v_indicator"]))

st.subheader(view.map_title)
for column, small in zip(st.columns(len(view.maps)), view.maps):
    with column:
        st.markdown(f"**{ui.escape(small.title)}**")
        m = maps.small_map(shapes_geojson=small.geojson, assets=ui.map_assets(), tiles=settings.tiles_url(), bounds=small.bounds, height=260,
                           fill_property="kleur", tooltip_property="tekst")
        st_folium(m, key=f"v_kaart_{small.code}_{view.indicator}", height=260, use_container_width=True,
                  returned_objects=[])
ui.legend(view.legend, view.options.get(view.indicator, ""))

trend = view.trend
if trend is not None:
    st.subheader(trend.title)
    st.session_state["v_per"] = st.session_state.get("_keep_v_per", "year")
    st.radio(t("Per"), list(TREND_PER), format_func=lambda p: t(TREND_PER[p]), key="v_per", horizontal=True,
             on_change=lambda: st.session_state.update(_keep_v_per=st.session_state["v_per"]))
    if trend.empty:
        st.write(t("Geen."))
    else:
        st.altair_chart(trend_chart(trend), width="stretch")
    if trend.note:
        st.caption(trend.note)
