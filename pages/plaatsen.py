"""Plaatsing: where should the next gevelbank, picknicktafel or boekenruilkast go?

Click the map to test a spot, ask for suggestions, save proposals and move them through
voorstel → goedgekeurd → geplaatst. Viewing is open; saving needs an editor login.
"""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cohesie import coverage, edits, maps, settings, spatial, suggest, ui, views
from cohesie.indicators import Filters
from cohesie.errors import CohesieError
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS
from cohesie.storage import ConflictError

current, filters = ui.page_context()
data = current.data
store = ui.store()
user = ui.current_user()
can_edit = bool(user.username) and user.can("editor")
t = ui.translator()
ui.preload_suggestions()

st.title(t("Plaatsing van meubilair en projecten"))
c1, c2, c3 = st.columns([2, 2, 2])
ftype = c1.selectbox(t("Type meubilair"), list(LAYERS["meubilair"].types), key="pl_type")
radius = c2.number_input(t("Bereik (meter)"), min_value=50, max_value=2000, value=300, step=50, key="pl_radius")
show_gaps = c3.toggle(t("Toon de gaten (waar inwoners buiten bereik wonen)"), value=False, key="pl_gaps")

city = coverage.coverage_per_area(data.sectors, data.points, level="gemeente", radius=radius, types=ftype)
per_sector = coverage.coverage_per_area(data.sectors, data.points, level="sector", radius=radius, types=ftype)
naam = dict(zip(data.sectors["code"], data.sectors["naam"]))
per_sector["naam"] = per_sector["code"].map(naam)
st.metric(t("Inwoners binnen {r} m van een {type}", r=radius, type=ftype),
          f"{city['dekking_pct'].iloc[0]:.1f} %".replace(".", ","),
          help=t("Bevolking gelijk gespreid over de oppervlakte van elke sector."))

styles, classes = views.choropleth(per_sector, indicator="dekking_pct", method="equal_interval")
fg = maps.overlay(level="sector", styles={} if show_gaps else styles,
                  wijk_of_sector=dict(zip(data.sectors["code"], data.sectors["wijk_code"])), highlight=[],
                  points=views.points_for_map(data.points, Filters(layers=("meubilair",), types={"meubilair": (ftype,)})),
                  signal_counts=None)
gaps = None
if show_gaps:
    holes = coverage.uncovered_areas(data.sectors, data.points, radius=radius, types=ftype)
    gaps = spatial.display_geojson(holes, ["code"]) if len(holes) else None
click = st.session_state.get("pl_click")
suggestions = st.session_state.get("pl_suggestions")
maps.add_placement_marks(fg, click=click, radius_m=radius, gaps_geojson=gaps,
                         suggestions=None if suggestions is None else suggestions.rename(columns={"winst_inwoners": "winst"}))
base = maps.base_map(bounds=current.bounds, sectors_url=current.urls["sector"], wijken_url=current.urls["wijk"],
                     assets=ui.map_assets(), tiles=settings.tiles_url())
left, right = st.columns([3, 2])
with left:
    result = st_folium(base, key="plaatsen", feature_group_to_add=fg, height=560, use_container_width=True,
                       returned_objects=["last_clicked"])
    if show_gaps:
        ui.legend([("#7a0177", t("buiten bereik (gaten)"))], t("Gaten: verder dan {r} m van een {type}",
                                                                 r=radius, type=ftype))
    else:
        ui.legend(classes.legend(), t("Dekking per sector (%), bereik {r} m", r=radius))
    clicked = (result or {}).get("last_clicked")
    # the map keeps returning its last click: act on a click once, so that a saved proposal
    # clears the chosen spot instead of bringing it back
    if clicked and (clicked["lat"], clicked["lng"]) != st.session_state.get("pl_seen_click"):
        st.session_state["pl_seen_click"] = (clicked["lat"], clicked["lng"])
        st.session_state["pl_click"] = (clicked["lat"], clicked["lng"])
        st.rerun()

