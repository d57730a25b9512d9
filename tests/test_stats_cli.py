"""``python -m cohesie alerts | hotspots | effect`` (issue 13): columns, values, exit code 2
with a Dutch message on bad input, data untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO
from test_cli import assert_refused, in_process, read_csv

from cohesie import operations
from cohesie.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("stats_cli") / "data"
    operations.build_demo(open_store(d))
    return d


def test_alerts_writes_one_row_per_area_and_category(demo_dir):
    (month, quarter) = in_process(demo_dir, [("alerts",), ("alerts", "--level", "sector", "--period", "quarter",
                                                           "--until", "2026-05", "--min-excess", "3")])
    assert month.returncode == 0, month.stderr
    table = read_csv(month.stdout)
    assert list(table.columns[:8]) == ["code", "naam", "categorie", "periode", "waargenomen", "verwacht",
                                       "p_waarde", "opvallend"]
    assert len(table) == 12 * 5  # the demo's 12 wijken x 5 categories
    assert set(table["periode"]) == {"2026-10"}  # the demo's last signal is 31 October 2026
    assert set(table["opvallend"]) <= {"ja", "nee"}
    assert table["p_waarde"].dropna().between(0, 1).all()
    assert quarter.returncode == 0, quarter.stderr
    sectors = read_csv(quarter.stdout)
    assert set(sectors["periode"]) == {"2026-Q1"}  # Q2 had not ended in May
    assert sectors["code"].nunique() == 97


def test_hotspots_and_effect_write_their_columns(demo_dir):
    hot, hot_cat, eff = in_process(demo_dir, [
        ("hotspots",), ("hotspots", "--category", "zwerfvuil", "--from", "2025-01-01", "--to", "2025-12-31"),
        ("effect", "--layer", "projecten", "--id", "P001", "--months", "12", "--radius", "250")])
    for result in (hot, hot_cat, eff):
        assert result.returncode == 0, result.stderr
    table = read_csv(hot.stdout)
    assert list(table.columns[:6]) == ["code", "naam", "waarde", "z", "p_waarde", "klasse"]
    assert len(table) == 97
    assert set(table["klasse"]) <= {"hot spot 99 %", "hot spot 95 %", "cold spot", "niet significant",
                                    "geen inwoners", "geen buren"}
    one_category = read_csv(hot_cat.stdout)
    assert one_category["signalen"].sum() < table["signalen"].sum()
    row = read_csv(eff.stdout)
    assert len(row) == 1
    assert list(row.columns[:12]) == ["id", "naam", "start", "radius_m", "maanden", "binnen_voor", "binnen_na",
                                      "buiten_voor", "buiten_na", "effect_pct", "ci_laag_pct", "ci_hoog_pct"]
    assert row["id"].iloc[0] == "P001" and row["radius_m"].iloc[0] == 250 and row["maanden"].iloc[0] == 12
    assert row["ci_laag_pct"].iloc[0] <= row["effect_pct"].iloc[0] <= row["ci_hoog_pct"].iloc[0]
    assert row["zin"].iloc[0].startswith("In de 12 maanden na de start")


def test_bad_input_gets_exit_2_and_a_dutch_message(demo_dir):
    assert_refused(demo_dir, [
        (("alerts", "--until", "2031-01"), r"laatste volledige periode in de gegevens is 2026-10"),
        (("alerts", "--until", "oktober"), r"geen maand; schrijf JJJJ-MM"),
        (("alerts", "--level", "deelgemeente"), r"geen geldige keuze"),
        (("alerts", "--min-excess", "veel"), r"--min-excess 'veel' is geen aantal"),
        (("hotspots", "--category", "lawaai"), r"Onbekende categorie 'lawaai'. Kies uit: burenoverlast"),
        (("hotspots", "--from", "2025-12-31", "--to", "2025-01-01"), r"ligt na --to"),
        (("effect", "--layer", "projecten", "--id", "P999"), r"Geen record met id 'P999' in de laag projecten"),
        (("effect", "--layer", "actoren", "--id", "A01"), r"geen geldige keuze"),
        (("effect", "--layer", "projecten", "--id", "P001"), r"nog geen 24 volledige maanden na de start"),
        (("effect", "--layer", "meubilair", "--id", "M001"), r"is niet geplaatst \(status goedgekeurd\)"),
        (("effect", "--layer", "projecten", "--id", "P001", "--radius", "-5"), r"geen geldige afstand"),
        (("effect", "--layer", "projecten", "--id", "P001", "--months", "x"), r"geen geheel getal"),
    ])


def test_effect_as_a_separate_process_has_no_traceback(demo_dir):
    result = subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(demo_dir), "effect", "--layer",
                             "pleinmakers", "--id", "PM04", "--months", "600"], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "geen 600 volledige maanden na de start" in result.stderr  # 50 years: more than any data holds
