#!/usr/bin/env bash
# Benchmarks PatronAnalytics against lifetimes 0.11.3 (see bench.py). Usage:
#   Benchmarks/analytics/run.sh [--package DIR] [bench.py options…]
# --package is the Swift package that has the `analytics-bench` product (default: this repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$(cd "$here/../.." && pwd)"
if [[ "${1:-}" == "--package" ]]; then package="$2"; shift 2; fi
venv="${PATRON_LIFETIMES_VENV:-/tmp/patron-lifetimes-venv}"
if [[ ! -x "$venv/bin/python" ]]; then python3 -m venv "$venv"; fi
"$venv/bin/python" -c "import lifetimes" 2>/dev/null || "$venv/bin/pip" install -q "lifetimes==0.11.3"
(cd "$package" && swift build -c release --product analytics-bench >&2)
bin="$(cd "$package" && swift build -c release --show-bin-path)/analytics-bench"
cdnow="${PATRON_CDNOW_MASTER:-$package/../shared/data/cdnow/CDNOW_master.txt}"
if [[ ! -f "$cdnow" ]]; then cdnow="$here/../../../shared/data/cdnow/CDNOW_master.txt"; fi
extra=()
if [[ -f "$cdnow" ]]; then extra=(--cdnow-master "$cdnow"); fi
exec "$venv/bin/python" "$here/bench.py" --swift-bin "$bin" --venv "$venv" "${extra[@]}" "$@"
