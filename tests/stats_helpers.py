"""Simulated areas and signals for the statistics tests (issue 13): a grid of squares as
sectors and a points frame with the columns :class:`cohesie.counting.PointIndex` reads."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

X0, Y0 = 150_000.0, 190_000.0  # EPSG:31370


def grid_sectors(n: int = 4, *, size: float = 500.0, per_wijk: int = 2, inhabitants=1000) -> gpd.GeoDataFrame:
    """``n`` × ``n`` squares of ``size`` m; sector ``S<row><col>``; wijk = a block of
    ``per_wijk`` × ``per_wijk`` squares (``W<row//per_wijk><col//per_wijk>``)."""
    rows = []
    for r in range(n):
        for c in range(n):
            wr, wc = r // per_wijk, c // per_wijk
            rows.append({"code": f"S{r}{c}", "naam": f"Sector {r}-{c}", "deelgemeente": "11111A",
                         "deelgemeente_naam": "Proefstad", "nis": "11111", "gemeente_naam": "Proefstad",
                         "wijk_code": f"W{wr}{wc}", "wijk_naam": f"Wijk {wr}-{wc}",
                         "inwoners": inhabitants if np.isscalar(inhabitants) else inhabitants[r * n + c],
                         "geometry": box(X0 + c * size, Y0 + r * size, X0 + (c + 1) * size, Y0 + (r + 1) * size)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=31370)


def signal_points(*, x, y, datum, type_, sector, wijk_code, status=None, layer="signalen",
                  ids=None, naam=None) -> pd.DataFrame:
    n = len(datum)
    return pd.DataFrame({
        "layer": np.full(n, layer, dtype=object),
        "id": ids if ids is not None else [f"S{i}" for i in range(n)],
        "naam": naam if naam is not None else np.full(n, None, dtype=object),
        "type": np.asarray(type_, dtype=object),
        "status": status if status is not None else np.full(n, "open", dtype=object),
        "datum": pd.to_datetime(pd.Series(datum)),
        "einddatum": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
        "x": np.asarray(x, dtype="float64"), "y": np.asarray(y, dtype="float64"),
        "sector": np.asarray(sector, dtype=object), "wijk_code": np.asarray(wijk_code, dtype=object),
    })


def monthly_signals(rng, sectors: gpd.GeoDataFrame, rates: dict, months: pd.PeriodIndex) -> pd.DataFrame:
    """Signals drawn per (sector code, category) from Poisson counts ``rates[(code, cat)][i]``
    in month ``months[i]``; each signal on a random day of its month at a random place in its
    sector."""
    by_code = sectors.set_index("code")
    parts = []
    for (code, cat), mean in rates.items():
        counts = rng.poisson(np.asarray(mean, dtype="float64"))
        total = int(counts.sum())
        if not total:
            continue
        month_of = np.repeat(np.arange(len(months)), counts)
        days = months[month_of].days_in_month.to_numpy()
        day = (rng.random(total) * days).astype(int)
        dates = months[month_of].to_timestamp().to_numpy() + day.astype("timedelta64[D]")
        minx, miny, maxx, maxy = by_code.loc[code, "geometry"].bounds
        parts.append(signal_points(x=rng.uniform(minx, maxx, total), y=rng.uniform(miny, maxy, total),
                                   datum=dates, type_=[cat] * total, sector=[code] * total,
                                   wijk_code=[by_code.loc[code, "wijk_code"]] * total))
    out = pd.concat(parts, ignore_index=True)
    out["id"] = [f"SIG{i}" for i in range(len(out))]
    return out
