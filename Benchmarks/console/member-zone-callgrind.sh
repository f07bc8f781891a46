#!/usr/bin/env bash
# Instructions per member-zone page, which do not move with the machine's load (wrk's pages/s do): the same shop as
# member-zone.sh, `patron serve` (release build) run under `valgrind --tool=callgrind`, each page fetched REQUESTS times
# one after another with curl after a warm-up, and callgrind's instruction count (Ir) of the server process for those
# requests divided by REQUESTS. The counters are zeroed after the warm-up and dumped after each page, so start-up, the
# warm-up and curl itself are not counted. Prints Ir per page and keeps the profiles (callgrind_annotate reads them).
# Usage: Benchmarks/console/member-zone-callgrind.sh [REQUESTS] [PATRON_BINARY] [OUTPUT_FOLDER] [PATH ...]
#   PATH defaults to the member zone's pages: / rewards coupons history handbook preferences (under /member/).
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-200}
patron=${2:-.build/release/patron}
out=${3:-/tmp/patron-member-zone-callgrind}
shift $(( $# < 3 ? $# : 3 ))
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(/member/ /member/rewards /member/coupons /member/history /member/handbook /member/preferences)
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
command -v objcopy >/dev/null && command -v cc >/dev/null || { echo "objcopy and cc are needed (apt-get install binutils gcc)"; exit 1; }
[ -x "$patron" ] || { echo "no $patron: build it with swift build -c release"; exit 1; }
mkdir -p "$out"
rm -f "$out"/callgrind.out*
work=$(mktemp -d /tmp/patron-member-zone-cg.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

. Benchmarks/console/member-zone-shop.sh
member_zone_shop "$patron" "$work"
db="$work/zone.sqlite"

# Valgrind 3.19 reads no DWARF 5 (which Swift 6 writes) and stops on libdispatch's read-only sigsuspend mask: profile a
# copy of the binary without its debug information (the symbol table stays, so functions keep their names), with
# sigsuspend-shim.c preloaded.
objcopy --strip-debug "$patron" "$work/patron"
bundle_dir=$(dirname "$(readlink -f "$patron")")
for bundle in "$bundle_dir"/*.resources; do if [ -e "$bundle" ]; then ln -s "$bundle" "$work/"; fi; done
cc -shared -fPIC -O2 -o "$work/sigsuspend-shim.so" Benchmarks/console/sigsuspend-shim.c -ldl
port=$((20000 + RANDOM % 20000))
LD_PRELOAD="$work/sigsuspend-shim.so" valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --dump-instr=no \
  "$work/patron" serve --database "$db" --port "$port" --no-jobs --log-level warning 2>"$out/valgrind.log" &
server=$!
for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
cookie=$(member_zone_cookie "$patron" "$db" "http://127.0.0.1:$port")

fetch() {  # fetch PATH COUNT: COUNT GETs, each must answer 200
  local i status
  for i in $(seq 1 "$2"); do
    status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port$1")
    [ "$status" = 200 ] || { echo "GET $1 answered $status" >&2; exit 1; }
  done
}
for path in "${paths[@]}"; do fetch "$path" 20; done
callgrind_control -z "$server" >/dev/null
printf '%-22s %9s %14s %12s\n' "page" "requests" "Ir" "Ir/page"
for path in "${paths[@]}"; do
  fetch "$path" "$requests"
  callgrind_control --dump="$path" "$server" >/dev/null
  sleep 1
  file=$(ls -t "$out"/callgrind.out.* | head -1)
  total=$(awk '/^summary:|^totals:/ {print $2; exit}' "$file")
  name=$(echo "$path" | tr '/' '_')
  mv "$file" "$out/callgrind.out$name"
  printf '%-22s %9d %14d %12d\n' "$path" "$requests" "$total" "$((total / requests))"
done
echo "profiles: $out/callgrind.out_member_* (callgrind_annotate --inclusive=yes FILE | head -60)"
