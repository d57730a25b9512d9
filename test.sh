#!/usr/bin/env bash
# Run the test suite in the project's Python environment (made by scripts/env.sh, as start.sh
# does). Arguments go to pytest, e.g. `bash test.sh -m "not e2e"` or `bash test.sh tests/test_cli.py`.
# The tests run on several processes (pytest-xdist, whole files per process: --dist loadfile);
# COHESIE_TEST_WORKERS sets how many (default 3), and `-n 0` (or `-n 1`, `-n auto`) among the
# arguments overrides it: `bash test.sh -n 0` runs everything in one process as before.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
cohesie_python
xdist=(-n "${COHESIE_TEST_WORKERS:-3}" --dist loadfile)
for arg in "$@"; do
  case "$arg" in
    -n|-n*|--numprocesses|--numprocesses=*|no:xdist) xdist=() ;;
  esac
done
exec "$PY" -m pytest -q "${xdist[@]}" "$@"
