#!/usr/bin/env bash
# The console's pages as a browser gets them: `patron serve` on a database made by `patron bench console` (1,000,000
# members for issue 14), a staff account signed in with curl, then each page fetched RUNS times one after another and
# timed with curl's time_total (request sent to last byte received, on loopback: the server's time through the router,
# the store, the template and the HTTP response, plus a loopback round trip). Pages:
#   - the overview (`/console/?period=365`, and the default 30 days);
#   - member search by customer id (`/console/members?q=C…`, a random generated customer each time);
#   - the member page of the member found (`/console/members/ID`);
#   - the member page of the member with 10,000 ledger entries (`bench-heavy`), newest page.
# Usage: Benchmarks/console/pages.sh DATABASE [RUNS] [PATRON_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
database=${1:?usage: pages.sh DATABASE [RUNS] [PATRON_BINARY]}
runs=${2:-30}
patron=${3:-.build/release/patron}
[ -x "$patron" ] || { echo "$patron is not built (swift build -c release)"; exit 1; }
[ -f "$database" ] || { echo "$database does not exist: make it with patron bench console --database $database"; exit 1; }
work=$(mktemp -d /tmp/patron-console-pages.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export USER=${USER:-bench}
export PATRON_MEMBER_LINK_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

members=$(sqlite3 "$database" "SELECT count(*) FROM members")
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
username="bench-$(date +%s)"
echo "$password" | "$patron" users create "$username" --role owner --password-stdin --actor bench --database "$database" >/dev/null

"$patron" serve --database "$database" --port 0 --no-jobs --log-level warning > "$work/serve.txt" &
server=$!
for _ in $(seq 1 300); do grep -q 'http://' "$work/serve.txt" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[^ ]*' "$work/serve.txt" | head -1 | sed 's:/*$::')
[ -n "$base" ] || { echo "patron serve did not start"; exit 1; }

jar="$work/cookies.txt"
csrf=$(curl -sS -c "$jar" -b "$jar" "$base/console/sign-in" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "next=/console/" \
  --data-urlencode "username=$username" --data-urlencode "password=$password" "$base/console/sign-in")
[ "$status" = 303 ] || { echo "sign-in answered $status"; exit 1; }

# time PATH: fetches PATH once, checks it answered 200, prints curl's time_total in ms.
time_page() {
  local out
  out=$(curl -sS -o "$work/page.html" -w '%{http_code} %{time_total}' -b "$jar" "$base$1")
  [ "${out%% *}" = 200 ] || { echo "GET $1 answered ${out%% *}" >&2; exit 1; }
  python3 -c "print(f'{${out##* } * 1000:.2f}')"
}

# Warm up each page once (templates, statements, the program cache, the OS page cache), then time them.
time_page "/console/?period=365" >/dev/null
time_page "/console/members?q=C1" >/dev/null
heavy=$(curl -sS -b "$jar" "$base/console/members?q=bench-heavy" | grep -o 'href="/console/members/[0-9]*"' | head -1 | grep -o '[0-9]*' || true)
: > "$work/overview365"; : > "$work/overview30"; : > "$work/search"; : > "$work/member"; : > "$work/heavy"
for _ in $(seq 1 "$runs"); do
  time_page "/console/?period=365" >> "$work/overview365"
  time_page "/console/" >> "$work/overview30"
  customer="C$((RANDOM * 32768 + RANDOM))"
  customer="C$(( ${customer#C} % (members > 1 ? members - 1 : 1) ))"
  time_page "/console/members?q=$customer" >> "$work/search"
  id=$(grep -o 'href="/console/members/[0-9]*"' "$work/page.html" | head -1 | grep -o '[0-9]*' || true)
  [ -n "$id" ] && time_page "/console/members/$id" >> "$work/member"
  [ -n "$heavy" ] && time_page "/console/members/$heavy" >> "$work/heavy"
done

echo "patron serve on $database ($members members), $runs runs each, curl time_total on loopback"
python3 - "$work" <<'PY'
import statistics, sys, os
work = sys.argv[1]
rows = [("overview, last 365 days (/console/?period=365)", "overview365"), ("overview, last 30 days (/console/)", "overview30"),
        ("member search by customer id", "search"), ("member page, random member", "member"),
        ("member page, 10,000 ledger entries", "heavy")]
print(f"{'page':<48} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
for label, name in rows:
    values = sorted(float(line) for line in open(os.path.join(work, name)) if line.strip())
    if not values:
        print(f"{label:<48} {0:>4} {'-':>10} {'-':>8} {'-':>8}")
        continue
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(f"{label:<48} {len(values):>4} {statistics.median(values):>10.1f} {p95:>8.1f} {values[-1]:>8.1f}")
PY
