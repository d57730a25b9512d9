"""Suppression on hand-made tables."""

import pandas as pd

from cohesie import privacy


def test_primary_suppression_hides_one_to_four_only():
    counts = pd.Series([0, 1, 4, 5, 12], index=list("abcde"))
    primary = privacy.primary_mask(counts)
    assert primary.tolist() == [False, True, True, False, False]


def test_single_hidden_cell_gets_a_complement_in_its_parent():
    # wijk W1 has sectors a, b, c; only a is small. With W1's total published,
    # a = total - b - c, so one more cell of W1 must be hidden: the smallest non-zero (c = 6).
    counts = pd.Series([3, 20, 6, 9, 8], index=list("abcde"))
    parent = pd.Series(["W1", "W1", "W1", "W2", "W2"], index=counts.index)
    primary, comp = privacy.suppress_counts(counts, parent=parent)
    assert primary.tolist() == [True, False, False, False, False]
    assert comp.tolist() == [False, False, True, False, False]
    shown = privacy.display(counts, primary, comp)
    assert shown.tolist() == ["< 5", "20", "verborgen", "9", "8"]


def test_only_complementary_suppression_protects_the_hidden_cell():
    # Without a complement, the hidden 2 equals the row total (14) minus 12.
    table = pd.DataFrame({"zwerfvuil": [12, 30], "zorgsignaal": [2, 7]}, index=["W1", "W2"])
    primary, comp = privacy.suppress_table(table, row_totals=True, column_totals=True)
    assert primary.loc["W1", "zorgsignaal"]
    hidden = primary | comp
    # every row and every column has either no hidden cell or at least two
    assert all(n != 1 for n in hidden.sum(axis=1))
    assert all(n != 1 for n in hidden.sum(axis=0))
    # so W1's zorgsignaal can no longer be derived from W1's total
    assert comp.to_numpy().sum() >= 1


def test_zero_and_no_data_look_different_from_suppressed():
    counts = pd.Series([0.0, float("nan"), 2.0], index=list("xyz"))
    primary, comp = privacy.suppress_table(counts.to_frame("n"), row_totals=False, column_totals=False)
    shown = privacy.display(counts, primary["n"], comp["n"])
    assert shown["x"] == "0" and shown["y"] == "—" and shown["z"] == "< 5"
    assert len({shown["x"], shown["y"], shown["z"]}) == 3


def _alert_cells_by_row(table, *, admin, row_groups=None):
    """The masks looked up cell by cell with .loc, as alert_cells did before (the reference for
    its positional look-up); the wide table built with unstack, not pivot_table."""
    if admin:
        return pd.Series(False, index=table.index), pd.Series(False, index=table.index)
    wide = table.groupby(["code", "categorie"])["waargenomen"].sum().unstack(fill_value=0)
    parents = None if row_groups is None else wide.index.to_series().map(row_groups).fillna("")
    p, c = privacy.suppress_table(wide.astype(float), row_groups=parents)
    looked_up = [(bool(p.loc[r.code, r.categorie]), bool(c.loc[r.code, r.categorie])) for r in table.itertuples()]
    return (pd.Series([a for a, _ in looked_up], index=table.index, dtype=bool),
            pd.Series([b for _, b in looked_up], index=table.index, dtype=bool))


def test_alert_cells_equal_the_row_by_row_lookup():
    import numpy as np

    rng = np.random.default_rng(15)
    codes = [f"S{i:03d}" for i in range(60)]
    cats = ["a", "b", "c", "d"]
    table = pd.DataFrame([(c, k) for c in codes for k in cats], columns=["code", "categorie"])
    table["waargenomen"] = rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 12], size=len(table))
    table = table.sample(frac=1.0, random_state=3)  # rows in any order, index not sorted
    table.index = rng.permutation(len(table)) + 100
    parents = pd.Series({c: f"W{i % 7}" for i, c in enumerate(codes)})
    for groups in (None, parents):
        p, c = privacy.alert_cells(table, admin=False, row_groups=groups)
        rp, rc = _alert_cells_by_row(table, admin=False, row_groups=groups)
        assert p.index.equals(table.index) and c.index.equals(table.index)
        pd.testing.assert_series_equal(p, rp)
        pd.testing.assert_series_equal(c, rc)
        assert p.any() and c.any()  # the data have hidden cells of both kinds
    p, c = privacy.alert_cells(table, admin=True, row_groups=parents)
    assert not p.any() and not c.any()
