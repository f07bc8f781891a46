import Foundation
import PatronCore

extension SQLStore {
    public func replayHistory(credits withCredits: Bool) async throws -> ReplayHistory {
        // The orders on one connection and everything else (the ledger's account of each order above all) on a
        // second, side by side in one snapshot: together they are most of a what-if's reading.
        var (orders, rest) = try await backend.readTogether(
            { db in try self.historyOrders(db) }, { db in try self.historyBesideOrders(db, credits: withCredits) })
        for index in orders.indices {
            guard let account = rest.accounts[orders[index].id] else { continue }
            orders[index].ledgerPoints = account.points
            orders[index].returnedAt = orders[index].returnedAt ?? account.returnedAt.map(Date.init(ms:))
            orders[index].cancelledAt = orders[index].cancelledAt ?? account.cancelledAt.map(Date.init(ms:))
        }
        var history = ReplayHistory(
            versions: rest.versions, members: rest.members, orders: Self.byPlacing(orders), credits: rest.credits, outstanding: rest.outstanding)
        history.overrides = rest.overrides
        history.quarterHours = rest.quarterHours
        return history
    }

    /// Every order as its row records it, in the table's order; the ledger's account of it is added afterwards.
    /// (Read unsorted and sorted in Swift: `ORDER BY placed_at, id` had the database sort every row with its lines,
    /// since no index leads with placed_at — a third of a 1,000,000-order compare's reading.)
    private func historyOrders(_ db: SQLSession) throws -> [ReplayHistory.Order] {
        try sql(
            db,
            """
            SELECT id, member_id, status, placed_at, completed_at, activates_at, amount, shipping, tax, channel, points_used, lines,
                points, reversed_points, program_version, returned_at, cancelled_at,
                CASE WHEN breakdown LIKE '%campaign:%' THEN breakdown END
            FROM orders
            """
        ).all { row in
            ReplayHistory.Order(
                id: row.text(0), memberId: row.int(1), status: OrderRecord.Status(rawValue: row.text(2)) ?? .placed, placedAt: Date(ms: row.int(3)),
                completedAt: row.optionalInt(4).map(Date.init(ms:)), activatesAt: row.optionalInt(5).map(Date.init(ms:)),
                returnedAt: row.optionalInt(15).map(Date.init(ms:)), cancelledAt: row.optionalInt(16).map(Date.init(ms:)),
                amount: row.int(6), shipping: row.int(7), tax: row.int(8), channel: row.optionalText(9), pointsUsed: row.int(10),
                lines: try OrderLinesColumn.decode(row.text(11)), points: row.int(12), reversedPoints: row.int(13),
                programVersion: Int(row.int(14)), ledgerPoints: 0,
                campaignMicropoints: row.optionalText(17).map(Self.campaignMicropoints) ?? 0)
        }
    }

    /// What a replay reads beside the orders: the program versions, the members, the ledger's account of each order
    /// (its net order points, its first reversal and its void, in milliseconds), the credits that are no order's, the
    /// levels set by hand, the points outstanding and the ledger's quarter hours.
    private struct BesideOrders: Sendable {
        var versions: [ReplayHistory.Version]
        var members: [ReplayHistory.Member]
        var accounts: [String: (points: Int64, returnedAt: Int64?, cancelledAt: Int64?)]
        var credits: [ReplayHistory.Credit]
        var overrides: [ReplayHistory.Override]
        var outstanding: Int64
        var quarterHours: [LedgerQuarterHour]
    }

