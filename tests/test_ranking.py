"""cohesie.ranking on tiny tables whose ranks can be read off by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cohesie import ranking

# five wijken: b and c tie, e has no value (no population figure)
TABLE = pd.DataFrame({"code": ["a", "b", "c", "d", "e"],
                      "waarde": [10.0, 8.0, 8.0, 5.0, np.nan]})


def test_highest_is_first_and_ties_share_the_best_rank():
    got = {code: ranking.rank_among(TABLE, "waarde", code).rank for code in "abcd"}
    assert got == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert ranking.rank_among(TABLE, "waarde", "b").tied == 1
    assert ranking.rank_among(TABLE, "waarde", "a").tied == 0


def test_areas_without_a_value_are_left_out_and_said_so():
    rank = ranking.rank_among(TABLE, "waarde", "d")
    assert (rank.rank, rank.of, rank.missing, rank.withheld) == (4, 4, 1, 0)
    assert rank.text("nl") == "4 van 4" and rank.text("en") == "4 of 4"
    assert rank.note("nl") == "Niet gerangschikt: 1 zonder waarde."
    empty = ranking.rank_among(TABLE, "waarde", "e")
    assert empty.rank is None and empty.text() == "" and empty.of == 4


def test_every_area_ranked_has_no_note():
    full = TABLE.dropna()
    assert ranking.rank_among(full, "waarde", "a").note() == ""


def test_table_indexed_by_code_and_numbers_as_text_are_read():
    table = pd.DataFrame({"waarde": ["3", "7", ""]}, index=["x", "y", "z"])
    assert ranking.rank_among(table, "waarde", "x").rank == 2
    assert ranking.rank_among(table, "waarde", "x").of == 2


def test_withheld_values_neither_rank_nor_move_the_others():
    # counts 40, 3 ("< 5"), 7 (complementary "verborgen"), 6 and 0: ranked among the shown ones,
    # d would be 3rd among all five (behind 40 and the hidden 7) but is 2nd among 40, 6, 0
    counts = pd.DataFrame({"code": list("abcde"), "signalen": [40, 3, 7, 6, 0]})
    hidden = pd.Series([False, True, True, False, False], index=list("abcde"))
    d = ranking.rank_among(counts, "signalen", "d", hidden=hidden)
    assert (d.rank, d.of, d.withheld, d.missing) == (2, 3, 2, 0)
    assert d.note("en") == "Not ranked: 2 with a hidden count."
    # the same ranks whatever the hidden counts are: nothing about them leaks
    for b, c in [(1, 5), (4, 39), (2, 1000)]:
        other = counts.assign(signalen=[40, b, c, 6, 0])
        assert [ranking.rank_among(other, "signalen", k, hidden=hidden) for k in "ade"] == \
            [ranking.rank_among(counts, "signalen", k, hidden=hidden) for k in "ade"]
    own = ranking.rank_among(counts, "signalen", "b", hidden=hidden)
    assert own.rank is None and own.hidden and own.text() == ""


def test_ranks_of_every_area_match_rank_among():
    hidden = pd.Series({"a": True})
    got = ranking.ranks(TABLE, "waarde", hidden=hidden)
    assert np.isnan(got["a"]) and np.isnan(got["e"])
    assert got[["b", "c", "d"]].tolist() == [1, 1, 3]
    assert [ranking.rank_among(TABLE, "waarde", k, hidden=hidden).rank for k in "bcd"] == [1, 1, 3]


def test_strip_points_draw_neither_empty_nor_withheld_areas():
    hidden = pd.Series({"b": True})
    dots = ranking.strip_points(TABLE, "waarde", hidden=hidden)
    assert dots.to_dict() == {"a": 10.0, "c": 8.0, "d": 5.0}
