import Foundation
import PatronAnalytics
import PatronCore

/// The console's overview of a period: what the kept aggregates give for its days, the program economics computed
/// from them with `ProgramEconomics` (as `patron analyze economics` computes it from the ledger), and the newest
/// snapshot of the model-based parts. Amounts are minor units of `currency`; formatting is the caller's.
public struct Overview: Sendable {
    /// The days covered.
    public var period: OverviewPeriod
    /// The program's currency.
    public var currency: Currency
    /// Members enrolled by the period's last day.
    public var members: Int64
    /// Members who enrolled during the period.
    public var newMembers: Int64
    /// Orders placed during the period (not cancelled).
    public var orders: Int64
    /// Their goods' value after returns.
    public var sales: Int64
    /// Points made spendable during the period (activated, earned, adjusted, net of reversals).
    public var issued: Int64
    /// Points spent on rewards during the period.
    public var redeemed: Int64
    /// Points that expired during the period.
    public var expired: Int64
    /// Active points held at the end of the period (the sum of every active balance).
    public var liabilityPoints: Int64
    /// What one point is worth, minor units: the program's points-as-payment rate, else 100 points = 1 major unit.
    public var pointValueMinor: Double
    /// The liability in money: active points × the point's value, minor units.
    public var liabilityMinor: Double { Double(liabilityPoints) * pointValueMinor }
    /// The economics over the whole ledger up to the period's end (the expected redemption rate and why), or `nil`
    /// before any points moved.
    public var economics: EconomicsReport?
    /// The programme's cost as a share of the period's sales, at the expected redemption rate with 20 % for
    /// operations; `nil` without sales.
    public var costShareOfSales: Double?
    /// Members by level at the end of the period, lowest level first, then members without one (`level` nil).
    public var levels: [(level: String?, members: Int64)]
    /// The newest snapshot of the model-based parts.
    public var snapshot: OverviewSnapshot?

    /// The expected share of issued points that will be redeemed.
    public var redemptionRate: Double? { economics?.redemption.expectedRate }
    /// The expected share that will never be redeemed (1 − the redemption rate).
    public var breakageRate: Double? { economics?.breakage }
}
