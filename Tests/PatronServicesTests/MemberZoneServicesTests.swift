import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

/// The member zone's pure parts: level progress and what keeps a level, and ledger entries told as events.
@Suite struct MemberZoneServicesTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let policy = LevelPolicy(
        metric: .spend, window: .rollingMonths(12), growth: .upgradeAndDowngrade(validityMonths: 12, downgrade: .oneLevel), returns: .endOfPeriod,
        levels: [Level(name: "Bronze", threshold: 0), Level(name: "Silver", threshold: 25_000), Level(name: "Gold", threshold: 75_000)])

    @Test func progressRunsFromTheCurrentLevelsThresholdToTheNextOnes() {
        let review = Self.now.addingTimeInterval(86_400 * 100)
        let progress = LevelProgress(state: LevelState(level: "Silver", validUntil: review), value: 50_000, policy: Self.policy, at: Self.now)
        #expect(progress.current == "Silver")
        #expect(progress.next?.name == "Gold")
        #expect(progress.remaining == 25_000)
        #expect(progress.fraction == 0.5)
        #expect(progress.keeping == .review(at: review, threshold: 25_000))
    }

    @Test func theTopLevelHasNothingLeftToReachAndTheLowestNeedsNothingToKeep() {
        let top = LevelProgress(state: LevelState(level: "Gold"), value: 90_000, policy: Self.policy, at: Self.now)
        #expect(top.next == nil)
        #expect(top.remaining == nil)
        #expect(top.fraction == 1)
        let bottom = LevelProgress(state: LevelState(level: "Bronze", validUntil: Self.now.addingTimeInterval(86_400)), value: 0, policy: Self.policy, at: Self.now)
        #expect(bottom.keeping == .forGood)
        #expect(bottom.remaining == 25_000)
    }

    @Test func anOverrideIsWhatKeepsTheLevelUntilItEnds() {
        let until = Self.now.addingTimeInterval(86_400 * 30)
        let state = LevelState(level: "Bronze", override: LevelOverride(level: "Gold", until: until, reason: "VIP event"))
        let progress = LevelProgress(state: state, value: 1_000, policy: Self.policy, at: Self.now)
        #expect(progress.current == "Gold")
        #expect(progress.keeping == .override(until: until))
        let after = LevelProgress(state: state, value: 1_000, policy: Self.policy, at: until)
        #expect(after.current == "Bronze")
    }

    @Test func upgradeOnlyLevelsAreKeptForGood() {
        var policy = Self.policy
        policy.growth = .upgradeOnly
        #expect(LevelProgress(state: LevelState(level: "Silver"), value: 30_000, policy: policy, at: Self.now).keeping == .forGood)
        #expect(LevelProgress(state: LevelState(), value: 0, policy: policy, at: Self.now).keeping == .noLevel)
    }

    @Test func ledgerEntriesBecomeEventsAMemberKnows() throws {
        var program = Program(name: "p", currency: try #require(Currency(code: "USD")), timeZone: TimeZone(identifier: "UTC")!, earning: EarningPolicy(rules: []))
        program.rewards = [Reward(id: "mug", name: "Mug", kind: .gift, cost: 800)]
        func line(_ kind: LedgerEntry.Kind, active: Int64 = 0, pending: Int64 = 0, order: String? = nil, reason: String? = nil) -> MemberHistoryLine {
            MemberHistoryLine(
                entry: LedgerEntry(
                    id: 1, memberId: 1, kind: kind, activeDelta: active, pendingDelta: pending, orderId: order, programVersion: 1, occurredAt: Self.now,
                    reason: reason, actor: nil),
                program: program)
        }
        #expect(line(.pending, pending: 120, order: "A-17").event == .pendingForOrder)
        #expect(line(.activate, active: 120, pending: -120, order: "A-17").event == .activatedFromOrder)
        #expect(line(.activate, active: 120, pending: -120, order: "A-17").points == 120)
        let spent = line(.redeem, active: -800, reason: "redeemed mug")
        #expect(spent.event == .spentOnReward)
        #expect(spent.reward == "Mug")
        #expect(spent.points == 800)
        #expect(line(.redeem, active: -300, order: "A-18", reason: "paid order A-18").event == .spentOnOrder)
        #expect(line(.redeem, active: 800, reason: "redemption 4 reversed: broken").event == .givenBack)
        #expect(line(.expire, active: -50).event == .expired)
        #expect(line(.reverse, active: -40, order: "A-17").event == .reversedForReturn)
        let adjusted = line(.adjust, active: -20, reason: "duplicate bonus")
        #expect(adjusted.event == .removedByShop)
        #expect(adjusted.note == "duplicate bonus")
        #expect(line(.earn, active: 25, reason: "review").event == .earnedBonus)
        #expect(line(.transfer, active: 100).event == .received)
        #expect(line(.transfer, active: -100).event == .sent)
    }
}
