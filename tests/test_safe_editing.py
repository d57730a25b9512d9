"""Safe editing: one proposal per suggestion or spot however often it is saved, records named
uniquely and kept by id in the picker, a confirmation after every save, and a history that reads
as "veld: oud → nieuw · wie · wanneer" (never raw JSON)."""

from __future__ import annotations

import functools
import json

import pandas as pd
import pytest
import streamlit_folium
from conftest import REPO, demo_with_accounts
from streamlit.testing.v1 import AppTest

from cohesie import auth, dataset, edits, history, placement, spatial, suggest
from cohesie.storage import ConflictError, open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("safe") / "data")


@pytest.fixture(scope="module")
def store(demo_dir):
    return open_store(demo_dir)


@pytest.fixture(scope="module")
def sectors(store):
    return dataset.load(store).sectors


@pytest.fixture(scope="module")
def token(store):
    return auth.login(store, "eva", "geheim-123")


def _inside(sectors, i=0):
    p = sectors.geometry.iloc[i].representative_point()
    return float(p.x), float(p.y)


# -- history in words -------------------------------------------------------------------
def _row(actie, voor, na, tijdstip="2026-12-01T14:03:27", gebruiker="eva"):
    dump = lambda v: None if v is None else json.dumps(v)  # noqa: E731
    return {"tijdstip": tijdstip, "gebruiker": gebruiker, "actie": actie, "voor": dump(voor), "na": dump(na)}


def test_status_change_reads_field_old_new_who_when():
    before = {"id": "M-1", "status": "voorstel", "version": 1, "updated_at": "2026-12-01T14:00:00", "x": 1.0, "y": 2.0}
    after = {**before, "status": "goedgekeurd", "version": 2, "updated_at": "2026-12-01T14:03:27"}
    line = history.describe(_row("status", before, after))
    assert str(line) == "status: voorstel → goedgekeurd · eva · 01/12/2026 14:03"


def test_move_reads_as_distance_and_sector_and_dates_are_belgian():
    before = {"status": "goedgekeurd", "x": 1000.0, "y": 2000.0, "sector": "A", "wijk_code": "W1",
              "datum": "2026-11-30"}
    after = {**before, "x": 1300.0, "y": 2400.0, "sector": "B", "datum": "2026-12-01"}
    line = history.describe(_row("verplaatst", before, after))
    assert line.what == "plaats: 500 m verplaatst; datum: 30/11/2026 → 01/12/2026; sector: A → B"
    assert "1300" not in str(line) and "{" not in str(line)


def test_creation_action_and_unreadable_rows_and_english():
    rows = pd.DataFrame([
        _row("aangemaakt", None, {"status": "voorstel", "naam": "Bank"}, tijdstip="2026-01-02T09:05:00"),
        _row("actie", None, {"soort": "burendag", "datum": "2026-05-01T00:00:00"}),
        {"tijdstip": "2026-12-01T14:03:27", "gebruiker": "eva", "actie": "status", "voor": "{kapot", "na": "{}"},
    ])
    lines = [str(x) for x in history.history_lines(rows, newest_first=False)]
    assert lines == ["aangemaakt als voorstel · eva · 02/01/2026 09:05",
                     "actie: burendag op 01/05/2026 · eva · 01/12/2026 14:03",
                     "status (opgeslagen waarden onleesbaar) · eva · 01/12/2026 14:03"]
    en = history.describe(_row("verplaatst", {"x": 0.0, "y": 0.0, "wijk_code": "W1"},
                               {"x": 1200.0, "y": 0.0, "wijk_code": "W2"}), lang="en")
    assert en.what == "location: moved 1,200 m; neighbourhood: W1 → W2"


def test_history_of_a_stored_record_has_no_json(store, sectors, token):
    x, y = _inside(sectors, 3)
    rec = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Bank H", x=x, y=y)
    rec = edits.set_status(store, token, layer="meubilair", record_id=rec["id"], status="goedgekeurd",
                           expected_version=rec["version"])
    lines = [str(x) for x in history.history_lines(store.history("meubilair", rec["id"]))]
    assert lines[0].startswith("status: voorstel → goedgekeurd · eva · ")
    assert lines[1].startswith("aangemaakt als voorstel · eva · ")
    assert not any("{" in line or '"' in line for line in lines)


