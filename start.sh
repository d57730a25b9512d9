#!/usr/bin/env bash
# Set up and start Cohesiekaart on the bundled demo: makes a project virtualenv (.venv) when no
# virtualenv is active, installs the Python packages into it, builds the demo data if the data
# directory has none (else prepares what it derives from the data), and starts the dashboard on http://localhost:8501 (PORT to change it).
# WORKERS=N: N server processes behind HAProxy (scripts/serve_multi.sh).
# Works with Debian/Ubuntu's system Python (PEP 668): nothing is installed outside .venv.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
cohesie_python
if ! "$PY" -c "from cohesie.storage import Store; import sys; sys.exit(0 if Store().exists() else 1)"; then
  "$PY" -m cohesie demo  # builds the demo and prepares it
else
  # what the app derives per data version (index, map files, early warning), made before the
  # first visitor; read back in a moment when it is there. A failure is shown by the app itself.
  "$PY" -m cohesie prepare || echo "Voorbereiden mislukt (zie hierboven); de app start toch." >&2
fi
if [ -n "${WORKERS:-}" ] && [ "${WORKERS}" != 1 ]; then
  exec bash scripts/serve_multi.sh "$@"  # several server processes behind HAProxy
fi
exec "$PY" scripts/serve.py --server.port "${PORT:-8501}" "$@"
