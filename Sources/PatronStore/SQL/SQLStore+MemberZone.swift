import Foundation
import PatronCore

extension SQLStore {
    public func consumeMemberLink(nonce: String, expiresAt: Date, at instant: Date) async throws -> Bool {
        guard !nonce.isEmpty, nonce.utf8.count <= 64 else { throw PatronError(.invalidInput, "nonce: 1 to 64 characters") }
        return try await writer.submit { db -> Bool in
            // Used nonces are kept until their link would have expired anyway; older ones are dropped as new ones come.
            try self.sql(db, "DELETE FROM member_link_uses WHERE expires_at < ?").run(instant.ms)
            let inserted = try self.sql(db, "INSERT INTO member_link_uses (nonce, expires_at, used_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .run(nonce, expiresAt.ms, instant.ms)
            return inserted == 1
        }
    }

    public func memberStanding(id: Int64, at instant: Date) async throws -> MemberStanding {
        try await backend.lookup { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            let lots = try self.lots(db, member: id, openOnly: true).sorted(by: Lot.spendingOrder)
            let pending = try self.sql(
                db,
                """
                SELECT id, points - reversed_points, placed_at, activates_at FROM orders
                WHERE member_id = ? AND status IN ('placed', 'completed') AND points - reversed_points > 0
                ORDER BY activates_at IS NULL, activates_at, placed_at, id
                """
            ).all(id) {
                PendingOrderPoints(orderId: $0.text(0), points: $0.int(1), placedAt: Date(ms: $0.int(2)), activatesAt: $0.optionalInt(3).map(Date.init(ms:)))
            }
            var value: Int64?
            var hasOrder = false
            let version = try self.currentProgram(db)
            if let version, let policy = version.program.levels {
                let (qualifying, completed) = try self.qualifyingValue(db, member: id, policy: policy, calendar: version.program.calendar, at: instant)
                value = qualifying
                hasOrder = completed
            }
            return MemberStanding(
                member: member, lots: lots, pending: pending, qualifyingValue: value, hasCompletedOrder: hasOrder, program: version?.program)
        }
    }
}
