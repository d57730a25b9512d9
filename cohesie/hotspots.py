"""Hot spots: where do sectors with a high signal rate cluster?

Method (the README's "Hot spots" section says the same in words): Getis-Ord Gi* (PySAL
``esda.G_Local`` with ``star=True``) on the signals per 1000 inhabitants of each sector, with
queen contiguity (``libpysal.weights.Queen``: sectors sharing a border or a corner are
neighbours; binary weights, the sector itself included). Gi* compares the rate of a sector and
its neighbours together with the city's; its z-score is positive where high rates cluster and
negative where low rates do. The two-sided p-value comes from the normal approximation of the
z-score and is corrected for the number of sectors tested (Benjamini-Hochberg, statsmodels).

Classes: ``hot spot 99 %`` (z > 0, corrected p < 0.01), ``hot spot 95 %`` (z > 0, corrected
p < 0.05), ``cold spot`` (z < 0, corrected p < 0.05), ``niet significant``; sectors that cannot
be tested: ``geen inwoners`` (no or no known inhabitants: no rate) and ``geen buren`` (no
neighbouring sector with a rate, an "island").
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie.errors import CohesieError
from cohesie.i18n import translate
from cohesie.indicators import Filters

HOT_99, HOT_95, COLD, NOT_SIGNIFICANT = "hot spot 99 %", "hot spot 95 %", "cold spot", "niet significant"
NO_INHABITANTS, NO_NEIGHBOURS = "geen inwoners", "geen buren"
CLASSES = (HOT_99, HOT_95, COLD, NOT_SIGNIFICANT, NO_INHABITANTS, NO_NEIGHBOURS)
HOTSPOT_COLUMNS = ["code", "naam", "waarde", "z", "p_waarde", "klasse"]
MIN_TESTED = 3  # Gi* needs a few areas with a value


@dataclass
class HotSpots:
    """Result of :func:`hot_spots`.

    table : one row per sector, :data:`HOTSPOT_COLUMNS` (``waarde`` = signals per 1000
        inhabitants; ``klasse`` one of :data:`CLASSES`, the Dutch key) plus ``signalen``.
    labels : ``klasse`` key → label in the user's language.
    method : one line that explains the method.
    notes : sectors left out and why.
    """

    table: pd.DataFrame
    labels: dict
    method: str
    notes: list[str] = field(default_factory=list)


def class_labels(lang: str = "nl") -> dict[str, str]:
    return {k: translate(k, lang) for k in CLASSES}


def method_line(lang: str = "nl") -> str:
    return translate("Getis-Ord Gi*: vergelijkt de signalen per 1000 inwoners van een sector en zijn buren (sectoren "
                     "die een grens of hoek delen) met die van de hele stad; een hot spot is een groep sectoren met "
                     "samen uitzonderlijk hoge cijfers, na correctie voor het aantal getoetste sectoren.", lang)


def gi_star(values: np.ndarray, geometries, *, alpha: float = 0.05) -> pd.DataFrame:
    """Gi* of ``values`` on ``geometries`` (same order): columns ``z``, ``p_waarde``
    (two-sided, Benjamini-Hochberg corrected), ``klasse``; NaN values are left out and
    classed ``geen inwoners``, areas without a neighbour with a value ``geen buren``."""
    import esda
    import geopandas as gpd
    import libpysal
    from statsmodels.stats.multitest import multipletests

    values = np.asarray(values, dtype="float64")
    n = len(values)
    out = pd.DataFrame({"z": np.full(n, np.nan), "p_waarde": np.full(n, np.nan),
                        "klasse": np.full(n, NO_INHABITANTS, dtype=object)})
    valued = np.flatnonzero(~np.isnan(values))
    if len(valued) == 0:
        return out
    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries(list(geometries)).iloc[valued].reset_index(drop=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
    islands = set(w.islands)
    out.loc[valued[list(islands)], "klasse"] = NO_NEIGHBOURS
    keep = np.array([i for i in range(len(valued)) if i not in islands], dtype=int)
    if len(keep) < MIN_TESTED:
        out.loc[valued[keep], "klasse"] = NOT_SIGNIFICANT
        return out
    if islands:
        w = libpysal.weights.w_subset(w, list(keep), silence_warnings=True)
    y = values[valued[keep]]
    if np.allclose(y, y[0]):  # every rate equal: nothing stands out (Gi* is undefined)
        out.loc[valued[keep], ["z", "p_waarde"]] = [0.0, 1.0]
        out.loc[valued[keep], "klasse"] = NOT_SIGNIFICANT
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = esda.G_Local(y, w, transform="B", permutations=0, star=True)
    z = np.asarray(g.Zs, dtype="float64")
    p = np.clip(2 * np.asarray(g.p_norm, dtype="float64"), 0, 1)
    p_adj = multipletests(np.nan_to_num(p, nan=1.0), method="fdr_bh")[1]
    klasse = np.where((z > 0) & (p_adj < 0.01), HOT_99,
                      np.where((z > 0) & (p_adj < alpha), HOT_95,
                               np.where((z < 0) & (p_adj < alpha), COLD, NOT_SIGNIFICANT)))
    rows = valued[keep]
    out.loc[rows, "z"], out.loc[rows, "p_waarde"], out.loc[rows, "klasse"] = z, p_adj, klasse
    return out


def hot_spots_of_rates(sectors, counts: pd.Series, *, lang: str = "nl") -> HotSpots:
    """:class:`HotSpots` for ``counts`` (signals per sector code) on ``sectors`` (a
    GeoDataFrame with ``code``, ``naam``, ``inwoners``, geometry)."""
    from cohesie.formatting import formatter

    frame = sectors[["code", "naam", "inwoners", "geometry"]].copy().sort_values("code", ignore_index=True)
    frame["code"] = frame["code"].astype(str)
    signals = frame["code"].map(counts.rename(index=str)).fillna(0).astype("int64")
    people = pd.to_numeric(frame["inwoners"], errors="coerce")
    rate = (signals / people.where(people > 0) * 1000).to_numpy(dtype="float64")
    result = gi_star(rate, frame.geometry.to_numpy())
    table = pd.DataFrame({"code": frame["code"], "naam": frame["naam"], "waarde": np.round(rate, 3),
                          "z": result["z"].round(3), "p_waarde": result["p_waarde"].round(4),
                          "klasse": result["klasse"], "signalen": signals})
    fmt = formatter(lang)
    notes = []
    for key, text in ((NO_INHABITANTS, "{n} sector(en) zonder (gekende) inwoners hebben geen cijfer per 1000 "
                       "inwoners en zijn niet getoetst: {codes}."),
                      (NO_NEIGHBOURS, "{n} sector(en) zonder buren met een cijfer (eilanden) zijn niet getoetst: "
                       "{codes}.")):
        left = table.loc[table["klasse"] == key, "code"].tolist()
        if left:
            codes = ", ".join(left[:10]) + (" …" if len(left) > 10 else "")
            notes.append(translate(text, lang, n=fmt.integer(len(left)), codes=codes))
    return HotSpots(table=table, labels=class_labels(lang), method=method_line(lang), notes=notes)


def hot_spots(index, sectors, *, category: str | None = None, start=None, end=None,
              filters: Filters = Filters(), lang: str = "nl") -> HotSpots:
    """Hot spots of counted signals (of ``category``; all when None) reported between
    ``start`` and ``end`` (inclusive), per sector, from the :class:`~cohesie.counting.PointIndex`
    ``index``."""
    types = dict(filters.types)
    if category:
        from cohesie.surveillance import check_category

        check_category(index, category)
        types["signalen"] = (category,)
    f = Filters(start=start, end=end, layers=("signalen",), types=types, statuses=filters.statuses,
                wijken=filters.wijken)
    counts = index.area_counts("sector", f)["signalen"] if index.n else pd.Series(dtype="int64")
    return hot_spots_of_rates(sectors, counts, lang=lang)
