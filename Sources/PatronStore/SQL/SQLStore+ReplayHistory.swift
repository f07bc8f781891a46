import Foundation
import PatronCore

extension SQLStore {
    public func replayHistory(credits withCredits: Bool) async throws -> ReplayHistory {
        try await backend.read { db in
            let versions = try self.sql(db, "SELECT version, source, loaded_at FROM program_versions ORDER BY version").all {
                ReplayHistory.Version(version: Int($0.int(0)), source: $0.text(1), loadedAt: Date(ms: $0.int(2)))
            }
            let members = try self.sql(db, "SELECT id, enrolled_at, birthday, tags FROM members ORDER BY id").all { row in
                ReplayHistory.Member(
                    id: row.int(0), enrolledAt: Date(ms: row.int(1)), birthday: row.optionalText(2).flatMap(LocalDate.init(iso:)),
                    tags: Set(try JSONDecoder().decode([String].self, from: Data(row.text(3).utf8))))
            }
            // The ledger's account of each order: its net order points, its first reversal and its void.
            var ledger: [String: (points: Int64, returnedAt: Int64?, cancelledAt: Int64?)] = [:]
            let rows = try self.sql(
                db,
                """
                SELECT order_id, kind, active_delta + pending_delta, occurred_at FROM entries
                WHERE order_id IS NOT NULL AND kind IN ('pending', 'void', 'reverse')
                """
            ).all { ($0.text(0), $0.text(1), $0.int(2), $0.int(3)) }
            ledger.reserveCapacity(rows.count)
            for (id, kind, points, at) in rows {
                var item = ledger[id] ?? (0, nil, nil)
                item.points += points
                switch kind {
                case "reverse": item.returnedAt = min(item.returnedAt ?? at, at)
                case "void": item.cancelledAt = min(item.cancelledAt ?? at, at)
                default: break
                }
                ledger[id] = item
            }
            // Read in the table's order and sorted here: `ORDER BY placed_at, id` had the database sort every row with
            // its lines (no index leads with placed_at), a third of a 1,000,000-order compare's reading.
            let unsorted = try self.sql(
                db,
                """
                SELECT id, member_id, status, placed_at, completed_at, activates_at, amount, shipping, tax, channel, points_used, lines,
                    points, reversed_points, program_version, returned_at, cancelled_at,
                    CASE WHEN breakdown LIKE '%campaign:%' THEN breakdown END
                FROM orders
                """
            ).all { row in
                let id = row.text(0)
                let account = ledger[id]
                return ReplayHistory.Order(
                    id: id, memberId: row.int(1), status: OrderRecord.Status(rawValue: row.text(2)) ?? .placed, placedAt: Date(ms: row.int(3)),
                    completedAt: row.optionalInt(4).map(Date.init(ms:)), activatesAt: row.optionalInt(5).map(Date.init(ms:)),
                    returnedAt: (row.optionalInt(15) ?? account?.returnedAt).map(Date.init(ms:)),
                    cancelledAt: (row.optionalInt(16) ?? account?.cancelledAt).map(Date.init(ms:)),
                    amount: row.int(6), shipping: row.int(7), tax: row.int(8), channel: row.optionalText(9), pointsUsed: row.int(10),
                    lines: try OrderLinesColumn.decode(row.text(11)), points: row.int(12), reversedPoints: row.int(13),
                    programVersion: Int(row.int(14)), ledgerPoints: account?.points ?? 0,
                    campaignMicropoints: row.optionalText(17).map(Self.campaignMicropoints) ?? 0)
            }
            let orders = Self.byPlacing(unsorted)
            var credits: [ReplayHistory.Credit] = []
            if withCredits {
                credits = try db.prepare(
                    dynamic: """
                    SELECT member_id, occurred_at, active_delta FROM entries
                    WHERE order_id IS NULL AND kind IN \(LedgerEntry.Kind.earnedSQL) ORDER BY occurred_at, id
                    """
                ).all { ReplayHistory.Credit(memberId: $0.int(0), at: Date(ms: $0.int(1)), points: $0.int(2)) }
            }
            // Levels set by hand: the level-change rows staff wrote, their end as recorded in the reason (to the
            // second) or, for a member's latest, exactly as the member holds it.
            let holding = Dictionary(
                try self.sql(db, "SELECT id, override_until FROM members WHERE override_level IS NOT NULL").all { ($0.int(0), $0.int(1)) },
                uniquingKeysWith: { a, _ in a })
            var overrides = try self.sql(
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
            let outstanding = try self.sql(db, "SELECT coalesce(sum(CASE WHEN active > 0 THEN active ELSE 0 END), 0) FROM members").one { $0.int(0) } ?? 0
            var history = ReplayHistory(versions: versions, members: members, orders: orders, credits: credits, outstanding: outstanding)
            history.overrides = overrides
            return history
        }
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
