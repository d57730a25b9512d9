#!/usr/bin/env bash
# Run the test suite in the project's Python environment (made by scripts/env.sh, as start.sh
# does). Arguments go to pytest, e.g. `bash test.sh -m "not e2e"` or `bash test.sh tests/test_cli.py`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
cohesie_python
exec "$PY" -m pytest -q "$@"
