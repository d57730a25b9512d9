#!/usr/bin/env bash
# Serve Cohesiekaart with several server processes on one data directory, behind HAProxy:
#   WORKERS=2 bash start.sh          (or: bash scripts/serve_multi.sh [extra streamlit options])
# Streamlit runs every browser session's script in a thread of one process, so reruns of
# sessions that overlap wait for one interpreter lock; N processes use N cores. HAProxy (Debian:
# `apt-get install haproxy`) listens on PORT (default 8501) and gives each browser the
# process with the fewest connections, then keeps it there with a cookie (COHESIE_SRV): a
# session's websocket, its uploads and its downloads must reach the process that holds it.
# Workers listen on 127.0.0.1, ports PORT+1 … PORT+N. All share the data directory (one
# database, one session key) and one cookieSecret, so a login and every edit are seen by all.
# Each process keeps its own caches: memory grows with N (see README, Performance).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cohesie_python
workers="${WORKERS:-$(nproc)}"
port="${PORT:-8501}"
bind="${BIND:-0.0.0.0}"
if ! [[ "$workers" =~ ^[0-9]+$ ]] || [ "$workers" -lt 1 ] || [ "$workers" -gt 32 ]; then
  echo "WORKERS moet een geheel getal van 1 tot 32 zijn (nu: '$workers'), bv. WORKERS=2 bash start.sh." >&2
  exit 2
fi
# HAPROXY: the program to run (default: haproxy on PATH, else /usr/sbin/haproxy)
haproxy_bin="${HAPROXY:-$(command -v haproxy || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true)}"
if [ -z "$haproxy_bin" ] || [ ! -x "$haproxy_bin" ]; then
  echo "HAProxy ontbreekt: installeer het (Debian/Ubuntu: sudo apt-get install haproxy) of start één" >&2
  echo "proces zonder WORKERS (bash start.sh)." >&2
  exit 2
fi
if ! "$PY" -c "from cohesie.storage import Store; import sys; sys.exit(0 if Store().exists() else 1)"; then
  "$PY" -m cohesie demo
fi
# one cookieSecret for all processes, derived from the data directory's session key (made here,
# before any worker starts)
STREAMLIT_SERVER_COOKIE_SECRET="$("$PY" -c "
import hashlib, hmac
from cohesie.storage import open_store
print(hmac.new(open_store().secret(), b'streamlit-cookie', hashlib.sha256).hexdigest())")"
export STREAMLIT_SERVER_COOKIE_SECRET  # in the environment, not on the command line (ps)
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/cohesie-serve.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
{
  echo "global"
  echo "  maxconn 4096"
  echo "defaults"
  echo "  mode http"
  echo "  timeout connect 5s"
  echo "  timeout client 8h"
  echo "  timeout server 8h"
  echo "  timeout tunnel 8h"
  echo "  timeout http-request 30s"
  echo "frontend cohesiekaart"
  echo "  bind ${bind}:${port}"
  echo "  default_backend workers"
  echo "backend workers"
  echo "  balance leastconn"
  echo "  cookie COHESIE_SRV insert indirect nocache httponly"
  echo "  option httpchk GET /_stcore/health"
  for i in $(seq 1 "$workers"); do
    echo "  server w$i 127.0.0.1:$((port + i)) check inter 2s cookie w$i"
  done
} > "$run_dir/haproxy.cfg"
for i in $(seq 1 "$workers"); do
  "$PY" scripts/serve.py --server.address 127.0.0.1 --server.port "$((port + i))" "$@" &
  pids+=("$!")
done
for i in $(seq 1 "$workers"); do
  for _ in $(seq 1 120); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$((port + i))/_stcore/health', timeout=2)" 2>/dev/null; then
      break
    fi
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "Serverproces $i (poort $((port + i))) stopte bij het starten; zie de melding hierboven." >&2; exit 1; }
    sleep 0.5
  done
done
echo "Cohesiekaart: $workers serverprocessen achter HAProxy op http://localhost:${port}" >&2
"$haproxy_bin" -db -f "$run_dir/haproxy.cfg" &
pids+=("$!")
wait -n "${pids[@]}"
echo "Een serverproces of HAProxy stopte; alles wordt gestopt." >&2
exit 1
