#!/usr/bin/env python3
"""SIGKILL the message deliverer again and again while it sends e-mails to a loopback SMTP sink, then prove that the
sink holds every message and count the ones it holds twice (issue 16, docs/messages.md "Crash test").

    scripts/faults/kill-messages.py [--patron .build/release/patron] [--messages 10000] [--kills 3]
                                    [--connections 1] [--database postgres://…]

The shop is fresh (a SQLite file in a temporary folder, or a new schema of the `--database` PostgreSQL URL), with the
welcome message triggered on e-mail. `--messages` members are enrolled through the API (`POST /v1/members`, each with
an e-mail address), which queues one welcome e-mail each in the enrolment's transaction. Then the deliverer,
`patron messages deliver` (the same `MessageDeliverer` that `patron serve` runs in its loop), sends them to
Tests/PatronServicesTests/Messages/smtp_sink.py, which writes every message it accepts to a file before it answers
250. The deliverer is killed with SIGKILL `--kills` times, each time after the sink has received a further share of
the messages (at a random point within that share), and started again. The last run is given a clock 10 minutes
ahead (`--now`) so that the leases the killed processes held have ended, as they would have in 5 minutes.

Afterwards:
  * every message's Message-ID (`<welcome.MEMBER.enrolled.email@shop.example>`) is in the sink, none missing;
  * every message is `sent` in the database;
  * a Message-ID the sink holds twice is a message the sink accepted before the deliverer committed that it was sent:
    the window is one SMTP reply plus one commit, so each kill can leave at most one per deliverer
    (`--connections`, default 1); more is a failure.
The script prints the figures and exits non-zero on any violation.
"""
import argparse
import asyncio
import datetime
import glob
import os
import random
import re
import subprocess
import sys
import tempfile
import time

from faultload import ROOT, Shop, ready, request

SINK = os.path.join(ROOT, "Tests/PatronServicesTests/Messages/smtp_sink.py")


async def enroll(shop, count, clients=32):
    """Enrolls members m0 … m{count-1} with e-mail addresses through the API; returns their ids."""
    ids = {}
    queue = list(range(count))

    async def client():
        connection = await asyncio.open_connection("127.0.0.1", shop.port)
        while queue:
            index = queue.pop()
            body = {"identities": [{"kind": "customer", "value": f"m{index}"}, {"kind": "email", "value": f"m{index}@example.com"}],
                    "profile": {"name": f"Member {index}"}}
            status, answer = await request(connection, "POST", "/v1/members", shop.secret, body,
                                           {"Idempotency-Key": f"enroll-m{index}"})
            if status not in (200, 201):
                sys.exit(f"enrolling m{index}: {status} {answer}")
            ids[index] = answer["id"]
        connection[1].close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return ids


def received(out):
    """Message-IDs of the messages the sink wrote, in the order it accepted them."""
    found = []
    for path in sorted(glob.glob(os.path.join(out, "*.eml")), key=lambda p: int(os.path.basename(p)[:-4])):
        with open(path, encoding="utf-8", errors="replace") as message:
            for line in message:
                if line.lower().startswith("message-id:"):
                    found.append(line.split(":", 1)[1].strip())
                    break
                if line in ("\r\n", "\n"):
                    break
    return found


def count_files(out):
    return len(glob.glob(os.path.join(out, "*.eml")))


