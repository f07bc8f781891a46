import Foundation
import Logging
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
        let kinds = held.takeAll()
        guard let last = kinds.last else { return }
        var bindings = PostgresBindings(capacity: kinds.reduce(0) { $0 + $1.columns.count })
        for (_, columns) in kinds { for column in columns { bindings.append(column.literal) } }
        _ = try send(combined(kinds.map(\.write), last: last.write), bindings)
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

    /// Runs `sql` with `bindings` and waits for the result, after the rows held back: it may read them.
    func execute(_ sql: String, _ bindings: PostgresBindings) throws -> PostgresQueryResult {
        if !held.isEmpty { try sendHeldWrites() }
        if !sql.hasPrefix("SELECT") { nonReads.add(1, ordering: .relaxed) }
        return try send(sql, bindings)
    }

    /// One round trip: sends `sql` and waits for its answer.
    private func send(_ sql: String, _ bindings: PostgresBindings) throws -> PostgresQueryResult {
        roundTrips.add(sql)
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        waiting.set(answer)
        defer { waiting.set(nil) }
        connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).cascade(to: answer)
        if connection.isClosed { waiting.fail() }  // closed before `waiting` was set
        do {
            return try answer.futureResult.wait()
        } catch let error as PSQLError {
            throw PostgresFailure(error, sql: sql)
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
    private let promise = Mutex<EventLoopPromise<PostgresQueryResult>?>(nil)

    func set(_ waiting: EventLoopPromise<PostgresQueryResult>?) { promise.withLock { $0 = waiting } }

    /// Fails the waiting query, if any, as lost with its connection (a query already answered stays answered).
    func fail() { promise.withLock { $0 }?.fail(Lost()) }

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

    /// The connection closed while `sql` waited for its answer.
    init(lostConnectionIn sql: String) {
        sqlState = nil
        message = "the connection to PostgreSQL closed before the answer came"
        self.sql = sql
        connectionLost = true
    }

    var description: String { "PostgreSQL error \(sqlState ?? "?"): \(message) (in \(sql))" }
}
