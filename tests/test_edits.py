"""Editing: roles, tokens, proposals, status workflow, moves, conflicts and the audit trail."""

from __future__ import annotations

import json

import pytest

from cohesie import auth, dataset, demo, edits, operations
from cohesie.errors import CohesieError
from cohesie.storage import ConflictError, open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("edits"))
    operations.build_demo(store)
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    store.save_user("vic", rol="viewer", password_hash=auth.hash_password("geheim-123"))
    store.save_user("ada", rol="admin", password_hash=auth.hash_password("geheim-123"))
    return store


@pytest.fixture(scope="module")
def sectors(demo_store):
    return dataset.load(demo_store).sectors


def _inside(sectors):
    p = sectors.geometry.iloc[0].representative_point()
    return p.x, p.y


def test_login_checks_password_and_token_signature(demo_store):
    token = auth.login(demo_store, "eva", "geheim-123")
    assert auth.resolve_user(demo_store, token).role == "editor"
    with pytest.raises(auth.PermissionDenied, match="verkeerd wachtwoord"):
        auth.login(demo_store, "eva", "fout-wachtwoord")
    forged = auth.issue_token("ada", b"not-the-server-secret")
    assert auth.resolve_user(demo_store, forged) == auth.ANONYMOUS
    expired = auth.issue_token("eva", demo_store.secret(), now=0)
    assert auth.resolve_user(demo_store, expired) == auth.ANONYMOUS


def test_viewer_and_anonymous_cannot_edit(demo_store, sectors):
    x, y = _inside(sectors)
    viewer = auth.login(demo_store, "vic", "geheim-123")
    before = len(dataset.load(demo_store).points)
    for token in (None, "", viewer, "crafted.token"):
        with pytest.raises(auth.PermissionDenied):
            edits.propose(demo_store, sectors, token, layer="meubilair", type_="gevelbank",
                          naam="Bank", x=x, y=y)
    assert len(dataset.load(demo_store).points) == before


def test_role_is_read_from_storage_not_from_the_token(demo_store, sectors):
    demo_store.save_user("tijdelijk", rol="editor", password_hash=auth.hash_password("geheim-123"))
    token = auth.login(demo_store, "tijdelijk", "geheim-123")
    demo_store.save_user("tijdelijk", rol="viewer", password_hash=None)
    x, y = _inside(sectors)
    with pytest.raises(auth.PermissionDenied, match="rol 'viewer'"):
        edits.propose(demo_store, sectors, token, layer="meubilair", type_="gevelbank", naam="B", x=x, y=y)


def test_proposal_workflow_with_audit_and_conflicts(demo_store, sectors):
    token = auth.login(demo_store, "eva", "geheim-123")
    x, y = _inside(sectors)
    rec = edits.propose(demo_store, sectors, token, layer="meubilair", type_="gevelbank",
                        naam="Bank aan de kerk", x=x, y=y, note="vraag van buurtcomité")
    assert rec["status"] == "voorstel" and rec["sector"] == sectors["code"].iloc[0]
    with pytest.raises(CohesieError, match="Van 'voorstel' naar 'geplaatst' kan niet"):
        edits.set_status(demo_store, token, layer="meubilair", record_id=rec["id"], status="geplaatst",
                         expected_version=rec["version"])
    rec2 = edits.set_status(demo_store, token, layer="meubilair", record_id=rec["id"],
                            status="goedgekeurd", expected_version=rec["version"])
    # a second editor still holding the old version is refused with the current values
    with pytest.raises(ConflictError) as conflict:
        edits.set_status(demo_store, token, layer="meubilair", record_id=rec["id"],
                         status="afgewezen", expected_version=rec["version"])
    assert conflict.value.current["status"] == "goedgekeurd"
    x2, y2 = _inside(sectors.iloc[[5]])
    rec3 = edits.move(demo_store, sectors, token, layer="meubilair", record_id=rec["id"],
                      expected_version=rec2["version"], x=x2, y=y2)
    assert rec3["sector"] == sectors["code"].iloc[5]
    rec4 = edits.set_status(demo_store, token, layer="meubilair", record_id=rec["id"],
                            status="verwijderd", expected_version=rec3["version"])
    assert rec4["status"] == "verwijderd"
    assert demo_store.get_point("meubilair", rec["id"]) is not None  # retired, not deleted
    hist = demo_store.history("meubilair", rec["id"])
    assert list(hist["actie"]) == ["aangemaakt", "status", "verplaatst", "verwijderd"]
    assert set(hist["gebruiker"]) == {"eva"}
    assert json.loads(hist["voor"].iloc[1])["status"] == "voorstel"
    assert json.loads(hist["na"].iloc[1])["status"] == "goedgekeurd"
    recent = demo_store.recent_changes(10)
    assert recent["record_id"].iloc[0] == rec["id"]


def test_proposal_outside_municipality_is_refused_with_distance(demo_store, sectors):
    token = auth.login(demo_store, "eva", "geheim-123")
    minx, miny, _, _ = sectors.total_bounds
    with pytest.raises(CohesieError, match=r"buiten de gemeente \(\d+\.\d\d km"):
        edits.propose(demo_store, sectors, token, layer="meubilair", type_="gevelbank", naam="B",
                      x=minx - 2000, y=miny - 2000)


def test_pleinmaker_action_is_recorded_and_audited(demo_store):
    token = auth.login(demo_store, "eva", "geheim-123")
    before = len(dataset.load(demo_store).acties)
    edits.record_action(demo_store, token, pleinmaker_id="PM04", datum="2026-05-01", soort="burendag")
    data = dataset.load(demo_store)
    assert len(data.acties) == before + 1
    assert demo_store.history("pleinmakers", "PM04")["actie"].tolist()[-1] == "actie"
    with pytest.raises(CohesieError, match="bestaat niet"):
        edits.record_action(demo_store, token, pleinmaker_id="PM99", datum="2026-05-01", soort="burendag")


def test_demo_has_a_pleinmaker_without_action_this_year():
    d = demo.build()
    with_action_2026 = set(d.acties.loc[d.acties["datum"].dt.year == 2026, "pleinmaker_id"])
    assert set(d.points.loc[d.points["layer"] == "pleinmakers", "id"]) - with_action_2026 == {"PM04"}
