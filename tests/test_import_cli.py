"""``python -m cohesie import-points`` / ``import-sectors`` end to end in a subprocess: exit
codes, summaries, rejects files, database counts before and after, and a kill during the write."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Polygon

from import_helpers import (REPO, SIGNAL_HEADER, build_demo_dir, copy_dir, count, good_rows, inside_xy,
                            point, run_cli, table_text)
from test_import_points import PNG, _docx, _xlsx


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo_dir(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def data(demo_dir, tmp_path):
    return copy_dir(demo_dir, tmp_path / "data")


def data_version(data_dir) -> int:
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return int(con.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0])
    finally:
        con.close()


def test_every_row_imported_exits_0(data, tmp_path):
    path = tmp_path / "goed.csv"
    path.write_text(table_text(SIGNAL_HEADER, good_rows(20, prefix="C"), ";"))
    before = count(data, "signalen")
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0, res.stderr
    assert "signalen: 20 geïmporteerd, 0 geweigerd" in res.stdout
    assert "geweigerde rijen in" not in res.stdout
    assert count(data, "signalen") == before + 20


def test_some_rows_refused_exits_0_with_summary_and_rejects_file(data, tmp_path):
    rows = good_rows(4, prefix="C")
    rows[3][0], rows[3][2] = "C9", "31/02/2024"
    path = tmp_path / "deels.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before = count(data, "signalen")
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0, res.stderr
    assert "3 geïmporteerd, 1 geweigerd" in res.stdout
    rejects = res.stdout.split("geweigerde rijen in ")[1].split()[0]
    assert rejects.startswith(str(data)) and os.path.exists(rejects)
    kept = pd.read_csv(rejects, encoding="utf-8-sig", dtype=str)
    assert kept[["rij", "kolom", "id"]].values.tolist() == [["5", "datum", "C9"]]
    assert "'31/02/2024' is onleesbaar" in kept["reden"].iloc[0]
    assert count(data, "signalen") == before + 3


def test_partial_import_lists_the_first_20_refused_rows_then_how_many_more_and_where(data, tmp_path):
    rows = good_rows(30, prefix="L")
    for i in range(25):  # rows 2..26 refused: 25 bad dates; rows 27..31 good
        rows[i][2] = f"{i + 1}e van de maand"
    path = tmp_path / "veel_fout.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0, res.stderr
    assert "5 geïmporteerd, 25 geweigerd" in res.stdout
    lines = res.stdout.splitlines()
    start = lines.index("Geweigerde rijen (25):")
    listed = lines[start + 1:start + 21]
    assert [line.split(",")[0].strip() for line in listed] == [f"rij {r}" for r in range(2, 22)]
    assert listed[0] == ("  rij 2, kolom datum: datum '1e van de maand' is onleesbaar; schrijf de datum als "
                         "2024-12-31, 31/12/2024 of 31.12.2024 (de rij wordt niet zonder datum geladen)")
    assert all(", kolom datum: datum '" in line for line in listed)
    rejects = res.stdout.split("geweigerde rijen in ")[1].split()[0]
    assert lines[start + 21] == f"… en 5 meer in {rejects}"
    assert len(pd.read_csv(rejects, encoding="utf-8-sig", dtype=str)) == 25
    assert "rij 22" not in res.stdout


def test_partial_import_with_few_refused_rows_lists_them_all_without_more(data, tmp_path):
    rows = good_rows(4, prefix="F")
    rows[1][3], rows[1][4] = "", ""
    path = tmp_path / "een_fout.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    start = lines.index("Geweigerde rijen (1):")
    assert lines[start + 1].startswith("  rij 3, kolom lat/lon: geen locatie")
    assert lines[start + 1:] == [lines[start + 1]]  # nothing after it, no "… en N meer"
    assert "meer in" not in res.stdout


def test_nothing_valid_exits_2_and_writes_nothing(data, tmp_path):
    rows = [["C1", "zwerfvuil", "", "abc", "4.0"], ["C2", "zwerfvuil", "", "", ""]]
    path = tmp_path / "fout.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before, version = count(data), data_version(data)
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 2
    assert "niets geïmporteerd (geen enkele rij is geldig)" in res.stderr
    assert "rij 2, kolom lat: breedtegraad (lat) 'abc' is geen getal" in res.stderr
    assert "rij 3, kolom lat/lon: geen locatie" in res.stderr
    assert "Traceback" not in res.stderr
    assert (count(data), data_version(data)) == (before, version)


def test_strict_exits_2_when_any_row_would_be_refused(data, tmp_path):
    rows = good_rows(5, prefix="C") + [["C9", "zwerfvuil", "", "99", "4.0"]]
    path = tmp_path / "strikt.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before, version = count(data), data_version(data)
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen", "--strict")
    assert res.returncode == 2
    assert "--strict: 1 van de 6 rijen zouden geweigerd worden" in res.stderr
    assert "geweigerde rijen bewaard in" in res.stderr
    assert (count(data), data_version(data)) == (before, version)
    ok = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert ok.returncode == 0 and count(data) == before + 5


@pytest.mark.parametrize("name,content,message", [
    ("leeg.csv", b"", "is leeg"),
    ("kop.csv", "id;categorie;lat;lon\n".encode(), "maar geen rijen"),
    ("foto.csv", PNG, "geen tabel maar een PNG-afbeelding"),
    ("brief.csv", _docx(), "geen tabel maar een Word-document"),
    ("brief.docx", _docx(), "wordt niet ondersteund"),
    ("ruis.csv", os.urandom(3000).replace(b"\0", b"\1") + b"\0", "geen tabel"),
    ("adressen.csv", "id;naam;straat;huisnummer\nA1;Bank;Kerkstraat;3\n".encode(), "geocodeerdienst"),
])
def test_unusable_files_exit_2_in_dutch_without_traceback(data, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before, version = count(data), data_version(data)
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "meubilair")
    assert res.returncode == 2
    assert message in res.stderr and res.stderr.startswith("Fout: ")
    assert "Traceback" not in res.stderr
    assert (count(data), data_version(data)) == (before, version)


def test_sheet_crs_and_map_options(data, tmp_path):
    x, y = Transformer.from_crs(31370, 3812, always_xy=True).transform(*inside_xy(3))
    frame = pd.DataFrame({"Referentie": ["K1", "K2", "K3"], "Wat": "gevelbank", "Benaming": ["a", "b", "c"],
                          "Oost": x.round(2), "Noord": y.round(2)})
    path = tmp_path / "inventaris.xlsx"
    path.write_bytes(_xlsx({"Toelichting": pd.DataFrame({"tekst": ["zie blad 2"]}), "Banken": frame}))
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "meubilair", "--sheet", "Banken",
                  "--crs", "3812", "--map", "Wat=type", "--map", "Benaming=naam")
    assert res.returncode == 0, res.stderr
    assert "3 geïmporteerd, 0 geweigerd" in res.stdout
    stored = point(data, "meubilair", "K2")
    assert stored["type"] == "gevelbank" and stored["naam"] == "b"
    assert abs(stored["x"] - inside_xy(3)[0][1]) < 0.05
    bad = run_cli("--data-dir", data, "import-points", path, "--layer", "meubilair", "--sheet", "Banken",
                  "--map", "Wat")
    assert bad.returncode == 2 and "--map 'Wat' is ongeldig" in bad.stderr
    bad = run_cli("--data-dir", data, "import-points", path, "--layer", "meubilair", "--crs", "12")
    assert bad.returncode == 2 and "onbekend" in bad.stderr


def test_same_file_twice_then_a_corrected_file(data, tmp_path):
    rows = good_rows(10, prefix="T")
    path = tmp_path / "t.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    before = count(data, "signalen")
    assert run_cli("--data-dir", data, "import-points", path, "--layer", "signalen").returncode == 0
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert "0 nieuw, 0 bijgewerkt, 10 ongewijzigd" in res.stdout
    assert count(data, "signalen") == before + 10 and point(data, "signalen", "T3")["version"] == 1
    rows[2][2] = "01/01/2025"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert "0 nieuw, 1 bijgewerkt, 9 ongewijzigd" in res.stdout
    assert count(data, "signalen") == before + 10
    stored = point(data, "signalen", "T3")
    assert stored["datum"] == "2025-01-01" and stored["version"] == 2


# The real command line, with the write slowed down after its first chunk so the test can kill
# the process while the transaction is open.
SLOW_WRITE = """
import sys, time
from cohesie import storage
original = storage.SqliteWriter.upsert_points
def slow(writer, records, **kw):
    def after_chunk(done, total):
        print("GESCHREVEN", done, total, flush=True)
        time.sleep(120)
    return original(writer, records, chunk=5000, progress=after_chunk)
