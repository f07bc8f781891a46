#!/usr/bin/env python3
"""Fill the disk under a SQLite shop while clients pour order events into `patron serve`, then give the space back
(issue 19, docs/reliability.md).

    sudo scripts/faults/disk-full.py [--patron .build/release/patron] [--megabytes 6] [--clients 64]

The shop's SQLite file lives on a tmpfs of `--megabytes` (mounted here, so the script needs root). Clients send
placed-order events until the file system is full; from then on every write must be answered 503 `unavailable`
quickly (never 500, never a hang) while reads still answer. Then the tmpfs grows to 64 MB without stopping anything,
and writing must resume by itself. Afterwards every acknowledged event is in the database exactly once and the ledger
checks out (`faultload.verify`).
"""
import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time

from faultload import Load, Shop, median, probe, ready, request, verify


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patron", default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), ".build/release/patron"))
    parser.add_argument("--megabytes", type=int, default=6)
    parser.add_argument("--clients", type=int, default=64)
    options = parser.parse_args()
    if os.geteuid() != 0:
        print("disk-full.py mounts a small tmpfs: run it as root; not run")
        sys.exit(77)

    mount = tempfile.mkdtemp(prefix="patron-full-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={options.megabytes}m", "tmpfs", mount],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(mount)
        print(f"disk-full.py: cannot mount a tmpfs here ({mounted.stderr.strip()}); not run")
        sys.exit(77)  # "skipped", as automake's test drivers say
    shop = Shop(options.patron, sqlite_folder=mount)
    try:
        load = Load(shop, options.clients)
        print(f"SQLite on a {options.megabytes} MB tmpfs, {options.clients} clients")
        shop.start()
        await ready(shop)
        started = time.monotonic()
        async with load.sending():
            await load.until(lambda: len(load.unavailable) >= 200, timeout=600)
            full_at = len(load.acknowledged)
            print(f"  the disk is full after {full_at:,} acknowledged events "
                  f"({os.path.getsize(shop.database) / 1e6:.1f} MB file): writes answer 503 unavailable")
            # While full, a read still answers.
            connection = await asyncio.open_connection("127.0.0.1", shop.port)
            status, member = await request(connection, "GET", "/v1/members/customer:f1", shop.secret)
            connection[1].close()
            print(f"  a member read while the disk is full: {status}")
            read_failed = status != 200
            await asyncio.sleep(2)
            subprocess.run(["mount", "-o", "remount,size=64m", mount], check=True)
            print("  the tmpfs grew to 64 MB")
            resumed = time.monotonic()
            await load.until(lambda: len(load.acknowledged) > full_at + 500, timeout=120)
            print(f"  writing resumed by itself: 500 more events acknowledged {time.monotonic() - resumed:.2f} s after "
                  "the space came back")
        elapsed = time.monotonic() - started
        shop.stop()
        failures = await verify(shop, load, elapsed)
        quick = load.unavailable
        print(f"while full: {len(quick):,} writes answered 503 unavailable, median {median(quick) * 1000:.0f} ms, "
              f"longest {max(quick) * 1000:.0f} ms")
        if read_failed:
            failures.append(f"a member read answered {status} while the disk was full")
        shop.remove()
    finally:
        shop.stop()  # before unmounting: a failed run's server still has its database open there
        subprocess.run(["umount", mount])
        os.rmdir(mount)
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("every acknowledged event is there exactly once; the server never stopped")


if __name__ == "__main__":
    asyncio.run(main())
