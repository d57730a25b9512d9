"""Plaatsing: where should the next gevelbank, picknicktafel or boekenruilkast go?

Click the map to test a spot, ask for suggestions, save proposals and move them through
voorstel → goedgekeurd → geplaatst. Viewing is open; saving needs an editor login.
Every save is confirmed by a toast on the run after it (the rerun that shows the saved data
would wipe a message shown before it); a proposal is saved once however often it is clicked
(:func:`cohesie.edits.propose_once`); the record picker keeps its record by id.
"""

import streamlit as st
from streamlit_folium import st_folium

from cohesie import edits, maps, placement, settings, statview, ui
from cohesie.errors import CohesieError
from cohesie.layers import LAYERS
from cohesie.storage import ConflictError

current, filters = ui.page_context()
data = current.data
store = ui.store()
user = ui.current_user()
can_edit = bool(user.username) and user.can("editor")
t = ui.translator()
lang = ui.lang()
ui.preload_suggestions()
ui.show_toasts()


def saved(rec: dict, what: str, *, created: bool = True, select: bool = False) -> None:
    """Confirm a save on the next run and (``select``) show the saved record in the picker."""
    ui.toast_after_rerun(placement.saved_message(rec, lang=lang, what=what, created=created),
                         icon=":material/check_circle:" if created else ":material/info:")
    if select:
        st.session_state["pl_record_id"] = placement.record_key(rec)


def apply_change(change, what: str, *, drop_click: bool = False) -> None:
    """Save one change of the chosen record and confirm it on the next run; or say why it was
    refused (someone else saved the record in between: what is saved now)."""
    try:
        new = change()
    except ConflictError as err:
        st.error(str(err))
        st.info(placement.conflict_message(err.current, lang=lang))
        return
    except CohesieError as err:
        st.error(str(err))
        return
    saved(new, what)
    if drop_click:
        st.session_state.pop("pl_click", None)
    st.rerun()


st.title(t("Plaatsing van meubilair en projecten"))
c1, c2, c3 = st.columns([2, 2, 2])
ftype = c1.selectbox(t("Type meubilair"), list(LAYERS["meubilair"].types), key="pl_type")
radius = c2.number_input(t("Bereik (meter)"), min_value=50, max_value=2000, value=300, step=50, key="pl_radius")
show_gaps = c3.toggle(t("Toon de gaten"), value=False, key="pl_gaps",
                      help=t("Toont wat verder ligt dan het bereik van elk meubel van dit type."))
click = st.session_state.get("pl_click")

view = placement.placement_view(data, furniture_type=ftype, radius=radius, show_gaps=show_gaps, click=click,
                                suggestions=st.session_state.get("pl_suggestions"), lang=lang)

st.metric(view.coverage_label, view.coverage_value, help=view.coverage_help)
fg = maps.overlay(level="sector", styles=view.styles, highlight=[], points=view.map_points, signal_counts=None)
maps.add_placement_marks(fg, click=click, radius_m=radius, gaps_geojson=view.gaps_geojson,
                         suggestions=view.suggestions_for_map, click_label=view.click_label)
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"], wijken_url=current.urls["wijk"],
                     assets=ui.map_assets(), tiles=settings.tiles_url())
left, right = st.columns([3, 2])
with left:
    result = st_folium(base, key="plaatsen", feature_group_to_add=fg, height=560, use_container_width=True,
                       returned_objects=["last_clicked"])
    ui.legend(view.legend, view.legend_title)
    clicked = (result or {}).get("last_clicked")
    # the map keeps returning its last click: act on a click once, so that a saved proposal
    # clears the chosen spot instead of bringing it back
    if clicked and (clicked["lat"], clicked["lng"]) != st.session_state.get("pl_seen_click"):
        st.session_state["pl_seen_click"] = (clicked["lat"], clicked["lng"])
        st.session_state["pl_click"] = (clicked["lat"], clicked["lng"])
        st.rerun()

with right:
    st.subheader(t("Gekozen plek"))
    spot = view.spot
    if spot is None:
        st.write(t("Klik op de kaart om een plek te testen."))
    elif spot.error:
        st.error(spot.error)
    else:
        st.markdown("\n".join(f"- {line}" for line in spot.lines))
        if can_edit:
            with st.form("pl_propose"):
                name = st.text_input(t("Naam of adres"), key="pl_name")
                note = st.text_area(t("Opmerking"), key="pl_note")
                if st.form_submit_button(t("Bewaar als voorstel")):
                    try:
                        rec, created = edits.propose_once(
                            store, data.sectors, ui.auth_token(),
                            key=edits.spot_key(layer="meubilair", type_=ftype, lat=spot.lat, lon=spot.lon, naam=name),
                            layer="meubilair", type_=ftype, naam=name, lat=spot.lat, lon=spot.lon, note=note)
                        saved(rec, "Voorstel bewaard", created=created, select=True)
                        st.session_state.pop("pl_click", None)
                        st.rerun()
                    except CohesieError as err:
                        st.error(str(err))
        else:
            ui.require_editor()

    st.subheader(t("Suggesties"))
    n = st.number_input(t("Aantal locaties"), min_value=1, max_value=20, value=3, key="pl_n")
    weighted = st.checkbox(t("Weeg met signalen per 1000 inwoners"), key="pl_weight")
    if st.button(t("Stel {n} locaties voor", n=n), key="pl_suggest"):
        with st.spinner(t("Locaties berekenen…")):
            try:
                st.session_state["pl_suggestions"] = placement.suggestions(
                    data, n=int(n), radius=radius, furniture_type=ftype, filters=filters,
                    signals=ui.signal_records(current) if weighted else None)
            except CohesieError as err:
                st.error(str(err))
        st.rerun()
    if view.suggestions is not None:
        if not view.suggestions:
            st.write(view.no_suggestion_text)
        for row in view.suggestions:
            cols = st.columns([3, 2])
            cols[0].markdown(row.text)
            if row.proposed:
                cols[0].caption(t("Voorstel gemaakt: {record}", record=ui.escape(row.proposed)))
            if can_edit and cols[1].button(t("Voorstel gemaakt") if row.proposed else t("Maak voorstel"),
                                           key=f"pl_make_{row.rang}", disabled=bool(row.proposed)):
                try:
                    rec, created = edits.propose_once(store, data.sectors, ui.auth_token(), key=row.key,
                                                      **row.proposal)
                    saved(rec, "Voorstel bewaard", created=created, select=True)
                    st.rerun()
                except CohesieError as err:
                    st.error(str(err))

