"""Wijkfiche: one wijk's figures next to the city, a small map, its records and signals."""

import dataclasses
import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from cohesie import coverage, exports, indicators, maps, settings, spatial, ui, views
from cohesie.i18n import layer_label
from cohesie.layers import LAYERS

current, filters = ui.page_context()
data = current.data
t = ui.translator()

options = views.wijk_options(data.sectors)
codes = list(options)
default = st.session_state.get("selected_wijk")
wijk = st.selectbox(t("Wijk"), codes, format_func=options.get, key="w_wijk",
                    index=codes.index(default) if default in codes else 0)
user = ui.current_user()
radius = 300
everywhere = dataclasses.replace(filters, wijken=())  # the fiche compares with the whole city
table, city = indicators.table_with_city(data.sectors, data.points, level="wijk", filters=everywhere,
                                         radius=radius, area_frames=current.areas,
                                         counts=lambda lv: ui.area_counts(current, lv, everywhere))
month_table = lambda f: ui.signals_per_month(current, f)  # noqa: E731 (counted in the database on PostGIS)
shown, _ = views.protect_signals(table, data.sectors, level="wijk", admin=user.can("admin"))
row, shown_row = table.set_index("code").loc[wijk], shown.set_index("code").loc[wijk]
signals_hidden = str(shown_row["signalen"]) != str(row["signalen"])
st.title(t("Wijkfiche {naam}", naam=row["naam"]))
admin = user.can("admin")
footer = ui.export_header(t("Wijkfiche"), everywhere, current)[1:]
d1, d2, _ = st.columns([1, 1, 3])
d1.download_button(t("Wijkfiche als PDF"), on_click="ignore", mime="application/pdf", key="w_pdf",
                   file_name=f"wijkfiche_{wijk}.pdf",
                   data=lambda: exports.wijkfiche_pdf([views.wijkfiche_page(data, wijk, table, city, everywhere, admin=admin,
                                                                           per_month=month_table)],
                                                      title=t("Wijkfiche"), footer=footer))
d2.download_button(t("Alle wijken als PDF"), on_click="ignore", mime="application/pdf", key="w_pdf_all",
                   file_name="wijkfiches.pdf",
                   data=lambda: exports.wijkfiche_pdf([views.wijkfiche_page(data, w, table, city, everywhere, admin=admin,
                                                                            per_month=month_table)
                                                       for w in codes], title=t("Wijkfiche"), footer=footer))

cols = st.columns(4)
cols[0].metric(t("Inwoners"), f"{int(row['inwoners']):,}".replace(",", " "))
cols[1].metric(t("Oppervlakte"), f"{row['oppervlakte_km2']:.2f} km²".replace(".", ","))
if signals_hidden:
    cols[2].metric(t("Signalen"), str(shown_row["signalen"]), help=t("kleine aantallen worden niet getoond"))
else:
    cols[2].metric(t("Signalen per 1000 inw."), views.format_value(row["signalen_per_1000"], "x"),
                   delta=t("{waarde} t.o.v. stad",
                           waarde=views.format_value(row["signalen_per_1000"] - city["signalen_per_1000"], "x")),
                   delta_color="inverse")
cols[3].metric(t("Inwoners binnen {r} m van meubilair", r=radius), f"{row['dekking_meubilair_pct']:.0f} %",
               delta=t("{waarde} procentpunt t.o.v. stad",
                       waarde=f"{row['dekking_meubilair_pct'] - city['dekking_meubilair_pct']:+.0f}"))

left, right = st.columns([3, 2])
with left:
    columns = ["inwoners_per_km2", *[f"{k}_per_1000" for k in LAYERS if not (signals_hidden and k == "signalen")],
               *coverage.COVERAGE_COLUMNS]
    compare = views.compare_with_city(row, city, columns,
                                      labels=indicators.catalogue_with_coverage(radius, lang=ui.lang()))
    st.dataframe(compare, hide_index=True, width="stretch",
                 column_config={c: t(c) for c in ("indicator", "wijk", "stad", "verhouding")})
with right:
    sel = data.sectors[data.sectors["wijk_code"] == wijk]
    pts = ui.map_points(current, indicators.Filters(
        start=filters.start, end=filters.end, layers=filters.layers, types=filters.types,
        statuses=filters.statuses, wijken=(wijk,)))
    small = maps.small_map(shapes_geojson=spatial.display_geojson(sel, ["code"]), points=pts,
                           assets=ui.map_assets(), tiles=settings.tiles_url(),
                           bounds=views.bounds_latlon(sel))
    st_folium(small, key=f"wijkkaart_{wijk}", height=330, use_container_width=True, returned_objects=[])

st.subheader(t("Signalen per maand"))
per_month = ui.signals_per_month(current, indicators.Filters(
    start=filters.start, end=filters.end, types=filters.types, statuses=filters.statuses, wijken=(wijk,)))
hidden = 0
if not user.can("admin"):
    per_month, hidden = views.protect_month_table(per_month)
if per_month.empty:
    st.write(t("Geen signalen in deze periode."))
else:
    st.bar_chart(per_month, height=280)
    if hidden:
        st.caption(t("{n} maand-categoriecellen met 1 tot 4 signalen (en cellen waaruit ze terug te rekenen zijn) "
                     "zijn weggelaten om bewoners te beschermen.", n=hidden))

year = dt.date.today().year
pleinmakers = current.index.of_layer("pleinmakers")  # not a scan of every signal
late = indicators.pleinmakers_without_action(pleinmakers[pleinmakers["wijk_code"] == wijk], data.acties, year=year)
for layer in ("pleinmakers", "projecten", "meubilair", "actoren"):
    records = views.records_in_wijk(current.index.of_layer(layer), layer, wijk, filters)
    st.subheader(f"{layer_label(layer, ui.lang())} ({len(records)})")
    if layer == "pleinmakers" and len(late):
        st.warning(t("Zonder actie in {jaar}: {namen}", jaar=year, namen=", ".join(late["naam"])))
    if layer == "pleinmakers":
        ui.action_form(data, wijk)
    if records.empty:
        st.write(t("Geen."))
    else:
        st.dataframe(records, hide_index=True, width="stretch")
