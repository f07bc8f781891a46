#!/usr/bin/env python3
"""A soak: a mixed workload at a steady rate for minutes, watching whether `patron serve` leaks (issue 19,
docs/reliability.md).

    scripts/faults/soak.py [--patron .build/release/patron] [--minutes 10] [--rate 500] [--clients 32] [--database postgres://…]

The workload, drawn at random per request: 50 % new orders, 20 % member reads, 15 % checkout quotes, 10 % manual
adjustments (admin, with an Idempotency-Key), 5 % redemptions (a refusal for too few points counts as answered).
Clients pace themselves to `--rate` requests a second in all (set it to half the measured maximum). Every 30 s the
script samples the server's resident memory and open file descriptors from /proc and the p99 latency of that
window, prints a row, and at the end compares the first full minute with the last: the run fails if memory grew by
more than 25 %, descriptors by more than 20, p99 tripled, or any request was answered 5xx.

With `--sqlite-memory` the server starts with SQLite's memory statistics on (`PATRON_SQLITE_MEMORY_STATISTICS=1`,
which costs some speed) and each row also shows what SQLite holds (`patron_sqlite_memory_bytes` from `/metrics`: its
page caches, bounded by `cache_size` per connection, and statements) and the rest of the resident memory; the memory
rule then applies to the rest, and SQLite's own part is reported beside it.
"""
import argparse
import asyncio
import os
import random
import sys
import time
import urllib.request

from faultload import ROOT, Shop, event, ready, request

REWARDS = """rewards:
  - { id: teacup, name: Teacup, kind: gift, cost: 2500, stock: 1000000 }
"""


