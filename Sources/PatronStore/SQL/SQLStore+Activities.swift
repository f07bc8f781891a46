import Foundation
import PatronCore

extension SQLStore {
    public func recordActivity(_ request: ActivityRequest) async throws -> ActivityOutcome {
        try FreeText.check(request.kind, field: "activity")
        var f = Fingerprint()
        f.mix(request.memberId); f.mix(request.kind)
        let fingerprint = f.value
        return try await writer.submit { db -> ActivityOutcome in
            let result: (value: ActivityOutcome, replayed: Bool) = try self.idempotent(db, key: "activity:\(request.key)", fingerprint: fingerprint, at: request.at) {
                let version = try self.requireProgram(db)
                let program = version.program
                let policy = program.activities
                guard let limit = policy.effectiveLimit(request.kind) else {
                    let known = policy.activities.keys.sorted().joined(separator: ", ")
                    throw PatronError(.invalidInput, "'\(request.kind)' is not an activity of \(program.name)\(known.isEmpty ? "" : "; it has \(known)")")
                }
                let rule = "activity:\(request.kind)"
                try self.lockChangeable(db, request.memberId)
                let day = program.calendar.localDate(of: request.at)
                guard limit.allows(try self.usage(db, member: request.memberId, rule: rule, day: day)) else {
                    throw PatronError(.limitReached, "member \(request.memberId) has reached the limit of \(request.kind)")
                }
                let streak = request.kind == "checkIn" ? try self.checkInStreak(db, member: request.memberId, rule: rule, day: day) : 0
                let (points, bonus) = policy.points(for: request.kind, streak: streak)!
                let reason = bonus > 0 ? "\(request.kind), \(streak)-day streak" : request.kind
                let balances = try self.creditActive(db, member: request.memberId, points: points + bonus, reason: reason, at: request.at, version: version)
                try db.writeRuleUse(member: request.memberId, rule: rule, day: day.dayNumber)
                try self.reviewLevel(db, member: request.memberId, trigger: .qualifyingEvent, at: request.at, version: version)
                return ActivityOutcome(points: points, bonus: bonus, streak: streak, balances: balances, replayed: false)
            }
            var outcome = result.value
            outcome.replayed = result.replayed
            return outcome
        }
    }

    /// Consecutive check-in days ending today, counting today.
    private func checkInStreak(_ db: SQLSession, member: Int64, rule: String, day: LocalDate) throws -> Int {
        let days = try sql(db, "SELECT DISTINCT day FROM rule_uses WHERE member_id = ? AND rule = ? AND day < ? ORDER BY day DESC LIMIT 3650")
            .all(member, rule, day.dayNumber) { Int($0.int(0)) }
        var streak = 1
        for previous in days {
            guard previous == day.dayNumber - streak else { break }
            streak += 1
        }
        return streak
    }
}
