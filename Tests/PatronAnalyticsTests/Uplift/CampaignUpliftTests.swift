import Foundation
import Testing

@testable import PatronAnalytics

@Suite struct CampaignUpliftTests {
    @Test("Wilson's interval matches the textbook value for 81 of 263 (Newcombe 1998, table I)")
    func wilsonMatchesPublishedValue() {
        let (lower, upper) = UpliftStatistics.wilson(successes: 81, of: 263)
        #expect(abs(lower - 0.2553) < 0.0005)
        #expect(abs(upper - 0.3662) < 0.0005)
    }

    @Test("Newcombe's hybrid interval matches the published example 56/70 − 48/80 = (0.0524, 0.3339)")
    func newcombeMatchesPublishedExample() {
        let interval = UpliftStatistics.differenceOfProportions(successes1: 56, of: 70, successes2: 48, of: 80)
        #expect(abs(interval.estimate - 0.2) < 1e-12)
        #expect(abs(interval.lower - 0.0524) < 0.0005)
        #expect(abs(interval.upper - 0.3339) < 0.0005)
    }

    @Test("Student's t quantile is close to the table: 2.2281 at 10 df, 2.0423 at 30, 1.96 for very many")
    func studentQuantileMatchesTable() {
        #expect(abs(UpliftStatistics.studentT975(degreesOfFreedom: 10) - 2.2281) < 0.003)
        #expect(abs(UpliftStatistics.studentT975(degreesOfFreedom: 30) - 2.0423) < 0.001)
        #expect(abs(UpliftStatistics.studentT975(degreesOfFreedom: 1e9) - 1.96) < 0.001)
    }

    /// Treated: 4 members, orders 1, 0, 2, 1 worth 100, 0, 300, 200. Control: 4 members, orders 1, 0, 0, 0 worth 100.
    /// By hand: buyers 75 % vs 25 %; orders per member 1.0 vs 0.25 → +0.75 × 4 = 3 incremental orders; revenue per
    /// member 150 vs 25 → +125 × 4 = 500 incremental revenue. Cost 600 points at 1 minor unit each + 100 coupons = 700:
    /// 233.33 per incremental order, return (500 − 700) / 700.
    @Test("a small hand-checked shop gives the hand-computed differences, costs and return")
    func handCheckedShop() {
        let treated = UpliftGroup([.init(orders: 1, revenue: 100), .init(orders: 0, revenue: 0), .init(orders: 2, revenue: 300), .init(orders: 1, revenue: 200)])
        let control = UpliftGroup([.init(orders: 1, revenue: 100), .init(orders: 0, revenue: 0), .init(orders: 0, revenue: 0), .init(orders: 0, revenue: 0)])
        let uplift = CampaignUplift.compare(treated: treated, control: control, pointsCost: 600, couponCost: 100, pointValue: 1)
        #expect(uplift.treated.buyerRate == 0.75)
        #expect(uplift.control.buyerRate == 0.25)
        #expect(uplift.treated.averageOrderValue == 150)
        #expect(uplift.control.averageOrderValue == 100)
        #expect(abs(uplift.buyerRateDifference.estimate - 0.5) < 1e-12)
        #expect(abs(uplift.incrementalOrders.estimate - 3) < 1e-12)
        #expect(abs(uplift.incrementalRevenue.estimate - 500) < 1e-9)
        #expect(uplift.totalCost == 700)
        #expect(abs(uplift.costPerIncrementalOrder! - 700.0 / 3) < 1e-9)
        #expect(abs(uplift.returnOnCost! - (500.0 - 700) / 700) < 1e-12)
        #expect(abs(uplift.revenuePerPoint! - 500.0 / 600) < 1e-12)
        // Revenue variance by hand: treated values 100, 0, 300, 200 → mean 150, s² = (2500+22500+22500+2500)/3.
        #expect(abs(uplift.treated.revenueVariance - 50_000.0 / 3) < 1e-6)
        #expect(uplift.warnings.contains { $0.contains("control group has 4 members") })
    }

    @Test("without a control group the report says nothing can be attributed: unbounded intervals, no cost per order or return")
    func noControlGroup() {
        let treated = UpliftGroup([.init(orders: 1, revenue: 100), .init(orders: 0, revenue: 0)])
        let uplift = CampaignUplift.compare(treated: treated, control: UpliftGroup(), pointsCost: 400, couponCost: 0, pointValue: 1)
        #expect(uplift.incrementalRevenue.lower == -.infinity)
        #expect(!uplift.incrementalRevenue.isSignificant)
        #expect(uplift.warnings.first == "no control group: nothing can be attributed to the campaign")
        #expect(uplift.returnOnCost == nil && uplift.costPerIncrementalOrder == nil && uplift.revenuePerPoint == nil)
    }
}
