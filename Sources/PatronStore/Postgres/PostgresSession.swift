import Foundation
import Logging
import PatronCore
import PostgresNIO
import Synchronization

/// A PostgreSQL connection used synchronously, so the store's logic runs unchanged on either database. Sessions run
/// on the store's own threads (never on an event loop), where waiting for a query's future is safe.
final class PostgresSession: Sendable {
    let connection: PostgresConnection
    /// The schema the connection works in: advisory locks are per database, so their keys name it.
    let schema: String
    private let logger: Logger
    /// Statement texts with `?` rewritten to `$n`, by the address of their `StaticString`.
    private let rewritten = Mutex<[Int: String]>([:])
    /// The statements that send several kinds of held rows at once, by their kinds.
    private let combinedStatements = Mutex<[String: String]>([:])
    /// The statements every batch sends (its start, its held rows), prepared on this connection, by text.
    private let prepared = Mutex<[String: PreparedQuery]>([:])
    /// When the prepared statements' plans were last dropped (`replanIfDue`).
    private let plannedAt = Mutex(ContinuousClock.now)
    /// Rows a batch holds back (`SQLSession.write`); touched only on the connection's own thread.
    nonisolated(unsafe) let held = HeldWrites()
    /// The query waiting for its answer, failed when the connection closes first.
    private let waiting = WaitingQuery()
    /// Where each statement sent is counted.
    private let roundTrips: RoundTrips
    /// Statements sent that were not a plain `SELECT`, other than the held rows' (`PostgresBatch` tells by them whether
    /// what it read ahead may have changed; the held rows are its own events' and it follows them).
    private let nonReads = Atomic<Int>(0)

    /// How many statements other than a plain `SELECT` or the held rows this session has sent.
    var nonReadsSent: Int { nonReads.load(ordering: .relaxed) }

    init(_ connection: PostgresConnection, schema: String, logger: Logger, roundTrips: RoundTrips) {
        self.connection = connection
        self.schema = schema
        self.logger = logger
        self.roundTrips = roundTrips
        // PostgresNIO can leave a query that was sent as the server went away without an answer forever (seen when
        // PostgreSQL restarts under load: COMMITs that never returned), which would hang this connection's thread and
        // every request behind it. The connection's closing fails it instead.
        connection.closeFuture.whenComplete { [waiting] _ in waiting.fail() }
    }

    deinit {
        // A store dropped without `close()`: the connection closes on its own, and lives until it has.
        let connection = self.connection
        if !connection.isClosed { connection.close().whenComplete { _ in _ = connection } }
    }

    /// The statement for `sql` (and `suffix`, a row-lock clause), rewritten once.
    func statement(_ sql: StaticString, suffix: StaticString? = nil) -> PostgresStatement {
        let key = Int(bitPattern: sql.utf8Start) &+ 31 &* (suffix.map { Int(bitPattern: $0.utf8Start) } ?? 0)
        if let text = rewritten.withLock({ $0[key] }) { return PostgresStatement(session: self, sql: text) }
        let text = Self.numberPlaceholders(sql.description + (suffix.map { " \($0)" } ?? ""))
        rewritten.withLock { $0[key] = text }
        return PostgresStatement(session: self, sql: text)
    }

    /// The statement for SQL built at run time.
    func statement(_ sql: String) -> PostgresStatement {
        PostgresStatement(session: self, sql: Self.numberPlaceholders(sql))
    }

    /// Runs `body` in a transaction opened by `begin` (`BEGIN`, or with an isolation level): committed when `body`
    /// returns `true` (or a value), rolled back when it returns `false` or throws.
    func transaction<T>(_ begin: StaticString = "BEGIN", committing: (T) -> Bool = { _ in true }, _ body: (SQLSession) throws -> T) throws -> T {
        let db = SQLSession(.postgres(self))
        try db.prepare(begin).run()
        do {
            let value = try body(db)
            if committing(value) {
                try db.prepare("COMMIT").run()  // sends the rows still held first
            } else {
                _ = held.takeAll()
                try db.prepare("ROLLBACK").run()
            }
            return value
        } catch {
            _ = held.takeAll()
            _ = try? db.prepare("ROLLBACK").run()
            throw error
        }
    }

    /// Sends the rows held back in one statement, one round trip: each kind's set-based statement, all but the last
    /// as a data-modifying `WITH` of the last. They run on one snapshot, which is right since no kind reads another's
    /// rows (foreign keys are checked at the statement's end, when every row is in).
    func sendHeldWrites() throws {
        // In one order whatever order the kinds were held in (a statement's parts run together anyway): one prepared
        // statement per set of kinds.
        let kinds = held.takeAll().sorted { $0.write.rawValue < $1.write.rawValue }
        guard let last = kinds.last else { return }
        _ = try sendPrepared(combined(kinds.map(\.write), last: last.write), kinds.flatMap { $0.columns.map(\.literal) })
    }

