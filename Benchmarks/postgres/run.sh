#!/usr/bin/env bash
# Durable order ingestion on PostgreSQL: `patron bench ingest` (group commit, and one commit per event) against pgbench
# running the same-shaped raw transaction (Benchmarks/postgres/order-event.sql, one commit each) in the same run.
#
#   Benchmarks/postgres/run.sh [EVENTS] [WRITERS] [PGBENCH_CLIENTS]
#
# WRITERS are Patron's concurrent callers (default 1,024, as for SQLite: group commit batches what arrives together);
# pgbench runs with PGBENCH_CLIENTS connections (default 64, about its best here; a connection each costs a process).
# Uses PATRON_BENCH_POSTGRES_URL (postgres://user@host:port/db) if set; otherwise starts a throwaway cluster on loopback
# (needs Debian's postgresql) and stops it at the end. PATRON_BENCH_WRITERS sets Patron's writer connections (the URL's
# `writers`, default 2; one makes the biggest batches for few callers). Needs a release build: swift build -c release.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-60000}
writers=${2:-1024}
clients=${3:-64}
patron=.build/release/patron
[ -x "$patron" ] || { echo "build first: swift build -c release" >&2; exit 1; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
started=""
cleanup() { if [ -n "$started" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_data"; fi; }
trap cleanup EXIT
url=${PATRON_BENCH_POSTGRES_URL:-}
if [ -z "$url" ]; then
  pg_data=$(mktemp -d /tmp/patron-bench-pg.XXXXXX); chown postgres "$pg_data"
  port=$((40000 + RANDOM % 20000))
  as_postgres "$pg_bin/initdb" -D "$pg_data" -A trust -U patron >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_data" start >/dev/null
  started=yes
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U patron bench
  url="postgres://patron@127.0.0.1:$port/bench"
fi
host=$(echo "$url" | sed -E 's|^postgres(ql)?://([^@]*@)?([^:/]+).*|\3|')
port=$(echo "$url" | sed -E 's|^postgres(ql)?://[^/]*:([0-9]+)/.*|\2|'); [[ "$port" =~ ^[0-9]+$ ]] || port=5432
user=$(echo "$url" | sed -E 's|^postgres(ql)?://([^:@/]+).*@.*|\2|'); [[ "$user" == postgres* ]] && user=postgres
db=$(echo "$url" | sed -E 's|^.*/([^/?]+)(\?.*)?$|\1|')
psql_() { psql -h "$host" -p "$port" -U "$user" -d "$db" -v ON_ERROR_STOP=1 -qAt -c "SET client_min_messages = warning" "$@"; }

echo "== PostgreSQL $(psql_ -c 'SHOW server_version'), synchronous_commit=$(psql_ -c 'SHOW synchronous_commit'), $(nproc) cores shared by everything"
echo "== Patron: $events events through group commit, $writers concurrent writers, ${PATRON_BENCH_WRITERS:-2} writer connections"
"$patron" bench ingest --database "$url${PATRON_BENCH_WRITERS:+?writers=$PATRON_BENCH_WRITERS}" --events "$events" --baseline-events $((events / 20)) --writers "$writers" --members 2000 | tee /tmp/patron-pg-bench.txt
patron_rate=$(awk '$1 == "group-commit" { print $3 }' /tmp/patron-pg-bench.txt)

echo "== pgbench: the same-shaped raw transaction, one commit each, $clients clients, 15 s"
psql_ -c "DROP SCHEMA IF EXISTS pgbench_peer CASCADE"
"$patron" migrate --database "$url?schema=pgbench_peer" >/dev/null
psql_ -c "SET search_path TO pgbench_peer;
  INSERT INTO program_versions (name, source, loaded_at) VALUES ('bench', '', 0);
  INSERT INTO members (id, enrolled_at, program_version) SELECT g, 0, 1 FROM generate_series(1, 2000) g;
  INSERT INTO identities (kind, value, member_id) SELECT 'customer', 'B' || g, g FROM generate_series(1, 2000) g;"
PGOPTIONS="-c search_path=pgbench_peer" pgbench -h "$host" -p "$port" -U "$user" -n -M prepared -c "$clients" -j 2 -T 15 \
  -f Benchmarks/postgres/order-event.sql "$db" | tee /tmp/pgbench.txt | grep -E 'tps|latency average'
pgbench_rate=$(awk '/^tps/ { print int($3) }' /tmp/pgbench.txt)
psql_ -c "DROP SCHEMA pgbench_peer CASCADE"
awk -v p="$patron_rate" -v b="$pgbench_rate" 'BEGIN { printf "ratio: Patron group commit %d events/s = %.2f× pgbench %d transactions/s\n", p, p / b, b }'
