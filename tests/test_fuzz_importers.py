"""Issue 14 item 4: every importer fuzzed with messy files (hypothesis).

The point importer, the sector reader, the wijk table reader and the population reader get
generated files: tables in several encodings and delimiters with broken quoting, huge and tiny
numbers, odd codes and dates; GeoJSON with strange coordinates and properties; truncated text
and random bytes. Each import must either return its report or raise the project's
:class:`~cohesie.errors.CohesieError` (a :class:`ValidationError` is one) with a Dutch message,
never another exception; and a refused import leaves the database exactly as it was (its whole
dump is compared).

The number of examples per importer comes from ``$COHESIE_FUZZ_EXAMPLES`` (default 20, so the
suite stays short); ``COHESIE_FUZZ_EXAMPLES=2000 bash test.sh tests/test_fuzz_importers.py``
runs many more.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import TINY_X0, TINY_Y0, tiny_statbel_frame, write_statbel_2024

from cohesie import operations, spatial
from cohesie.errors import CohesieError
from cohesie.storage import open_store

EXAMPLES = int(os.environ.get("COHESIE_FUZZ_EXAMPLES", "20"))
FUZZ = hsettings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 20,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])
NIS = "11111"  # Proefstad: three 1 km squares (tests/conftest.py), small enough to dump each time
# Dutch words every message of this project uses somewhere; an English library message
# ("could not convert string to float") passed through would have none of them
DUTCH = ("bestand", "kolom", "rij", "geen", "niet", "is ", "de ", "het ", "een ", "ontbreekt",
         "sector", "wijk", "gelezen", "geweigerd")


def _lonlat(x, y):
    lon, lat = spatial.to_display_lonlat([x], [y])
    return float(lon[0]), float(lat[0])


LON0, LAT0 = _lonlat(TINY_X0, TINY_Y0)
LON1, LAT1 = _lonlat(TINY_X0 + 3000, TINY_Y0 + 1000)
VALID_POINTS = ("id;type;datum;lat;lon\n" + "".join(
    f"P{i};zwerfvuil;2024-0{i + 1}-15;{_lonlat(TINY_X0 + 500 + 1000 * i, TINY_Y0 + 500)[1]:.6f};"
    f"{_lonlat(TINY_X0 + 500 + 1000 * i, TINY_Y0 + 500)[0]:.6f}\n" for i in range(3))).encode()
VALID_WIJKEN = b"sector;wijk_code;wijk_naam\n11111A00-;11111W01;Noord\n11111A01-;11111W01;Noord\n11111B00-;11111W02;Zuid\n"
VALID_POPULATION = (b"CD_REFNIS|CD_SECTOR|TOTAL\n11111|11111A00-|1000\n11111|11111A01-|500\n"
                    b"11111|11111B00-|0\n11111|11111ZZZZ|7\n22222|22222A00-|300\n")


@pytest.fixture(scope="module")
def city_dir(tmp_path_factory):
    """Proefstad with its sectors, a wijk table, population and three signals."""
    tmp = tmp_path_factory.mktemp("proefstad")
    store = open_store(tmp / "data")
    operations.import_sectors(store, write_statbel_2024(tmp / "s.geojson", tiny_statbel_frame()), nis=NIS)
    (tmp / "w.csv").write_bytes(VALID_WIJKEN)
    operations.import_wijken(store, tmp / "w.csv")
    (tmp / "OPENDATA_SECTOREN_2025.txt").write_bytes(VALID_POPULATION)
    operations.import_population(store, tmp / "OPENDATA_SECTOREN_2025.txt")
    (tmp / "p.csv").write_bytes(VALID_POINTS)
    operations.import_points(store, tmp / "p.csv", layer="signalen")
    return tmp / "data"


@pytest.fixture
def data(city_dir, tmp_path):
    """A copy of Proefstad's data directory, shared by the examples of one test."""
    return Path(shutil.copytree(city_dir, tmp_path / "data"))


@pytest.fixture(scope="module")
def valid_sectors(tmp_path_factory) -> bytes:
    return write_statbel_2024(tmp_path_factory.mktemp("s") / "s.geojson", tiny_statbel_frame()).read_bytes()


def dump(data_dir: Path) -> list[str]:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return list(con.iterdump())
    finally:
        con.close()


