"""The bundled demo: a fictional municipality sized like Mechelen, built deterministically.

Everything here is invented (names, shapes, numbers). ``python -m cohesie demo`` writes it to
the data directory through the same storage code as real imports. The demo does not depend on
today's date: it is fixed at ``REFERENCE_DATE`` (the signals run from ``SIGNALS_FROM`` to
``SIGNALS_TO``, so October 2026 is the latest complete month and Q3 2026 the latest complete
quarter).

The signals (exactly ``N_SIGNALS``) carry planted patterns, so every view has something to find:

* **Seasons** — each category has its own yearly shape (``SEASON``): hangjongeren and
  wildplassen peak in July-August (about 2.7× and 3.4× the winter level), zwerfvuil mildly in early
  summer, burenoverlast and zorgsignalen in winter.
* **Base rates** — every sector's expected count is proportional to its inhabitants, times a
  random wijk factor (log-normal, sd 0.10) and sector factor (sd 0.12), so rates per 1000
  inhabitants differ a little between areas without any planted meaning.
* **Hot spot** — the adjacent sectors ``HOTSPOT_SECTORS`` (in Kouterwijk) have ``HOTSPOT_FACTOR``
  × the rate, in every category and month.
* **Recent surge** — in wijk ``SURGE_WIJK`` the category ``SURGE_CATEGORY`` has
  ``SURGE_FACTOR`` × its seasonal expectation from ``SURGE_FROM`` to the end of the data (so in
  the latest complete month and quarter); nothing else changes there.
* **Drop after a pleinmaker** — pleinmaker ``DROP_PLEINMAKER`` starts on ``DROP_START``; from
  then on a share ``DROP_SHARE`` of the signals within ``DROP_RADIUS_M`` of it is left out (every
  category), while the rest of the city stays level (no trend). Its 24 months before and after
  both lie inside the data.
* **Few care signals** — the least-populated sector has no zorgsignalen and the next two have
  3 each (``CARE_SPARSE``), so per sector the privacy rules show "< 5" and complementary hidden
  cells even over the whole period.

To keep the size fixed, the surplus of the planted surge over the planted drop is taken out at
random from the signals outside the planted places. tests/test_demo_patterns.py checks these
patterns by simple counts on the generated data.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cohesie import settings, spatial

DEMO_NIS = "99999"  # not a real NIS code, so demo data can never be mistaken for a real city
DEMO_NAME = "Demostad"
SEED = 20261122
CENTRE = (128_000.0, 198_000.0)  # EPSG:31370; the shapes are invented and match no real place
DEELGEMEENTEN = {"A": "Demostad", "B": "Brughoek", "C": "Elzenbroek", "D": "Heibeke",
                 "E": "Ravelde", "F": "Wolvenmeer"}
WIJKEN_CENTRUM = ["Kerkveld", "Molenhoek", "Vaartkant", "Stationswijk", "Bleekveld",
                  "Kouterwijk", "Lindenpark"]
STREET_A = ["Linden", "Kapel", "Molen", "Beuken", "Kouter", "Vijver", "Brug", "Heide", "Veld",
            "Zand", "Berken", "Wilgen", "Akker", "Vaart", "Meers"]
STREET_B = ["dreef", "hoek", "veld", "kant", "straat", "plein", "hof", "wijk", "laan", "berg"]
PLEINEN = ["Kerkplein", "Vaartplein", "Molenplein", "Lindenplein"]
PLEIN_START = ["2021-03-01", "2022-05-15", "2024-10-01", "2024-04-20"]

REFERENCE_DATE = pd.Timestamp("2026-10-31")  # the demo's "today": the last day with data
SIGNALS_FROM, SIGNALS_TO = pd.Timestamp("2022-01-01"), REFERENCE_DATE
N_SIGNALS = 100_000
CATEGORIES = ["hangjongeren", "wildplassen", "zwerfvuil", "burenoverlast", "zorgsignaal"]
SHARES = [0.2, 0.15, 0.4, 0.2, 0.05]
# (amplitude, month of the peak): a factor 1 + a·cos(2π(month − peak)/12) on the yearly mean
SEASON = {"hangjongeren": (0.5, 7.0), "wildplassen": (0.6, 7.5), "zwerfvuil": (0.25, 6.0),
          "burenoverlast": (0.15, 1.0), "zorgsignaal": (0.3, 12.5)}
HOTSPOT_SECTORS = ["99999A53-", "99999A54-", "99999A55-", "99999A57-"]  # adjacent, in Kouterwijk
HOTSPOT_FACTOR = 2.5
SURGE_WIJK, SURGE_CATEGORY = "Molenhoek", "zwerfvuil"
SURGE_FROM, SURGE_FACTOR = pd.Timestamp("2026-07-01"), 2.75
DROP_PLEINMAKER, DROP_RADIUS_M, DROP_SHARE = "PM03", 300.0, 0.38
DROP_START = pd.Timestamp(PLEIN_START[PLEINEN.index("Molenplein")])
CARE_SPARSE = (0, 3, 3)  # zorgsignalen over the whole period in the 1st, 2nd, 3rd least-populated sector


@dataclass
class Demo:
    sectors: gpd.GeoDataFrame
    wijkindeling: pd.DataFrame
    population: pd.DataFrame
    points: pd.DataFrame
    acties: pd.DataFrame


def _outline(rng: np.random.Generator):
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    radius = 4600 * (1 + 0.12 * np.sin(3 * angles + 0.4) + 0.06 * np.cos(5 * angles)
                     + rng.normal(0, 0.015, angles.size))
    return shapely.Polygon(np.c_[CENTRE[0] + radius * np.cos(angles),
                                 CENTRE[1] + radius * np.sin(angles)])


def _random_points_in(poly, n, rng, *, spread=None, centre=None):
    """``n`` points inside ``poly``; normally distributed around ``centre`` if ``spread``."""
    minx, miny, maxx, maxy = poly.bounds
    xs, ys = [], []
    shapely.prepare(poly)
    prepared = poly
    while sum(len(a) for a in xs) < n:
        m = max(2 * n, 1000)
        if spread:
            x = rng.normal(centre[0], spread, m)
            y = rng.normal(centre[1], spread, m)
        else:
            x = rng.uniform(minx, maxx, m)
            y = rng.uniform(miny, maxy, m)
        inside = shapely.contains_xy(prepared, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def _sectors(rng) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    outline = _outline(rng)
    cx, cy = CENTRE
    # 12 wijken: 7 in the centre (deelgemeente A), one per outer deelgemeente B-F
    n_per_wijk = [10, 9, 9, 8, 8, 8, 7, 8, 8, 7, 8, 7]  # 97 sectors
    rows = []
    centre_disk = shapely.Point(cx, cy).buffer(2300).intersection(outline)
    ring = outline.difference(centre_disk)
    wedges = []
    for k in range(7):
        a0, a1 = 2 * np.pi * k / 7, 2 * np.pi * (k + 1) / 7
        ang = np.linspace(a0, a1, 16)
        wedge = shapely.Polygon([(cx, cy), *zip(cx + 9000 * np.cos(ang), cy + 9000 * np.sin(ang))])
        wedges.append(("A", k, WIJKEN_CENTRUM[k], centre_disk.intersection(wedge)))
    for k, letter in enumerate("BCDEF"):
        a0, a1 = 2 * np.pi * k / 5 + 0.3, 2 * np.pi * (k + 1) / 5 + 0.3
        ang = np.linspace(a0, a1, 16)
        wedge = shapely.Polygon([(cx, cy), *zip(cx + 9000 * np.cos(ang), cy + 9000 * np.sin(ang))])
        wedges.append((letter, 0, f"{DEELGEMEENTEN[letter]}-dorp", ring.intersection(wedge)))
    table = []
    for (letter, wdigit, wname, wpoly), n in zip(wedges, n_per_wijk):
        sx, sy = _random_points_in(wpoly, n, rng)
        cells = shapely.voronoi_polygons(shapely.multipoints(np.c_[sx, sy]), extend_to=wpoly)
        cells = [c.intersection(wpoly) for c in cells.geoms]
        cells = sorted(cells, key=lambda c: (-c.centroid.y, c.centroid.x))
        wijk_code = f"{DEMO_NIS}{letter}{wdigit}"
        for i, cell in enumerate(cells):
            code = f"{wijk_code}{i}-" if i < 10 else f"{wijk_code}{chr(55 + i)}-"
            name = f"{STREET_A[rng.integers(len(STREET_A))]}{STREET_B[rng.integers(len(STREET_B))]}"
            rows.append({"code": code, "naam": name.capitalize(),
                         "deelgemeente": f"{DEMO_NIS}{letter}",
                         "deelgemeente_naam": DEELGEMEENTEN[letter], "nis": DEMO_NIS,
                         "gemeente_naam": DEMO_NAME, "geometry": cell})
            table.append({"sector": code, "wijk_code": wijk_code, "wijk_naam": wname})
    sectors = gpd.GeoDataFrame(rows, crs=settings.ANALYSIS_CRS)
    return sectors.sort_values("code", ignore_index=True), pd.DataFrame(table)


def _population(sectors, rng) -> pd.DataFrame:
    d = np.hypot(sectors.geometry.centroid.x - CENTRE[0], sectors.geometry.centroid.y - CENTRE[1])
    weight = sectors.geometry.area * np.exp(-d / 1800) * rng.uniform(0.6, 1.4, len(sectors))
    inhabitants = np.floor(weight / weight.sum() * 88_000).astype(int)
    inhabitants.iloc[int(np.argmax(inhabitants))] += 88_000 - int(inhabitants.sum())
    return pd.DataFrame({"sector": sectors["code"], "inwoners": inhabitants})


def _date(rng, n, start, end):
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days
    return pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days + 1, n), unit="D")


def _points(sectors, wijk_table, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    outline = shapely.union_all(sectors.geometry.values)
    wijk_codes = sorted(wijk_table["wijk_code"].unique())
    frames = []

    def frame(layer, n, *, spread=None, centre=CENTRE, **cols):
        x, y = _random_points_in(outline, n, rng, spread=spread, centre=centre)
        return pd.DataFrame({"layer": layer, "x": x, "y": y, **cols})

    # pleinmakers: public role names only
    pm_x, pm_y = _random_points_in(outline, 4, rng, spread=900, centre=CENTRE)
    frames.append(pd.DataFrame({
        "layer": "pleinmakers", "id": [f"PM{i + 1:02d}" for i in range(4)],
        "naam": [f"Pleinmaker {p}" for p in PLEINEN], "type": "pleinmaker", "status": "actief",
        "plein": PLEINEN, "datum": pd.to_datetime(PLEIN_START),
        "x": pm_x, "y": pm_y}))
    kinds = ["burendag", "pleinfeest", "zwerfvuilactie", "speelnamiddag", "buurtbabbel"]
    acties = []
    for i in range(4):
        for year in (2024, 2025, 2026):
            if year == 2026 and i == 3:
                continue  # one pleinmaker without an action this year: the follow-up shows it
            first, last = pd.Timestamp(f"{year}-01-15"), pd.Timestamp(f"{year}-10-31")
            start = max(first, pd.Timestamp(PLEIN_START[i]))
            for _ in range(int(rng.integers(1, 4))):
                when = _date(rng, 1, first, last)[0]
                if start > first:  # no action before the pleinmaker's start: squeeze into its year
                    when = (start + (when - first) * ((last - start) / (last - first))).normalize()
                acties.append({"pleinmaker_id": f"PM{i + 1:02d}", "datum": when,
                               "soort": kinds[int(rng.integers(len(kinds)))],
                               "beschrijving": "Actie op het plein met de buren"})
    # meubilair
    n = 60
    types = rng.choice(["gevelbank", "picknicktafel", "boekenruilkast"], n, p=[0.5, 0.3, 0.2])
    status = rng.choice(["geplaatst", "voorstel", "goedgekeurd", "verwijderd"], n, p=[0.8, 0.08, 0.07, 0.05])
    f = frame("meubilair", n, spread=2600)
    f["id"] = [f"M{i + 1:03d}" for i in range(n)]
    f["type"], f["status"] = types, status
    f["naam"] = [f"{t.capitalize()} {STREET_A[i % len(STREET_A)]}{STREET_B[i % len(STREET_B)]}" for i, t in enumerate(types)]
    f["adres"] = [f"{STREET_A[i % len(STREET_A)]}{STREET_B[(i + 3) % len(STREET_B)]} {i + 1}" for i in range(n)]
    f["datum"] = _date(rng, n, "2019-03-01", "2026-06-30")
    frames.append(f)
    # projecten: some only with a wijk reference
    n = 40
    cats = ["buurtproject", "burendag", "onthaal nieuwe inwoners", "jeugdwerking", "groen en plein", "ontmoeting"]
    names = ["Draaischijf", "Samen aan tafel", "Buurtmoestuin", "Straatspeeldag", "Welkom in de buurt",
             "Pleinpraat", "Bankje erbij", "Jong geweld", "Boekenbuurt", "Groene gevels"]
    f = frame("projecten", n, spread=2200)
    f["id"] = [f"P{i + 1:03d}" for i in range(n)]
    f["naam"] = [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(n)]
    f["type"] = rng.choice(cats, n)
    f["doelgroep"] = rng.choice(["alle buurtbewoners", "jongeren", "nieuwkomers", "senioren", "kinderen"], n)
    f["partners"] = rng.choice(["Samenlevingsopbouw", "OCMW", "Jeugddienst", "Buurtcomité", "Bibliotheek"], n)
    f["datum"] = _date(rng, n, "2022-01-01", "2026-09-01")
    f["einddatum"] = f["datum"] + pd.to_timedelta(rng.integers(30, 900, n), unit="D")
    f["status"] = np.where(f["einddatum"] <= REFERENCE_DATE, "afgerond", "lopend")
    wijk_only = rng.random(n) < 0.2
    f.loc[wijk_only, ["x", "y"]] = np.nan
    f["wijk_ref"] = np.where(wijk_only, rng.choice(wijk_codes, n), None)
    frames.append(f)
    # actoren
    n = 50
    f = frame("actoren", n, spread=2400)
    kinds_a = rng.choice(["stedelijke dienst", "middenveld", "school", "zorg", "bewonersgroep"], n)
    f["id"] = [f"A{i + 1:03d}" for i in range(n)]
    f["type"] = kinds_a
    f["naam"] = [f"{k.capitalize()} {STREET_A[(i * 7) % len(STREET_A)]}{STREET_B[(i * 3) % len(STREET_B)]}" for i, k in enumerate(kinds_a)]
    f["status"] = "actief"
    wijk_only = rng.random(n) < 0.15
    f.loc[wijk_only, ["x", "y"]] = np.nan
    f["wijk_ref"] = np.where(wijk_only, rng.choice(wijk_codes, n), None)
    frames.append(f)
    points = pd.concat(frames, ignore_index=True)
    return points, pd.DataFrame(acties)


def season_factor(category: str, month) -> np.ndarray:
    """The planted seasonal factor of ``category`` for calendar month(s) 1-12 (mean 1 over a year)."""
    amplitude, peak = SEASON[category]
    return 1 + amplitude * np.cos(2 * np.pi * (np.asarray(month, dtype=float) - peak) / 12)


def _signals(sectors, table, population, pleinmakers, rng) -> pd.DataFrame:
    """The signals with the planted patterns described in the module docstring."""
    codes = sectors["code"].to_numpy()
    wijk = table.set_index("sector")["wijk_code"].reindex(codes).to_numpy()
    wijk_names = table.drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"]
    inhabitants = population.set_index("sector")["inwoners"].reindex(codes).fillna(0).to_numpy(float)
    wijken = sorted(set(wijk))
    wijk_factor = dict(zip(wijken, rng.lognormal(0, 0.10, len(wijken))))
    weight = (inhabitants * np.array([wijk_factor[w] for w in wijk]) * rng.lognormal(0, 0.12, len(codes))
              * np.where(np.isin(codes, HOTSPOT_SECTORS), HOTSPOT_FACTOR, 1.0))
    months = pd.period_range(SIGNALS_FROM, SIGNALS_TO, freq="M")
    days = months.days_in_month.to_numpy(float)
    season = np.stack([season_factor(c, months.month) for c in CATEGORIES], axis=1)  # month × category
    # expected share of every (sector, month, category) cell; one multinomial draw fixes the total
    cell = weight[:, None, None] * (days[:, None] * season * np.array(SHARES)[None, :])[None, :, :]
    expected = cell / cell.sum() * N_SIGNALS
    counts = rng.multinomial(N_SIGNALS, (expected / N_SIGNALS).ravel()).reshape(expected.shape)
    # the surge: extra signals on top of the expectation in the surge wijk's cells
    surge_wijk = wijk_names.index[wijk_names == SURGE_WIJK][0]
    in_surge = (wijk == surge_wijk)[:, None, None] & (months.start_time >= SURGE_FROM)[None, :, None] \
        & (np.array(CATEGORIES) == SURGE_CATEGORY)[None, None, :]
    extra = np.where(in_surge, rng.poisson((SURGE_FACTOR - 1) * expected), 0)
    counts = counts + extra
    # privacy: the least-populated sectors have (almost) no zorgsignalen, so suppression shows
    care = CATEGORIES.index("zorgsignaal")
    for rank, s_idx in enumerate(np.argsort(inhabitants, kind="stable")[:len(CARE_SPARSE)]):
        counts[s_idx, :, care] = 0
        if CARE_SPARSE[rank]:
            p = expected[s_idx, :, care] / expected[s_idx, :, care].sum()
            np.add.at(counts[s_idx, :, care], rng.choice(len(months), CARE_SPARSE[rank], p=p), 1)
    parts = []
    for s_idx, poly in enumerate(sectors.geometry.values):
        n = int(counts[s_idx].sum())
        if not n:
            continue
        m_idx, c_idx = np.nonzero(counts[s_idx])
        reps = counts[s_idx][m_idx, c_idx]
        mm, cc = np.repeat(m_idx, reps), np.repeat(c_idx, reps)
        x, y = _random_points_in(poly, n, rng)
        day = np.floor(rng.random(n) * days[mm]).astype(int)
        parts.append(pd.DataFrame({"x": x, "y": y, "_wijk": wijk[s_idx], "type": np.array(CATEGORIES)[cc],
                                   "datum": months.start_time[mm] + pd.to_timedelta(day, unit="D")}))
    f = pd.concat(parts, ignore_index=True)
    # the drop: near the pleinmaker, after its start, a share of the signals is left out
    pm = pleinmakers.set_index("id").loc[DROP_PLEINMAKER]
    near = np.hypot(f["x"] - pm["x"], f["y"] - pm["y"]) <= DROP_RADIUS_M
    keep = ~(near & (f["datum"] >= DROP_START) & (rng.random(len(f)) < DROP_SHARE))
    f = f[keep.to_numpy()].reset_index(drop=True)
    # back to exactly N_SIGNALS: leave out the surplus at random outside the planted places
    surplus = len(f) - N_SIGNALS
    if surplus < 0:
        raise AssertionError("the planted drop outweighs the surge; the demo would be short of signals")
    near = np.hypot(f["x"] - pm["x"], f["y"] - pm["y"]) <= DROP_RADIUS_M + 100
    free = np.flatnonzero(~near.to_numpy() & (f["_wijk"] != surge_wijk).to_numpy())
    f = (f.drop(index=rng.choice(free, surplus, replace=False)).drop(columns="_wijk")
         .sort_values(["datum", "x"], ignore_index=True))
    n = len(f)
    f["layer"] = "signalen"
    f["id"] = [f"S{i + 1:06d}" for i in range(n)]
    age = (REFERENCE_DATE - f["datum"]).dt.days
    f["status"] = np.where(age > 60, "afgesloten", np.where(rng.random(n) < 0.5, "open", "in behandeling"))
    f["bron"] = rng.choice(["meldpunt", "wijkagent", "outreachend werk", "buurtbewoner"], n)
    f["naam"] = None
    return f


def build() -> Demo:
    """Generate the demo municipality (same result on every call)."""
    rng = np.random.default_rng(SEED)
    sectors, table = _sectors(rng)
    population = _population(sectors, rng)
    points, acties = _points(sectors, table, rng)
    signals = _signals(sectors, table, population, points[points["layer"] == "pleinmakers"], rng)
    points = pd.concat([points, signals], ignore_index=True)
    wijk_of_sector = table.set_index("sector")["wijk_code"]
    points["sector"] = spatial.sector_of_points(points["x"].fillna(0), points["y"].fillna(0), sectors)
    points.loc[points["x"].isna(), "sector"] = None
    points["wijk_code"] = points["sector"].map(wijk_of_sector)
    by_ref = points["wijk_ref"] if "wijk_ref" in points else pd.Series(None, index=points.index)
    points["wijk_code"] = points["wijk_code"].where(points["wijk_code"].notna(), by_ref)
    return Demo(sectors, table, population, points, acties)
