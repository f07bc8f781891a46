#!/usr/bin/env python3
"""Several `patron serve` processes on one PostgreSQL, and what each stage costs per event (issue 19, docs/scaling.md).

    Benchmarks/postgres/processes.py --database postgres://… [--processes 1 2 3] [--seconds 15] [--connections 64]
                                     [--patron .build/release/patron] [--enrolled]

For each count N: a new schema with the gold-club program, N servers (`--no-jobs`) on their own ports, and N wrk
processes sharing the connections, each posting new one-line orders to its own server (Benchmarks/api/order-events.lua)
— a load balancer's round robin, without the balancer. The orders are for 10,000 customers, so in a short window
nearly every one enrols its customer; with --enrolled the customers are enrolled first (an order each through the
batch endpoint, Benchmarks/api/seed.py), so every measured order is a known member's. Over the measured window the CPU time of each stage is read
from /proc: the `patron serve` processes (HTTP and the engine), PostgreSQL's processes (the database), and the rest
of the machine (wrk, mostly). It prints the events acknowledged per second, the worst p99 of the wrk processes, and
the CPU milliseconds each stage spent per 1,000 events; 1,000 divided by a stage's figure is the events per second one
core of that stage carries. `patron check` must pass on every schema afterwards.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts", "faults"))
from faultload import ROOT, Shop, free_port  # noqa: E402 (the shop's set-up the fault scripts use)

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User and system CPU seconds of one process so far (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK


def postgres_pids():
    found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def wait_up(port):
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"the server on port {port} did not start")


def run(options, count):
    shop = Shop(options.patron, options.database)  # a new schema with the gold-club program and a key
    database, key, folder = shop.database, shop.secret, shop.folder
    ports = [free_port() for _ in range(count)]
    servers = [subprocess.Popen([options.patron, "serve", "--database", database, "--port", str(port), "--no-jobs",
                                 "--rate-limit", "100000000", "--burst", "100000000", "--log-level", "warning",
                                 "--drain-seconds", "0"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(folder, "serve.log"), "a")) for port in ports]
    try:
        for port in ports:
            wait_up(port)
        env = dict(os.environ, PATRON_KEY=key)
        if options.enrolled:
            subprocess.run([sys.executable, "Benchmarks/api/seed.py", f"http://127.0.0.1:{ports[0]}", key, "1", "10000"],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        # A short warm-up: every server opens its connections and parses the program before the window.
        warm = [subprocess.Popen(["wrk", "-t1", "-c4", "-d1s", "-s", "Benchmarks/api/order-events.lua",
                                  f"http://127.0.0.1:{port}"], cwd=ROOT, env=dict(env, PATRON_PREFIX=f"w{i}-"),
                                 stdout=subprocess.DEVNULL) for i, port in enumerate(ports)]
        for process in warm:
            process.wait()
        database_pids = postgres_pids()
        before = ([cpu_seconds(s.pid) for s in servers], {pid: cpu_seconds(pid) for pid in database_pids},
                  machine_busy_seconds())
        started = time.monotonic()
        share = max(1, options.connections // count)
        loads = [subprocess.Popen(["wrk", "-t1", f"-c{share}", f"-d{options.seconds}s", "--latency", "-s",
                                   "Benchmarks/api/order-events.lua", f"http://127.0.0.1:{port}"], cwd=ROOT,
                                  env=dict(env, PATRON_PREFIX=f"p{i}-"), stdout=subprocess.PIPE, text=True)
                 for i, port in enumerate(ports)]
        outputs = [load.communicate()[0] for load in loads]
        elapsed = time.monotonic() - started
        serve_cpu = sum(cpu_seconds(s.pid) for s in servers) - sum(before[0])
        database_cpu = sum(cpu_seconds(pid) - before[1].get(pid, 0.0) for pid in postgres_pids())
        other_cpu = machine_busy_seconds() - before[2] - serve_cpu - database_cpu
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait()
    requests, non2xx, p99 = 0, 0, 0.0
    for output in outputs:
        done = re.search(r"(\d+) requests in", output)
        requests += int(done.group(1)) if done else 0
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        non2xx += int(bad.group(1)) if bad else 0
        latency = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", output, re.M)
        if latency:
            p99 = max(p99, float(latency.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)])
    acknowledged = requests - non2xx
    shop.run("check")  # exits with patron's complaint if the ledger is not consistent
    shop.remove()
    if non2xx:
        sys.exit(f"{count} process(es): {non2xx} non-2xx answers")
    per = 1000 / max(acknowledged, 1) * 1000  # CPU ms per 1,000 events = seconds / events × 1e6
    print(f"{count:>9} {acknowledged / elapsed:>12,.0f} {p99:>8.1f} {serve_cpu * per:>11.0f} {database_cpu * per:>11.0f}"
          f" {other_cpu * per:>11.0f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgres://… (each count gets a new schema in it)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64, help="in all, shared by the wrk processes")
    parser.add_argument("--patron", default=os.path.join(ROOT, ".build/release/patron"))
    parser.add_argument("--enrolled", action="store_true", help="enrol the 10,000 customers before the window")
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores; {options.connections} connections in all; {options.seconds} s per count"
          f"{'; customers enrolled first' if options.enrolled else ''}")
    print(f"{'processes':>9} {'events/s':>12} {'p99 ms':>8} {'serve ms':>11} {'postgres ms':>11} {'other ms':>11}"
          "   (ms: CPU per 1,000 events)")
    for count in options.processes:
        run(options, count)


if __name__ == "__main__":
    main()
