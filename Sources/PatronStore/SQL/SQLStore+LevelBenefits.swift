import Foundation
import PatronCore

/// The jobs that hand out what a level gives over time: birthday gifts and monthly coupons.
extension SQLStore {
    public func runBirthdayGifts(asOf instant: Date) async throws -> JobReport {
        try await writer.submit { db -> JobReport in
            guard try self.leaseJob(db, "birthday-gifts") else { return JobReport(items: 0, points: 0) }
            let version = try self.requireProgram(db)
            let program = version.program
            guard let levels = program.levels, levels.levels.contains(where: { $0.benefits.birthdayPoints != nil }) else {
                return JobReport(items: 0, points: 0)
            }
            let today = program.calendar.localDate(of: instant)
            let yearStart = LocalDate(year: today.year, month: 1, day: 1)!.dayNumber
            let members = try self.sql(
                db,
                """
                SELECT id FROM members WHERE substr(birthday, 6, 2) = ?
                AND NOT EXISTS (SELECT 1 FROM rule_uses u WHERE u.member_id = members.id AND u.rule = 'birthday-gift' AND u.day >= ?)
                ORDER BY id
                """
            ).all(String(format: "%02d", today.month), yearStart) { $0.int(0) }
            var report = JobReport(items: 0, points: 0)
            for member in members {
                guard let benefits = try self.levelBenefits(db, member: member, levels: levels, at: instant), let points = benefits.birthdayPoints else {
                    continue
                }
                try self.creditActive(db, member: member, points: points, reason: "birthday gift \(today.year)", at: instant, version: version)
                try db.writeRuleUse(member: member, rule: "birthday-gift", day: today.dayNumber)
                report.items += 1
                report.points += points
            }
            return report
        }
    }

    public func runMonthlyCoupons(asOf instant: Date) async throws -> JobReport {
        try await writer.submit { db -> JobReport in
            guard try self.leaseJob(db, "monthly-coupons") else { return JobReport(items: 0, points: 0) }
            let version = try self.requireProgram(db)
            let program = version.program
            guard let levels = program.levels, levels.levels.contains(where: { !$0.benefits.monthlyCoupons.isEmpty }) else {
                return JobReport(items: 0, points: 0)
            }
            let today = program.calendar.localDate(of: instant)
            let monthStart = LocalDate(year: today.year, month: today.month, day: 1)!.dayNumber
            var report = JobReport(items: 0, points: 0)
            // An erased member keeps their level for the books but is given nothing new.
            let members = try self.sql(
                db, "SELECT id FROM members WHERE (level IS NOT NULL OR override_level IS NOT NULL) AND erased_at IS NULL ORDER BY id"
            ).all(read: { $0.int(0) })
            for member in members {
                guard let benefits = try self.levelBenefits(db, member: member, levels: levels, at: instant) else { continue }
                for coupon in benefits.monthlyCoupons {
                    let rule = "monthly-coupon:\(coupon)"
                    let given = try self.sql(db, "SELECT 1 FROM rule_uses WHERE member_id = ? AND rule = ? AND day >= ? LIMIT 1").one(member, rule, monthStart) {
                        $0.int(0)
                    }
                    guard given == nil, let reward = program.rewards.first(where: { $0.id == coupon }), case .coupon(let terms) = reward.kind else { continue }
                    try self.grantCoupon(db, member: member, reward: coupon, terms: terms, at: instant, calendar: program.calendar)
                    try db.writeRuleUse(member: member, rule: rule, day: today.dayNumber)
                    report.items += 1
                }
            }
            return report
        }
    }

    /// The benefits of the level a member holds at `instant`, if any.
    private func levelBenefits(_ db: SQLSession, member: Int64, levels: LevelPolicy, at instant: Date) throws -> Benefits? {
        guard let level = try levelState(db, member: member).effectiveLevel(at: instant) else { return nil }
        return levels.level(named: level)?.benefits
    }
}
