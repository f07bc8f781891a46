#!/bin/sh
# Instructions per placed-order event of `patron bench ingest`, by callgrind: the difference between a run of
# 15,000 and a run of 5,000 group-commit events (same warm-up, 10 baseline events), divided by 10,000.
# Prints the whole process's count and the writer's transactions' (GRDB's Database.inTransaction, inclusive).
#
# usage: Benchmarks/ingest/instructions.sh [BINARY]   (default .build/release/patron; a release build)
# Needs valgrind. Valgrind 3.19 (Debian 12) crashes on libdispatch's read-only sigsuspend mask; a preloaded shim
# passes the kernel a writable copy. Symbols suffice: debug info in DWARF 5 is stripped first.
set -eu
binary=${1:-.build/release/patron}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -shared -fPIC -O2 -o "$work/shim.so" "$here/sigsuspend-shim.c"
objcopy --strip-debug "$binary" "$work/patron"
for events in 5000 15000; do
    LD_PRELOAD="$work/shim.so" valgrind --tool=callgrind --callgrind-out-file="$work/$events.out" \
        "$work/patron" bench ingest --events $events --baseline-events 10 --writers 64 > "$work/$events.log" 2>&1
done
python3 - "$work/5000.out" "$work/15000.out" <<'PY'
import re, subprocess, sys
def inclusive(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path], capture_output=True, text=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)$", line)
        if m: costs[m.group(2)] = costs.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return costs
small, large = inclusive(sys.argv[1]), inclusive(sys.argv[2])
def per_event(pick):
    return (sum(v for k, v in large.items() if pick(k)) - sum(v for k, v in small.items() if pick(k))) / 10_000
print(f"whole process:        {per_event(lambda k: k == 'PROGRAM TOTALS'):8.0f} instructions per event")
print(f"writer transactions:  {per_event(lambda k: 'DatabaseC13inTransaction' in k):8.0f} instructions per event")
PY
