"""Two editors at once: two processes make 500 edits each to the same record; every edit is
either applied (and audited) or refused with a Dutch message — none is lost. Both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pg_helpers import pg_url  # noqa: F401 (fixture)

from cohesie.storage import Store, open_store

REPO = Path(__file__).resolve().parent.parent
EDITS = 500

WORKER = r"""
import json, sys
from cohesie.storage import ConflictError, Store, open_store
data_dir, url, name, n = sys.argv[1], sys.argv[2] or None, sys.argv[3], int(sys.argv[4])
store = open_store(data_dir, url=url)
for i in range(n):
    current = store.get_point("meubilair", "gedeeld")
    value = f"{name}-{i}"
    try:
        after = store.update_point("meubilair", "gedeeld", {"opmerking": value}, user=name,
                                   expected_version=int(current["version"]))
        print(json.dumps({"edit": value, "applied": True, "version": after["version"]}))
    except ConflictError as err:
        print(json.dumps({"edit": value, "applied": False, "message": str(err)}))
"""


def seed(store: Store) -> None:
    rec = pd.DataFrame({"layer": ["meubilair"], "id": ["gedeeld"], "naam": ["bank"],
                        "type": ["gevelbank"], "status": ["geplaatst"],
                        "datum": [pd.Timestamp("2024-01-02")], "x": [150_500.0], "y": [190_500.0]})
    with store.transaction() as con:
        con.upsert_points(rec)


def run_editors(data_dir: Path, url: str | None) -> list[dict]:
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(data_dir), url or "", name,
                               str(EDITS)], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for name in ("ada", "bob")]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        results += [json.loads(line) for line in out.splitlines()]
    return results


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_no_edit_is_lost(backend, tmp_path, request):
    url = request.getfixturevalue("pg_url") if backend == "postgis" else None
    store = open_store(tmp_path, url=url)
    seed(store)
    results = run_editors(tmp_path, url)

    assert len(results) == 2 * EDITS  # every edit answered
    applied = [r for r in results if r["applied"]]
    refused = [r for r in results if not r["applied"]]
    assert all("Iemand anders heeft dit record intussen gewijzigd" in r["message"]
               for r in refused)
    final = store.get_point("meubilair", "gedeeld")
    assert final["version"] == 1 + len(applied)  # each applied edit raised the version once
    assert sorted(r["version"] for r in applied) == list(range(2, 2 + len(applied)))
    history = store.history("meubilair", "gedeeld")
    audited = [json.loads(na)["opmerking"] for na in history["na"]]
    assert sorted(audited) == sorted(r["edit"] for r in applied)  # and exactly those audited
    assert final["opmerking"] == max(applied, key=lambda r: r["version"])["edit"]
