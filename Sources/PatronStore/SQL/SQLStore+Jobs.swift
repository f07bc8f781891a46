import Foundation
import PatronCore

extension SQLStore {
    /// How many orders or members one job transaction handles, so a large backlog never holds the writer for long.
    static let jobChunk = 2_000

    public func runActivation(asOf instant: Date) async throws -> JobReport {
        var report = JobReport(items: 0, points: 0)
        while true {
            let chunk = try await writer.submit { db -> JobReport in
                guard try self.leaseJob(db, "activation") else { return JobReport(items: 0, points: 0) }
                let version = try self.requireProgram(db)
                let records = try self.sql(
                    db,
                    """
                    SELECT id, member_id, status, placed_at, completed_at, activates_at, amount, points, base, reversed_points, program_version,
                        discount, points_used, points_restored
                    FROM orders WHERE status = 'completed' AND activates_at <= ? ORDER BY activates_at, id LIMIT ?
                    """
                ).all(instant.ms, Self.jobChunk, read: Self.orderRecord)
                var chunk = JobReport(items: 0, points: 0)
                for record in records {
                    var account = try self.loadAccount(db, member: record.memberId, lots: false)
                    let step = OrderLedger.activate(record, at: instant, program: version.program, account: &account)
                    try self.updateOrder(db, step.record, lines: false)
                    try self.post(db, step.entries, account: account, version: version.version, at: instant)
                    if let activation = step.entries.first {
                        try self.announce(db, .pointsActivated, member: record.memberId, at: record.activatesAt ?? instant) {
                            OutboxPayload.PointsActivated(
                                memberId: record.memberId, orderId: record.orderId, points: activation.activeDelta, expiresAt: activation.newLot?.expiresAt)
                        }
                    }
                    if version.program.levels?.metric == .points {
                        try self.reviewLevel(db, member: record.memberId, trigger: .qualifyingEvent, at: record.activatesAt ?? instant, version: version)
                    }
                    chunk.items += 1
                    chunk.points += step.entries.reduce(0) { $0 + $1.activeDelta }
                }
                return chunk
            }
            report.items += chunk.items
            report.points += chunk.points
            if chunk.items < Self.jobChunk { return report }
        }
    }

    public func runExpiry(asOf instant: Date) async throws -> JobReport {
        var report = JobReport(items: 0, points: 0)
        while true {
            let chunk = try await writer.submit { db -> JobReport in
                guard try self.leaseJob(db, "expiry") else { return JobReport(items: 0, points: 0) }
                let version = try self.requireProgram(db)
                let members = try self.sql(db, "SELECT DISTINCT member_id FROM lots WHERE remaining > 0 AND expires_at <= ? ORDER BY member_id LIMIT ?")
                    .all(instant.ms, Self.jobChunk) { $0.int(0) }
                var chunk = JobReport(items: 0, points: 0)
                for member in members {
                    var account = try self.loadAccount(db, member: member, lots: true)
                    let drafts = account.expire(asOf: instant)
                    if drafts.isEmpty { continue }
                    try self.post(db, drafts, account: account, version: version.version, at: instant)
                    try self.announce(db, .pointsExpired, member: member, at: instant) {
                        OutboxPayload.PointsExpired(
                            memberId: member, points: -drafts.reduce(0) { $0 + $1.activeDelta }, lotIds: drafts.flatMap { $0.allocations.map(\.lotId) })
                    }
                    chunk.items += 1
                    chunk.points -= drafts.reduce(0) { $0 + $1.activeDelta }
                }
                return chunk
            }
            report.items += chunk.items
            report.points += chunk.points
            if chunk.items < Self.jobChunk { return report }
        }
    }
}
