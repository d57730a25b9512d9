"""The Wijkfiche with the city's context figures and with its trend per quarter, on a tiny town
worked out by hand.

Four 1 km sectors: A00 (100 inhabitants) and A01 (300) form wijk W1 (400), B00 (600) wijk W2,
C00 (1000) wijk W3; the city has 2000. A share of 65+ of 10, 20, 30 and 5 % gives W1
(10·100 + 20·300) / 400 = 17,5, W2 30, W3 5 and the city (1000 + 6000 + 18000 + 5000) / 2000 =
15; W1 ranks 2 of 3 (W2 is highest). Children in poverty 5, 7, 11 and 2 (a count) give W1 12,
W2 11, W3 2 and the city 25: W1 ranks 1.

Signals per quarter of 2024 (handed to the fiche as the trend's counts): W1 10, 20, 3, 15;
W2 8 each quarter; W3 6 each quarter. W1's change: Q2 +10 (+100 %), Q3 -17 (-85 %), Q4 +12
(+400 %); per 1000 inhabitants W1 Q1 is 10 / 400 · 1000 = 25,0 and the city 24 / 2000 · 1000
= 12,0. For everyone but admins W1's 3 in Q3 is hidden ("< 5"), and so are the changes into
and out of Q3.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from cohesie import dataset, exports, wijkfiche
from cohesie.__main__ import run
from cohesie.indicators import COUNT_COLUMNS, Filters
from cohesie.storage import Store, open_store

CODES = ["11111A00-", "11111A01-", "11111B00-", "11111C00-"]
PEOPLE = [100, 300, 600, 1000]
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
SIGNALS = {"W1": [10, 20, 3, 15], "W2": [8, 8, 8, 8], "W3": [6, 6, 6, 6]}


@pytest.fixture
def store(tmp_path) -> Store:
    store = open_store(tmp_path / "data")
    x0, y0 = 150_000, 190_000
    sectors = gpd.GeoDataFrame(
        {"code": CODES, "naam": ["Noord", "Midden", "Zuid", "Oost"],
         "deelgemeente": ["11111A", "11111A", "11111B", "11111B"],
         "deelgemeente_naam": ["Stad", "Stad", "Dorp", "Dorp"], "nis": ["11111"] * 4,
         "gemeente_naam": ["Proefstad"] * 4},
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(4)], crs=31370)
    with store.transaction() as con:
        con.write_sectors(sectors)
        con.write_wijkindeling(pd.DataFrame({"sector": CODES, "wijk_code": ["W1", "W1", "W2", "W3"],
                                             "wijk_naam": ["Eerste", "Eerste", "Tweede", "Derde"]}))
        con.write_population(pd.DataFrame({"sector": CODES, "inwoners": PEOPLE}), jaar="2024")
        con.set_meta(nis="11111", gemeente="Proefstad", bevolking_jaar="2024")
    path = tmp_path / "context.csv"
    path.write_text("statsec;Aandeel 65+;kinderen_armoede\n11111A00-;10;5\n11111A01-;20;7\n"
                    "11111B00-;30;11\n11111C00-;5;2\n", encoding="utf-8")
    assert run(["--data-dir", str(tmp_path / "data"), "import-indicators", str(path), "--level", "sector",
                "--count", "kinderen_armoede", "--name", "kinderen_armoede=Kinderen in armoede",
                "--unit", "Aandeel 65+=%", "--source", "Stadsmonitor", "--year", "2023"]) == 0
    return store


def quarter_counts() -> pd.DataFrame:
    rows = [{"code": code, "periode": q, **dict.fromkeys(COUNT_COLUMNS, 0), "signalen": n}
            for code, values in SIGNALS.items() for q, n in zip(QUARTERS, values)]
    return pd.DataFrame(rows)[["code", "periode", *COUNT_COLUMNS]]


def fiche(store, *, admin=True, lang="nl", indicator="signalen", per="quarter", wijk="W1"):
    counts = quarter_counts()

    def per_period(level, f, per="year"):
        assert per == "quarter"
        return counts

    return wijkfiche.wijkfiche(dataset.load(store), wijk=wijk, filters=Filters(), admin=admin, lang=lang, year=2025,
                               per_period=per_period, trend_indicator=indicator, trend_per=per)


# -- context figures ------------------------------------------------------------------------
def test_context_rows_have_the_city_value_and_the_rank(store):
    f = fiche(store)
    v, text = f.comparison.values, f.comparison.text
    assert v.loc["aandeel_65", "wijk"] == pytest.approx(17.5) and v.loc["aandeel_65", "stad"] == pytest.approx(15)
    assert text.loc["aandeel_65", "indicator"] == "Aandeel 65+ (%)"
    assert text.loc["aandeel_65", "wijk"] == "17,5" and text.loc["aandeel_65", "stad"] == "15,0"
    assert text.loc["aandeel_65", "rang"] == "2 van 3"
    assert v.loc["aandeel_65", "verhouding"] == pytest.approx(round(17.5 / 15, 2))
    assert v.loc["kinderen_armoede", "wijk"] == 12 and v.loc["kinderen_armoede", "stad"] == 25
    assert text.loc["kinderen_armoede", "rang"] == "1 van 3"
    assert np.isnan(v.loc["kinderen_armoede", "verhouding"])  # a city total is no reference for a count
    third = fiche(store, wijk="W3")
    assert third.comparison.text.loc["aandeel_65", "rang"] == "3 van 3"
    assert third.ranks["aandeel_65"].rank == 3


def test_strip_plot_draws_every_wijk_and_the_city_for_a_share(store):
    dots = fiche(store).distribution.of(["aandeel_65"])
    by_role = dots.groupby("rol")["waarde"].apply(sorted).to_dict()
    assert by_role == {"ander": [5.0, 30.0], "stad": [15.0], "wijk": [17.5]}
    assert "aandeel_65" in fiche(store).distribution.default
    counts = fiche(store).distribution.of(["kinderen_armoede"])
    assert "stad" not in set(counts["rol"])  # the city's total is not drawn among wijk counts


def test_context_block_names_source_and_year(store):
    f = fiche(store)
    assert f.context[0] == "Inwoners: 400 van 2.000 in de stad (20,0 %). Bevolkingscijfers 2024."
    assert f.context[1] == ("Contextcijfers van de stad: Aandeel 65+ (%), Kinderen in armoede "
                            "(bron Stadsmonitor, 2023).")
    assert f.context_sources == {"aandeel_65": "Stadsmonitor, 2023", "kinderen_armoede": "Stadsmonitor, 2023"}
    en = fiche(store, lang="en")
    assert en.context[0] == "Inhabitants: 400 of 2,000 in the city (20.0%). Population figures 2024."


def _csv(f) -> pd.DataFrame:
    text = wijkfiche.csv_bytes(f).decode("utf-8-sig")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), sep=";", dtype=str, keep_default_na=False)


def test_csv_carries_the_context_rows_with_their_source(store):
    table = _csv(fiche(store))
    rows = table[table["Onderdeel"] == "Contextcijfers"].set_index("Onderwerp")
    assert rows.loc["Aandeel 65+ (%)", "Wijk"] == "17,5" and rows.loc["Aandeel 65+ (%)", "Stad"] == "15,0"
    assert rows.loc["Aandeel 65+ (%)", "Rang"] == "2" and rows.loc["Aandeel 65+ (%)", "Gerangschikte wijken"] == "3"
    assert rows.loc["Aandeel 65+ (%)", "Bron"] == "Stadsmonitor, 2023"
    assert rows.loc["Kinderen in armoede", "Wijk"] == "12" and rows.loc["Kinderen in armoede", "Rang"] == "1"
    assert set(table.loc[table["Onderdeel"] != "Contextcijfers", "Bron"]) == {""}


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_states_context_figures_and_the_trend(store):
    text = _pdf_text(exports.wijkfiche_pdf([fiche(store, admin=False)]))
    flat = " ".join(text.split())
    assert "Aandeel 65+ (%)" in flat and "17,5" in flat and "2 van 3" in flat
    assert "bron Stadsmonitor, 2023" in flat
    assert "Trend per kwartaal" in flat
    for expected in ("2024-Q1", "2024-Q4", "+10", "+100,0 %"):
        assert expected in flat, expected
    assert "< 5" in flat  # W1's hidden quarter, never its 3


# -- the trend per quarter ------------------------------------------------------------------
def test_quarter_trend_values_and_changes_for_an_admin(store):
    trend = fiche(store, admin=True).trend
    assert trend.per == "quarter" and trend.periods == QUARTERS and trend.x_title == "Kwartaal"
    tab = trend.table.values
    assert tab["wijk"].tolist() == [10, 20, 3, 15]
    assert tab["stad"].tolist() == [24, 34, 17, 29]
    assert np.isnan(tab["verandering"].iloc[0])
    assert tab["verandering"].tolist()[1:] == [10, -17, 12]
    assert tab["verandering_pct"].tolist()[1:] == [100.0, -85.0, 400.0]
    assert trend.change_year == "2024-Q4" and trend.change == 12 and trend.change_pct_text == "+400,0 %"
    assert trend.change_label == "Verandering 2024-Q4 tegenover het kwartaal ervoor"
    rate = fiche(store, indicator="signalen_per_1000").trend
    assert rate.table.values["wijk"].iloc[0] == pytest.approx(25.0)
    assert rate.table.values["stad"].iloc[0] == pytest.approx(12.0)
    assert rate.table.text["wijk"].iloc[0] == "25,0"


def test_quarter_trend_hides_small_counts_and_their_changes(store):
    for indicator in ("signalen", "signalen_per_1000"):
        trend = fiche(store, admin=False, indicator=indicator).trend
        tab, text = trend.table.values, trend.table.text
        assert np.isnan(tab.loc["2024-Q3", "wijk"])
        assert np.isnan(tab.loc["2024-Q3", "verandering"]) and np.isnan(tab.loc["2024-Q4", "verandering"])
        assert text.loc["2024-Q3", "verandering"] == "" and text.loc["2024-Q4", "verandering_pct"] == ""
        assert tab.loc["2024-Q2", "verandering"] == pytest.approx(10 if indicator == "signalen" else 25.0)
        assert trend.change is None and "kwartalen" in trend.note.lower()
        assert not (tab["wijk"] == 3).any()
    assert fiche(store, admin=False).trend.table.text.loc["2024-Q3", "wijk"] == "< 5"
    table = _csv(fiche(store, admin=False))
    rows = table[table["Onderdeel"].str.startswith("Trend per kwartaal")].set_index("Onderwerp")
    assert rows.loc["2024-Q3", "Wijk"] == "" and rows.loc["2024-Q3", "Opmerking"] == "< 5"
    assert rows.loc["2024-Q2", "Wijk"] == "20" and rows.loc["2024-Q2", "Verandering"] == "10"
    assert rows.loc["2024-Q2", "Verandering (%)"] == "100,0"
    assert rows.loc["2024-Q4", "Verandering"] == ""
    assert "3" not in set(rows["Wijk"])


def test_csv_writes_a_negative_change_as_a_number(store):
    table = _csv(fiche(store, admin=True))
    rows = table[table["Onderdeel"].str.startswith("Trend per kwartaal")].set_index("Onderwerp")
    assert rows.loc["2024-Q3", "Verandering"] == "-17" and rows.loc["2024-Q3", "Verandering (%)"] == "-85,0"


def test_two_figures_of_one_name_stay_apart(store, tmp_path):
    """The city's own "Aandeel 65+ (%)" and the population file's: two rows, two strip rows."""
    path = tmp_path / "bevolking_2024.csv"
    path.write_text("sector;inwoners;65+\n11111A00-;100;10\n11111A01-;300;30\n11111B00-;600;60\n11111C00-;1000;100\n",
                    encoding="utf-8")
    assert run(["--data-dir", str(store.location), "import-population", str(path)]) == 0
    f = fiche(store)
    text = f.comparison.text
    assert text.loc["aandeel_65", "indicator"] == "Aandeel 65+ (%)"
    assert text.loc["aandeel_65plus", "indicator"] == "Aandeel 65+ (%) · bevolkingsbestand, 2024"
    assert text.loc["aandeel_65plus", "wijk"] == "10,0" and text.loc["aandeel_65plus", "stad"] == "10,0"
    rows = f.distribution.of(["aandeel_65", "aandeel_65plus"]).groupby("kolom")["rij"].first()
    assert rows["aandeel_65"] != rows["aandeel_65plus"]
    assert (f.distribution.of(["aandeel_65plus"])["rol"] == "wijk").sum() == 1
