import Foundation
import PatronCore

extension SQLStore {
    public func apply(_ events: [OrderEvent], options: ApplyOptions) async -> [Result<OrderOutcome, PatronError>] {
        // Shape errors are answered without touching the database; the rest run in order, each in its own savepoint.
        let checked = events.map { event in Self.result { try event.validate(); return PreparedEvent(event) } }
        do {
            // Only PostgreSQL's writer reads ahead (SQLite's lookups are in-process calls).
            let lookahead = backend is PostgresBackend ? Self.lookahead(checked, history: options.history) : Lookahead()
            let results = try await writer.submitEach(checked, lookahead: lookahead) { db, item in
                try self.applyOne(db, item.get(), options)
            }
            return results.map { result in result.mapError { $0 as? PatronError ?? PatronError(.storage, "\($0)") } }
        } catch {
            let failure = error as? PatronError ?? PatronError(.storage, "\(error)")
            return checked.map { _ in Result.failure(failure) }
        }
    }

    /// What order events look up: their idempotency keys (history: placed orders' ids instead) and placed orders'
    /// members; each writes about one entry.
    static func lookahead(_ events: [Result<PreparedEvent, PatronError>], history: Bool = false) -> Lookahead {
        var lookahead = Lookahead()
        for case .success(let prepared) in events {
            if !history {
                lookahead.idempotencyKeys.append(prepared.key)
            } else if prepared.event.kind == .placed {
                lookahead.orderIds.append(prepared.event.orderId)
            }
            if let order = prepared.event.order { lookahead.identities.append(order.member) }
            lookahead.entries += 1
        }
        return lookahead
    }

    /// An order event checked, keyed and digested by its caller's task: the writer's thread, which every event
    /// waits for, does only what needs the database.
    struct PreparedEvent: Sendable {
        let event: OrderEvent
        let key: String
        let fingerprint: UInt64

        init(_ event: OrderEvent) {
            self.event = event
            key = "order-event:" + event.id
            fingerprint = event.fingerprint
        }
    }

    private func applyOne(_ db: SQLSession, _ prepared: PreparedEvent, _ options: ApplyOptions) throws -> OrderOutcome {
        let event = prepared.event
        // PostgreSQL's batch reads which webhook kinds are wanted before it holds any row: read after, it would send
        // the held rows first (a statement may read them), one more round trip per batch.
        if db.batch != nil { _ = try subscribedKinds(db) }
        if options.history {
            let outcome = try applyEvent(db, event, options)
            // Remembered for the batch's later events only once nothing in this event can fail and roll it back.
            if event.kind == .placed, !outcome.replayed { db.batch?.orders[ExactText(event.orderId)] = outcome.memberId }
            return outcome
        }
        let result: (value: OrderOutcome, replayed: Bool) = try idempotent(
            db, key: prepared.key, fingerprint: prepared.fingerprint, at: event.occurredAt, field: "occurredAt", formerly: event.fingerprintWithInstant
        ) { try applyEvent(db, event, options) }
        var outcome = result.value
        outcome.replayed = outcome.replayed || result.replayed  // a return applied earlier replays even without a record
        return outcome
    }

