#!/usr/bin/env python3
"""Delivery of e-mails to a loopback SMTP sink: Patron's deliverer beside a minimal client loop, same sink, same
messages, same run (issue 16, docs/benchmarks.md).

    Benchmarks/messages/delivery.py [--patron .build/release/patron] [--messages 5000] [--connections 1,8]
                                    [--database postgres://…]

A fresh shop (scripts/faults' `Shop`: a SQLite file, or a schema of the PostgreSQL URL) enrols `--messages` members
with e-mail addresses through the API, which queues one welcome e-mail each. Then:

  * patron: `patron messages deliver --connections N` sends them all to Tests/PatronServicesTests/Messages/smtp_sink.py,
    unpaced (PATRON_MESSAGE_RATE_EMAIL=0): each of the N deliverers, for each message, reads the member, renders the
    three parts, sends over its own reused SMTP connection and commits the outcome durably before its next (the N
    deliverers' commits share group commits). Timed from the process's start to its end; a fresh shop for each N.
  * peer: Python's smtplib sends the very messages the sink received from Patron (the same bytes) to a second sink of
    the same script, one after another over one connection, with no database. Timed around the loop.

Prints both rates and `uptime`'s load average.
"""
import argparse
import asyncio
import glob
import importlib.util
import os
import smtplib
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts/faults"))
from faultload import Shop, ready  # noqa: E402

spec = importlib.util.spec_from_file_location("kill_messages", os.path.join(ROOT, "scripts/faults/kill-messages.py"))
kill_messages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kill_messages)

SINK = os.path.join(ROOT, "Tests/PatronServicesTests/Messages/smtp_sink.py")


def start_sink():
    out = tempfile.mkdtemp(prefix="patron-bench-sink-")
    sink = subprocess.Popen([sys.executable, SINK, out], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return sink, int(sink.stdout.readline()), out


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patron", default=os.path.join(ROOT, ".build/release/patron"))
    parser.add_argument("--database", help="a postgres:// URL (a fresh schema is made in it); default: a SQLite file")
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--connections", default="1,8", help="the --connections values measured, comma-separated")
    options = parser.parse_args()

    before = load()
    runs = []
    files = None
    for connections in [int(n) for n in options.connections.split(",")]:
        shop = Shop(options.patron, options.database)
        shop.run("messages", "trigger", "welcome", "--channel", "email")
        shop.start()
        asyncio.run(ready(shop))
        asyncio.run(kill_messages.enroll(shop, options.messages))
        shop.stop()
        sink, port, out = start_sink()
        environment = dict(os.environ, PATRON_MESSAGE_TEMPLATES=os.path.join(ROOT, "examples/messages"), PATRON_SMTP_HOST="127.0.0.1",
                           PATRON_SMTP_PORT=str(port), PATRON_SMTP_SECURITY="none", PATRON_SMTP_FROM="loyalty@shop.example",
                           PATRON_MESSAGE_RATE_EMAIL="0")
        started = time.monotonic()
        done = subprocess.run([options.patron, "messages", "deliver", "--database", shop.database, "--connections", str(connections)],
                              cwd=ROOT, env=environment, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            sys.exit(f"patron messages deliver: {done.stderr.strip()}")
        received = sorted(glob.glob(os.path.join(out, "*.eml")), key=lambda p: int(os.path.basename(p)[:-4]))
        if len(received) != options.messages:
            sys.exit(f"the sink holds {len(received)} messages, not {options.messages}: {done.stdout.strip()}")
        runs.append((connections, seconds))
        backend = "PostgreSQL" if shop.postgres else "SQLite"
        shop.remove()
        if files is None:
            files = [(path, open(path, "rb").read()) for path in received]
        sink.stdin.close()
        sink.wait()
        subprocess.run(["rm", "-rf", out])

    # The same messages, as the sink received them (its two envelope lines dropped), sent by smtplib.
    messages = []
    for path, content in files:
        lines = content.split(b"\r\n")
        envelope_to = lines[1].split(b": ", 1)[1].decode()
        messages.append((envelope_to, b"\r\n".join(lines[2:])))
    peer_sink, peer_port, peer_out = start_sink()
    started = time.monotonic()
    client = smtplib.SMTP("127.0.0.1", peer_port)
    client.ehlo("bench.local")
    for recipient, data in messages:
        client.sendmail("loyalty@shop.example", [recipient], data)
    client.quit()
    peer_seconds = time.monotonic() - started
    after = load()
    peer_count = len(glob.glob(os.path.join(peer_out, "*.eml")))
    peer_sink.stdin.close()
    peer_sink.wait()
    subprocess.run(["rm", "-rf", peer_out])

    size = sum(len(data) for _, data in messages) / len(messages)
    peer_rate = peer_count / peer_seconds
    print(f"delivery of {options.messages} e-mails (~{size:.0f} bytes each) to smtp_sink.py on loopback; load average {before} before, {after} after")
    for connections, seconds in runs:
        rate = options.messages / seconds
        print(f"  patron messages deliver --connections {connections} ({backend}, durable outcome per message): "
              f"{rate:7.0f} e-mails/s ({seconds:.2f} s), {rate / peer_rate:.2f}x the peer")
    print(f"  peer: Python smtplib, one connection, no database: {peer_rate:7.0f} e-mails/s ({peer_seconds:.2f} s)")


if __name__ == "__main__":
    main()
