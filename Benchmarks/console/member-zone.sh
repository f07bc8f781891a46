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

export PATRON_MEMBER_LINK_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export USER=${USER:-bench}
db="$work/zone.sqlite"
cat examples/programs/gold-club.yaml - > "$work/programme.yaml" <<'YAML'

rewards:
  - { id: coupon-5, name: "Five off", kind: coupon, cost: 500, coupon: { value: "5.00", validDays: 30 } }
  - { id: mug, name: Northwind mug, kind: gift, cost: 800, stock: 100 }
YAML
"$patron" program load "$work/programme.yaml" --database "$db" >/dev/null
"$patron" member enroll --customer Z1 --name "Zoe Zone" --consent email=true --database "$db" >/dev/null
# Twelve orders over the year before now, the last two still pending, and a coupon.
{
  for month in $(seq 1 12); do
    day=$(date -u -d "-$((13 - month)) months" +%Y-%m-%dT10:00:00Z)
    done_day=$(date -u -d "-$((13 - month)) months + 2 days" +%Y-%m-%dT10:00:00Z)
    echo "{\"id\":\"p$month\",\"kind\":\"placed\",\"orderId\":\"Z-$month\",\"occurredAt\":\"$day\",\"order\":{\"id\":\"Z-$month\",\"member\":{\"kind\":\"customer\",\"value\":\"Z1\"},\"lines\":[{\"sku\":\"TEA\",\"quantity\":2,\"unitPrice\":4500}]}}"
    echo "{\"id\":\"c$month\",\"kind\":\"completed\",\"orderId\":\"Z-$month\",\"occurredAt\":\"$done_day\"}"
  done
} > "$work/orders.jsonl"
"$patron" import orders "$work/orders.jsonl" --database "$db" >/dev/null
"$patron" jobs run --database "$db" >/dev/null
"$patron" redeem customer:Z1 coupon-5 --database "$db" >/dev/null

port=$((20000 + RANDOM % 20000))
"$patron" serve --database "$db" --port "$port" --no-jobs --log-level warning &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done

link=$("$patron" member link customer:Z1 --minutes 5 --base-url "http://127.0.0.1:$port" --database "$db")
cookie=$(curl -sS -o /dev/null -D - "$link" | awk 'tolower($1) == "set-cookie:" && $2 ~ /^patron_member=/ {sub(/;.*/, "", $2); print $2}')
[ -n "$cookie" ] || { echo "the sign-in link did not start a member session"; exit 1; }
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
