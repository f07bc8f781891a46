#!/usr/bin/env bash
# Sourced by the member-zone benchmarks: `member_zone_shop PATRON FOLDER` builds FOLDER/zone.sqlite, the shop they
# serve — gold-club with two rewards, and one member (customer Z1, "Zoe Zone") with twelve orders over the year before
# now (the last ones still pending), the level they earn and a coupon — and exports the member-link secret.
member_zone_shop() {
  local patron=$1 folder=$2
  export PATRON_MEMBER_LINK_SECRET=${PATRON_MEMBER_LINK_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export USER=${USER:-bench}
  local db="$folder/zone.sqlite"
  cat examples/programs/gold-club.yaml - > "$folder/programme.yaml" <<'YAML'

rewards:
  - { id: coupon-5, name: "Five off", kind: coupon, cost: 500, coupon: { value: "5.00", validDays: 30 } }
  - { id: mug, name: Northwind mug, kind: gift, cost: 800, stock: 100 }
YAML
  "$patron" program load "$folder/programme.yaml" --database "$db" >/dev/null
  "$patron" member enroll --customer Z1 --name "Zoe Zone" --consent email=true --database "$db" >/dev/null
  local month day done_day
  {
    for month in $(seq 1 12); do
      day=$(date -u -d "-$((13 - month)) months" +%Y-%m-%dT10:00:00Z)
      done_day=$(date -u -d "-$((13 - month)) months + 2 days" +%Y-%m-%dT10:00:00Z)
      echo "{\"id\":\"p$month\",\"kind\":\"placed\",\"orderId\":\"Z-$month\",\"occurredAt\":\"$day\",\"order\":{\"id\":\"Z-$month\",\"member\":{\"kind\":\"customer\",\"value\":\"Z1\"},\"lines\":[{\"sku\":\"TEA\",\"quantity\":2,\"unitPrice\":4500}]}}"
      echo "{\"id\":\"c$month\",\"kind\":\"completed\",\"orderId\":\"Z-$month\",\"occurredAt\":\"$done_day\"}"
    done
  } > "$folder/orders.jsonl"
  "$patron" import orders "$folder/orders.jsonl" --database "$db" >/dev/null
  "$patron" jobs run --database "$db" >/dev/null
  "$patron" redeem customer:Z1 coupon-5 --database "$db" >/dev/null
}

# `member_zone_cookie PATRON DATABASE BASE_URL` signs Z1 in through a signed link and prints the session cookie.
member_zone_cookie() {
  local link cookie
  link=$("$1" member link customer:Z1 --minutes 5 --base-url "$3" --database "$2")
  cookie=$(curl -sS -o /dev/null -D - "$link" | awk 'tolower($1) == "set-cookie:" && $2 ~ /^patron_member=/ {sub(/;.*/, "", $2); print $2}')
  [ -n "$cookie" ] || { echo "the sign-in link did not start a member session" >&2; return 1; }
  echo "$cookie"
}
