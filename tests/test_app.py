"""Every page through Streamlit's AppTest on the demo data, plus the map click and filters.

AppTest cannot render ``st_folium`` (it becomes an UnknownElement whose value cannot be set), so
``streamlit_folium.st_folium`` is replaced by a fake that records what the page passed and returns
a chosen click. The pages import it when they run, so patching the module attribute is enough.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit_folium
from conftest import REPO
from streamlit.testing.v1 import AppTest

from cohesie import dataset, maps, operations, spatial
from cohesie.formatting import formatter
from cohesie.storage import open_store

TIMEOUT = 60
PAGES = ["kaart", "indicatoren", "wijkfiche", "gegevens", "plaatsing", "presentatie", "importeren", "vergelijken"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("app") / "data"
    operations.build_demo(open_store(d))
    return d


@pytest.fixture(scope="module")
def demo(demo_dir):
    return dataset.load(open_store(demo_dir))


class FakeFolium:
    """Stands in for ``st_folium``: remembers every call, returns ``reply`` for the main map."""

    def __init__(self):
        self.calls: list[dict] = []
        self.reply: dict | None = None

    def __call__(self, fig, key=None, **kwargs):
        self.calls.append({"fig": fig, "key": key, **kwargs})
        return self.reply if key == "kaart" else None


@pytest.fixture
def folium(monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    return fake


@pytest.fixture(autouse=True)
def navigation_as_on_a_running_server(monkeypatch):
    """Run dashboard.py's ``st.navigation`` on every run, as a server does once it has run.

    Because the pages live in ``pages/``, Streamlit starts in its old multipage mode until the
    first ``st.navigation`` call clears a class-wide flag; AppTest sets that flag again before
    every run, so after ``switch_page`` it would run the page file alone, without the shared
    frame (banner, filters). See the report of issue 2: a server's first request on a deep
    link does the same.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def app(demo_dir, folium, monkeypatch):
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    if page != "kaart":  # the default page
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_shows_the_demo_banner(app, page):
    at = open_page(app, page)
    assert "Demogegevens" in texts(at.warning)
    assert "Demostad" in texts(at.warning)


def test_kaart_page(app, folium, demo):
    at = open_page(app, "kaart")
    shown = metrics(at)
    assert shown["Inwoners"] == formatter("nl").integer(demo.sectors["inwoners"].sum())  # Belgian: 88.000
    assert shown["Wijken"] == "12"
    assert {"Pleinmakers", "Meubilair", "Projecten", "Signalen", "Actoren"} <= set(shown)
    main = [c for c in folium.calls if c["key"] == "kaart"]
    assert main and main[-1]["returned_objects"] == ["last_clicked", maps.CLICKED_SECTOR]
    assert "signalen per 1000 inwoners" in texts([*at.markdown, *at.html]).lower()  # legend title


def test_click_on_the_map_selects_a_sector_and_opens_the_wijkfiche(app, folium, demo):
    sector = demo.sectors.iloc[5]
    where = spatial.centroids_lonlat(demo.sectors.iloc[[5]])
    folium.reply = {"last_clicked": {"lat": float(where["lat"].iloc[0]), "lng": float(where["lon"].iloc[0])}}
    at = open_page(app, "kaart")
    at.run()
    assert not at.exception
    info = texts(at.info)
    assert f"sector **{sector['naam']}** ({sector['code']})" in info
    assert f"wijk **{sector['wijk_naam']}**" in info
    button = at.button(key="open_fiche")
    assert sector["wijk_naam"] in button.label
    button.click().run()  # the map keeps returning its last click, as the component does
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="w_wijk").value == sector["wijk_code"]
    assert sector["wijk_naam"] in at.title[0].value


def test_a_click_selects_the_sector_the_map_drew_under_the_pointer(app, folium, demo):
    """Near a border the click's point can lie in the neighbour's stored geometry: the sector
    the browser drew under the pointer, sent with the click, is selected."""
    drawn = demo.sectors.iloc[9]
    where = spatial.centroids_lonlat(demo.sectors.iloc[[5]])
    folium.reply = {"last_clicked": {"lat": float(where["lat"].iloc[0]), "lng": float(where["lon"].iloc[0])},
                    maps.CLICKED_SECTOR: drawn["code"]}
    at = open_page(app, "kaart")
    at.run()
    assert not at.exception
    assert f"sector **{drawn['naam']}** ({drawn['code']})" in texts(at.info)


def test_click_outside_the_municipality_selects_nothing(app, folium):
    folium.reply = {"last_clicked": {"lat": 50.0, "lng": 3.0}}
    at = open_page(app, "kaart")
    at.run()
    assert not at.exception
    assert "Geselecteerd" not in texts(at.info)
    assert not [b for b in at.button if b.key == "open_fiche"]


def test_kaart_filters_rerun_and_change_what_is_shown(app, folium):
    at = open_page(app, "kaart")
    legend_before = texts([*at.markdown, *at.html])

    at.selectbox(key="m_indicator").set_value("meubilair_per_km2").run()
    assert not at.exception
    assert "Meubilair per km²" in texts([*at.markdown, *at.html])

    calls = len(folium.calls)
    at.radio(key="m_level").set_value("wijk").run()
    assert not at.exception
    overlay = [c for c in folium.calls[calls:] if c["key"] == "kaart"][-1]["feature_group_to_add"]
    assert overlay is not None
    assert texts([*at.markdown, *at.html]) != legend_before  # other areas, other class bounds

    at.multiselect(key="f_layers").set_value(["meubilair", "projecten"]).run()
    assert not at.exception
    # proposed furniture is a figure of its own, not counted as placed (issue 10)
    assert set(metrics(at)) == {"Inwoners", "Wijken", "Meubilair", "Projecten", "Voorstellen meubilair"}
    assert "lagen: Meubilair, Projecten" in texts(at.caption)