def attempt(data_dir: Path, run):
    """Run one import: it returns a report, or raises CohesieError with a Dutch message and
    leaves the database unchanged."""
    before = dump(data_dir)
    try:
        return run(open_store(data_dir))
    except CohesieError as err:
        message = str(err)
        assert message.strip(), "an empty error message"
        assert any(word in message.lower() for word in DUTCH), message
        assert "Traceback" not in message
        assert dump(data_dir) == before, "a refused import changed the database"
        return None


def write(folder: Path, suffix: str, content: bytes) -> Path:
    path = folder / "fuzz" / uuid.uuid4().hex[:8] / f"bestand{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# -- strategies ---------------------------------------------------------------------------
SECTOR_CODES = ["11111A00-", "11111A01-", "11111B00-", "11111B01-", "11111ZZZZ", "11111A0", "12025A00-",
                "", "A00-", "11111a00-", "22222A00-"]
NUMBERS = st.one_of(
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda v: f"{v:.6f}".replace(".", ",")),
    st.sampled_from(["1e308", "-1e308", "1e-320", "9" * 400, "-0", "0,0", "1.234,5", "1,234.5", "NaN",
                     "inf", "١٢٣", "½", "0x1F", "  42  ", "4 2", "51,03", "4,47"]))
NEAR = st.tuples(st.floats(LAT0 - 0.01, LAT1 + 0.01), st.floats(LON0 - 0.01, LON1 + 0.01)).map(
    lambda p: (f"{p[0]:.6f}", f"{p[1]:.6f}"))
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
DATES = st.sampled_from(["2024-12-31", "31/12/2024", "31.12.2024", "2024-02-30", "1899-01-01", "9999-12-31",
                         "gisteren", "", "2024-13-01", "45292", "12/31/2024"])
CELL = st.one_of(NUMBERS, TEXT, DATES, st.sampled_from(SECTOR_CODES),
                 st.sampled_from(['"', '""', '"a;b"', '"open', "x\"y", "\\", "\r", "\n", "\t"]))
