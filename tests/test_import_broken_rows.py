"""A CSV row with more fields than the header is refused on its own; the other rows import."""

from __future__ import annotations

import pandas as pd
from import_helpers import build_demo_dir, count, inside_lonlat, run_cli


def test_broken_row_is_refused_and_kept_good_rows_import(tmp_path):
    data = build_demo_dir(tmp_path / "data")
    lon, lat = inside_lonlat(3)
    lines = ["id;naam;type;lat;lon",
             f"B1;Bank een;gevelbank;{lat[0]};{lon[0]}",
             f"B2;Bank;twee;gevelbank;{lat[1]};{lon[1]}",  # an unquoted ';' in the name
             f"B3;Bank drie;gevelbank;{lat[2]};{lon[2]}"]
    path = tmp_path / "banken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = count(data, "meubilair")
    r = run_cli("--data-dir", data, "import-points", path, "--layer", "meubilair")
    assert r.returncode == 0, r.stderr
    assert "2 geïmporteerd, 1 geweigerd" in r.stdout
    assert count(data, "meubilair") == before + 2
    rejects = pd.read_csv(next((data / "geweigerd").glob("*banken.csv")), encoding="utf-8-sig", sep=None,
                          engine="python", dtype=str)
    assert rejects["rij"].tolist() == ["3"]
    assert "6 velden in plaats van 5" in rejects["reden"].iloc[0]
    assert rejects["oorspronkelijke_regel"].iloc[0].startswith("B2;Bank;twee")
