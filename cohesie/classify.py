"""Choropleth classes (mapclassify) and their colours: the same for the map, legend and exports."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Class upper bounds, their colours and a colour per input value."""

    bins: list[float]
    colours: list[str]
    lower: float
    value_colours: pd.Series  # same index as the input values

    def legend(self, fmt=lambda v: f"{v:,.1f}".replace(",", " ")) -> list[tuple[str, str]]:
        """``[(colour, "a – b"), ...]`` for the legend, plus the no-data entry if needed."""
        rows, low = [], self.lower
        for colour, high in zip(self.colours, self.bins):
            rows.append((colour, f"{fmt(low)} – {fmt(high)}"))
            low = high
        if self.value_colours.eq(NO_DATA_COLOUR).any():
            rows.append((NO_DATA_COLOUR, "geen gegevens"))
        return rows


def classify(values: pd.Series, *, method: str = "quantiles", k: int = 5) -> Classes:
    """Put ``values`` in ``k`` classes with mapclassify and colour them.

    Parameters
    ----------
    method : {"quantiles", "equal_interval", "natural_breaks"}
    k : int
        Number of classes (3-7); fewer when there are fewer distinct values.
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
    if known.empty:
        return Classes([], [], 0.0, colours)
    k = int(min(max(k, 3), 7, max(known.nunique(), 1)))
    if known.nunique() == 1:
        v = float(known.iloc[0])
        colours[known.index] = PALETTES[3][1]
        return Classes([v], [PALETTES[3][1]], v, colours)
    arr = known.to_numpy()
    if method == "quantiles":
        cls = mapclassify.Quantiles(arr, k=k)
    elif method == "equal_interval":
        cls = mapclassify.EqualInterval(arr, k=k)
    else:
        cls = mapclassify.FisherJenks(arr, k=k)
    bins = [float(b) for b in cls.bins]
    k_eff = len(bins)
    palette = PALETTES[max(k_eff, 3)][-k_eff:] if k_eff < 3 else PALETTES[k_eff]
    colours[known.index] = [palette[int(i)] for i in cls.yb]
    return Classes(bins, palette, float(np.min(arr)), colours)
