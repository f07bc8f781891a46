import PatronCore

/// The layout for a store that grows to hundreds of millions of rows: the tables that every order writes are split into
/// hash partitions, so that each partition's indexes stay small enough for memory and each is vacuumed on its own.
///
/// A member's ledger (entries, lots, allocations, level changes, rule uses) is partitioned by member: everything the
/// write path, a statement or a spend reads about one member lies in one partition. Orders are partitioned by their
/// own id, which every order event finds them by, so that key stays unique across the store. Idempotency records stay
/// one table: the retention window bounds them, and a batch's look-up of its keys (`key = ANY(…)`) was planned as a
/// scan of every partition once they were split (36 ms a batch instead of 0.2 in `patron bench ingest`).
/// PostgreSQL wants every unique key of a partitioned table to hold the partition key, so the ledger's primary keys
/// gain `member_id` at the end (`(id, member_id)`: a look-up by id alone still searches each partition's key), and so
/// do the foreign keys pointing at entries and lots. `members` stays one table (a row per member, referenced by nearly
/// every table), as do the small tables.
///
/// Applied by the migration when the database URL asks for it (`?partitions=N`) and finds the tables plain: in the
/// migration's transaction each table is rebuilt as a partitioned one with the same columns, checks, defaults,
/// identity and indexes, its rows copied, and the foreign keys put back. Later migrations must hold on both layouts —
/// no unique key without the partition key; `scripts/test` runs the store suite on both.
enum PostgresPartitions {
    /// The partition counts a URL may ask for.
    static let counts = 2...256

    /// The partitioned tables and the column each is partitioned by.
    static let tables: KeyValuePairs<String, String> = [
        "orders": "id",
        "entries": "member_id", "lots": "member_id", "allocations": "member_id", "level_changes": "member_id", "rule_uses": "member_id",
    ]

    /// Partitions the plain tables of `tables` into `count`; refuses a store already partitioned into another count.
    static func apply(_ db: SQLSession, count: Int, schema: String) throws {
        let existing = try partitionCounts(db)
        if let (table, other) = existing.first(where: { $0.value != count }) {
            throw PatronError(
                .invalidInput,
                "the PostgreSQL schema \(schema) is already partitioned (\(table) into \(other)), not into the \(count) that partitions=\(count) in the database URL asks for: a store keeps its partition count; say partitions=\(other) or leave the setting out")
        }
        let plain = tables.filter { existing[$0.key] == nil }
        guard !plain.isEmpty else { return }
        let keys = try foreignKeys(touching: plain.map(\.key), db)
        for key in keys { try db.prepare(once: "ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)").run() }
        for (table, column) in plain { try rebuild(table, by: column, into: count, db) }
        let byMember = Set(tables.filter { $0.value == "member_id" }.map(\.key))
        for key in keys { try db.prepare(once: key.definition(referencedByMember: byMember.contains(key.referenced))).run() }
    }

    /// The partitioned tables of the session's schema and their partition counts.
    static func partitionCounts(_ db: SQLSession) throws -> [String: Int] {
        let rows = try db.prepare(
            dynamic: """
                SELECT c.relname::text, (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)
                FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
                WHERE c.relnamespace = current_schema()::regnamespace
                """
        ).all { ($0.text(0), Int($0.int(1))) }
        return Dictionary(rows) { first, _ in first }
    }