# -- one proposal per key ---------------------------------------------------------------
def test_propose_once_makes_one_record_whatever_is_clicked_twice(store, sectors, token):
    x, y = _inside(sectors, 1)
    key = edits.suggestion_key(layer="meubilair", type_="gevelbank", x=x, y=y)
    before = len(dataset.load(store).points)
    first, created = edits.propose_once(store, sectors, token, key=key, layer="meubilair", type_="gevelbank",
                                        naam="Suggestie 1 (Centrum)", x=x, y=y)
    again, created_again = edits.propose_once(store, sectors, token, key=key, layer="meubilair",
                                              type_="gevelbank", naam="Suggestie 1 (Centrum)", x=x, y=y)
    assert created and not created_again
    assert again["id"] == first["id"]
    assert len(dataset.load(store).points) == before + 1
    assert store.history("meubilair", first["id"])["actie"].tolist() == ["aangemaakt"]
    # a later status change does not reopen the key: the same suggestion returns the same record
    edits.set_status(store, token, layer="meubilair", record_id=first["id"], status="goedgekeurd",
                     expected_version=first["version"])
    third, created_third = edits.propose_once(store, sectors, token, key=key, layer="meubilair",
                                              type_="gevelbank", naam="Suggestie 1 (Centrum)", x=x, y=y)
    assert not created_third and third["status"] == "goedgekeurd"
    assert len(dataset.load(store).points) == before + 1


def test_spot_key_is_the_same_for_a_double_submit_and_differs_by_name_and_type():
    kw = dict(layer="meubilair", type_="gevelbank", lat=51.02, lon=4.47)
    assert edits.spot_key(**kw, naam="Bank  bij de kerk ") == edits.spot_key(**kw, naam="bank bij de kerk")
    assert edits.spot_key(**kw, naam="Bank A") != edits.spot_key(**kw, naam="Bank B")
    assert edits.spot_key(**{**kw, "type_": "picknicktafel"}, naam="A") != edits.spot_key(**kw, naam="A")
    assert edits.keyed_id("meubilair", "k") == edits.keyed_id("meubilair", "k")
    assert edits.keyed_id("meubilair", "k") != edits.keyed_id("meubilair", "k2")


def test_create_point_existing_ok_returns_the_stored_record_without_a_second_audit(store, sectors):
    x, y = _inside(sectors, 2)
    record = {"layer": "meubilair", "id": "M-vast", "naam": "Vast", "type": "gevelbank", "status": "voorstel",
              "x": x, "y": y, "sector": sectors["code"].iloc[2], "wijk_code": sectors["wijk_code"].iloc[2]}
    first = store.create_point(record, user="eva", existing_ok=True)
    again = store.create_point({**record, "naam": "Anders"}, user="eva", existing_ok=True)
    assert again["naam"] == "Vast" and again["version"] == first["version"]
    assert len(store.history("meubilair", "M-vast")) == 1
    with pytest.raises(Exception, match="bestaat al"):
        store.create_point(record, user="eva")


def test_setting_the_status_it_has_is_no_change_and_no_conflict(store, sectors, token):
    x, y = _inside(sectors, 5)
    rec = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Dubbel", x=x, y=y)
    approved = edits.set_status(store, token, layer="meubilair", record_id=rec["id"], status="goedgekeurd",
                                expected_version=rec["version"])
    # the second click of a double click still holds the version seen before the first
    again = edits.set_status(store, token, layer="meubilair", record_id=rec["id"], status="goedgekeurd",
                             expected_version=rec["version"])
    assert again["version"] == approved["version"]
    assert store.history("meubilair", rec["id"])["actie"].tolist() == ["aangemaakt", "status"]


def test_status_buttons_keep_their_place_and_only_allowed_ones_are_enabled():
    rec = {"layer": "meubilair", "id": "M-1", "naam": "Bank", "type": "gevelbank", "status": "voorstel",
           "version": 1, "updated_at": "2026-12-01T14:00:00"}
    empty = pd.DataFrame(columns=["tijdstip", "gebruiker", "actie", "voor", "na"])
    before = placement.record_panel(rec, empty).targets
    after = placement.record_panel({**rec, "status": "goedgekeurd"}, empty).targets
    assert [s for s, _, _ in before] == [s for s, _, _ in after] == [
        "voorstel", "goedgekeurd", "geplaatst", "afgewezen", "verwijderd"]
    assert [ok for _, _, ok in before] == [False, True, False, True, True]
    assert [ok for _, _, ok in after] == [False, False, True, True, True]  # "→ goedgekeurd" now disabled
    project = placement.record_panel({**rec, "layer": "projecten", "status": "lopend"}, empty).targets
    assert [(s, ok) for s, _, ok in project] == [("verwijderd", True)]


