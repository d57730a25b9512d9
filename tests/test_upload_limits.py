"""Issue 14 item 2: uploads that cannot hurt.

A file beyond the upload limit (command line and engine), a zip whose members would unpack too
large or are too many, and an XLSX with an XML entity bomb are refused with a Dutch message
before anything is read, and the data directory is unchanged (its whole database dump is equal).
"""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile

import pandas as pd
import pytest

from import_helpers import SIGNAL_HEADER, build_demo_dir, copy_dir, good_rows, run_cli, table_text

from cohesie import filesafety, operations, settings
from cohesie.errors import CohesieError
from cohesie.ingest import points, population, statbel, wijken
from cohesie.storage import open_store

BOMB_DTD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo_dir(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def data(demo_dir, tmp_path):
    return copy_dir(demo_dir, tmp_path / "data")


def dump(data_dir) -> list[str]:
    """Every statement that would rebuild the database: equal dumps mean nothing changed."""
    con = sqlite3.connect(data_dir / "cohesie.sqlite")
    try:
        return list(con.iterdump())
    finally:
        con.close()


def signals_csv(path, n=40):
    path.write_text(table_text(SIGNAL_HEADER, good_rows(n, prefix="U"), ";"))
    return path


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def with_bomb(xlsx: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with an entity-bomb DTD in front of ``part``'s root element."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                text = content.decode("utf-8")
                root = text.index("<", text.index("?>") if text.startswith("<?xml") else 0)
                content = (BOMB_DTD + text[root:]).replace("<v>", "<v>&lol3;", 1).encode("utf-8")
            dst.writestr(info.filename, content)
    return out.getvalue()


# -- size ------------------------------------------------------------------------------
def test_default_limits_come_from_the_streamlit_config(monkeypatch):
    for name in ("COHESIE_MAX_UPLOAD_MB", "STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "COHESIE_MAX_UNZIPPED_MB",
                 "COHESIE_MAX_ZIP_MEMBERS"):
        monkeypatch.delenv(name, raising=False)
    import tomllib

    config = tomllib.loads((settings.PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 50  # the widget's limit, in MB
    assert settings.max_upload_mb() == 50
    assert settings.max_unzipped_mb() == 500 and settings.max_zip_members() == 1000
    monkeypatch.setenv("COHESIE_MAX_UPLOAD_MB", "2,5")
    assert settings.max_upload_mb() == 2.5
    monkeypatch.setenv("COHESIE_MAX_UPLOAD_MB", "onzin")
    assert settings.max_upload_mb() == 50


def test_command_line_refuses_a_csv_beyond_the_limit_and_changes_nothing(data, tmp_path):
    path = signals_csv(tmp_path / "groot.csv", 80)
    size_kb = round(path.stat().st_size / 1000)  # whole kB (10^3 bytes)
    assert size_kb > 2
    before = dump(data)
    env = {**os.environ, "COHESIE_MAX_UPLOAD_MB": "0.002"}  # 2000 bytes
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen", env=env)
    assert res.returncode == 2, res.stdout + res.stderr
    assert f"groot.csv is {size_kb} kB; de grens voor een import is 2 kB" in res.stderr
    assert "Er is niets ingelezen" in res.stderr and "Traceback" not in res.stderr
    assert dump(data) == before
    # the same file under the limit is imported: the limit, not the file, refused it
    res = run_cli("--data-dir", data, "import-points", path, "--layer", "signalen")
    assert res.returncode == 0, res.stderr


def test_engine_refuses_geojson_and_population_beyond_the_limit(data, tmp_path, monkeypatch):
    store = open_store(data)
    before = dump(data)
    geo = tmp_path / "sectoren.geojson"
    geo.write_text('{"type": "FeatureCollection", "features": []}' + " " * 3_000_000)  # 3 MB
    pop = tmp_path / "OPENDATA_SECTOREN_2025.txt"
    pop.write_text("CD_REFNIS|CD_SECTOR|TOTAL\n" + "99999|99999A00-|10\n" * 200_000)  # 3,8 MB
    monkeypatch.setenv("COHESIE_MAX_UPLOAD_MB", "1")
    with pytest.raises(CohesieError, match=r"sectoren.geojson is 3,0 MB; de grens voor een import is 1,0 MB"):
        operations.import_sectors(store, geo, nis="99999")
    with pytest.raises(CohesieError, match=r"OPENDATA_SECTOREN_2025.txt is 3,8 MB; de grens .* 1,0 MB"):
        operations.import_population(store, pop)
    with pytest.raises(CohesieError, match="de grens voor een import"):
        operations.import_points(store, signals_csv(tmp_path / "p.csv", 40_000), layer="signalen")
    assert dump(data) == before


# -- archives ----------------------------------------------------------------------------
def test_zip_that_unpacks_too_large_is_refused_before_reading(data, tmp_path, monkeypatch):
    path = tmp_path / "sectoren.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sectoren.shp", b"\0" * 3_000_000)  # 3 MB of zeros: a few KB compressed
        zf.writestr("sectoren.dbf", b"\0" * 10)
    assert path.stat().st_size < 20_000
    monkeypatch.setenv("COHESIE_MAX_UNZIPPED_MB", "2")
    before = dump(data)
    with pytest.raises(CohesieError, match=r"sectoren.zip wordt uitgepakt 3,0 MB groot; de grens is 2,0 MB"):
        operations.import_sectors(open_store(data), path, nis="99999")
    for read in (statbel.read_vector, population.read_attributes, wijken.read_rows):
        with pytest.raises(CohesieError, match="zipbom"):
            read(path)
    assert dump(data) == before


def test_zip_with_too_many_members_is_refused(data, tmp_path):
    path = tmp_path / "veel.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(settings.max_zip_members() + 1):
            zf.writestr(f"deel{i}.txt", b"")
        zf.writestr("sectoren.geojson", b'{"type": "FeatureCollection", "features": []}')
    before = dump(data)
    with pytest.raises(CohesieError, match=r"veel.zip bevat 1\.002 bestanden; meer dan 1\.000"):
        operations.import_sectors(open_store(data), path, nis="99999")
    with pytest.raises(CohesieError, match="meer dan 1.000 wordt niet uitgepakt"):
        wijken.read_rows(path)
    assert dump(data) == before


def test_a_zip_that_passes_is_still_read(tmp_path):
    """The checks refuse only what is beyond the limits (the reference Statbel zip passes)."""
    zipped = settings.PROJECT_ROOT.parent / "shared" / "geodata" / "mechelen" / \
        "sh_statbel_statistical_sectors_31370_20250101_12025.shp.zip"
    if not zipped.exists():
        pytest.skip("reference data not beside the worktree")
    assert len(filesafety.check_archive(zipped)) == 5
    assert len(statbel.read_vector(zipped)) > 0


# -- XLSX with an entity bomb ------------------------------------------------------------
def test_xlsx_with_an_entity_bomb_is_refused_by_every_reader(data, tmp_path):
    rows = good_rows(3, prefix="X")
    frame = pd.DataFrame(rows, columns=SIGNAL_HEADER)
    good = tmp_path / "goed.xlsx"
    good.write_bytes(xlsx_bytes(frame))
    assert len(points.read_table(good)) == 3  # the workbook itself is fine
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(with_bomb(good.read_bytes()))
    before = dump(data)
    with pytest.raises(CohesieError, match=r"bom.xlsx is geweigerd: .*sheet1.xml bevat een documenttype"):
        operations.import_points(open_store(data), bomb, layer="signalen")
    res = run_cli("--data-dir", data, "import-points", bomb, "--layer", "signalen")
    assert res.returncode == 2 and "XML-bom" in res.stderr and "Traceback" not in res.stderr
    for read in (points.read_table, wijken.read_rows, population.read_attributes):
        with pytest.raises(CohesieError, match="XML-bom"):
            read(bomb)
    assert points.list_sheets(bomb) == []  # the sheet picker does not open it either
    # a bomb in another part (the shared strings, the workbook) is found as well
    other = tmp_path / "bom2.xlsx"
    other.write_bytes(with_bomb(good.read_bytes(), part="xl/workbook.xml"))
    with pytest.raises(CohesieError, match="workbook.xml bevat een documenttype"):
        points.read_table(other)
    # an .xlsx renamed to .csv is recognised as a workbook and checked the same way
    renamed = tmp_path / "bom.csv"
    renamed.write_bytes(bomb.read_bytes())
    with pytest.raises(CohesieError, match="XML-bom"):
        points.read_table(renamed)
    assert dump(data) == before


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
