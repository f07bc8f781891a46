import Foundation

/// Why a demo buyer comes back: the cause the loyalty analysis should find in their orders.
public enum DemoMotive: String, Sendable, Hashable, CaseIterable {
    /// Most orders carry a promotion discount.
    case price
    /// Most orders go through the app, where double points run.
    case incentive
    /// Purchases come at regular intervals.
    case habit
    /// None of these.
    case none
}

/// One purchase a demo member makes: the day, the second within it and what they pay for goods.
public struct DemoPurchase: Sendable, Hashable {
    /// Days since the first simulated day.
    public var day: Int
    /// Seconds after the start of that day.
    public var second: Int
    /// The goods' value paid, after discounts, minor units.
    public var amount: Int64
}

/// One simulated member: when they enrol, what drives them, their hidden BG/NBD and Gamma-Gamma draws and the
/// purchases that follow from them.
public struct DemoCustomer: Sendable, Hashable {
    /// 0-based; the member's customer id is ``customerId``.
    public var index: Int
    /// The enrolment day (days since the first simulated day); a buyer's first purchase is on it.
    public var joinDay: Int
    /// Whether they buy at all in the period.
    public var buys: Bool
    /// Why they come back.
    public var motive: DemoMotive
    /// Whether new members name them as referrer.
    public var advocate: Bool
    /// The member who referred them, by index.
    public var referrer: Int?
    /// Their purchase rate while active, per day (BG/NBD's λ).
    public var purchaseRate: Double
    /// Their chance to drop out after each repeat purchase (BG/NBD's p).
    public var dropout: Double
    /// Their spend rate (Gamma-Gamma's ν): orders average p / ν major units.
    public var spendRate: Double
    /// Their purchases in day order.
    public var purchases: [DemoPurchase]
    /// The day they dropped out, if they did within the period.
    public var lapsedDay: Int?

    /// The customer id they enrol with.
    public var customerId: String { Self.customerId(index) }

    /// The customer id of the member with `index`.
    public static func customerId(_ index: Int) -> String { String(format: "C%06d", index + 1) }
}
