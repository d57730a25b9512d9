"""The Indicatoren view model on four sectors whose figures are worked out by hand.

Counts are given per area (as the database would count them), so every number is checkable::

    sector     naam    wijk  inwoners  km²     signalen  zorgsignalen
    11111A00-  Noord   W1    1000      1       12270     7
    11111A01-  Midden  W1    2000      1        3471     5
    11111B00-  Zuid    W2     500      1           3     0   -> "< 5"
    11111B01-  Oost    W2     800      11.117  10171     6   -> "verborgen" (the only other
                                                                 sector of W2, whose total is
                                                                 published)

City: 4300 inhabitants, 25915 signals, 6026.744 signals per 1000 inhabitants.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from cohesie import areas, indicatorview
from cohesie.indicatorview import COMPLEMENTARY_STAND_IN, PRIMARY_STAND_IN
from cohesie.layers import LAYERS
from cohesie.dataset import Dataset
from cohesie.storage import POINT_COLUMNS

X0, Y0 = 150_000, 190_000
CODES = ["11111A00-", "11111A01-", "11111B00-", "11111B01-"]
SIGNALS = dict(zip(CODES, [12270, 3471, 3, 10171]))
CARE = dict(zip(CODES, [7, 5, 0, 6]))


def make_data() -> Dataset:
    sectors = gpd.GeoDataFrame(
        {"code": CODES, "naam": ["Noord", "Midden", "Zuid", "Oost"],
         "deelgemeente": ["11111A", "11111A", "11111B", "11111B"],
         "deelgemeente_naam": ["Stad", "Stad", "Dorp", "Dorp"], "nis": ["11111"] * 4,
         "gemeente_naam": ["Proefstad"] * 4, "wijk_code": ["W1", "W1", "W2", "W2"],
         "wijk_naam": ["Wijk een", "Wijk een", "Wijk twee", "Wijk twee"],
         "inwoners": np.array([1000, 2000, 500, 800], dtype="int64")},
        geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
                  box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000), box(X0 + 3000, Y0, X0 + 4000, Y0 + 11_117)],
        crs=31370)
    points = pd.DataFrame(columns=[*POINT_COLUMNS, "version", "updated_at"])
    for col in ("datum", "einddatum"):
        points[col] = pd.to_datetime(points[col])
    points["x"] = points["x"].astype(float)
    points["y"] = points["y"].astype(float)
    return Dataset(sectors=sectors, points=points, acties=pd.DataFrame(),
                   meta={"gemeente": "Proefstad", "nis": "11111", "bron_sectoren": "test",
                         "bron_bevolking": "test", "data_version": "3"},
                   imports=pd.DataFrame({"tijdstip": ["2026-11-30T10:00:00"]}))


def counts(level: str) -> pd.DataFrame:
    """Area counts per level, summed from the sector counts above."""
    frame = pd.DataFrame(0, index=CODES, columns=[*LAYERS, "zorgsignalen"], dtype="int64")
    frame["signalen"] = pd.Series(SIGNALS)
    frame["zorgsignalen"] = pd.Series(CARE)
    if level == "sector":
        return frame
    if level == "gemeente":
        return frame.sum().to_frame("11111").T
    sectors = make_data().sectors.set_index("code")
    return frame.groupby(sectors.loc[frame.index, areas.LEVEL_CODE[level]].to_numpy()).sum()


def view(level="sector", **kw):
    kw.setdefault("indicator", "signalen_per_1000")
    return indicatorview.indicator_table(make_data(), level=level, counts=counts, **kw)


def row(v, code):
    return v.table.set_index("code").loc[code]


def texts(v, code):
    return v.texts.set_index(v.table["code"]).loc[code]


def test_counts_stay_numeric_and_hidden_counts_are_stand_ins():
    v = view()
    assert pd.api.types.is_float_dtype(v.table["signalen"])
    assert all(pd.api.types.is_numeric_dtype(v.table[c]) for c in v.numeric_columns)
    assert row(v, "11111A00-")["signalen"] == 12270
    assert row(v, "11111B00-")["signalen"] == PRIMARY_STAND_IN  # 3 -> 2.5, never 3
    assert row(v, "11111B01-")["signalen"] == COMPLEMENTARY_STAND_IN  # complementary: -1, not 10171
    assert v.hidden_cells == 2
    # nothing built on a hidden count survives: rates, ratio to the city
    for code in ("11111B00-", "11111B01-"):
        r = row(v, code)
        assert np.isnan(r["signalen_per_1000"]) and np.isnan(r["signalen_per_km2"])
        assert np.isnan(r["signalen_per_1000_tov_stad"])
    assert 3 not in row(v, "11111B00-")[["signalen", "signalen_per_1000", "signalen_per_km2"]].tolist()
    # numeric sort puts 3471 before 10171 (the text sort put "10171" first)
    ranked = v.table.sort_values("signalen", ascending=False)["code"].tolist()
    assert ranked[:3] == ["11111A00-", "11111A01-", "11111B00-"]


def test_display_texts_are_belgian_and_say_what_is_hidden():
    v = view()
    assert texts(v, "11111A00-")["signalen"] == "12.270"
    assert texts(v, "11111A01-")["signalen"] == "3.471"
    assert texts(v, "11111B00-")["signalen"] == "< 5"
    assert texts(v, "11111B01-")["signalen"] == "verborgen"
    assert texts(v, "11111B00-")["signalen_per_1000"] == ""  # empty, never "None" or "nan"
    assert texts(v, "11111A01-")["signalen_per_1000"] == "1.735,5"
    assert texts(v, "11111B01-")["oppervlakte_km2"] == "11,12"  # not "11.117" (eleven thousand)
    assert texts(v, "11111A00-")["signalen_per_1000_tov_stad"] == "2,04"  # 12270 / 6026.744
    assert texts(v, "11111A00-")["inwoners"] == "1.000"
    assert not v.texts.isin(["None", "nan", "NaN"]).any().any()
    # the metric's city value is written by the same formatter with the same decimals
    assert v.city_text == "6.026,7"
    assert v.labels["signalen"] == "Signalen (aantal)" and v.labels["naam"] == "Naam"


def test_styler_shows_the_display_texts_over_numeric_values():
    v = view()
    html = v.styler().to_html()
    assert "12.270" in html and ">< 5<" in html and "verborgen" in html and "11,12" in html
    assert v.styler().data["signalen"].dtype == float  # the values Streamlit sorts on


def test_english_texts_and_numbers():
    v = view(lang="en")
    assert texts(v, "11111A00-")["signalen"] == "12,270"
    assert texts(v, "11111B01-")["signalen"] == "hidden"
    assert texts(v, "11111B01-")["oppervlakte_km2"] == "11.12"
    assert v.city_text == "6,026.7"
    assert v.labels["signalen"] == "Signals (count)" and v.labels["naam"] == "Name"
    assert v.labels["oppervlakte_km2"] == "Area (km²)"
    assert v.labels["signalen_per_1000_tov_stad"] == "Signals per 1000 inhabitants vs. city"
    assert all(label.isascii() or "²" in label for label in v.labels.values())
    assert v.header_lines[0].startswith("Indicators per sector")


def test_admin_sees_every_count():
    v = view(admin=True)
    assert v.hidden_cells == 0
    assert v.table["signalen"].tolist() == [12270, 3471, 3, 10171]
    assert pd.api.types.is_integer_dtype(v.table["signalen"])
    assert texts(v, "11111B00-")["signalen"] == "3"


def test_chart_ranks_areas_highest_first_with_a_label_per_bar():
    v = view()
    assert v.chart["naam"].tolist() == ["Noord", "Midden", "Oost", "Zuid"]  # hidden last, by name
    assert v.chart["tekst"].tolist() == ["12.270,0", "1.735,5", "verborgen", "< 5"]
    assert v.chart["waarde"].iloc[:2].tolist() == [12270.0, 1735.5]
    assert v.chart["waarde"].iloc[2:].isna().all()  # no bar for a hidden value
    assert v.city["signalen_per_1000"] == pytest.approx(6026.744)


def test_chart_spec_labels_every_bar_and_draws_the_city():
    spec = indicatorview.bar_chart(view()).to_dict()
    bars, labels, rule, rule_text = spec["layer"]
    assert bars["mark"]["type"] == "bar" and rule["mark"]["type"] == "rule"
    y = bars["encoding"]["y"]
    assert y["sort"] == ["Noord", "Midden", "Oost", "Zuid"]  # ranked, not alphabetical
    assert y["axis"]["labelOverlap"] is False and y["axis"]["labelLimit"] >= 200
    assert y["title"] == "Sector" and bars["encoding"]["x"]["title"] == "Signalen per 1000 inwoners"
    assert spec["height"] == {"step": 20}  # a row of its own for every label
    assert labels["encoding"]["text"]["field"] == "tekst"
    datasets = spec["datasets"]
    city = next(rows for rows in datasets.values() if rows and "naam" not in rows[0])
    assert city[0]["tekst"] == "Stad: 6.026,7"


def test_export_frame_has_numbers_and_suppression_texts_only():
    v = view()
    out = v.export_frame()
    column = out["Signalen (aantal)"].tolist()
    assert column == [12270, 3471, "< 5", "verborgen"]
    assert all(isinstance(x, int) for x in column[:2])
    assert PRIMARY_STAND_IN not in column and COMPLEMENTARY_STAND_IN not in column
    assert v.export_decimals()["Oppervlakte (km²)"] == 2


def test_csv_frame_carries_the_figures_the_screen_shows():
    """The dashboard's CSV holds each number with the decimals shown on screen (11,12 km², not
    11,117), so a council member finds the same figure in the spreadsheet."""
    from babel.numbers import parse_decimal

    v = view()
    out = v.export_frame(as_shown=True)
    assert out.loc[3, "Oppervlakte (km²)"] == pytest.approx(11.12)
    for column in v.numeric_columns:
        header = v.labels[column]
        for value, shown in zip(out[header], v.texts[column]):
            if shown in ("", "< 5", "verborgen"):
                continue
            assert float(value) == float(parse_decimal(shown, locale="nl_BE")), (column, value, shown)
