#!/usr/bin/env python3
"""Seeds a running `patron serve` for the API benchmarks through POST /v1/orders/events/batch: customers c0…c999 (or
c0… up to CUSTOMERS) get ORDERS_EACH placed orders each (member reads and quotes), s0…s99 get 60 each (statements of
50 entries).

    seed.py BASE_URL KEY [ORDERS_EACH] [CUSTOMERS]
"""
import http.client
import json
import sys
from urllib.parse import urlparse


def events(prefix, customers, each):
    for round_ in range(each):
        for n in range(customers):
            id_ = f"{prefix}{n}-{round_}"
            yield {"id": "seed-" + id_, "kind": "placed", "orderId": "S" + id_,
                   "order": {"id": "S" + id_, "member": {"kind": "customer", "value": f"{prefix}{n}"},
                             "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1500}]}}


def main():
    base, key = sys.argv[1], sys.argv[2]
    each = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    customers = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    pending, sent = [], 0

    def flush():
        nonlocal pending, sent
        if not pending:
            return
        connection.request("POST", "/v1/orders/events/batch", json.dumps({"events": pending}), headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"seed: batch answered {response.status}: {body[:300]!r}")
        failed = [r for r in json.loads(body)["results"] if r["status"] != 200]
        if failed:
            sys.exit(f"seed: {len(failed)} events failed, first: {failed[0]}")
        sent += len(pending)
        pending = []

    for source in (events("c", customers, each), events("s", 100, 60)):
        for event in source:
            pending.append(event)
            if len(pending) == 1000:
                flush()
    flush()
    print(f"seeded {sent} order events")


if __name__ == "__main__":
    main()
