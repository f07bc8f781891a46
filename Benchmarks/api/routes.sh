# The hot paths the API benchmarks drive, sourced by run.sh and instructions.sh: one line each,
# NAME|METHOD|PATH|SPREAD|BODY, where {n} in PATH becomes 0…SPREAD-1 in turn (customers c0…c999 and s0…s99 are seeded
# by seed.py; s-customers have 60 entries, so a statement holds the default 50).
cart='{"lines":[{"sku":"BEANS","category":"coffee","quantity":2,"unitPrice":2000},{"sku":"MUG","quantity":1,"unitPrice":900}],"shipping":700}'
read_routes=(
  "health|GET|/health|1|"
  "member|GET|/v1/members/customer:c{n}|1000|"
  "quote|POST|/v1/members/customer:c{n}/quote|1000|{\"cart\":$cart}"
  "statement|GET|/v1/members/customer:s{n}/statement|100|"
  "simulate|POST|/v1/simulate/order|1|{\"cart\":$cart,\"level\":\"Gold\"}"
  "rewards|GET|/v1/rewards|1|"
)

# The benchmark's program: the gold-club example with a small catalogue, so that the rewards list has something to list.
write_program() {
  cat examples/programs/gold-club.yaml - > "$1" <<'YAML'

rewards:
  - { id: coupon-5, name: 5 dollars off, kind: coupon, cost: 500, coupon: { value: "5.00", minimumSpend: "20.00", validDays: 30 } }
  - { id: mug, name: Mug, kind: gift, cost: 1000, stock: 100 }
  - { id: tasting, name: Tasting evening, kind: event, cost: 3000, stock: 20, levels: [Gold, Diamond] }
  - { id: beans-half, name: Beans for half, kind: pointsAndCash, cost: 800, cash: "10.00" }
YAML
}

# What the scripts that start a server share, through their own $work, $patron and $server: a database $db with the
# benchmark's program and a storefront key in PATRON_KEY (named $1), and a cleanup that stops the server and removes
# $work.
new_database() {
  db="$work/api.sqlite"
  write_program "$work/program.yaml"
  "$patron" program load "$work/program.yaml" --database "$db" >/dev/null
  PATRON_KEY=$("$patron" keys create --scope storefront --name "$1" --actor Benchmarks/api --database "$db" | grep '^pk_')
  export PATRON_KEY
}
cleanup() {
  if [ -n "${server:-}" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