    private func historyBesideOrders(_ db: SQLSession, credits withCredits: Bool) throws -> BesideOrders {
        let versions = try sql(db, "SELECT version, source, loaded_at FROM program_versions ORDER BY version").all {
            ReplayHistory.Version(version: Int($0.int(0)), source: $0.text(1), loadedAt: Date(ms: $0.int(2)))
        }
        let members = try sql(db, "SELECT id, enrolled_at, birthday, tags FROM members ORDER BY id").all { row in
            ReplayHistory.Member(
                id: row.int(0), enrolledAt: Date(ms: row.int(1)), birthday: row.optionalText(2).flatMap(LocalDate.init(iso:)),
                tags: Set(try JSONDecoder().decode([String].self, from: Data(row.text(3).utf8))))
        }
        // One pass over the ledger: each order's account, the credits that are no order's and the quarter hours
        // (`ledgerQuarterHours()` sums those in SQL, whose GROUP BY sorted every entry: most of a second here).
        var accounts: [String: (points: Int64, returnedAt: Int64?, cancelledAt: Int64?)] = [:]
        var credits: [(id: Int64, credit: ReplayHistory.Credit)] = []
        var quarters: [Int64: LedgerQuarterHour] = [:]
        try sql(db, "SELECT id, order_id, kind, member_id, active_delta, pending_delta, occurred_at FROM entries").forEachRow { row in
            guard let kind = LedgerEntry.Kind(rawValue: row.text(2)) else { return }
            let active = row.int(4), at = row.int(6)
            if let order = row.optionalText(1) {
                if kind == .pending || kind == .void || kind == .reverse {
                    var item = accounts[order] ?? (0, nil, nil)
                    item.points += active + row.int(5)
                    if kind == .reverse { item.returnedAt = min(item.returnedAt ?? at, at) }
                    if kind == .void { item.cancelledAt = min(item.cancelledAt ?? at, at) }
                    accounts[order] = item
                }
            } else if withCredits, kind.countsAsEarned {
                credits.append((row.int(0), ReplayHistory.Credit(memberId: row.int(3), at: Date(ms: at), points: active)))
            }
            let quarter = at / 900_000
            var hour = quarters[quarter] ?? LedgerQuarterHour(start: Date(ms: quarter * 900_000), issued: 0, redeemed: 0, expired: 0)
            if kind.countsAsIssued {
                hour.issued += active
            } else if kind == .redeem {
                hour.redeemed -= active
            } else if kind == .expire {
                hour.expired -= active
            }
            quarters[quarter] = hour
        }
        credits.sort { $0.credit.at != $1.credit.at ? $0.credit.at < $1.credit.at : $0.id < $1.id }
        // Levels set by hand: the level-change rows staff wrote, their end as recorded in the reason (to the
        // second) or, for a member's latest, exactly as the member holds it.
        let holding = Dictionary(
            try sql(db, "SELECT id, override_until FROM members WHERE override_level IS NOT NULL").all { ($0.int(0), $0.int(1)) },
            uniquingKeysWith: { a, _ in a })
        var overrides = try sql(
            db,
            """
            SELECT member_id, to_level, reason, occurred_at FROM level_changes
            WHERE actor IS NOT NULL AND to_level IS NOT NULL AND reason LIKE 'override until %' ORDER BY occurred_at, id
            """
        ).all { row -> ReplayHistory.Override? in
            guard let parsed = Self.overrideReason(row.text(2)) else { return nil }
            return ReplayHistory.Override(memberId: row.int(0), at: Date(ms: row.int(3)), level: row.text(1), until: parsed.until, reason: parsed.reason)
        }.compactMap { $0 }
        var latest: [Int64: Int] = [:]
        for (index, item) in overrides.enumerated() { latest[item.memberId] = index }
        for (member, index) in latest {
            if let exact = holding[member], abs(Date(ms: exact).timeIntervalSince(overrides[index].until)) < 1 { overrides[index].until = Date(ms: exact) }
        }
        let outstanding = try sql(db, "SELECT coalesce(sum(CASE WHEN active > 0 THEN active ELSE 0 END), 0) FROM members").one { $0.int(0) } ?? 0
        return BesideOrders(
            versions: versions, members: members, accounts: accounts, credits: credits.map(\.credit), overrides: overrides, outstanding: outstanding,
            quarterHours: quarters.values.sorted { $0.start < $1.start })

    }

    /// Orders by their placing, then by id as the database orders text (its bytes), as `ORDER BY placed_at, id` would.
    /// A shop's orders are mostly written in the order they were placed, so the table's order is checked first and
    /// kept when it already is; otherwise positions are sorted by their placing (ids compared only on a tie).
    static func byPlacing(_ orders: [ReplayHistory.Order]) -> [ReplayHistory.Order] {
        let placed = orders.map { Int64($0.placedAt.ms) }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            placed[a] != placed[b] ? placed[a] < placed[b] : orders[a].id.utf8.lexicographicallyPrecedes(orders[b].id.utf8)
        }
        if orders.indices.dropFirst().allSatisfy({ !precedes($0, $0 - 1) }) { return orders }
        return orders.indices.sorted(by: precedes).map { orders[$0] }
    }

    /// The end and the reason of a level override from the reason its level change records
    /// (`override until 2025-03-01T00:00:00+08:00: reason`), or `nil` for another change.
    static func overrideReason(_ text: String) -> (until: Date, reason: String)? {
        let prefix = "override until "
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let colon = rest.range(of: ": "), let until = ISO8601DateFormatter().date(from: String(rest[..<colon.lowerBound])) else { return nil }
        return (until, String(rest[colon.upperBound...]))
    }

    /// Σ micropoints of the `campaign:` parts of a stored breakdown (`rule<US>micropoints<RS>…`).
    static func campaignMicropoints(_ breakdown: String) -> Int64 {
        var total: Int64 = 0
        for part in breakdown.split(separator: "\u{1E}") {
            let fields = part.split(separator: "\u{1F}", maxSplits: 1)
            guard fields.count == 2, fields[0].hasPrefix("campaign:"), let micro = Int64(fields[1]) else { continue }
            total += micro
        }
        return total
    }
}
