"""``python -m cohesie`` as a user runs it: exit codes, Dutch messages, data left untouched."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import (
    REPO,
    TINY_POPULATION,
    TINY_X0,
    TINY_Y0,
    tiny_statbel_frame,
    write_population,
    write_statbel_2024,
    write_statbel_2025_zip,
)
from pyproj import Transformer

from cohesie import areas, dataset, indicators
from cohesie.layers import LAYERS
from cohesie.storage import open_store

REQUIRED = ["code", "naam", "inwoners", "oppervlakte_km2", "pleinmakers", "meubilair", "projecten",
            "signalen", "actoren", "zorgsignalen", "inwoners_per_km2",
            *(f"{k}_per_1000" for k in LAYERS), *(f"{k}_per_km2" for k in LAYERS)]


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return cli_many(data_dir, [args])[0]


def cli_many(data_dir: Path, commands: list[tuple], *, at_once: int = 2) -> list[subprocess.CompletedProcess]:
    """Run commands as separate processes, ``at_once`` at a time (each takes about a second of
    imports before it does anything; the machine has 2 cores)."""
    env = {k: v for k, v in os.environ.items() if k != "COHESIE_DATA_DIR"}
    results = []
    for i in range(0, len(commands), at_once):
        procs = [(subprocess.Popen([sys.executable, "-m", "cohesie", "--data-dir", str(data_dir),
                                    *map(str, args)], cwd=REPO, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE), args)
                 for args in commands[i:i + at_once]]
        for proc, args in procs:
            out, err = proc.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return results


def in_process(data_dir: Path, commands: list[tuple]) -> list[subprocess.CompletedProcess]:
    """The same commands through :func:`cohesie.__main__.run` in this process (no start-up
    cost); an exception escaping ``run`` fails the test, as a traceback would."""
    import contextlib

    from cohesie.__main__ import run

    results = []
    for args in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = run(["--data-dir", str(data_dir), *map(str, args)])
            except SystemExit as exit_:  # argparse errors
                code = exit_.code
        results.append(subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue()))
    return results


def snapshot(data_dir: Path) -> tuple:
    """Everything that must not change when a command is refused: the list of files, the
    database file's bytes and its data version. SQLite's -wal/-shm side files come and go with
    readers; what they hold is folded into the database when the last connection closes."""
    files = (sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*")
                    if not p.name.endswith(("-wal", "-shm")))
             if data_dir.exists() else None)
    db = data_dir / "cohesie.sqlite"
    digest = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    return files, digest, open_store(data_dir).data_version()


def assert_refused(data_dir: Path, cases: list[tuple[tuple, str]], *, runner=None
                   ) -> list[subprocess.CompletedProcess]:
    """Each ``(args, pattern)``: exit 2, a Dutch message matching ``pattern`` on stderr, no
    traceback; and the data directory exactly as before. In this process unless ``runner``."""
    before = snapshot(data_dir)
    results = (runner or in_process)(data_dir, [args for args, _ in cases])
    for (args, match), result in zip(cases, results):
        assert result.returncode == 2, (args, result.stdout + result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.startswith(("Fout:", "gebruik:")), result.stderr
        assert re.search(match, result.stderr, flags=re.S), (args, result.stderr)
    assert snapshot(data_dir) == before
    return results


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype={"code": str})


# -- files built in code ---------------------------------------------------------------------
def lat_lon(x, y):
    lon, lat = Transformer.from_crs(31370, 4326, always_xy=True).transform(x, y)
    return round(lat, 7), round(lon, 7)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bestanden")
    frame = tiny_statbel_frame(unlocated=True)
    a00 = lat_lon(TINY_X0 + 500, TINY_Y0 + 500)
    a00b = lat_lon(TINY_X0 + 300, TINY_Y0 + 700)
    b00 = lat_lon(TINY_X0 + 2500, TINY_Y0 + 500)
    far = lat_lon(TINY_X0 - 5000, TINY_Y0)
    out = {
        "geojson": write_statbel_2024(d / "sectors_3812_2024.geojson", frame),
        "shpzip": write_statbel_2025_zip(d / "sh_statbel_31370_20250101.shp.zip", frame),
        "noprj": write_statbel_2025_zip(d / "zonder_prj.shp.zip", frame, prj=False),
        "population": write_population(d / "OPENDATA_SECTOREN_2025.txt", TINY_POPULATION),
        "bad_population": write_population(d / "OPENDATA_SECTOREN_2024.txt",
                                           [("11111", "11111A00-", "veel"), ("11111", "11111A01-", "-1")]),
        "wijken": d / "wijkindeling.csv",
        "bad_wijken": d / "wijkindeling_fout.csv",
        "meubilair": d / "meubilair.csv",
        "all_refused": d / "alles_fout.csv",
        "one_refused": d / "een_fout.csv",
    }
    out["wijken"].write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noordkant\n"
                             "11111A01-,W1,Noordkant\n11111B00-,W2,Zuidkant\n", encoding="utf-8")
    out["bad_wijken"].write_text("sector,wijk_code,wijk_naam\n11111A00-,W1,Noordkant\n"
                                 "11111A00-,W2,Zuidkant\n99999Z00-,W2,Zuidkant\n", encoding="utf-8")
    out["meubilair"].write_text(
        "id,naam,type,status,datum,lat,lon\n"
        f"m1,Bank aan de kerk,gevelbank,geplaatst,2024-01-10,{a00[0]},{a00[1]}\n"
        f"m2,Bank bij de school,gevelbank,geplaatst,12/03/2024,{a00b[0]},{a00b[1]}\n"
        f"m3,Tafel,picknicktafel,voorstel,,{b00[0]},{b00[1]}\n", encoding="utf-8")
    out["all_refused"].write_text(
        "id,naam,type,status,datum,lat,lon\n"
        f"x1,Ver weg,gevelbank,geplaatst,2024-01-10,{far[0]},{far[1]}\n"
        f"x2,,gevelbank,geplaatst,2024-01-10,{a00[0]},{a00[1]}\n"
        f"x3,Rare status,gevelbank,kapot,2024-01-10,{a00[0]},{a00[1]}\n", encoding="utf-8")
    out["one_refused"].write_text(
        "id,naam,type,status,datum,lat,lon\n"
        f"y1,Goed,gevelbank,geplaatst,2024-01-10,{a00[0]},{a00[1]}\n"
        f"y2,Slechte datum,gevelbank,geplaatst,gisteren,{a00[0]},{a00[1]}\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, files):
    """Run the import commands once, in order, on a new data directory."""
    d = tmp_path_factory.mktemp("tiny") / "data"
    steps = {
        "import-sectors": cli(d, "import-sectors", files["shpzip"], "--nis", "11111"),
        "import-wijken": cli(d, "import-wijken", files["wijken"]),
        "import-population": cli(d, "import-population", files["population"]),
        "import-points": cli(d, "import-points", files["meubilair"], "--layer", "meubilair"),
    }
    return d, steps


@pytest.fixture
def tiny_dir(tiny_run, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(tiny_run[0], d)
    return d


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo") / "data"
    result = cli(d, "demo")
    assert result.returncode == 0, result.stderr
    return d, result


@pytest.fixture
def demo_dir(demo_template, tmp_path):
    d = tmp_path / "demo"
    shutil.copytree(demo_template[0], d)
    return d


# -- success paths ---------------------------------------------------------------------------
def test_demo(demo_template):
    d, result = demo_template
    assert result.stderr == ""
    assert "Demo 'Demostad' aangemaakt" in result.stdout and "97 sectoren, 12 wijken" in result.stdout
    data = dataset.load(open_store(d))
    assert data.is_demo and len(data.sectors) == 97
    assert data.sectors["wijk_code"].nunique() == 12
    assert (data.points["layer"] == "signalen").sum() == 100_000


def test_import_sequence(tiny_run):
    d, steps = tiny_run
    for name, result in steps.items():
        assert result.returncode == 0, f"{name}: {result.stderr}"
        assert result.stderr == "" and "Traceback" not in result.stdout
    assert "3 sectoren van gemeente 11111 geïmporteerd" in steps["import-sectors"].stdout
    assert "11111ZZZZ" in steps["import-sectors"].stdout  # the sector without polygon is named
    assert "2 wijken geïmporteerd (3 sectoren)" in steps["import-wijken"].stdout
    assert "1500 inwoners in 3 sectoren" in steps["import-population"].stdout
    assert "7 inwoners" in steps["import-population"].stdout  # 11111ZZZZ, not located
    assert "3 geïmporteerd, 0 geweigerd" in steps["import-points"].stdout
    data = dataset.load(open_store(d))
    assert data.sectors[["code", "wijk_code", "inwoners"]].values.tolist() == [
        ["11111A00-", "W1", 1000], ["11111A01-", "W1", 500], ["11111B00-", "W2", 0]]
    assert data.unlocated_population == 7
    pts = data.points.set_index("id")
    assert pts["sector"].to_dict() == {"m1": "11111A00-", "m2": "11111A00-", "m3": "11111B00-"}
    assert pts.loc["m2", "datum"] == pd.Timestamp("2024-03-12")
    assert pd.isna(pts.loc["m3", "datum"])
    assert open_store(d).data_version() == 4


def test_import_sectors_2024_geojson_gives_the_same(tmp_path, files, tiny_run):
    d = tmp_path / "data"
    [result] = in_process(d, [("import-sectors", files["geojson"], "--nis", "11111")])
    assert result.returncode == 0, result.stderr
    a, b = dataset.load(open_store(d)).sectors, dataset.load(open_store(tiny_run[0])).sectors
    assert a["code"].tolist() == b["code"].tolist()
    assert a.geometry.area.tolist() == pytest.approx(b.geometry.area.tolist(), rel=1e-6)


def test_import_sectors_without_prj_with_crs(tmp_path, files):
    [result] = in_process(tmp_path / "data", [("import-sectors", files["noprj"], "--nis", "11111",
                                                "--crs", "31370")])
    assert result.returncode == 0, result.stderr
    assert dataset.load(open_store(tmp_path / "data")).sectors.geometry.area.sum() == pytest.approx(3e6)


def test_import_sectors_replaces_the_demo(demo_dir, files):
    result = cli(demo_dir, "import-sectors", files["geojson"], "--nis", "11111")
    assert result.returncode == 0, result.stderr
    assert "De demogegevens zijn vervangen" in result.stdout
    data = dataset.load(open_store(demo_dir))
    assert not data.is_demo and data.nis == "11111" and data.points.empty


def test_indicators_by_hand_on_tiny_data(tiny_dir):
    sector, wijk, until_feb, until_march = in_process(tiny_dir, [
        ("indicators", "--level", "sector"), ("indicators", "--level", "wijk"),
        ("indicators", "--level", "gemeente", "--to", "2024-02-01"),
        ("indicators", "--level", "gemeente", "--to", "31/03/2024")])
    for result in (sector, wijk, until_feb, until_march):
        assert result.returncode == 0, result.stderr
    t = read_csv(sector.stdout).set_index("code")
    # meubilair counts placed furniture (m1, m2); the proposal m3 is counted apart
    assert t["meubilair"].to_dict() == {"11111A00-": 2, "11111A01-": 0, "11111B00-": 0}
    assert t["meubilair_voorstel"].to_dict() == {"11111A00-": 0, "11111A01-": 0, "11111B00-": 1}
    assert t.loc["11111A00-", "meubilair_per_1000"] == 2.0  # 2 per 1000 inhabitants
    assert t.loc["11111A00-", "meubilair_per_km2"] == 2.0  # 2 on 1 km²
    assert np.isnan(t.loc["11111B00-", "meubilair_per_1000"])  # nobody lives there
    w = read_csv(wijk.stdout).set_index("code")
    assert w.loc["W1", "meubilair_per_1000"] == 1.333  # 2 / 1500 * 1000
    assert w.loc["W1", "inwoners_per_km2"] == 750.0
    # m1 (10/01) and m2 (12/03) count when placed by then; m3, an undated proposal, in any period
    assert read_csv(until_feb.stdout)[["meubilair", "meubilair_voorstel"]].values.tolist() == [[1, 1]]
    assert read_csv(until_march.stdout)[["meubilair", "meubilair_voorstel"]].values.tolist() == [[2, 1]]


def test_indicators_output_stays_machine_readable(tiny_dir):
    """',' between fields, '.' for decimals, the columns scripts know in their places and the
    new column meubilair_voorstel last."""
    [wijk] = in_process(tiny_dir, [("indicators", "--level", "wijk")])
    header, *rows = wijk.stdout.splitlines()
    columns = header.split(",")
    assert columns == ["code", "naam", "inwoners", "oppervlakte_km2", *LAYERS, "zorgsignalen",
                       "inwoners_per_km2", *(f"{k}_per_{unit}" for k in LAYERS for unit in ("1000", "km2")),
                       "dekking_gevelbank_pct", "dekking_picknicktafel_pct", "dekking_boekenruilkast_pct",
                       "dekking_meubilair_pct", "meubilair_voorstel"]
    w1 = dict(zip(columns, next(r for r in rows if r.startswith("W1,")).split(",")))
    assert w1["meubilair_per_1000"] == "1.333" and w1["inwoners_per_km2"] == "750.0"
    assert (w1["meubilair"], w1["meubilair_voorstel"]) == ("2", "0")


@pytest.fixture(scope="module")
def demo_data(demo_template):
    return dataset.load(open_store(demo_template[0]))


@pytest.mark.parametrize("level", areas.LEVELS)
def test_indicators_every_level_on_demo(demo_template, demo_data, level):
    d, data = demo_template[0], demo_data
    plain, period = cli_many(d, [("indicators", "--level", level),
                                 ("indicators", "--level", level, "--from", "2024-01-01",
                                  "--to", "2024-06-30")])
    for result in (plain, period):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    t, tp = read_csv(plain.stdout), read_csv(period.stdout)
    for table in (t, tp):
        assert set(REQUIRED) <= set(table.columns)
        assert len(table) == data.sectors[areas.LEVEL_CODE[level]].nunique()
        assert table["inwoners"].sum() == data.sectors["inwoners"].sum()
    counted = data.points[data.points["status"] != "verwijderd"]
    if level != "sector":  # every demo record has a wijk, so it counts in wijk and gemeente
        assert t["signalen"].sum() <= (counted["layer"] == "signalen").sum()
    if level in ("wijk", "gemeente"):
        assert t["signalen"].sum() == (counted["layer"] == "signalen").sum()
    # a half year holds fewer signals than all years; the CLI passes the period through
    assert tp["signalen"].sum() < t["signalen"].sum()
    expected = indicators.per_area(data.sectors, data.points, level=level, filters=indicators.Filters(
        start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-06-30")))
    assert tp["signalen"].tolist() == expected["signalen"].tolist()
    assert tp["code"].tolist() == expected["code"].astype(str).tolist()


@pytest.fixture(scope="module")
def exports(demo_template, tmp_path_factory):
    out = tmp_path_factory.mktemp("uit")
    fmts = ["csv", "xlsx", "geojson", "gpkg"]
    results = cli_many(demo_template[0], [("export", "--layer", "meubilair", "--format", fmt,
                                           "-o", out / f"meubilair.{fmt}") for fmt in fmts])
    return {fmt: (out / f"meubilair.{fmt}", result) for fmt, result in zip(fmts, results)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
def test_export(exports, demo_data, fmt):
    target, result = exports[fmt]
    assert result.returncode == 0, result.stderr
    data = demo_data
    records = data.points[data.points["layer"] == "meubilair"]
    assert f"{len(records)} meubilair geëxporteerd" in result.stdout
    # every export names what it is, its source, the data date and the filters (4 lines)
    if fmt == "csv":
        head = target.read_text(encoding="utf-8-sig").splitlines()[:4]
        back = pd.read_csv(target, encoding="utf-8-sig", dtype={"id": str}, skiprows=4)
    elif fmt == "xlsx":
        head = pd.read_excel(target, sheet_name="meubilair", header=None, nrows=4)[0].tolist()
        back = pd.read_excel(target, sheet_name="meubilair", dtype={"id": str}, skiprows=5)
    elif fmt == "geojson":
        import json

        head = json.loads(target.read_text(encoding="utf-8"))["metadata"]["lines"]
        back = gpd.read_file(target)
    else:
        import pyogrio

        head = pyogrio.read_info(target, layer="meubilair")["layer_metadata"]["DESCRIPTION"].splitlines()
        back = gpd.read_file(target, layer="meubilair")
    assert "Laag meubilair" in head[0] and head[1].lstrip("# ").startswith("Bron:")
    assert "Gegevens van" in head[2] and "Filters:" in head[3]
    assert sorted(back["id"]) == sorted(records["id"])
    assert {"naam", "type", "status", "datum", "sector", "wijk_code", "wijk_naam"} <= set(back.columns)
    if fmt in ("csv", "xlsx"):
        assert back["lat"].between(49.4, 51.6).all() and back["lon"].between(2.4, 6.5).all()
    else:
        assert back.crs.to_epsg() == (4326 if fmt == "geojson" else 31370)
        # the exported points lie in the sector they are recorded in
        pts = back.to_crs(31370)
        from cohesie import spatial

        joined = spatial.sector_of_points(pts.geometry.x, pts.geometry.y, data.sectors)
        assert list(joined) == back["sector"].tolist()


# -- invalid input: exit 2, Dutch message, nothing changed ---------------------------------------
def test_refused_imports(tiny_dir, files, tmp_path):
    sectors, wijken, population, *_ = assert_refused(tiny_dir, [
        (("import-sectors", tmp_path / "nergens.geojson", "--nis", "11111"), "Bestand niet gevonden"),
        (("import-wijken", files["bad_wijken"]), "past niet bij de geladen sectoren"),
        (("import-population", files["bad_population"]), "ongeldige bevolkingscijfers"),
        (("import-sectors", files["geojson"], "--nis", "33333"),
         "geen sectoren van gemeente 33333.*NIS-codes in het bestand: 11111, 22222"),
        (("import-sectors", files["geojson"], "--nis", "22222"), "bevat al gemeente 11111"),
        (("import-sectors", files["noprj"], "--nis", "11111"), "geen coördinatenstelsel.*--crs"),
        (("import-sectors", files["geojson"], "--nis", "abc"), "5 cijfers"),
        (("import-sectors", files["geojson"], "--crs", "lambert"), "'lambert' is geen geheel getal"),
        (("import-points", files["meubilair"], "--layer", "banken"),
         "--layer: 'banken' is geen geldige keuze; kies uit 'pleinmakers'"),
        (("import-points", files["meubilair"]), "ontbreken: --layer"),
        (("import-points", tmp_path / "weg.csv", "--layer", "meubilair"), "Bestand niet gevonden"),
    ])
    # every problem at once: a sector in two wijken, an unknown sector and missing sectors
    assert "meer dan één wijk: 11111A00-" in wijken.stderr
    assert "99999Z00-" in wijken.stderr
    assert "11111A01-, 11111B00-" in wijken.stderr
    assert "rij 2: TOTAL 'veel'" in population.stderr and "rij 3: TOTAL '-1'" in population.stderr


def test_strict_import_with_one_bad_row(tiny_dir, files):
    before = snapshot(tiny_dir)
    [result] = in_process(tiny_dir, [("import-points", files["one_refused"], "--layer", "meubilair",
                                      "--strict")])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"niets geïmporteerd.*--strict.*rij 3\b[^\n]*'gisteren'", result.stderr, re.S)
    assert snapshot(tiny_dir)[1:] == before[1:]  # the database; the refused row is kept aside


def test_points_file_where_every_row_is_refused(tiny_dir, files):
    before = snapshot(tiny_dir)
    result = cli(tiny_dir, "import-points", files["all_refused"], "--layer", "meubilair")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "geen enkele rij is geldig" in result.stderr
    # every row with its own reason, in one message
    assert re.search(r"rij 2\b[^\n]*buiten de gemeente", result.stderr)
    assert re.search(r"rij 3\b[^\n]*naam is leeg", result.stderr)
    assert re.search(r"rij 4\b[^\n]*'kapot'", result.stderr)
    # the database is untouched; only the refused rows are kept, for the user to fix
    assert snapshot(tiny_dir)[1:] == before[1:]
    kept = list((tiny_dir / "geweigerd").glob("*.csv"))
    assert len(kept) == 1 and kept[0].name in result.stderr
    assert pd.read_csv(kept[0], encoding="utf-8-sig")["rij"].tolist() == [2, 3, 4]


def test_refused_indicators_and_export(tiny_dir, tmp_path):
    assert_refused(tiny_dir, [
        (("indicators", "--level", "wijk", "--from", "2024-13-45"), "--from '2024-13-45' is geen datum"),
        (("indicators", "--level", "wijk", "--from", "2024-06-01", "--to", "2024-01-01"), "ligt na --to"),
        (("indicators", "--level", "buurt"), "'buurt' is geen geldige keuze"),
        (("export", "--layer", "meubilair", "--format", "pdf", "-o", tmp_path / "x.pdf"),
         "'pdf' is geen geldige keuze"),
        (("demo",), "bevat echte gegevens van gemeente 11111"),
        (("opruimen",), "COMMANDO: 'opruimen' is geen geldige keuze"),
    ])


def test_refusals_in_a_real_process(tiny_dir, files, tmp_path):
    """The contract as a shell sees it, for each kind of refusal: a usage error, a missing file,
    a file that does not fit, and rows that do not validate."""
    assert_refused(tiny_dir, [
        (("import-points", files["meubilair"], "--layer", "banken"), "'banken' is geen geldige keuze"),
        (("import-sectors", tmp_path / "nergens.geojson"), "Bestand niet gevonden"),
        (("import-sectors", files["geojson"], "--nis", "33333"), "NIS-codes in het bestand: 11111, 22222"),
        (("import-wijken", files["bad_wijken"]), "past niet bij de geladen sectoren"),
    ], runner=cli_many)


def test_commands_before_any_sectors(tmp_path, files):
    empty = tmp_path / "leeg"
    first = "nog geen sectoren geladen.*import-sectors"
    assert_refused(empty, [
        (("import-points", files["meubilair"], "--layer", "meubilair"), first),
        (("import-wijken", files["wijken"]), first),
        (("import-population", files["population"]), first),
        (("indicators", "--level", "wijk"), "geen sectoren geladen"),
    ])
    assert not (empty / "cohesie.sqlite").exists()


@pytest.mark.parametrize("command", [("indicators", "--level", "sector"), ("check",), ("user", "list")])
def test_output_into_a_closed_pipe_gives_no_traceback(demo_template, command):
    """``... | true`` (or a ``head`` that has what it wants): the reader is gone before the
    command writes; the command ends quietly, without a traceback."""
    line = " ".join([sys.executable, "-m", "cohesie", "--data-dir", str(demo_template[0]), *command])
    done = subprocess.run(["bash", "-c", f"{line} | true"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stderr == ""  # no traceback, and no error about a file that is fine
    assert done.returncode == 0
