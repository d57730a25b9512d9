"""The import page's layer choice and report (issue 10 item 8): the layer is chosen or guessed
from the type values with a note, a layer that does not fit warns before import, the report's
colour follows the outcome, no server path reaches the page, the download is named
``geweigerd_<stem>.csv`` and every reason is shown in full."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from cohesie import importreport
from cohesie.ingest import points as point_ingest
from cohesie.ingest.points import guess_layer, layer_mismatch, type_counts
from cohesie.storage import open_store

from import_helpers import SIGNAL_HEADER, count, good_rows, inside_xy, table_text
from test_import_page import data, demo_dir, open_page, upload  # noqa: F401  (fixtures)


# -- guess_layer / layer_mismatch: pure functions ------------------------------------------
def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_benches_are_guessed_as_meubilair_with_the_count_in_the_reason():
    raw = frame(id=[str(i) for i in range(12)], type=["gevelbank"] * 8 + ["picknicktafel"] * 4)
    assert guess_layer(raw) == (
        "meubilair", "Laag geraden uit de kolom type: 12 van 12 waarden zijn types van de laag Meubilair.")


def test_signal_categories_are_guessed_whatever_the_case_and_header():
    raw = frame(Categorie=["hangjongeren", " Zwerfvuil", "ZWERFVUIL ", "", "wildplassen"])
    layer, reason = guess_layer(raw)
    assert layer == "signalen"
    assert "kolom Categorie: 4 van 4 waarden" in reason  # the empty value does not count


@pytest.mark.parametrize("raw,why", [
    (frame(naam=["a", "b"], lat=["51", "51"]), "geen kolom type"),
    (frame(type=["", " "]), "is leeg"),
    (frame(type=["zitbank", "bank"]), "Geen enkele waarde"),
    (frame(type=["gevelbank", "zwerfvuil"]), "even goed bij Meubilair als bij Signalen"),
    (frame(type=["gevelbank", "zitbank", "bank"]), "Slechts 1 van 3"),
])
def test_no_guess_when_the_type_values_do_not_decide(raw, why):
    layer, reason = guess_layer(raw)
    assert layer is None
    assert why in reason


def test_the_mapped_type_column_is_used_not_the_header_guess():
    raw = frame(type=["gevelbank"] * 3, Wat=["zwerfvuil"] * 3)
    assert guess_layer(raw)[0] == "meubilair"
    assert guess_layer(raw, {"type": "Wat"})[0] == "signalen"
    assert type_counts(raw, {"type": "Wat"}).per_layer["signalen"] == 3


def test_reason_in_english_with_english_numbers():
    raw = frame(type=["burendag"] * 1200)
    nl = guess_layer(raw)[1]
    en = guess_layer(raw, lang="en")[1]
    assert "1.200 van 1.200" in nl
    assert en == "Layer guessed from the column type: 1,200 of 1,200 values are types of the layer Projects."


def test_benches_chosen_as_pleinmakers_warn_and_name_the_right_layer():
    raw = frame(type=["gevelbank", "picknicktafel", "gevelbank"])
    warning = layer_mismatch(raw, None, "pleinmakers")
    assert "De gekozen laag is Pleinmakers" in warning
    assert "3 van 3 waarden in de kolom type zijn types van de laag Meubilair" in warning
    assert layer_mismatch(raw, None, "meubilair") is None


def test_unknown_types_for_the_chosen_layer_warn_and_no_type_column_does_not():
    assert "Klopt de gekozen laag?" in layer_mismatch(frame(type=["zitbank"]), None, "meubilair")
    assert layer_mismatch(frame(naam=["x"]), None, "pleinmakers") is None


# -- the report's pure parts --------------------------------------------------------------
def test_public_text_removes_server_paths_but_keeps_slashes_in_text():
    text = ("Bestand niet gevonden: /srv/cohesie/uploads/ab12_banken.csv. ab12_banken.csv: kolommen "
            "lat/lon of x/y, datum 31/12/2024; kopie in /srv/cohesie/geweigerd/x.csv; map /srv/cohesie")
    out = importreport.public_text(text, stored="/srv/cohesie/uploads/ab12_banken.csv", original="banken.csv",
                                   places=("/srv/cohesie",))
    assert "/srv" not in out and "ab12" not in out
    assert out.startswith("Bestand niet gevonden: banken.csv. banken.csv: kolommen lat/lon of x/y, datum "
                          "31/12/2024; kopie in x.csv; map de gegevensmap")


@pytest.mark.parametrize("name,expected", [("banken.csv", "geweigerd_banken.csv"),
                                           ("meldingen 2024.xlsx", "geweigerd_meldingen 2024.csv"),
                                           ("punten.v2.geojson", "geweigerd_punten.v2.csv")])
def test_rejects_file_name_has_one_csv_suffix(name, expected):
    assert importreport.rejects_file_name(name) == expected


def _check(ok: int, bad: int) -> point_ingest.PointImport:
    records = pd.DataFrame({"id": [f"r{i}" for i in range(ok)]})
    reason = "datum 'gisteren' is onleesbaar; " + "x" * 300  # long on purpose: kept whole
    rejects = pd.DataFrame({"rij": range(2, 2 + bad), "kolom": "datum", "reden": reason})
    problems = pd.DataFrame({"rij": range(2, 2 + bad), "kolom": "datum", "probleem": reason})
    return point_ingest.PointImport(records=records, rejects=rejects, problems=problems)


@pytest.mark.parametrize("ok,bad,level", [(3, 0, "info"), (3, 2, "warning"), (0, 2, "error")])
def test_check_report_colour_follows_the_outcome(ok, bad, level):
    rep = importreport.check_report(_check(ok, bad), original="x.csv")
    assert rep.level == level
    assert rep.metrics == [("Geldig", str(ok)), ("Geweigerd", str(bad))]
    if bad:
        assert rep.problems.iloc[0, 2].endswith("x" * 300)
        assert rep.download_name == "geweigerd_x.csv"


def test_problems_on_the_page_are_capped_and_say_so_in_english():
    rep = importreport.check_report(_check(1, 1234), original="x.csv", lang="en")
    assert len(rep.problems) == importreport.PROBLEMS_SHOWN
    assert list(rep.problems.columns) == ["row", "column", "reason"]
    assert rep.problems_caption.startswith("The first 200 of 1,234 problems")
    assert rep.message == "Check: 1 rows valid, 1,234 refused (nothing written yet)."


# -- the page through AppTest ---------------------------------------------------------------
def bench_file(types: list[str], *, prefix: str = "B") -> bytes:
    x, y = inside_xy(len(types))
    rows = [[f"{prefix}{i}", t, f"Bank {i}", f"{a:.1f}", f"{b:.1f}"] for i, (t, a, b) in enumerate(zip(types, x, y))]
    return table_text(["id", "type", "naam", "x", "y"], rows, ";").encode()


def warnings(at) -> list[str]:
    """The page's warnings, without the demo banner the frame shows on every page."""
    return [w.value for w in at.warning if not w.value.startswith("**Demogegevens**")]


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def page_text(at) -> str:
    """Every element's protobuf as text: labels, values, tables, captions, placeholders."""
    return "\n".join(str(getattr(n, "proto", "")) for n in walk(at._tree))