st.subheader(t("Bestaand meubilair en projecten beheren"))


def _keep_record():
    # the picker sends its label; kept as the record's key, a new label (status) cannot move it
    st.session_state["pl_record_id"] = st.session_state.get("pl_record")


kept = st.session_state.get("pl_record_id")
st.session_state["pl_record"] = kept if kept in view.records else None
choice = st.selectbox(t("Record"), list(view.records), format_func=view.records.get, key="pl_record", index=None,
                      placeholder=t("kies een record"), on_change=_keep_record)
rec = store.get_point(*choice.split("|", 1)) if choice else None
if choice and rec is None:
    st.warning(t("Dit record bestaat niet meer; kies een ander."))
if rec is not None:
    layer, record_id = rec["layer"], rec["id"]
    panel = placement.record_panel(rec, store.history(layer, record_id), lang=lang, sectors=data.sectors,
                                   effect=ui.effect_source(current), admin=user.can("admin"),
                                   radius=st.session_state.get("pl_effect_radius", 300),
                                   months=st.session_state.get("pl_effect_months", 24),
                                   window=ui.statistics_window(current))
    st.markdown(f"**{ui.escape(panel.label)}**")
    st.write(panel.summary)
    # a change applies to the version the user saw on the last run, so a save by someone else
    # in between is reported (ConflictError) instead of silently overwritten
    seen_version = st.session_state.get("pl_seen_version", {}).get(panel.key, panel.version)
    st.session_state["pl_seen_version"] = {panel.key: panel.version}
    if can_edit:
        row = st.container(horizontal=True)  # buttons keep their order and place (see STATUS_ORDER)
        for status, label, allowed in panel.targets:
            if row.button(label, key=f"pl_status_{status}", disabled=not allowed):
                apply_change(lambda status=status: edits.set_status(
                    store, ui.auth_token(), layer=layer, record_id=record_id, status=status,
                    expected_version=seen_version), "Verwijderd" if status == "verwijderd" else "Status gewijzigd")
        if click is not None and row.button(t("Verplaats naar de gekozen plek"), key="pl_move"):
            apply_change(lambda: edits.move(store, data.sectors, ui.auth_token(), layer=layer, record_id=record_id,
                                            expected_version=seen_version, lat=click[0], lon=click[1]),
                         "Verplaatst", drop_click=True)
        with st.expander(t("Verplaats naar coördinaten")):
            lat = st.number_input(t("Breedtegraad"), value=None, format="%.6f", key="pl_lat")
            lon = st.number_input(t("Lengtegraad"), value=None, format="%.6f", key="pl_lon")
            if st.button(t("Verplaats"), key="pl_move_xy"):
                apply_change(lambda: edits.move(store, data.sectors, ui.auth_token(), layer=layer,
                                                record_id=record_id, expected_version=seen_version, lat=lat, lon=lon),
                             "Verplaatst")
    st.markdown(f"**{t('Werkt het?')}**")
    if panel.effect is None:
        st.caption(panel.effect_none)
    else:
        e1, e2, _ = st.columns([1, 1, 3])
        e1.number_input(t("Straal (meter)"), min_value=50, max_value=2000, value=300, step=50, key="pl_effect_radius")
        e2.number_input(t("Maanden voor en na"), min_value=1, max_value=60, value=24, step=1, key="pl_effect_months")
        if panel.effect.error:
            st.info(panel.effect.error)
        else:
            st.markdown(ui.escape(panel.effect.sentence))
            if not panel.effect.empty:
                st.altair_chart(statview.effect_chart(panel.effect, lang, height=260), width="stretch")
            st.caption(" ".join(x for x in [panel.effect.note, *panel.effect.notes, panel.effect.totals] if x))
    st.markdown(f"**{t('Geschiedenis')}**")
    if panel.history:
        st.markdown("\n".join(f"- {ui.escape(str(line))}" for line in panel.history))
    else:
        st.caption(t("Nog geen wijzigingen bewaard."))
