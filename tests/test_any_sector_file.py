"""``import-sectors`` with any polygon file: other column names, ``--map``, derived names,
a population column, and refusals that change nothing (issue 11, item 2)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from conftest import shared_file, tiny_statbel_frame, write_population, TINY_POPULATION
from test_cli import assert_refused, in_process

from cohesie import dataset
from cohesie.storage import open_store


def write_gis(path, *, columns: dict, crs: int = 31370):
    """The tiny sectors (both municipalities) with only ``columns`` (name → callable(frame) or
    list), written as GPKG, GeoJSON or shapefile after the suffix."""
    frame = tiny_statbel_frame()
    out = gpd.GeoDataFrame({k: (v(frame) if callable(v) else v) for k, v in columns.items()},
                           geometry=frame.geometry, crs=31370).to_crs(crs)
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".shp": "ESRI Shapefile"}[path.suffix]
    out.to_file(path, driver=driver)
    return path


SECTOR_MUNICIP_POP = {"SECTOR": lambda f: f["code"], "MUNICIP": lambda f: f["nis"].astype(int),
                      "POP": [1000, 500, 0, 300]}


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
def test_sector_municip_pop_file_imports_sectors_and_population(tmp_path, suffix):
    path = write_gis(tmp_path / f"van_gis{suffix}", columns=SECTOR_MUNICIP_POP)
    d = tmp_path / "data"
    [result] = in_process(d, [("import-sectors", path, "--nis", "11111")])
    assert result.returncode == 0, result.stderr
    assert "3 sectoren van gemeente 11111 geïmporteerd" in result.stdout
    assert "afgeleid van de sectorcode" in result.stdout  # names and deelgemeente derived, said so
    assert "Bevolking uit kolom 'POP': 1500 inwoners in 3 sectoren" in result.stdout
    data = dataset.load(open_store(d))
    assert data.sectors[["code", "naam", "deelgemeente", "inwoners"]].values.tolist() == [
        ["11111A00-", "11111A00-", "11111A", 1000], ["11111A01-", "11111A01-", "11111A", 500],
        ["11111B00-", "11111B00-", "11111B", 0]]
    meta = data.meta
    assert meta["bron_sectoren"] == path.name
    assert set(meta["sectoren_afgeleid"].split(",")) == {"naam", "deelgemeente", "deelgemeente_naam", "gemeente_naam"}
    assert meta["bron_bevolking"] == f"{path.name} (kolom POP)"
    assert meta["bevolking_dekking"] == "3/3"


def test_map_names_the_columns(tmp_path):
    path = write_gis(tmp_path / "raar.gpkg", columns={
        "SEC_ID": lambda f: f["code"], "GEM": lambda f: f["nis"], "OMSCHR": lambda f: f["naam"],
        "INW_2024": [10, 20, 30, 40]})
    d = tmp_path / "data"
    [result] = in_process(d, [("import-sectors", path, "--nis", "11111", "--map", "SEC_ID=sector",
                               "--map", "GEM=nis", "--map", "OMSCHR=naam", "--map", "INW_2024=inwoners")])
    assert result.returncode == 0, result.stderr
    data = dataset.load(open_store(d))
    assert data.sectors["naam"].tolist() == ["Noord", "Midden", "Zuid"]
    assert data.sectors["inwoners"].tolist() == [10, 20, 30]


def test_sectors_file_without_population_keeps_the_stored_population_and_says_what_it_misses(tmp_path):
    d = tmp_path / "data"
    first = write_gis(tmp_path / "eerst.gpkg", columns={"SECTOR": lambda f: f["code"]})
    population = write_population(tmp_path / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION)
    frame = tiny_statbel_frame()
    frame.loc[2, "code"] = "11111B01-"  # a sector code the population file does not have
    second = tmp_path / "nieuw.gpkg"
    gpd.GeoDataFrame({"SECTOR": frame["code"]}, geometry=frame.geometry, crs=31370).to_file(second)
    results = in_process(d, [("import-sectors", first, "--nis", "11111"),
                             ("import-population", population),
                             ("import-sectors", second, "--nis", "11111")])
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert "dekt 2 van de 3 geladen sectoren" in results[2].stdout
    assert "11111B01-" in results[2].stdout and "niet 0" in results[2].stdout
    data = dataset.load(open_store(d))
    assert data.sectors.set_index("code")["inwoners"].isna().to_dict() == {
        "11111A00-": False, "11111A01-": False, "11111B01-": True}


def test_refusals_change_nothing(tmp_path):
    d = tmp_path / "data"
    good = write_gis(tmp_path / "goed.gpkg", columns=SECTOR_MUNICIP_POP)
    [ok] = in_process(d, [("import-sectors", good, "--nis", "11111")])
    assert ok.returncode == 0, ok.stderr
    unknown = write_gis(tmp_path / "onbekend.gpkg", columns={"SEC_ID": lambda f: f["code"],
                                                             "X": [1, 2, 3, 4]})
    names = write_gis(tmp_path / "namen.gpkg", columns={"SECTOR": lambda f: f["naam"]})
    bad_pop = write_gis(tmp_path / "slecht.gpkg", columns={"SECTOR": lambda f: f["code"],
                                                           "POP": ["1", "veel", "-2", "4"]})
    assert_refused(d, [
        (("import-sectors", unknown, "--nis", "11111"),
         r"geen kolom met de sectorcode.*Kolommen in het bestand: SEC_ID, X.*--map SECTOR=sector"),
        (("import-sectors", unknown, "--nis", "11111", "--map", "SEC=sector", "--map", "X=wijk"),
         r"--map klopt niet.*geen kolom 'SEC'.*onbekend veld 'wijk'"),
        (("import-sectors", names, "--nis", "11111"), r"kolom 'SECTOR' bevat geen sectorcodes.*'Noord'"),
        (("import-sectors", bad_pop, "--nis", "11111"),
         r"rij 3: POP 'veel' is geen aantal inwoners.*rij 4: POP '-2'"),
        (("import-sectors", unknown, "--nis", "11111", "--map", "kapot"), r"--map 'kapot' is ongeldig"),
    ])


def test_mechelen_sample_as_a_gis_file(tmp_path):
    shp = shared_file("mechelen", "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    from cohesie.ingest import statbel

    raw = statbel.read_vector(shp)
    path = tmp_path / "mechelen_gis.gpkg"
    gpd.GeoDataFrame({"SECTOR": raw["CS01012025"], "MUNICIP": raw["CNIS5_2025"],
                      "POP": [100] * len(raw)}, geometry=raw.geometry).to_file(path)
    d = tmp_path / "data"
    [result] = in_process(d, [("import-sectors", path, "--nis", "12025")])
    assert result.returncode == 0, result.stderr
    assert "97 sectoren van gemeente 12025" in result.stdout
    assert "9700 inwoners in 97 sectoren" in result.stdout
    assert dataset.load(open_store(d)).sectors["deelgemeente"].nunique() == 6


def test_population_column_replaces_the_stored_population_and_says_so(tmp_path):
    d = tmp_path / "data"
    plain = write_gis(tmp_path / "plain.gpkg", columns={"SECTOR": lambda f: f["code"]})
    with_pop = write_gis(tmp_path / "pop.gpkg", columns={"SECTOR": lambda f: f["code"], "POP": [11, 22, 33, 44]})
    population = write_population(tmp_path / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION)
    results = in_process(d, [("import-sectors", plain, "--nis", "11111"), ("import-population", population),
                             ("import-sectors", with_pop, "--nis", "11111")])
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert "vervangt de eerder geladen bevolking" in results[2].stdout
    assert dataset.load(open_store(d)).sectors["inwoners"].tolist() == [11, 22, 33]
    assert dataset.load(open_store(d)).meta["bron_bevolking"] == "pop.gpkg (kolom POP)"
