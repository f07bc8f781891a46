import Foundation
import PatronCore

extension SQLStore {
    /// Rewards a referral once, when the referred member's first order is completed: both members get active points.
    func rewardReferral(_ db: SQLSession, member id: Int64, at instant: Date, version: ProgramVersion) throws {
        guard let reward = version.program.referral else { return }
        let referrer = try sql(db, "SELECT referred_by FROM members WHERE id = ? AND referred_by IS NOT NULL AND referral_rewarded = 0").one(id) {
            $0.int(0)
        }
        guard let referrer else { return }
        // An erased referrer is given nothing new; the new member still gets their welcome.
        let referrerPoints = try erasedAt(db, member: referrer) == nil ? reward.referrer : 0
        for (member, points, reason) in [(id, reward.referee, "referral welcome"), (referrer, referrerPoints, "referred member \(id)")] where points > 0 {
            try creditActive(db, member: member, points: points, reason: reason, at: instant, version: version)
        }
        try sql(db, "UPDATE members SET referral_rewarded = 1 WHERE id = ?").run(id)
    }
}