def sample(pid):
    """(resident memory in MB, open file descriptors) of a process, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def sqlite_megabytes(shop):
    """What SQLite holds in the server, in MB, from /metrics; None when it does not count it."""
    asked = urllib.request.Request(f"http://127.0.0.1:{shop.port}/metrics",
                                   headers={"Authorization": f"Bearer {shop.secret}"})
    with urllib.request.urlopen(asked, timeout=10) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith("patron_sqlite_memory_bytes "):
                return int(line.split()[1]) / 1024 / 1024
    return None


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else 0.0


class Soak:
    def __init__(self, shop, rate, clients):
        self.shop, self.rate, self.clients = shop, rate, clients
        self.latencies = []          # seconds, of the current window
        self.counts = {}             # (kind, status) -> n
        self.next_order = 0
        self.running = True

    def pick(self):
        """One request of the mix: (kind, method, path, body, headers)."""
        roll = random.random()
        customer = f"customer:f{random.randrange(500)}"
        if roll < 0.50:
            self.next_order += 1
            return "order", "POST", "/v1/orders/events", event(self.next_order), {}
        if roll < 0.70:
            return "read", "GET", f"/v1/members/{customer}", None, {}
        if roll < 0.85:
            cart = {"cart": {"lines": [{"sku": "A", "quantity": 1 + random.randrange(3), "unitPrice": 1500}]}}
            return "quote", "POST", f"/v1/members/{customer}/quote", cart, {}
        if roll < 0.95:
            key = f"soak-{random.getrandbits(64)}"
            return "adjust", "POST", f"/v1/members/{customer}/adjustments", {"points": 5, "reason": "soak"}, {"Idempotency-Key": key}
        key = f"soak-{random.getrandbits(64)}"
        return "redeem", "POST", "/v1/redemptions", {"member": customer, "reward": "teacup"}, {"Idempotency-Key": key}

    async def client(self):
        connection = await asyncio.open_connection("127.0.0.1", self.shop.port)
        interval = self.clients / self.rate
        due = time.monotonic() + random.uniform(0, interval)
        while self.running:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            due += interval
            kind, method, path, body, headers = self.pick()
            started = time.monotonic()
            status, _ = await request(connection, method, path, self.shop.secret, body, headers)
            self.latencies.append(time.monotonic() - started)
            self.counts[(kind, status)] = self.counts.get((kind, status), 0) + 1
        connection[1].close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patron", default=os.path.join(ROOT, ".build/release/patron"))
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=500, help="requests a second in all")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--database", help="a postgres:// URL (a fresh schema is made in it); default: a SQLite file")
    parser.add_argument("--sqlite-memory", action="store_true",
                        help="turn SQLite's memory statistics on and report its part of the memory")
    options = parser.parse_args()
    if options.sqlite_memory:
        os.environ["PATRON_SQLITE_MEMORY_STATISTICS"] = "1"  # the server inherits the environment
    random.seed(7)

    shop = Shop(options.patron, options.database, program_suffix=REWARDS)
    shop.start()
    await ready(shop)
    # 500 members with points enough for some redemptions.
    connection = await asyncio.open_connection("127.0.0.1", shop.port)
    for index in range(500):
        await request(connection, "POST", "/v1/orders/events", shop.secret, event(-index - 1))
        await request(connection, "POST", f"/v1/members/customer:f{(-index - 1) % 500}/adjustments", shop.secret,
                      {"points": 10_000, "reason": "soak seed"}, {"Idempotency-Key": f"seed-{index}"})
    connection[1].close()

    soak = Soak(shop, options.rate, options.clients)
    print(f"soak: {options.minutes:g} min at {options.rate:g} requests/s from {options.clients} clients")
    print(f"{'minute':>6}  {'requests':>8}  {'p99 ms':>7}  {'RSS MB':>7}  {'fds':>4}"
          + (f"  {'SQLite MB':>9}  {'rest MB':>7}" if options.sqlite_memory else ""))
    clients = [asyncio.create_task(soak.client()) for _ in range(options.clients)]
    rows = []
    started = time.monotonic()
    while time.monotonic() - started < options.minutes * 60:
        await asyncio.sleep(30)
        window, soak.latencies = soak.latencies, []
        rss, fds = sample(shop.server.pid)
        sqlite = await asyncio.to_thread(sqlite_megabytes, shop) if options.sqlite_memory else None
        rows.append((time.monotonic() - started, len(window), p99(window), rss, fds, sqlite))
        print(f"{rows[-1][0] / 60:6.1f}  {len(window):8,}  {rows[-1][2]:7.1f}  {rss:7.1f}  {fds:4d}"
              + (f"  {sqlite:9.1f}  {rss - sqlite:7.1f}" if sqlite is not None else ""), flush=True)
    soak.running = False
    await asyncio.gather(*clients)
    shop.stop()

    answered = sum(soak.counts.values())
    errors = {k: n for k, n in soak.counts.items() if k[1] >= 500}
    by_kind = {}
    for (kind, status), n in sorted(soak.counts.items()):
        by_kind.setdefault(kind, []).append(f"{status}: {n:,}")
    print(f"answered {answered:,} requests ({answered / (rows[-1][0]):,.0f}/s): "
          + "; ".join(f"{kind} {', '.join(parts)}" for kind, parts in by_kind.items()))
    first = rows[1] if len(rows) > 2 else rows[0]  # the first full minute, after warming up
    last = rows[-1]
    print(f"from minute {first[0] / 60:.1f} to {last[0] / 60:.1f}: RSS {first[3]:.1f} → {last[3]:.1f} MB, "
          f"descriptors {first[4]} → {last[4]}, p99 {first[2]:.1f} → {last[2]:.1f} ms")
    # With SQLite's part known, the rule is on the rest: SQLite's page caches grow with the file up to their bound.
    watched, what = (first[3], last[3]), "memory"
    if first[5] is not None and last[5] is not None:
        watched, what = (first[3] - first[5], last[3] - last[5]), "memory besides SQLite's"
        print(f"SQLite holds {first[5]:.1f} → {last[5]:.1f} MB; the rest {watched[0]:.1f} → {watched[1]:.1f} MB")
    failures = []
    if errors:
        failures.append(f"5xx answers: {errors}")
    if watched[1] > watched[0] * 1.25:
        failures.append(f"{what} grew {watched[1] / watched[0] * 100 - 100:.0f} %")
    if last[4] > first[4] + 20:
        failures.append(f"{last[4] - first[4]} more open descriptors")
    if first[2] > 0 and last[2] > first[2] * 3:
        failures.append(f"p99 went from {first[2]:.1f} to {last[2]:.1f} ms")
    check = shop.run("check")
    shop.remove()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print(f"steady: nothing grew beyond the limits; patron check: {check.strip() or 'clean'}")


if __name__ == "__main__":
    asyncio.run(main())
