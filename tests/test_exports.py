"""Exports: formula neutralisation, PNG map and Wijkfiche PDF opened and checked."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from cohesie import exports

PAYLOADS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "<script>alert(1)</script>"]


def test_neutralise_prefixes_formula_cells_only():
    frame = pd.DataFrame({"naam": PAYLOADS + ["gewoon"], "n": list(range(len(PAYLOADS) + 1))})
    out = exports.neutralise(frame)
    assert out["naam"].tolist()[:6] == ["'" + p for p in PAYLOADS[:6]]
    assert out["naam"].tolist()[6:] == ["<script>alert(1)</script>", "gewoon"]
    assert out["n"].tolist() == frame["n"].tolist()  # numbers untouched


def test_csv_and_xlsx_never_contain_a_live_formula():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"naam": PAYLOADS})
    text = exports.table_csv(frame, header_lines=["Bron: test"]).decode("utf-8-sig")
    for line in text.splitlines()[2:]:
        assert not line.startswith(exports.FORMULA_START)
    wb = load_workbook(io.BytesIO(exports.table_xlsx(frame, header_lines=["Bron: test"])))
    values = [c.value for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert values[0] == "Bron: test"
    for v in values:
        assert not str(v).startswith(exports.FORMULA_START)
    assert all(c.data_type == "s" for row in wb.active.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def areas():
    return gpd.GeoDataFrame({"code": ["a", "b", "c"], "naam": ["Noord", "Midden", "Zuid"]},
                            geometry=[box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(3)], crs=31370)


def test_map_png_has_expected_size(areas):
    from PIL import Image

    from cohesie.classify import classify
    from cohesie.mapview import MapView

    # the PNG draws the Kaart's view model (tests/test_mapview.py builds one from the demo)
    classes = classify(pd.Series([1.0, 5.0, 9.0]))
    view = MapView(lang="nl", title="Titel", level="wijk", indicator="x", method="quantiles",
                   indicator_label="Legende", styles={}, legend=classes.legend(),
                   areas=areas.assign(colour=classes.value_colours.to_numpy(), hidden=False), outline=None,
                   labels=pd.DataFrame({"naam": areas["naam"], "x": areas.centroid.x, "y": areas.centroid.y}),
                   circles=pd.DataFrame(), points=pd.DataFrame(), highlight=[], figures=[], center=[0, 0],
                   zoom=12, bounds=[], header=["Titel", "Bron: test", "Gegevens van 2026-01-01", "Filters: geen"])
    png = exports.map_png(view, dpi=100)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (1000, 850)


def test_wijkfiche_pdf_pages_and_text(areas):
    """The PDF renders Wijkfiche view models (cohesie.wijkfiche): one page each, their text."""
    import dataclasses

    from pypdf import PdfReader

    from cohesie import wijkfiche as wf

    def table(frame, headers):
        return wf.Table(frame, frame.astype(str), headers)

    months = pd.DataFrame({"zwerfvuil": [3.0, 4.0]}, index=pd.Index(["jan 2025", "feb 2025"], name="maand"))
    chart = wf.MonthChart(months, months.astype(int).astype(str),
                          pd.DataFrame({"aantal": [3.0, 4.0]}), list(months.index), list(months.index),
                          ["zwerfvuil"], {"zwerfvuil": "#009E73"}, 0, "Signalen per maand", "Maand",
                          "Aantal signalen", "Categorie")
    page = wf.Wijkfiche(
        code="a", naam="Wijk <Noord>", title="Wijkfiche Wijk <Noord>", lang="nl", admin=True, options={"a": "Noord"},
        figures=[wf.Figure("inwoners", "Inwoners", 10, "10")],
        comparison=table(pd.DataFrame({"indicator": ["Inwoners"], "wijk": ["10"], "stad": ["30"], "verhouding": [""]}),
                         {"indicator": "Indicator", "wijk": "Wijk", "stad": "Stad", "verhouding": "Verhouding"}),
        signals=chart,
        records=[wf.RecordList("meubilair", "Meubilair (1)", table(
            pd.DataFrame({"naam": ["Bank"], "type": ["gevelbank"], "status": ["geplaatst"]}),
            {"naam": "Naam", "type": "Type", "status": "Status"}))],
        late_pleinmakers=[], late_text=None, sectors=areas,
        points=pd.DataFrame({"layer": ["meubilair"], "x": [500.0], "y": [500.0]}), bounds=[],
        header=["Wijkfiche — Proefstad", "Bron: Statbel sectoren 2025", "Filters: geen"],
        labels={"none": "Geen.", "page": "pagina {n}", "more": "… en nog {n}"})
    pdf = exports.wijkfiche_pdf([page, dataclasses.replace(page, naam="Zuid", title="Wijkfiche Zuid")])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert "Wijk <Noord>" in first and "Bron: Statbel sectoren 2025" in first and "Bank" in first
    assert "Zuid" in reader.pages[1].extract_text()