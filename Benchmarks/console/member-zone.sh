#!/usr/bin/env bash
# The member zone under load: wrk against `patron serve` (release build) on loopback, the member's home page
# (/member/) with a member-session cookie, beside its peer on the same server in the same run: /health, which does no
# work. The member has a year of history (orders, pending points, a level, a coupon), so the page reads what a real
# one does. wrk and the server share the machine's two cores.
# Usage: Benchmarks/console/member-zone.sh [SECONDS] [CONNECTIONS] [PATRON_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-32}
patron=${3:-.build/release/patron}
[ -x "$patron" ] || swift build -c release
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d /tmp/patron-member-zone.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

. Benchmarks/console/member-zone-shop.sh
member_zone_shop "$patron" "$work"
db="$work/zone.sqlite"

port=$((20000 + RANDOM % 20000))
"$patron" serve --database "$db" --port "$port" --no-jobs --log-level warning &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done

cookie=$(member_zone_cookie "$patron" "$db" "http://127.0.0.1:$port")
status=$(curl -sS -o "$work/home.html" -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port/member/")
[ "$status" = 200 ] && grep -q 'data-testid="active-points"' "$work/home.html" || { echo "GET /member/ answered $status"; exit 1; }

echo "== GET /member/ with a member session, $connections connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/member/" | tee "$work/zone.txt"
echo "== peer: GET /health on the same server, $connections connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/health" | tee "$work/health.txt"

zone=$(awk '/Requests\/sec/ {print $2}' "$work/zone.txt")
health=$(awk '/Requests\/sec/ {print $2}' "$work/health.txt")
errors=$(awk '/Non-2xx/ {print $5}' "$work/zone.txt")
echo "member zone home: $zone pages/s (non-2xx: ${errors:-0}); /health: $health/s; the home page reaches $(python3 -c "print(f'{$zone / $health * 100:.0f}')") % of /health"
