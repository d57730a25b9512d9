"""Issue 13 on the pages (cohesie/statview.py and the view models that hold it): the Opvallend
rows of a wijk and its sectors with the suppression of the pages, "Werkt het?" as a sentence and
a chart without small counts, the Wijkfiche (screen and PDF), the Presentatie slide and the
Plaatsing record panel.

The early-warning fixtures are hand-made count series (constant histories, one planted rise),
so which row is flagged and which count is small is known without running the code; the
effect fixtures are the simulations of tests/test_effects.py with a planted fall.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from conftest import demo_with_accounts

from cohesie import dataset, effects, exports, presentation, statview, surveillance, views, wijkfiche
from cohesie.errors import CohesieError
from cohesie.indicators import Filters
from cohesie.storage import open_store

MONTHS = pd.period_range("2023-10", "2026-10", freq="M")  # 36 months of history + October 2026
LOW = surveillance.AlertSettings(min_excess=1)  # a rise to 4 can be flagged (the default needs 5 more)


def _series(code, naam, categorie, values) -> pd.DataFrame:
    return pd.DataFrame({"code": code, "naam": naam, "categorie": categorie,
                         "periode": pd.PeriodIndex(MONTHS, freq="M"), "n": np.asarray(values, dtype="int64")})


def planted_counts(wijk: str, wijk_name: str, sectors: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wijk and sector counts: 3 hangjongeren per sector per month (steady), and
    zwerfvuil only in the first sector: one signal in each of two months of the history, then 4
    in the tested month (a rise far beyond the history: flagged at both levels)."""
    steady = [3] * len(MONTHS)
    rare = [0] * len(MONTHS)
    rare[5] = rare[20] = 1
    rare[-1] = 4
    by_sector = [_series(s, f"Sector {s}", "hangjongeren", steady) for s in sectors]
    by_sector.append(_series(sectors[0], f"Sector {sectors[0]}", "zwerfvuil", rare))
    for s in sectors[1:]:
        by_sector.append(_series(s, f"Sector {s}", "zwerfvuil", [0] * len(MONTHS)))
    by_wijk = [_series(wijk, wijk_name, "hangjongeren", [3 * len(sectors)] * len(MONTHS)),
               _series(wijk, wijk_name, "zwerfvuil", rare)]
    return pd.concat(by_wijk, ignore_index=True), pd.concat(by_sector, ignore_index=True)


def alerts_source(wijk_counts, sector_counts, *, admin=False, lang="nl"):
    done = {level: surveillance.alerts_from_counts(c, settings=LOW, admin=admin, lang=lang, level=level)
            for level, c in (("wijk", wijk_counts), ("sector", sector_counts))}
    return lambda level: done[level]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo_with_accounts(tmp_path_factory.mktemp("statview") / "data")


@pytest.fixture(scope="module")
def data(demo_dir):
    return dataset.load(open_store(demo_dir))


@pytest.fixture(scope="module")
def planted(data):
    s = data.sectors.sort_values("code")
    wijk = str(s["wijk_code"].iloc[0])
    name = str(s["wijk_naam"].iloc[0])
    codes = list(s.loc[s["wijk_code"] == wijk, "code"].astype(str))
    return wijk, name, codes, planted_counts(wijk, name, codes)


# -- Opvallend ------------------------------------------------------------------------------
def test_flagged_row_of_the_wijk_is_suppressed_for_a_viewer_but_still_flagged(data, planted):
    wijk, name, codes, (w, s) = planted
    block = statview.opvallend(alerts_source(w, s), data.sectors, wijk=wijk)
    rows = block.rows
    # the wijk's zwerfvuil and its first sector's zwerfvuil: the only rises
    assert list(rows["Categorie"]) == ["zwerfvuil", "zwerfvuil"]
    assert list(rows["Gebied"]) == [name, f"sector Sector {codes[0]}"]
    assert list(rows["Waargenomen"]) == ["< 5", "< 5"]  # 4 signals: never shown as 4
    assert all(r.startswith("opvallend") for r in rows["Lezing"])
    assert block.flagged == 2 and block.sentence == f"2 opvallende stijgingen in {name} in okt 2026."
    # the wijk's other category: 3 hangjongeren per sector, but the wijk's month total is published, so
    # with zwerfvuil hidden it would give the 4 away: hidden as well
    tested = block.tested.set_index("Categorie")
    assert tested.loc["hangjongeren", "Waargenomen"] == "verborgen"
    assert tested.loc["hangjongeren", "Lezing"] == "binnen de verwachting"
    assert "4" not in set(block.tested["Waargenomen"]) | set(rows["Waargenomen"])