def test_layer_has_no_default_and_a_file_without_types_asks_for_it(data):
    x, y = inside_xy(2)
    content = table_text(["id", "naam", "x", "y"], [["P1", "Anna", x[0], y[0]], ["P2", "Bert", x[1], y[1]]]).encode()
    at = upload(open_page(), "plein.csv", content)
    box = at.selectbox(key="imp_layer")
    assert box.value is None
    assert box.proto.placeholder == "Kies een laag"
    assert any("Kies de laag van dit bestand" in w.value and "geen kolom type" in w.value for w in at.warning)
    assert not any(b.key in ("imp_check", "imp_run") for b in at.button)
    box.set_value("pleinmakers")
    at.run()
    before = count(data, "pleinmakers")
    at.button(key="imp_run").click()
    at.run()
    assert count(data, "pleinmakers") == before + 2


def test_layer_guessed_from_the_types_with_a_note_and_imported_into_it(data):
    at = upload(open_page(), "banken.csv", bench_file(["gevelbank"] * 8 + ["picknicktafel"] * 4))
    assert at.selectbox(key="imp_layer").value is None
    assert at.selectbox(key="imp_layer").proto.placeholder == "geraden: Meubilair"
    assert any("Laag geraden uit de kolom type: 12 van 12 waarden zijn types van de laag Meubilair" in i.value
               for i in at.info)
    before, pm = count(data, "meubilair"), count(data, "pleinmakers")
    at.button(key="imp_run").click()
    at.run()
    assert count(data, "meubilair") == before + 12 and count(data, "pleinmakers") == pm
    assert any("alle 12 rijen geïmporteerd in Meubilair" in s.value for s in at.success)


def test_benches_chosen_as_pleinmakers_warn_before_import(data):
    at = upload(open_page(), "banken.csv", bench_file(["gevelbank"] * 3))
    at.selectbox(key="imp_layer").set_value("pleinmakers")
    at.run()
    shown = warnings(at)
    assert any("De gekozen laag is Pleinmakers, maar 3 van 3 waarden" in w and "Kies de laag Meubilair" in w
               for w in shown), shown
    assert not at.info or not any("Laag geraden" in i.value for i in at.info)