def test_indicatoren_page(app, demo):
    at = open_page(app, "indicatoren")
    table = at.dataframe[0].value
    assert len(table) == demo.sectors["wijk_code"].nunique()  # wijk is the default level
    assert {"code", "naam", "inwoners", "signalen", "signalen_per_1000", "meubilair_per_km2"} <= set(table.columns)
    download = at.get("download_button")
    assert download and "Download CSV" in str(download[0].proto.label)
    at.radio(key="i_level").set_value("sector").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == len(demo.sectors)


def test_wijkfiche_page(app, demo):
    at = open_page(app, "wijkfiche")
    select = at.selectbox(key="w_wijk")
    assert sorted(select.options) == sorted(
        f"{n} ({c})" for c, n in demo.sectors.drop_duplicates("wijk_code")[["wijk_code", "wijk_naam"]].values)
    other = demo.sectors["wijk_code"].unique()[-1]
    select.set_value(other).run()
    assert not at.exception
    name = demo.sectors.loc[demo.sectors["wijk_code"] == other, "wijk_naam"].iloc[0]
    assert at.title[0].value == f"Wijkfiche {name}"
    assert "Inwoners" in metrics(at)


def test_gegevens_page(app, demo):
    at = open_page(app, "gegevens")
    shown = metrics(at)
    assert shown["Sectoren"] == str(len(demo.sectors))
    assert shown["Wijken"] == "12"
    assert shown["Deelgemeenten"] == str(demo.sectors["deelgemeente"].nunique())
    per_layer = [t.value for t in at.table if "records" in t.value.columns]
    assert len(per_layer) == 1
    records = dict(zip(per_layer[0]["laag"], per_layer[0]["records"].astype(int)))
    assert records["Signalen"] == (demo.points["layer"] == "signalen").sum()
    assert records["Meubilair"] == (demo.points["layer"] == "meubilair").sum()


def test_no_data_shows_the_dutch_message(tmp_path, folium, monkeypatch):
    monkeypatch.setenv("COHESIE_DATA_DIR", str(tmp_path / "leeg"))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Er zijn nog geen gegevens" in texts(at.error)
    assert "python -m cohesie demo" in texts(at.error)


def test_every_page_url_is_its_file_name():
    """The first request after a server start runs in Streamlit's legacy pages/ mode, which finds
    a deep link's page by its file name: a URL that differs from the file name ("/plaatsing" for
    pages/plaatsen.py) showed "Page not found" over the page and made it inert."""
    import ast

    tree = ast.parse((REPO / "dashboard.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            pages.append((Path(node.args[0].value).stem, kw.get("url_path"), kw.get("default", False)))
    assert len(pages) >= 8
    for stem, url_path, default in pages:
        assert (REPO / "pages" / f"{stem}.py").exists(), stem
        if not default:
            assert url_path == stem, f"pages/{stem}.py is served at /{url_path}"
    # the default page is served at "/", and its file name has a (hidden) page of its own
    default_stem = next(stem for stem, _, default in pages if default)
    assert (default_stem, default_stem) in {(s, u) for s, u, d in pages if not d}


def test_type_and_status_filters_are_drawn_only_while_open_and_apply_while_closed(app, folium):
    """The ten type/status multiselects are drawn only while their expander is open (the
    browser draws the map sooner); a chosen type keeps applying when it is closed again, and
    the sidebar says so."""
    at = open_page(app, "kaart")
    keys = lambda: {m.key for m in at.sidebar.multiselect}  # noqa: E731
    assert not any(k.startswith(("f_types_", "f_status_")) for k in keys())
    before = dict(metrics(at))
    at.session_state["f_types_open"] = True  # the user opens "Type en status per laag"
    at.run()
    assert {"f_types_meubilair", "f_status_meubilair"} <= keys()
    kind = at.multiselect(key="f_types_meubilair").options[0]
    at.multiselect(key="f_types_meubilair").set_value([kind]).run()
    chosen = dict(metrics(at))
    assert chosen["Meubilair"] != before["Meubilair"]
    at.session_state["f_types_open"] = False  # closed again
    at.run()
    assert not at.exception
    assert not any(k.startswith("f_types_") for k in keys())
    assert dict(metrics(at))["Meubilair"] == chosen["Meubilair"]  # the type still applies
    assert any(f"Type en status: Meubilair: {kind}" in c.value for c in at.sidebar.caption)


def test_the_period_is_shown_as_text_and_its_calendar_drawn_only_while_open(app, folium):
    """The date picker (the heaviest widget in the browser) is drawn only while "Periode
    kiezen" is open; the period always reads as text above it and a chosen period applies
    when the picker is closed again."""
    import datetime as dt

    at = open_page(app, "kaart")
    assert not at.sidebar.date_input
    line = [m.value for m in at.sidebar.markdown if m.value.startswith("**Periode**")]
    assert line and " – " in line[0]
    all_signals = dict(metrics(at))["Signalen"]
    at.session_state["f_period_open"] = True
    at.run()
    (picker,) = at.sidebar.date_input
    picker.set_value((dt.date(2025, 3, 3), dt.date(2025, 3, 9))).run()
    week = dict(metrics(at))["Signalen"]
    assert week != all_signals
    assert any(m.value == "**Periode**: 03/03/2025 – 09/03/2025" for m in at.sidebar.markdown)
    at.session_state["f_period_open"] = False
    at.run()
    assert not at.exception and not at.sidebar.date_input
    assert dict(metrics(at))["Signalen"] == week  # still that week
    assert any(m.value == "**Periode**: 03/03/2025 – 09/03/2025" for m in at.sidebar.markdown)