def test_admin_sees_the_count_and_the_chance_in_words(data, planted):
    wijk, name, codes, (w, s) = planted
    block = statview.opvallend(alerts_source(w, s, admin=True), data.sectors, wijk=wijk, admin=True)
    assert list(block.rows["Waargenomen"]) == ["4", "4"]
    tested = block.tested.set_index("Categorie")
    assert tested.loc["hangjongeren", "Waargenomen"] == str(3 * len(codes))  # 3 in each sector
    # expected: the history's mean (2 signals in 36 months) with a constant model
    assert tested.loc["zwerfvuil", "Verwacht"] == "0,1"
    # P(at least 4 | mean 2/36) is about 4e-7: "less than 1 in 1000"
    assert tested.loc["zwerfvuil", "Kans bij toeval"] == "minder dan 1 op 1.000"
    assert tested.loc["hangjongeren", "Kans bij toeval"] == "meer dan 1 op 2 (gewoon)"


def test_chance_in_words():
    assert statview.chance_text(0.004) == "1 op 250"
    assert statview.chance_text(0.2, "en") == "1 in 5"
    assert statview.chance_text(0.0004, "en") == "less than 1 in 1,000"
    assert statview.chance_text(float("nan")) == ""


def test_city_lists_the_flagged_wijken_only(data, planted):
    wijk, name, codes, (w, s) = planted
    block = statview.opvallend(alerts_source(w, s), data.sectors, wijk=None)
    assert list(block.rows["Wijk"]) == [name] and block.flagged == 1
    assert block.sentence == "1 opvallende stijging in de stad in okt 2026."


def test_nothing_to_test_is_said_not_raised(data):
    def broken(level):
        raise CohesieError("Er zijn geen signalen met een datum: er valt niets te vergelijken.")

    block = statview.opvallend(broken, data.sectors, wijk=str(data.sectors["wijk_code"].iloc[0]))
    assert block.error.startswith("Er zijn geen signalen") and block.rows.empty


# -- Werkt het? ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim():
    import test_effects as te

    return te


def _effect_source(index):
    return lambda layer, rid, radius, months: effects.effect(index, layer, rid, radius=radius, months=months)


def test_planted_drop_gives_the_sentence_and_a_chart(sim):
    index = sim.index_of(sim.simulate(np.random.default_rng(7), inside_rate=30.0, effect=0.5))
    view = statview.effect_view(_effect_source(index), "projecten|P1", "Buurtfeest", months=18)
    assert view.error is None
    assert view.sentence.startswith("In de 18 maanden na de start daalden de signalen binnen 300 m met ")
    assert view.sentence.endswith("Dat wijst op samenhang, niet noodzakelijk op oorzaak.")
    assert set(view.data["gebied"]) == {"binnen 300 m", "rest van de stad"}
    # the planted fall shows in the chart: after the start the city rises by 15 % (index 115) and
    # the inside by half of that (57.5)
    after = view.data[view.data["maand"] > 0].groupby("gebied")["index"].mean()
    assert 105 < after["rest van de stad"] < 125
    assert 0.4 < after["binnen 300 m"] / after["rest van de stad"] < 0.62
    assert view.x_title and view.y_title and view.rule_label.startswith("start ")


def test_too_few_signals_says_so_without_a_number(sim):
    index = sim.index_of(sim.simulate(np.random.default_rng(3), inside_rate=0.3))
    view = statview.effect_view(_effect_source(index), "projecten|P1", months=18)
    assert view.sentence.startswith("Te weinig signalen binnen 300 m")
    assert "%" not in view.sentence and "interval" not in view.sentence


