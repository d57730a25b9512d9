# Sourced by start.sh, test.sh and .ci/run: find or make the project's Python environment.
# Uses the active virtualenv when there is one; otherwise creates .venv in the project with the
# first Python >= 3.11 found, and installs requirements.txt into it when that file changed.
# Works with Debian/Ubuntu's system Python (PEP 668 "externally managed"), which refuses
# `pip install` outside a virtualenv.
cohesie_python() {
  local root py
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PY="$VIRTUAL_ENV/bin/python"
  else
    if [ ! -x "$root/.venv/bin/python" ]; then
      py=""
      for cand in python3.13 python3.12 python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 &&
           "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
          py="$cand"; break
        fi
      done
      if [ -z "$py" ]; then
        echo "Cohesiekaart heeft Python 3.11 of nieuwer nodig (python3 --version). Installeer bv. 'sudo apt-get install python3'." >&2
        echo "Cohesiekaart needs Python 3.11 or newer. Install e.g. 'sudo apt-get install python3'." >&2
        return 1
      fi
      if ! "$py" -m venv "$root/.venv" >/dev/null 2>&1 || [ ! -x "$root/.venv/bin/python" ]; then
        rm -rf "$root/.venv"
        local ver; ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        echo "Python kan geen virtuele omgeving maken: installeer het systeempakket met 'sudo apt-get install python3-venv' (of python${ver}-venv) en start opnieuw." >&2
        echo "Python cannot create a virtual environment: install the system package with 'sudo apt-get install python3-venv' (or python${ver}-venv) and start again." >&2
        return 1
      fi
    fi
    PY="$root/.venv/bin/python"
  fi
  # install when requirements.txt changed since the last install into this environment
  local stamp want have
  stamp="$("$PY" -c 'import sys; print(sys.prefix)')/.cohesie-requirements"
  want="$(sha1sum "$root/requirements.txt" | cut -d' ' -f1)"
  have="$(cat "$stamp" 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    echo "Python-pakketten installeren in $("$PY" -c 'import sys; print(sys.prefix)') ..." >&2
    "$PY" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    "$PY" -m pip install --quiet -r "$root/requirements.txt" || return 1
    echo "$want" > "$stamp"
  fi
  export PY
}
