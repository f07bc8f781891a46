#!/usr/bin/env bash
# Round trips per group-commit batch on PostgreSQL (docs/benchmarks.md, "PostgreSQL: round trips per batch"), read from the server's statement log: a throwaway cluster with
# log_statement=all, `patron bench ingest` against it, then each writer transaction that placed orders counted from
# BEGIN to COMMIT. Usage: Benchmarks/postgres/round-trips.sh PATRON_BIN [EVENTS] [WRITERS]
set -euo pipefail
bin=$1; events=${2:-3000}; writers=${3:-64}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=$(mktemp -d /tmp/patron-rt-pg.XXXXXX); chown postgres "$data"
port=$((40000 + RANDOM % 20000))
as_pg() { (cd / && runuser -u postgres -- "$@"); }
as_pg "$pg_bin/initdb" -D "$data" -A trust -U patron >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c log_statement=all -c log_parameter_max_length=0 -c log_line_prefix=%p/" start >/dev/null
trap 'as_pg "$pg_bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U patron bench
"$bin" bench ingest --database "postgres://patron@127.0.0.1:$port/bench" --events "$events" --baseline-events 10 --writers "$writers" --members 2000 | grep -E "mode|group-commit"
python3 - "$data/server.log" <<'PY'
import re, sys, collections
open_tx, counts = {}, []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\d+)/LOG:  (?:statement|execute [^:]*): (.*)", line)
    if not m: continue
    pid, sql = m.group(1), m.group(2).strip()
    if sql.startswith("BEGIN"):
        open_tx[pid] = [sql]
    elif pid in open_tx:
        open_tx[pid].append(sql)
        if sql.startswith("COMMIT") or sql.startswith("ROLLBACK"):
            tx = open_tx.pop(pid)
            # A batch of placed orders: its held rows went out (one statement, `WITH w0 AS (INSERT INTO …`), and it
            # enrolled nobody (the benchmark's seeding does).
            if any(s.startswith("WITH w0 AS (INSERT INTO") for s in tx) and not any("INSERT INTO members" in s for s in tx) \
                    and sql.startswith("COMMIT"):
                counts.append(tx)
if not counts: sys.exit("no order batches in the log")
sizes = collections.Counter(len(tx) for tx in counts)
print(f"order batches: {len(counts)}; round trips per batch (BEGIN … COMMIT): mean {sum(len(t) for t in counts)/len(counts):.2f}, distribution {dict(sorted(sizes.items()))}")
typical = max(sizes, key=sizes.get)
example = next(tx for tx in counts if len(tx) == typical)
print(f"a batch of {typical}:")
for s in example: print("   ", s[:110])
PY
