#!/usr/bin/env python3
"""Sends COUNT requests one after another on one keep-alive connection and fails on any answer that is not 2xx (the
instruction counts are of requests that did their work). Used by Benchmarks/api/instructions.sh.

    drive.py BASE_URL KEY COUNT route METHOD PATH SPREAD [BODY]   {n} in PATH becomes 0…SPREAD-1 in turn
    drive.py BASE_URL KEY COUNT events PREFIX                     a new one-line order a request (customers c0…c999)
    drive.py BASE_URL KEY COUNT batch PREFIX SIZE                  SIZE such orders a request, to the batch endpoint
"""
import http.client
import json
import sys
from urllib.parse import urlparse


def order(id_, customer):
    return {"id": "e" + id_, "kind": "placed", "orderId": "O" + id_,
            "order": {"id": "O" + id_, "member": {"kind": "customer", "value": customer},
                      "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1500}]}}


def main():
    base, key, count, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    for i in range(count):
        if kind == "route":
            method, path, spread = sys.argv[5], sys.argv[6], int(sys.argv[7])
            body = sys.argv[8] if len(sys.argv) > 8 and sys.argv[8] else None
            target = path.replace("{n}", str(i % spread))
        elif kind == "events":
            method, target = "POST", "/v1/orders/events"
            body = json.dumps(order(f"{sys.argv[5]}-{i}", f"c{i % 1000}"))
        elif kind == "batch":
            size = int(sys.argv[6])
            method, target = "POST", "/v1/orders/events/batch"
            body = json.dumps({"events": [order(f"{sys.argv[5]}-{i}-{j}", f"c{(i * size + j) % 1000}") for j in range(size)]})
        else:
            sys.exit(f"drive.py: unknown kind {kind}")
        connection.request(method, target, body, headers if body else {"Authorization": headers["Authorization"]})
        response = connection.getresponse()
        answer = response.read()
        if not 200 <= response.status < 300:
            sys.exit(f"drive.py: {method} {target} answered {response.status}: {answer[:300]!r}")
        if kind == "batch" and any(r["status"] != 200 for r in json.loads(answer)["results"]):
            sys.exit(f"drive.py: a batch had failed events: {answer[:300]!r}")


if __name__ == "__main__":
    main()