    /// Rebuilds `table` as a table partitioned by hash of `column` into `count` partitions, with its rows.
    private static func rebuild(_ table: String, by column: String, into count: Int, _ db: SQLSession) throws {
        let primaryKey = try db.prepare(
            once: """
                SELECT string_agg(a.attname::text, ', ' ORDER BY k.n)
                FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                WHERE c.conrelid = '\(table)'::regclass AND c.contype = 'p'
                """
        ).one { $0.optionalText(0) } ?? nil
        let indexes = try db.prepare(once: "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = '\(table)'::regclass AND NOT indisprimary ORDER BY indexrelid")
            .all { $0.text(0) }
        let identities = try db.prepare(
            once: "SELECT attname::text, pg_get_serial_sequence('\(table)', attname::text) FROM pg_attribute WHERE attrelid = '\(table)'::regclass AND attidentity <> ''"
        ).all { (column: $0.text(0), sequence: $0.text(1)) }

        let old = "\(table)_unpartitioned"
        for statement in [
            "ALTER TABLE \(table) RENAME TO \(old)",
            "CREATE TABLE \(table) (LIKE \(old) INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY) PARTITION BY HASH (\(column))",
        ] + (0..<count).map({ "CREATE TABLE \(table)_p\($0) PARTITION OF \(table) FOR VALUES WITH (MODULUS \(count), REMAINDER \($0))" }) + [
            "INSERT INTO \(table) SELECT * FROM \(old)"
        ] {
            try db.prepare(once: statement).run()
        }
        // The new identity continues where the old one stopped (ids taken and not used included), under the old name.
        for identity in identities {
            _ = try db.prepare(once: "SELECT setval(pg_get_serial_sequence('\(table)', '\(identity.column)'), last_value, is_called) FROM \(identity.sequence)")
                .one { _ in }
        }
        try db.prepare(once: "DROP TABLE \(old)").run()
        for identity in identities {
            let name = identity.sequence.split(separator: ".").last.map(String.init) ?? identity.sequence
            try db.prepare(once: "ALTER SEQUENCE \(try sequence(of: table, identity.column, db)) RENAME TO \(name)").run()
        }
        if let primaryKey {
            let columns = primaryKey.split(separator: ", ").contains(Substring(column)) ? primaryKey : "\(primaryKey), \(column)"
            try db.prepare(once: "ALTER TABLE \(table) ADD PRIMARY KEY (\(columns))").run()
        }
        for index in indexes { try db.prepare(once: index).run() }
    }

    private static func sequence(of table: String, _ column: String, _ db: SQLSession) throws -> String {
        try db.prepare(once: "SELECT pg_get_serial_sequence('\(table)', '\(column)')").one { $0.text(0) } ?? ""
    }

    /// A foreign key from or to one of the tables being partitioned, dropped while they are rebuilt and then put back.
    struct ForeignKey {
        let name, table, columns, referenced, referencedColumns: String
        /// `ON DELETE …` / `ON UPDATE …`, as the key had them.
        let actions: String

        /// The key again; pointing at a table partitioned by member, it takes `member_id` on both sides, as that
        /// table's unique keys do.
        func definition(referencedByMember: Bool) -> String {
            let member = referencedByMember && !referencedColumns.split(separator: ", ").contains("member_id")
            let (from, to) = member ? ("\(columns), member_id", "\(referencedColumns), member_id") : (columns, referencedColumns)
            return "ALTER TABLE \(table) ADD CONSTRAINT \(name) FOREIGN KEY (\(from)) REFERENCES \(referenced) (\(to))\(actions)"
        }
    }

    private static func foreignKeys(touching tables: [String], _ db: SQLSession) throws -> [ForeignKey] {
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        func columns(_ keys: String, _ relation: String) -> String {
            """
            (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n) FROM unnest(c.\(keys)) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = c.\(relation) AND a.attnum = k.attnum)
            """
        }
        return try db.prepare(
            once: """
                SELECT c.conname::text, c.conrelid::regclass::text, \(columns("conkey", "conrelid")), c.confrelid::regclass::text,
                    \(columns("confkey", "confrelid")), c.confdeltype::text, c.confupdtype::text
                FROM pg_constraint c
                WHERE c.contype = 'f' AND c.conparentid = 0 AND c.connamespace = current_schema()::regnamespace
                    AND (c.conrelid::regclass::text IN (\(names)) OR c.confrelid::regclass::text IN (\(names)))
                ORDER BY 2, 1
                """
        ).all {
            ForeignKey(
                name: $0.text(0), table: $0.text(1), columns: $0.text(2), referenced: $0.text(3), referencedColumns: $0.text(4),
                actions: action("DELETE", $0.text(5)) + action("UPDATE", $0.text(6)))
        }
    }

    /// The clause for a foreign key's action code in `pg_constraint`.
    private static func action(_ event: String, _ code: String) -> String {
        switch code {
        case "c": " ON \(event) CASCADE"
        case "n": " ON \(event) SET NULL"
        case "d": " ON \(event) SET DEFAULT"
        case "r": " ON \(event) RESTRICT"
        default: ""  // "a": no action, the default
        }
    }
}