    /// Applies one order event in the caller's savepoint. In a history import (`ApplyOptions.history`) an event
    /// already applied, as its order tells, changes nothing and answers `replayed: true`.
    private func applyEvent(_ db: SQLSession, _ event: OrderEvent, _ options: ApplyOptions) throws -> OrderOutcome {
        let version = try requireProgram(db)
        let program = version.program
        var enrolled = false
        var step: OrderLedger.Step
        var account: Account
        if event.kind == .placed, let order = event.order {
            if options.history, let existing = try importedOrderMember(db, order.id) {
                // The same order from another customer is another order whose id clashes.
                guard try memberId(db, order.member) == existing else {
                    throw PatronError(.orderExists, "order \(order.id) is already in the store, for another customer than \(order.member)")
                }
                let status = try sql(db, "SELECT status FROM orders WHERE id = ?").one(order.id) { OrderRecord.Status(rawValue: $0.text(0)) } ?? nil
                return OrderOutcome(
                    eventId: event.id, orderId: order.id, memberId: existing, status: status ?? .placed, pendingDelta: 0, activeDelta: 0,
                    enrolled: false, replayed: true)
            }
            let owner: Int64
            var known: EarningFacts?  // what the earning rules would read about a member enrolled here: nothing yet
            if let id = try memberId(db, order.member) {
                owner = id
            } else if options.enrollUnknownMembers {
                try Self.checkEnrollment(program, order: order)
                let (id, state) = try PostgresBatch.enrolling(db) {
                    let id = try insertMember(db, EnrollmentRequest(identities: [order.member]), at: event.occurredAt, version: version.version)
                    return (id, try reviewLevel(db, member: id, trigger: .qualifyingEvent, at: event.occurredAt, version: version, fresh: true))
                }
                owner = id
                known = EarningFacts(state: state ?? LevelState())
                enrolled = true
            } else {
                throw PatronError(.notFound, "no member with identity \(order.member); enroll them first")
            }
            try lockMembers(db, owner)
            // Paying with points takes active points; otherwise placing moves only pending points.
            account = order.pointsUsed > 0 ? try loadAccount(db, member: owner, lots: true) : Account(memberId: owner, balances: .zero, lots: [])
            let context = try earningContext(db, member: owner, program: program, at: event.occurredAt, known: known)
            // Running marketing campaigns add their order rules (within their budgets) for treated members.
            let (earningProgram, earned) = try programWithCampaigns(db, order: order, member: owner, program: program, context: context)
            step = try OrderLedger.place(
                order, memberId: owner, at: event.occurredAt, program: earningProgram, version: version.version, context: context, earned: earned,
                account: &account)
            do {
                try insertOrder(db, step.record, order: order, breakdown: Self.storedBreakdown(step.earning))
                tallyOrder(db, step.record.placedAt, from: .none, to: OrderCount(step.record), calendar: program.calendar)
            } catch where SQLFailure(error) == .duplicateKey {
                throw PatronError(.orderExists, "order \(order.id) was already placed by another event")
            }
            try recordRuleUses(db, member: owner, earning: step.earning!, program: program, at: event.occurredAt)
            if let partner = order.partner {
                guard program.partners.contains(where: { $0.id == partner }) else {
                    throw PatronError(.invalidInput, "order \(order.id): '\(partner)' is not a partner of \(program.name)")
                }
                try sql(db, "UPDATE orders SET partner = ? WHERE id = ?").run(partner, order.id)
            }
            if let code = order.couponCode {
                let id = try sql(db, "SELECT id FROM redemptions WHERE coupon_code = ?").one(code) { $0.int(0) }
                let (coupon, terms) = try checkCoupon(db, id: id, code: code, member: owner, goods: order.goodsAmount, at: event.occurredAt, program: version)
                let used = try coupon.status.next(after: .use, kind: .coupon(terms), redemption: coupon.id)
                try sql(db, "UPDATE redemptions SET status = ?, order_id = ? WHERE id = ?").run(used.rawValue, order.id, coupon.id)
            }
        } else {
            guard let record = try fetchOrder(db, id: event.orderId, lines: event.kind == .returned, forUpdate: true) else {
                throw PatronError(.notFound, "no order \(event.orderId)")
            }
            if try appliedBefore(db, event, record, history: options.history) {
                return OrderOutcome(
                    eventId: event.id, orderId: record.orderId, memberId: record.memberId, status: record.status, pendingDelta: 0, activeDelta: 0,
                    enrolled: false, replayed: true)
            }
            // Only an activation (a completion without a pending period) or a return of active points touches active points.
            let givesBackPayment = record.pointsUsed > record.pointsRestored && (event.kind == .returned || event.kind == .cancelled)
            let touchesActive = (event.kind == .completed && program.pendingDays == 0) || (event.kind == .returned && record.status == .active)
                || givesBackPayment
            account =
                touchesActive
                ? try loadAccount(db, member: record.memberId, lots: event.kind == .returned) : Account(memberId: record.memberId, balances: .zero, lots: [])
            switch event.kind {
            case .completed:
                step = try OrderLedger.complete(record, at: event.occurredAt, program: program, account: &account)
                // The survey job (on when the program has `care.surveys`) asks about the running shop's recent
                // completions, not about imported history.
                if !options.history, program.care.surveys != nil { try db.write(.surveyCandidate, record.orderId, event.occurredAt.ms) }
            case .cancelled:
                step = try OrderLedger.cancel(record, paid: try paidLots(db, record), at: event.occurredAt, account: &account)
                // A coupon used on the order can be used again (until it expires).
                let (used, released) = (RedemptionStatus.used, RedemptionStatus.used.after(.release)!)
                try sql(db, "UPDATE redemptions SET status = ?, order_id = NULL WHERE order_id = ? AND status = ?").run(
                    released.rawValue, record.orderId, used.rawValue)
            case .returned:
                let ownLot = try sql(db, "SELECT l.id FROM entries e JOIN lots l ON l.id = e.id WHERE e.member_id = ? AND e.order_id = ? ORDER BY e.id LIMIT 1").one(
                    record.memberId, record.orderId
                ) { $0.int(0) }
                step = try OrderLedger.return(
                    record, lines: event.lines, ownLot: ownLot, paid: try paidLots(db, record), at: event.occurredAt, account: &account)
            case .placed: throw PatronError(.invalidInput, "event \(event.id): a placed event needs the order")
            }
            try updateOrder(db, step.record, lines: event.kind == .returned)
            if event.kind == .cancelled || event.kind == .returned {
                try tallyOrderChange(db, from: record, to: step.record, linesRead: event.kind == .returned, calendar: program.calendar)
            }
            // When it was first returned or cancelled, which a replay needs even when no points moved.
            switch event.kind {
            case .returned:
                try sql(db, "UPDATE orders SET returned_at = ? WHERE id = ? AND returned_at IS NULL").run(event.occurredAt.ms, record.orderId)
                try sql(db, "INSERT INTO applied_returns (event_id) VALUES (?)").run(event.id)
                try openLargeReturnTicket(db, event: event, before: record, after: step.record, program: program)
            case .cancelled: try sql(db, "UPDATE orders SET cancelled_at = ? WHERE id = ?").run(event.occurredAt.ms, record.orderId)
            default: break
            }
        }
        try post(db, step.entries, account: account, version: version.version, at: event.occurredAt)
        try announce(db, orderEvent: event, step: step, member: account.memberId)
        // After the order's own entries, so that points-based levels count them and referral credits see the balances.
        switch event.kind {
        case .completed:
            try reviewLevel(db, member: account.memberId, trigger: .qualifyingEvent, at: event.occurredAt, version: version)
            try rewardReferral(db, member: account.memberId, at: event.occurredAt, version: version)
        case .returned, .cancelled:
            try reviewLevel(db, member: account.memberId, trigger: .returned, at: event.occurredAt, version: version)
        case .placed: break
        }
        // What the batch read ahead about the member: a placed order it follows, other events' changes it does not.
        if event.kind == .placed { db.batch?.placedOrder(member: account.memberId) } else { db.batch?.applied.insert(account.memberId) }
        return OrderOutcome(
            eventId: event.id, orderId: event.orderId, memberId: account.memberId, status: step.record.status,
            pendingDelta: step.entries.reduce(0) { $0 + $1.pendingDelta }, activeDelta: step.entries.reduce(0) { $0 + $1.activeDelta },
            enrolled: enrolled, replayed: false)
    }

