"""The one formatter's period and number texts (cohesie/formatting.py)."""

from __future__ import annotations

from cohesie.formatting import formatter, period_text


def test_periods_read_as_a_reader_says_them():
    assert period_text("2026-10") == "okt 2026"
    assert period_text("2026-10", "en") == "Oct 2026"
    assert period_text("2026-Q3") == "kwartaal 3 van 2026"
    assert period_text("2026-Q3", "en") == "quarter 3 of 2026"
    assert period_text("") == ""


def test_numbers_in_belgian_dutch_and_english():
    f, e = formatter("nl"), formatter("en")
    assert f.number(1128.24) == "1.128,2" and e.number(1128.24) == "1,128.2"
    assert f.number(-0.04) == "0,0" and f.number(-0.4, 0) == "0" and f.number(-3.5, 1, sign=True) == "-3,5"
    assert f.number(0, 1, sign=True) == "±0,0"


def test_rare_layers_per_1000_keep_two_decimals_so_a_small_rate_is_not_zero():
    from cohesie.formatting import decimals_of

    f = formatter("nl")
    assert f.value(4 / 88_000 * 1000, "pleinmakers_per_1000") == "0,05"
    assert f.value(1136.44, "signalen_per_1000") == "1.136,4"
    assert decimals_of("zorgsignalen_per_1000") == 1 and decimals_of("meubilair_per_1000") == 2