DELIMITERS = st.sampled_from([";", ",", "\t", "|", " ", ":"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le"])


@st.composite
def table(draw, header_choices: list[str], *, cell=CELL, special=None):
    """A messy text table as bytes: some known column names, some random ones, rows with too
    many or too few fields, broken quotes, one of several encodings and delimiters."""
    header = draw(st.lists(st.sampled_from(header_choices) | TEXT, min_size=1, max_size=7))
    sep = draw(DELIMITERS)
    n_rows = draw(st.integers(0, 12))
    rows = []
    for _ in range(n_rows):
        width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1, 3]))
        names = (header + [""] * 5)[:max(width, 0)]
        row = [draw(special(name)) if special and i < len(header) else draw(cell)
               for i, name in enumerate(names)]
        rows.append(sep.join(row))
    text = "\n".join([sep.join(header), *rows]) + draw(st.sampled_from(["", "\n", "\r\n", "\n\n\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    cut = draw(st.integers(0, len(text)))
    if draw(st.integers(0, 9)) == 0:
        text = text[:cut]  # a file cut off mid-way
    return text.encode(draw(ENCODINGS), errors="replace")


def points_cell(name: str):
    if name in ("lat", "breedtegraad"):
        return st.one_of(NEAR.map(lambda p: p[0]), NUMBERS)
    if name in ("lon", "lengtegraad"):
        return st.one_of(NEAR.map(lambda p: p[1]), NUMBERS)
    if name in ("x", "y"):
        return st.one_of(st.floats(TINY_X0 - 500, TINY_X0 + 3500).map(lambda v: f"{v:.1f}"),
                         st.floats(TINY_Y0 - 500, TINY_Y0 + 1500).map(lambda v: f"{v:.1f}"), NUMBERS)
    if name == "datum":
        return DATES
    if name == "id":
        return st.one_of(st.integers(0, 30).map(lambda i: f"F{i}"), TEXT)
    return CELL


def area_cell(name: str):
    if name in ("sector", "statsec", "CD_SECTOR", "cd_sector"):
        return st.sampled_from(SECTOR_CODES) | TEXT
    if name in ("wijk_code", "ggw7"):
        return st.sampled_from([f"{NIS}W01", f"{NIS}W02", f"{NIS}WONB", f"{NIS}01", "", "W01"]) | TEXT
    if name in ("TOTAL", "inwoners", "POP"):
        return NUMBERS
    if name in ("CD_REFNIS", "nis"):
        return st.sampled_from([NIS, "22222", "", "1111"])
    return CELL


RANDOM_BYTES = st.binary(max_size=3000)


@st.composite
def mutated(draw, base: bytes):
    """``base`` (a valid file) with a few bytes changed, removed or inserted, or cut off."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "drop", "insert", "cut"]))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "drop" and data:
            del data[at:at + draw(st.integers(1, 20))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from([b'"', b";", b",", b"\n", b"\x00", b"\xff\xfe", b"1e999",
                                               b"-", b"{", b"]", b"\xc3"]))
        elif op == "cut":
            del data[at:]
    return bytes(data)
POINT_FILES = st.one_of(
    st.tuples(st.sampled_from([".csv", ".txt", ".tsv"]),
              table(["id", "naam", "type", "categorie", "datum", "lat", "lon", "x", "y", "wijk", "status"],
                    special=points_cell)),
    st.tuples(st.sampled_from([".csv", ".xlsx", ".geojson", ".gpkg", ".json"]), RANDOM_BYTES),
    st.tuples(st.sampled_from([".csv"]), st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00" * 50,
                                                          b"id;lat;lon\n", b";;;\n;;;\n", b'"""\n"'])),
    st.tuples(st.just(".csv"), mutated(VALID_POINTS)),
)


def geojson_bytes(draw) -> bytes:
    coordinate = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                           st.floats(100_000, 200_000), st.floats(2, 6), st.integers(-10**20, 10**20))
    ring = st.lists(st.tuples(coordinate, coordinate).map(list), min_size=0, max_size=6)
    geometry = st.one_of(
        st.builds(lambda r: {"type": "Polygon", "coordinates": [r + r[:1]]}, ring),
        st.builds(lambda p: {"type": "Point", "coordinates": p}, st.tuples(coordinate, coordinate).map(list)),
        st.builds(lambda r: {"type": "MultiPolygon", "coordinates": [[r]]}, ring),
        st.just(None), st.just({"type": "Polygon"}), st.just({"type": "Onzin", "coordinates": 3}))
    props = st.dictionaries(st.sampled_from(["CD_SECTOR", "cd_sector", "sector", "CD_REFNIS", "T_SEC_NL",
                                             "POP", "naam"]) | TEXT,
                            st.one_of(st.sampled_from(SECTOR_CODES), NUMBERS, TEXT, st.none(),
                                      st.integers(-10**20, 10**20)), max_size=5)
    features = draw(st.lists(st.builds(lambda g, p: {"type": "Feature", "geometry": g, "properties": p},
                                       geometry, props), max_size=6))
    doc = {"type": draw(st.sampled_from(["FeatureCollection", "Feature", "Onzin"])), "features": features}
    if draw(st.booleans()):
        doc["crs"] = {"type": "name", "properties": {"name": draw(st.sampled_from(
            ["urn:ogc:def:crs:EPSG::31370", "urn:ogc:def:crs:EPSG::3812", "EPSG:4326", "onzin"]))}}
    text = json.dumps(doc, allow_nan=True)
    if draw(st.integers(0, 5)) == 0:
        text = text[:draw(st.integers(0, len(text)))]
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), errors="replace")


@st.composite
def sector_files(draw, valid: bytes):
    kind = draw(st.sampled_from(["geojson", "geojson", "mutated", "random"]))
    if kind == "geojson":
        return draw(st.sampled_from([".geojson", ".json"])), geojson_bytes(draw)
    if kind == "mutated":
        return ".geojson", draw(mutated(valid))
    return draw(st.sampled_from([".geojson", ".zip", ".gpkg", ".shp", ".json"])), draw(RANDOM_BYTES)


AREA_TABLE_SUFFIXES = st.sampled_from([".csv", ".txt", ".tsv"])
WIJK_FILES = st.one_of(
    st.tuples(AREA_TABLE_SUFFIXES, table(["sector", "wijk_code", "wijk_naam", "statsec", "ggw7", "naam"],
                                         special=area_cell)),
    st.tuples(st.sampled_from([".csv", ".xlsx", ".geojson", ".zip"]), RANDOM_BYTES),
    st.tuples(st.just(".csv"), mutated(VALID_WIJKEN)))
