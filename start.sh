#!/usr/bin/env bash
# Set up and start Cohesiekaart on the bundled demo: installs the Python packages, builds the
# demo data if the data directory has none, and starts the dashboard on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet -r requirements.txt
if ! python3 -c "from cohesie.storage import Store; import sys; sys.exit(0 if Store().exists() else 1)"; then
  python3 -m cohesie demo
fi
exec python3 -m streamlit run dashboard.py --server.port "${PORT:-8501}" "$@"