def test_history_names_sectors_and_wijken(sectors):
    a, b = sectors.iloc[0], sectors.iloc[-1]
    row = _row("verplaatst", {"x": 0.0, "y": 0.0, "sector": a["code"], "wijk_code": a["wijk_code"]},
               {"x": 0.0, "y": 300.0, "sector": b["code"], "wijk_code": b["wijk_code"]})
    rec = {"layer": "meubilair", "id": "M-1", "naam": "Bank", "type": "gevelbank", "status": "voorstel",
           "version": 2, "updated_at": "2026-12-01T14:00:00"}
    line = placement.record_panel(rec, pd.DataFrame([row]), sectors=sectors).history[0]
    assert line.what.startswith(f"plaats: 300 m verplaatst; sector: {a['naam']} → {b['naam']}")
    assert a["code"] not in line.what


def test_propose_without_key_still_makes_a_new_record_each_time(store, sectors, token):
    x, y = _inside(sectors, 4)
    a = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Los", x=x, y=y)
    b = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Los", x=x, y=y)
    assert a["id"] != b["id"]


# -- naming records ---------------------------------------------------------------------
def test_twins_get_different_labels_with_type_address_status_and_short_id():
    points = pd.DataFrame([
        {"layer": "meubilair", "id": "M-aaaaaaaa01", "naam": "Bank", "type": "gevelbank", "status": "voorstel",
         "adres": "Kerkstraat 1"},
        {"layer": "meubilair", "id": "M-aaaaaaaa02", "naam": "Bank", "type": "gevelbank", "status": "voorstel",
         "adres": None},
        {"layer": "meubilair", "id": "M-b1", "naam": "Bank", "type": "gevelbank", "status": "goedgekeurd",
         "adres": None},
        {"layer": "actoren", "id": "A1", "naam": "Club", "type": "club", "status": "actief", "adres": None},
    ])
    labels = placement.record_options(points)
    assert list(labels) == ["meubilair|M-aaaaaaaa01", "meubilair|M-aaaaaaaa02", "meubilair|M-b1"]
    assert labels["meubilair|M-aaaaaaaa01"] == "Meubilair: Bank · gevelbank · Kerkstraat 1 · voorstel · M-aaaaaaaa01"
    assert labels["meubilair|M-aaaaaaaa02"] == "Meubilair: Bank · gevelbank · voorstel · M-aaaaaaaa02"
    assert labels["meubilair|M-b1"] == "Meubilair: Bank · gevelbank · goedgekeurd · M-b1"
    assert len(set(labels.values())) == len(labels)
    assert placement.short_ids(["M-12345678ab", "M-99999999"]) == {"M-12345678ab": "M-123456", "M-99999999": "M-999999"}


def test_conflict_message_is_a_sentence():
    text = placement.conflict_message({"layer": "meubilair", "id": "M-1", "naam": "Bank", "type": "gevelbank",
                                       "status": "goedgekeurd", "version": 3, "updated_at": "2026-12-01T14:03:00"})
    assert text == "Nu bewaard: Meubilair: Bank · gevelbank · goedgekeurd · M-1, versie 3, gewijzigd op 01/12/2026 14:03."


# -- the page (AppTest) -----------------------------------------------------------------
def _patch_map(monkeypatch, demo_dir, reply=None):
    monkeypatch.setattr(streamlit_folium, "st_folium",
                        lambda fig, key=None, **kw: reply if key == "plaatsen" else None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")


def _page(token) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state["auth_token"] = token
    at.run()
    at.switch_page("pages/plaatsing.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_picker_stays_on_the_record_after_approving_it_and_shows_the_new_status(store, sectors, token,
                                                                                demo_dir, monkeypatch):
    _patch_map(monkeypatch, demo_dir)
    x, y = _inside(sectors, 6)
    twins = [edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Tweeling",
                           x=x, y=y) for _ in range(2)]
    at = _page(token)
    for twin in twins:  # whichever of the two is approved, the picker stays on it
        key = f"meubilair|{twin['id']}"
        at.selectbox(key="pl_record").select(key).run()
        assert at.selectbox(key="pl_record").value == key
        _button(at, "→ goedgekeurd").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert store.get_point("meubilair", twin["id"])["status"] == "goedgekeurd"
        picker = at.selectbox(key="pl_record")
        assert picker.value == key
        assert picker.format_func(picker.value).endswith(f"· goedgekeurd · {twin['id'][:8]}")
        assert any("Status gewijzigd: Meubilair: Tweeling · gevelbank · goedgekeurd" in t.value for t in at.toast)
        # the next action goes to the same record
        assert any(b.label == "→ geplaatst" for b in at.button)
    history_text = "\n".join(m.value for m in at.markdown)
    assert "status: voorstel → goedgekeurd · eva · " in history_text
    assert not at.json and not at.dataframe  # the history is text, not the audit table
    assert '"status"' not in history_text


