#!/usr/bin/env bash
# The HTTP API under load: wrk against `patron serve` (release build) on loopback, beside its peer measured in the same
# run, the same order events sent in-process through the store (`patron bench ingest`, same writer count, same
# durability). The ratio is what HTTP, JSON, authentication and rate limiting cost; the batch endpoint's rate is given
# against the same peer. wrk and the server share the
# machine's two cores. Usage: Benchmarks/api/run.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-64}
patron=${PATRON_BIN:-.build/release/patron}
[ -x "$patron" ] || swift build -c release   # PATRON_BIN=.build/debug/patron tries the script on a debug build
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d /tmp/patron-wrk.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/api.sqlite"
"$patron" program load examples/programs/gold-club.yaml --database "$db" >/dev/null
export PATRON_KEY=$("$patron" keys create --scope storefront --name wrk --actor Benchmarks/api --database "$db" | grep '^pk_')
port=$((20000 + RANDOM % 20000))
"$patron" serve --database "$db" --port "$port" --no-jobs --rate-limit 10000000 --burst 10000000 --log-level warning &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done

echo "== POST /v1/orders/events, $connections connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/api/order-events.lua "http://127.0.0.1:$port" | tee "$work/post.txt"
echo "== POST /v1/orders/events/batch, 1,000 events a request, 8 connections, ${seconds} s"
PATRON_BATCH=1000 wrk -t2 -c8 -d"${seconds}s" --latency --timeout 30s -s Benchmarks/api/order-batches.lua "http://127.0.0.1:$port" | tee "$work/batch.txt"
echo "== GET /v1/members/{member}, $connections connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/api/member-reads.lua "http://127.0.0.1:$port" | tee "$work/get.txt"
kill -TERM "$server"; wait "$server" || true; server=""
"$patron" check --database "$db"

echo "== peer: the same events in-process through the store, $connections writers"
"$patron" bench ingest --events 50000 --baseline-events 100 --writers "$connections" | tee "$work/peer.txt"

http=$(awk '/Requests\/sec/ {print $2}' "$work/post.txt")
peer=$(awk '$1 == "group-commit" {print $3}' "$work/peer.txt")
errors=$(awk '/Non-2xx/ {print $5}' "$work/post.txt")
read_errors=$(awk '/Non-2xx/ {print $5}' "$work/get.txt")
echo "order events over HTTP: $http/s (non-2xx: ${errors:-0}); in-process: $peer/s; HTTP reaches $(python3 -c "print(f'{$http / $peer * 100:.0f}')") % of the in-process rate"
batches=$(awk '/Requests\/sec/ {print $2}' "$work/batch.txt")
batch_errors=$(awk '/Non-2xx/ {print $5}' "$work/batch.txt")
echo "order events in batches of 1,000 over HTTP: $(python3 -c "print(f'{$batches * 1000:,.0f}')")/s (non-2xx batches: ${batch_errors:-0}); $(python3 -c "print(f'{$batches * 1000 / $peer * 100:.0f}')") % of the in-process rate"
echo "member reads over HTTP: $(awk '/Requests\/sec/ {print $2}' "$work/get.txt")/s (non-2xx: ${read_errors:-0})"