@pytest.fixture
def downloads(monkeypatch):
    """(file name, bytes) of every st.download_button the page builds."""
    seen = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        seen.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def test_refused_rows_make_a_warning_without_server_paths_and_a_named_download(data, downloads):
    rows = good_rows(6, prefix="R")
    for i in (1, 4):
        rows[i][2] = "gisteren"
    at = upload(open_page(), "meldingen.csv", table_text(SIGNAL_HEADER, rows, ";").encode())
    at.button(key="imp_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.success and not at.error
    assert any("meldingen.csv: 4 van 6 rijen geïmporteerd in Signalen, 2 geweigerd" in w.value for w in at.warning)
    assert [m.value for m in at.metric] == ["4", "2"]
    table = at.table[0].value
    assert list(table.columns) == ["rij", "kolom", "reden"]
    assert table["rij"].tolist() == ["3", "6"]
    assert all(r.startswith("datum 'gisteren' is onleesbaar; schrijf de datum als") and
               r.endswith("(de rij wordt niet zonder datum geladen)") for r in table["reden"])
    text = page_text(at)
    kept = list((data / "geweigerd").glob("*.csv"))
    assert len(kept) == 1 and len(list((data / "uploads").glob("*"))) == 1
    for secret in (str(data), "/uploads/", "/geweigerd/", kept[0].name, next((data / "uploads").glob("*")).name):
        assert secret not in text, secret
    assert "bij de geweigerde rijen van deze gegevensmap" in text
    names = [name for name, _ in downloads if name]
    assert names == ["geweigerd_meldingen.csv"]
    content = dict(downloads)["geweigerd_meldingen.csv"].decode("utf-8-sig")
    assert content.splitlines()[0].startswith("rij;kolom;reden;id")


def test_nothing_valid_is_an_error_and_every_row_valid_is_a_success(data):
    rows = good_rows(2, prefix="N")
    for row in rows:
        row[3] = "abc"
    at = upload(open_page(), "fout.csv", table_text(SIGNAL_HEADER, rows).encode())
    at.button(key="imp_run").click()
    at.run()
    assert any("fout.csv: niets geïmporteerd, geen enkele rij is geldig" in e.value for e in at.error)
    assert not at.success and not warnings(at)
    at = upload(open_page(), "goed.csv", table_text(SIGNAL_HEADER, good_rows(3, prefix="G")).encode())
    at.button(key="imp_run").click()
    at.run()
    assert any("goed.csv: alle 3 rijen geïmporteerd in Signalen" in s.value for s in at.success)
    assert not warnings(at) and not at.get("download_button")


def test_unreadable_upload_names_the_file_as_uploaded_not_as_stored(data):
    at = upload(open_page(), "kop.csv", b"id;lat;lon\n")
    assert any(e.value.startswith("kop.csv heeft een kopregel") for e in at.error), [e.value for e in at.error]
    assert str(open_store().data_dir) not in page_text(at)


def test_page_in_english_guesses_reports_and_labels_in_english(data):
    from streamlit.testing.v1 import AppTest

    from cohesie import auth
    from import_helpers import REPO

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["auth_token"] = auth.login(open_store(), "eva", "geheim-123")
    at.run()
    at.switch_page("pages/importeren.py")
    at.run()
    rows = good_rows(1204, prefix="E")
    for i in range(4):
        rows[i][2] = "gisteren"
    upload(at, "reports.csv", table_text(SIGNAL_HEADER, rows).encode())
    assert at.selectbox(key="imp_layer").proto.placeholder == "guessed: Signals"
    assert any(i.value.startswith("Layer guessed from the column categorie: 1,204 of 1,204 values are types "
                                  "of the layer Signals.") for i in at.info)
    assert any(c.value.startswith("1,204 rows") for c in at.caption)
    at.button(key="imp_run").click()
    at.run()
    assert any("reports.csv: 1,200 of 1,204 rows imported into Signals, 4 refused" in w.value for w in at.warning)
    assert [(m.label, m.value) for m in at.metric] == [("Imported", "1,200"), ("Refused", "4")]
    assert list(at.table[0].value.columns) == ["row", "column", "reason"]
    assert any(c.value == "1,200 new, 0 updated, 0 unchanged." for c in at.caption)
    assert any(c.value == "Refused rows: 4; problems: 4." for c in at.caption)


def test_strict_refusal_is_an_error_that_says_strict():
    rep = importreport.refused_report(_check(3, 2), original="x.csv", strict=True, kept=True)
    assert rep.level == "error"
    assert rep.message.startswith("x.csv: niets geïmporteerd (strikt): 2 van de 5 rijen zouden geweigerd worden.")
    assert rep.kept_note == "Een kopie staat bij de geweigerde rijen van deze gegevensmap."


def test_a_new_file_asks_for_its_layer_again(data):
    at = upload(open_page(), "banken.csv", bench_file(["gevelbank"] * 2))
    at.selectbox(key="imp_layer").set_value("pleinmakers")
    at.run()
    assert at.selectbox(key="imp_layer").value == "pleinmakers"
    upload(at, "meldingen.csv", table_text(SIGNAL_HEADER, good_rows(2)).encode())
    assert at.selectbox(key="imp_layer").value is None
    assert at.selectbox(key="imp_layer").proto.placeholder == "geraden: Signalen"
