"""The faster paths of a Kaart rerun (issue 15, item 2) give what the plain pandas code gave:
the early warning's rows (order and filters), a sector's wijk, the pleinmakers' flags, the
overlay kept per view and the selection kept per data version."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_helpers import grid_sectors

from cohesie import maps, mapview, spatial, statmap, surveillance, views
from cohesie.indicators import Filters


def _reference_flagged(table, sectors, *, level, filters, min_excess):
    """The early warning's rows as the pandas code selected and ordered them before."""
    flagged = table[statmap.flags(table, min_excess=min_excess)]
    types = tuple(filters.types.get("signalen", ()) or ())
    if types:
        flagged = flagged[flagged["categorie"].isin(types)]
    if filters.wijken:
        if level == "wijk":
            flagged = flagged[flagged["code"].isin(filters.wijken)]
        else:
            wijk_of = sectors[["code", "wijk_code"]].drop_duplicates("code").set_index("code")["wijk_code"].astype(str)
            flagged = flagged[flagged["code"].map(wijk_of).isin(filters.wijken)]
    return flagged.sort_values(["overschot", "code", "categorie"], ascending=[False, True, True], kind="stable")


SECTORS = grid_sectors(4, per_wijk=2)  # 16 sectors S00..S33 in 8 wijken
FRAMES = views.area_frames(SECTORS)
CENTROIDS = {level: spatial.centroids_lonlat(f) for level, f in FRAMES.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(SECTORS["code"])), st.sampled_from(["zwerfvuil", "hangjongeren", "wildplassen"]),
                          st.integers(0, 12), st.sampled_from([0.001, 0.02, 0.2])), min_size=1, max_size=30,
                unique_by=lambda r: (r[0], r[1])),
       st.lists(st.sampled_from(sorted(set(SECTORS["wijk_code"]))), max_size=3, unique=True),
       st.lists(st.sampled_from(["zwerfvuil", "hangjongeren", "wildplassen"]), max_size=2, unique=True),
       st.sampled_from([0.0, 3.0, 6.0]))
def test_early_warning_rows_equal_the_pandas_selection_and_order(rows, wijken, types, min_excess):
    """Ties in the excess are ordered by code, then category, as the stable pandas sort did."""
    names = dict(zip(SECTORS["code"], SECTORS["naam"]))
    table = pd.DataFrame({
        "code": [r[0] for r in rows], "naam": [names[r[0]] for r in rows], "categorie": [r[1] for r in rows],
        "periode": "2025-12", "waargenomen": [r[2] + 5 for r in rows], "verwacht": 5.0,
        "p_waarde": [r[3] for r in rows], "opvallend": False, "p_gecorrigeerd": [r[3] for r in rows],
        "overschot": [float(r[2]) for r in rows], "model": "poisson", "opmerking": ""})
    result = surveillance.Alerts(table=table, shown=table, period="2025-12", method="")
    filters = Filters(layers=("signalen",), wijken=tuple(wijken), types={"signalen": tuple(types)})
    warning = statmap.early_warning(result, SECTORS, CENTROIDS["sector"], area_frame=FRAMES["sector"],
                                    level="sector", per="month", filters=filters, min_excess=min_excess, admin=True)
    expected = _reference_flagged(table, SECTORS, level="sector", filters=filters, min_excess=min_excess)
    first = warning.rows.columns[0]
    assert warning.rows[first].tolist() == [f"{n} ({c})" for n, c in zip(expected["naam"], expected["code"])]
    assert warning.rows[warning.rows.columns[1]].tolist() == expected["categorie"].tolist()
    assert warning.codes == sorted(set(expected["code"]))
    # each marker at its area's centroid
    at = dict(zip(FRAMES["sector"]["code"], zip(CENTROIDS["sector"]["lat"], CENTROIDS["sector"]["lon"])))
    for code, lat, lon in zip(warning.markers["code"], warning.markers["lat"], warning.markers["lon"]):
        assert (lat, lon) == pytest.approx(at[code])


