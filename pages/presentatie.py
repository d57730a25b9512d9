"""Presentatie: the council-room view at 1920×1080. The city or one wijk by name, its key figures
beside the city's, a map filling the screen below them with every wijk named, a few large
indicator buttons, vorige/volgende through the wijken, a way back to the Kaart, and the demo
notice and data source as a footer. Everything shown comes from one
:func:`cohesie.presentation.presentation` call."""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import maps, presentation, settings, ui

MAP_HEIGHT = presentation.MAP_SIZE[1]

current, filters = ui.page_context(page="presentatie")
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")
ui.presentation_style()

top = st.container()
figures_row = st.container()
map_col, side_col = st.columns([4, 1.25], gap="medium")

options = presentation.indicator_options(lang)
if st.session_state.get("p_indicator") not in options:
    kaart = st.session_state.get("m_indicator")
    st.session_state["p_indicator"] = kaart if kaart in options else presentation.DEFAULT_INDICATOR
with side_col:
    indicator = st.radio(t("Indicator"), list(options), format_func=options.get, key="p_indicator")

view = presentation.presentation(
    current.data, current.areas, counts=lambda level, f: ui.area_counts(current, level, f), filters=filters,
    wijk=ui.selected_wijk(current), indicator=indicator, method=st.session_state.get("m_method", "quantiles"),
    admin=admin, lang=lang, filters_text=ui.describe_filters(filters, current))


def step(by: int) -> None:
    """Go to the previous (-1) or next (+1) wijk; the city is the first step."""
    at = view.steps.index(view.wijk) if view.wijk in view.steps else 0
    ui.select_wijk(view.steps[(at + by) % len(view.steps)])


with top:
    back, prev, title, nxt = st.columns([1.3, 1, 5, 1], vertical_alignment="center")
    back.page_link("pages/kaart.py", label=t("Terug naar de kaart"), icon=":material/arrow_back:")
    prev.button(t("◀ vorige"), key="p_prev", width="stretch", on_click=step, args=(-1,))
    nxt.button(t("volgende ▶"), key="p_next", width="stretch", on_click=step, args=(1,))
    title.markdown(f"<h1 class='cohesie-title'>{ui.escape(view.title)}</h1>"
                   f"<p class='cohesie-subtitle'>{ui.escape(view.subtitle)}</p>", unsafe_allow_html=True)

with figures_row:
    for col, fig in zip(st.columns(len(view.figures)), view.figures):
        col.metric(fig.label, fig.value, delta=fig.city or None, delta_color="off", delta_arrow="off")

fg = maps.overlay(level="wijk", styles=view.styles, highlight=list(view.highlight), points=view.points,
                  signal_counts=None)
maps.area_labels(fg, view.labels, font_px=presentation.LABEL_PX)
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"], wijken_url=current.urls["wijk"],
                     assets=ui.map_assets(), tiles=settings.tiles_url())
base.options["zoom_snap"] = presentation.ZOOM_STEP  # the view model's zoom is in quarter steps
with map_col:
    st_folium(base, key="presentatie", feature_group_to_add=fg, height=MAP_HEIGHT, use_container_width=True,
              center=view.center, zoom=view.zoom, returned_objects=[])
with side_col:
    ui.legend(view.legend, view.legend_title)
    if view.note:
        st.caption(view.note)

source, frame = st.columns([2, 3], vertical_alignment="center")
source.caption(view.source)
with frame:
    ui.frame_footer(current)
