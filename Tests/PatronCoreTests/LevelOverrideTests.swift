import Foundation
import PatronCore
import Testing

/// A manual level is checked in PatronCore, field by field, before any store sees it.
@Suite struct LevelOverrideTests {
    let now = Date(timeIntervalSince1970: 1_767_225_600)
    let policy = LevelPolicy(
        metric: .spend, window: .lifetime, growth: .upgradeOnly, returns: .immediate,
        levels: [Level(name: "Member", threshold: 0), Level(name: "VIP", threshold: 100_000)], entryOnFirstOrder: false)

    func validated(level: String = "VIP", days: Double = 30, reason: String = "goodwill", actor: String = "ops", policy: LevelPolicy?) throws -> LevelOverride {
        try LevelOverride.validated(
            level: level, until: now.addingTimeInterval(days * 86_400), reason: reason, actor: actor, at: now, policy: policy, programName: "Shop")
    }

    @Test func aValidOverrideKeepsItsLevelEndAndTrimmedReason() throws {
        let override = try validated(reason: "  goodwill \n", policy: policy)
        #expect(override == LevelOverride(level: "VIP", until: now.addingTimeInterval(30 * 86_400), reason: "goodwill"))
    }

    @Test(arguments: [
        ("reason", "Member", 30.0, " \n ", "ops"),
        ("actor", "Member", 30.0, "goodwill", "  "),
        ("until", "Member", 0.0, "goodwill", "ops"),
        ("until", "Member", -1.0, "goodwill", "ops"),
        ("level", "Gold", 30.0, "goodwill", "ops"),
    ])
    func eachBadFieldIsRefusedByName(field: String, level: String, days: Double, reason: String, actor: String) {
        #expect { try validated(level: level, days: days, reason: reason, actor: actor, policy: policy) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.hasPrefix(field + ":") == true
        }
    }

    @Test func aProgramWithoutLevelsTakesNoOverride() {
        #expect { try validated(level: "VIP", policy: nil) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("not a level of Shop") == true
        }
    }
}
