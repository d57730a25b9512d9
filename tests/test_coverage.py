"""Coverage on three 1 km² sectors where every share is worked out by hand.

::

    sector     naam    deelgemeente  wijk  inwoners   x range (y 190000-191000)
    11111A00-  Noord   11111A        W1    1000       150000-151000
    11111A01-  Midden  11111A        W1    2000       151000-152000
    11111B00-  Zuid    11111B        W2    3000       152000-153000

A disc of radius r inside one sector covers π r² / 1e6 of it (r = 300 m: 0.282743).
The discs are 256-gons (``coverage.QUAD_SEGS``), 0.01 % smaller than true circles, hence the
relative tolerance of 2e-4 where a true circle is the reference.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, shared_file, tiny_statbel_frame, write_population, write_statbel_2025_zip
from pyproj import Transformer
from shapely.geometry import box

from cohesie import coverage, dataset, indicators, operations, spatial
from cohesie.errors import CohesieError
from cohesie.storage import POINT_COLUMNS, open_store

X0, Y0 = 150_000, 190_000
CODES = ["11111A00-", "11111A01-", "11111B00-"]
CENTRE = {code: (X0 + 500 + 1000 * i, Y0 + 500) for i, code in enumerate(CODES)}
DISC_300 = math.pi * 300**2 / 1e6  # share of a 1 km² sector covered by one inner disc
CIRCLE = 2e-4  # relative tolerance against a true circle


def make_sectors(inwoners=(1000, 2000, 3000)) -> gpd.GeoDataFrame:
    """Sectors as :meth:`Store.load` returns them."""
    return gpd.GeoDataFrame(
        {
            "code": CODES,
            "naam": ["Noord", "Midden", "Zuid"],
            "deelgemeente": ["11111A", "11111A", "11111B"],
            "deelgemeente_naam": ["Stad", "Stad", "Dorp"],
            "nis": ["11111"] * 3,
            "gemeente_naam": ["Proefstad"] * 3,
            "wijk_code": ["W1", "W1", "W2"],
            "wijk_naam": ["Wijk een", "Wijk een", "Wijk twee"],
            "inwoners": np.array(inwoners, dtype="int64"),
        },
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)],
        crs=31370,
    )


def furniture(*rows) -> pd.DataFrame:
    """Records shaped like :meth:`Store.read_points`; each row is
    ``(x, y, type, status, datum)`` or ``(x, y, type, status, datum, layer)``."""
    records = []
    for k, row in enumerate(rows):
        x, y, typ, status, datum, *layer = row
        records.append({"layer": layer[0] if layer else "meubilair", "id": f"m{k + 1}",
                        "naam": f"meubel {k + 1}", "type": typ, "status": status, "datum": datum,
                        "x": x, "y": y})
    frame = pd.DataFrame(records).reindex(columns=[*POINT_COLUMNS, "version", "updated_at"])
    for col in ("datum", "einddatum"):
        frame[col] = pd.to_datetime(frame[col])
    frame["sector"] = spatial.sector_of_points(frame["x"], frame["y"], make_sectors())
    return frame


def bench(x, y, status="geplaatst", datum="2020-01-01", typ="gevelbank"):
    return (x, y, typ, status, datum)


def by_code(table: pd.DataFrame, column: str) -> dict:
    return dict(zip(table["code"], table[column]))


# -- coverage per area ---------------------------------------------------------------------
def test_one_bench_in_the_middle_of_a_sector():
    pts = furniture(bench(*CENTRE["11111A00-"]))
    table = coverage.coverage_per_area(make_sectors(), pts, level="sector", radius=300)
    assert list(table.columns) == ["code", "inwoners", "inwoners_gedekt", "dekking_pct"]
    assert table["code"].tolist() == CODES
    gedekt = by_code(table, "inwoners_gedekt")
    assert gedekt["11111A00-"] == pytest.approx(1000 * DISC_300, rel=CIRCLE)
    assert gedekt["11111A01-"] == 0 and gedekt["11111B00-"] == 0
    pct = by_code(table, "dekking_pct")
    assert pct["11111A00-"] == pytest.approx(100 * DISC_300, rel=CIRCLE)  # 28.27 %
    assert pct["11111A01-"] == 0 and pct["11111B00-"] == 0


@pytest.mark.parametrize("level, expected", [
    ("wijk", {"W1": 1000 * DISC_300 / 3000, "W2": 0.0}),
    ("deelgemeente", {"11111A": 1000 * DISC_300 / 3000, "11111B": 0.0}),
    ("gemeente", {"11111": 1000 * DISC_300 / 6000}),
])
def test_higher_levels_divide_covered_by_all_inhabitants(level, expected):
    pts = furniture(bench(*CENTRE["11111A00-"]))
    table = coverage.coverage_per_area(make_sectors(), pts, level=level, radius=300)
    pct = by_code(table, "dekking_pct")
    assert pct.keys() == expected.keys()
    for code, share in expected.items():
        assert pct[code] == pytest.approx(100 * share, rel=CIRCLE, abs=1e-12)
    assert table["inwoners"].sum() == 6000


def test_bench_on_a_border_covers_half_a_disc_on_each_side():
    pts = furniture(bench(X0 + 1000, Y0 + 500))
    gedekt = by_code(coverage.coverage_per_area(make_sectors(), pts, level="sector"), "inwoners_gedekt")
    assert gedekt["11111A00-"] == pytest.approx(1000 * DISC_300 / 2, rel=CIRCLE)
    assert gedekt["11111A01-"] == pytest.approx(2000 * DISC_300 / 2, rel=CIRCLE)


def test_furniture_just_outside_the_municipality_counts():
    # 100 m west of Noord: a circular segment of height 200 m lies inside,
    # area r² acos(d/r) - d sqrt(r² - d²) with d = 100, r = 300.
    segment = 300**2 * math.acos(100 / 300) - 100 * math.sqrt(300**2 - 100**2)
    pts = furniture(bench(X0 - 100, Y0 + 500))
    gedekt = by_code(coverage.coverage_per_area(make_sectors(), pts, level="sector"), "inwoners_gedekt")
    assert gedekt["11111A00-"] == pytest.approx(1000 * segment / 1e6, rel=CIRCLE)


def test_overlapping_reach_is_counted_once_and_never_above_100_percent():
    twice = furniture(bench(*CENTRE["11111A00-"]), bench(*CENTRE["11111A00-"]))
    once = furniture(bench(*CENTRE["11111A00-"]))
    a = coverage.coverage_per_area(make_sectors(), twice, level="sector")
    b = coverage.coverage_per_area(make_sectors(), once, level="sector")
    assert a["inwoners_gedekt"].tolist() == pytest.approx(b["inwoners_gedekt"].tolist())
    # corners are 707 m from the centre: 800 m covers the whole sector
    full = coverage.coverage_per_area(make_sectors(), once, level="sector", radius=800)
    assert by_code(full, "dekking_pct")["11111A00-"] == pytest.approx(100.0)


def test_only_placed_furniture_of_the_chosen_type_up_to_the_end_date_counts():
    x, y = CENTRE["11111A00-"]
    pts = furniture(
        bench(x, y, status="voorstel"),
        bench(x, y, status="verwijderd"),
        bench(*CENTRE["11111A01-"], datum="2025-06-01"),  # placed after the end date
        bench(*CENTRE["11111B00-"], datum=None),  # no date: counts
        bench(x, y, typ="picknicktafel"),
        bench(np.nan, np.nan),  # no location
        (x, y, "gevelbank", "geplaatst", "2020-01-01", "projecten"),  # another layer
    )
    sectors = make_sectors()
    gevelbank = coverage.coverage_per_area(sectors, pts, level="sector", types="gevelbank", end="2024-12-31")
    assert by_code(gevelbank, "inwoners_gedekt") == pytest.approx(
        {"11111A00-": 0, "11111A01-": 0, "11111B00-": 3000 * DISC_300}, rel=CIRCLE)
    no_end = coverage.coverage_per_area(sectors, pts, level="sector", types=["gevelbank"])
    assert by_code(no_end, "inwoners_gedekt")["11111A01-"] == pytest.approx(2000 * DISC_300, rel=CIRCLE)
    any_type = coverage.coverage_per_area(sectors, pts, level="sector", end="2024-12-31")
    assert by_code(any_type, "inwoners_gedekt") == pytest.approx(
        {"11111A00-": 1000 * DISC_300, "11111A01-": 0, "11111B00-": 3000 * DISC_300}, rel=CIRCLE)


def test_no_furniture_and_no_inhabitants():
    sectors = make_sectors(inwoners=(0, 2000, 3000))
    table = coverage.coverage_per_area(sectors, furniture(bench(*CENTRE["11111A00-"])), level="sector")
    assert np.isnan(by_code(table, "dekking_pct")["11111A00-"])  # no inhabitants: no share
    empty = furniture(bench(*CENTRE["11111A00-"], status="voorstel"))
    table = coverage.coverage_per_area(sectors, empty, level="wijk")
    assert table["dekking_pct"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("radius", [0, -10, float("nan"), float("inf"), "drie"])
def test_invalid_radius_is_refused_in_dutch(radius):
    with pytest.raises(CohesieError, match="Straal .* (ongeldig|geen getal)"):
        coverage.coverage_per_area(make_sectors(), furniture(), level="sector", radius=radius)


def test_unknown_level_is_refused():
    with pytest.raises(CohesieError, match="Onbekend niveau"):
        coverage.coverage_per_area(make_sectors(), furniture(), level="straat")


# -- gaten -----------------------------------------------------------------------------
def test_uncovered_areas_are_the_rest_of_each_sector():
    pts = furniture(bench(*CENTRE["11111A00-"]))
    gaps = coverage.uncovered_areas(make_sectors(), pts, radius=300)
    assert gaps.crs.to_epsg() == 31370
    row = gaps.set_index("code")
    assert row.at["11111A00-", "inwoners_ongedekt"] == pytest.approx(1000 * (1 - DISC_300), rel=CIRCLE)
    assert row.at["11111A00-", "oppervlakte_km2"] == pytest.approx(1 - DISC_300, rel=CIRCLE)
    assert row.at["11111A00-", "geometry"].contains(box(X0, Y0, X0 + 100, Y0 + 100))  # a corner
    assert not row.at["11111A00-", "geometry"].intersects(box(X0 + 450, Y0 + 450, X0 + 550, Y0 + 550))
    assert row.at["11111B00-", "inwoners_ongedekt"] == pytest.approx(3000)
    assert row.at["11111B00-", "inwoners_per_km2"] == pytest.approx(3000)
    covered = coverage.coverage_per_area(make_sectors(), pts, level="gemeente")["inwoners_gedekt"].sum()
    assert covered + gaps["inwoners_ongedekt"].sum() == pytest.approx(6000)


def test_a_fully_covered_sector_has_no_gap():
    pts = furniture(bench(*CENTRE["11111A00-"]))
    gaps = coverage.uncovered_areas(make_sectors(), pts, radius=800)
    assert "11111A00-" not in set(gaps["code"])


# -- equal to tobler's areal interpolation ---------------------------------------------
def _tobler_covered(sectors: gpd.GeoDataFrame, covered) -> pd.Series:
    """Covered inhabitants per sector with tobler: source = sectors, target = the covered
    piece of each sector (a geopandas overlay, independent of the shapely code under test).

    ``allocate_total=False``: a source's value is shared by area of the *source*, so the
    uncovered rest of a sector keeps its part (tobler's default hands all of it to targets).
    tobler returns float32 values, hence a relative tolerance of 1e-6 in the comparisons."""
    from tobler.area_weighted import area_interpolate

    reach = gpd.GeoDataFrame(geometry=[covered], crs=sectors.crs)
    pieces = gpd.overlay(sectors[["code", "geometry"]], reach, how="intersection")
    estimate = area_interpolate(source_df=sectors[["inwoners", "geometry"]], target_df=pieces,
                                extensive_variables=["inwoners"], allocate_total=False)
    return estimate["inwoners"].groupby(pieces["code"].to_numpy()).sum()


@pytest.mark.filterwarnings("ignore::FutureWarning")  # scipy.sparse dtype note inside tobler
def test_shapely_method_equals_tobler_area_interpolate():
    rng = np.random.default_rng(7)
    xs = rng.uniform(X0 - 200, X0 + 3200, 6)
    ys = rng.uniform(Y0 - 200, Y0 + 1200, 6)
    pts = furniture(*(bench(x, y) for x, y in zip(xs, ys)))
    sectors = make_sectors()
    ours = coverage.coverage_per_area(sectors, pts, level="sector", radius=350).set_index("code")
    theirs = _tobler_covered(sectors, coverage.furniture_reach(pts, radius=350))
    assert theirs.sum() > 0
    for code in sectors["code"]:
        assert ours.at[code, "inwoners_gedekt"] == pytest.approx(theirs.get(code, 0.0), rel=1e-6, abs=1e-6)


# -- indicators and the command line -----------------------------------------------------
def test_with_coverage_appends_the_four_columns():
    sectors = make_sectors()
    pts = furniture(bench(*CENTRE["11111A00-"]), bench(*CENTRE["11111B00-"], typ="boekenruilkast"))
    table = indicators.per_area(sectors, pts, level="wijk")
    out = indicators.with_coverage(table, sectors, pts, level="wijk", radius=300)
    assert list(out.columns) == [*table.columns, *coverage.COVERAGE_COLUMNS]
    row = out.set_index("code")
    assert row.at["W1", "dekking_gevelbank_pct"] == pytest.approx(100 * 1000 * DISC_300 / 3000, abs=0.01)
    assert row.at["W1", "dekking_picknicktafel_pct"] == 0
    assert row.at["W2", "dekking_boekenruilkast_pct"] == pytest.approx(100 * DISC_300, abs=0.01)
    assert row.at["W2", "dekking_meubilair_pct"] == pytest.approx(100 * DISC_300, abs=0.01)
    assert row.at["W1", "dekking_meubilair_pct"] == row.at["W1", "dekking_gevelbank_pct"]


def _cli(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if k != "COHESIE_DATA_DIR"}
    return subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data_dir), *map(str, args)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    """The three sectors imported through the command line, with furniture from a CSV."""
    d = tmp_path_factory.mktemp("dekking")
    frame = tiny_statbel_frame()
    zip_path = write_statbel_2025_zip(d / "sectoren.shp.zip", frame)
    pop = write_population(d / "OPENDATA_SECTOREN_2025.txt",
                           [("11111", "11111A00-", "1000"), ("11111", "11111A01-", "2000"),
                            ("11111", "11111B00-", "3000")])
    to_lonlat = Transformer.from_crs(31370, 4326, always_xy=True)
    rows = [("g1", "gevelbank", "geplaatst", "2020-05-01", CENTRE["11111A00-"]),
            ("g2", "gevelbank", "geplaatst", "2024-05-01", CENTRE["11111A01-"]),
            ("t1", "picknicktafel", "voorstel", "", CENTRE["11111B00-"]),
            ("b1", "boekenruilkast", "geplaatst", "2021-01-01", CENTRE["11111B00-"])]
    lines = ["id,naam,type,status,datum,lat,lon"]
    for rid, typ, status, datum, (x, y) in rows:
        lon, lat = to_lonlat.transform(x, y)
        lines.append(f"{rid},{typ} {rid},{typ},{status},{datum},{lat:.9f},{lon:.9f}")
    csv = d / "meubilair.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = d / "data"
    for args in (("import-sectors", zip_path, "--nis", "11111"), ("import-population", pop),
                 ("import-points", csv, "--layer", "meubilair")):
        result = _cli(data, *args)
        assert result.returncode == 0, result.stderr
    return data


def test_cli_indicators_has_coverage_columns_checked_by_hand(tiny_dir):
    import io

    result = _cli(tiny_dir, "indicators", "--level", "sector")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"code": str}).set_index("code")
    disc = round(100 * DISC_300, 2)  # 28.27
    assert table.loc[CODES, "dekking_gevelbank_pct"].tolist() == [disc, disc, 0.0]
    assert table.loc[CODES, "dekking_picknicktafel_pct"].tolist() == [0.0, 0.0, 0.0]  # only a proposal
    assert table.loc[CODES, "dekking_boekenruilkast_pct"].tolist() == [0.0, 0.0, disc]
    assert table.loc[CODES, "dekking_meubilair_pct"].tolist() == [disc, disc, disc]


def test_cli_radius_and_to_date(tiny_dir):
    import io

    result = _cli(tiny_dir, "indicators", "--level", "gemeente", "--radius", "400", "--to", "2022-12-31")
    assert result.returncode == 0, result.stderr
    row = pd.read_csv(io.StringIO(result.stdout), dtype={"code": str}).iloc[0]
    # By the end of 2022 only g1 (Noord, 1000 inhabitants) and b1 (Zuid, 3000) stood; a 400 m
    # disc still lies inside its sector and covers pi 0.4² = 0.50265 of it.
    disc = math.pi * 400**2 / 1e6
    assert row["dekking_gevelbank_pct"] == pytest.approx(100 * 1000 * disc / 6000, abs=0.01)
    assert row["dekking_boekenruilkast_pct"] == pytest.approx(100 * 3000 * disc / 6000, abs=0.01)
    assert row["dekking_meubilair_pct"] == pytest.approx(100 * 4000 * disc / 6000, abs=0.01)
    assert row["dekking_picknicktafel_pct"] == 0


@pytest.mark.parametrize("value", ["0", "-5", "abc", "nan", "inf", ""])
def test_cli_invalid_radius_exits_2_in_dutch(tiny_dir, value):
    result = _cli(tiny_dir, "indicators", "--level", "wijk", f"--radius={value}")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "--radius" in result.stderr and "groter dan 0 in meter" in result.stderr


# -- Mechelen (shared reference files; skipped when absent) -------------------------------
MECHELEN = "mechelen"


@pytest.fixture(scope="module")
def mechelen(tmp_path_factory):
    shp = shared_file(MECHELEN, "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    wijken = shared_file(MECHELEN, "wijkindeling_12025.csv")
    pop = shared_file(MECHELEN, "OPENDATA_SECTOREN_2025_12025_synthetic.txt")
    store = open_store(tmp_path_factory.mktemp("mechelen") / "data")
    operations.import_sectors(store, shp, nis="12025")
    operations.import_wijken(store, wijken)
    operations.import_population(store, pop)
    return dataset.load(store)


def mechelen_furniture(sectors: gpd.GeoDataFrame, seed: int = 2020) -> pd.DataFrame:
    """17 gevelbanken and 10 picknicktafels at seeded random spots in Mechelen's sectors."""
    rng = np.random.default_rng(seed)
    outline = spatial.municipality_outline(sectors)
    xmin, ymin, xmax, ymax = outline.bounds
    xs, ys = rng.uniform(xmin, xmax, 400), rng.uniform(ymin, ymax, 400)
    inside = spatial.sector_of_points(xs, ys, sectors) != None  # noqa: E711 - elementwise
    xs, ys = xs[inside][:27], ys[inside][:27]
    types = ["gevelbank"] * 17 + ["picknicktafel"] * 10
    rows = [(x, y, t, "geplaatst", "2020-06-01") for x, y, t in zip(xs, ys, types)]
    frame = furniture(*rows)
    frame["sector"] = spatial.sector_of_points(frame["x"], frame["y"], sectors)
    return frame


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_mechelen_coverage_adds_up_and_equals_tobler(mechelen):
    sectors = mechelen.sectors
    pts = mechelen_furniture(sectors)
    per_sector = coverage.coverage_per_area(sectors, pts, level="sector", types="gevelbank")
    assert len(per_sector) == 97
    theirs = _tobler_covered(sectors, coverage.furniture_reach(pts, types="gevelbank"))
    ours = per_sector.set_index("code")["inwoners_gedekt"]
    assert ours.sum() > 0
    assert ours.to_numpy() == pytest.approx(theirs.reindex(ours.index, fill_value=0).to_numpy(),
                                            rel=1e-6, abs=1e-6)
    total = ours.sum()
    for level, count in (("wijk", 12), ("deelgemeente", 6), ("gemeente", 1)):
        table = coverage.coverage_per_area(sectors, pts, level=level, types="gevelbank")
        assert len(table) == count
        assert table["inwoners_gedekt"].sum() == pytest.approx(total)
        assert table["inwoners"].sum() == sectors["inwoners"].sum()
        assert ((table["dekking_pct"] >= 0) & (table["dekking_pct"] <= 100)).all()
    gaps = coverage.uncovered_areas(sectors, pts, types="gevelbank")
    assert total + gaps["inwoners_ongedekt"].sum() == pytest.approx(sectors["inwoners"].sum())