POPULATION_FILES = st.one_of(
    st.tuples(AREA_TABLE_SUFFIXES, table(["CD_REFNIS", "CD_SECTOR", "TOTAL", "sector", "inwoners", "POP",
                                          "DT_STRT_SECTOR"], special=area_cell)),
    st.tuples(st.sampled_from([".txt", ".xlsx", ".gpkg", ".zip"]), RANDOM_BYTES),
    st.tuples(st.just(".txt"), mutated(VALID_POPULATION)))


# -- the four importers ---------------------------------------------------------------------
@FUZZ
@given(POINT_FILES, st.sampled_from(["signalen", "meubilair", "pleinmakers"]), st.booleans())
def test_point_importer_never_crashes_and_a_refusal_writes_nothing(data, file, layer, strict):
    suffix, content = file
    path = write(data.parent, suffix, content)
    attempt(data, lambda store: operations.import_points(store, path, layer=layer, strict=strict))


@FUZZ
@given(st.data(), st.sampled_from([None, 31370, 4326]))
def test_sector_reader_never_crashes_and_a_refusal_writes_nothing(data, valid_sectors, draw, crs):
    suffix, content = draw.draw(sector_files(valid_sectors))
    path = write(data.parent, suffix, content)
    attempt(data, lambda store: operations.import_sectors(store, path, nis=NIS, crs=crs))


@FUZZ
@given(WIJK_FILES, st.booleans())
def test_wijk_table_reader_never_crashes_and_a_refusal_writes_nothing(data, file, onbekend):
    suffix, content = file
    path = write(data.parent, suffix, content)
    attempt(data, lambda store: operations.import_wijken(store, path, onbekend=onbekend))


@FUZZ
@given(POPULATION_FILES, st.sampled_from([None, "2025", "20x5"]))
def test_population_reader_never_crashes_and_a_refusal_writes_nothing(data, file, year):
    suffix, content = file
    name = "OPENDATA_SECTOREN_2025" if suffix == ".txt" else "bevolking"
    path = write(data.parent, suffix, content).rename(data.parent / "fuzz" / f"{uuid.uuid4().hex[:8]}_{name}{suffix}")
    attempt(data, lambda store: operations.import_population(store, path, year=year))


# -- what the fuzzing found (each crashed with a pandas/csv error before it was fixed) ------------
FOUND = [
    ("points", b"naam;categorie;categorie;type\n1;2;3;4\n3;4;5;6;7\n"),  # a name twice, a broken row
    ("points", b'id;id;wijk\nF0;F0\nF0;F0;0\nF0;F0;"'),
    ("wijken", b"sector;sector;sector\n\r;11111A00-;11111A00-;0"),
    ("wijken", b"sector;wijk\x01code;wijk_naam\n1"),  # no row left with a sector and a wijk
    ("population", b"CD_SECTOR;TOTAL\n11111A00-\n11111A00-;1;0;\r;0\n"),  # a lone CR in a broken row
]


@pytest.mark.parametrize("kind, content", FOUND)
def test_files_found_by_fuzzing_are_refused_in_dutch(data, kind, content):
    path = write(data.parent, ".csv", content)
    run = {"points": lambda store: operations.import_points(store, path, layer="signalen", strict=True),
           "wijken": lambda store: operations.import_wijken(store, path),
           "population": lambda store: operations.import_population(store, path)}[kind]
    before = dump(data)
    with pytest.raises(CohesieError) as err:
        run(open_store(data))
    assert any(word in str(err.value) for word in ("twee keer in de kopregel", "geen enkele rij",
                                                     "kan niet gelezen worden")), str(err.value)
    assert dump(data) == before


@pytest.mark.parametrize("content", [b'id;datum;wijk;\nF0;9999-12-31;0;"', b"id;datum;wijk;id\nF0;9999-12-31;0;F0"])
def test_a_date_beyond_what_pandas_holds_is_unreadable_not_a_crash(data, content):
    """Found by fuzzing: 9999-12-31 crashed parse_dates (out of the nanosecond range)."""
    path = write(data.parent, ".csv", content)
    attempt(data, lambda store: operations.import_points(store, path, layer="signalen"))
    from cohesie.ingest.points import parse_dates

    import pandas as pd

    assert parse_dates(pd.Series(["9999-12-31", "31/12/2024"])).tolist() == [pd.NaT, pd.Timestamp("2024-12-31")]