with right:
    st.subheader(t("Gekozen plek"))
    if click is None:
        st.write(t("Klik op de kaart om een plek te testen."))
    else:
        effect = suggest.placement_effect(data.sectors, data.points, click[1], click[0], crs=4326,
                                          furniture_type=ftype, radius=radius)
        if effect.sector is None:
            st.error(t("Deze plek ligt buiten de gemeente. Klik binnen de gemeentegrens."))
        else:
            distance = f"**{effect.afstand_m:.0f} m**" if effect.afstand_m is not None else t("geen")
            st.markdown(
                "- " + t("Sector **{sector}** ({code}), wijk **{wijk}**", sector=ui.escape(effect.sector_naam),
                         code=effect.sector, wijk=ui.escape(effect.wijk_naam)) + "\n"
                "- " + t("Dichtstbijzijnde {type}: {afstand}", type=ftype, afstand=distance) + "\n"
                "- " + t("Inwoners binnen {r} m: **{n}**, waarvan **{nieuw} nieuw** binnen bereik", r=radius,
                         n=f"{effect.inwoners_bereik:.0f}", nieuw=f"{effect.nieuw_bereik:.0f}"))
            if can_edit:
                with st.form("pl_propose"):
                    name = st.text_input(t("Naam of adres"), key="pl_name")
                    note = st.text_area(t("Opmerking"), key="pl_note")
                    if st.form_submit_button(t("Bewaar als voorstel")):
                        try:
                            rec = edits.propose(store, data.sectors, ui.auth_token(), layer="meubilair",
                                                type_=ftype, naam=name, lat=click[0], lon=click[1], note=note)
                            st.success(t("Voorstel {id} bewaard.", id=rec["id"]))
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
                found = suggest.suggest_sites(data.sectors, data.points, n=int(n), radius=radius,
                                              furniture_type=ftype, weight_by_signals=weighted,
                                              start=filters.start, end=filters.end)
                st.session_state["pl_suggestions"] = pd.DataFrame(found.drop(columns="geometry"))
            except CohesieError as err:
                st.error(str(err))
        st.rerun()
    if suggestions is not None:
        if suggestions.empty:
            st.write(t("Geen plek voegt nog inwoners toe binnen dit bereik."))
        for row in suggestions.itertuples(index=False):
            cols = st.columns([3, 2])
            cols[0].markdown(t("**{rang}.** {wijk}: +{winst} inwoners", rang=int(row.rang),
                               wijk=ui.escape(row.wijk_naam), winst=f"{row.winst_inwoners:.0f}"))
            if can_edit and cols[1].button(t("Maak voorstel"), key=f"pl_make_{int(row.rang)}"):
                try:
                    rec = edits.propose(store, data.sectors, ui.auth_token(), layer="meubilair", type_=ftype,
                                        naam=f"Suggestie {int(row.rang)} ({row.wijk_naam})", x=row.x, y=row.y,
                                        note=f"+{row.winst_inwoners:.0f} inwoners binnen {radius} m")
                    st.success(t("Voorstel {id} bewaard.", id=rec["id"]))
                    st.rerun()
                except CohesieError as err:
                    st.error(str(err))

st.subheader(t("Bestaand meubilair en projecten beheren"))
records = data.points[data.points["layer"].isin(["meubilair", "projecten"])].sort_values(["layer", "naam"])
labels = {f"{r.layer}|{r.id}": f"{layer_label(r.layer, ui.lang())}: {r.naam} ({r.status})"
          for r in records.itertuples()}
choice = st.selectbox(t("Record"), list(labels), format_func=labels.get, key="pl_record", index=None,
                      placeholder=t("kies een record"))
if choice:
    layer, record_id = choice.split("|", 1)
    rec = store.get_point(layer, record_id)
    st.write(t("Status **{status}**, versie {versie}, laatst gewijzigd {wanneer}.", status=rec["status"],
               versie=rec["version"], wanneer=rec["updated_at"]))
    if can_edit:
        targets = [s for s in (*edits.TRANSITIONS.get(rec["status"], ()), "verwijderd") if s != rec["status"]]
        cols = st.columns(len(targets) + 1)
        for col, status in zip(cols, targets):
            label = t("Buiten gebruik (verwijderd)") if status == "verwijderd" else f"→ {status}"
            if col.button(label, key=f"pl_status_{status}"):
                try:
                    edits.set_status(store, ui.auth_token(), layer=layer, record_id=record_id, status=status,
                                     expected_version=rec["version"])
                    st.rerun()
                except ConflictError as err:
                    st.error(str(err))
                    st.json(err.current)
                except CohesieError as err:
                    st.error(str(err))
        if click is not None and cols[-1].button(t("Verplaats naar de gekozen plek"), key="pl_move"):
            try:
                edits.move(store, data.sectors, ui.auth_token(), layer=layer, record_id=record_id,
                           expected_version=rec["version"], lat=click[0], lon=click[1])
                st.rerun()
            except CohesieError as err:
                st.error(str(err))
        with st.expander(t("Verplaats naar coördinaten")):
            lat = st.number_input(t("Breedtegraad"), value=None, format="%.6f", key="pl_lat")
            lon = st.number_input(t("Lengtegraad"), value=None, format="%.6f", key="pl_lon")
            if st.button(t("Verplaats"), key="pl_move_xy"):
                try:
                    edits.move(store, data.sectors, ui.auth_token(), layer=layer, record_id=record_id,
                               expected_version=rec["version"], lat=lat, lon=lon)
                    st.rerun()
                except CohesieError as err:
                    st.error(str(err))
    st.markdown(f"**{t('Geschiedenis')}**")
    st.dataframe(store.history(layer, record_id), hide_index=True, width="stretch")
