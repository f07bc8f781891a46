"""A fresh shop, `patron serve` on it and storefront clients pouring order events into it, for the fault scripts
beside this file (docs/reliability.md): each client retries its event until it is acknowledged, and `verify` proves
afterwards that every acknowledged event is in the database exactly once."""
import asyncio
import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Shop:
    """The database, the storefront key and the command lines that run patron on it."""

    def __init__(self, patron, database=None, sqlite_folder=None, program_suffix=""):
        """A shop on a new schema of the PostgreSQL `database` URL, else on a SQLite file in `sqlite_folder` (default:
        a new temporary folder, which also holds the server's log); its program is gold-club's with `program_suffix`
        appended (more top-level sections)."""
        self.patron = patron
        self.folder = tempfile.mkdtemp(prefix="patron-faults-")
        if database:
            schema = "faults_" + uuid.uuid4().hex[:10]
            self.database = database + ("&" if "?" in database else "?") + f"schema={schema}"
            self.postgres = (database, schema)
        else:
            self.database = os.path.join(sqlite_folder or self.folder, "shop.sqlite")
            self.postgres = None
        program = os.path.join(self.folder, "program.yaml")
        with open(os.path.join(ROOT, "examples/programs/gold-club.yaml")) as base, open(program, "w") as out:
            out.write(base.read() + "\n" + program_suffix)
        self.run("program", "load", program)
        created = self.run("keys", "create", "--scope", "storefront", "--scope", "admin", "--name", "faults")
        self.secret = created.splitlines()[1].strip()  # the line after "created key …" is the secret
        self.port = free_port()
        self.server = None

    def run(self, *args):
        done = subprocess.run([self.patron, *args, "--database", self.database, "--actor", "faults"] if args[0] != "check"
                              else [self.patron, *args, "--database", self.database],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"patron {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self):
        self.server = subprocess.Popen(
            [self.patron, "serve", "--database", self.database, "--port", str(self.port), "--no-jobs",
             "--rate-limit", "1000000", "--burst", "1000000", "--log-level", "error"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.folder, "serve.log"), "a"))

    def kill(self):
        self.server.kill()  # SIGKILL
        self.server.wait()

    def remove(self):
        """Removes the SQLite file's folder, or the PostgreSQL schema."""
        if self.postgres:
            url, schema = self.postgres
            subprocess.run(["psql", url, "-qc", f"DROP SCHEMA {schema} CASCADE"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait()

    def counts(self):
        """(orders, orders with more than one ledger entry) as the database holds them. Every event places an order
        that earns points pending the return window: one `pending` entry per order, never two."""
        sql_orders = "SELECT count(*) FROM orders"
        sql_twice = ("SELECT count(*) FROM (SELECT order_id FROM entries WHERE order_id IS NOT NULL "
                     "GROUP BY order_id HAVING count(*) > 1) t")
        if self.postgres is None:
            db = sqlite3.connect(self.database)
            try:
                return db.execute(sql_orders).fetchone()[0], db.execute(sql_twice).fetchone()[0]
            finally:
                db.close()  # (a `with` block would leave the file open, and its file system busy)
        url, schema = self.postgres

        def psql(sql):
            out = subprocess.run(["psql", url, "-tAc", f"SET search_path TO {schema}; {sql}"], capture_output=True,
                                 text=True, check=True).stdout
            return int(out.strip().splitlines()[-1])
        return psql(sql_orders), psql(sql_twice)


async def request(connection, method, path, secret, body=None, headers=None):
    """One HTTP/1.1 request on a kept-alive connection: (status, decoded JSON body or None)."""
    reader, writer = connection
    data = json.dumps(body).encode() if body is not None else b""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {secret}\r\n{extra}"
                 f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    payload = await reader.readexactly(length) if length else b""
    return status, (json.loads(payload) if payload else None)


def event(index):
    order = f"F{index}"
    return {"id": f"e{index}", "kind": "placed", "orderId": order,
            "order": {"id": order, "member": {"kind": "customer", "value": f"f{index % 500}"},
                      "lines": [{"sku": "A", "quantity": 1 + index % 3, "unitPrice": 1500}]}}


class Load:
    """Clients sending events until told to stop; each retries its event until it is acknowledged."""

    def __init__(self, shop, clients):
        self.shop, self.clients = shop, clients
        self.next_index = 0
        self.acknowledged = {}   # event index -> first answer
        self.retries = 0
        self.errors = []         # answers that are neither success nor a retryable failure
        self.unavailable = []    # seconds each 503 took (the database gone)
        self.internal = []       # 500 answers: a fault must be told as 503, never as an internal error
        self.running = True

    async def client(self):
        connection = None
        index = None
        # Once told to stop, a client still retries the event it has sent until it is acknowledged: it may be in the
        # database already, and the count at the end must know.
        while self.running or index is not None:
            if index is None:
                index, self.next_index = self.next_index, self.next_index + 1
            if connection is None:
                try:
                    connection = await asyncio.open_connection("127.0.0.1", self.shop.port)
                except OSError:
                    await asyncio.sleep(0.05)
                    continue
            started = time.monotonic()
            try:
                status, body = await asyncio.wait_for(
                    request(connection, "POST", "/v1/orders/events", self.shop.secret, event(index)), 30)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, IndexError):
                connection[1].close()
                connection = None
                self.retries += 1
                continue
            if status == 200:
                self.acknowledged[index] = body
                index = None
            elif status in (503, 500):
                (self.unavailable if status == 503 else self.internal).append(time.monotonic() - started)
                self.retries += 1
                await asyncio.sleep(0.1)
            else:
                self.errors.append((index, status, body))
                index = None
        if connection:
            connection[1].close()

    @contextlib.asynccontextmanager
    async def sending(self):
        """Runs the clients for the body of an `async with`, and stops them however it ends: cancelling them is not
        enough, because `asyncio.wait_for` (Python 3.11) can swallow a cancellation, which left a failed run spinning
        instead of reporting its error."""
        tasks = [asyncio.create_task(self.client()) for _ in range(self.clients)]
        try:
            yield
        finally:
            self.running = False
            await asyncio.gather(*tasks)

    async def until(self, condition, timeout=120):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("waited too long")
            await asyncio.sleep(0.02)


async def ready(shop, timeout=120):
    """Waits until /ready answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = await probe(shop, "/ready")
        if status == 200:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the server did not become ready")


async def probe(shop, path):
    try:
        connection = await asyncio.open_connection("127.0.0.1", shop.port)
    except OSError:
        return None
    try:
        status, _ = await asyncio.wait_for(request(connection, "GET", path, shop.secret), 10)
        return status
    except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
        return None
    finally:
        connection[1].close()


async def replay_all(shop, acknowledged, clients):
    """Sends every acknowledged event again; returns the indexes not answered 200 with "replayed": true."""
    queue = list(acknowledged)
    wrong = []

    async def worker():
        connection = await asyncio.open_connection("127.0.0.1", shop.port)
        while queue:
            index = queue.pop()
            status, body = await request(connection, "POST", "/v1/orders/events", shop.secret, event(index))
            if status != 200 or not body.get("replayed"):
                wrong.append((index, status, body))
        connection[1].close()
    await asyncio.gather(*(worker() for _ in range(min(clients, 64))))
    return wrong


async def verify(shop, load, elapsed):
    """Sends every acknowledged event again on a fresh server, counts the database's orders and runs `patron check`;
    prints what it found and returns the failures in words (none: every acknowledged event is there exactly once)."""
    shop.start()
    await ready(shop)
    wrong = await replay_all(shop, load.acknowledged, load.clients)
    shop.stop()
    orders, twice = shop.counts()
    check = subprocess.run([shop.patron, "check", "--database", shop.database], cwd=ROOT, capture_output=True, text=True)
    acknowledged = len(load.acknowledged)
    print(f"acknowledged {acknowledged:,} events in {elapsed:.1f} s ({acknowledged / elapsed:,.0f}/s through the "
          f"faults), {load.retries:,} sends retried after a failure")
    print(f"sent again: {acknowledged - len(wrong):,} of {acknowledged:,} answered as replays")
    print(f"database: {orders:,} orders for {acknowledged:,} acknowledged events; orders earned twice: {twice}")
    print(f"patron check: {'clean' if check.returncode == 0 else check.stdout + check.stderr}")
    failures = []
    if load.internal:
        failures.append(f"{len(load.internal)} requests answered 500 instead of 503")
    if load.errors:
        failures.append(f"{len(load.errors)} unexpected answers, e.g. {load.errors[:3]}")
    if wrong:
        failures.append(f"{len(wrong)} acknowledged events were not replayed, e.g. {wrong[:3]}")
    if orders != acknowledged:
        failures.append(f"{orders} orders in the database for {acknowledged} acknowledged events")
    if twice:
        failures.append(f"{twice} orders earned twice")
    if check.returncode != 0:
        failures.append("patron check failed")
    return failures


def median(values):
    return sorted(values)[len(values) // 2]
