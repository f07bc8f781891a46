import Foundation

/// The rules of an order's points through its life: placed → completed → active, cancelled, returned.
/// Pure: each step takes the recorded state and returns the new state with the ledger entries to write.
public enum OrderLedger {
    /// A step's result.
    public struct Step: Sendable {
        /// The order's state afterwards.
        public var record: OrderRecord
        /// The entries to write, in order.
        public var entries: [LedgerEntry.Draft]
        /// What the order earned, rule by rule (placing only).
        public var earning: Earning? = nil
    }

    /// Records a placed order: its points are pending. `earned`, when given, is what `program` earns on the order
    /// (`earningOrder`), already computed by the caller: the order is then not earned a second time.
    public static func place(
        _ order: Order, memberId: Int64, at date: Date, program: Program, version: Int, context: EarningContext? = nil, earned: Earning? = nil,
        account: inout Account
    ) throws -> Step {
        let earning = try earned ?? EarningCalculator.earning(of: earningOrder(order, program: program), under: program, context: context ?? EarningContext(at: date))
        let lines = zip(order.lines, earning.lineBases).map { line, base in
            RecordedLine(lineId: line.id, sku: line.sku, category: line.category, quantity: line.quantity, netAmount: line.netAmount, base: base)
        }
        var record = OrderRecord(
            orderId: order.id, memberId: memberId, status: .placed, placedAt: date, amount: order.goodsAmount,
            discount: order.lines.reduce(order.discount) { $0 + $1.discount },
            points: earning.points, base: earning.base, programVersion: version, lines: lines)
        record.pointsUsed = order.pointsUsed
        var entries = earning.points > 0 ? [account.pending(.pending, delta: earning.points, orderId: order.id)] : []
        if order.pointsUsed > 0 {
            entries += try account.take(
                .redeem, points: order.pointsUsed, allowNegative: false, at: date, orderId: order.id, reason: "paid order \(order.id)")
        }
        return Step(record: record, entries: entries, earning: earning)
    }

    /// The order as its earning rules see it: the part paid with points (within the program's share of the goods)
    /// is a discount, since it earns nothing. Throws `invalidInput` when the program takes no points or the share is
    /// exceeded.
    public static func earningOrder(_ order: Order, program: Program) throws -> Order {
        var earningOrder = order
        if order.pointsUsed > 0 {
            guard let payment = program.pointsAsPayment else {
                throw PatronError(.invalidInput, "order \(order.id): \(program.name) does not accept points as payment")
            }
            let paid = Rate.divide(order.pointsUsed, times: payment.perMinor, by: payment.points, rounding: .floor) ?? 0
            let most = Rate.divide(order.goodsAmount, times: Int64(payment.maxPercent), by: 100, rounding: .floor) ?? 0
            guard paid <= most else {
                throw PatronError(.invalidInput, "order \(order.id): points may pay at most \(payment.maxPercent) % of the goods (\(most) minor units), not \(paid)")
            }
            earningOrder.discount += paid
        }
        return earningOrder
    }

    /// Completes an order: the pending period starts now, and with no pending period the points activate at once.
    public static func complete(_ record: OrderRecord, at date: Date, program: Program, account: inout Account) throws -> Step {
        guard record.status == .placed else {
            throw PatronError(.invalidTransition, "order \(record.orderId) is \(record.status.rawValue); only a placed order can be completed")
        }
        var record = record
        record.status = .completed
        record.completedAt = date
        guard program.pendingDays > 0 else {
            record.activatesAt = date
            return activate(record, at: date, program: program, account: &account)
        }
        record.activatesAt = program.calendar.adding(days: program.pendingDays, to: date)
        return Step(record: record, entries: [])
    }

    /// Activates a completed order whose pending period has ended: its net points become a lot.
    public static func activate(_ record: OrderRecord, at date: Date, program: Program, account: inout Account) -> Step {
        precondition(record.status == .completed)
        var record = record
        record.status = .active
        let points = record.netPoints
        guard points > 0 else { return Step(record: record, entries: []) }
        let activatedAt = record.activatesAt ?? date
        let entry = account.credit(
            .activate, points: points, pendingDelta: -points, expiresAt: program.expiry.expiry(of: activatedAt, in: program.calendar),
            orderId: record.orderId, at: activatedAt)
        return Step(record: record, entries: [entry])
    }

    /// Gives back points paid with, up to a cumulative `target`, from `paid` (the lots still holding them, taken
    /// last-expiring first so the member gets back the longest-lasting points).
    static func restorePayment(_ record: inout OrderRecord, target: Int64, paid: [(lot: Lot, points: Int64)], at date: Date, account: inout Account)
        -> [LedgerEntry.Draft]
    {
        var left = target - record.pointsRestored
        guard left > 0 else { return [] }
        var back: [(lot: Lot, points: Int64)] = []
        for item in paid.sorted(by: { Lot.spendingOrder($1.lot, $0.lot) }) where left > 0 {
            let amount = min(left, item.points)
            back.append((item.lot, amount))
            left -= amount
        }
        record.pointsRestored = target - left
        return account.restore(back, kind: .redeem, at: date, reason: "points paid for order \(record.orderId) given back").map {
            var draft = $0
            draft.orderId = record.orderId
            return draft
        }
    }

