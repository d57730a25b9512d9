"""Small-count suppression for signals, shown to everyone but admins.

- Primary suppression: a count of 1 to ``threshold - 1`` is shown as "< 5".
- Complementary suppression: whenever a group whose total is published (the areas of one
  parent, a row with its total, a column with its total) would have exactly one hidden cell,
  the smallest other visible cell of that group is hidden too, so the hidden value cannot be
  worked out by subtraction. Repeated until nothing changes.
- Rates built on a hidden count are hidden as well.
- Hidden ("< 5" or "verborgen"), zero ("0") and no data ("—") look different.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 5
PRIMARY = "< 5"
COMPLEMENTARY = "verborgen"
NO_DATA = "—"


def primary_mask(values: pd.DataFrame | pd.Series, *, threshold: int = THRESHOLD):
    """True where a count lies in [1, threshold - 1]."""
    return (values >= 1) & (values < threshold)


def _complete_group(values: np.ndarray, hidden: np.ndarray, cells: np.ndarray) -> bool:
    """Hide one more cell of ``cells`` when exactly one of them is hidden; True if changed."""
    in_group = hidden[cells]
    if in_group.sum() != 1:
        return False
    candidates = cells[~in_group]
    if candidates.size == 0:
        return False
    vals = values[candidates].astype(float)
    # prefer the smallest non-zero cell (hiding a zero still leaves the pair's sum known)
    order = np.lexsort((vals, vals == 0))
    hidden[candidates[order[0]]] = True
    return True


def suppress_table(table: pd.DataFrame, *, row_groups: pd.Series | None = None,
                   row_totals: bool = True, column_totals: bool = True,
                   threshold: int = THRESHOLD) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Masks of primary and complementary suppression for a table of counts.

    Parameters
    ----------
    table : DataFrame
        Counts; rows are areas (or months), columns categories. A one-column table is a
        single count per area.
    row_groups : Series, optional
        Parent of each row (e.g. the wijk of each sector): each parent's total per column is
        assumed published, so each parent's rows form a group. Without it all rows form one
        group when ``column_totals``.
    row_totals, column_totals : bool
        Whether totals per row / per column are published.

    Returns
    -------
    (primary, complementary) : two boolean DataFrames shaped like ``table``.
    """
    values = table.fillna(0).to_numpy(dtype=float)
    primary = primary_mask(pd.DataFrame(values)).to_numpy()
    hidden = primary.copy()
    n_rows, n_cols = values.shape
    flat_vals = values.ravel()
    flat_hidden = hidden.ravel()  # view: changes write through to ``hidden``
    index = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    groups: list[np.ndarray] = []
    if column_totals:
        if row_groups is not None:
            labels = pd.Series(row_groups).to_numpy()
            for label in pd.unique(labels):
                rows = np.flatnonzero(labels == label)
                groups.extend(index[rows, c] for c in range(n_cols))
        else:
            groups.extend(index[:, c] for c in range(n_cols))
    if row_totals and n_cols > 1:
        groups.extend(index[r, :] for r in range(n_rows))
    changed = True
    while changed:
        changed = False
        for cells in groups:
            changed |= _complete_group(flat_vals, flat_hidden, cells)
    complementary = hidden & ~primary
    return (pd.DataFrame(primary, index=table.index, columns=table.columns),
            pd.DataFrame(complementary, index=table.index, columns=table.columns))


def alert_cells(table: pd.DataFrame, *, admin: bool,
                row_groups: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Primary and complementary masks of the observed counts of an early-warning table
    (``code, categorie, waargenomen``; masks indexed as ``table``), the one rule of the Kaart's
    Opvallend list, the Wijkfiche and the Presentatie: per area across its categories (an
    area's total per month is published) and per category across the areas, or across each
    group of ``row_groups`` (code → parent, e.g. the wijk of each sector: the wijk's count is
    published). Nothing is hidden for an admin."""
    primary = pd.Series(False, index=table.index)
    complementary = pd.Series(False, index=table.index)
    if admin or table.empty:
        return primary, complementary
    wide = table.pivot_table(index="code", columns="categorie", values="waargenomen", aggfunc="sum", fill_value=0)
    groups = None if row_groups is None else pd.Series(wide.index.map(row_groups), index=wide.index).fillna("")
    p, c = suppress_table(wide.astype(float), row_groups=groups, row_totals=True, column_totals=True)
    # each row's cell of the wide masks, looked up at once (every code and category is in them)
    rows = wide.index.get_indexer(table["code"])
    cols = wide.columns.get_indexer(table["categorie"])
    if (rows < 0).any() or (cols < 0).any():  # a code or category the pivot dropped (missing)
        missing = table.loc[(rows < 0) | (cols < 0), ["code", "categorie"]].iloc[0].tolist()
        raise KeyError(missing)
    primary[:] = p.to_numpy(dtype=bool)[rows, cols]
    complementary[:] = c.to_numpy(dtype=bool)[rows, cols]
    return primary, complementary


def suppress_counts(counts: pd.Series, *, parent: pd.Series | None = None,
                    threshold: int = THRESHOLD) -> tuple[pd.Series, pd.Series]:
    """:func:`suppress_table` for one count per area; returns (primary, complementary)."""
    primary, comp = suppress_table(counts.to_frame("n"), row_groups=parent, row_totals=False,
                                   threshold=threshold)
    return primary["n"], comp["n"]


def display(counts: pd.Series | pd.DataFrame, primary, complementary):
    """Counts as text: "< 5", "verborgen", "—" (no data) or the number."""
    def one(value, p, c):
        if p:
            return PRIMARY
        if c:
            return COMPLEMENTARY
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return NO_DATA
        return f"{int(value)}"

    if isinstance(counts, pd.Series):
        return pd.Series([one(v, p, c) for v, p, c in zip(counts, primary, complementary)], index=counts.index)
    out = counts.copy().astype(object)
    for col in counts.columns:
        out[col] = display(counts[col], primary[col], complementary[col])
    return out
