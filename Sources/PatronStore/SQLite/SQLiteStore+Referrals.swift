import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    /// Rewards a referral once, when the referred member's first order is completed: both members get active points.
    func rewardReferral(_ db: Database, member id: Int64, at instant: Date, version: ProgramVersion) throws {
        guard let reward = version.program.referral else { return }
        let referrer = try sql(db, "SELECT referred_by FROM members WHERE id = ? AND referred_by IS NOT NULL AND referral_rewarded = 0").one(id) {
            $0.int(0)
        }
        guard let referrer else { return }
        let program = version.program
        let expiresAt = program.expiry.expiry(of: instant, in: program.calendar)
        for (member, points, reason) in [(id, reward.referee, "referral welcome"), (referrer, reward.referrer, "referred member \(id)")] where points > 0 {
            var account = try loadAccount(db, member: member, lots: false)
            let draft = account.credit(.earn, points: points, expiresAt: expiresAt, reason: reason)
            try post(db, [draft], account: account, version: version.version, at: instant)
        }
        try sql(db, "UPDATE members SET referral_rewarded = 1 WHERE id = ?").run(id)
    }
}

extension SQLiteStore {
    public func runBirthdayGifts(asOf instant: Date) async throws -> JobReport {
        try await writer.submit { db -> JobReport in
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
                """
            ).all(String(format: "%02d", today.month), yearStart) { $0.int(0) }
            var report = JobReport(items: 0, points: 0)
            for member in members {
                guard let level = try self.levelState(db, member: member).effectiveLevel(at: instant),
                    let points = levels.level(named: level)?.benefits.birthdayPoints
                else { continue }
                var account = try self.loadAccount(db, member: member, lots: false)
                let draft = account.credit(
                    .earn, points: points, expiresAt: program.expiry.expiry(of: instant, in: program.calendar), reason: "birthday gift \(today.year)")
                try self.post(db, [draft], account: account, version: version.version, at: instant)
                try self.sql(db, "INSERT INTO rule_uses (member_id, rule, day) VALUES (?, 'birthday-gift', ?)").run(member, today.dayNumber)
                report.items += 1
                report.points += points
            }
            return report
        }
    }
}
