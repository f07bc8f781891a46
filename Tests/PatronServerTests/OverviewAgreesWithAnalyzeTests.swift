import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronServer
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// The console's overview and `patron analyze` read the same data the same way: on one shop they give the same
/// economics, repeat-purchase rate, RFM scores and retention.
@Suite struct OverviewAgreesWithAnalyzeTests {
    static let program = """
        name: Tea shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        pending: { days: 7 }
        expiry: { afterDays: 60 }
        pointsAsPayment: { points: 100, per: "1.00", maxPercent: 50 }
        levels:
          metric: spend
          tiers: [{ name: Member, threshold: "0" }, { name: VIP, threshold: "800.00" }]
        rewards:
          - { id: cup, kind: gift, cost: 100 }
        """

    @Test func theOverviewsEconomicsAndModelsEqualAnalyzes() async throws {
        let start = ISO8601DateFormatter().date(from: "2025-12-31T16:00:00Z")!  // 1 January 2026 in Shanghai
        let clock = ManualClock(start)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        // Eight customers over five months: repeat buyers, a return, a cancellation, redemptions and expiry.
        var random = SplitMix(seed: 7)
        for month in 0..<5 {
            for customer in 0..<8 where random.uniform() < 0.7 {
                let at = start.addingTimeInterval(Double(month * 30 + customer) * 86_400 + 3_600)
                let id = "O\(month)-\(customer)"
                let order = Order(
                    id: id, member: try .customer("C\(customer)"),
                    lines: [OrderLine(id: "1", sku: "TEA", quantity: 2, unitPrice: 9_000 + Int64(customer) * 1_000), OrderLine(id: "2", sku: "CUP", quantity: 1, unitPrice: 4_000)])
                _ = try await store.apply([.placed(order, at: at)], options: ApplyOptions(enrollUnknownMembers: true))[0].get()
                if customer == 3 && month == 1 {
                    _ = try await store.apply([.cancelled(id, at: at.addingTimeInterval(60))], options: ApplyOptions())[0].get()
                    continue
                }
                _ = try await store.apply([.completed(id, at: at.addingTimeInterval(86_400))], options: ApplyOptions())[0].get()
                if customer == 5 {
                    _ = try await store.apply([.returned(id, lines: [ReturnedLine(lineId: "2", quantity: 1)], at: at.addingTimeInterval(2 * 86_400), id: "\(id)-r")], options: ApplyOptions())[0].get()
                }
            }
            clock.set(start.addingTimeInterval(Double(month * 30 + 29) * 86_400))
            _ = try await store.runActivation(asOf: clock.now())
            _ = try await store.runExpiry(asOf: clock.now())
            for customer in 0..<8 {
                guard let member = try await store.member(identity: try .customer("C\(customer)")), member.balances.active >= 100, customer % 2 == 0 else { continue }
                _ = try await store.redeem(RedeemRequest(memberId: member.id, rewardId: "cup", key: "cup-\(month)-\(customer)", at: clock.now()))
            }
        }
        #expect(try await store.checkDailyTotals().isEmpty)
        let context = ServiceContext(store: store, clock: clock)
        let today = ShopCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!).localDate(of: clock.now())
        let overview = try await OverviewService.overview(
            context, period: try OverviewPeriod.parse(period: "custom", month: nil, from: "2026-01-01", to: today.description, today: today))

        let data = try await AnalyticsDataset(store: store)
        let economics = try StandardAnalyses.economics(data, pointValue: nil, operations: OverviewService.operationsShare, redemptionRate: nil)
        let console = try #require(overview.economics)
        #expect(console.issued == economics.issued && console.redeemed == economics.redeemed && console.expired == economics.expired)
        #expect(economics.redeemed > 0 && economics.expired > 0)
        #expect(console.cost.sales == economics.cost.sales && overview.sales == economics.cost.sales)
        #expect(console.outstandingPoints == economics.outstandingPoints && console.pointValue == economics.pointValue)
        #expect(console.redemption.expectedRate == economics.redemption.expectedRate)
        #expect(overview.costShareOfSales == economics.cost.shareOfSales)
        #expect(overview.orders == Int64(data.purchases.count))

        let snapshot = try await OverviewSnapshots.take(context)
        let retention = try StandardAnalyses.retention(data.purchases, winBack: 0)
        #expect(snapshot.repeatPurchaseRate == retention.repeatPurchases.repurchaseRate)
        #expect(snapshot.retention == retention.monthly)
        let rfm = try RFMAnalysis.run(purchases: data.purchases)
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for score in rfm.customers { grid[score.r - 1][score.f - 1] += 1 }
        #expect(snapshot.rfmGrid == grid)
        #expect(snapshot.rfmSegments == rfm.segments)
    }
}
