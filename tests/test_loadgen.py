"""bench/loadgen.py --quick against the served demo: it runs without errors and reports its fields.

No timing is asserted (performance is never asserted in tests); this checks that the browser-less
client speaks the protocol well enough that the app applies the filter changes it sends.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e  # starts `streamlit run` on a demo built in a temporary folder


def test_loadgen_quick_reports_no_errors_and_its_fields(tmp_path):
    out = tmp_path / "loadgen.json"
    proc = subprocess.run([sys.executable, "bench/loadgen.py", "--quick", "--json", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    res = json.loads(out.read_text())
    for phase in ("baseline", "load", "soak"):
        assert res[phase]["errors"] == [], res[phase]["errors"]
        for key in ("p50_ms", "p95_ms", "max_ms"):
            assert res[phase][key] is not None and res[phase][key] > 0
    assert res["baseline"]["n"] == 3  # --quick: 3 changes
    assert res["load"]["sessions_opened"] == 3 and res["load"]["n"] == 3 * 3
    assert res["soak"]["reruns"] == 30
    assert res["load"]["server_cpu_ms_per_rerun"] > 0
    assert res["goals"]["errors"] == 0 and res["goals"]["p95_ratio"] is not None
    for key in ("growth_after_warmup_mb", "slope_mb_per_100_reruns", "rss_after_warmup_mb"):
        assert key in res["soak"]
    # the third change drops one layer after two wijk choices, so each session's last URL says both:
    # the widget states the client sent reached the script (sidebar_filters writes the query string)
    for query in res["load"]["last_query_strings"]:
        assert "wijken=" in query and "lagen=" in query, query
    assert "p95 with 3 sessions" in proc.stdout