def statuses(shop):
    """Message count by status, as the database holds them."""
    sql = "SELECT status, count(*) FROM messages GROUP BY status ORDER BY status"
    if shop.postgres is None:
        import sqlite3
        db = sqlite3.connect(shop.database)
        try:
            return dict(db.execute(sql).fetchall())
        finally:
            db.close()
    url, schema = shop.postgres
    out = subprocess.run(["psql", url, "-tAF", "\t", "-c", f"SET search_path TO {schema}; {sql}"], capture_output=True,
                         text=True, check=True).stdout
    return {status: int(n) for status, n in (line.split("\t") for line in out.splitlines() if "\t" in line)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patron", default=os.path.join(ROOT, ".build/release/patron"))
    parser.add_argument("--database", help="a postgres:// URL (a fresh schema is made in it); default: a SQLite file")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--connections", type=int, default=1, help="deliverers at work at once (patron messages deliver --connections)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the shop's database and the sink's folder afterwards")
    options = parser.parse_args()
    random.seed(options.seed)

    shop = Shop(options.patron, options.database)
    print(f"{'PostgreSQL' if shop.postgres else 'SQLite'}: {options.messages} e-mails, {options.kills} SIGKILLs of "
          f"patron messages deliver --connections {options.connections}")
    shop.run("messages", "trigger", "welcome", "--channel", "email")
    shop.start()
    asyncio.run(ready(shop))
    started = time.monotonic()
    ids = asyncio.run(enroll(shop, options.messages))
    shop.stop()
    print(f"enrolled {len(ids)} members in {time.monotonic() - started:.1f} s; queued: {statuses(shop)}")

    out = tempfile.mkdtemp(prefix="patron-sink-")
    sink = subprocess.Popen([sys.executable, SINK, out], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(sink.stdout.readline())
    environment = dict(os.environ, PATRON_MESSAGE_TEMPLATES=os.path.join(ROOT, "examples/messages"), PATRON_SMTP_HOST="127.0.0.1",
                       PATRON_SMTP_PORT=str(port), PATRON_SMTP_SECURITY="none", PATRON_SMTP_FROM="loyalty@shop.example",
                       PATRON_MESSAGE_RATE_EMAIL="0")
    log = open(os.path.join(shop.folder, "deliver.log"), "a")

    def deliverer(now=None):
        command = [options.patron, "messages", "deliver", "--database", shop.database, "--connections", str(options.connections)]
        if now:
            command += ["--now", now]
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)

    kills = []
    started = time.monotonic()
    for round_ in range(options.kills):
        # Kill within the next share of the messages, at a random point in it.
        share = options.messages / (options.kills + 1)
        target = max(int(share * round_ + share * random.uniform(0.3, 1.0)), count_files(out) + 20)
        process = deliverer()
        while not os.path.exists(os.path.join(out, f"{target}.eml")):
            if process.poll() is not None:
                sys.exit(f"the deliverer exited ({process.returncode}) before the kill at {target}; see {log.name}")
            time.sleep(0.005)
        process.kill()  # SIGKILL
        process.wait()
        kills.append(count_files(out))
    # The leases of what the killed processes claimed last 5 minutes: the last run looks 10 minutes ahead.
    ahead = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    process = deliverer(ahead)
    if process.wait() != 0:
        sys.exit(f"the last delivery failed ({process.returncode}); see {log.name}")
    elapsed = time.monotonic() - started
    sink.stdin.close()
    sink.wait()

    expected = {f"<welcome.{member}.enrolled.email@shop.example>" for member in ids.values()}
    found = received(out)
    unique = set(found)
    missing = expected - unique
    unexpected = unique - expected
    duplicates = len(found) - len(unique)
    final = statuses(shop)
    print(f"killed after {', '.join(map(str, kills))} messages received; delivered in {elapsed:.1f} s in all")
    print(f"sink: {len(found)} messages, {len(unique)} Message-IDs, {duplicates} received twice; "
          f"missing {len(missing)}, unexpected {len(unexpected)}; database: {final}")
    problems = []
    if missing:
        problems.append(f"{len(missing)} Message-IDs never arrived, e.g. {sorted(missing)[:3]}")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected Message-IDs, e.g. {sorted(unexpected)[:3]}")
    if duplicates > options.kills * options.connections:
        problems.append(f"{duplicates} duplicates after {options.kills} kills of {options.connections} deliverers: more than one per kill and deliverer")
    if final != {"sent": len(ids)}:
        problems.append(f"the database's statuses are {final}, not {len(ids)} sent")
    if not options.keep:
        shop.remove()
        subprocess.run(["rm", "-rf", out])
    else:
        print(f"kept: {shop.database}, {out}")
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))
    print("ok")


if __name__ == "__main__":
    main()