def test_viewer_chart_has_no_small_counts(sim):
    index = sim.index_of(sim.simulate(np.random.default_rng(5), inside_rate=1.5))
    source = _effect_source(index)
    viewer = statview.effect_view(source, "projecten|P1", months=18)
    admin = statview.effect_view(source, "projecten|P1", months=18, admin=True)
    assert "signalen" not in viewer.data.columns  # no counts at all in the viewer's chart data
    assert not viewer.data["tekst"].str.contains("signalen").any()
    # recomputed from the admin's monthly counts: 3-month blocks counted outward from the start
    inside = admin.data[admin.data["gebied"] == "binnen 300 m"].set_index("maand")["signalen"]
    blocks = {}
    for rel, n in inside.items():
        b = int((rel - 1) // 3) if rel > 0 else -int((-rel - 1) // 3) - 1
        blocks.setdefault(b, []).append((rel, n))
    small = [np.mean([r for r, _ in v]) for v in blocks.values() if 1 <= sum(n for _, n in v) <= 4]
    assert small, "the fixture should have blocks with 1-4 signals"
    drawn = set(viewer.data.loc[viewer.data["gebied"] == "binnen 300 m", "maand"])
    assert not drawn & set(small)
    assert "weggelaten" in viewer.note and "Per 3 maanden" in viewer.note
    assert admin.totals.startswith("Binnen 300 m: ") and not viewer.totals


def test_months_are_reduced_to_what_the_data_hold(sim):
    index = sim.index_of(sim.simulate(np.random.default_rng(1)))
    window = statview.signal_window(index)
    assert (str(window[0]), str(window[1])) == ("2022-01", "2025-12")
    view = statview.effect_view(_effect_source(index), "projecten|P1", months=30, start=sim.START, window=window)
    # the start is January 2024: 24 months before it and 23 after it are in the data
    assert view.months == 23 and view.sentence.startswith("In de 23 maanden")
    assert any("23 maanden voor en na, niet 30" in n for n in view.notes)


# -- the Wijkfiche, its PDF, the Presentatie and the record panel ------------------------------------
def test_wijkfiche_holds_opvallend_and_the_wijks_interventions(data, planted):
    wijk, name, codes, (w, s) = planted
    asked = []

    def effect(layer, rid, radius, months):
        asked.append((layer, rid, radius, months))
        raise CohesieError("te weinig maanden")

    fiche = wijkfiche.wijkfiche(data, wijk=wijk, filters=Filters(), admin=False, alerts=alerts_source(w, s),
                                effect=effect, effect_radius=250, effect_months=12)
    assert list(fiche.opvallend.rows["Waargenomen"]) == ["< 5", "< 5"]
    p = data.points
    expected = p[p["layer"].isin(["pleinmakers", "projecten"]) | ((p["layer"] == "meubilair")
                                                                   & (p["status"] == "geplaatst"))]
    expected = expected[(expected["wijk_code"] == wijk) & expected["datum"].notna() & expected["x"].notna()
                        & (expected["status"] != "verwijderd")]
    assert set(fiche.interventions) == set(expected["layer"] + "|" + expected["id"].astype(str))
    assert fiche.effect.error == "te weinig maanden"
    assert asked and asked[0][2:] == (250.0, 12)
    # without the signals layer: neither block
    off = wijkfiche.wijkfiche(data, wijk=wijk, filters=Filters(layers=("meubilair",)), admin=False,
                              alerts=alerts_source(w, s), effect=effect)
    assert off.opvallend is None and off.effect is None


def test_wijkfiche_opens_werkt_het_on_the_intervention_with_most_months(data, planted):
    wijk = planted[0]
    window = (pd.Period("2024-01", freq="M"), pd.Period("2026-10", freq="M"))  # the demo's signals
    asked = []

    def effect(layer, rid, radius, months):
        asked.append((f"{layer}|{rid}", months))
        raise CohesieError("niet nodig")

    fiche = wijkfiche.wijkfiche(data, wijk=wijk, filters=Filters(), admin=False, effect=effect, signal_window=window)
    p = data.points.assign(key=data.points["layer"] + "|" + data.points["id"].astype(str)).set_index("key")
    starts = p.loc[list(fiche.interventions), "datum"].dt.to_period("M")
    room = {k: min((s - window[0]).n, (window[1] - s).n, 24) for k, s in starts.items()}
    best = max(room.values())
    assert best >= 1 and room[asked[0][0]] == best and asked[0][1] == best


def test_pdf_lists_the_opvallend_rows(data, planted):
    from pypdf import PdfReader

    wijk, name, codes, (w, s) = planted
    fiche = wijkfiche.wijkfiche(data, wijk=wijk, filters=Filters(), admin=False, alerts=alerts_source(w, s))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(exports.wijkfiche_pdf([fiche]))).pages)
    assert f"2 opvallende stijgingen in {name} in okt 2026." in text
    assert f"sector Sector {codes[0]}" in text and "zwerfvuil" in text and "< 5" in text


