"""The data check (cohesie/datacheck.py) and ``python -m cohesie check``: a consistent store says so
(exit 0); sectors without wijk or population, wijken without sectors and points outside are
warnings with what to do (exit 1); the shared Mechelen samples when they are present."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
from conftest import TINY_X0, TINY_Y0, shared_file, tiny_statbel_frame, write_population, write_statbel_2024

from cohesie import datacheck, dataset, operations, spatial
from cohesie.__main__ import run
from cohesie.storage import open_store

WIJKEN = "sector,wijk_code,wijk_naam\n11111A00-,W1,Noord\n11111A01-,W1,Noord\n11111B00-,W2,Zuid\n"
POPULATION = [("11111", "11111A00-", "1000"), ("11111", "11111A01-", "500"), ("11111", "11111B00-", "0"),
              ("11111", "11111ZZZZ", "7")]


# -- the pure function on hand-built inputs ----------------------------------------------------
def _data(codes, wijken, *, meta=None):
    sectors = pd.DataFrame({"code": codes, "wijk_code": wijken, "wijk_naam": wijken,
                            "deelgemeente": [c[:6] for c in codes]})
    return SimpleNamespace(sectors=sectors, meta={"nis": "11111", "gemeente": "Proefstad", **(meta or {})},
                           imports=pd.DataFrame(), is_demo=False)


def _tables(wijk_rows, pop_rows, point_rows=()):
    return {"wijkindeling": pd.DataFrame(wijk_rows, columns=["sector", "wijk_code", "wijk_naam"]),
            "population": pd.DataFrame(pop_rows, columns=["sector", "inwoners"]),
            "points": pd.DataFrame(list(point_rows), columns=["layer", "n", "buiten", "zonder_plaats"])}


CODES = ["11111A00-", "11111A01-", "11111B00-"]
FULL_WIJKEN = [("11111A00-", "W1", "Noord"), ("11111A01-", "W1", "Noord"), ("11111B00-", "W2", "Zuid")]
FULL_POP = [("11111A00-", 1000), ("11111A01-", 500), ("11111B00-", 0), ("11111ZZZZ", 7)]


def test_a_consistent_set_is_ok_with_exit_0():
    result = datacheck.check(_data(CODES, ["W1", "W1", "W2"]), tables=_tables(
        FULL_WIJKEN, FULL_POP, [("meubilair", 4, 0, 0)]))
    assert result.exit_code == 0 and result.consistent
    assert [i.level for i in result.items] == ["ok"] * len(result.items)
    text = result.text()
    assert "Consistent: geen waarschuwingen." in text
    assert "1.500 inwoners in 3 sectoren." in text  # a sector with 0 inhabitants has a figure
    assert "7 inwoners staan in 'niet te lokaliseren' (11111ZZZZ)" in text
    assert "Meubilair: 4" in text


def test_sectors_without_wijk_or_population_are_warnings_with_the_command():
    # the 2025 revision split 11111B00- into 11111B0K/L: the old wijk table and population miss them
    codes = ["11111A00-", "11111A01-", "11111B0K", "11111B0L"]
    result = datacheck.check(_data(codes, ["W1", "W1", "11111B0", "11111B0"],
                                   meta={"sectoren_vintage": "2025", "wijken_vintage": "2020-2024",
                                         "bevolking_vintage": "2020-2024"}),
                             tables=_tables(FULL_WIJKEN, FULL_POP))
    assert result.exit_code == 1
    wijk = next(i for i in result.items if i.what == "2 sector(en) zonder wijk.")
    assert wijk.level == "warning"
    assert any("2 van de 4 sectoren staan niet in de wijkindeling (bv. 11111B0K, 11111B0L)" in d for d in wijk.details)
    assert any("De wijkindeling gebruikt de sectorset 2020-2024" in d and "de sectorset 2025" in d
               for d in wijk.details)
    assert "python -m cohesie import-wijken KERNTABEL.xlsx --names WIJKNAMEN.xlsx --onbekend" in wijk.commands
    empty = next(i for i in result.items if i.what == "1 wijk(en) zonder sectoren.")
    assert any("W2 (Zuid)" in d for d in empty.details)
    assert any("11111B00-" in d for d in empty.details)  # the table's code that is not loaded
    pop = next(i for i in result.items if i.what == "2 sector(en) zonder bevolkingscijfer.")
    assert any("'geen gegevens' (—), niet als 0" in d for d in pop.details)
    assert any("1 sectorcode(s) uit het bevolkingsbestand bestaan niet" in d and "hun 0 inwoners" in d
               for d in pop.details)
    assert pop.commands == ("python -m cohesie import-population OPENDATA_SECTOREN_JAAR.txt",)
    assert "Niet consistent: 3 waarschuwing(en)" in result.summary


def test_points_outside_and_without_place_are_warnings():
    result = datacheck.check(_data(CODES, ["W1", "W1", "W2"]), tables=_tables(
        FULL_WIJKEN, FULL_POP, [("meubilair", 5, 2, 0), ("actoren", 3, 0, 1)]), command="python -m cohesie --data-dir d")
    outside = next(i for i in result.items if "liggen in geen enkele sector" in i.what)
    assert outside.what.startswith("2 record(s)") and outside.level == "warning"
    assert outside.details == ("Meubilair: 2",)
    assert "python -m cohesie --data-dir d export --layer meubilair --format csv -o meubilair.csv" in outside.commands
    nowhere = next(i for i in result.items if "noemen een wijk die niet bestaat" in i.what)
    assert nowhere.details == ("Actoren: 1",)
    assert result.exit_code == 1


def test_sectors_put_in_onbekend_are_a_warning_and_no_wijk_table_is_one_too():
    wijken = FULL_WIJKEN[:2] + [("11111B00-", "11111WONB", "Proefstad - niet te lokaliseren"),
                                ("11111ZZZZ", "11111WONB", "Proefstad - niet te lokaliseren")]
    result = datacheck.check(_data(CODES, ["W1", "W1", "11111WONB"]), tables=_tables(wijken, FULL_POP))
    (item,) = [i for i in result.items if i.level != "ok"]
    assert item.what == "1 sector(en) zonder echte wijk (in 'onbekend')."
    none = datacheck.check(_data(CODES, ["11111A0", "11111A0", "11111B0"]), tables=_tables([], FULL_POP))
    assert [i.what for i in none.warnings] == [
        "Er is geen wijkindeling geladen: elke wijk is nu de groep sectoren met dezelfde eerste 7 tekens "
        "van de sectorcode."]


def test_no_sectors_is_a_problem_and_english_is_translated():
    empty = datacheck.check(_data([], []), tables=_tables([], []))
    assert empty.level == "problem" and empty.exit_code == 1
    assert "python -m cohesie import-sectors SECTOREN.zip --nis 11111" in empty.items[0].commands
    codes = ["11111A00-", "11111A01-", "11111B0K"]
    en = datacheck.check(_data(codes, ["W1", "W1", "11111B0"]), tables=_tables(FULL_WIJKEN, FULL_POP), lang="en")
    text = en.text()
    assert "[WARNING] 1 sector(s) without a neighbourhood." in text
    assert "What to do:" in text and "Wat te doen" not in text
    assert "1 of the 3 sectors have no population figure (e.g. 11111B0K)" in text


# -- a real data directory and the command line -------------------------------------------------
@pytest.fixture
def tiny_dir(tmp_path):
    """Proefstad (11111): three sectors, a wijk table, population and two furniture points."""
    d = tmp_path / "data"
    store = open_store(d)
    operations.import_sectors(store, write_statbel_2024(tmp_path / "s.geojson", tiny_statbel_frame()), nis="11111")
    (tmp_path / "w.csv").write_text(WIJKEN, encoding="utf-8")
    operations.import_wijken(store, tmp_path / "w.csv")
    operations.import_population(store, write_population(tmp_path / "OPENDATA_SECTOREN_2024.txt", POPULATION))
    lon, lat = spatial.to_display_lonlat([TINY_X0 + 500, TINY_X0 + 2500], [TINY_Y0 + 500, TINY_Y0 + 500])
    (tmp_path / "m.csv").write_text("id,naam,type,lat,lon,datum\n" + "".join(
        f"m{i},Bank {i},gevelbank,{a:.6f},{o:.6f},2024-01-01\n" for i, (a, o) in enumerate(zip(lat, lon))))
    operations.import_points(store, tmp_path / "m.csv", layer="meubilair")
    return d


def test_cli_check_of_a_consistent_directory_exits_0(tiny_dir, capsys):
    assert run(["--data-dir", str(tiny_dir), "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Gegevenscontrole van gemeente Proefstad (NIS 11111)\nConsistent: geen waarschuwingen.")
    assert "[OK] Elke sector heeft een wijk." in out
    assert "bevolking: OPENDATA_SECTOREN_2024.txt (2024)" in out
    assert "Meubilair: 2" in out and "Meubilair: m.csv" in out
    assert "[WAARSCHUWING]" not in out


def test_cli_check_after_new_sectors_warns_with_what_to_do(tiny_dir, tmp_path, capsys):
    # new sectors: only the first two squares, the third renamed: a point falls outside, a wijk empties
    frame = tiny_statbel_frame()
    frame = frame[frame["nis"] == "11111"].copy()
    frame.loc[frame["code"] == "11111B00-", "code"] = "11111B0K"
    frame = frame.iloc[:2]
    operations.import_sectors(open_store(tiny_dir), write_statbel_2024(tmp_path / "s2.geojson", frame), nis="11111")
    before = (tiny_dir / "cohesie.sqlite").read_bytes()
    assert run(["--data-dir", str(tiny_dir), "check"]) == 1
    out = capsys.readouterr().out
    assert "[WAARSCHUWING] 1 wijk(en) zonder sectoren." in out and "W2 (Zuid)" in out
    assert "[WAARSCHUWING] 1 record(s) met coördinaten liggen in geen enkele sector" in out
    assert f"python -m cohesie --data-dir {tiny_dir} export --layer meubilair --format csv" in out
    assert "Wat te doen:" in out
    assert (tiny_dir / "cohesie.sqlite").read_bytes() == before  # the check writes nothing


def test_cli_check_invalid_usage_exits_2(tiny_dir, capsys):
    with pytest.raises(SystemExit) as err:
        run(["--data-dir", str(tiny_dir), "check", "--wat"])
    assert err.value.code == 2
    assert "onbekende argumenten: --wat" in capsys.readouterr().err


def test_cli_check_without_data_exits_1(tmp_path, capsys):
    assert run(["--data-dir", str(tmp_path / "leeg"), "check"]) == 1
    assert "[PROBLEEM] Er zijn geen sectoren geladen" in capsys.readouterr().out


def test_shared_mechelen_samples_2025_table_on_2024_sectors(tmp_path, capsys):
    sectors = shared_file("mechelen", "sh_statbel_statistical_sectors_3812_20240101_12025.geojson")
    table25 = shared_file("pinc", "statsec_ggw7_12025.xlsx")
    table24 = shared_file("pinc", "statsec2024_ggw72024_12025.xlsx")
    names = shared_file("pinc", "ggw7_namen_12025.xlsx")
    population = shared_file("mechelen", "OPENDATA_SECTOREN_2025_12025_synthetic.txt")
    store = open_store(tmp_path / "m")
    operations.import_sectors(store, sectors, nis="12025")
    operations.import_wijken(store, table25, names=names, onbekend=True)
    operations.import_population(store, population)
    assert run(["--data-dir", str(tmp_path / "m"), "check"]) == 1
    out = capsys.readouterr().out
    assert "Gemeente Mechelen (NIS 12025) met 97 sectoren." in out
    assert "[WAARSCHUWING] 8 sector(en) zonder echte wijk (in 'onbekend')." in out
    assert "De wijkindeling gebruikt de sectorset 2025; de geladen sectoren zijn de sectorset 2018-2024" in out
    operations.import_wijken(store, table24)
    assert run(["--data-dir", str(tmp_path / "m"), "check"]) == 0
    out = capsys.readouterr().out
    assert "[OK] Elke sector heeft een wijk." in out and "12 wijken" in out


# -- the Gegevens page renders the same DataCheck ------------------------------------------------
def _gegevens(data_dir, monkeypatch, *, lang="nl"):
    import html

    from conftest import REPO
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COHESIE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/gegevens.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, html.unescape(" ".join(m.value for m in at.markdown))


def test_gegevens_page_shows_the_check_report(tiny_dir, tmp_path, monkeypatch):
    at, shown = _gegevens(tiny_dir, monkeypatch)
    assert "Gegevenscontrole" in [s.value for s in at.subheader]
    assert "Consistent: geen waarschuwingen." in [s.value for s in at.success]
    assert "Elke sector heeft een wijk." in shown and "1.500 inwoners in 3 sectoren." in shown
    # a population file of another set: one sector without a figure, the same report as the CLI
    operations.import_population(open_store(tiny_dir), write_population(
        tmp_path / "OPENDATA_SECTOREN_2023.txt", [("11111", "11111A00-", "10"), ("11111", "11111A01-", "20")]),
        partial=True)
    expected = datacheck.check(dataset.load(open_store(tiny_dir), point_layers=()), tables=open_store(tiny_dir).check_tables())
    at, shown = _gegevens(tiny_dir, monkeypatch)
    assert expected.summary in [w.value for w in at.warning]
    for item in expected.warnings:
        assert item.what in shown and all(d in shown for d in item.details)
        assert "\n".join(item.commands) in [c.value for c in at.code]
    assert "1 sector(en) zonder bevolkingscijfer." in shown
    assert "python -m cohesie import-population OPENDATA_SECTOREN_JAAR.txt" in [c.value for c in at.code]


def test_gegevens_page_check_in_english(tiny_dir, monkeypatch):
    at, shown = _gegevens(tiny_dir, monkeypatch, lang="en")
    assert "Data check" in [s.value for s in at.subheader]
    assert "Consistent: no warnings." in [s.value for s in at.success]
    assert "Every sector has a neighbourhood." in shown and "Every sector has a population figure." in shown
    assert "Elke sector" not in shown


def test_the_onbekend_bucket_recorded_by_the_import_counts_whatever_its_code():
    # a table whose <nis>ZZZZ row maps to its own wijk W9: --onbekend put 11111B00- there
    wijken = FULL_WIJKEN[:2] + [("11111B00-", "W9", "W9")]
    data = _data(CODES, ["W1", "W1", "W9"], meta={"wijken_onbekend": "W9"})
    (item,) = datacheck.check(data, tables=_tables(wijken, FULL_POP)).warnings
    assert item.what == "1 sector(en) zonder echte wijk (in 'onbekend')."
    # without that meta W9 is an ordinary wijk
    assert datacheck.check(_data(CODES, ["W1", "W1", "W9"]), tables=_tables(wijken, FULL_POP)).consistent


def test_cli_check_on_postgis_counts_points_in_the_database(tmp_path, capsys):
    from pg_helpers import Schema

    schema = Schema()  # skips without $COHESIE_TEST_DB_URL
    try:
        store = open_store(tmp_path / "d", url=schema.url)
        store.upgrade()
        operations.import_sectors(store, write_statbel_2024(tmp_path / "s.geojson", tiny_statbel_frame()),
                                  nis="11111")
        (tmp_path / "w.csv").write_text(WIJKEN, encoding="utf-8")
        operations.import_wijken(store, tmp_path / "w.csv")
        operations.import_population(store, write_population(tmp_path / "OPENDATA_SECTOREN_2024.txt", POPULATION))
        lon, lat = spatial.to_display_lonlat([TINY_X0 + 500], [TINY_Y0 + 500])
        (tmp_path / "m.csv").write_text(f"id,naam,type,lat,lon,datum\nm1,Bank,gevelbank,{lat[0]:.6f},{lon[0]:.6f},"
                                        "2024-01-01\n")
        operations.import_points(store, tmp_path / "m.csv", layer="meubilair")
        assert run(["--db-url", schema.url, "check"]) == 0
        out = capsys.readouterr().out
        assert "Consistent: geen waarschuwingen." in out and "Meubilair: 1" in out
        tables = store.check_tables()
        assert tables["points"].to_dict("records") == [{"layer": "meubilair", "n": 1, "buiten": 0, "zonder_plaats": 0}]
    finally:
        schema.drop()
