import Foundation
import GRDB
import PatronCore

/// One connection inside a transaction or a read. The store's logic runs all its SQL through a session, the same
/// text on SQLite and PostgreSQL: `?` placeholders, types both understand, an insert returns its new key.
final class SQLSession {
    enum Connection {
        /// A GRDB connection; the writer's prepared statements, or `nil` on readers (which use GRDB's cache).
        case sqlite(Database, HotStatements?)
        case postgres(PostgresSession)
    }

    let connection: Connection
    /// The program version this transaction has checked: a batch reads it once, not once per event.
    var program: ProgramVersion?
    /// The webhook event kinds active subscriptions want, read once per transaction (see `SQLStore.subscribedKinds`).
    var subscribedKinds: Set<WebhookEventKind>?
    /// The channels each message kind goes out on, read once per transaction (see `SQLStore.messageChannels`).
    var messageTriggers: [MessageKind: [MessageChannel]]?
    /// Whether a running marketing campaign has an order bonus or multiplier, read once per transaction (see
    /// `SQLStore.programWithCampaigns`): without one, placing an order costs no campaign lookup.
    var runsOrderCampaigns: Bool?
    /// PostgreSQL's writer running a batch without savepoints: its lookups, and its rows held back (`write`).
    var batch: PostgresBatch?
    /// SQLite's writer: members by identity, kept across transactions.
    var knownMembers: KnownMembers?
    /// The kept aggregates' changes of this transaction, written at its end (`flushTallies`).
    var tallies = DailyTallies()

    init(_ connection: Connection) {
        self.connection = connection
    }

    /// Whether this is PostgreSQL, where several processes write: row locks and lost races matter only there.
    var isPostgres: Bool {
        if case .postgres = connection { return true }
        return false
    }

    /// Whether the transaction can go on: SQLite rolls a whole transaction back by itself after some errors (disk
    /// full, I/O), and anything run afterwards would commit on its own, outside the batch.
    var isInsideTransaction: Bool {
        switch connection {
        case .sqlite(let db, _): db.isInsideTransaction
        case .postgres: true
        }
    }

    /// The statement for `sql`, prepared once per connection.
    func prepare(_ sql: StaticString) throws -> SQLStatement {
        switch connection {
        case .sqlite(let db, let statements?): SQLStatement(.sqlite(try statements(db, sql)))
        case .sqlite(let db, nil): SQLStatement(.sqlite(SQLiteStatement(try db.cachedStatement(sql: sql.description))))
        case .postgres(let session): SQLStatement(.postgres(session.statement(sql)))
        }
    }

    /// The statement for `sql`, with `lock` appended on PostgreSQL (`FOR UPDATE`, `FOR UPDATE SKIP LOCKED`): row
    /// locks matter only where several processes write, and SQLite has no such clause.
    func prepare(_ sql: StaticString, postgresLock lock: StaticString?) throws -> SQLStatement {
        switch connection {
        case .sqlite: try prepare(sql)
        case .postgres(let session): SQLStatement(.postgres(session.statement(sql, suffix: lock)))
        }
    }

    /// The statement for SQL built at run time (a varying `IN` list, an optional filter).
    func prepare(dynamic sql: String) throws -> SQLStatement {
        switch connection {
        case .sqlite(let db, _): SQLStatement(.sqlite(SQLiteStatement(try db.cachedStatement(sql: sql))))
        case .postgres(let session): SQLStatement(.postgres(session.statement(sql)))
        }
    }

    /// The statement for SQL built at run time that is unlikely to be run again (it lists ids, say): prepared and not
    /// kept, where `prepare(dynamic:)` keeps every distinct text for the connection's life.
    func prepare(once sql: String) throws -> SQLStatement {
        switch connection {
        case .sqlite(let db, _): SQLStatement(.sqlite(SQLiteStatement(try db.makeStatement(sql: sql))))
        case .postgres(let session): SQLStatement(.postgres(session.statement(sql)))
        }
    }

