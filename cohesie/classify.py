"""Choropleth classes and their colours: the same for the map, legend and exports.

Quantiles and equal intervals are computed here with numpy exactly as mapclassify computes them
(``mapclassify.Quantiles`` / ``EqualInterval``; ``tests/test_classify.py`` compares the bounds),
because importing mapclassify pulls in scipy.stats (2-4 s on a cold server start, before the
first map). Natural breaks (Fisher-Jenks) come from mapclassify itself, imported when asked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

METHODS = {"quantiles": "Kwantielen", "equal_interval": "Gelijke intervallen",
           "natural_breaks": "Natuurlijke grenzen (Jenks)"}
# ColorBrewer YlOrRd, 3 to 7 classes
PALETTES = {
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
NO_DATA_COLOUR = "#d9d9d9"
HIDDEN_COLOUR = "#9e9ac8"  # suppressed signal counts: unlike any class colour and unlike no data


@dataclass
class Classes:
    """Class bounds, their colours, the number of areas per class and a colour per input value.

    Classes are never empty and never of zero width: duplicate bounds (quantiles of tied
    values) are merged and a class that no value falls in is dropped, so fewer classes are
    shown when there are fewer distinct values.
    """

    bins: list[float]  # upper bound per class
    colours: list[str]
    lower: float
    value_colours: pd.Series  # same index as the input values
    counts: list[int] = field(default_factory=list)  # areas per class
    no_data: int = 0  # areas without a value

    def legend(self, fmt=None, *, decimals: int = 1, lang: str = "nl",
               with_counts: bool = True) -> list[tuple[str, str]]:
        """``[(colour, "a – b (n)"), ...]`` for the legend, plus the no-data entry if needed.

        ``fmt(value) -> str`` formats a bound; by default the one formatter
        (:mod:`cohesie.formatting`) with ``decimals`` in ``lang``. A class holding a single
        value shows that value alone.
        """
        from cohesie.formatting import formatter

        f = formatter(lang)
        fmt = fmt or (lambda v: f.number(v, decimals))
        area_word = {"nl": ("gebied", "gebieden"), "en": ("area", "areas")}.get(lang, ("gebied", "gebieden"))
        rows, low = [], self.lower
        for i, (colour, high) in enumerate(zip(self.colours, self.bins)):
            text = fmt(high) if fmt(low) == fmt(high) else f"{fmt(low)} – {fmt(high)}"
            if with_counts and i < len(self.counts):
                n = self.counts[i]
                text += f" ({n} {area_word[0] if n == 1 else area_word[1]})"
            rows.append((colour, text))
            low = high
        if self.no_data:
            text = f.no_data
            if with_counts:
                text += f" ({self.no_data} {area_word[0] if self.no_data == 1 else area_word[1]})"
            rows.append((NO_DATA_COLOUR, text))
        return rows


def quantile_bounds(arr: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes, as ``mapclassify.classifiers.quantile``: the
    percentiles 100/k, 200/k, … 100 (linear interpolation), repeated bounds merged."""
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    if p[-1] > 100.0:
        p[-1] = 100.0
    # scipy.stats.scoreatpercentile's interpolation (what mapclassify calls), not np.percentile's:
    # the two differ in the last bit between tied values, and mapclassify then keeps a bound
    # twice (e.g. [0, 0, x, x, x] in 6 classes gives x and x less one bit)
    s = np.sort(np.asarray(arr, dtype="float64"))
    idx = p / 100.0 * (len(s) - 1)
    i = idx.astype(np.int64)
    whole = i == idx
    upper = np.minimum(i + 1, len(s) - 1)
    w0, w1 = (i + 1) - idx, idx - i
    with np.errstate(invalid="ignore"):
        mixed = (s[i] * w0 + s[upper] * w1) / (w0 + w1)
    return np.unique(np.where(whole, s[i], mixed))


