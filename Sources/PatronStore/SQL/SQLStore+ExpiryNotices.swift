import Foundation
import PatronCore

extension SQLStore {
    public func runExpiringSoon(asOf instant: Date, days: Int) async throws -> JobReport {
        guard days > 0 else { throw PatronError(.invalidInput, "the expiry notice period must be at least one day, not \(days)") }
        var report = JobReport(items: 0, points: 0)
        while true {
            let chunk = try await writer.submit { db -> JobReport in
                guard try self.leaseJob(db, "expiring-soon") else { return JobReport(items: 0, points: 0) }
                // A notice nobody subscribed to is not recorded, so a later subscriber still hears of lots in the window.
                guard try self.isSubscribed(db, .pointsExpiring) else { return JobReport(items: 0, points: 0) }
                let version = try self.requireProgram(db)
                let horizon = version.program.calendar.adding(days: days, to: instant)
                let lots = try self.sql(
                    db,
                    """
                    SELECT l.id, l.member_id, l.remaining, l.expires_at FROM lots l
                    WHERE l.remaining > 0 AND l.expires_at > ? AND l.expires_at <= ?
                    AND NOT EXISTS (SELECT 1 FROM expiry_notices n WHERE n.lot_id = l.id AND n.expires_at = l.expires_at)
                    ORDER BY l.expires_at, l.id LIMIT ?
                    """
                ).all(instant.ms, horizon.ms, Self.jobChunk) { (lot: $0.int(0), member: $0.int(1), points: $0.int(2), expiresAt: Date(ms: $0.int(3))) }
                for lot in lots {
                    try self.sql(db, "INSERT INTO expiry_notices (lot_id, expires_at, member_id, noticed_at) VALUES (?, ?, ?, ?)").run(
                        lot.lot, lot.expiresAt.ms, lot.member, instant.ms)
                    try self.announce(db, .pointsExpiring, member: lot.member, at: instant) {
                        OutboxPayload.PointsExpiring(memberId: lot.member, lotId: lot.lot, points: lot.points, expiresAt: lot.expiresAt, noticeDays: days)
                    }
                }
                return JobReport(items: lots.count, points: lots.reduce(0) { $0 + $1.points })
            }
            report.items += chunk.items
            report.points += chunk.points
            if chunk.items < Self.jobChunk { return report }
        }
    }
}
