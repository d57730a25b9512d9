"""Kaart: sectors or wijken coloured by an indicator, with the point layers on top.

Widgets → one :func:`cohesie.mapview.map_view` call → render. The map stays inside a 1440×900
window and the selection sits beside it, so a first click selects what is under the pointer.
"""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import context, coverage, exports, indicators, maps, mapview, settings, ui
from cohesie.classify import METHODS

current, filters = ui.page_context()
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")

# less white space around the title and smaller figures, so that the whole map below them fits a
# 1440×900 window (eight figures also fit one row without being cut off)
st.markdown("<style>.block-container {padding-top: 4rem;} .block-container h1 {padding: .2rem 0 .3rem;}"
            " [data-testid='stMetricValue'] {font-size: 1.8rem;}</style>", unsafe_allow_html=True)
top = st.container()  # title and figures, filled after the map is sent so the map starts loading first

c1, c2, c3, c5, c4 = st.columns([2.7, 2.6, 1.8, 2.3, 1.7])  # "Sectors  Neighbourhoods" on one line
catalogue = indicators.catalogue_with_coverage(coverage.DEFAULT_RADIUS_M, lang=lang)
catalogue.update(context.labels(current.data.context_meta))  # the city's context figures
# one widget key per language (ui.sticky_choice): a widget keeps its texts when only the language changes
indicator = ui.sticky_choice(c1.selectbox, "m_indicator", list(catalogue), "signalen_per_1000", t("Indicator"),
                             format_func=catalogue.get)
level = ui.sticky_choice(c2.radio, "m_level", ["sector", "wijk"], "sector", t("Gebieden"), horizontal=True,
                         format_func={"sector": t("Sectoren"), "wijk": t("Wijken")}.get)
method = ui.sticky_choice(c3.selectbox, "m_method", list(METHODS), "quantiles", t("Klassen"),
                          format_func=lambda m: t(METHODS[m]))
tiles_choice = ui.sticky_choice(c4.selectbox, "m_tiles", ["kaart", maps.NO_TILES], "kaart", t("Achtergrond"),
                                format_func={"kaart": t("Kaart (tegels)"),
                                             maps.NO_TILES: t("geen achtergrond")}.get)

map_col, side_col = st.columns([3, 1])
with side_col:  # filled in this order: periods, selection, legend, what colours the change, notes
    period_box, selection_box, legend_box, measure_box, notes_box = (st.container() for _ in range(5))
period_view = ui.map_period_widgets(c5, period_box, measure_box, current.summary)  # in the URL too

view = mapview.map_view(current, filters, indicator=indicator, level=level, method=method, admin=admin,
                        lang=lang, area_counts=lambda lv, f: ui.area_counts(current, lv, f),
                        layer_totals=lambda f: ui.layer_totals(current, f),
                        per_period=lambda lv, f, per: ui.counts_per_period(current, lv, f, per=per),
                        filters_text=ui.describe_filters(filters, current), **period_view)

fg = maps.overlay(level=view.level, styles=view.styles, highlight=view.highlight, points=view.points,
                  signal_counts=view.circles, layer_labels=view.layer_names, signal_word=view.signal_word)
tiles = settings.tiles_url() if tiles_choice == "kaart" else maps.NO_TILES
# the base map is constant for a data version (changing it remounts the map and resets the view);
# what changes goes through feature_group_to_add, center and zoom
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"],
                     wijken_url=current.urls["wijk"], assets=ui.map_assets(), tiles=tiles,
                     height=mapview.MAP_HEIGHT)

with legend_box:
    ui.legend(view.legend, view.legend_title or view.indicator_label)
with notes_box:
    for note in [*view.notes, view.figures_note]:
        if note:
            st.caption(note)
with map_col:
    result = st_folium(base, key="kaart", feature_group_to_add=fg, height=mapview.MAP_HEIGHT,
                       use_container_width=True, returned_objects=["last_clicked"],
                       center=view.center, zoom=view.zoom)

with top:
    st.title(view.title)
    # columns as wide as their texts need, so that no label is cut off ("Voorstellen meubilair")
    widths = [max(len(label), 1.8 * len(text)) for _, label, text in view.figures]
    for col, (_, label, text) in zip(st.columns(widths), view.figures):
        col.metric(label, text)

clicked = (result or {}).get("last_clicked")
selection = None
if clicked:
    selection = mapview.selection_at(current.data.sectors, clicked["lat"], clicked["lng"], lang=lang)
    if selection is not None and filters.wijken and selection.wijk_code not in filters.wijken:
        selection = None  # a dimmed sector outside the filtered wijken: the Wijkfiche would not open it
    if selection is not None and st.session_state.get("_kaart_click") != clicked:
        st.session_state["_kaart_click"] = clicked  # a new click, not the map repeating its last one
        ui.select_wijk(selection.wijk_code)
if selection is None:
    selection = mapview.selection_of_wijk(current.data.sectors, ui.selected_wijk(current, filters), lang=lang)
with selection_box:
    if selection is None:
        st.caption(t("Klik op een sector om hem te selecteren."))
    else:
        st.info(selection.text)
        if st.button(selection.button, key="open_fiche"):
            ui.select_wijk(selection.wijk_code)
            st.switch_page("pages/wijkfiche.py")

with side_col:
    st.markdown(f"**{t('Lagen')}**")
    for colour, text in view.layer_rows:
        st.markdown(f"<span style='color:{colour}' aria-hidden='true'>●</span> {ui.escape(text)}",
                    unsafe_allow_html=True)
    st.caption(t("Zorgsignalen worden nooit als punt getoond, enkel geteld per gebied. Voorstellen hebben een "
                 "open rand; een dikke stippelrand is een pleinmaker zonder actie dit jaar."))
    st.download_button(t("Kaart als PNG"), key="m_png", mime="image/png", on_click="ignore",
                       file_name=view.png_name, data=lambda: exports.map_png(view))
st.caption(t("Filters: {filters}", filters=ui.describe_filters(filters, current)))
