import Foundation

/// A member's points as loaded inside one transaction: balances and open lots. Its methods decide how a change moves
/// points between lots and return the entry that records it; the store writes what they return.
///
/// Invariant, checked by `patron check`: the open lots hold exactly the positive part of the active balance
/// (Σ remaining = max(active, 0)). A negative active balance is a debt that the next credit pays off first.
public struct Account: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The balances.
    public var balances: Balances
    /// Lots with points left, in any order.
    public var lots: [Lot]

    /// Makes an account.
    public init(memberId: Int64, balances: Balances, lots: [Lot]) {
        self.memberId = memberId
        self.balances = balances
        self.lots = lots
    }

    /// Adds active points as a new lot. A negative balance is paid off first, so the lot keeps only what is left.
    public mutating func credit(
        _ kind: LedgerEntry.Kind, points: Int64, pendingDelta: Int64 = 0, expiresAt: Date?, orderId: String? = nil,
        reason: String? = nil, actor: String? = nil, at occurredAt: Date? = nil
    ) -> LedgerEntry.Draft {
        precondition(points >= 0)
        let debt = max(0, -balances.active)
        let remaining = max(0, points - debt)
        let draft = LedgerEntry.Draft(
            kind: kind, activeDelta: points, pendingDelta: pendingDelta, orderId: orderId, reason: reason, actor: actor,
            newLot: NewLot(points: points, remaining: remaining, expiresAt: expiresAt), occurredAt: occurredAt)
        balances.post(draft)
        return draft
    }

    /// Takes active points at `instant`: from the `preferred` lots first (an order's own lot, for a return), then the
    /// earliest-expiring lots. Lots whose expiry has passed by `instant` expire first, whether or not the expiry job has
    /// run, so expired points are never spent. What the lots cannot cover makes the balance negative when
    /// `allowNegative`, and otherwise throws `insufficientPoints` without changing anything.
    ///
    /// Returns the expiry entries, if any, then the taking entry (always last).
    public mutating func take(
        _ kind: LedgerEntry.Kind, points: Int64, preferring preferred: Set<Int64> = [], allowNegative: Bool, at instant: Date,
        orderId: String? = nil, reason: String? = nil, actor: String? = nil
    ) throws -> [LedgerEntry.Draft] {
        precondition(points >= 0)
        let available = lots.reduce(0) { $0 + (($1.expiresAt ?? .distantFuture) > instant ? $1.remaining : 0) }
        guard allowNegative || available >= points else {
            throw PatronError(.insufficientPoints, "member \(memberId) holds \(max(available, 0)) active points; \(points) are needed")
        }
        let expired = expire(asOf: instant)
        let order = lots.indices.sorted { a, b in
            let (x, y) = (lots[a], lots[b])
            let (px, py) = (preferred.contains(x.id), preferred.contains(y.id))
            return px != py ? px : Lot.spendingOrder(x, y)
        }
        var left = points
        var allocations: [Allocation] = []
        for index in order where left > 0 && lots[index].remaining > 0 {
            let taken = min(left, lots[index].remaining)
            lots[index].remaining -= taken
            allocations.append(Allocation(lotId: lots[index].id, points: -taken))
            left -= taken
        }
        lots.removeAll { $0.remaining == 0 }
        let draft = LedgerEntry.Draft(
            kind: kind, activeDelta: -points, orderId: orderId, reason: reason, actor: actor, allocations: allocations)
        balances.post(draft)
        return expired + [draft]
    }

    /// Expires what is left in every lot whose expiry is at or before `instant`, earliest first: one entry per expiry
    /// instant, with an allocation per lot (lots expiring together, at a year's end say, make one entry, not one each:
    /// issue 19's bytes per order). The entry names the order of its lot when it expires one lot alone.
    public mutating func expire(asOf instant: Date) -> [LedgerEntry.Draft] {
        let due = lots.filter { ($0.expiresAt ?? .distantFuture) <= instant && $0.remaining > 0 }.sorted(by: Lot.spendingOrder)
        var groups: [[Lot]] = []
        for lot in due {
            if let last = groups.last?.last, last.expiresAt == lot.expiresAt { groups[groups.count - 1].append(lot) } else { groups.append([lot]) }
        }
        return groups.map { group in
            let draft = LedgerEntry.Draft(
                kind: .expire, activeDelta: -group.reduce(0) { $0 + $1.remaining }, orderId: group.count == 1 ? group[0].orderId : nil,
                allocations: group.map { Allocation(lotId: $0.id, points: -$0.remaining) }, occurredAt: group[0].expiresAt)
            balances.post(draft)
            let ids = Set(group.map(\.id))
            lots.removeAll { ids.contains($0.id) }
            return draft
        }
    }

    /// Gives back points that an entry took from lots (a reversed redemption): each lot gets back what was taken from
    /// it, keeping its original expiry; points whose lot has expired by `instant` expire again at once; a negative
    /// balance is paid first. Returns the giving-back entry, then an expiry entry when needed.
    public mutating func restore(_ taken: [(lot: Lot, points: Int64)], kind: LedgerEntry.Kind, at instant: Date, reason: String) -> [LedgerEntry.Draft] {
        let total = taken.reduce(0) { $0 + $1.points }
        var debt = max(0, -balances.active)
        var allocations: [Allocation] = []
        var expiring: [Allocation] = []
        // The earliest-expiring points pay the debt first, as spending would, so the member keeps the longest-lasting ones.
        for (lot, points) in taken.sorted(by: { Lot.spendingOrder($0.lot, $1.lot) }) {
            let paid = min(debt, points)
            debt -= paid
            let back = points - paid
            guard back > 0 else { continue }
            allocations.append(Allocation(lotId: lot.id, points: back))
            if let expiry = lot.expiresAt, expiry <= instant {
                expiring.append(Allocation(lotId: lot.id, points: -back))
            } else if let index = lots.firstIndex(where: { $0.id == lot.id }) {
                lots[index].remaining += back
            } else {
                var reopened = lot
                reopened.remaining += back
                lots.append(reopened)
            }
        }
        var drafts = [LedgerEntry.Draft(kind: kind, activeDelta: total, reason: reason, allocations: allocations, occurredAt: instant)]
        balances.post(drafts[0])
        if !expiring.isEmpty {
            let expired = LedgerEntry.Draft(
                kind: .expire, activeDelta: expiring.reduce(0) { $0 + $1.points }, reason: "returned after its lot expired", allocations: expiring,
                occurredAt: instant)
            balances.post(expired)
            drafts.append(expired)
        }
        return drafts
    }

    /// Posts an entry that moves only pending points.
    public mutating func pending(_ kind: LedgerEntry.Kind, delta: Int64, orderId: String, reason: String? = nil) -> LedgerEntry.Draft {
        let draft = LedgerEntry.Draft(kind: kind, pendingDelta: delta, orderId: orderId, reason: reason)
        balances.post(draft)
        return draft
    }
}