storage.SqliteWriter.upsert_points = slow
from cohesie.__main__ import run
sys.exit(run(sys.argv[1:]))
"""


def test_killed_during_the_write_leaves_the_data_as_before(data, tmp_path):
    path = tmp_path / "groot.csv"
    path.write_text(table_text(SIGNAL_HEADER, good_rows(30_000, prefix="K"), ";"))
    before, version = count(data), data_version(data)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, "--data-dir", str(data), "import-points",
                             str(path), "--layer", "signalen"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("GESCHREVEN 5000 30000"), proc.stderr.read()
        # 5000 rows are in the open transaction (visible in the WAL file) when the process dies.
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    con = sqlite3.connect(data / "cohesie.sqlite")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM points WHERE id LIKE 'K%'").fetchone()[0] == 0
    finally:
        con.close()
    assert (count(data), data_version(data)) == (before, version)
    # and the data directory is usable: the same import now completes
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0 and count(data) == before + 30_000


# -- sector files -------------------------------------------------------------------------
def _sectors(three_sectors, *, bowtie=False) -> gpd.GeoDataFrame:
    gdf = three_sectors.copy()
    if bowtie:
        x0, y0 = 150_000, 190_000
        gdf.loc[1, "geometry"] = Polygon([(x0 + 1000, y0), (x0 + 2000, y0 + 1000), (x0 + 2000, y0), (x0 + 1000, y0 + 1000)])
    return gdf


def test_sector_file_with_a_self_intersecting_polygon_is_repaired_and_reported(tmp_path, three_sectors):
    path = tmp_path / "sectoren.gpkg"
    _sectors(three_sectors, bowtie=True).to_file(path, driver="GPKG")
    d = tmp_path / "d"
    res = run_cli("--data-dir", d, "import-sectors", path, "--nis", "11111")
    assert res.returncode == 0, res.stderr
    assert "3 sectoren van gemeente 11111 geïmporteerd" in res.stdout
    assert "1 ongeldige polygoon/polygonen hersteld: 11111A01-" in res.stdout
    con = sqlite3.connect(d / "cohesie.sqlite")
    assert con.execute("SELECT count(*) FROM sectors").fetchone()[0] == 3
    con.close()


def test_sector_file_without_the_municipality_names_the_codes_it_has(tmp_path, three_sectors):
    path = tmp_path / "sectoren.gpkg"
    _sectors(three_sectors).to_file(path, driver="GPKG")
    res = run_cli("--data-dir", tmp_path / "d", "import-sectors", path, "--nis", "22222")
    assert res.returncode == 2
    assert "bevat geen sectoren van gemeente 22222. NIS-codes in het bestand: 11111" in res.stderr
    assert not (tmp_path / "d" / "cohesie.sqlite").exists() or count(tmp_path / "d") == 0


def _shapefile_zip_without_prj(gdf, folder) -> bytes:
    gdf[["cd_sector", "geometry"]].to_file(folder / "s.shp")  # short names, as shapefiles need
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for ext in ("shp", "shx", "dbf"):
            zf.write(folder / f"s.{ext}", f"s.{ext}")
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["shapefile", "geojson"])
def test_sector_file_without_crs_is_refused_unless_crs_given(tmp_path, three_sectors, kind):
    gdf = _sectors(three_sectors)
    if kind == "shapefile":
        path = tmp_path / "sectoren.zip"
        path.write_bytes(_shapefile_zip_without_prj(gdf, tmp_path))
    else:  # Lambert coordinates in a GeoJSON without a "crs" member: GDAL assumes WGS84
        path = tmp_path / "sectoren.geojson"
        collection = json.loads(gdf.to_json())
        collection.pop("crs", None)
        path.write_text(json.dumps(collection))
    d = tmp_path / "d"
    res = run_cli("--data-dir", d, "import-sectors", path, "--nis", "11111")
    assert res.returncode == 2 and "--crs" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("--data-dir", d, "import-sectors", path, "--nis", "11111", "--crs", "31370")
    assert res.returncode == 0, res.stderr
    assert "3 sectoren van gemeente 11111" in res.stdout


def test_nothing_valid_in_a_long_file_still_says_where_the_refused_rows_are(data, tmp_path):
    rows = good_rows(60, prefix="Z")
    for row in rows:
        row[2] = "ooit"
    path = tmp_path / "alles_fout.csv"
    path.write_text(table_text(SIGNAL_HEADER, rows))
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 2
    assert "... en nog 11 problemen" in res.stderr  # 61 problem lines, 50 shown
    kept = res.stderr.split("geweigerde rijen bewaard in ")[1].split()[0]
    assert kept.startswith(str(data)) and len(pd.read_csv(kept, encoding="utf-8-sig")) == 60
