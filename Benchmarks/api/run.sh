#!/usr/bin/env bash
# The HTTP API under load: wrk against `patron serve` (release build, SQLite) on loopback, every hot path beside
# GET /health on the same server, and the order events beside their peer measured in the same run, the same events
# sent in-process through the store (`patron bench ingest`, same writer count, same durability). wrk and the server
# share the machine's cores. Usage: Benchmarks/api/run.sh [SECONDS] [CONNECTIONS]
#
# A first server seeds the database (Benchmarks/api/seed.py) and stops; a second, freshly started one is measured:
# the reads first (a server that has not written yet), then order events one a request and in batches of 1,000, then
# the reads again (after writes). Routes and bodies: Benchmarks/api/routes.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-64}
patron=${PATRON_BIN:-.build/release/patron}
[ -x "$patron" ] || swift build -c release --product patron  # PATRON_BIN=.build/debug/patron tries the script on a debug build
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
source Benchmarks/api/routes.sh
work=$(mktemp -d /tmp/patron-wrk.XXXXXX)
server=""
trap cleanup EXIT

new_database wrk
port=$((20000 + RANDOM % 20000))
start_server() {
  "$patron" serve --database "$db" --port "$port" --no-jobs --rate-limit 10000000 --burst 10000000 --log-level warning --drain-seconds 0 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "the server did not start" >&2; exit 1
}
stop_server() { kill -TERM "$server"; wait "$server" || true; server=""; }

start_server
python3 Benchmarks/api/seed.py "http://127.0.0.1:$port" "$PATRON_KEY"
stop_server

# One wrk run: NAME PHASE CONNECTIONS [wrk options…] SCRIPT-ARGS; its summary line goes to $work/summary.
measure() {
  local name=$1 phase=$2 conns=$3; shift 3
  echo "== $name ($phase), $conns connections, ${seconds} s"
  wrk -t2 -c"$conns" -d"${seconds}s" --latency "$@" "http://127.0.0.1:$port" > "$work/$name-$phase.txt"
  awk -v name="$name" -v phase="$phase" '
    /Requests\/sec/ { rps = $2 } /Non-2xx/ { errors = $5 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { printf "%-10s %-13s %12s %10s %10s %8d\n", name, phase, rps, p50, p99, errors }' "$work/$name-$phase.txt" | tee -a "$work/summary"
}
reads() {
  for route in "${read_routes[@]}"; do
    IFS='|' read -r name method path spread body <<< "$route"
    PATRON_METHOD=$method PATRON_PATH=$path PATRON_SPREAD=$spread PATRON_BODY=$body \
      measure "$name" "$1" "$connections" -s Benchmarks/api/request.lua
  done
}

start_server
reads fresh-server
measure order-event writes "$connections" -s Benchmarks/api/order-events.lua
PATRON_BATCH=1000 measure batch-1000 writes 8 --timeout 30s -s Benchmarks/api/order-batches.lua
reads after-writes
stop_server
"$patron" check --database "$db"

echo "== peer: the same events in-process through the store, $connections writers"
"$patron" bench ingest --events 50000 --baseline-events 100 --writers "$connections" | tee "$work/peer.txt"

echo
echo "route      phase           requests/s        p50        p99  non-2xx   × /health of the phase"
while read -r name phase rps p50 p99 errors; do
  health=$(awk -v phase="$phase" '$1 == "health" && $2 == phase { print $3 }' "$work/summary")
  [ -n "$health" ] || health=$(awk '$1 == "health" && $2 == "after-writes" { print $3 }' "$work/summary")
  printf "%-10s %-13s %12s %10s %10s %8d   %s\n" "$name" "$phase" "$rps" "$p50" "$p99" "$errors" \
    "$(awk -v r="$rps" -v h="${health:-0}" 'BEGIN { if (h > 0) printf "%.2f", r / h; else printf "-" }')"
done < "$work/summary"
# A route that answered nothing in the time (a debug build's batches) shows 0, and a ratio of 0.
ratio() { awk -v a="$1" -v b="$2" -v scale="${3:-1}" 'BEGIN { if (b > 0) printf "%.0f", a * scale / b * 100; else printf "0" }'; }
http=$(awk '$1 == "order-event" { print $3 }' "$work/summary")
batches=$(awk '$1 == "batch-1000" { print $3 }' "$work/summary")
peer=$(awk '$1 == "group-commit" {print $3}' "$work/peer.txt")
echo "order events over HTTP: $http/s; in-process: $peer/s; HTTP reaches $(ratio "$http" "$peer") % of the in-process rate"
echo "order events in batches of 1,000 over HTTP: $(awk -v b="$batches" 'BEGIN { printf "%.0f", b * 1000 }')/s; $(ratio "$batches" "$peer" 1000) % of the in-process rate"
