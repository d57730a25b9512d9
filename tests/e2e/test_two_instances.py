"""Two ``streamlit run`` instances on one PostGIS database see each other's edits on their next
rerun (the cache is keyed on the data version stored in the database)."""

from __future__ import annotations

import re
import subprocess
import sys

from pg_helpers import Schema

from .conftest import REPO, propose_bench_at_centre, start_streamlit, stop, wait_for_script


def _cli(url, *args, stdin=""):
    r = subprocess.run([sys.executable, "-m", "cohesie", "--db-url", url, *args], cwd=REPO, input=stdin,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r


def _version(page) -> int:
    text = page.get_by_text(re.compile("gegevensversie")).first.inner_text()
    return int(re.search(r"gegevensversie (\d+)", text).group(1))


def _furniture(page) -> int:
    row = page.locator("table tr", has_text="Meubilair").first.inner_text()
    return int(re.findall(r"\d+", row)[0])


def test_two_instances_see_each_others_edits(browser, tmp_path, monkeypatch):
    schema = Schema()
    procs = []
    try:
        _cli(schema.url, "demo")
        # the test password of propose_bench_at_centre is shorter than `user add` accepts
        from cohesie import auth
        from cohesie.storage import open_store

        open_store(url=schema.url).save_user("eva", rol="editor", password_hash=auth.hash_password("geheim-123"))
        monkeypatch.setenv("COHESIE_DB_URL", schema.url)
        urls = []
        for name in ("a", "b"):
            proc, url = start_streamlit(REPO / "dashboard.py", data_dir=tmp_path / name, log=tmp_path / f"{name}.log")
            procs.append(proc)
            urls.append(url)
        context = browser.new_context(viewport={"width": 1400, "height": 1300})
        a, b = context.new_page(), context.new_page()
        for page, url in ((a, urls[0]), (b, urls[1])):
            page.goto(url + "/")
            wait_for_script(page)
            page.goto(url + "/gegevens")
            wait_for_script(page)
        version, furniture = _version(b), _furniture(b)
        assert (version, furniture) == (_version(a), _furniture(a))

        # an editor proposes a bench on instance A
        propose_bench_at_centre(a, urls[0], "Bank van instantie A")

        # instance B sees it on its next rerun
        b.reload()
        wait_for_script(b)
        assert _version(b) > version
        assert _furniture(b) == furniture + 1
        context.close()
    finally:
        for proc in procs:
            stop(proc)
        schema.drop()
