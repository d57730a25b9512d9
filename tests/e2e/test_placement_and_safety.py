"""Browser tests on a separate app instance: an editor proposes a bench by clicking the map, and
names carrying script payloads show literally (no JavaScript dialog ever opens)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from cohesie import auth, dataset
from cohesie.storage import open_store

from .conftest import REPO, propose_bench_at_centre, running_app, wait_for_script

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "Bank `${alert(1)}`",
            "${alert(document.domain)}", "</script><script>alert(1)</script>"]


@pytest.fixture(scope="module")
def edit_app(demo_dir, tmp_path_factory, browser):
    """A copy of the demo with an editor account and furniture named with script payloads."""
    d = tmp_path_factory.mktemp("e2e_edit") / "data"
    shutil.copytree(demo_dir, d)
    store = open_store(d)
    store.save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
    sectors = dataset.load(store).sectors
    rows = ["id,naam,type,status,x,y"]
    for i, name in enumerate(PAYLOADS):
        p = sectors.geometry.iloc[10 + i].representative_point()
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"XSS{i},{quoted},gevelbank,geplaatst,{p.x:.1f},{p.y:.1f}")
    csv = d / "payloads.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(d), "import-points", str(csv),
                        "--layer", "meubilair", "--crs", "31370"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with running_app(browser, d, tmp_path_factory.mktemp("e2e_edit_logs") / "streamlit.log") as url:
        yield url, d


@pytest.fixture
def page(browser, edit_app):
    url, _ = edit_app
    context = browser.new_context(viewport={"width": 1400, "height": 1300})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda dialog: (pg.dialogs.append(dialog.message), dialog.dismiss()))
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) or
                  r.request.url.startswith(("data:", "blob:", "about:")) else r.abort())
    yield pg
    context.close()


def _map(pg):
    pg.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    frame = pg.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    frame.wait_for_function("() => document.body.getAttribute('data-cohesie-loaded') === '1'", timeout=60_000)
    return frame


def test_editor_proposes_a_bench_by_clicking_the_map(page, edit_app):
    url, data_dir = edit_app
    store = open_store(data_dir)
    before = (dataset.load(store).points["status"] == "voorstel").sum()
    propose_bench_at_centre(page, url, "Bank op het plein")
    points = dataset.load(store).points
    assert (points["status"] == "voorstel").sum() == before + 1
    new = points[points["naam"] == "Bank op het plein"].iloc[0]
    assert new["sector"] is not None
    assert store.history("meubilair", new["id"])["gebruiker"].tolist() == ["eva"]
    assert not page.errors


def test_script_payloads_in_names_show_literally(page, edit_app):
    url, _ = edit_app
    page.goto(url + "/kaart")
    wait_for_script(page)
    frame = _map(page)
    # open every tooltip on the map (points carry the names) and read what the browser shows
    shown = frame.evaluate("""() => {
        const out = [];
        window.cohesie.map.eachLayer(l => {
            if (l.getTooltip && l.getTooltip() && l.getLatLng) {
                l.openTooltip();
                const el = l.getTooltip().getElement();
                out.push(el ? el.innerText : '');
                l.closeTooltip();
            }
        });
        return out;
    }""")
    joined = "\n".join(shown)
    assert any(p in joined for p in PAYLOADS), joined[:500]
    for pg_path in ("/plaatsing", "/wijkfiche", "/indicatoren", "/gegevens"):
        page.goto(url + pg_path)
        wait_for_script(page)
    assert page.dialogs == []
    assert not page.errors


def test_double_submit_of_the_proposal_form_saves_one_bench(page, edit_app):
    """A double click on "Bewaar als voorstel" (same spot, same name) saves one proposal, and a
    toast names it."""
    from .conftest import click_map_centre, log_in

    url, data_dir = edit_app
    store = open_store(data_dir)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url + "/plaatsing")
    wait_for_script(page)
    log_in(page, "eva", "geheim-123")
    click_map_centre(page)
    page.get_by_text("Dichtstbijzijnde gevelbank").wait_for(timeout=60_000)
    wait_for_script(page)
    before = set(dataset.load(store).points["id"])
    page.get_by_label("Naam of adres").fill("Bank dubbel geklikt")
    button = page.get_by_role("button", name="Bewaar als voorstel")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    toast = page.locator('[data-testid="stToast"]').filter(has_text="Bank dubbel geklikt")
    toast.first.wait_for(timeout=60_000)
    wait_for_script(page)
    page.screenshot(path="/tmp/safe_editing_form_double_submit.png")
    new = dataset.load(store).points.set_index("id").drop(index=list(before))
    assert new["naam"].tolist() == ["Bank dubbel geklikt"]
    assert new.index[0][:8] in toast.first.inner_text()
    assert not page.errors
