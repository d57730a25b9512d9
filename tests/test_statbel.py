"""Statbel sectors (2024 GeoJSON and 2025 zipped shapefile layouts), population, wijkindeling."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from conftest import (
    TINY_POPULATION,
    shared_file,
    tiny_statbel_frame,
    write_population,
    write_statbel_2024,
    write_statbel_2025_zip,
)

from cohesie import areas
from cohesie.errors import CohesieError, ValidationError
from cohesie.ingest import statbel

EXPECTED = pd.DataFrame(
    {
        "code": ["11111A00-", "11111A01-", "11111B00-"],
        "naam": ["Noord", "Midden", "Zuid"],
        "deelgemeente": ["11111A", "11111A", "11111B"],
        "deelgemeente_naam": ["Stad", "Stad", "Dorp"],
        "nis": ["11111"] * 3,
        "gemeente_naam": ["Proefstad"] * 3,
    }
)


@pytest.fixture(params=["2024-geojson", "2025-shapezip", "gpkg"])
def statbel_file(request, tmp_path):
    frame = tiny_statbel_frame()
    if request.param == "2024-geojson":
        return write_statbel_2024(tmp_path / "sectors_3812_20240101.geojson", frame)
    if request.param == "2025-shapezip":
        return write_statbel_2025_zip(tmp_path / "sh_statbel_31370_20250101.shp.zip", frame)
    return write_statbel_2024(tmp_path / "sectors.gpkg", frame, crs=31370)


def test_both_layouts_give_codes_names_and_deelgemeenten(statbel_file):
    sectors, notes = statbel.sectors_from_statbel(statbel_file, nis="11111")
    assert notes == []
    pd.testing.assert_frame_equal(pd.DataFrame(sectors.drop(columns="geometry")), EXPECTED)
    assert sectors.crs.to_epsg() == 31370
    # 1 km x 1 km squares, whichever CRS the file was written in
    assert sectors.geometry.area.tolist() == pytest.approx([1e6] * 3, rel=1e-6)
    minx, miny, _, _ = sectors.total_bounds
    assert (minx, miny) == pytest.approx((150_000, 190_000), abs=0.01)


def test_2024_file_really_is_in_lambert_2008(tmp_path):
    path = write_statbel_2024(tmp_path / "s.geojson", tiny_statbel_frame())
    raw = gpd.read_file(path)
    assert raw.crs.to_epsg() == 3812
    assert raw.total_bounds[0] > 500_000  # Lambert 2008 range, converted on import


def test_2025_zip_has_the_shapefile_in_a_folder(tmp_path):
    import zipfile

    path = write_statbel_2025_zip(tmp_path / "x.shp.zip", tiny_statbel_frame())
    names = zipfile.ZipFile(path).namelist()
    assert "x.shp/x.shp" in names and "x.shp/x.prj" in names


def test_filter_by_nis_keeps_only_that_municipality(statbel_file):
    sectors, _ = statbel.sectors_from_statbel(statbel_file, nis="22222")
    assert sectors["code"].tolist() == ["22222A00-"]
    assert sectors["gemeente_naam"].tolist() == ["Buurgemeente"]


def test_absent_municipality_names_the_codes_present(statbel_file):
    with pytest.raises(CohesieError) as err:
        statbel.sectors_from_statbel(statbel_file, nis="33333")
    msg = str(err.value)
    assert "geen sectoren van gemeente 33333" in msg
    assert "11111, 22222" in msg
    assert "--nis" in msg


@pytest.mark.parametrize("nis", ["1234", "abcde", "123456"])
def test_malformed_nis_is_refused(statbel_file, nis):
    with pytest.raises(CohesieError, match="5 cijfers"):
        statbel.sectors_from_statbel(statbel_file, nis=nis)


def test_missing_crs_refused_unless_given(tmp_path):
    path = write_statbel_2025_zip(tmp_path / "noprj.shp.zip", tiny_statbel_frame(), prj=False)
    with pytest.raises(CohesieError, match="geen coördinatenstelsel.*--crs"):
        statbel.sectors_from_statbel(path, nis="11111")
    sectors, _ = statbel.sectors_from_statbel(path, nis="11111", crs=31370)
    assert sectors.crs.to_epsg() == 31370
    assert sectors.geometry.area.sum() == pytest.approx(3e6, rel=1e-6)


@pytest.mark.parametrize("layout", ["2024", "2025"])
def test_sector_without_polygon_is_skipped_with_a_note(tmp_path, layout):
    frame = tiny_statbel_frame(unlocated=True)
    if layout == "2024":
        path = write_statbel_2024(tmp_path / "s.geojson", frame)
    else:
        path = write_statbel_2025_zip(tmp_path / "s.shp.zip", frame)
    sectors, notes = statbel.sectors_from_statbel(path, nis="11111")
    assert sectors["code"].tolist() == EXPECTED["code"].tolist()
    assert len(notes) == 1 and "11111ZZZZ" in notes[0] and "zonder polygoon" in notes[0]


def test_invalid_polygon_is_repaired(tmp_path):
    from shapely.geometry import Polygon

    frame = tiny_statbel_frame()
    x0, y0 = 150_000, 190_000
    # a bow tie: self-intersecting, two triangles of 0.25 km² each
    frame.loc[0, "geometry"] = Polygon([(x0, y0), (x0 + 1000, y0 + 1000), (x0 + 1000, y0),
                                        (x0, y0 + 1000)])
    path = write_statbel_2024(tmp_path / "s.gpkg", frame, crs=31370)
    sectors, notes = statbel.sectors_from_statbel(path, nis="11111")
    assert sectors.geometry.is_valid.all()
    assert sectors.geometry.area.iloc[0] == pytest.approx(0.5e6, rel=1e-6)
    assert any("hersteld" in n and "11111A00-" in n for n in notes)


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(CohesieError, match="Bestand niet gevonden"):
        statbel.sectors_from_statbel(tmp_path / "nergens.geojson", nis="11111")
    other = tmp_path / "sectors.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(CohesieError, match="onbekend bestandstype"):
        statbel.sectors_from_statbel(other, nis="11111")


def test_zip_without_vector_file(tmp_path):
    import zipfile

    path = tmp_path / "leeg.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("leesmij.txt", "niets")
    with pytest.raises(CohesieError, match="geen .shp.*leesmij.txt"):
        statbel.sectors_from_statbel(path, nis="11111")


def test_file_without_sector_code_column(tmp_path):
    frame = gpd.GeoDataFrame({"iets": ["a"]}, geometry=tiny_statbel_frame().geometry[:1])
    path = tmp_path / "s.gpkg"
    frame.to_file(path)
    with pytest.raises(CohesieError, match="geen kolom met de sectorcode.*iets"):
        statbel.sectors_from_statbel(path, nis="11111")


# -- population ------------------------------------------------------------------------------
@pytest.mark.parametrize("bom", [True, False])
def test_population_with_and_without_bom(tmp_path, bom):
    path = write_population(tmp_path / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION, bom=bom)
    table, jaar = statbel.population_from_statbel(path, nis="11111")
    assert jaar == "2025"
    assert dict(zip(table["sector"], table["inwoners"])) == {
        "11111A00-": 1000, "11111A01-": 500, "11111B00-": 0, "11111ZZZZ": 7}


def test_population_bad_totals_reported_per_row(tmp_path):
    rows = [("11111", "11111A00-", "1000"), ("11111", "11111A01-", "veel"),
            ("22222", "22222A00-", "x"), ("11111", "11111B00-", "-3")]
    path = write_population(tmp_path / "OPENDATA_SECTOREN_2025.txt", rows)
    with pytest.raises(ValidationError) as err:
        statbel.population_from_statbel(path, nis="11111")
    # data rows start at line 2; the other municipality's bad row is not ours to judge
    assert err.value.problems == ["rij 3: TOTAL 'veel' is geen aantal inwoners",
                                  "rij 5: TOTAL '-3' is geen aantal inwoners"]


def test_population_wrong_file_and_wrong_nis(tmp_path):
    wrong = tmp_path / "iets.txt"
    wrong.write_text("a|b\n1|2\n", encoding="utf-8")
    with pytest.raises(CohesieError, match="geen Statbel-bevolkingsbestand.*CD_REFNIS"):
        statbel.population_from_statbel(wrong, nis="11111")
    path = write_population(tmp_path / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION)
    with pytest.raises(CohesieError, match="geen sectoren van gemeente 33333"):
        statbel.population_from_statbel(path, nis="33333")


# -- wijkindeling ----------------------------------------------------------------------------
def test_wijkindeling_read_and_empty_values(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("sector;wijk_code;wijk_naam\n11111A00-;W1;Noord\n11111A01-; ;Midden\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        statbel.wijkindeling_from_csv(path)
    assert err.value.problems == ["rij 3: sector, wijk_code en wijk_naam moeten ingevuld zijn"]
    path.write_text("\ufeffSector,Wijk_code,Wijk_naam\n 11111A00- ,W1,Noord\n", encoding="utf-8")
    table = statbel.wijkindeling_from_csv(path)
    assert table.to_dict("records") == [{"sector": "11111A00-", "wijk_code": "W1", "wijk_naam": "Noord"}]


def test_wijkindeling_missing_columns(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("sector,wijk\n11111A00-,W1\n", encoding="utf-8")
    with pytest.raises(CohesieError, match="wijk_code, wijk_naam ontbreken"):
        statbel.wijkindeling_from_csv(path)


def test_wijkindeling_problems_reported_together():
    codes = pd.Series(["11111A00-", "11111A01-", "11111B00-"])
    table = pd.DataFrame({"sector": ["11111A00-", "11111A00-", "99999X00-"],
                          "wijk_code": ["W1", "W2", "W2"], "wijk_naam": ["Noord", "Zuid", "Zuid"]})
    problems = areas.validate_wijkindeling(table, codes)
    assert len(problems) == 3
    assert "meer dan één wijk: 11111A00-" in problems[0]
    assert "bestaan niet" in problems[1] and "99999X00-" in problems[1]
    assert "ontbreken" in problems[2] and "11111A01-, 11111B00-" in problems[2]


def test_wijkindeling_one_code_two_names():
    codes = pd.Series(["a", "b"])
    table = pd.DataFrame({"sector": ["a", "b"], "wijk_code": ["W1", "W1"], "wijk_naam": ["X", "Y"]})
    assert areas.validate_wijkindeling(table, codes) == ["wijk W1 heeft meer dan één naam in de tabel"]


# -- the shared Mechelen files (skipped when ../shared/geodata is absent) ------------------------
MECHELEN = "mechelen"


@pytest.fixture(scope="module")
def mechelen_both():
    shp = shared_file(MECHELEN, "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    gj = shared_file(MECHELEN, "sh_statbel_statistical_sectors_3812_20240101_12025.geojson")
    return (statbel.sectors_from_statbel(shp, nis="12025"),
            statbel.sectors_from_statbel(gj, nis="12025"))


def test_mechelen_both_layouts_same_sectors(mechelen_both):
    (s25, n25), (s24, n24) = mechelen_both
    assert len(s25) == len(s24) == 97
    assert s25["code"].tolist() == s24["code"].tolist()
    assert s25["deelgemeente"].nunique() == 6
    assert set(s25["nis"]) == {"12025"}
    assert s25.geometry.area.sum() / 1e6 == pytest.approx(65.8, abs=0.5)
    # the same polygons, one of them converted from Lambert 2008
    assert s24.geometry.area.sum() == pytest.approx(s25.geometry.area.sum(), rel=1e-3)


def test_mechelen_wijkindeling_gives_12_wijken(mechelen_both):
    (sectors, _), _ = mechelen_both
    table = statbel.wijkindeling_from_csv(shared_file(MECHELEN, "wijkindeling_12025.csv"))
    assert areas.validate_wijkindeling(table, sectors["code"]) == []
    with_wijk, notes = areas.attach_wijken(sectors, table)
    assert notes == []
    assert with_wijk["wijk_code"].nunique() == 12


def test_mechelen_population_with_bom(mechelen_both):
    (sectors, _), _ = mechelen_both
    path = shared_file(MECHELEN, "OPENDATA_SECTOREN_2025_12025_synthetic.txt")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    table, jaar = statbel.population_from_statbel(path, nis="12025")
    assert jaar == "2025"
    assert 85_000 <= table["inwoners"].sum() <= 91_000
    with_pop, unlocated = areas.attach_population(sectors, table)
    assert with_pop["inwoners"].sum() + unlocated == table["inwoners"].sum()
    assert set(table["sector"]) - set(sectors["code"]) <= {"12025ZZZZ"}


def test_mechelen_wrong_nis_lists_12025():
    shp = shared_file(MECHELEN, "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    with pytest.raises(CohesieError, match="NIS-codes in het bestand: 12025"):
        statbel.sectors_from_statbel(shp, nis="11002")


# -- any polygon file: other column names, --map, derived names (issue 11) ----------------------
def gis_file(path, frame=None, **columns):
    """The tiny sectors as a GIS colleague sends them: only the columns given (name → values)."""
    frame = tiny_statbel_frame() if frame is None else frame
    out = gpd.GeoDataFrame({name: values(frame) if callable(values) else values
                            for name, values in columns.items()}, geometry=frame.geometry, crs=31370)
    out.to_file(path)
    return path


def test_sector_municip_pop_columns_are_recognised(tmp_path):
    path = gis_file(tmp_path / "gis.gpkg", SECTOR=lambda f: f["code"],
                    MUNICIP=lambda f: f["nis"].astype(int), POP=[10, 20, 30, 40])
    read = statbel.sectors_from_file(path, nis="11111")
    assert read.sectors["code"].tolist() == EXPECTED["code"].tolist()
    assert read.columns == {"sector": "SECTOR", "nis": "MUNICIP", "inwoners": "POP"}
    # no names or deelgemeenten in the file: derived from the code, and said so
    assert read.sectors["naam"].tolist() == EXPECTED["code"].tolist()
    assert read.sectors["deelgemeente"].tolist() == ["11111A", "11111A", "11111B"]
    assert read.sectors["deelgemeente_naam"].tolist() == ["11111A", "11111A", "11111B"]
    assert set(read.derived) == {"naam", "deelgemeente", "deelgemeente_naam", "gemeente_naam"}
    assert any("afgeleid van de sectorcode" in n and "eerste 6 tekens" in n for n in read.notes)
    # the other municipality's row (POP 40) is dropped by the MUNICIP column
    assert read.population.to_dict("records") == [
        {"sector": "11111A00-", "inwoners": 10}, {"sector": "11111A01-", "inwoners": 20},
        {"sector": "11111B00-", "inwoners": 30}]


def test_without_nis_column_the_code_prefix_picks_the_municipality(tmp_path):
    path = gis_file(tmp_path / "codes.geojson", sector_code=lambda f: f["code"])
    read = statbel.sectors_from_file(path, nis="22222")
    assert read.sectors["code"].tolist() == ["22222A00-"]
    assert read.sectors["nis"].tolist() == ["22222"] and read.population is None


def test_unrecognised_columns_need_map_and_the_message_shows_it(tmp_path):
    path = gis_file(tmp_path / "raar.gpkg", SEC_ID=lambda f: f["code"], INW=[1, 2, 3, 4],
                    OMSCHR=lambda f: f["naam"])
    with pytest.raises(CohesieError) as err:
        statbel.sectors_from_file(path, nis="11111")
    msg = str(err.value)
    assert "geen kolom met de sectorcode" in msg
    assert "SEC_ID, INW, OMSCHR" in msg and "--map SECTOR=sector" in msg
    read = statbel.sectors_from_file(path, nis="11111", mapping={"sector": "SEC_ID", "naam": "omschr",
                                                                 "inwoners": "INW"})
    assert read.sectors["naam"].tolist() == ["Noord", "Midden", "Zuid"]
    assert read.population["inwoners"].tolist() == [1, 2, 3]
    assert "naam" not in read.derived


def test_bad_mapping_reports_every_problem_at_once(tmp_path):
    path = gis_file(tmp_path / "raar.gpkg", SEC_ID=lambda f: f["code"])
    with pytest.raises(ValidationError) as err:
        statbel.sectors_from_file(path, nis="11111", mapping={"sector": "SEC_ID", "naam": "NAAM",
                                                              "wijk": "SEC_ID"})
    assert len(err.value.problems) == 2
    assert "geen kolom 'NAAM'" in err.value.problems[0] and "SEC_ID" in err.value.problems[0]
    assert "onbekend veld 'wijk'" in err.value.problems[1] and "inwoners" in err.value.problems[1]


def test_a_mapped_column_without_sector_codes_is_refused(tmp_path):
    path = gis_file(tmp_path / "raar.gpkg", SEC_ID=lambda f: f["code"], NAAM=lambda f: f["naam"])
    with pytest.raises(CohesieError, match="kolom 'NAAM' bevat geen sectorcodes.*'Noord'.*--map KOLOM=sector"):
        statbel.sectors_from_file(path, nis="11111", mapping={"sector": "NAAM"})


def test_codes_that_lost_their_dash_are_repaired(tmp_path):
    path = gis_file(tmp_path / "kort.gpkg", statsec=lambda f: f["code"].str.rstrip("-").str.lower())
    read = statbel.sectors_from_file(path, nis="11111")
    assert read.sectors["code"].tolist() == EXPECTED["code"].tolist()


def test_population_column_with_bad_and_empty_cells(tmp_path):
    path = gis_file(tmp_path / "pop.gpkg", SECTOR=lambda f: f["code"], POP=["12", "veel", "-1", "5"])
    with pytest.raises(ValidationError) as err:
        statbel.sectors_from_file(path, nis="11111")
    assert err.value.problems == ["rij 3: POP 'veel' is geen aantal inwoners",
                                  "rij 4: POP '-1' is geen aantal inwoners"]
    path = gis_file(tmp_path / "leeg.gpkg", SECTOR=lambda f: f["code"], POP=[1.0, None, 3.0, 4.0])
    read = statbel.sectors_from_file(path, nis="11111")
    # an empty cell is no figure for that sector, not 0
    assert read.population.to_dict("records") == [{"sector": "11111A00-", "inwoners": 1},
                                                  {"sector": "11111B00-", "inwoners": 3}]


@pytest.mark.parametrize("text, expected", [("1234", 1234), ("1234.0", 1234), ("1.234", 1234),
                                            (" 12 ", 12), ("", None), ("nan", None)])
def test_inhabitants_parse_excel_and_belgian_thousands(text, expected):
    numbers, problems = statbel.parse_inhabitants(pd.Series([text]), column="POP", rows=[2])
    assert problems == []
    assert (pd.isna(numbers.iloc[0]) if expected is None else numbers.iloc[0] == expected)


def test_attach_population_leaves_unknown_sectors_empty():
    sectors = tiny_statbel_frame()[lambda f: f["nis"] == "11111"]
    pop = pd.DataFrame({"sector": ["11111A00-", "11111A01-"], "inwoners": [1000, 0]})
    out, unlocated = areas.attach_population(sectors, pop)
    assert out["inwoners"].iloc[:2].tolist() == [1000, 0]  # a real 0 stays 0
    assert pd.isna(out["inwoners"].iloc[2])  # no figure: unknown, not 0
    assert areas.without_population(out).tolist() == ["11111B00-"]
    complete, _ = areas.attach_population(sectors, pd.concat(
        [pop, pd.DataFrame({"sector": ["11111B00-"], "inwoners": [5]})]))
    assert complete["inwoners"].dtype == "int64"


def test_mechelen_sectors_as_a_gis_file_with_pop(tmp_path):
    shp = shared_file(MECHELEN, "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip")
    raw = statbel.read_vector(shp)
    out = gpd.GeoDataFrame({"SECTOR": raw["CS01012025"], "MUNICIP": raw["CNIS5_2025"].astype(int),
                            "POP": range(len(raw))}, geometry=raw.geometry)
    path = tmp_path / "mechelen_gis.gpkg"
    out.to_file(path)
    read = statbel.sectors_from_file(path, nis="12025")
    reference, _ = statbel.sectors_from_statbel(shp, nis="12025")
    assert read.sectors["code"].tolist() == reference["code"].tolist()
    assert len(read.population) == 97
    assert read.sectors["deelgemeente"].nunique() == reference["deelgemeente"].nunique() == 6
