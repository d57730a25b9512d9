"""Sector vintages: recognising a file's sector set and comparing codes with the loaded sectors."""

import math

import pytest

from cohesie import vintage
from cohesie.vintage import compare_codes, vintage_of_columns


@pytest.mark.parametrize("columns, expected", [
    (["statsec", "ggw7"], "2025"),
    (["STATSEC2024", " ggw72024 "], "2020-2024"),
    (["CS01012025", "T_SEC_NL", "CNIS5_2025"], "2025"),
    (["cd_sector", "tx_sector_descr_nl"], "2018-2024"),
    (["sector", "wijk_code", "wijk_naam"], None),
    ([], None),
])
def test_vintage_of_columns(columns, expected):
    assert vintage_of_columns(columns) == expected


def test_vintage_of_year():
    assert vintage.vintage_of_year("2025") == "2025"
    assert vintage.vintage_of_year(2021) == "2018-2024"
    assert vintage.vintage_of_year(None) is None
    assert vintage.vintage_of_year("demo") is None


def test_same_set_treats_both_pre_2025_sets_as_one():
    assert vintage.same_set("2018-2024", "2020-2024") is True
    assert vintage.same_set("2025", "2020-2024") is False
    assert vintage.same_set(None, "2025") is None


LOADED = ["11111A00-", "11111A01-", "11111A12-"]


def test_exact_cover_with_unlocated_code():
    cov = compare_codes(["11111A00-", "11111A01-", "11111A12-", "11111ZZZZ", "", None, math.nan],
                        LOADED)
    assert (cov.loaded, cov.covered, cov.left_out, cov.unknown) == (3, 3, 0, 0)
    assert cov.unlocated == ("11111ZZZZ",)
    assert cov.complete and cov.exact


def test_2025_file_against_2024_sectors_explains_both_sets():
    cov = compare_codes(["11111A00-", "11111A01-", "11111A12K", "11111A12L", "11111ZZZZ"], LOADED,
                        file_label="2025", loaded_label="2020-2024", file_name="statsec_ggw7.xlsx")
    assert (cov.covered, cov.left_out, cov.unknown) == (2, 1, 2)
    assert cov.left_out_examples == ("11111A12-",)
    assert cov.unknown_examples == ("11111A12K", "11111A12L")
    assert not cov.complete and cov.vintages_differ
    text = cov.explain()
    assert "statsec_ggw7.xlsx dekt 2 van de 3 geladen sectoren; 1 ontbreken (bv. 11111A12-)" in text
    assert "2 sectorcode(s) uit statsec_ggw7.xlsx bestaan niet" in text
    assert "gebruikt sectorcodes van 2025; de geladen sectoren zijn de set 2020-2024" in text
    assert "importeer eerst de sectoren van de set 2025" in text
    assert "11111ZZZZ" not in text  # the unlocated code is no unknown code


def test_examples_are_limited_and_marked():
    loaded = [f"11111A{i:02d}-" for i in range(10)]
    cov = compare_codes([], loaded, examples=3)
    assert cov.left_out == 10 and len(cov.left_out_examples) == 3 and len(cov.left_out_codes) == 10
    assert "bv. 11111A00-, 11111A01-, 11111A02- ..." in cov.explain()
    assert "andere gemeente" in cov.explain()


def test_unknown_vintage_is_said_so():
    cov = compare_codes(["11111A00-"], LOADED, file_label=None, loaded_label="2018-2024")
    assert "niet te herkennen aan de kolomnamen" in cov.explain()
    assert cov.file_looks_like == "een niet herkende sectorset"
    cov = compare_codes(LOADED + ["22222A00-"], LOADED)
    assert cov.complete and not cov.exact and cov.vintage_sentence() == ""
