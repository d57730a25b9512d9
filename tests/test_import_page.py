"""The import page through AppTest: upload, preview, column mapping, coordinate system, the
report with refused rows, and the database before and after (same engine as the CLI)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cohesie import auth
from cohesie.storage import Store, open_store

from import_helpers import (REPO, SIGNAL_HEADER, build_demo_dir, copy_dir, count, good_rows, inside_xy,
                            point, table_text)
from test_import_points import PNG


def ui_store() -> Store:
    return open_store()  # $COHESIE_DATA_DIR, set by the data fixture


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo_dir(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def data(demo_dir, tmp_path, monkeypatch):
    d = copy_dir(demo_dir, tmp_path / "data")
    monkeypatch.setenv("COHESIE_DATA_DIR", str(d))
    open_store(d).save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    return d


def open_page(*, login: bool = True) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    if login:
        at.session_state["auth_token"] = auth.login(ui_store(), "eva", "geheim-123")
    at.run()
    at.switch_page("pages/importeren.py")
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="imp_upload").set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_import_needs_an_editor_login(data):
    at = open_page(login=False)
    assert any("Om te bewerken moet je aangemeld zijn" in i.value for i in at.info)
    assert not at.get("file_uploader")
    at = open_page()
    assert any("Kies een bestand" in i.value for i in at.info)


def test_upload_preview_mapping_and_import_with_refused_rows(data):
    rows = good_rows(6, prefix="U", decimal=",")
    rows[5][2] = "gisteren"
    at = upload(open_page(), "meldingen.csv", table_text(SIGNAL_HEADER, rows, ";").encode("cp1252"))
    assert at.dataframe[0].value.shape == (6, 5)  # preview of the rows as read
    assert at.selectbox(key=next(k for k in _keys(at) if k.endswith("_lat"))).value == "lat"
    assert at.selectbox(key=next(k for k in _keys(at) if k.endswith("_type"))).value == "categorie"
    crs = at.selectbox(key=next(k for k in _keys(at) if k.startswith("imp_crs_")))
    assert "WGS84" in crs.format_func(crs.value)
    at.selectbox(key="imp_layer").set_value("signalen")
    at.run()
    before = count(data, "signalen")
    at.button(key="imp_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.success  # rows were refused: not green
    assert any("5 van 6 rijen geïmporteerd in Signalen, 1 geweigerd" in w.value for w in at.warning)
    assert count(data, "signalen") == before + 5
    problems = at.table[0].value
    assert problems.values.tolist() == [["7", "datum", problems.iloc[0, 2]]]
    assert "'gisteren' is onleesbaar" in problems.iloc[0, 2]
    assert len(at.get("download_button")) == 1
    assert any("bij de geweigerde rijen van deze gegevensmap" in c.value for c in at.caption)
    assert not any(str(data) in c.value for c in at.caption)


def test_check_writes_nothing_and_mapping_can_be_changed(data):
    x, y = inside_xy(3)
    rows = [[f"V{i}", "gevelbank", f"Bank {i}", f"{a:.1f}", f"{b:.1f}"] for i, (a, b) in enumerate(zip(x, y))]
    content = table_text(["Sleutel", "Wat", "Titel", "Oost", "Noord"], rows, ",").encode()
    at = upload(open_page(), "banken.csv", content)
    at.selectbox(key="imp_layer").set_value("meubilair")
    at.run()
    keys = _keys(at)
    for fld, column in (("id", "Sleutel"), ("naam", "Titel"), ("type", "Wat"), ("x", "Oost"), ("y", "Noord")):
        at.selectbox(key=next(k for k in keys if k.endswith(f"_meubilair_{fld}"))).set_value(column)
    at.run()
    crs = at.selectbox(key=next(k for k in _keys(at) if k.startswith("imp_crs_")))
    assert "Lambert 72" in crs.format_func(crs.value)
    before = count(data)
    at.button(key="imp_check").click()
    at.run()
    assert any("3 rijen geldig, 0 geweigerd (nog niets geschreven)" in i.value for i in at.info)
    assert count(data) == before
    at.button(key="imp_run").click()
    at.run()
    assert count(data) == before + 3
    assert point(data, "meubilair", "V1")["naam"] == "Bank 1"


def test_crs_override_is_used(data):
    x, y = inside_xy(2)
    rows = [[f"W{i}", "zwerfvuil", "", f"{a:.1f}", f"{b:.1f}"] for i, (a, b) in enumerate(zip(x, y))]
    at = upload(open_page(), "w.csv", table_text(["id", "categorie", "datum", "x", "y"], rows).encode())
    at.selectbox(key="imp_layer").set_value("signalen")
    at.selectbox(key=next(k for k in _keys(at) if k.startswith("imp_crs_"))).set_value(3812)
    at.run()
    before = count(data)
    at.button(key="imp_run").click()
    at.run()
    assert any("niets geïmporteerd" in e.value for e in at.error)  # read as Lambert 2008: far away
    assert count(data) == before
    assert "buiten de gemeente" in at.table[0].value.iloc[0, 2]


@pytest.mark.parametrize("name,content,message", [
    ("foto.csv", PNG, "geen tabel maar een PNG-afbeelding"),
    ("leeg.csv", b"", "is leeg"),
    ("kop.csv", b"id;lat;lon\n", "maar geen rijen"),
])
def test_unusable_upload_shows_a_dutch_error(data, name, content, message):
    at = upload(open_page(), name, content)
    assert any(message in e.value for e in at.error)
    assert not any(b.key in ("imp_check", "imp_run") for b in at.button)


def test_upload_is_kept_in_the_data_dir(data):
    content = table_text(SIGNAL_HEADER, good_rows(1)).encode()
    upload(open_page(), "een.csv", content)
    kept = list((data / "uploads").glob("*_een.csv"))
    assert len(kept) == 1 and kept[0].read_bytes() == content


def _keys(at: AppTest) -> list[str]:
    return [s.key for s in at.selectbox if s.key]