def test_make_proposal_twice_makes_one_record_and_confirms(store, demo_dir, token, monkeypatch):
    _patch_map(monkeypatch, demo_dir)
    # Both tabs must get the same sites. The page gives the optimiser 6 s of wall-clock time; on a
    # busy machine (the suite runs on several processes) CBC may get too little of it to find a
    # solution, or stop at different points in the two tabs. With time enough to prove optimality
    # both get the optimal sites, whatever the load.
    monkeypatch.setattr(suggest, "suggest_sites", functools.partial(suggest.suggest_sites, time_limit=120))
    at = _page(token)
    _button(at, "Stel 3 locaties voor").click().run()
    assert not at.exception, [e.value for e in at.exception]
    before = len(dataset.load(store).points)
    ids_before = set(dataset.load(store).points["id"])
    make = next(b for b in at.button if b.key == "pl_make_1")
    assert make.label == "Maak voorstel" and not make.disabled
    make.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(dataset.load(store).points) == before + 1
    assert any(t.value.startswith("Voorstel bewaard: Meubilair: Suggestie 1 (") for t in at.toast)
    again = next(b for b in at.button if b.key == "pl_make_1")
    assert again.disabled and again.label == "Voorstel gemaakt"
    # another tab asking for the same suggestions sees the proposal made, not a button to repeat it
    other = _page(token)
    _button(other, "Stel 3 locaties voor").click().run()
    assert next(b for b in other.button if b.key == "pl_make_1").disabled
    assert any("Voorstel gemaakt: Meubilair: Suggestie 1 (" in c.value for c in other.caption)
    new = sorted(set(dataset.load(store).points["id"]) - ids_before)
    assert len(new) == 1
    assert at.selectbox(key="pl_record").value == f"meubilair|{new[0]}"  # the saved record is shown


def test_double_submit_of_the_proposal_form_saves_once(store, sectors, demo_dir, token, monkeypatch):
    p = sectors.geometry.iloc[8].representative_point()
    lon, lat = spatial.to_display_lonlat([p.x], [p.y])
    _patch_map(monkeypatch, demo_dir, {"last_clicked": {"lat": float(lat[0]), "lng": float(lon[0])}})
    at = _page(token)
    at.run()  # the click is stored, then the page reruns with it
    before = len(dataset.load(store).points)
    at.text_input(key="pl_name").input("Bank aan de vijver")
    _button(at, "Bewaar als voorstel").click().run()
    assert any(t.value.startswith("Voorstel bewaard: Meubilair: Bank aan de vijver") for t in at.toast)
    # the second submit of a double click carries the same spot and name
    at.session_state["pl_click"] = (float(lat[0]), float(lon[0]))
    at.run()
    at.text_input(key="pl_name").input("Bank aan de vijver")
    _button(at, "Bewaar als voorstel").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(dataset.load(store).points) == before + 1
    assert any(t.value.startswith("Dit voorstel bestond al") for t in at.toast)


def test_conflict_shows_a_sentence_not_json(store, sectors, token, demo_dir, monkeypatch):
    _patch_map(monkeypatch, demo_dir)
    x, y = _inside(sectors, 7)
    rec = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Conflict", x=x, y=y)
    at = _page(token)
    at.selectbox(key="pl_record").select(f"meubilair|{rec['id']}").run()
    # someone else moves it meanwhile, after this page showed version 1
    x2, y2 = _inside(sectors, 9)
    edits.move(store, sectors, auth.login(store, "ada", "geheim-123"), layer="meubilair", record_id=rec["id"],
               expected_version=rec["version"], x=x2, y=y2)
    _button(at, "→ goedgekeurd").click().run()
    assert not at.exception
    assert any("Iemand anders heeft dit record intussen gewijzigd" in e.value for e in at.error)
    assert any(i.value.startswith("Nu bewaard: Meubilair: Conflict · gevelbank · voorstel") and "versie 2" in i.value
               for i in at.info)
    assert not at.json
    assert store.get_point("meubilair", rec["id"])["status"] == "voorstel"  # nothing overwritten
    # seen now, the next click applies
    _button(at, "→ goedgekeurd").click().run()
    assert store.get_point("meubilair", rec["id"])["status"] == "goedgekeurd"
    with pytest.raises(ConflictError):
        edits.set_status(store, token, layer="meubilair", record_id=rec["id"], status="geplaatst",
                         expected_version=rec["version"])