    /// The member with `identity` as this writer already knows it: `.some(nil)` when known to have none, `nil` when
    /// it must look.
    func knownMember(_ identity: Identity) -> Int64?? {
        if let batch { return batch.members[ExactText(identity)] }
        guard let member = knownMembers?.member(identity) else { return nil }
        return .some(member)
    }

    /// Notes the member found (or given) for `identity` in this transaction.
    func remember(_ identity: Identity, member: Int64) {
        batch?.members[ExactText(identity)] = member
        knownMembers?.remember(identity, member: member)
    }

    /// Identities were removed: nothing known about them holds.
    func forgetIdentities() {
        batch?.members.removeAll()
        knownMembers?.forgetAll()
    }

    /// Writes one row of `write`: at once, or, in a PostgreSQL batch, held back to be sent with the batch's other rows
    /// of its kind in one statement, before the next statement that may read them.
    func write<each V: SQLBindable>(_ write: SetWrite, _ values: repeat each V) throws {
        if batch != nil, case .postgres(let session) = connection {
            session.held.add(write, repeat each values)
        } else {
            try prepare(write.single).run(repeat each values)
        }
    }

    /// Records a use of a limited rule by `member` on day number `day`, which later limits count; a PostgreSQL batch
    /// counts it into what it read ahead about the member (`PostgresBatch.usedRule`).
    func writeRuleUse(member: Int64, rule: String, day: Int) throws {
        try write(.ruleUse, member, rule, day)
        batch?.usedRule(rule, member: member, day: day)
    }

    /// Writes a ledger entry (the values of `SetWrite.entry`) and returns its id. In a PostgreSQL batch the id comes
    /// from the entries' sequence and the row is held back.
    func insertEntry<each V: SQLBindable>(_ values: repeat each V) throws -> Int64 {
        guard let batch, case .postgres(let session) = connection else { return try prepare(SetWrite.entry.single).insert(repeat each values) }
        let id = try batch.nextEntryId(self)
        session.held.add(.entry, id, repeat each values)
        return id
    }

    /// Sends the rows a PostgreSQL batch holds back (the group-commit writer does at the end of its batch).
    func sendHeldWrites() throws {
        guard case .postgres(let session) = connection else { return }
        try session.sendHeldWrites()
    }

    /// Runs `body` in a savepoint inside the current transaction: released on success, rolled back on error.
    func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        try prepare("SAVEPOINT request").run()
        let tallied = tallies.values
        do {
            let value = try body()
            try prepare("RELEASE SAVEPOINT request").run()
            return value
        } catch {
            knownMembers?.forgetUncommitted()
            tallies.restore(tallied)
            try prepare("ROLLBACK TO SAVEPOINT request").run()
            try prepare("RELEASE SAVEPOINT request").run()
            throw error
        }
    }
}

/// How the database refused a statement, where the logic must tell (a duplicate key, a lost race).
enum SQLFailure {
    /// A unique or primary key was already there.
    case duplicateKey
    /// PostgreSQL gave up a transaction to break a deadlock or keep serializability: run it again.
    case retryable
    /// The database cannot take writes now — the connection is lost, the server is shutting down or starting, the
    /// disk is full — but may again later, without Patron restarting.
    case unavailable
    case other

    init(_ error: any Error) {
        switch error {
        case let error as DatabaseError:
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE: self = .duplicateKey
            default: self = error.resultCode == .SQLITE_FULL ? .unavailable : .other
            }
        case let error as PostgresFailure:
            switch error.sqlState {
            case "23505": self = .duplicateKey
            case "40001", "40P01": self = .retryable
            // Connection exceptions (class 08), the server shutting down or starting (57P01–57P03), disk full (53100).
            case _ where error.connectionLost: self = .unavailable
            case let state? where state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53100"].contains(state): self = .unavailable
            default: self = .other
            }
        case let error as PatronError where error.code == .unavailable: self = .unavailable
        default: self = .other
        }
    }
}
