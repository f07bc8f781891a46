#!/usr/bin/env bash
# CPU time the server spends per request under load: wrk drives each read route (and order events) for SECONDS with
# CONNECTIONS, and the server's user + system time (/proc/PID/stat) and context switches (every thread's
# /proc/PID/task/*/status) over that interval are divided by the requests answered. CPU time counts the work rather
# than the waiting (a busy neighbour still moves it), and unlike instructions counted one request at a time
# (Benchmarks/api/instructions.sh) it includes what concurrency costs: the kernel's share, threads woken and switched.
# Usage: Benchmarks/api/cpu.sh [SECONDS] [CONNECTIONS]   (PATRON_BIN picks the build; extra server options in
# SERVE_OPTIONS; ROUTES="member order-event" measures only those)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
connections=${2:-64}
patron=${PATRON_BIN:-.build/release/patron}
[ -x "$patron" ] || { echo "build first: swift build -c release --product patron" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
source Benchmarks/api/routes.sh
work=$(mktemp -d /tmp/patron-cpu.XXXXXX)
server=""
trap cleanup EXIT

new_database cpu
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
start_server() {
  # shellcheck disable=SC2086
  "$patron" serve --database "$db" --port "$port" --no-jobs --rate-limit 10000000 --burst 10000000 --log-level warning \
    --drain-seconds 0 ${SERVE_OPTIONS:-} &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "$base/health" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "the server did not start" >&2; exit 1
}
start_server
python3 Benchmarks/api/seed.py "$base" "$PATRON_KEY" >/dev/null
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
switches() { cat /proc/"$server"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n }'; }

# NAME wrk-options…: one line of the table.
measure() {
  local name=$1; shift
  [ -z "${ROUTES:-}" ] || [[ " $ROUTES " == *" $name "* ]] || return 0
  local cpu0 sw0 cpu1 sw1 requests
  wrk -t1 -c"$connections" -d1s "$@" "$base" >/dev/null   # warm-up
  cpu0=$(cpu); sw0=$(switches)
  wrk -t1 -c"$connections" -d"${seconds}s" "$@" "$base" > "$work/$name.txt"
  cpu1=$(cpu); sw1=$(switches)
  requests=$(awk '/requests in/ { print $1 }' "$work/$name.txt")
  awk -v name="$name" -v r="$requests" -v c=$((cpu1 - cpu0)) -v s=$((sw1 - sw0)) -v t="$ticks" -v d="$seconds" 'BEGIN {
    printf "%-12s %10.0f %12.1f %14.2f\n", name, r / d, c / t * 1e6 / r, s / r }'
}

echo "route        requests/s  CPU µs/req  switches/req   ($connections connections, ${seconds} s each; $(uptime | sed 's/.*load/load/'))"
for route in "${read_routes[@]}"; do
  IFS='|' read -r name method path spread body <<< "$route"
  PATRON_METHOD=$method PATRON_PATH=$path PATRON_SPREAD=$spread PATRON_BODY=$body measure "$name" -s Benchmarks/api/request.lua
done
measure order-event -s Benchmarks/api/order-events.lua
