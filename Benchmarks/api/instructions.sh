#!/usr/bin/env bash
# CPU per request on every hot path of the API, in instructions, which do not move with the load of a shared machine:
# `patron serve` (release build) runs under callgrind; for each route Benchmarks/api/drive.py sends WARMUP requests,
# the counters are zeroed (callgrind_control -z), COUNT requests are sent one after another on one keep-alive
# connection, and the counters are dumped (callgrind_control -d): instructions per request = the dump's total / COUNT.
# Everything the process does in that interval is counted (event loops, the writer, SQLite), nothing before it.
# Order: reads on a freshly started server (it has not written), then order events (one a request, and batches of
# BATCH, counted per event), then the reads again. The dumps stay in OUT (default /tmp/patron-api-instructions) for
# callgrind_annotate. Usage: Benchmarks/api/instructions.sh [COUNT] [BATCH]   (needs valgrind)
# As Benchmarks/ingest/instructions.sh: valgrind 3.19 cannot read Swift's DWARF 5, so the binary's debug info is
# stripped (symbols stay), and a preloaded shim works around its crash on libdispatch's read-only sigsuspend mask.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-500}
batch=${2:-200}
warmup=20
patron=${PATRON_BIN:-.build/release/patron}
[ -x "$patron" ] || { echo "build first: swift build -c release --product patron" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
source Benchmarks/api/routes.sh
out=${OUT:-/tmp/patron-api-instructions}
rm -rf "$out"; mkdir -p "$out"
work=$(mktemp -d /tmp/patron-cg.XXXXXX)
cc -shared -fPIC -O2 -o "$work/shim.so" Benchmarks/ingest/sigsuspend-shim.c
objcopy --strip-debug "$patron" "$work/patron"
server=""
trap cleanup EXIT

new_database callgrind
key=$PATRON_KEY
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
serve=(serve --database "$db" --port "$port" --no-jobs --rate-limit 10000000 --burst 10000000 --log-level "${LOG_LEVEL:-warning}" --drain-seconds 0)
wait_up() { for _ in $(seq 1 600); do curl -fsS "$base/health" >/dev/null 2>&1 && return; sleep 0.2; done; echo "the server did not start" >&2; exit 1; }

"$patron" "${serve[@]}" & server=$!; wait_up
python3 Benchmarks/api/seed.py "$base" "$key" >/dev/null
kill -TERM "$server"; wait "$server" || true

LD_PRELOAD="$work/shim.so" valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$work/patron" "${serve[@]}" 2>"$out/valgrind.log" & server=$!
wait_up

# NAME PER-REQUEST-DIVISOR drive.py-arguments…: one line of the table.
measure() {
  local name=$1 per=$2; shift 2
  python3 Benchmarks/api/drive.py "$base" "$key" "$warmup" "$@"
  callgrind_control -z "$server" >/dev/null
  python3 Benchmarks/api/drive.py "$base" "$key" "$count" "$@"
  callgrind_control -d "$name" "$server" >/dev/null
  local dump; dump=$(ls -t "$out"/callgrind.out.* | head -n 1)
  mv "$dump" "$out/$name.callgrind"
  awk -v name="$name" -v n="$count" -v per="$per" '/^summary:/ { printf "%-24s %12.0f\n", name, $2 / n / per }' "$out/$name.callgrind"
}
reads() {
  for route in "${read_routes[@]}"; do
    IFS='|' read -r name method path spread body <<< "$route"
    measure "$name-$1" 1 route "$method" "$path" "$spread" "$body"
  done
}

echo "route (phase)             instructions per request ($count requests each, after $warmup; $(uptime | sed 's/.*load/load/'))"
reads fresh
measure "order-event" 1 events "cg$RANDOM"
full=$count
count=$((full / 50 > 2 ? full / 50 : 2))   # batches: fewer requests, counted per event
measure "batch-$batch-per-event" "$batch" batch "cgb$RANDOM" "$batch"
count=$full
reads after-writes
