"""Choropleth classes (mapclassify) and their colours: the same for the map, legend and exports."""

from __future__ import annotations

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


def classify(values: pd.Series, *, method: str = "quantiles", k: int = 5) -> Classes:
    """Put ``values`` in at most ``k`` classes with mapclassify and colour them.

    Parameters
    ----------
    method : {"quantiles", "equal_interval", "natural_breaks"}
    k : int
        Number of classes (3-7); fewer when there are fewer distinct values, and classes that
        would be empty or of zero width are merged away.
    """
    import warnings

    with warnings.catch_warnings():  # "Numba not installed": pure Python is fast enough here
        warnings.simplefilter("ignore")
        import mapclassify

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
    with warnings.catch_warnings():  # "not enough unique values": handled below by merging
        warnings.simplefilter("ignore")
        if method == "quantiles":
            cls = mapclassify.Quantiles(arr, k=k)
        elif method == "equal_interval":
            cls = mapclassify.EqualInterval(arr, k=k)
        else:
            cls = mapclassify.FisherJenks(arr, k=k)
    # merge duplicate bounds, then drop classes no value falls in
    bins = np.unique(np.asarray(cls.bins, dtype="float64"))
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
