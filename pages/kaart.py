"""Kaart: sectors or wijken coloured by an indicator, with the point layers on top.

Widgets → one :func:`cohesie.mapview.map_view` call → render. The map stays inside a 1440×900
window and the selection sits beside it, so a first click selects what is under the pointer.
"""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import context, coverage, exports, indicators, maps, mapview, settings, statmap, ui
from cohesie.classify import METHODS

current, filters = ui.page_context()
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")

# less white space around the title and smaller figures, so that the whole map below them fits a
# 1440×900 window (eight figures also fit one row without being cut off)
ui.html("<style>.block-container {padding-top: 4rem;} .block-container h1 {padding: .2rem 0 .3rem;}"
        " [data-testid='stMetricValue'] {font-size: 1.8rem;}</style>")
top = st.container()  # title and figures, filled after the map is sent so the map starts loading first

c1, c2, c3, c5, c4 = st.columns([2.7, 2.6, 1.8, 2.3, 1.7])  # "Sectors  Neighbourhoods" on one line
map_col, side_col = st.columns([3, 1])
with side_col:  # filled in this order: periods, selection, flags, legend, what colours the change, notes
    period_box, selection_box, flag_box, legend_box, measure_box, notes_box = (st.container() for _ in range(6))
filters_box = st.container()
# the view first (Indicator, per year, change, hot spots): the hot-spot mode has no indicator,
# classes or level to choose (widgets are placed by their column, not by the order of the calls)
period_view = ui.map_period_widgets(c5, period_box, measure_box, current.summary)  # in the URL too
hot = period_view["mode"] == statmap.MODE_HOTSPOTS

catalogue = indicators.catalogue_with_coverage(coverage.DEFAULT_RADIUS_M, lang=lang)
catalogue.update(context.labels(current.data.context_meta))  # the city's context figures
# one widget key per language (ui.sticky_choice): a widget keeps its texts when only the language changes
indicator = ui.sticky_choice(c1.selectbox, "m_indicator", list(catalogue), "signalen_per_1000", t("Indicator"),
                             format_func=catalogue.get, disabled=hot)
level = ui.sticky_choice(c2.radio, "m_level", ["sector", "wijk"], "sector", t("Gebieden"), horizontal=True,
                         format_func={"sector": t("Sectoren"), "wijk": t("Wijken")}.get, disabled=hot,
                         help=t("Hot spots worden altijd per sector getoetst.") if hot else None)
method = ui.sticky_choice(c3.selectbox, "m_method", list(METHODS), "quantiles", t("Klassen"),
                          format_func=lambda m: t(METHODS[m]), disabled=hot)
tiles_choice = ui.sticky_choice(c4.selectbox, "m_tiles", ["kaart", maps.NO_TILES], "kaart", t("Achtergrond"),
                                format_func={"kaart": t("Kaart (tegels)"),
                                             maps.NO_TILES: t("geen achtergrond")}.get)

# -- Opvallend: the early warning (issue 13), below the map; its widgets are read first --
alert_head = st.container()
a1, a2, _ = st.columns([2, 2.6, 5.4])
alert_per = ui.sticky_choice(a1.radio, "m_alert_per", list(statmap.PERIODS), "month", t("Getoetste periode"),
                             horizontal=True, format_func=lambda p: t(statmap.PERIODS[p]))
min_excess = float(ui.sticky(
    a2.number_input, "m_min_excess", int(statmap.DEFAULT_MIN_EXCESS), t("Minimaal overschot (signalen)"),
    param="value", min_value=0, max_value=1000, step=1,
    help=t("Een stijging is pas opvallend als er minstens zoveel signalen meer zijn dan verwacht.")))
alert_body = st.container()

# the view model per filter set and options, shared by all sessions (ui.kaart_view): a filter set
# asked for before costs only drawing it
view = ui.kaart_view(current, filters, indicator=indicator, level=level, method=method, admin=admin, lang=lang,
                     filters_text=ui.describe_filters(filters, current), **period_view,
                     alert_period=alert_per, min_excess=min_excess)