def equal_interval_bounds(arr: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes of equal width, as ``mapclassify.EqualInterval``."""
    max_y, min_y = float(np.max(arr)), float(np.min(arr))
    width = (max_y - min_y) / k
    cuts = np.arange(min_y + width, max_y + width, width)
    if len(cuts) > k:  # floating-point overshoot
        cuts = cuts[0:k]
    cuts[-1] = max_y
    return cuts


def classify(values: pd.Series, *, method: str = "quantiles", k: int = 5) -> Classes:
    """Put ``values`` in at most ``k`` classes and colour them.

    Parameters
    ----------
    method : {"quantiles", "equal_interval", "natural_breaks"}
    k : int
        Number of classes (3-7); fewer when there are fewer distinct values, and classes that
        would be empty or of zero width are merged away.
    """
    if method not in METHODS:
        raise ValueError(f"onbekende klassenmethode {method}")
    vals = pd.to_numeric(values, errors="coerce").astype("float64")
    known = vals.dropna()
    colours = pd.Series(NO_DATA_COLOUR, index=vals.index, dtype=object)
    missing = int(vals.isna().sum())
    if known.empty:
        return Classes([], [], 0.0, colours, [], missing)
    distinct = known.nunique()
    if distinct == 1:
        v = float(known.iloc[0])
        colours[known.index] = PALETTES[3][1]
        return Classes([v], [PALETTES[3][1]], v, colours, [int(len(known))], missing)
    k = int(min(max(k, 3), 7, distinct))
    arr = known.to_numpy()
    if method == "quantiles":
        bins = quantile_bounds(arr, k)
    elif method == "equal_interval":
        bins = equal_interval_bounds(arr, k)
    else:
        import warnings

        with warnings.catch_warnings():  # "Numba not installed"; "not enough unique values"
            warnings.simplefilter("ignore")
            import mapclassify

            bins = mapclassify.FisherJenks(arr, k=k).bins
    # merge duplicate bounds, then drop classes no value falls in
    bins = np.unique(np.asarray(bins, dtype="float64"))
    bins[-1] = max(bins[-1], float(arr.max()))
    yb = np.searchsorted(bins, arr, side="left")
    used = np.unique(yb)
    bins = bins[used]
    yb = np.searchsorted(bins, arr, side="left")
    k_eff = len(bins)
    palette = PALETTES[max(k_eff, 3)][-k_eff:] if k_eff < 3 else PALETTES[k_eff]
    colours[known.index] = [palette[int(i)] for i in yb]
    counts = np.bincount(yb, minlength=k_eff).tolist()
    return Classes([float(b) for b in bins], palette, float(np.min(arr)), colours, counts, missing)


# -- diverging classes for changes (the Kaart's "Verandering", issue 12) ----------------------
#: ColorBrewer 7-class diverging palettes, low → high, the neutral colour in the middle. The
#: warm end is always the worse one: RdBu reversed (more signals = red) for nuisance, BrBG
#: (less furniture or fewer projects = brown) for what the team places or runs.
DIVERGING = {
    "RdBu": ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"],
    "BrBG": ["#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"],
}
#: Percent change of an area whose start value is 0: undefined, its own legend row.
UNDEFINED_COLOUR = "#ffffff"


@dataclass
class DivergingClasses:
    """Classes symmetric around 0: ``[-b, -a] … [0] … [a, b]``, 0 alone the neutral middle.

    Bounds are whole multiples of the shown unit (``10 ** -decimals``) and the values are
    classified as shown (rounded to ``decimals``), so a bound in the legend is never between
    two classes. The positive and negative sides use the same bounds and mirrored colours; a
    class that no area falls in is left out (the others keep their bounds and colours), the
    middle class always stays.
    The outermost class on each side shows the most extreme value as its bound.
    """

    ranges: list[tuple[float, float]]  # (low, high) per class, low → high; (0, 0) the middle
    colours: list[str]
    counts: list[int]
    value_colours: pd.Series
    decimals: int = 0
    no_data: int = 0

    def legend(self, *, lang: str = "nl", unit: str = "", no_change: str = "") -> list[tuple[str, str]]:
        """``[(colour, "+1 – +3 (4 gebieden)"), ..., (colour, "±0 geen verandering (n)")]``
        low → high; ``unit`` (e.g. " %") follows each number. The no-data row is left to
        the caller (it knows why an area has no change)."""
        from cohesie.formatting import formatter

        f = formatter(lang)
        area_word = {"nl": ("gebied", "gebieden"), "en": ("area", "areas")}.get(lang, ("gebied", "gebieden"))

        def fmt(v):
            if v == 0:
                return "±" + f.number(0, self.decimals) + unit
            text = f.number(v, self.decimals, sign=True)
            return ("−" + text[1:] if text.startswith("-") else text) + unit  # a real minus sign

        rows = []
        for (low, high), colour, n in zip(self.ranges, self.colours, self.counts):
            text = fmt(low) if low == high else f"{fmt(low)} – {fmt(high)}"
            if low == high == 0 and no_change:
                text += f" {no_change}"
            rows.append((colour, f"{text} ({n} {area_word[0] if n == 1 else area_word[1]})"))
        return rows


def diverging(values: pd.Series, *, decimals: int = 0, per_side: int = 3,
              palette: str = "RdBu", method: str = "equal_interval") -> DivergingClasses:
    """Classes of changes symmetric around 0 (equal steps up to the largest absolute change).

    Parameters
    ----------
    values : Series
        Changes per area (NaN: no change to show; counted in ``no_data``).
    decimals : int
        Decimals the changes are shown with; 0 is every value that shows as 0.
    per_side : int
        Classes on each side of 0 (1-3); fewer when the largest change has fewer units.
    method : str
        A key of :data:`METHODS`: the side classes' bounds are those of :func:`classify` of
        the absolute non-zero changes (rounded up to the shown unit), the same on both sides.
    palette : {"RdBu", "BrBG"}
        Key of :data:`DIVERGING`.
    """
    colours_all = DIVERGING[palette]
    vals = pd.to_numeric(values, errors="coerce").astype("float64")
    colours = pd.Series(NO_DATA_COLOUR, index=vals.index, dtype=object)
    known = vals.dropna()
    unit = 10.0 ** -decimals
    units = np.rint(known.to_numpy() / unit).astype("int64")
    largest = int(np.abs(units).max()) if len(units) else 0
    per_side = int(min(max(per_side, 1), 3))
    if method == "equal_interval" or largest == 0:
        tops = sorted({int(math.ceil(largest * i / per_side)) for i in range(1, per_side + 1)} - {0})
    else:
        nonzero = np.abs(units[units != 0]).astype("float64")
        bins = classify(pd.Series(nonzero), method=method, k=max(per_side, 3)).bins if nonzero.size else []
        if len(bins) > per_side:  # classify makes at least 3 classes: keep per_side of them
            bins = [bins[int(round((i + 1) * len(bins) / per_side)) - 1] for i in range(per_side)]
        tops = sorted({int(math.ceil(b - 1e-9)) for b in bins} | {largest})
    sides = list(zip([0, *tops[:-1]], tops))  # (previous top, top): the class is (prev, top]
    side_colours = {1: [5], 2: [4, 6], 3: [4, 5, 6]}.get(len(sides), [])
    # class index per value: -k … -1 negative, 0 middle, 1 … k positive
    k = np.zeros(len(units), dtype="int64")
    for i, (prev, top) in enumerate(sides, start=1):
        k[(units > prev) & (units <= top)] = i
        k[(units < -prev) & (units >= -top)] = -i
    ranges, cols, counts, keys = [], [], [], []
    for i in range(-len(sides), len(sides) + 1):
        if i == 0:
            ranges.append((0.0, 0.0))
            cols.append(colours_all[3])
        else:
            prev, top = sides[abs(i) - 1]
            low, high = (prev + 1, top) if i > 0 else (-top, -(prev + 1))
            ranges.append((round(low * unit, decimals), round(high * unit, decimals)))
            c = side_colours[abs(i) - 1]
            cols.append(colours_all[c] if i > 0 else colours_all[6 - c])
        counts.append(int((k == i).sum()))
        keys.append(i)
    # leave out the classes no area falls in (never the middle): the others keep their bounds
    # and colours, so a colour always means the same distance from 0
    kept = [j for j, (i, n) in enumerate(zip(keys, counts)) if i == 0 or n > 0]
    ranges, cols, counts, keys = ([lst[j] for j in kept] for lst in (ranges, cols, counts, keys))
    # the outermost bounds shown are the extreme values (a decrease of 108 % cannot happen
    # just because the increases reach +108 %); the classes themselves stay symmetric
    if len(units) and keys[0] < 0:
        ranges[0] = (round(max(ranges[0][0], float(units.min()) * unit), decimals), ranges[0][1])
    if len(units) and keys[-1] > 0:
        ranges[-1] = (ranges[-1][0], round(min(ranges[-1][1], float(units.max()) * unit), decimals))
    colour_of = dict(zip(keys, cols))
    colours[known.index] = [colour_of[int(i)] for i in k]
    return DivergingClasses(ranges, cols, counts, colours, decimals, int(vals.isna().sum()))
