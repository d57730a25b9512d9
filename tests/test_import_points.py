"""The point import engine: files as they come, every mistake reported per row, idempotent
writes. Files are built in code; the demo municipality (NIS 99999) is the reference."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point

from cohesie import dataset, operations
from cohesie.errors import CohesieError
from cohesie.ingest import points as pi
from cohesie.storage import open_store
from import_helpers import (SIGNAL_HEADER, build_demo_dir, copy_dir, count, far_lonlat, good_rows,
                            inside_lonlat, inside_xy, point, table_text)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo_dir(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def store(demo_dir, tmp_path):
    return open_store(copy_dir(demo_dir, tmp_path / "data"))


@pytest.fixture(scope="module")
def sectors(demo_dir):
    return dataset.load_sectors(open_store(demo_dir))


def check(path, sectors, layer="signalen", **kw):
    raw = pi.read_table(path, sheet=kw.pop("sheet", None))
    return pi.prepare_points(raw, layer=layer, sectors=sectors, **kw)


# -- files as they come ------------------------------------------------------------------
@pytest.mark.parametrize("sep,decimal", [(",", "."), (";", ","), ("\t", ","), ("\t", ".")])
def test_delimiters_and_decimal_commas(tmp_path, sectors, sep, decimal):
    rows = good_rows(5, decimal=decimal)
    text = table_text(SIGNAL_HEADER, rows, sep)
    path = tmp_path / "punten.csv"
    path.write_text(text, encoding="utf-8")
    result = check(path, sectors)
    assert len(result.records) == 5 and result.rejects.empty
    expected = [float(r[3].replace(",", ".")) for r in rows]
    lon, lat = inside_lonlat(5)
    np.testing.assert_allclose(expected, lat, atol=1e-6)


def test_quoted_decimal_commas_in_a_comma_file(tmp_path, sectors):
    rows = good_rows(3, decimal=",")
    lines = [",".join(SIGNAL_HEADER)] + [",".join([*r[:3], f'"{r[3]}"', f'"{r[4]}"']) for r in rows]
    path = tmp_path / "punten.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert len(check(path, sectors).records) == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_keep_accents(tmp_path, sectors, encoding):
    header = ["id", "naam", "type", "lat", "lon"]
    rows = [[f"M{i}", f"Gevelbank Église {i}", "gevelbank", r[3], r[4]] for i, r in enumerate(good_rows(3))]
    sep = "\t" if encoding == "utf-16" else ";"  # Excel's "Unicode text": UTF-16 with BOM, tabs
    path = tmp_path / "meubilair.txt"
    path.write_bytes(table_text(header, rows, sep).encode(encoding))
    result = check(path, sectors, layer="meubilair")
    assert list(result.records["naam"]) == [f"Gevelbank Église {i}" for i in range(3)]
    assert list(result.records["id"]) == ["M0", "M1", "M2"]


def test_dates_in_three_spellings(tmp_path, sectors):
    rows = good_rows(3)
    for row, date in zip(rows, ["2024-12-31", "31/12/2024", "31.12.2024"]):
        row[2] = date
    path = tmp_path / "d.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    result = check(path, sectors)
    assert (result.records["datum"] == pd.Timestamp("2024-12-31")).all()


@pytest.mark.parametrize("lat_name,lon_name", [("breedtegraad", "lengtegraad"), ("Latitude", "Longitude"),
                                               ("LAT", "lng"), ("y", "x")])
def test_common_coordinate_names(tmp_path, sectors, lat_name, lon_name):
    rows = good_rows(3)
    path = tmp_path / "c.csv"
    path.write_text(table_text(["id", "categorie", "datum", lat_name, lon_name], rows))
    result = check(path, sectors)
    assert len(result.records) == 3 and result.crs == 4326


@pytest.mark.parametrize("epsg", [31370, 3812])
def test_lambert_72_and_2008_are_recognised(tmp_path, sectors, epsg):
    x, y = inside_xy(4)
    if epsg == 3812:
        x, y = Transformer.from_crs(31370, 3812, always_xy=True).transform(x, y)
    rows = [[f"S{i}", "zwerfvuil", "2024-01-01", f"{a:.2f}".replace(".", ","), f"{b:.2f}".replace(".", ",")]
            for i, (a, b) in enumerate(zip(x, y))]
    path = tmp_path / "l.csv"
    path.write_text(table_text(["id", "categorie", "datum", "x", "y"], rows, ";"))
    result = check(path, sectors)
    assert result.crs == epsg and len(result.records) == 4
    np.testing.assert_allclose(result.records["x"], inside_xy(4)[0], atol=0.01)
    assert any(describe in " ".join(result.notes) for describe in ("Lambert 72", "Lambert 2008"))


def test_thousands_separators_are_understood():
    values = pd.Series(["153.456,78", "153,456.78", "51,02", "51.02", "1 234,5", "abc", "", "inf"])
    out = pi.parse_numbers(values)
    assert out.iloc[:5].tolist() == [153456.78, 153456.78, 51.02, 51.02, 1234.5]
    assert out.iloc[5:].isna().all()


def test_explicit_crs_overrides_detection(tmp_path, sectors):
    x, y = inside_xy(2)
    rows = [[f"S{i}", "zwerfvuil", "", f"{a:.1f}", f"{b:.1f}"] for i, (a, b) in enumerate(zip(x, y))]
    path = tmp_path / "l.csv"
    path.write_text(table_text(["id", "categorie", "datum", "x", "y"], rows))
    as_2008 = check(path, sectors, crs=3812)  # wrong on purpose: every point lands far away
    assert as_2008.records.empty and len(as_2008.rejects) == 2
    assert "buiten de gemeente" in as_2008.rejects["reden"].iloc[0]
    with pytest.raises(CohesieError, match="onbekend"):
        check(path, sectors, crs=99)


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buf.getvalue()


def test_excel_first_sheet_with_data_or_the_named_one(tmp_path, sectors):
    data = pd.DataFrame(good_rows(3), columns=SIGNAL_HEADER)
    other = pd.DataFrame(good_rows(2, prefix="T"), columns=SIGNAL_HEADER)
    path = tmp_path / "w.xlsx"
    path.write_bytes(_xlsx({"Leeg": pd.DataFrame(), "Signalen": data, "Extra": other}))
    assert list(check(path, sectors).records["id"]) == ["S1", "S2", "S3"]
    assert list(check(path, sectors, sheet="extra").records["id"]) == ["T1", "T2"]
    with pytest.raises(CohesieError, match="geen werkblad 'Nope'.*Signalen"):
        check(path, sectors, sheet="Nope")
    assert pi.list_sheets(path) == ["Leeg", "Signalen", "Extra"]


def test_excel_real_dates_are_read(tmp_path, sectors):
    data = pd.DataFrame(good_rows(2), columns=SIGNAL_HEADER)
    data["datum"] = pd.to_datetime(["2024-12-31", "2023-01-02"])
    path = tmp_path / "w.xlsx"
    path.write_bytes(_xlsx({"Blad1": data}))
    assert check(path, sectors).records["datum"].tolist() == [pd.Timestamp("2024-12-31"), pd.Timestamp("2023-01-02")]


def test_geojson_points_and_a_line_is_refused(tmp_path, sectors):
    lon, lat = inside_lonlat(3)
    gdf = gpd.GeoDataFrame({"id": ["G1", "G2", "G3"], "categorie": "zwerfvuil"},
                           geometry=[Point(lon[0], lat[0]), Point(lon[1], lat[1]),
                                     LineString([(lon[0], lat[0]), (lon[2], lat[2])])], crs=4326)
    path = tmp_path / "g.geojson"
    gdf.to_file(path, driver="GeoJSON")
    result = check(path, sectors)
    assert list(result.records["id"]) == ["G1", "G2"]
    assert result.rejects["rij"].tolist() == [3]
    assert "LineString, geen punt" in result.rejects["reden"].iloc[0]


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_geopackage_in_lambert_and_without_crs(tmp_path, sectors):
    x, y = inside_xy(2)
    gdf = gpd.GeoDataFrame({"id": ["P1", "P2"], "categorie": "zwerfvuil"},
                           geometry=gpd.points_from_xy(x, y), crs=31370)
    path = tmp_path / "p.gpkg"
    gdf.to_file(path, layer="signalen", driver="GPKG")
    result = check(path, sectors)
    assert result.crs == 31370 and len(result.records) == 2
    bare = tmp_path / "bare.gpkg"
    gdf.set_crs(None, allow_override=True).to_file(bare, driver="GPKG")
    with pytest.raises(CohesieError, match="geen coördinatenstelsel.*--crs"):
        check(bare, sectors)
    assert len(check(bare, sectors, crs=31370).records) == 2


# -- files that are not what they claim ---------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name,content,message", [
    ("leeg.csv", b"", "is leeg"),
    ("spaties.csv", b"  \r\n\r\n", "is leeg"),
    ("kop.csv", b"id;categorie;lat;lon\r\n", "kopregel .* maar geen rijen"),
    ("kop.xlsx", None, "geen enkel werkblad bevat rijen"),
    ("foto.csv", PNG, "geen tabel maar een PNG-afbeelding"),
    ("ruis.csv", bytes(np.random.default_rng(3).integers(0, 256, 4000, dtype=np.uint8)), "geen tabel"),
    ("brief.csv", _docx(), "geen tabel maar een Word-document"),
    ("brief.docx", _docx(), "bestandstype '.docx' wordt niet ondersteund"),
    ("tekst.csv", b"Beste collega,\nhierbij de lijst.\n", "lijkt geen tabel"),
    ("kapot.xlsx", b"PK\x03\x04 niet echt", "geen tabel|geen geldig Excel"),
    ("kapot.geojson", b'{"type": "FeatureCollection", "features": [', "kan niet gelezen worden"),
])
def test_files_that_are_not_usable_tables(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        path.write_bytes(_xlsx({"Blad1": pd.DataFrame(columns=SIGNAL_HEADER)}))
    else:
        path.write_bytes(content)
    with pytest.raises(CohesieError, match=message):
        pi.read_table(path)


def test_excel_saved_as_csv_is_read_as_excel(tmp_path, sectors):
    path = tmp_path / "eigenlijk_excel.csv"
    path.write_bytes(_xlsx({"Blad1": pd.DataFrame(good_rows(2), columns=SIGNAL_HEADER)}))
    result = check(path, sectors)
    assert len(result.records) == 2 and "Excel-werkmap" in " ".join(result.notes)


def test_addresses_without_coordinates_need_coordinates_or_geocoding(tmp_path, sectors):
    path = tmp_path / "adressen.csv"
    path.write_text("id;naam;type;straat;huisnummer\nM1;Bank;gevelbank;Kerkstraat;12\n")
    with pytest.raises(CohesieError, match="adressen .*straat, huisnummer.* geen coördinaten.*geocodeerdienst"):
        check(path, sectors, layer="meubilair")


def test_half_a_coordinate_pair_is_a_file_problem(tmp_path, sectors):
    path = tmp_path / "half.csv"
    path.write_text("id;categorie;lat\nS1;zwerfvuil;51.0\n")
    with pytest.raises(CohesieError, match="niet voor lengtegraad"):
        check(path, sectors)


# -- mistakes per row, all at once ----------------------------------------------------------
def test_every_row_mistake_is_reported_with_row_column_and_fix(tmp_path, sectors):
    ok = good_rows(3)
    lon_far, lat_far = far_lonlat()
    rows = ok + [
        ["E1", "zwerfvuil", "2024-01-01", "", ""],                       # row 5: no location
        ["E2", "zwerfvuil", "2024-01-01", "abc", ok[0][4]],              # row 6: not a number
        ["E3", "zwerfvuil", "2024-01-01", "951", ok[0][4]],              # row 7: out of range
        ["E4", "zwerfvuil", "2024-01-01", f"{lat_far:.6f}", f"{lon_far:.6f}"],  # row 8: outside
        ["E5", "zwerfvuil", "gisteren", ok[0][3], ok[0][4]],             # row 9: unreadable date
        ["S1", "zwerfvuil", "2024-01-01", ok[1][3], ok[1][4]],           # row 10: duplicate of row 2
        ["E6", "zwerfvuil", "2024-01-01", ok[0][3], ""],                 # row 11: half a pair
    ]
    path = tmp_path / "fouten.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows, ";"))
    result = check(path, sectors)
    assert sorted(result.records["id"]) == ["S2", "S3"]
    by_row = {r: (k, m) for r, k, m in result.problems.itertuples(index=False)}
    assert sorted(by_row) == [2, 5, 6, 7, 8, 9, 10, 11]
    assert by_row[5][0] == "lat/lon" and "geen locatie" in by_row[5][1]
    assert by_row[6] == ("lat", "breedtegraad (lat) 'abc' is geen getal; schrijf bv. 51,0259 of 51.0259")
    assert by_row[7][0] == "lat" and "951 ligt buiten [-90, 90]" in by_row[7][1]
    assert "buiten de gemeente" in by_row[8][1] and "km van de grens" in by_row[8][1]
    assert "niet verschoven" in by_row[8][1]
    assert by_row[9][0] == "datum" and "'gisteren' is onleesbaar" in by_row[9][1]
    assert "2024-12-31, 31/12/2024 of 31.12.2024" in by_row[9][1]
    assert by_row[2][0] == by_row[10][0] == "id" and "rijen 2, 10" in by_row[10][1]
    assert by_row[11][0] == "lon" and "leeg" in by_row[11][1]
    assert result.rejects["rij"].tolist() == [2, 5, 6, 7, 8, 9, 10, 11]
    assert result.rejects["id"].tolist() == ["S1", "E1", "E2", "E3", "E4", "E5", "S1", "E6"]


def test_distance_to_the_border_is_reported_in_km(tmp_path, sectors):
    lon, lat = far_lonlat()
    path = tmp_path / "ver.csv"
    path.write_text(table_text(SIGNAL_HEADER, [["F1", "zwerfvuil", "", f"{lat:.6f}", f"{lon:.6f}"]]))
    result = check(path, sectors)
    outline = sectors.geometry.union_all()
    x, y = Transformer.from_crs(4326, 31370, always_xy=True).transform(lon, lat)
    expected = outline.distance(Point(x, y)) / 1000
    assert f"{expected:.2f}".replace(".", ",") + " km" in result.rejects["reden"].iloc[0]


def test_swapped_file_is_swapped_when_every_point_then_lies_inside(tmp_path, sectors):
    rows = [[r[0], r[1], r[2], r[4], r[3]] for r in good_rows(4)]  # lat and lon swapped
    path = tmp_path / "omgewisseld.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    result = check(path, sectors)
    assert len(result.records) == 4
    assert "omgewisseld in 4 rij(en)" in " ".join(result.notes)
    lon, lat = inside_lonlat(4)
    x, _ = Transformer.from_crs(4326, 31370, always_xy=True).transform(lon, lat)
    np.testing.assert_allclose(result.records["x"], x, atol=0.5)


def test_swapped_rows_are_refused_when_one_would_still_be_outside(tmp_path, sectors):
    rows = [[r[0], r[1], r[2], r[4], r[3]] for r in good_rows(3)]
    lon_far, lat_far = far_lonlat()
    rows.append(["F1", "zwerfvuil", "", f"{lon_far:.6f}", f"{lat_far:.6f}"])  # swapped and far away
    path = tmp_path / "omgewisseld.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    result = check(path, sectors)
    assert result.records.empty
    assert result.rejects["reden"].str.contains("lijken omgewisseld").all()
    assert not any("teruggewisseld" in n for n in result.notes)


def test_column_mapping_and_bad_mapping(tmp_path, sectors):
    rows = good_rows(2)
    path = tmp_path / "m.csv"
    path.write_text(table_text(["Code", "Wat", "Wanneer", "Noorderbreedte", "Oosterlengte"], rows))
    mapping = {"id": "Code", "type": "Wat", "datum": "Wanneer", "lat": "Noorderbreedte", "lon": "oosterlengte"}
    result = check(path, sectors, mapping=mapping)
    assert list(result.records["id"]) == ["S1", "S2"]
    with pytest.raises(CohesieError, match="kolom 'Nergens' bestaat niet"):
        check(path, sectors, mapping={**mapping, "lat": "Nergens"})
    with pytest.raises(CohesieError, match="veld 'kleur' bestaat niet"):
        check(path, sectors, mapping={**mapping, "kleur": "Wat"})


def test_rows_without_id_get_the_same_id_twice_and_identical_rows_stay_distinct(tmp_path, sectors):
    rows = [r[1:] for r in good_rows(3)]
    rows.append(list(rows[0]))
    path = tmp_path / "zonder_id.csv"
    path.write_text(table_text(SIGNAL_HEADER[1:], rows))
    first, second = check(path, sectors), check(path, sectors)
    assert first.records["id"].tolist() == second.records["id"].tolist()
    assert first.records["id"].nunique() == 4


# -- writing: one transaction, idempotent, corrections update ------------------------------------
def test_same_file_twice_changes_nothing_and_a_correction_updates(store, tmp_path):
    rows = good_rows(5, prefix="N")
    path = tmp_path / "nieuw.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before = count(store.data_dir, "signalen")
    first = operations.import_points(store, path, layer="signalen")
    assert (first.inserted, first.changed) == (5, 0)
    assert count(store.data_dir, "signalen") == before + 5
    again = operations.import_points(store, path, layer="signalen")
    assert (again.inserted, again.changed) == (0, 0)
    assert count(store.data_dir, "signalen") == before + 5
    assert point(store.data_dir, "signalen", "N1")["version"] == 1
    rows[0][1] = "wildplassen"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    fixed = operations.import_points(store, path, layer="signalen")
    assert (fixed.inserted, fixed.changed) == (0, 1)
    assert count(store.data_dir, "signalen") == before + 5
    stored = point(store.data_dir, "signalen", "N1")
    assert stored["type"] == "wildplassen" and stored["version"] == 2


def test_strict_writes_nothing_but_keeps_the_rejects(store, tmp_path):
    rows = good_rows(3, prefix="N") + [["N9", "zwerfvuil", "morgen", "", ""]]
    path = tmp_path / "strikt.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before = count(store.data_dir)
    with pytest.raises(operations.ImportRefused) as err:
        operations.import_points(store, path, layer="signalen", strict=True)
    assert count(store.data_dir) == before
    kept = pd.read_csv(err.value.rejects_path, encoding="utf-8-sig", dtype=str)
    assert kept["rij"].tolist() == ["5"] and "morgen" in kept["reden"].iloc[0]


def test_progress_is_reported_up_to_done(store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(table_text(SIGNAL_HEADER, good_rows(50, prefix="Q")))
    seen = []
    operations.import_points(store, path, layer="signalen", progress=lambda f, t: seen.append(f))
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0


def test_wijk_only_records_and_unknown_wijk(store, tmp_path, sectors):
    wijk = sectors["wijk_code"].iloc[0]
    name = sectors["wijk_naam"].iloc[0]
    path = tmp_path / "w.csv"
    path.write_text(f"id;naam;type;wijk\nP1;Buurtfeest;burendag;{wijk}\nP2;Pleinfeest;burendag;{name}\n"
                    "P3;Nergens;burendag;Atlantis\n")
    result = check(path, sectors, layer="projecten")
    assert result.records["wijk_code"].tolist() == [wijk, wijk]
    assert "wijk 'Atlantis' bestaat niet" in result.rejects["reden"].iloc[0]