warning = view.warning

fg = ui.kaart_overlay(view)
tiles = settings.tiles_url() if tiles_choice == "kaart" else maps.NO_TILES
# the base map is constant for a data version (changing it remounts the map and resets the view);
# what changes goes through feature_group_to_add, center and zoom
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"],
                     wijken_url=current.urls["wijk"], assets=ui.map_assets(), tiles=tiles,
                     height=mapview.MAP_HEIGHT)

with flag_box:
    if warning.codes:  # flags first: the reason to look
        st.error(f"**{ui.escape(warning.summary)}** — {t('zie de lijst onder de kaart')}", icon="⚠️")
    elif not warning.pending:  # pending: a spinner here at the end of the page (ui.kaart_statistics_after_map)
        st.caption(ui.escape(warning.summary))
with legend_box:
    ui.legend(view.legend, view.legend_title or view.indicator_label)
with notes_box:
    for note in [*view.notes, view.figures_note]:
        if note:
            st.caption(note)
with map_col:
    result = st_folium(base, key="kaart", feature_group_to_add=fg, height=mapview.MAP_HEIGHT,
                       use_container_width=True, returned_objects=["last_clicked", maps.CLICKED_SECTOR],
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
    selection = mapview.selection_at(current.data.sectors, clicked["lat"], clicked["lng"], lang=lang,
                                     under_pointer=maps.clicked_sector(result))
    if selection is not None and filters.wijken and selection.wijk_code not in filters.wijken:
        selection = None  # a dimmed sector outside the filtered wijken: the Wijkfiche would not open it
    if selection is not None and st.session_state.get("_kaart_click") != clicked:
        st.session_state["_kaart_click"] = clicked  # a new click, not the map repeating its last one
        ui.select_wijk(selection.wijk_code)
if selection is None:
    selection = ui.wijk_selection(current, ui.selected_wijk(current, filters), lang)
with selection_box:
    if selection is None:
        st.caption(t("Klik op een sector om hem te selecteren."))
    else:
        st.info(selection.text)
        if st.button(selection.button, key="open_fiche"):
            ui.select_wijk(selection.wijk_code)
            st.switch_page("pages/wijkfiche.py")

with side_col:
    ui.html(f"<div><strong>{ui.escape(t('Lagen'))}</strong>" + "".join(
        f"<div style='margin:.15rem 0'><span style='color:{colour}' aria-hidden='true'>●</span> {ui.escape(text)}</div>"
        for colour, text in view.layer_rows) + "</div>")
    st.caption(t("Zorgsignalen worden nooit als punt getoond, enkel geteld per gebied. Voorstellen hebben een "
                 "open rand; een dikke stippelrand is een pleinmaker zonder actie dit jaar."))
    st.download_button(t("Kaart als PNG"), key="m_png", mime="image/png", on_click="ignore",
                       file_name=view.png_name, data=lambda: exports.map_png(view))
filters_box.caption(t("Filters: {filters}", filters=ui.describe_filters(filters, current)))

alert_head.subheader(t("Opvallend") + (f" ({warning.period_shown})" if warning.period_shown else ""))
with alert_body:
    level_word = t("per wijk") if warning.level == "wijk" else t("per sector")
    if warning.pending:
        st.caption(ui.escape(warning.summary))
    elif warning.rows.empty:
        st.info(f"{warning.summary} ({level_word}).")
    else:
        ui.static_table(warning.rows, warning.numbers)
    if warning.method:
        st.caption(warning.method)
    for note in warning.notes:
        st.caption(note)

# the first visit to a data version: the map above was sent without the early warning; fit it now
# (a spinner beside the map) and draw the page again with its flags and list
ui.kaart_statistics_after_map(current, view, flag_box)
