"""Indicators on a tiny municipality whose every figure is worked out by hand below.

Four sectors (EPSG:31370), three deelgemeenten, two wijken; wijk W2 lies in two deelgemeenten::

    sector     naam    deelgemeente  wijk  inwoners  km²
    11111A00-  Noord   11111A        W1    1000      1
    11111A01-  Midden  11111A        W1     500      1
    11111B00-  Zuid    11111B        W2       0      1
    11111C00-  Oost    11111C        W2     250      2

The period used most is 2024-01-01 .. 2024-12-31. Furniture counts when placed and projects
when running or finished (m3 is a proposal, counted apart as ``meubilair_voorstel``; p3 is
planned); ``STATUS_RECORDS`` further down holds one record per status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import geopandas as gpd
from shapely.geometry import box

from cohesie import areas, counting, coverage, dataset, indicators
from cohesie.indicators import Filters
from cohesie.layers import COUNTED_STATUSES, LAYERS, PROPOSAL_STATUSES
from cohesie.storage import POINT_COLUMNS, Store, open_store

X0, Y0 = 150_000, 190_000
CENTRE = {"11111A00-": (X0 + 500, Y0 + 500), "11111A01-": (X0 + 1500, Y0 + 500),
          "11111B00-": (X0 + 2500, Y0 + 500), "11111C00-": (X0 + 3500, Y0 + 1000)}
WIJK = {"11111A00-": "W1", "11111A01-": "W1", "11111B00-": "W2", "11111C00-": "W2"}
PERIOD = Filters(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-12-31"))


def make_sectors() -> gpd.GeoDataFrame:
    """Sectors as :meth:`Store.load` returns them (wijk and inhabitants attached)."""
    return gpd.GeoDataFrame(
        {
            "code": ["11111A00-", "11111A01-", "11111B00-", "11111C00-"],
            "naam": ["Noord", "Midden", "Zuid", "Oost"],
            "deelgemeente": ["11111A", "11111A", "11111B", "11111C"],
            "deelgemeente_naam": ["Stad", "Stad", "Dorp", "Gehucht"],
            "nis": ["11111"] * 4,
            "gemeente_naam": ["Proefstad"] * 4,
            "wijk_code": ["W1", "W1", "W2", "W2"],
            "wijk_naam": ["Wijk een", "Wijk een", "Wijk twee", "Wijk twee"],
            "inwoners": np.array([1000, 500, 0, 250], dtype="int64"),
        },
        geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
                  box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000), box(X0 + 3000, Y0, X0 + 4000, Y0 + 2000)],
        crs=31370,
    )


# layer, id, type, status, datum, einddatum, sector (or None), wijk (for records without a point)
RECORDS = [
    ("signalen", "s1", "zwerfvuil", "open", "2024-03-01", None, "11111A00-", None),
    ("signalen", "s2", "zwerfvuil", "open", "2023-12-31", None, "11111A00-", None),  # before
    ("signalen", "s3", "wildplassen", "afgesloten", "2024-12-31", None, "11111A01-", None),  # last day
    ("signalen", "s4", "zorgsignaal", "open", "2024-06-01", None, "11111B00-", None),
    ("signalen", "s5", "zwerfvuil", "verwijderd", "2024-05-01", None, "11111A00-", None),  # never
    ("signalen", "s6", "zorgsignaal", "open", "2024-02-02", None, None, "W1"),  # wijk only
    ("signalen", "s7", "burenoverlast", "open", "2024-02-02", None, None, "W2"),  # wijk only, 2 dg
    ("signalen", "s8", "zwerfvuil", "open", None, None, "11111C00-", None),  # no date
    ("signalen", "s9", "zwerfvuil", "open", "2025-01-01", None, "11111C00-", None),  # after
    ("meubilair", "m1", "gevelbank", "geplaatst", "2020-01-01", None, "11111A00-", None),
    ("meubilair", "m2", "gevelbank", "geplaatst", "2025-02-01", None, "11111A01-", None),  # later
    ("meubilair", "m3", "picknicktafel", "voorstel", None, None, "11111B00-", None),  # proposal
    ("meubilair", "m4", "gevelbank", "verwijderd", "2023-01-01", None, "11111C00-", None),
    ("projecten", "p1", "burendag", "afgerond", "2023-01-01", "2023-12-31", "11111A00-", None),
    ("projecten", "p2", "burendag", "afgerond", "2023-01-01", "2024-01-01", "11111A00-", None),
    ("projecten", "p3", "ontmoeting", "gepland", "2024-12-31", None, "11111C00-", None),  # planned
    ("projecten", "p4", "jeugdwerking", "lopend", "2024-05-01", None, None, "W2"),
    ("pleinmakers", "pm1", "pleinmaker", "actief", None, None, "11111A01-", None),
    ("actoren", "a1", "school", "actief", None, None, None, "W1"),
    ("actoren", "a2", "zorg", "inactief", "2010-01-01", None, "11111B00-", None),
]


def make_points(records=RECORDS) -> pd.DataFrame:
    """Records in the shape :meth:`Store.read_points` returns (x/y in EPSG:31370)."""
    rows = []
    for layer, rid, typ, status, datum, einde, sector, wijk in records:
        x, y = CENTRE[sector] if sector else (np.nan, np.nan)
        rows.append({"layer": layer, "id": rid, "naam": f"naam {rid}", "type": typ, "status": status,
                     "datum": datum, "einddatum": einde, "wijk_ref": wijk, "x": x, "y": y,
                     "sector": sector, "wijk_code": WIJK[sector] if sector else wijk})
    frame = pd.DataFrame(rows).reindex(columns=[*POINT_COLUMNS, "version", "updated_at"])
    for col in ("datum", "einddatum"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


@pytest.fixture
def sectors():
    return make_sectors()


@pytest.fixture
def points():
    return make_points()


def counts(table: pd.DataFrame) -> dict:
    cols = [*LAYERS, "zorgsignalen", "meubilair_voorstel"]
    return {code: dict(zip(cols, row)) for code, row in zip(table["code"], table[cols].to_numpy().tolist())}


def c(pleinmakers=0, meubilair=0, projecten=0, signalen=0, actoren=0, zorgsignalen=0,
      meubilair_voorstel=0) -> dict:
    return {"pleinmakers": pleinmakers, "meubilair": meubilair, "projecten": projecten,
            "signalen": signalen, "actoren": actoren, "zorgsignalen": zorgsignalen,
            "meubilair_voorstel": meubilair_voorstel}


# -- counts per level in the period ----------------------------------------------------------
def test_sector_counts(sectors, points):
    table = indicators.per_area(sectors, points, level="sector", filters=PERIOD)
    assert counts(table) == {
        "11111A00-": c(signalen=1, meubilair=1, projecten=1),  # s1, m1, p2 (ends on start day)
        "11111A01-": c(signalen=1, pleinmakers=1),  # s3 on the last day; m2 placed after
        "11111B00-": c(signalen=1, zorgsignalen=1, meubilair_voorstel=1, actoren=1),  # s4, m3, a2
        "11111C00-": c(),  # p3 only planned; s8 undated, s9 after, m4 removed
    }
    # records with only a wijk never land in a sector
    assert table["signalen"].sum() == 3


def test_wijk_counts_include_wijk_only_records(sectors, points):
    table = indicators.per_area(sectors, points, level="wijk", filters=PERIOD)
    assert counts(table) == {
        "W1": c(signalen=3, zorgsignalen=1, meubilair=1, projecten=1, pleinmakers=1, actoren=1),
        "W2": c(signalen=2, zorgsignalen=1, meubilair_voorstel=1, projecten=1, actoren=1),  # p4
    }
    assert table["naam"].tolist() == ["Wijk een", "Wijk twee"]


def test_deelgemeente_counts_wijk_only_records_when_wijk_lies_in_one(sectors, points):
    table = indicators.per_area(sectors, points, level="deelgemeente", filters=PERIOD)
    assert counts(table) == {
        "11111A": c(signalen=3, zorgsignalen=1, meubilair=1, projecten=1, pleinmakers=1, actoren=1),
        "11111B": c(signalen=1, zorgsignalen=1, meubilair_voorstel=1, actoren=1),  # s7, p4 (W2) not here
        "11111C": c(),
    }


def test_gemeente_counts_everything_counted(sectors, points):
    table = indicators.per_area(sectors, points, level="gemeente", filters=PERIOD)
    assert counts(table) == {
        "11111": c(signalen=5, zorgsignalen=2, meubilair=1, meubilair_voorstel=1, projecten=2,
                   pleinmakers=1, actoren=2)}
    assert table["naam"].tolist() == ["Proefstad"]


# -- areas, inhabitants and rates ------------------------------------------------------------
def test_area_inhabitants_and_rates_per_wijk(sectors, points):
    t = indicators.per_area(sectors, points, level="wijk", filters=PERIOD).set_index("code")
    assert t["inwoners"].tolist() == [1500, 250]
    assert t["oppervlakte_km2"].tolist() == [2.0, 3.0]
    assert t["inwoners_per_km2"].tolist() == [750.0, 83.3]
    assert t.loc["W1", "signalen_per_1000"] == 2.0  # 3 / 1500 * 1000
    assert t.loc["W2", "signalen_per_1000"] == 8.0  # 2 / 250 * 1000
    assert t.loc["W1", "signalen_per_km2"] == 1.5  # 3 / 2
    assert t.loc["W2", "signalen_per_km2"] == 0.667  # 2 / 3, 3 decimals
    assert t.loc["W2", "projecten_per_1000"] == 4.0  # p4: 1 / 250 * 1000
    assert t.loc["W1", "pleinmakers_per_km2"] == 0.5
    assert t.loc["W2", "pleinmakers_per_1000"] == 0.0


def test_area_without_inhabitants_has_no_rate_per_1000(sectors, points):
    t = indicators.per_area(sectors, points, level="sector", filters=PERIOD).set_index("code")
    zuid = t.loc["11111B00-"]
    assert zuid["inwoners"] == 0 and zuid["inwoners_per_km2"] == 0.0
    assert np.isnan(zuid["signalen_per_1000"]) and np.isnan(zuid["meubilair_per_1000"])
    assert zuid["signalen_per_km2"] == 1.0
    oost = t.loc["11111C00-"]
    assert oost["oppervlakte_km2"] == 2.0 and oost["inwoners_per_km2"] == 125.0
    assert oost["projecten_per_1000"] == 0.0  # p3 is only planned
    planned = Filters(start=PERIOD.start, end=PERIOD.end, statuses={"projecten": ("gepland",)})
    oost = indicators.per_area(sectors, points, level="sector", filters=planned).set_index("code").loc["11111C00-"]
    assert oost["projecten_per_1000"] == 4.0 and oost["projecten_per_km2"] == 0.5  # 1 / 250, 1 / 2


def test_required_columns(sectors, points):
    table = indicators.per_area(sectors, points, level="sector")
    expected = ["code", "naam", "inwoners", "oppervlakte_km2", "inwoners_per_km2", "zorgsignalen",
                "meubilair_voorstel", *LAYERS, *(f"{k}_per_1000" for k in LAYERS), *(f"{k}_per_km2" for k in LAYERS)]
    assert sorted(table.columns) == sorted(expected)


def test_city_reference_from_totals_not_mean_of_rates(sectors, points):
    wijken = indicators.per_area(sectors, points, level="wijk", filters=PERIOD)
    city = indicators.city_reference(wijken)
    assert city["inwoners"] == 1750 and city["oppervlakte_km2"] == 5.0
    assert city["signalen"] == 5 and city["zorgsignalen"] == 2
    assert city["signalen_per_1000"] == 2.857  # 5 / 1750 * 1000, not (2 + 8) / 2
    assert city["signalen_per_km2"] == 1.0
    assert city["inwoners_per_km2"] == 350.0
    gemeente = indicators.city_reference(
        indicators.per_area(sectors, points, level="gemeente", filters=PERIOD))
    pd.testing.assert_series_equal(city, gemeente)


def test_catalogue_names_existing_columns(sectors, points):
    table = indicators.per_area(sectors, points, level="wijk")
    city = indicators.city_reference(table)
    for column in indicators.indicator_catalogue():
        assert column in table.columns and column in city.index


# -- period rules ----------------------------------------------------------------------------
def gemeente(sectors, points, filters):
    return counts(indicators.per_area(sectors, points, level="gemeente", filters=filters))["11111"]


def test_no_period_counts_all_but_removed(sectors, points):
    # signalen: all 9 but s5; meubilair: m1 m2 placed, m3 proposed; projecten: all but planned p3
    assert gemeente(sectors, points, Filters()) == c(signalen=8, zorgsignalen=2, meubilair=2,
                                                      meubilair_voorstel=1, projecten=3,
                                                      pleinmakers=1, actoren=2)


def test_only_start(sectors, points):
    got = gemeente(sectors, points, Filters(start=pd.Timestamp("2024-01-01")))
    # signalen dated on/after start: s1 s3 s4 s6 s7 s9; projecten not ended before start: p2 p4
    assert got == c(signalen=6, zorgsignalen=2, meubilair=2, meubilair_voorstel=1, projecten=2,
                    pleinmakers=1, actoren=2)


def test_only_end(sectors, points):
    got = gemeente(sectors, points, Filters(end=pd.Timestamp("2024-12-31")))
    # signalen dated up to end: s1-s4 s6 s7; meubilair m1 (m3 undated proposal); p1 p2 p4
    assert got == c(signalen=6, zorgsignalen=2, meubilair=1, meubilair_voorstel=1, projecten=3,
                    pleinmakers=1, actoren=2)


def test_removed_never_counts_even_when_selected(sectors, points):
    f = Filters(statuses={"signalen": ("verwijderd", "open")})
    got = gemeente(sectors, points, f)
    assert got["signalen"] == 7  # the open ones s1 s2 s4 s6 s7 s8 s9; s5 never


def test_type_layer_and_wijk_filters(sectors, points):
    f = Filters(start=PERIOD.start, end=PERIOD.end, layers=("signalen", "projecten"),
                types={"signalen": ("zorgsignaal",)})
    assert gemeente(sectors, points, f) == c(signalen=2, zorgsignalen=2, projecten=2)  # p2 p4
    f = Filters(start=PERIOD.start, end=PERIOD.end, wijken=("W2",))
    table = indicators.per_area(sectors, points, level="sector", filters=f)
    assert table["code"].tolist() == ["11111B00-", "11111C00-"]
    wijk = indicators.per_area(sectors, points, level="wijk", filters=f)
    assert counts(wijk) == {"W2": c(signalen=2, zorgsignalen=1, meubilair_voorstel=1, projecten=1,
                                    actoren=1)}


def test_empty_points(sectors):
    table = indicators.per_area(sectors, make_points([]), level="wijk", filters=PERIOD)
    assert table[list(LAYERS)].to_numpy().sum() == 0
    assert table["inwoners"].tolist() == [1500, 250]


# -- helpers used by the pages ---------------------------------------------------------------
def test_key_figures(sectors, points):
    fig = indicators.key_figures(sectors, points, PERIOD)
    assert fig == {"inwoners": 1750, "sectoren": 4, "wijken": 2, "pleinmakers": 1, "meubilair": 1,
                   "projecten": 2, "signalen": 5, "actoren": 2, "meubilair_voorstel": 1}
    fig = indicators.key_figures(sectors, points, Filters(wijken=("W1",), layers=("signalen",)))
    assert fig == {"inwoners": 1500, "sectoren": 2, "wijken": 1, "signalen": 4}  # s1 s2 s3 s6


def test_signals_per_month(sectors, points):
    table = indicators.signals_per_month(points, PERIOD)
    assert table.loc[pd.Timestamp("2024-02-01")].to_dict() == {
        "burenoverlast": 1, "wildplassen": 0, "zorgsignaal": 1, "zwerfvuil": 0}
    assert int(table.to_numpy().sum()) == 5


def test_pleinmakers_without_action(points):
    acties = pd.DataFrame({"pleinmaker_id": ["pm1"], "datum": pd.to_datetime(["2023-05-01"])})
    assert indicators.pleinmakers_without_action(points, acties, year=2024)["id"].tolist() == ["pm1"]
    assert indicators.pleinmakers_without_action(points, acties, year=2023).empty


def test_area_table_dissolves(sectors):
    dg = areas.area_table(sectors, "deelgemeente")
    assert dg["code"].tolist() == ["11111A", "11111B", "11111C"]
    assert dg["naam"].tolist() == ["Stad", "Dorp", "Gehucht"]
    assert dg["oppervlakte_km2"].tolist() == pytest.approx([2.0, 1.0, 2.0])
    assert dg["inwoners"].tolist() == [1500, 0, 250]
    per_wijk = areas.wijk_of_deelgemeente(sectors)
    assert per_wijk["W1"] == "11111A" and pd.isna(per_wijk["W2"])  # W2 spans B and C


def test_deelgemeente_of_wijk_equals_the_per_wijk_rule(sectors):
    """wijk_of_deelgemeente (vectorised) gives what the rule per wijk gives: its first sector's
    deelgemeente when all its sectors name one (missing ones not counted), else missing."""
    import numpy as np

    def by_rule(frame):
        return frame.groupby("wijk_code")["deelgemeente"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None)

    n = len(sectors)
    for frame in (sectors, sectors.assign(deelgemeente=sectors["deelgemeente"].where(np.arange(n) % 2 == 1)),
                  sectors.assign(wijk_code=sectors["wijk_code"].where(np.arange(n) != 0)),
                  sectors.iloc[::-1]):
        # the rule's dtype is float64 when every wijk's value is missing; the values are equal
        pd.testing.assert_series_equal(areas.wijk_of_deelgemeente(frame), by_rule(frame), check_dtype=False)
    assert areas.wijk_of_deelgemeente(sectors).dtype == by_rule(sectors).dtype


# -- the same figures after a round trip through the database ----------------------------------
def test_same_figures_after_storage_round_trip(tmp_path, sectors, points):
    data = dataset.load(write_store(tmp_path / "data", sectors, points))
    for level in areas.LEVELS:
        expected = indicators.per_area(sectors, points, level=level, filters=PERIOD)
        got = indicators.per_area(data.sectors, data.points, level=level, filters=PERIOD)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


# -- counting by status: one record per status ----------------------------------------------
# layer, id, type, status, datum, einddatum, sector (or None), wijk (for records without a point)
STATUS_RECORDS = [
    ("meubilair", "b1", "gevelbank", "geplaatst", "2024-01-01", None, "11111A00-", None),
    ("meubilair", "b2", "gevelbank", "voorstel", None, None, "11111A00-", None),
    ("meubilair", "b3", "gevelbank", "goedgekeurd", None, None, "11111A01-", None),
    ("meubilair", "b4", "gevelbank", "afgewezen", None, None, "11111B00-", None),
    ("meubilair", "b5", "gevelbank", "verwijderd", "2023-01-01", None, "11111B00-", None),
    ("meubilair", "b6", "picknicktafel", "voorstel", None, None, None, "W2"),  # wijk only
    ("projecten", "q1", "burendag", "lopend", "2024-01-01", None, "11111A00-", None),
    ("projecten", "q2", "burendag", "gepland", "2025-01-01", None, "11111A01-", None),
    ("projecten", "q3", "burendag", "afgerond", "2023-01-01", "2023-06-30", "11111B00-", None),
    ("projecten", "q4", "burendag", "verwijderd", "2023-01-01", None, "11111C00-", None),
    ("actoren", "r1", "school", "inactief", None, None, "11111C00-", None),  # other layers: any status
    ("signalen", "t1", "zwerfvuil", "afgesloten", "2024-02-01", None, "11111C00-", None),
]


def status_points() -> pd.DataFrame:
    return make_points(STATUS_RECORDS)


#: area_counts of STATUS_RECORDS without filters, worked out by hand per level
BY_STATUS = {
    "sector": {
        "11111A00-": c(meubilair=1, meubilair_voorstel=1, projecten=1),  # b1; b2; q1
        "11111A01-": c(meubilair_voorstel=1),  # b3 approved, not placed; q2 only planned
        "11111B00-": c(projecten=1),  # q3 finished; b4 refused and b5 removed never count
        "11111C00-": c(actoren=1, signalen=1),  # r1, t1; q4 removed
    },
    "wijk": {"W1": c(meubilair=1, meubilair_voorstel=2, projecten=1),
             "W2": c(meubilair_voorstel=1, projecten=1, actoren=1, signalen=1)},  # b6 in its wijk
    "deelgemeente": {"11111A": c(meubilair=1, meubilair_voorstel=2, projecten=1),
                     "11111B": c(projecten=1), "11111C": c(actoren=1, signalen=1)},  # b6: W2 spans B, C
    "gemeente": {"11111": c(meubilair=1, meubilair_voorstel=3, projecten=2, actoren=1, signalen=1)},
}


def area_count_dict(frame: pd.DataFrame) -> dict:
    """``area_counts`` as {area: c(...)} without all-zero areas."""
    return counts(frame.rename_axis("code").reset_index())


def test_the_rule_is_data_in_one_place():
    assert COUNTED_STATUSES == {"meubilair": ("geplaatst",), "projecten": ("lopend", "afgerond")}
    assert PROPOSAL_STATUSES == {"meubilair": ("voorstel", "goedgekeurd")}
    assert COUNTED_STATUSES["meubilair"] == (coverage.PLACED,)  # coverage counts placed furniture


@pytest.mark.parametrize("level", areas.LEVELS)
def test_area_counts_by_status_by_hand(sectors, level):
    got = indicators.area_counts(sectors, status_points(), level)
    assert list(got.columns) == list(indicators.COUNT_COLUMNS)
    assert area_count_dict(got) == BY_STATUS[level]


def test_key_figures_count_placed_furniture_and_proposals_apart(sectors):
    fig = indicators.key_figures(sectors, status_points())
    assert (fig["meubilair"], fig["meubilair_voorstel"], fig["projecten"]) == (1, 3, 2)
    assert indicators.layer_totals(status_points()).to_dict() == {
        "pleinmakers": 0, "meubilair": 1, "projecten": 2, "signalen": 1, "actoren": 1,
        "meubilair_voorstel": 3}
    # proposals are furniture: without the furniture layer there is no proposal figure
    assert "meubilair_voorstel" not in indicators.key_figures(sectors, status_points(),
                                                              Filters(layers=("projecten",)))


def test_the_map_selection_still_holds_proposals(sectors):
    """Lists and the map show what the filters select, proposals and planned projects too."""
    shown = indicators.filter_points(status_points())
    assert sorted(shown["id"]) == ["b1", "b2", "b3", "b4", "b6", "q1", "q2", "q3", "r1", "t1"]
    assert sorted(indicators.counted_points(status_points())["id"]) == ["b1", "q1", "q3", "r1", "t1"]


# the statuses a user picks in the filter count instead of the default (verwijderd never)
EXPLICIT = [
    (Filters(statuses={"meubilair": ("afgewezen", "verwijderd", "voorstel")}),
     # b2 b4 b6 selected and counted; proposals among them: b2 b6; b3 not selected
     c(meubilair=3, meubilair_voorstel=2, projecten=2, actoren=1, signalen=1)),
    (Filters(statuses={"meubilair": ("goedgekeurd",), "projecten": ("gepland", "lopend")}),
     c(meubilair=1, meubilair_voorstel=1, projecten=2, actoren=1, signalen=1)),  # b3; q1 q2
    (Filters(statuses={"meubilair": ("verwijderd",)}),
     c(projecten=2, actoren=1, signalen=1)),  # picking only removed furniture counts none
    (Filters(statuses={"projecten": ()}),  # an empty pick is no filter: the default rule
     c(meubilair=1, meubilair_voorstel=3, projecten=2, actoren=1, signalen=1)),
]


@pytest.mark.parametrize("filters, expected", EXPLICIT, ids=["afgewezen-voorstel", "goedgekeurd-gepland",
                                                            "alleen-verwijderd", "lege-keuze"])
def test_explicit_status_filter_counts_those_statuses(sectors, filters, expected):
    got = indicators.area_counts(sectors, status_points(), "gemeente", filters)
    assert area_count_dict(got) == ({"11111": expected} if any(expected.values()) else {})
    totals = indicators.layer_totals(status_points(), filters)
    assert totals[["meubilair", "meubilair_voorstel", "projecten"]].tolist() == [
        expected["meubilair"], expected["meubilair_voorstel"], expected["projecten"]]


def write_store(path, sectors, points, *, url: str | None = None) -> Store:
    """A store (SQLite, or PostGIS at ``url``) holding ``sectors`` (with their wijken and
    inhabitants) and ``points``."""
    store = open_store(path, url=url)
    with store.transaction() as con:
        con.write_sectors(sectors)
        con.write_wijkindeling(sectors[["code", "wijk_code", "wijk_naam"]]
                               .rename(columns={"code": "sector"}))
        con.write_population(sectors[["code", "inwoners"]].rename(columns={"code": "sector"}),
                             jaar="2025")
        con.upsert_points(points)
    return store


def test_sqlite_store_counts_by_status(tmp_path, sectors):
    store = write_store(tmp_path / "data", sectors, status_points())
    counts = counting.DatabaseCounts(store, dataset.load_sectors(store))  # SQL in SQLite
    for level in areas.LEVELS:
        assert area_count_dict(counts.area_counts(level)) == BY_STATUS[level]
    assert counts.layer_totals().to_dict() == indicators.layer_totals(status_points()).to_dict()
    for filters, expected in EXPLICIT:
        assert counts.layer_totals(filters)["meubilair"] == expected["meubilair"]
        assert counts.layer_totals(filters)["meubilair_voorstel"] == expected["meubilair_voorstel"]