    /// Cancels an order whose points are still pending; points it was paid with come back.
    public static func cancel(
        _ record: OrderRecord, paid: [(lot: Lot, points: Int64)] = [], at date: Date, account: inout Account
    ) throws -> Step {
        guard record.status == .placed || record.status == .completed else {
            let hint = record.status == .active ? "; its points are active, so send a return instead" : ""
            throw PatronError(.invalidTransition, "order \(record.orderId) is \(record.status.rawValue)\(hint)")
        }
        var record = record
        record.status = .cancelled
        let points = record.netPoints
        var entries = points > 0 ? [account.pending(.void, delta: -points, orderId: record.orderId, reason: "order cancelled")] : []
        entries += restorePayment(&record, target: record.pointsUsed, paid: paid, at: date, account: &account)
        return Step(record: record, entries: entries)
    }

    /// Records returned goods and reverses points in proportion to the base returned, using the amounts recorded when
    /// the order earned. The cumulative reversal is `floor(points × returned base / base)`, so partial returns never
    /// drift and a full return reverses exactly what was earned. Active points come from the order's own lot first.
    public static func `return`(
        _ record: OrderRecord, lines returned: [ReturnedLine]?, ownLot: Int64?, paid: [(lot: Lot, points: Int64)] = [],
        at date: Date, account: inout Account
    ) throws -> Step {
        guard record.status != .cancelled else {
            throw PatronError(.invalidTransition, "order \(record.orderId) is cancelled; nothing can be returned")
        }
        var record = record
        if let returned {
            for item in returned {
                guard let index = record.lines.firstIndex(where: { $0.lineId == item.lineId }) else {
                    throw PatronError(.notFound, "order \(record.orderId) has no line '\(item.lineId)'")
                }
                let line = record.lines[index]
                guard line.returnedQuantity + item.quantity <= line.quantity else {
                    throw PatronError(
                        .returnExceedsOrder,
                        "order \(record.orderId) line '\(item.lineId)': \(item.quantity) returned, but only \(line.quantity - line.returnedQuantity) of \(line.quantity) remain")
                }
                record.lines[index].returnedQuantity += item.quantity
            }
        } else {
            guard record.lines.contains(where: { $0.returnedQuantity < $0.quantity }) else {
                throw PatronError(.returnExceedsOrder, "order \(record.orderId) has already been returned in full")
            }
            for index in record.lines.indices { record.lines[index].returnedQuantity = record.lines[index].quantity }
        }
        // Points paid with come back in proportion to the goods' value returned.
        let net = record.lines.reduce(Int64(0)) { $0 + $1.netAmount }
        let returnedNet = record.lines.reduce(Int64(0)) {
            $0 + Rate.divide($1.netAmount, times: Int64($1.returnedQuantity), by: Int64($1.quantity), rounding: .floor)!
        }
        let paidTarget = record.lines.allSatisfy({ $0.returnedQuantity == $0.quantity }) || net == 0
            ? record.pointsUsed : Rate.divide(record.pointsUsed, times: returnedNet, by: net, rounding: .floor)!
        let restored = restorePayment(&record, target: paidTarget, paid: paid, at: date, account: &account)
        let target = reversal(of: record)
        let delta = target - record.reversedPoints
        record.reversedPoints = target
        guard delta > 0 else { return Step(record: record, entries: restored) }
        let reason = returned == nil ? "order returned" : "lines returned"
        let entries: [LedgerEntry.Draft]
        if record.status == .active {
            entries = try account.take(
                .reverse, points: delta, preferring: ownLot.map { [$0] } ?? [], allowNegative: true, at: date, orderId: record.orderId,
                reason: reason)
        } else {
            entries = [account.pending(.reverse, delta: -delta, orderId: record.orderId, reason: reason)]
        }
        return Step(record: record, entries: restored + entries)
    }

    /// Points that returns have taken back in total, from the recorded line bases.
    public static func reversal(of record: OrderRecord) -> Int64 {
        if record.lines.allSatisfy({ $0.returnedQuantity == $0.quantity }) { return record.points }
        guard record.base > 0 else { return 0 }
        let returnedBase = record.lines.reduce(Int64(0)) {
            $0 + Rate.divide($1.base, times: Int64($1.returnedQuantity), by: Int64($1.quantity), rounding: .floor)!
        }
        return Rate.divide(record.points, times: returnedBase, by: record.base, rounding: .floor)!
    }
}