def test_presentation_slide(data, planted):
    wijk, name, codes, (w, s) = planted
    areas = views.area_frames(data.sectors)
    view = presentation.presentation(data, areas, wijk=wijk, slide="opvallend", alerts=alerts_source(w, s))
    assert view.opvallend.flagged == 2 and list(view.opvallend.rows["Waargenomen"]) == ["< 5", "< 5"]
    on_the_map = presentation.presentation(data, areas, wijk=wijk, slide="kaart", alerts=alerts_source(w, s))
    assert on_the_map.opvallend is None  # computed only for its slide


def test_record_panel_has_werkt_het_only_for_an_intervention(data):
    from cohesie import placement

    p = data.points
    placed = p[(p["layer"] == "meubilair") & (p["status"] == "geplaatst") & p["datum"].notna()].iloc[0].to_dict()
    proposal = p[(p["layer"] == "meubilair") & (p["status"] == "voorstel")].iloc[0].to_dict()
    audit = pd.DataFrame(columns=["tijd", "gebruiker", "actie", "veld", "oud", "nieuw"])
    calls = []

    def effect(layer, rid, radius, months):
        calls.append(rid)
        raise CohesieError("geen maanden")

    for rec in (placed, proposal):
        rec.setdefault("version", 1)
    panel = placement.record_panel(placed, audit, effect=effect)
    assert panel.effect is not None and panel.effect.error == "geen maanden" and calls == [str(placed["id"])]
    other = placement.record_panel(proposal, audit, effect=effect)
    assert other.effect is None and "geplaatst" in other.effect_none


# -- the pages (AppTest) ---------------------------------------------------------------------
def test_wijkfiche_page_shows_opvallend_and_werkt_het(demo_dir, monkeypatch, data):
    from conftest import open_dashboard

    at = open_dashboard(demo_dir, monkeypatch, timeout=240)
    at.switch_page("pages/wijkfiche.py").run()
    assert not at.exception, [e.value for e in at.exception]
    heads = [h.value for h in at.subheader]
    assert "Opvallend" in heads and "Werkt het?" in heads
    assert any(a.value.startswith(("Niets opvallends", "1 opvallende", f"{d} opvallende"))
               for a in [*at.success, *at.warning] for d in range(2, 10))
    picker = at.selectbox(key="w_effect")
    wijk = at.selectbox(key="w_wijk").value
    located = data.points[(data.points["wijk_code"] == wijk) & data.points["datum"].notna()]
    assert set(picker.options) and all(o.split(": ")[0] in {"Pleinmakers", "Projecten", "Meubilair"}
                                       for o in picker.options)
    assert len(picker.options) <= len(located)
    texts = [m.value for m in at.markdown] + [i.value for i in at.info]
    assert any(x.startswith(("**In de ", "**Te weinig")) or "geen volledige maand" in x for x in texts)


def test_record_panel_page_shows_werkt_het(demo_dir, monkeypatch, data):
    import streamlit_folium
    from conftest import REPO
    from streamlit.testing.v1 import AppTest

    p = data.points
    rec = p[(p["layer"] == "projecten") & p["datum"].between("2025-01-01", "2025-06-30")].iloc[0]
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)
    monkeypatch.setenv("COHESIE_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("COHESIE_TILES", "geen")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=240)
    at.session_state["pl_record_id"] = f"projecten|{rec['id']}"
    at.run()
    at.switch_page("pages/plaatsing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "**Werkt het?**" in text
    assert "In de " in text and "maanden na de start" in text  # the sentence
    charts = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]
    assert charts
    assert at.number_input(key="pl_effect_radius").value == 300