    /// In a history import, the member of order `id` if it is in the store already (the batch's lookahead knows on
    /// PostgreSQL).
    private func importedOrderMember(_ db: SQLSession, _ id: String) throws -> Int64? {
        if let known = db.batch?.orders[ExactText(id)] { return known }
        return try sql(db, "SELECT member_id FROM orders WHERE id = ?").one(id) { $0.int(0) }
    }

    /// Whether `event` was applied already though no idempotency record says so. A return is known by its event id
    /// (`applied_returns`, written by the import and the live path alike, so neither applies the other's again). In a
    /// history import, which writes no idempotency records, a completion is known by the order's completion time and a
    /// cancellation by its status; on the live path those are refused as transitions the order has made.
    private func appliedBefore(_ db: SQLSession, _ event: OrderEvent, _ record: OrderRecord, history: Bool) throws -> Bool {
        switch event.kind {
        case .placed: return false
        case .returned: return try sql(db, "SELECT 1 FROM applied_returns WHERE event_id = ?").one(event.id) { $0.int(0) } != nil
        case .completed: return history && record.completedAt != nil
        case .cancelled: return history && record.status == .cancelled
        }
    }

    /// The lots still holding points an order was paid with, and how many of each.
    func paidLots(_ db: SQLSession, _ record: OrderRecord) throws -> [(lot: Lot, points: Int64)] {
        guard record.pointsUsed > record.pointsRestored else { return [] }
        return try sql(
            db,
            """
            SELECT l.id, l.points, l.remaining, le.occurred_at, l.expires_at, le.order_id, -sum(a.points)
            FROM allocations a JOIN entries e ON e.id = a.entry_id AND e.member_id = a.member_id
            JOIN lots l ON l.id = a.lot_id AND l.member_id = a.member_id JOIN entries le ON le.id = l.id AND le.member_id = l.member_id
            WHERE e.member_id = ? AND e.order_id = ? AND e.kind = ?
            GROUP BY l.id, l.points, l.remaining, le.occurred_at, l.expires_at, le.order_id HAVING sum(a.points) < 0
            """
        ).all(record.memberId, record.orderId, LedgerEntry.Kind.redeem.rawValue) {
            (lot: Lot(id: $0.int(0), memberId: record.memberId, points: $0.int(1), remaining: $0.int(2), createdAt: Date(ms: $0.int(3)),
                      expiresAt: $0.optionalInt(4).map(Date.init(ms:)), orderId: $0.optionalText(5)), points: $0.int(6))
        }
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

    /// Writes a placed order's row: its record, and what its earning rules read besides the lines (shipping, tax,
    /// channel), so that `patron program compare` can replay it through another program.
    func insertOrder(_ db: SQLSession, _ record: OrderRecord, order: Order, breakdown: String?) throws {
        // The lines go into the order's own row (`OrderLinesColumn`): a separate row per line was one more b-tree
        // write per order event.
        try db.write(
            .order,
            record.orderId, record.memberId, record.status.rawValue, record.placedAt.ms, record.completedAt?.ms, record.activatesAt?.ms,
            record.amount, record.keptAmount, record.discount, record.points, record.base, record.reversedPoints, record.programVersion, breakdown,
            record.pointsUsed, OrderLinesColumn.encode(record.lines), order.shipping, order.tax, order.channel)
    }

    func updateOrder(_ db: SQLSession, _ record: OrderRecord, lines: Bool) throws {
        try sql(db, "UPDATE orders SET status = ?, completed_at = ?, activates_at = ?, reversed_points = ?, points_restored = ? WHERE id = ?").run(
            record.status.rawValue, record.completedAt?.ms, record.activatesAt?.ms, record.reversedPoints, record.pointsRestored, record.orderId)
        guard lines else { return }
        try sql(db, "UPDATE orders SET kept = ?, lines = ? WHERE id = ?").run(record.keptAmount, OrderLinesColumn.encode(record.lines), record.orderId)
    }

    /// An order; `forUpdate` locks it on PostgreSQL until the transaction ends, for a change that writes it back.
    func fetchOrder(_ db: SQLSession, id: String, lines withLines: Bool, forUpdate: Bool = false) throws -> OrderRecord? {
        let lock: StaticString? = forUpdate ? "FOR UPDATE" : nil
        guard withLines else {
            return try sql(
                db,
                """
                SELECT id, member_id, status, placed_at, completed_at, activates_at, amount, points, base, reversed_points, program_version,
                    discount, points_used, points_restored
                FROM orders WHERE id = ?
                """,
                postgresLock: lock
            ).one(id, read: Self.orderRecord)
        }
        guard
            let row = try sql(
                db,
                """
                SELECT id, member_id, status, placed_at, completed_at, activates_at, amount, points, base, reversed_points, program_version,
                    discount, points_used, points_restored, lines
                FROM orders WHERE id = ?
                """,
                postgresLock: lock
            ).one(id, read: { (Self.orderRecord($0), $0.text(14)) })
        else { return nil }
        var record = row.0
        record.lines = try OrderLinesColumn.decode(row.1)
        return record
    }

    /// An order record without its lines, from a row of `SELECT id, member_id, status, placed_at, completed_at,
    /// activates_at, amount, points, base, reversed_points, program_version, discount FROM orders`.
    static func orderRecord(_ row: Columns) -> OrderRecord {
        var record = OrderRecord(
            orderId: row.text(0), memberId: row.int(1), status: OrderRecord.Status(rawValue: row.text(2))!, placedAt: Date(ms: row.int(3)),
            completedAt: row.optionalInt(4).map(Date.init(ms:)), activatesAt: row.optionalInt(5).map(Date.init(ms:)),
            amount: row.int(6), discount: row.int(11), points: row.int(7), base: row.int(8), reversedPoints: row.int(9),
            programVersion: Int(row.int(10)), lines: [])
        record.pointsUsed = row.int(12)
        record.pointsRestored = row.int(13)
        return record
    }
}
