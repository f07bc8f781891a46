import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    public func apply(_ events: [OrderEvent], options: ApplyOptions) async -> [Result<OrderOutcome, PatronError>] {
        // Shape errors are answered without touching the database; the rest run in order, each in its own savepoint.
        let checked = events.map { event in Self.result { try event.validate(); return event } }
        do {
            return try await writer.submit { db in
                checked.map { item in
                    item.flatMap { event in
                        Self.result {
                            var outcome: OrderOutcome?
                            try db.inSavepoint {
                                outcome = try self.applyOne(db, event, options)
                                return .commit
                            }
                            return outcome!
                        }
                    }
                }
            }
        } catch {
            let failure = error as? PatronError ?? PatronError(.storage, "\(error)")
            return checked.map { _ in Result.failure(failure) }
        }
    }

    private func applyOne(_ db: Database, _ event: OrderEvent, _ options: ApplyOptions) throws -> OrderOutcome {
        let result: (value: OrderOutcome, replayed: Bool) = try idempotent(db, key: "order-event:\(event.id)", fingerprint: event.fingerprint) {
            let version = try requireProgram(db)
            let program = version.program
            var enrolled = false
            var step: OrderLedger.Step
            var account: Account
            if event.kind == .placed, let order = event.order {
                guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM orders WHERE id = ?"), arguments: [order.id]) == nil else {
                    throw PatronError(.orderExists, "order \(order.id) was already placed by another event")
                }
                let owner: Int64
                if let id = try memberId(db, order.member) {
                    owner = id
                } else if options.enrollUnknownMembers {
                    try Self.checkEnrollment(program, order: order)
                    owner = try insertMember(db, EnrollmentRequest(identities: [order.member]), at: event.occurredAt, version: version.version)
                    enrolled = true
                } else {
                    throw PatronError(.notFound, "no member with identity \(order.member); enroll them first")
                }
                account = try loadAccount(db, member: owner, lots: false)
                step = try OrderLedger.place(order, memberId: owner, at: event.occurredAt, program: program, version: version.version, account: &account)
                try insertOrder(db, step.record)
            } else {
                guard let record = try fetchOrder(db, id: event.orderId, lines: event.kind == .returned) else {
                    throw PatronError(.notFound, "no order \(event.orderId)")
                }
                account = try loadAccount(db, member: record.memberId, lots: event.kind == .returned && record.status == .active)
                switch event.kind {
                case .completed: step = try OrderLedger.complete(record, at: event.occurredAt, program: program, account: &account)
                case .cancelled: step = try OrderLedger.cancel(record, account: &account)
                case .returned:
                    let ownLot = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT id FROM lots WHERE order_id = ? AND member_id = ? ORDER BY id LIMIT 1"),
                        arguments: [record.orderId, record.memberId])
                    step = try OrderLedger.return(record, lines: event.lines, ownLot: ownLot, account: &account)
                case .placed: throw PatronError(.invalidInput, "event \(event.id): a placed event needs the order")
                }
                try updateOrder(db, step.record, lines: event.kind == .returned)
            }
            try post(db, step.entries, account: account, version: version.version, at: event.occurredAt)
            return OrderOutcome(
                eventId: event.id, orderId: event.orderId, memberId: account.memberId, status: step.record.status,
                pendingDelta: step.entries.reduce(0) { $0 + $1.pendingDelta }, activeDelta: step.entries.reduce(0) { $0 + $1.activeDelta },
                enrolled: enrolled, replayed: false)
        }
        var outcome = result.value
        outcome.replayed = result.replayed
        return outcome
    }

    /// Whether an order lets its unknown customer join the program.
    static func checkEnrollment(_ program: Program, order: Order) throws {
        if case .restricted(.minimumSpend(let minimum)) = program.enrollment, order.goodsAmount < minimum {
            throw PatronError(
                .enrollmentRefused,
                "order \(order.id) of \(Money(minor: order.goodsAmount, program.currency)) is below the \(Money(minor: minimum, program.currency)) needed to join \(program.name)")
        }
    }

    /// Runs `body`, turning any error into a `PatronError`.
    static func result<T>(_ body: () throws -> T) -> Result<T, PatronError> {
        do { return .success(try body()) } catch let error as PatronError { return .failure(error) } catch {
            return .failure(PatronError(.storage, "\(error)"))
        }
    }

    func insertOrder(_ db: Database, _ record: OrderRecord) throws {
        try db.run(
            """
            INSERT INTO orders (id, member_id, status, placed_at, completed_at, activates_at, amount, points, base, reversed_points, program_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [record.orderId, record.memberId, record.status.rawValue, record.placedAt.ms, record.completedAt?.ms, record.activatesAt?.ms,
             record.amount, record.points, record.base, record.reversedPoints, record.programVersion])
        for (position, line) in record.lines.enumerated() {
            try db.run(
                """
                INSERT INTO order_lines (order_id, line_id, position, sku, category, quantity, net_amount, base, returned_quantity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [record.orderId, line.lineId, position, line.sku, line.category, line.quantity, line.netAmount, line.base, line.returnedQuantity])
        }
    }

    func updateOrder(_ db: Database, _ record: OrderRecord, lines: Bool) throws {
        try db.run(
            "UPDATE orders SET status = ?, completed_at = ?, activates_at = ?, reversed_points = ? WHERE id = ?",
            [record.status.rawValue, record.completedAt?.ms, record.activatesAt?.ms, record.reversedPoints, record.orderId])
        guard lines else { return }
        for line in record.lines {
            try db.run(
                "UPDATE order_lines SET returned_quantity = ? WHERE order_id = ? AND line_id = ?",
                [line.returnedQuantity, record.orderId, line.lineId])
        }
    }

    func fetchOrder(_ db: Database, id: String, lines withLines: Bool) throws -> OrderRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE id = ?"), arguments: [id]) else { return nil }
        let lines =
            withLines
            ? try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_lines WHERE order_id = ? ORDER BY position"), arguments: [id]).map {
                RecordedLine(
                    lineId: $0["line_id"], sku: $0["sku"], category: $0["category"], quantity: $0["quantity"], netAmount: $0["net_amount"],
                    base: $0["base"], returnedQuantity: $0["returned_quantity"])
            } : []
        return OrderRecord(
            orderId: id, memberId: row["member_id"], status: OrderRecord.Status(rawValue: row["status"])!, placedAt: Date(ms: row["placed_at"]),
            completedAt: (row["completed_at"] as Int64?).map(Date.init(ms:)), activatesAt: (row["activates_at"] as Int64?).map(Date.init(ms:)),
            amount: row["amount"], points: row["points"], base: row["base"], reversedPoints: row["reversed_points"],
            programVersion: row["program_version"], lines: lines)
    }
}
