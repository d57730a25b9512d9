"""Storage is an edge: :mod:`cohesie.storage` reads and writes tables and never imports the
rules above it (the area hierarchy, the counting rules), and no SQL lives outside it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STORAGE = REPO / "cohesie" / "storage"
#: the modules above storage that storage must never import (lazily inside a function neither)
ABOVE = ("cohesie.indicators", "cohesie.counting", "cohesie.areas", "cohesie.dataset", "cohesie.trends")
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TEMP\s+)?(TABLE|INDEX)|ALTER\s+TABLE|DROP\s+TABLE|TRUNCATE\s)", re.S)
DRIVERS = ("sqlite3", "psycopg", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports anywhere (top level or inside functions), as dotted names;
    ``from cohesie import areas`` counts as ``cohesie.areas``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_storage_imports_no_rules_from_above():
    files = sorted(STORAGE.rglob("*.py"))
    assert {p.name for p in files} >= {"__init__.py", "postgis.py", "schema.py"}
    offending = {str(p.relative_to(REPO)): sorted(m for m in imported_modules(p)
                                                   if any(m == a or m.startswith(a + ".") for a in ABOVE))
                 for p in files}
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_check_sees_a_lazy_import(tmp_path):
    """The check above would catch an import hidden inside a method."""
    sample = tmp_path / "sample.py"
    sample.write_text("def load():\n    from cohesie import areas\n    import cohesie.counting\n")
    assert {"cohesie.areas", "cohesie.counting"} <= imported_modules(sample)


def test_importing_storage_loads_no_module_above_it():
    """Also transitively: a fresh interpreter that imports both backends has none of them."""
    code = ("import sys, cohesie.storage, cohesie.storage.postgis; "
            f"print(sorted(m for m in sys.modules if m in {ABOVE!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_no_sql_or_database_driver_outside_storage():
    problems = []
    for path in sorted((REPO / "cohesie").rglob("*.py")):
        rel = path.relative_to(REPO / "cohesie")
        if rel.parts[0] in ("storage", "migrations"):
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in DRIVERS:
                problems.append(f"{rel}: imports {module}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                problems.append(f"{rel}:{node.lineno}: SQL {node.value[:60]!r}")
    assert problems == []


def test_the_sql_pattern_matches_sql_and_not_prose():
    assert SQL.search("SELECT layer, count(*) FROM points GROUP BY layer")
    assert SQL.search("DELETE FROM meta WHERE key = 'x'")
    assert not SQL.search("Selecteer een wijk uit de lijst; update de kaart.")
