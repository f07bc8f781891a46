import Foundation
import Testing

@testable import PatronCore

@Suite struct LevelEngineTests {
    let calendar = ShopCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    func policy(_ growth: LevelPolicy.Growth, returns: LevelPolicy.ReturnHandling = .immediate, entryOnFirstOrder: Bool = false) -> LevelPolicy {
        LevelPolicy(
            metric: .spend, window: .lifetime, growth: growth, returns: returns,
            levels: [Level(name: "普通会员", threshold: 0), Level(name: "高级会员", threshold: 39_900), Level(name: "VIP会员", threshold: 68_800),
                     Level(name: "至尊VIP会员", threshold: 88_800)],
            entryOnFirstOrder: entryOnFirstOrder)
    }

    func evaluate(_ state: LevelState, _ value: Int64, _ trigger: LevelEngine.Trigger, _ policy: LevelPolicy, at: Date? = nil) -> LevelChange? {
        LevelEngine.evaluate(state, value: value, hasCompletedOrder: value > 0, trigger: trigger, at: at ?? start, policy: policy, calendar: calendar)
    }

    @Test(arguments: [(0, "普通会员"), (39_899, "普通会员"), (39_900, "高级会员"), (68_800, "VIP会员"), (88_799, "VIP会员"), (88_800, "至尊VIP会员")] as [(Int64, String)])
    func upgradesHappenAtOnceOnTheThresholds(value: Int64, level: String) {
        #expect(evaluate(LevelState(), value, .qualifyingEvent, policy(.upgradeOnly))?.to == level)
    }

    @Test func upgradeOnlyNeverMovesDownWithTime() {
        let vip = LevelState(level: "VIP会员", since: start)
        #expect(evaluate(vip, 10_000, .validityEnded, policy(.upgradeOnly)) == nil)
        #expect(evaluate(vip, 10_000, .qualifyingEvent, policy(.upgradeOnly)) == nil)
    }

    @Test func returnsThatUndoAnUpgradeFollowTheProgram() {
        let vip = LevelState(level: "VIP会员", since: start)
        let immediate = evaluate(vip, 50_000, .returned, policy(.upgradeOnly))
        #expect(immediate?.to == "高级会员" && immediate?.reason == "return undid qualification")
        #expect(evaluate(vip, 50_000, .returned, policy(.upgradeOnly, returns: .endOfPeriod)) == nil)
    }

    @Test func upgradeAndDowngradeReEvaluatesAtTheEndOfTheValidityPeriod() {
        let growth = LevelPolicy.Growth.upgradeAndDowngrade(validityMonths: 12, downgrade: .oneLevel)
        let upgraded = evaluate(LevelState(), 90_000, .qualifyingEvent, policy(growth))!
        #expect(upgraded.to == "至尊VIP会员")
        let until = upgraded.state.validUntil!
        #expect(until == calendar.adding(months: 12, to: start))
        // Before the end nothing happens; at the end a member who qualifies keeps the level for another period.
        #expect(evaluate(upgraded.state, 0, .validityEnded, policy(growth), at: until.addingTimeInterval(-1)) == nil)
        let kept = evaluate(upgraded.state, 90_000, .validityEnded, policy(growth), at: until)!
        #expect(kept.to == "至尊VIP会员" && kept.reason == "kept" && kept.state.validUntil == calendar.adding(months: 12, to: until))
        // One who no longer qualifies moves down one level, or straight to what they qualify for.
        #expect(evaluate(upgraded.state, 10_000, .validityEnded, policy(growth), at: until)?.to == "VIP会员")
        let straight = LevelPolicy.Growth.upgradeAndDowngrade(validityMonths: 12, downgrade: .toQualified)
        #expect(evaluate(upgraded.state, 10_000, .validityEnded, policy(straight), at: until)?.to == "普通会员")
    }

    @Test func theEntryLevelCanWaitForTheFirstOrder() {
        #expect(LevelEngine.evaluate(LevelState(), value: 0, hasCompletedOrder: false, trigger: .qualifyingEvent, at: start, policy: policy(.upgradeOnly, entryOnFirstOrder: true), calendar: calendar) == nil)
        #expect(evaluate(LevelState(), 100, .qualifyingEvent, policy(.upgradeOnly, entryOnFirstOrder: true))?.to == "普通会员")
    }

    @Test func aManualLevelWinsUntilItEnds() {
        let state = LevelState(level: "普通会员", override: LevelOverride(level: "VIP会员", until: start.addingTimeInterval(86_400), reason: "complaint"))
        #expect(state.effectiveLevel(at: start) == "VIP会员")
        #expect(state.effectiveLevel(at: start.addingTimeInterval(86_400)) == "普通会员")
    }
}
