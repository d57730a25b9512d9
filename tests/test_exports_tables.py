"""Table exports of the dashboard open right in a Belgian spreadsheet: CSV with ``;`` and a
decimal comma (UTF-8 with BOM), XLSX with numeric cells; the machine-readable default stays."""

from __future__ import annotations

import io

import pandas as pd
from test_indicatorview import view

from cohesie import exports


def belgian_csv(v) -> bytes:
    return exports.table_csv(v.export_frame(), header_lines=list(v.header_lines), sep=";", decimal=",")


def test_dashboard_csv_parses_with_semicolon_and_decimal_comma_to_the_view_model():
    v = view()
    raw = belgian_csv(v)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 (km², ë)
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("# Indicatoren per sector") and lines[len(v.header_lines)].startswith("Code;Naam;")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#", dtype={"Code": str})
    assert back["Naam"].tolist() == v.table["naam"].tolist()
    rate = back["Signalen per 1000 inwoners"]
    assert pd.api.types.is_float_dtype(rate)
    pd.testing.assert_series_equal(rate, v.table["signalen_per_1000"], check_names=False)
    pd.testing.assert_series_equal(back["Oppervlakte (km²)"], v.table["oppervlakte_km2"], check_names=False)
    assert back["Signalen (aantal)"].tolist() == ["12270", "3471", "< 5", "verborgen"]  # no stand-in 2.5
    assert "11,117" in text and "2,5" not in text


def test_dashboard_xlsx_cells_are_numbers_with_the_screen_decimals():
    from openpyxl import load_workbook

    v = view()
    data = exports.table_xlsx(v.export_frame(), header_lines=list(v.header_lines), sheet="indicatoren",
                              decimals=v.export_decimals())
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value.startswith("Indicatoren per sector")
    header_row = len(v.header_lines) + 2
    names = [c.value for c in ws[header_row]]
    col = {name: i + 1 for i, name in enumerate(names)}
    signals = [ws.cell(row=r, column=col["Signalen (aantal)"]) for r in range(header_row + 1, header_row + 5)]
    assert [c.value for c in signals] == [12270, 3471, "< 5", "verborgen"]
    assert signals[0].data_type == "n" and signals[2].data_type == "s"
    area = ws.cell(row=header_row + 4, column=col["Oppervlakte (km²)"])
    assert area.value == 11.117 and area.data_type == "n" and area.number_format == "#,##0.00"
    rate = ws.cell(row=header_row + 1, column=col["Signalen per 1000 inwoners"])
    assert rate.value == 12270.0 and rate.number_format == "#,##0.0"
    assert ws.cell(row=header_row + 1, column=col["Signalen (aantal)"]).number_format == "#,##0"


def test_table_csv_default_stays_machine_readable():
    frame = pd.DataFrame({"code": ["a"], "n": [12270], "x": [613.412]})
    assert exports.table_csv(frame).decode("utf-8-sig") == "code,n,x\na,12270,613.412\n"
    assert exports.table_csv(frame, sep=";", decimal=",").decode("utf-8-sig") == "code;n;x\na;12270;613,412\n"


def test_belgian_csv_still_neutralises_formulas():
    frame = pd.DataFrame({"naam": ["=1+1", "@SUM(A1)"], "n": [1.5, 2.0]})
    text = exports.table_csv(frame, sep=";", decimal=",").decode("utf-8-sig")
    assert text.splitlines()[1:] == ["'=1+1;1,5", "'@SUM(A1);2,0"]