    /// The statement writing `kinds` in one: `WITH w0 AS (…), w1 AS (…) <last>`, its placeholders numbered, made once
    /// per combination of kinds.
    private func combined(_ kinds: [SetWrite], last: SetWrite) -> String {
        let key = kinds.map { "\($0)" }.joined(separator: ",")
        if let text = combinedStatements.withLock({ $0[key] }) { return text }
        let parts = kinds.dropLast().enumerated().map { "w\($0.offset) AS (\($0.element.set))" }
        let text = Self.numberPlaceholders((parts.isEmpty ? "" : "WITH " + parts.joined(separator: ",\n") + "\n") + last.set.description)
        combinedStatements.withLock { $0[key] = text }
        return text
    }

    /// Runs `sql`, a statement every batch sends, with `values` (in PostgreSQL's text form), after the
    /// rows held back, and reads each row with `read`. It is prepared on this connection the first time: PostgreSQL then
    /// plans it about once a second (`replanIfDue`) instead of at every use, which was a third of a batch's time in
    /// the database.
    func everyBatch(_ sql: StaticString, _ values: [String], read: (Columns) throws -> Void) throws {
        if !held.isEmpty { try sendHeldWrites() }
        for row in try sendPrepared(statement(sql).sql, values) { try read(Self.binaryColumns(row, of: sql)) }
    }

    private func sendPrepared(_ sql: String, _ values: [String]) throws -> [PostgresRow] {
        replanIfDue()
        let statement = try prepared.withLock({ $0[sql] }) ?? prepare(sql)
        let binds = values.map { PostgresData(string: $0) }
        return try wait(for: sql) { statement.execute(binds) }
    }

    /// A row a prepared statement answered. PostgresNIO's older interface for prepared statements asks for (and gets)
    /// every column in binary form but labels the cells with the statement's description from before it asked, text
    /// (PostgresNIO 1.33), so its own decoding fails; the columns are read here as binary. The batch's statements
    /// answer integers and text.
    private static func binaryColumns(_ row: PostgresRow, of sql: StaticString) throws -> Columns {
        Columns(source: .postgres(try row.map { cell in
            guard var bytes = cell.bytes else { return .null }
            // The lengths are checked, so each read succeeds.
            switch (cell.dataType, bytes.readableBytes) {
            case (.int8, 8): return .int(bytes.readInteger(as: Int64.self)!)
            case (.int4, 4): return .int(Int64(bytes.readInteger(as: Int32.self)!))
            case (.int2, 2): return .int(Int64(bytes.readInteger(as: Int16.self)!))
            case (.int8, _), (.int4, _), (.int2, _):
                throw PatronError(.storage, "PostgreSQL answered \(bytes.readableBytes) bytes for the \(cell.dataType) \(cell.columnName) of \(sql)")
            default: return .text(String(buffer: bytes))
            }
        }))
    }

    /// Prepares `sql`, each of whose parameters is cast (`$1::bigint[]`), with every parameter made text: PostgresNIO
    /// sends a prepared statement's values in binary form, and text's binary form is its characters, which the cast
    /// then reads (`$1::text::bigint[]`).
    private func prepare(_ sql: String) throws -> PreparedQuery {
        let text = sql.replacing(/\$([0-9]+)::/) { "$\($0.1)::text::" }
        let statement = try wait(for: sql) { connection.prepare(query: text) }
        prepared.withLock { $0[sql] = statement }
        return statement
    }

    /// Drops the prepared statements' plans when they are a second old, so that PostgreSQL plans them again for the
    /// tables as they are: a plan made for a new store's few rows scans tables whole, and PostgreSQL keeps a prepared
    /// statement's plan until autovacuum next analyzes its tables (a minute or more; a build that never replanned was
    /// seen scanning 10,000 members for every batch meanwhile). Sent without waiting for its answer: it runs before
    /// the next statement on the connection, and costs no round trip.
    private func replanIfDue() {
        let now = ContinuousClock.now
        let due = plannedAt.withLock { plannedAt in
            guard plannedAt.duration(to: now) >= .seconds(1) else { return false }
            plannedAt = now
            return true
        }
        if due { _ = connection.query(PostgresQuery(unsafeSQL: "DISCARD PLANS"), logger: logger) }
    }

    /// Runs `sql` with `bindings` and waits for the result, after the rows held back: it may read them.
    func execute(_ sql: String, _ bindings: PostgresBindings) throws -> PostgresQueryResult {
        if !held.isEmpty { try sendHeldWrites() }
        if !sql.hasPrefix("SELECT") { nonReads.add(1, ordering: .relaxed) }
        return try send(sql, bindings)
    }

