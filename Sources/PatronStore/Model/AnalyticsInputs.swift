import Foundation
import PatronCore

/// What analytics needs to know about every member, buyers or not.
public struct MemberFact: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Goods' value of orders not cancelled, net of returns, minor units.
    public var spend: Int64
    /// Orders not cancelled.
    public var orders: Int
    /// Lifetime earned points.
    public var points: Int64
    /// Positive active balance.
    public var activePoints: Int64
    /// Members this member referred.
    public var referrals: Int
}

/// The ledger's movements within one quarter hour; callers fold them into months of the program's time zone.
public struct LedgerQuarterHour: Sendable, Hashable {
    /// The quarter hour's start.
    public var start: Date
    /// Points made spendable, net of reversals and corrections (activate, earn, reverse, adjust).
    public var issued: Int64
    /// Points spent on rewards.
    public var redeemed: Int64
    /// Points expired.
    public var expired: Int64
}

/// One order as analytics sees it.
public struct PurchaseRecord: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// When it was placed.
    public var placedAt: Date
    /// The goods' value after discounts and returns, minor units.
    public var amount: Int64
    /// Line and order discounts given on the order, minor units.
    public var discount: Int64
    /// The earning rules that gave the order points.
    public var rules: [String]

    /// Makes a record.
    public init(memberId: Int64, placedAt: Date, amount: Int64, discount: Int64, rules: [String] = []) {
        self.memberId = memberId
        self.placedAt = placedAt
        self.amount = amount
        self.discount = discount
        self.rules = rules
    }
}
