import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The overview's kept aggregates: written with every change, always equal to a recount of the tables they summarise.
@Suite struct DailyTotalsTests {
    static let program = Fixture.shanghaiProgram + """

        levels:
          metric: spend
          tiers: [{ name: Member, threshold: "0" }, { name: VIP, threshold: "500.00" }]
        rewards:
          - { id: mug, kind: gift, cost: 50 }
        """

    /// The kept totals summed by metric and key over every day.
    func sums(_ f: Fixture) async throws -> [String: Int64] {
        try await f.store.dailyTotals(through: 100_000).reduce(into: [:]) { $0[$1.metric + ($1.key.isEmpty ? "" : ":" + $1.key), default: 0] += $1.value }
    }

    @Test func ordersReturnsCancellationsRedemptionsAndExpiryKeepTheTotalsEqualToARecount() async throws {
        let f = try await Fixture(program: Self.program)
        try await f.apply(.placed(f.order("O1", "ann", [30_000, 40_000]), at: f.day(0), id: "P1"), enroll: true)
        try await f.apply(.placed(f.order("O2", "bo", [10_000]), at: f.day(1), id: "P2"), enroll: true)
        try await f.apply(.placed(f.order("O3", "ann", [5_000]), at: f.day(2), id: "P3"), enroll: true)
        try await f.apply(.completed("O1", at: f.day(3)))
        try await f.apply(.completed("O2", at: f.day(3)))
        try await f.apply(.returned("O1", lines: [ReturnedLine(lineId: "2", quantity: 1)], at: f.day(5), id: "R1"))
        try await f.apply(.cancelled("O3", at: f.day(5)))
        f.clock.set(f.day(12))
        try await f.jobs()  // activates O1 and O2
        let bo = try await f.store.member(identity: try .customer("bo"))!
        _ = try await f.store.redeem(RedeemRequest(memberId: bo.id, rewardId: "mug", key: "mug-1", at: f.day(13)))
        f.clock.set(f.day(60))
        try await f.jobs()  // the rest expires
        #expect(try await f.store.checkDailyTotals().isEmpty)

        let totals = try await sums(f)
        #expect(totals["members"] == 2)
        #expect(totals["orders"] == 2)  // O3 was cancelled
        #expect(totals["sales"] == Int64(40_000))  // O1's second line came back (30,000 + 10,000)
        #expect(totals["points:redeem"] == -50)
        // Every point issued was spent or expired: the active balances are zero, and so is the kept liability.
        let liability = try await f.store.dailyTotals(through: 100_000).filter { $0.metric == "points" }.reduce(0) { $0 + $1.value }
        let ann = try await f.store.member(identity: try .customer("ann"))!
        #expect(liability == ann.balances.active + (try await f.balances(bo.id)).active)
        #expect(totals["level:Member"].map { $0 >= 1 } == true)
    }

    @Test func aFailedEventInABatchLeavesNoTraceInTheTotals() async throws {
        let f = try await Fixture(program: Self.program)
        let results = await f.store.apply(
            [
                .placed(f.order("A", "cy", [1_000]), at: f.day(0), id: "E1"),
                .completed("missing-order", at: f.day(0), id: "E2"),
                .placed(f.order("B", "cy", [2_000]), at: f.day(0), id: "E3"),
                .placed(f.order("A", "dee", [9_000]), at: f.day(0), id: "E4"),  // the same order id again: refused
            ], options: ApplyOptions(enrollUnknownMembers: true))
        #expect(results.map { (try? $0.get()) != nil } == [true, false, true, false])
        #expect(try await f.store.checkDailyTotals().isEmpty)
        let totals = try await sums(f)
        #expect(totals["orders"] == 2)
        #expect(totals["sales"] == 3_000)
    }

    @Test func aDayIsTheProgramsLocalDay() async throws {
        let f = try await Fixture(program: Self.program)
        // 23:30 on 1 January in Shanghai is 15:30 UTC: the order counts on 1 January, local time.
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0, hours: 23.5)), enroll: true)
        let day = LocalDate(year: 2026, month: 1, day: 1)!.dayNumber
        let orders = try await f.store.dailyTotals(through: day).filter { $0.metric == "orders" }
        #expect(orders == [DailyTotal(day: day, metric: "orders", key: "", value: 1)])
        #expect(try await f.store.dailyTotals(through: day - 1).isEmpty)
    }

    @Test func checkFindsTotalsKeptInAnotherTimeZoneAndRebuildRecountsThem() async throws {
        let f = try await Fixture(program: Self.program)
        // 00:30 on 1 January in Shanghai is still 31 December in New York.
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0, hours: 0.5)), enroll: true)
        let moved = Self.program.replacingOccurrences(of: "Asia/Shanghai", with: "America/New_York")
        _ = try await f.store.loadProgram(try ProgramFile.parse(moved), source: moved)
        let mismatches = try await f.store.checkDailyTotals()
        #expect(mismatches.contains { $0.metric == "orders" && $0.kept == 1 && $0.recounted == 0 })
        #expect(try await f.store.rebuildDailyTotals() > 0)
        #expect(try await f.store.checkDailyTotals().isEmpty)
    }

    @Test func theNewestSnapshotIsKept() async throws {
        let f = try await Fixture(program: Self.program)
        #expect(try await f.store.latestOverviewSnapshot() == nil)
        try await f.store.saveOverviewSnapshot(OverviewSnapshotRecord(takenAt: f.day(1), body: "{\"a\":1}"))
        try await f.store.saveOverviewSnapshot(OverviewSnapshotRecord(takenAt: f.day(2), body: "{\"a\":2}"))
        #expect(try await f.store.latestOverviewSnapshot() == OverviewSnapshotRecord(takenAt: f.day(2), body: "{\"a\":2}"))
    }
}