# -- PostGIS: the same guarantees, also for two requests at once ---------------------------
@pytest.fixture
def pg_store(tmp_path):
    from pg_helpers import Schema
    from test_indicators import make_sectors, status_points, write_store

    schema = Schema()
    store = write_store(tmp_path, make_sectors(), status_points(), url=schema.url)
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    yield store
    schema.drop()


def test_propose_once_on_postgis_makes_one_record_also_for_requests_at_once(pg_store):
    from concurrent.futures import ThreadPoolExecutor

    sectors = dataset.load(pg_store).sectors
    token = auth.login(pg_store, "eva", "geheim-123")
    x, y = _inside(sectors, 0)
    key = edits.suggestion_key(layer="meubilair", type_="gevelbank", x=x, y=y)
    before = len(dataset.load(pg_store).points)

    def once(_):
        return edits.propose_once(pg_store, sectors, token, key=key, layer="meubilair", type_="gevelbank",
                                  naam="Suggestie 1", x=x, y=y)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(once, range(4)))
    assert {rec["id"] for rec, _ in results} == {edits.keyed_id("meubilair", key)}
    assert len(dataset.load(pg_store).points) == before + 1
    assert pg_store.history("meubilair", results[0][0]["id"])["actie"].tolist() == ["aangemaakt"]
    again, created = once(None)
    assert not created and again["id"] == results[0][0]["id"]


# -- pleinmaker actions confirm too ---------------------------------------------------------
def test_pleinmaker_action_is_confirmed_by_a_toast_after_the_rerun(demo_dir, store, token, monkeypatch):
    _patch_map(monkeypatch, demo_dir)
    data = dataset.load(store)
    pm = data.points[data.points["layer"] == "pleinmakers"].iloc[0]
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state["auth_token"] = token
    at.session_state["selected_wijk"] = pm["wijk_code"]
    at.run()
    at.switch_page("pages/wijkfiche.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key=f"actie_pm_{pm['wijk_code']}").select(pm["id"])
    at.button[[b.label for b in at.button].index("Actie bewaren")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.value.startswith("Actie bewaard: burendag op ") and f"voor {pm['naam']} ({pm['id']})" in t.value
               for t in at.toast)
    assert not any("Actie bewaard" in s.value for s in at.success)  # no message the rerun would wipe


def test_page_in_english_names_the_record_and_its_history_in_english(store, sectors, token, demo_dir,
                                                                      monkeypatch):
    _patch_map(monkeypatch, demo_dir)
    x, y = _inside(sectors, 10)
    rec = edits.propose(store, sectors, token, layer="meubilair", type_="gevelbank", naam="Bench", x=x, y=y)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state["auth_token"] = token
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/plaatsing.py")
    at.run()
    at.selectbox(key="pl_record").select(f"meubilair|{rec['id']}").run()
    _button(at, "→ goedgekeurd").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.value.startswith("Status changed: Street furniture: Bench · gevelbank · goedgekeurd")
               for t in at.toast), [t.value for t in at.toast]
    text = "\n".join(m.value for m in at.markdown)
    assert "status: voorstel → goedgekeurd · eva · " in text and "created as voorstel · eva · " in text
    assert "%" in at.metric[0].value and "." in at.metric[0].value  # English decimal point


def test_suggestion_and_spot_tooltips_are_in_the_language_with_belgian_numbers(tmp_path):
    """The map's suggestion markers say the same as the list beside it (+1.426, not +1426)."""
    import folium
    import pandas as pd

    from cohesie import maps, operations, placement
    from cohesie.storage import open_store

    store = open_store(tmp_path / "demo")
    operations.build_demo(store)
    data = dataset.load(store)
    centre = data.sectors.geometry.iloc[0].representative_point()
    suggestions = pd.DataFrame({"rang": [1], "winst_inwoners": [1426.4], "wijk_naam": ["Bleekveld"],
                                "x": [centre.x], "y": [centre.y], "lat": [51.0], "lon": [4.4]})
    for lang, text, spot in (("nl", "Suggestie 1: +1.426 inwoners binnen bereik", "Gekozen plek"),
                             ("en", "Suggestion 1: +1,426 inhabitants within reach", "Chosen spot")):
        view = placement.placement_view(data, furniture_type="gevelbank", radius=300, show_gaps=False,
                                        click=None, suggestions=suggestions, lang=lang)
        assert view.suggestions_for_map["label"].tolist() == [text]
        fg = maps.add_placement_marks(folium.FeatureGroup(), click=(51.0, 4.4), radius_m=300,
                                      suggestions=view.suggestions_for_map, click_label=view.click_label)
        m = folium.Map()
        fg.add_to(m)
        html = m.get_root().render()
        assert text in html and spot in html
