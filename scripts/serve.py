"""Start the dashboard (``streamlit run dashboard.py``) with its modules already imported.

Streamlit imports a script's modules on the first visit after a start: for Cohesiekaart that
is geopandas, shapely, folium and the cohesie package, about a second that the first visitor
would wait for before the map is sent. This launcher imports every module that ``dashboard.py``
and ``pages/*.py`` import (read from their source, so a new page needs no change here; see
:data:`NOT_AHEAD` for the exceptions), then
hands over to Streamlit's own command line with the given options. The server is the same one
``python -m streamlit run dashboard.py`` starts.

    python scripts/serve.py --server.port 8501 [more streamlit options]

``start.sh`` and ``scripts/serve_multi.sh`` start the dashboard this way.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "dashboard.py"


def imported_modules(paths) -> list[str]:
    """The modules that the files at ``paths`` import at their top level, in order, once each:
    ``import a.b`` gives ``a.b``; ``from a import b, c`` gives ``a.b`` and ``a.c`` when those are
    modules (else ``a``)."""
    names: list[str] = []
    for path in paths:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(names))


#: not imported ahead: Streamlit's own packages and the one cohesie module that uses Streamlit.
#: They declare caches and components when imported, which must happen once Streamlit's runtime
#: exists (a component declared before it is not served: the map stayed blank).
NOT_AHEAD = ("streamlit", "streamlit_folium", "cohesie.ui")
#: imported ahead as well: Streamlit's emoji catalogue (a plain table, 0.2 s), which the first
#: ``st.set_page_config(page_icon=<emoji>)`` and every alert with an emoji icon need
ALSO_AHEAD = ("streamlit.emojis",)


def preload(paths) -> list[str]:
    """Import the modules of :func:`imported_modules` except :data:`NOT_AHEAD` (names that are
    not modules, e.g. a function imported from a module, are skipped); returns those imported."""
    done = []
    for name in imported_modules(paths):
        if any(name == skip or name.startswith(skip + ".") for skip in NOT_AHEAD):
            continue
        try:
            importlib.import_module(name)
            done.append(name)
        except ImportError:  # "from a import f": a.f is not a module (a itself was imported)
            continue
    return done


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    preload([ENTRY, *sorted((ROOT / "pages").glob("*.py"))])
    for name in ALSO_AHEAD:
        importlib.import_module(name)
    from streamlit.web import cli

    return cli.main.main(args=["run", str(ENTRY), *argv], prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
