import Foundation
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// The SQLite and PostgreSQL schemas are written twice (Schema.swift, PostgresSchema.swift). These tests read both back
/// from the databases themselves and compare tables, columns (types mapped to integer/text/real/blob), nullability,
/// primary keys, and unique constraints and indexes (their columns, uniqueness and whether they are partial).
@Suite struct SchemaParityTests {
    /// A schema as a set of comparable facts, one per line: `table.column integer not null`, `table primary key (a, b)`,
    /// `table unique index (a) partial`.
    struct Shape {
        var facts: Set<String>

        /// The facts only one side has, marked with the side.
        func differences(from other: Shape, _ mine: String, _ theirs: String) -> [String] {
            facts.subtracting(other.facts).map { "\(mine) only: \($0)" }.sorted()
                + other.facts.subtracting(facts).map { "\(theirs) only: \($0)" }.sorted()
        }
    }

    /// Migration bookkeeping differs by design: GRDB's on SQLite, Patron's own on PostgreSQL.
    static let bookkeeping: Set<String> = ["grdb_migrations", "patron_migrations"]

    /// A declared type in the common notion.
    static func common(_ type: String) -> String {
        switch type.lowercased() {
        case "integer", "bigint", "smallint", "int", "int8", "int4", "int2", "boolean": "integer"
        case "text", "character varying", "varchar", "character", "char": "text"
        case "real", "double precision", "float", "numeric", "double": "real"
        case "blob", "bytea": "blob"
        default: "other:\(type.lowercased())"
        }
    }

    /// The shape of a migrated SQLite database.
    static func sqliteShape(_ store: SQLStore) async throws -> Shape {
        try await store.backend.read { db in
            var facts = Set<String>()
            let tables = try db.prepare(dynamic: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .all { $0.text(0) }.filter { !bookkeeping.contains($0) }
            for table in tables {
                facts.insert("table \(table)")
                let columns = try db.prepare(dynamic: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid").all(table) {
                    (name: $0.text(0), type: $0.text(1), notNull: $0.int(2) != 0, pk: Int($0.int(3)))
                }
                for column in columns {
                    // A primary key's columns cannot be NULL (SQLite's INTEGER PRIMARY KEY says notnull 0 but means it).
                    let nullable = !(column.notNull || column.pk > 0)
                    facts.insert("\(table).\(column.name) \(common(column.type))\(nullable ? "" : " not null")")
                }
                let key = columns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name)
                if !key.isEmpty { facts.insert("\(table) primary key (\(key.joined(separator: ", ")))") }
                let indexes = try db.prepare(dynamic: "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)").all(table) {
                    (name: $0.text(0), unique: $0.int(1) != 0, origin: $0.text(2), partial: $0.int(3) != 0)
                }
                for index in indexes where index.origin != "pk" {
                    let names = try db.prepare(dynamic: "SELECT coalesce(name, '<expr>') FROM pragma_index_info(?) ORDER BY seqno").all(index.name) {
                        $0.text(0)
                    }
                    facts.insert("\(table) \(index.unique ? "unique " : "")index (\(names.joined(separator: ", ")))\(index.partial ? " partial" : "")")
                }
            }
            return Shape(facts: facts)
        }
    }

    /// The shape of a migrated PostgreSQL schema (the store's own, through its `search_path`).
    static func postgresShape(_ store: SQLStore) async throws -> Shape {
        try await store.backend.read { db in
            var facts = Set<String>()
            let tables = try db.prepare(
                dynamic: """
                    SELECT table_name::text FROM information_schema.tables t
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                        AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.table_name::regclass AND c.relispartition)
                    ORDER BY table_name
                    """
            ).all { $0.text(0) }.filter { !bookkeeping.contains($0) }
            for table in tables {
                facts.insert("table \(table)")
                let columns = try db.prepare(
                    dynamic: """
                        SELECT column_name::text, data_type::text, (is_nullable = 'NO') FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                        """
                ).all(table) { (name: $0.text(0), type: $0.text(1), notNull: $0.int(2) != 0) }
                for column in columns {
                    facts.insert("\(table).\(column.name) \(common(column.type))\(column.notNull ? " not null" : "")")
                }
                let indexes = try db.prepare(
                    dynamic: """
                        SELECT i.indisprimary, i.indisunique, (i.indpred IS NOT NULL),
                               (SELECT string_agg(coalesce(a.attname::text, '<expr>'), ', ' ORDER BY k.n)
                                FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0)
                        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
                        WHERE s.nspname = current_schema() AND t.relname = ?
                        """
                ).all(table) { (primary: $0.int(0) != 0, unique: $0.int(1) != 0, partial: $0.int(2) != 0, columns: $0.text(3)) }
                for index in indexes {
                    if index.primary {
                        facts.insert("\(table) primary key (\(Self.plainKey(index.columns, of: table)))")
                    } else {
                        facts.insert("\(table) \(index.unique ? "unique " : "")index (\(index.columns))\(index.partial ? " partial" : "")")
                    }
                }
            }
            return Shape(facts: facts)
        }
    }

