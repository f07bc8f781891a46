#!/usr/bin/env python3
"""SIGKILL `patron serve` again and again while clients pour order events into it, then prove nothing acknowledged was
lost or applied twice (issue 19, docs/reliability.md).

    scripts/faults/kill-serve.py [--patron .build/release/patron] [--database postgres://…] [--kills 20] [--clients 256]

The shop is fresh: a SQLite file in a temporary folder, or, with `--database postgres://…`, a new schema in that
database. `--clients` storefront clients each keep one connection and send placed-order events (one order each, for
500 customers) one after another. A client whose request fails — connection refused or reset, no answer, 5xx — sends
the same event again once the server is back, as a shop's site retries; so every event is eventually acknowledged.
The server is killed with SIGKILL at a random moment 0.5–2.5 s after it is up, `--kills` times, and started again
on the same port. With `--restart-postgres "COMMAND"` the script instead restarts PostgreSQL with COMMAND (e.g.
`pg_ctl -D … restart -m immediate`) under load and keeps the same server process, checking that `/ready` answers 503
while the database is gone and that the server reconnects by itself.

Afterwards, on one more server:
  * every acknowledged event sent again is answered 200 with "replayed": true (its first outcome is on record);
  * the database holds exactly one order per acknowledged event and no order earned twice;
  * `patron check` finds the ledger consistent.
The script prints its figures and exits non-zero on any violation.
"""
import argparse
import asyncio
import os
import random
import subprocess
import sys
import time

from faultload import ROOT, Load, Shop, median, probe, ready, verify


async def faults(options, shop, load, outages):
    """Kills the server (or restarts PostgreSQL) `options.kills` times under load, appending each outage's length to
    `outages`; returns how often `/ready` answered 503 while PostgreSQL was down."""
    not_ready_seen = 0
    for round_ in range(options.kills):
        await asyncio.sleep(random.uniform(0.5, 2.5))
        before = len(load.acknowledged)
        down = time.monotonic()
        if options.restart_postgres:
            restart = await asyncio.create_subprocess_shell(options.restart_postgres, stdout=subprocess.PIPE,
                                                            stderr=subprocess.STDOUT)
            # While PostgreSQL is down the server must say it is not ready.
            while restart.returncode is None:
                status = await probe(shop, "/ready")
                if status == 503:
                    not_ready_seen += 1
                try:
                    await asyncio.wait_for(restart.wait(), 0.05)
                except asyncio.TimeoutError:
                    pass
            if restart.returncode != 0:
                said = (await restart.stdout.read()).decode(errors="replace").strip()
                sys.exit(f"the restart command failed (exit {restart.returncode}): {options.restart_postgres}\n{said}")
            if shop.server.poll() is not None:
                sys.exit("patron serve exited while PostgreSQL restarted: it must reconnect by itself")
        else:
            shop.kill()
            shop.start()
        await ready(shop)
        await load.until(lambda: len(load.acknowledged) > before + 50)
        outages.append(time.monotonic() - down)
        print(f"  {round_ + 1:2d}: {len(load.acknowledged):,} acknowledged, back and answering after "
              f"{outages[-1]:.2f} s", flush=True)
    return not_ready_seen


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patron", default=os.path.join(ROOT, ".build/release/patron"))
    parser.add_argument("--database", help="a postgres:// URL (a fresh schema is made in it); default: a SQLite file")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--clients", type=int, default=256)
    parser.add_argument("--restart-postgres", metavar="COMMAND",
                        help="restart PostgreSQL with this shell command under load instead of killing the server")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the shop's database afterwards")
    options = parser.parse_args()
    random.seed(options.seed)

    shop = Shop(options.patron, options.database)
    load = Load(shop, options.clients)
    what = "PostgreSQL restarts" if options.restart_postgres else "SIGKILLs of patron serve"
    print(f"{'PostgreSQL' if shop.postgres else 'SQLite'}: {options.kills} {what}, {options.clients} clients")
    shop.start()
    try:
        await ready(shop)
        started = time.monotonic()
        outages = []
        async with load.sending():
            not_ready_seen = await faults(options, shop, load, outages)
        elapsed = time.monotonic() - started
        shop.stop()

        failures = await verify(shop, load, elapsed)
        print(f"outage per fault: median {median(outages):.2f} s, longest {max(outages):.2f} s")
        if options.restart_postgres:
            quick = load.unavailable
            print(f"/ready answered 503 {not_ready_seen} times while PostgreSQL was down; "
                  + (f"{len(quick)} requests answered 503, median {median(quick) * 1000:.0f} ms, "
                     f"longest {max(quick) * 1000:.0f} ms" if quick else "no request was answered 503"))
        if options.restart_postgres and not_ready_seen == 0:
            failures.append("/ready never answered 503 while PostgreSQL was down")
        if not options.keep:
            shop.remove()
        if failures:
            sys.exit("FAILED: " + "; ".join(failures))
        print("every acknowledged event is there exactly once")
    finally:
        shop.stop()  # a no-op when it has stopped; a failed run must not leave its server behind


if __name__ == "__main__":
    asyncio.run(main())
