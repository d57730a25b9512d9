"""What is made before the first visitor (issue 15, first map cold): the Kaart's early warning
kept per data version (:func:`cohesie.surveillance.alerts_kept`), ``python -m cohesie prepare``
and the launcher ``scripts/serve.py`` that imports the pages' modules before Streamlit starts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from cohesie import counting, dataset, operations, statmap, surveillance
from cohesie.storage import columnar, open_store

KAART = statmap.KAART_ALERT_SETTINGS


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("prepared") / "data"
    operations.build_demo(open_store(d))
    return d


def loaded(store):
    data = dataset.load(store, point_layers=counting.NON_EVENT_LAYERS)
    return data, counting.load_index(store, data.points, data.sectors, version=data.version)


def alert_files(store) -> list[str]:
    return sorted(p.name for p in store.index_dir.glob("alerts_*"))


# -- a table as arrays (cohesie.storage.columnar) ------------------------------------------------
texts = st.one_of(st.none(), st.text(max_size=6))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(texts, st.integers(-5, 10**6), st.floats(allow_nan=True, allow_infinity=False),
                          st.booleans()), max_size=30))
def test_frame_round_trip_keeps_values_and_dtypes(rows, tmp_path_factory):
    frame = pd.DataFrame({"naam": pd.Series([r[0] for r in rows], dtype="str"),
                          "n": pd.Series([r[1] for r in rows], dtype="int64"),
                          "p": pd.Series([r[2] for r in rows], dtype="float64"),
                          "vlag": pd.Series([r[3] for r in rows], dtype="bool")})
    found = columnar.frame_to_arrays(frame)
    assert found is not None
    root = tmp_path_factory.mktemp("frames")
    assert columnar.write_arrays(root, "t", "k1", *found)
    back = columnar.frame_of_arrays(columnar.read_arrays(root, "t", "k1"))
    assert_frame_equal(back, frame)


def test_frame_of_another_kind_is_not_kept_and_damage_reads_as_none(tmp_path):
    assert columnar.frame_to_arrays(pd.DataFrame({"d": pd.to_datetime(["2026-01-01"])})) is None
    assert columnar.frame_to_arrays(pd.DataFrame({"o": [object()]})) is None
    frame = pd.DataFrame({"naam": ["a", "b"], "n": [1, 2]})
    store = open_store(tmp_path / "data")
    assert store.write_frame("t", "k", frame)
    assert_frame_equal(store.read_frame("t", "k"), frame.astype({"naam": "str"}))
    assert store.read_frame("t", "other") is None
    folder = store.index_dir / "t-k"
    np.save(folder / "naam.npy", np.array([0, 7], np.int32))  # a code without a text
    assert store.read_frame("t", "k") is None
    np.save(folder / "naam.npy", np.array([0], np.int32))  # a column of another length
    assert store.read_frame("t", "k") is None


# -- the early warning kept per data version -----------------------------------------------------
def test_kept_alerts_equal_the_fitted_ones_and_are_read_without_fitting(demo_dir, tmp_path, monkeypatch):
    import shutil

    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    store = open_store(d)
    data, index = loaded(store)
    assert surveillance.kept_alerts(store, data.sectors, version=data.version, level="sector", settings=KAART) is None
    fitted = surveillance.alerts(index, data.sectors, level="sector", per="month", settings=KAART)
    first = surveillance.alerts_kept(store, index, data.sectors, version=data.version, level="sector",
                                     settings=KAART)
    assert_frame_equal(first.table, fitted.table)
    assert alert_files(store) and alert_files(store)[0].startswith("alerts_sector_month-")

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted again although the table was kept")

    monkeypatch.setattr(surveillance, "expected_count", no_fit)
    for lang in ("nl", "en"):
        kept = surveillance.alerts_kept(store, None, data.sectors, version=data.version, level="sector",
                                        settings=KAART, lang=lang, admin=True)
        again = surveillance._alerts_of_table(fitted.table, per="month", settings=KAART, lang=lang, admin=True,
                                              level="sector")
        assert_frame_equal(kept.table, fitted.table)
        assert_frame_equal(kept.shown, again.shown)
        assert (kept.period, kept.method, kept.notes) == (again.period, again.method, again.notes)
    # other settings, level or period: not the kept table (and here: would need a fit)
    assert surveillance.kept_alerts(store, data.sectors, version=data.version, level="sector",
                                    settings=surveillance.AlertSettings()) is None
    assert surveillance.kept_alerts(store, data.sectors, version=data.version, level="wijk", settings=KAART) is None
    assert surveillance.kept_alerts(store, data.sectors, version=data.version, level="sector", per="quarter",
                                    settings=KAART) is None


def test_a_new_data_version_is_fitted_again(demo_dir, tmp_path):
    import shutil

    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    store = open_store(d)
    data, index = loaded(store)
    surveillance.alerts_kept(store, index, data.sectors, version=data.version, level="wijk", settings=KAART)
    before = alert_files(store)
    sector = data.sectors.iloc[0]
    p = sector.geometry.representative_point()
    rows = pd.DataFrame([{"id": f"EXTRA{i}", "type": "zwerfvuil", "status": "open", "datum": "2026-10-15",
                          "x": p.x, "y": p.y} for i in range(40)])
    path = tmp_path / "extra.csv"
    rows.to_csv(path, index=False)
    operations.import_points(store, path, layer="signalen", crs=31370)
    data2, index2 = loaded(store)
    assert data2.version != data.version
    assert surveillance.kept_alerts(store, data2.sectors, version=data2.version, level="wijk", settings=KAART) is None
    new = surveillance.alerts_kept(store, index2, data2.sectors, version=data2.version, level="wijk",
                                   settings=KAART)
    fitted = surveillance.alerts(index2, data2.sectors, level="wijk", per="month", settings=KAART)
    assert_frame_equal(new.table, fitted.table)
    assert alert_files(store) != before and len(alert_files(store)) == 1  # the old version's table removed
    row = new.table[(new.table["code"] == sector["wijk_code"]) & (new.table["categorie"] == "zwerfvuil")]
    assert row["waargenomen"].iloc[0] >= 40


def test_nothing_to_test_is_not_kept_and_says_why(tmp_path):
    from test_indicators import make_points, make_sectors, write_store

    points = make_points()
    points = points[points["layer"] != "signalen"]
    store = write_store(tmp_path / "data", make_sectors(), points)
    data, index = loaded(store)
    from cohesie.errors import CohesieError

    with pytest.raises(CohesieError, match="geen signalen met een datum"):
        surveillance.alerts_kept(store, index, data.sectors, version=data.version, level="wijk", settings=KAART)
    assert alert_files(store) == []
    report = operations.prepare(store)
    assert "Voorbereid" in report.message
    assert any("niet voorbereid" in n and "geen signalen met een datum" in n for n in report.notes)


# -- python -m cohesie prepare / demo ------------------------------------------------------------
def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cohesie", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_demo_and_prepare_commands_make_the_files_the_app_reads(tmp_path):
    d = tmp_path / "data"
    done = run_cli("--data-dir", str(d), "demo")
    assert done.returncode == 0, done.stderr
    assert "Voorbereid voor gegevensversie" in done.stdout and "vroege waarschuwing per sector" in done.stdout
    store = open_store(d)
    names = {p.name.split("-")[0] for p in store.index_dir.iterdir()}
    assert {"points", "areas", "alerts_sector_month", "alerts_wijk_month"} <= names
    data = dataset.load(store, point_layers=counting.NON_EVENT_LAYERS)
    for level in ("sector", "wijk"):
        assert surveillance.kept_table(store, data.sectors, version=data.version, level=level,
                                       settings=KAART) is not None
    from cohesie import views

    key = views.geometry_key(data.sectors)
    assert all(store.has_display_file(f"{level}_{key}.geojson") for level in views.DISPLAY_LEVELS)
    before = {p: p.stat().st_mtime_ns for p in store.index_dir.rglob("*.npy")}
    again = run_cli("--data-dir", str(d), "prepare")
    assert again.returncode == 0, again.stderr
    assert {p: p.stat().st_mtime_ns for p in store.index_dir.rglob("*.npy")} == before  # read, not made again


def test_prepare_on_an_empty_data_dir_says_what_to_do(tmp_path):
    done = run_cli("--data-dir", str(tmp_path / "leeg"), "prepare")
    assert done.returncode == 0
    assert "Niets voor te bereiden" in done.stdout and "python -m cohesie demo" in done.stdout
    assert "Traceback" not in done.stderr


# -- the Kaart reads the kept table: no pending early warning on the first visit -----------------
def test_kaart_after_prepare_shows_the_early_warning_at_once(demo_dir, tmp_path, monkeypatch):
    import shutil

    import streamlit_folium
    from streamlit.testing.v1 import AppTest
    from test_app import FakeFolium

    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    operations.prepare(open_store(d))
    monkeypatch.setattr(streamlit_folium, "st_folium", FakeFolium())
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    monkeypatch.setattr(surveillance, "expected_count", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("the Kaart fitted although the table was kept")))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "_kaart_alerts_pending" not in at.session_state
    captions = " ".join(c.value for c in at.caption)
    assert "wordt berekend" not in captions
    assert at.subheader and any("Opvallend (" in s.value for s in at.subheader)  # the tested month is named


# -- scripts/serve.py ----------------------------------------------------------------------------
def serve_module():
    spec = importlib.util.spec_from_file_location("cohesie_serve", REPO / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_launcher_reads_the_pages_imports_and_leaves_streamlit_modules_to_streamlit(tmp_path):
    serve = serve_module()
    page = tmp_path / "p.py"
    page.write_text("import json, os.path\nfrom cohesie import formatting, ui\nfrom cohesie.text import escape\n"
                    "import streamlit as st\nfrom streamlit_folium import st_folium\nfrom . import x\n"
                    "def f():\n    import statsmodels\n", encoding="utf-8")
    names = serve.imported_modules([page])
    assert names[:3] == ["json", "os.path", "cohesie"]
    assert {"cohesie.formatting", "cohesie.ui", "cohesie.text", "cohesie.text.escape", "streamlit",
            "streamlit_folium"} <= set(names)
    assert "statsmodels" not in names  # only top-level imports
    code = ("import runpy, sys, json; m = runpy.run_path(sys.argv[1]); done = m['preload']([sys.argv[2]]); "
            "print(json.dumps([done, 'streamlit' in sys.modules, 'cohesie.ui' in sys.modules, "
            "'geopandas' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code, str(REPO / "scripts" / "serve.py"),
                          str(REPO / "pages" / "kaart.py")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json

    done, has_streamlit, has_ui, has_geopandas = json.loads(out.stdout)
    assert "cohesie.mapview" in done and "cohesie.ui" not in done and "streamlit_folium" not in done
    assert not has_ui and has_geopandas
    assert not has_streamlit  # the pure core imported ahead does not pull Streamlit in
