#!/usr/bin/env python3
"""Where a Patron database's bytes go, table by table and index by index (docs/scaling.md, issue 19).

usage: scripts/storage-bytes.py DATABASE [--orders N] [--members N]

DATABASE is a SQLite file (measured with SQLite's dbstat table: every b-tree's pages, free pages apart) or a
postgres:// URL with ?schema=NAME (measured with psql: pg_relation_size of each table with its TOAST, and of each
index, after VACUUM ANALYZE). Orders and members are counted from the database unless given. Per order is everything
but the member tables (members, identities and their indexes) over the orders; per member is the member tables over
the members.
"""
import argparse
import sqlite3
import subprocess
import sys
import urllib.parse

MEMBER_TABLES = {"members", "identities"}


def sqlite_sizes(path):
    db = sqlite3.connect(path)
    owners = {name: (table if kind == "index" else name) for name, table, kind in db.execute("SELECT name, tbl_name, type FROM sqlite_master")}
    rows = []
    for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owners.get(name, name)
        if name == "sqlite_schema" or name == "sqlite_master":
            table = "(schema)"
        rows.append((table, name, "table" if name == table else "index", size))
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0] * page_size
    if free:
        rows.append(("(free pages)", "(free pages)", "free", free))
    counts = db.execute("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM members)").fetchone()
    return rows, counts


def postgres_sizes(url):
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    schema = query.get("schema", ["public"])[0]
    plain = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def psql(sql):
        out = subprocess.run(["psql", plain, "-X", "-A", "-t", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    tables = [row[0] for row in psql(f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'")]
    # One VACUUM of the schema's tables only (a bare VACUUM would take every schema of the database).
    psql("VACUUM ANALYZE " + ", ".join(f'{schema}."{table}"' for table in tables))
    rows = []
    for table, name, kind, size in psql(f"""
        SELECT c.relname, c.relname, 'table', pg_table_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '{schema}' AND c.relkind = 'r'
        UNION ALL
        SELECT t.relname, i.relname, 'index', pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = '{schema}'"""):
        rows.append((table, name, kind, int(size)))
    counts = psql(f"SELECT (SELECT count(*) FROM {schema}.orders), (SELECT count(*) FROM {schema}.members)")[0]
    return rows, (int(counts[0]), int(counts[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database")
    parser.add_argument("--orders", type=int)
    parser.add_argument("--members", type=int)
    args = parser.parse_args()
    postgres = args.database.startswith(("postgres://", "postgresql://"))
    rows, (orders, members) = postgres_sizes(args.database) if postgres else sqlite_sizes(args.database)
    orders = args.orders or orders
    members = args.members or members
    total = sum(size for *_, size in rows)
    by_table = {}
    for table, name, kind, size in rows:
        by_table.setdefault(table, []).append((name, kind, size))
    print(f"{'table / index':44} {'bytes':>12} {'MB':>8} {'share':>6} {'B/order':>8}")
    for table in sorted(by_table, key=lambda t: -sum(s for *_, s in by_table[t])):
        parts = by_table[table]
        size = sum(s for *_, s in parts)
        if size == 0:
            continue
        print(f"{table:44} {size:12,} {size / 1e6:8.2f} {100 * size / total:5.1f}% {size / max(orders, 1):8.1f}")
        if len(parts) > 1:
            for name, kind, s in sorted(parts, key=lambda p: -p[2]):
                label = f"  {name}" + (" (table)" if kind == "table" else "")
                print(f"{label:44} {s:12,} {s / 1e6:8.2f} {100 * s / total:5.1f}% {s / max(orders, 1):8.1f}")
    member_bytes = sum(sum(s for *_, s in by_table.get(t, [])) for t in MEMBER_TABLES)
    order_bytes = total - member_bytes
    print(f"{'total':44} {total:12,} {total / 1e6:8.2f}")
    print(f"orders {orders:,}, members {members:,}")
    print(f"bytes per order (all but members and identities): {order_bytes / max(orders, 1):.0f}")
    print(f"bytes per member (members and identities): {member_bytes / max(members, 1):.0f}")


if __name__ == "__main__":
    sys.exit(main())
