"""The string catalogue: every t("...") in the code has an English entry, and pages in English
show no Dutch catalogue text."""

from __future__ import annotations

import ast

import pytest
import streamlit_folium
from conftest import REPO
from streamlit.testing.v1 import AppTest

from cohesie import i18n, operations
from cohesie.storage import open_store

SOURCES = [REPO / "dashboard.py", *sorted((REPO / "cohesie").glob("*.py")), *sorted((REPO / "pages").glob("*.py"))]


def _t_literals(path):
    """First arguments of calls to ``t(...)`` / ``ui.t(...)`` that are string literals."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("t", "translate") and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                yield node.args[0].value


def test_every_string_passed_to_t_has_an_english_entry():
    used = {text for path in SOURCES for text in _t_literals(path)}
    assert len(used) > 100  # the pages really go through the catalogue
    missing = sorted(used - set(i18n.EN))
    assert not missing, missing


def test_the_catalogue_has_each_text_once():
    """A repeated key in the ``EN`` literal silently keeps only the last English text."""
    tree = ast.parse((REPO / "cohesie" / "i18n.py").read_text(encoding="utf-8"))
    (catalogue,) = [n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
                    and getattr(n.target, "id", "") == "EN"]
    keys = [ast.literal_eval(k) for k in catalogue.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_translation_fills_fields_and_falls_back_to_dutch():
    assert i18n.translate("Kaart van {gemeente}", "en", gemeente="X") == "Map of X"
    assert i18n.translate("Kaart van {gemeente}", "nl", gemeente="X") == "Kaart van X"
    assert i18n.indicator_labels("en")["signalen_per_1000"] == "Signals per 1000 inhabitants"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("i18n") / "data"
    operations.build_demo(open_store(d))
    return d


# Dutch texts that differ from their English and are long enough not to occur by accident.
DUTCH = {nl for nl, en in i18n.EN.items() if nl != en and len(nl) > 12 and "{" not in nl}


@pytest.mark.parametrize("page", ["kaart", "indicatoren", "wijkfiche", "plaatsing", "presentatie",
                                  "gegevens", "importeren", "vergelijken"])
def test_pages_in_english_show_no_dutch_catalogue_text(page, demo_dir, monkeypatch):
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    if page != "kaart":
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success", "button", "metric"):
        for element in getattr(at, kind):
            shown.append(str(getattr(element, "value", "")) + " " + str(getattr(element, "label", "")))
    for kind in ("selectbox", "multiselect", "radio", "number_input", "text_input", "checkbox", "toggle"):
        shown.extend(str(w.label) for w in getattr(at, kind))
    text = "\n".join(shown)
    assert "Demo data" in text or page == "kaart" and "Map of" in text
    leaked = sorted(d for d in DUTCH if d in text)
    assert not leaked, leaked
