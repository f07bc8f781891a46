#!/usr/bin/env bash
# The floor under every request of `patron serve`, in instructions: GET /health on Hummingbird alone (Benchmarks/api/floor,
# one route, nothing else) against GET /health on `patron serve` (release build, SQLite, --no-jobs), each under callgrind,
# COUNT requests one after another on one keep-alive connection after 20 (Benchmarks/api/drive.py), counters zeroed
# before and dumped after, as in Benchmarks/api/instructions.sh. What Patron adds is its middleware and the OpenAPI
# runtime. Usage: Benchmarks/api/floor.sh [COUNT]   (needs valgrind; builds the floor package on first use)
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-300}
patron=${PATRON_BIN:-.build/release/patron}
[ -x "$patron" ] || { echo "build first: swift build -c release --product patron" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
work=$(mktemp -d /tmp/patron-floor.XXXXXX)
(cd Benchmarks/api/floor && swift build -c release >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }
floor=Benchmarks/api/floor/.build/release/floor
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cc -shared -fPIC -O2 -o "$work/shim.so" Benchmarks/ingest/sigsuspend-shim.c

# NAME PORT BINARY ARGUMENTS…: instructions per GET /health of that server.
measure() {
  local name=$1 port=$2 binary=$3; shift 3
  objcopy --strip-debug "$binary" "$work/$name"   # valgrind 3.19 cannot read Swift's DWARF 5
  LD_PRELOAD="$work/shim.so" valgrind --tool=callgrind --callgrind-out-file="$work/$name.out" "$work/$name" "$@" 2>"$work/$name.log" & server=$!
  for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  python3 Benchmarks/api/drive.py "http://127.0.0.1:$port" - 20 route GET /health 1
  callgrind_control -z "$server" >/dev/null
  python3 Benchmarks/api/drive.py "http://127.0.0.1:$port" - "$count" route GET /health 1
  callgrind_control -d "$name" "$server" >/dev/null
  kill -TERM "$server"; wait "$server" || true; server=""
  awk -v name="$name" -v n="$count" '/^summary:/ { printf "%-32s %10.0f\n", name, $2 / n }' $(ls -t "$work/$name.out".* | head -n 1)
}

port=$((20000 + RANDOM % 20000))
"$patron" program load examples/programs/gold-club.yaml --database "$work/floor.sqlite" >/dev/null
echo "GET /health, instructions per request ($count requests after 20)"
measure hummingbird-alone "$port" "$floor" "$port"
measure patron-serve "$((port + 1))" "$patron" serve --database "$work/floor.sqlite" --port "$((port + 1))" --no-jobs \
  --rate-limit 10000000 --burst 10000000 --log-level warning --drain-seconds 0
