"""Kaart: sectors or wijken coloured by an indicator, with the point layers on top."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from cohesie import coverage, exports, indicators, maps, settings, ui, views
from cohesie.classify import HIDDEN_COLOUR, METHODS
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

current, filters = ui.page_context()
data = current.data
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")

st.title(t("Kaart van {gemeente}", gemeente=data.meta.get("gemeente", "")))
metrics_box = st.container()  # filled after the map is sent, so the map starts loading first

c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
catalogue = indicators.catalogue_with_coverage(coverage.DEFAULT_RADIUS_M, lang=lang)
indicator = c1.selectbox(t("Indicator"), list(catalogue), format_func=catalogue.get,
                         index=list(catalogue).index("signalen_per_1000"), key="m_indicator")
level = c2.radio(t("Gebieden"), ["sector", "wijk"], horizontal=True, key="m_level",
                 format_func={"sector": t("Sectoren"), "wijk": t("Wijken")}.get)
method = c3.selectbox(t("Klassen"), list(METHODS), format_func=lambda m: t(METHODS[m]), key="m_method")
tiles_choice = c4.selectbox(t("Achtergrond"), ["kaart", maps.NO_TILES], key="m_tiles",
                            format_func={"kaart": t("Kaart (tegels)"), maps.NO_TILES: t("geen achtergrond")}.get)

counts = ui.area_counts(current, level, filters)
table = indicators.per_area(data.sectors, None, level=level, filters=filters,
                            area_frame=current.areas[level], counts=counts)
if indicator in coverage.COVERAGE_COLUMNS:  # costs a geometric overlay: only when asked for
    table = indicators.with_coverage(table, data.sectors, data.points, level=level, end=filters.end)
hidden, shown_counts = None, {}
if not admin:
    hidden, shown_counts = views.hidden_signal_areas(table, data.sectors, level=level)
styles, classes = views.choropleth(table, indicator=indicator, method=method, labels=catalogue)
legend_rows = classes.legend()
if hidden is not None and indicator in views.SIGNAL_INDICATORS and hidden.any():
    styles = views.hide_suppressed_areas(styles, table, hidden, shown_counts, label=catalogue[indicator])
    legend_rows = [*legend_rows, (HIDDEN_COLOUR, t("verborgen (< 5)"))]
circles = views.signal_circles(None, data.sectors, current.areas[level], filters, level=level, counts=counts,
                               centroids=current.centroids[level])
if not admin and len(circles):
    circles["label"] = circles["code"].map(shown_counts).fillna(circles["signalen"].astype(str))
points = views.flag_pleinmakers(ui.map_points(current, filters), current.index.of_layer("pleinmakers"), data.acties,
                                year=dt.date.today().year,
                                note=t("geen actie in {jaar}", jaar=dt.date.today().year))
fg = maps.overlay(level=level, styles=styles, highlight=list(filters.wijken), points=points,
                  signal_counts=circles, layer_labels={k: layer_label(k, lang) for k in LAYERS},
                  signal_word=t("signalen"))
tiles = settings.tiles_url() if tiles_choice == "kaart" else maps.NO_TILES
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"],
                     wijken_url=current.urls["wijk"], assets=ui.map_assets(), tiles=tiles)

map_col, side_col = st.columns([4, 1])
with map_col:
    result = st_folium(base, key="kaart", feature_group_to_add=fg, height=620,
                       use_container_width=True, returned_objects=["last_clicked"])
with side_col:
    ui.legend(legend_rows, catalogue[indicator])
    st.markdown(f"**{t('Lagen')}**")
    for k in filters.layers:
        how = t("aantal per gebied (cirkels)") if k == "signalen" else t("punten")
        st.markdown(f"<span style='color:{LAYERS[k].colour}' aria-hidden='true'>●</span> "
                    f"{layer_label(k, lang)}: {how}", unsafe_allow_html=True)
    st.caption(t("Zorgsignalen worden nooit als punt getoond, enkel geteld per gebied. Voorstellen hebben een "
                 "open rand; een dikke stippelrand is een pleinmaker zonder actie dit jaar."))
    footer = ui.export_header(catalogue[indicator], filters, current)
    st.download_button(
        t("Kaart als PNG"), key="m_png", mime="image/png", on_click="ignore",
        file_name=f"kaart_{indicator}_{level}.png",
        data=lambda: exports.map_png(
            current.areas[level], table[indicator], title=footer[0], legend_title=catalogue[indicator],
            footer=footer[1:], method=method, outline=current.areas["wijk"] if level == "sector" else None,
            hidden=None if hidden is None or indicator not in views.SIGNAL_INDICATORS
            else table["code"].map(hidden).fillna(False)))

with metrics_box:
    figures = indicators.key_figures(data.sectors, None, filters, totals=ui.layer_totals(current, filters))
    ui.metrics_row(figures, {"inwoners": t("Inwoners"), "wijken": t("Wijken"),
                             **{k: layer_label(k, lang) for k in filters.layers}})

clicked = (result or {}).get("last_clicked")
if clicked:
    sector = views.sector_at(clicked["lat"], clicked["lng"], data.sectors)
    if sector is not None:
        st.session_state["selected_wijk"] = sector["wijk_code"]
        st.info(t("Geselecteerd: sector **{sector}** ({code}) in wijk **{wijk}**, {n} inwoners.",
                  sector=ui.escape(sector["naam"]), code=sector["code"], wijk=ui.escape(sector["wijk_naam"]),
                  n=int(sector["inwoners"])))
        if st.button(t("Open de wijkfiche van {wijk}", wijk=sector["wijk_naam"]), key="open_fiche"):
            st.switch_page("pages/wijkfiche.py")
st.caption(t("Filters: {filters}", filters=ui.describe_filters(filters, current)))
