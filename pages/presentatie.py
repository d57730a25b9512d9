"""Presentatie: the council-room view at 1920×1080. The city or one wijk by name, and three
slides: "Kaart" (its key figures beside the city's and a map filling the screen below them with
every wijk named, a few large indicator buttons), "Vergelijk" (the wijk against the city and
the other wijken per main indicator) and "Trend" (one indicator per year, the city beside it).
Vorige/volgende step through the wijken, PageUp/PageDown (a presenter's clicker) through the
slides; the slide is in the URL (``?dia=``). A way back to the Kaart, and the demo notice and
data source as a footer. Everything shown comes from one
:func:`cohesie.presentation.presentation` call."""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import maps, presentation, settings, ui

MAP_HEIGHT = presentation.MAP_SIZE[1]
SLIDE = "p_slide"

current, filters = ui.page_context(page="presentatie")
t, lang = ui.translator(), ui.lang()
admin = ui.current_user().can("admin")
ui.presentation_style()

top = st.container()
with top:
    back, prev, title, nxt, slide_col = st.columns([1.3, 1, 4.2, 1, 2.3], vertical_alignment="center")


def step_slide(by: int) -> None:
    """The previous (-1) or next (+1) slide (PageUp / PageDown)."""
    st.session_state[SLIDE] = presentation.next_slide(st.session_state.get(SLIDE), by)


slides = presentation.slide_options(lang)
if st.session_state.get(SLIDE) not in slides:  # a link opens the slide it names (?dia=trend)
    st.session_state[SLIDE] = presentation.slide_from_query(st.query_params)
with slide_col:
    slide = st.segmented_control(t("Dia"), list(slides), format_func=slides.get, key=SLIDE, required=True,
                                 label_visibility="collapsed", width="stretch")
ui.write_slide(slide)  # the URL names the slide shown, so a link opens it
with st.container(key="p_slide_keys"):  # not drawn (ui.presentation_style); the keys work
    st.button(t("Vorige dia"), key="p_slide_prev", on_click=step_slide, args=(-1,), shortcut="PageUp")
    st.button(t("Volgende dia"), key="p_slide_next", on_click=step_slide, args=(1,), shortcut="PageDown")

body = st.container()
if slide == "kaart":
    figures_row = body.container()
    with body:
        map_col, side_col = st.columns([4, 1.25], gap="medium")
elif slide == "trend":
    with body:
        sentence_row = st.container()
        chart_col, side_col = st.columns([4, 1.25], gap="medium")

# the indicator choices of the Kaart and the Trend survive a visit to another slide
options = presentation.indicator_options(lang)
if slide == "kaart":
    if st.session_state.get("p_indicator") not in options:
        kept = st.session_state.get("_p_indicator", st.session_state.get("m_indicator"))
        st.session_state["p_indicator"] = kept if kept in options else presentation.DEFAULT_INDICATOR
    with side_col:
        indicator = st.radio(t("Indicator"), list(options), format_func=options.get, key="p_indicator")
    st.session_state["_p_indicator"] = indicator
else:
    indicator = st.session_state.get("_p_indicator", presentation.DEFAULT_INDICATOR)

view = presentation.presentation(
    current.data, current.areas, counts=lambda level, f: ui.area_counts(current, level, f), filters=filters,
    wijk=ui.selected_wijk(current), indicator=indicator, method=st.session_state.get("m_method", "quantiles"),
    admin=admin, lang=lang, filters_text=ui.describe_filters(filters, current), slide=slide,
    per_period=lambda level, f: ui.counts_per_period(current, level, f),
    trend_indicator=st.session_state.get("p_trend", st.session_state.get("_p_trend", indicator)),
    alerts=ui.alerts_source(current, filters, admin=admin))


def step(by: int) -> None:
    """Go to the previous (-1) or next (+1) wijk; the city is the first step."""
    at = view.steps.index(view.wijk) if view.wijk in view.steps else 0
    ui.select_wijk(view.steps[(at + by) % len(view.steps)])


with top:
    back.page_link("pages/kaart.py", label=t("Terug naar de kaart"), icon=":material/arrow_back:")
    prev.button(t("◀ vorige"), key="p_prev", width="stretch", on_click=step, args=(-1,))
    nxt.button(t("volgende ▶"), key="p_next", width="stretch", on_click=step, args=(1,))
    title.markdown(f"<h1 class='cohesie-title'>{ui.escape(view.title)}</h1>"
                   f"<p class='cohesie-subtitle'>{ui.escape(view.subtitle)}</p>", unsafe_allow_html=True)

if view.slide == "kaart":
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

elif view.slide == "vergelijk":
    compare = view.compare
    with body:
        if not compare.panels:
            st.info(t("Zet een laag aan om de wijken te vergelijken."))
        else:
            for col, panel in zip(st.columns(len(compare.panels)), compare.panels):
                col.metric(panel.label, panel.text, delta=panel.summary or None, delta_color="off",
                           delta_arrow="off")
            st.altair_chart(presentation.compare_chart(view), width="content")
            st.caption(" ".join(x for x in (compare.rank_note, compare.note) if x))

elif view.slide == "opvallend":
    block = view.opvallend
    with body:
        if block is None or block.error:
            st.info(block.error if block is not None else t("Zet de laag signalen aan."))
        else:
            st.markdown(f"<p class='cohesie-sentence'>{ui.escape(block.sentence)}</p>", unsafe_allow_html=True)
            shown = block.rows if not block.rows.empty else block.tested
            if not shown.empty:
                ui.static_table(shown, block.numbers, max_height=None, font_size="1.45rem", padding=".35rem .9rem")
            st.caption(" ".join([block.reading, *block.notes]))

else:
    slide_view = view.trend
    trend = slide_view.trend
    with side_col:
        if trend is not None:
            st.session_state["p_trend"] = trend.indicator
            chosen = st.radio(t("Indicator"), list(trend.options), format_func=trend.options.get, key="p_trend")
            st.session_state["_p_trend"] = chosen
        if slide_view.measure:
            st.caption(slide_view.measure)
        if slide_view.note:
            st.caption(slide_view.note)
    with sentence_row:
        if slide_view.sentence:
            st.markdown(f"<p class='cohesie-sentence'>{ui.escape(slide_view.sentence)}</p>", unsafe_allow_html=True)
    with chart_col:
        if trend is None or trend.empty:
            st.info(slide_view.empty_text)
        else:
            st.altair_chart(presentation.trend_chart(view), width="stretch")

source, frame = st.columns([2, 3], vertical_alignment="center")
source.caption(view.source)
with frame:
    ui.frame_footer(current)