def test_wijk_of_sectors_takes_the_first_row_of_a_repeated_code():
    sectors = pd.DataFrame({"code": ["A", "B", "A", "C"], "wijk_code": ["W1", "W2", "W9", "W1"]})
    got = views.wijk_of_sectors(sectors)
    reference = sectors.drop_duplicates("code").set_index("code")["wijk_code"]
    pd.testing.assert_series_equal(got, reference)
    assert got.to_dict() == {"A": "W1", "B": "W2", "C": "W1"}


def test_pleinmakers_without_action_are_flagged_whatever_the_type_of_their_ids():
    shown = pd.DataFrame({"id": np.array([1, 2, 3, 4], dtype="int64"),
                          "layer": ["pleinmakers", "meubilair", "pleinmakers", "pleinmakers"]})
    out = views.flag_pleinmakers(shown, None, None, year=2026, note="geen actie", late={1, 2, 4})
    # 2 is furniture: never flagged; 3 had an action
    assert out["opmerking_kaart"].tolist() == ["geen actie", "", "", "geen actie"]
    assert views.flag_pleinmakers(shown.head(0), None, None, year=2026, note="x", late={1})["opmerking_kaart"].empty


def _view():
    from cohesie.ui import Loaded
    from cohesie.counting import PointIndex
    from cohesie.dataset import Dataset
    from stats_helpers import X0, Y0, signal_points

    rng = np.random.default_rng(3)
    n = 400
    x, y = X0 + rng.uniform(0, 2000, n), Y0 + rng.uniform(0, 2000, n)
    sector = spatial.sector_of_points(x, y, SECTORS)
    wijk = pd.Series(sector).map(dict(zip(SECTORS["code"], SECTORS["wijk_code"]))).to_numpy()
    points = signal_points(x=x, y=y, datum=[pd.Timestamp("2025-06-01")] * n, type_=["zwerfvuil"] * n, sector=sector,
                           wijk_code=wijk)
    acties = pd.DataFrame({"pleinmaker_id": pd.Series(dtype=object), "datum": pd.Series(dtype="datetime64[ns]")})
    data = Dataset(sectors=SECTORS, points=points, acties=acties, meta={"gemeente": "Proefstad", "nis": "11111"},
                   imports=pd.DataFrame(columns=["tijdstip"]))
    current = Loaded(data, FRAMES, {}, views.bounds_latlon(SECTORS), index=PointIndex(points, SECTORS),
                     centroids=CENTROIDS)
    return current, mapview.map_view(current, Filters(layers=("signalen",)), indicator="signalen_per_1000",
                                     level="sector", method="quantiles", admin=False, year=2026)


def test_the_kaart_overlay_is_made_once_per_view_and_equals_the_map_builder_s():
    from cohesie import ui

    _, view = _view()
    w = view.warning
    direct = maps.overlay(level=view.level, styles=view.styles, highlight=view.highlight, points=view.points,
                          signal_counts=view.circles, layer_labels=view.layer_names, signal_word=view.signal_word,
                          alerts=w.markers, flagged=w.codes, flag_colour=statmap.ALERT_COLOUR)
    first, second = ui.kaart_overlay(view), ui.kaart_overlay(view)
    payload = lambda fg: next(iter(fg._children.values())).payload_js  # noqa: E731
    assert payload(first) == payload(direct)
    assert "overlay" in view.memo and payload(second) is view.memo["overlay"]
    assert first is not second  # st_folium attaches the layer it gets to its map: a new one per rerun
    assert '"styles"' in payload(first) and len(view.styles) == 16


def test_the_wijk_selection_is_kept_per_data_version_and_language():
    from cohesie import ui

    current, _ = _view()
    wijk = str(SECTORS["wijk_code"].iloc[0])
    nl = ui.wijk_selection(current, wijk, "nl")
    assert nl == mapview.selection_of_wijk(SECTORS, wijk, lang="nl")
    assert ui.wijk_selection(current, wijk, "nl") is nl
    en = ui.wijk_selection(current, wijk, "en")
    assert en.text != nl.text and en.inhabitants == nl.inhabitants
    assert ui.wijk_selection(current, None, "nl") is None