    /// A primary key as the plain layout has it: the member-partitioned layout appends the partition column
    /// (`PostgresPartitions`), the one way its tables may differ from SQLite's.
    static func plainKey(_ columns: String, of table: String) -> String {
        guard TestDatabase.isPartitioned, let column = PostgresPartitions.tables.first(where: { $0.key == table })?.value else { return columns }
        return columns.hasSuffix(", \(column)") ? String(columns.dropLast(column.count + 2)) : columns
    }

    static func migratedSQLite() async throws -> SQLStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patron-schema-\(UUID().uuidString).sqlite").path
        let store = try SQLStore.open(path, clock: SystemClock())
        try await store.migrate()
        return store
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func theSQLiteAndPostgreSQLSchemasHaveTheSameTablesColumnsKeysAndIndexes() async throws {
        let sqlite = try await Self.migratedSQLite()
        let postgres = try SQLStore.open(TestDatabase.fresh(), clock: SystemClock())
        try await postgres.migrate()
        let (left, right) = (try await Self.sqliteShape(sqlite), try await Self.postgresShape(postgres))
        #expect(left.facts.count > 100, "the introspection found too little: \(left.facts.sorted())")
        let differences = left.differences(from: right, "SQLite", "PostgreSQL")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        await postgres.close()
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func aColumnAddedToOneDatabaseOnlyIsReported() async throws {
        let sqlite = try await Self.migratedSQLite()
        let postgres = try SQLStore.open(TestDatabase.fresh(), clock: SystemClock())
        try await postgres.migrate()
        _ = try await postgres.backend.transaction(on: 0) { db in
            _ = try db.prepare(dynamic: "ALTER TABLE members ADD COLUMN nickname TEXT").run()
            _ = try db.prepare(dynamic: "CREATE UNIQUE INDEX members_by_nickname ON members(nickname)").run()
            return true
        }
        let differences = try await Self.sqliteShape(sqlite).differences(from: try await Self.postgresShape(postgres), "SQLite", "PostgreSQL")
        #expect(differences == ["PostgreSQL only: members unique index (nickname)", "PostgreSQL only: members.nickname text"])
        await postgres.close()
    }

    /// On either backend: the SQLite introspection sees a column, a nullability and an index that one copy lacks, so
    /// the comparison above cannot pass by reading nothing.
    @Test func theComparisonSeesAColumnANullabilityAndAnIndexThatOneSideLacks() async throws {
        let (plain, changed) = (try await Self.migratedSQLite(), try await Self.migratedSQLite())
        _ = try await changed.backend.transaction(on: 0) { db in
            _ = try db.prepare(dynamic: "ALTER TABLE members ADD COLUMN nickname TEXT NOT NULL DEFAULT ''").run()
            _ = try db.prepare(dynamic: "CREATE INDEX members_by_nickname ON members(nickname) WHERE nickname != ''").run()
            return true
        }
        let differences = try await Self.sqliteShape(plain).differences(from: try await Self.sqliteShape(changed), "plain", "changed")
        #expect(differences == ["changed only: members index (nickname) partial", "changed only: members.nickname text not null"])
        #expect(try await Self.sqliteShape(plain).facts.contains("members primary key (id)"))
    }
}