    /// One round trip: sends `sql` and waits for its answer.
    private func send(_ sql: String, _ bindings: PostgresBindings) throws -> PostgresQueryResult {
        try wait(for: sql) { connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) }
    }

    /// Waits for the answer `ask` sends for `sql`: one round trip.
    private func wait<T: Sendable>(for sql: String, _ ask: () -> EventLoopFuture<T>) throws -> T {
        roundTrips.add(sql)
        let answer = connection.eventLoop.makePromise(of: T.self)
        waiting.set { answer.fail(WaitingQuery.Lost()) }
        defer { waiting.set(nil) }
        ask().cascade(to: answer)
        if connection.isClosed { waiting.fail() }  // closed before `waiting` was set
        do {
            return try answer.futureResult.wait()
        } catch let error as PSQLError {
            throw PostgresFailure(error, sql: sql)
        } catch let error as PostgresError {
            throw PostgresFailure(error, sql: sql, connectionClosed: connection.isClosed)
        } catch is WaitingQuery.Lost {
            throw PostgresFailure(lostConnectionIn: sql)
        }
    }

    /// Rewrites SQLite's `?` placeholders as PostgreSQL's `$1`, `$2` … in order, leaving quoted text alone.
    static func numberPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result.append("$\(number)")
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// One PostgreSQL statement: its text with numbered placeholders, on a session.
struct PostgresStatement {
    let session: PostgresSession
    let sql: String

    /// Runs the statement and returns how many rows it changed.
    func run<each V: SQLBindable>(_ values: repeat each V) throws -> Int {
        try session.execute(sql, bindings(repeat each values)).metadata.rows ?? 0
    }

    /// The statement with `RETURNING column` appended.
    func returning(_ column: String) -> PostgresStatement {
        PostgresStatement(session: session, sql: sql + " RETURNING " + column)
    }

    /// Every row, or the first `limit`, each read by `read`.
    func all<each V: SQLBindable, T>(_ values: repeat each V, limit: Int?, read: (Columns) throws -> T) throws -> [T] {
        let result = try session.execute(sql, bindings(repeat each values))
        var rows: [T] = []
        for row in result.rows {
            if let limit, rows.count == limit { break }
            rows.append(try read(Columns(source: .postgres(try row.map(Self.value)))))
        }
        return rows
    }

    private func bindings<each V: SQLBindable>(_ values: repeat each V) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in repeat each values { value.append(to: &bindings) }
        return bindings
    }

    /// A cell as an integer, a double or text; booleans read as 0 or 1, as in SQLite.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            // `sum` of BIGINT is NUMERIC; the SQL casts where it matters, this keeps the rest exact.
            let number = NSDecimalNumber(decimal: try cell.decode(Decimal.self))
            return Decimal(number.int64Value) == number.decimalValue ? .int(number.int64Value) : .real(number.doubleValue)
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// The query a session waits for, so that the connection's closing can fail it.
private final class WaitingQuery: Sendable {
    private let failing = Mutex<(@Sendable () -> Void)?>(nil)

    /// Sets what fails the query waiting now (its promise's `fail`), or `nil` once it is answered.
    func set(_ fail: (@Sendable () -> Void)?) { failing.withLock { $0 = fail } }

    /// Fails the waiting query, if any, as lost with its connection (a query already answered stays answered).
    func fail() { failing.withLock { $0 }?() }

    /// The connection closed while the query waited.
    struct Lost: Error {}
}

/// An error PostgreSQL answered, with its SQLSTATE code, message and statement — or the connection's loss.
struct PostgresFailure: Error, CustomStringConvertible {
    let sqlState: String?
    let message: String
    let sql: String
    /// The connection failed or closed before the answer came: whether the statement took effect is unknown.
    let connectionLost: Bool

    init(_ error: PSQLError, sql: String) {
        sqlState = error.serverInfo?[.sqlState]
        message = error.serverInfo?[.message] ?? "\(error.code)"
        self.sql = sql
        connectionLost = [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code)
    }

    /// The same from PostgresNIO's older interface (prepared statements), which translates its errors.
    init(_ error: PostgresError, sql: String, connectionClosed: Bool) {
        switch error {
        case .server(let answer):
            sqlState = answer.fields[.sqlState]
            message = answer.fields[.message] ?? "\(error)"
            connectionLost = false
        case .connectionClosed:
            sqlState = nil
            message = "\(error)"
            connectionLost = true
        case .protocol:
            sqlState = nil
            message = "\(error)"
            connectionLost = connectionClosed
        }
        self.sql = sql
    }

    /// The connection closed while `sql` waited for its answer.
    init(lostConnectionIn sql: String) {
        sqlState = nil
        message = "the connection to PostgreSQL closed before the answer came"
        self.sql = sql
        connectionLost = true
    }

    var description: String { "PostgreSQL error \(sqlState ?? "?"): \(message) (in \(sql))" }
}
