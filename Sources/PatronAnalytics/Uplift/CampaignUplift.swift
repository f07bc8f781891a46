import Foundation

/// What a campaign's treated group did beyond its control group, with 95 % intervals, and what it cost.
///
/// Incremental orders and revenue are the per-member differences (treated − control) scaled to the treated group:
/// what the treated members would not have bought without the campaign. Their intervals are Welch's
/// (`UpliftStatistics.differenceOfMeans`) scaled the same way; the buyers' difference uses Newcombe's interval.
public struct CampaignUplift: Sendable, Hashable, Codable {
    /// The treated group's sums.
    public var treated: UpliftGroup
    /// The control (holdout) group's sums.
    public var control: UpliftGroup
    /// Buyers % treated − control, as a fraction (0.1 = 10 percentage points), Newcombe's 95 % interval.
    public var buyerRateDifference: UpliftInterval
    /// Orders per member treated − control, Welch's 95 % interval.
    public var ordersPerMemberDifference: UpliftInterval
    /// Revenue per member treated − control (minor units), Welch's 95 % interval.
    public var revenuePerMemberDifference: UpliftInterval
    /// Incremental buyers in the treated group.
    public var incrementalBuyers: UpliftInterval
    /// Incremental orders in the treated group.
    public var incrementalOrders: UpliftInterval
    /// Incremental revenue in the treated group, minor units.
    public var incrementalRevenue: UpliftInterval
    /// Points the campaign gave (to treated members only).
    public var pointsCost: Int64
    /// The money value of those points, minor units (points × the value of a point), when a point value is known.
    public var pointsCostValue: Int64?
    /// The face value of coupons and rewards the campaign issued, minor units.
    public var couponCost: Int64
    /// The whole cost in money: points value plus coupons (`nil` when points were given but have no stated value).
    public var totalCost: Int64?
    /// Cost per incremental order (`nil` when the estimate is not positive, the cost is zero, or there is no control group).
    public var costPerIncrementalOrder: Double?
    /// Incremental revenue per point given (`nil` without points or without a control group).
    public var revenuePerPoint: Double?
    /// Return on the cost: (incremental revenue − cost) ÷ cost (`nil` when the cost is zero or there is no control group).
    public var returnOnCost: Double?
    /// Notes on what cannot be concluded (an empty or tiny control group, no cost).
    public var warnings: [String]

    /// The method statement printed with every report.
    public static let method =
        "95 % intervals: buyers % by Newcombe's hybrid score interval (from Wilson intervals); orders and revenue per member by Welch's t interval, scaled to the treated group for incremental totals"

    /// Compares `treated` with `control`. `pointValue` is the money value of one point in minor units (e.g. 0.01 for
    /// 100 points = 1 yuan), when the program states one.
    public static func compare(
        treated: UpliftGroup, control: UpliftGroup, pointsCost: Int64, couponCost: Int64, pointValue: Double?
    ) -> CampaignUplift {
        let buyers = UpliftStatistics.differenceOfProportions(
            successes1: treated.buyers, of: treated.members, successes2: control.buyers, of: control.members)
        let orders = UpliftStatistics.differenceOfMeans(
            mean1: treated.ordersPerMember, variance1: treated.ordersVariance, n1: treated.members,
            mean2: control.ordersPerMember, variance2: control.ordersVariance, n2: control.members)
        let revenue = UpliftStatistics.differenceOfMeans(
            mean1: treated.revenuePerMember, variance1: treated.revenueVariance, n1: treated.members,
            mean2: control.revenuePerMember, variance2: control.revenueVariance, n2: control.members)
        let n = Double(treated.members)
        let incrementalOrders = orders.scaled(by: n)
        let incrementalRevenue = revenue.scaled(by: n)
        let pointsValue: Int64? = pointsCost == 0 ? 0 : pointValue.map { Int64((Double(pointsCost) * $0).rounded()) }
        let total = pointsValue.map { $0 + couponCost }
        var warnings: [String] = []
        if control.members == 0 {
            warnings.append("no control group: nothing can be attributed to the campaign")
        } else if control.members < 30 {
            warnings.append("the control group has \(control.members) members: the intervals are wide")
        }
        if pointsCost > 0 && pointValue == nil {
            warnings.append("the points have no stated money value: cost per incremental order and return count coupons only")
        }
        let cost = total ?? couponCost
        // Without a control group there is no estimate of what the campaign added, so nothing is derived from one.
        let measured = control.members > 0
        return CampaignUplift(
            treated: treated, control: control, buyerRateDifference: buyers, ordersPerMemberDifference: orders,
            revenuePerMemberDifference: revenue, incrementalBuyers: buyers.scaled(by: n), incrementalOrders: incrementalOrders,
            incrementalRevenue: incrementalRevenue, pointsCost: pointsCost, pointsCostValue: pointsValue, couponCost: couponCost,
            totalCost: total,
            costPerIncrementalOrder: measured && incrementalOrders.estimate > 0 && cost > 0 ? Double(cost) / incrementalOrders.estimate : nil,
            revenuePerPoint: measured && pointsCost > 0 ? incrementalRevenue.estimate / Double(pointsCost) : nil,
            returnOnCost: measured && cost > 0 ? (incrementalRevenue.estimate - Double(cost)) / Double(cost) : nil,
            warnings: warnings)
    }
}
