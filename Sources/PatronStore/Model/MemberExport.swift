import Foundation
import PatronCore

/// Everything Patron holds about one member, for a data-access request.
public struct MemberExport: Sendable, Hashable, Codable {
    /// The member: identities, profile, balances, level, and whether they were erased.
    public var member: Member
    /// The member who referred them.
    public var referredBy: Int64?
    /// Whether the referral reward was paid.
    public var referralRewarded: Bool
    /// The members they referred, by id.
    public var referrals: [Int64]
    /// Every ledger entry, oldest first.
    public var entries: [LedgerEntry]
    /// Every lot, spent or not, oldest first.
    public var lots: [Lot]
    /// Every order with its lines, oldest first.
    public var orders: [ExportedOrder]
    /// Every redemption and coupon, oldest first.
    public var redemptions: [Redemption]
    /// Rewarded activities, earning-rule and transfer uses by day, oldest first.
    public var ruleUses: [ExportedRuleUse]
    /// Points sent and received: the ledger's transfer entries.
    public var transfers: [LedgerEntry]
    /// Every level change, oldest first.
    public var levelHistory: [LevelHistoryEntry]
    /// Admin actions on this member (`member:ID`), oldest first.
    public var audit: [AuditRecord]
    /// The consent history: each grant, withdrawal and pending confirmation with time, source and actor, oldest first.
    public var consents: [ConsentRecord]?

    /// Makes an export.
    public init(
        member: Member, referredBy: Int64?, referralRewarded: Bool, referrals: [Int64], entries: [LedgerEntry], lots: [Lot],
        orders: [ExportedOrder],
        redemptions: [Redemption], ruleUses: [ExportedRuleUse], levelHistory: [LevelHistoryEntry], audit: [AuditRecord]
    ) {
        self.member = member
        self.referredBy = referredBy
        self.referralRewarded = referralRewarded
        self.referrals = referrals
        self.entries = entries
        self.lots = lots
        self.orders = orders
        self.redemptions = redemptions
        self.ruleUses = ruleUses
        self.transfers = entries.filter { $0.kind == .transfer }
        self.levelHistory = levelHistory
        self.audit = audit
    }
}

/// An order as exported: what was bought, what it earned, and what was returned.
public struct ExportedOrder: Sendable, Hashable, Codable {
    /// The order id.
    public var id: String
    /// `placed`, `completed`, `active` or `cancelled`.
    public var status: String
    /// When placed.
    public var placedAt: Date
    /// When completed.
    public var completedAt: Date?
    /// Goods' value after discounts, minor units.
    public var amount: Int64
    /// Discounts given, minor units.
    public var discount: Int64
    /// Points earned.
    public var points: Int64
    /// Points reversed by returns.
    public var reversedPoints: Int64
    /// Points paid with.
    public var pointsUsed: Int64
    /// The partner merchant, if any.
    public var partner: String?
    /// The lines.
    public var lines: [ExportedOrderLine]
}

/// An order line as exported.
public struct ExportedOrderLine: Sendable, Hashable, Codable {
    /// The line id.
    public var id: String
    /// The product.
    public var sku: String
    /// The category.
    public var category: String?
    /// Units bought.
    public var quantity: Int
    /// Units returned.
    public var returnedQuantity: Int
    /// The line's value after its discount, minor units.
    public var netAmount: Int64
}

/// One use of a limited rule on a local day: an activity (`activity:checkIn`), an earning rule, or a transfer.
public struct ExportedRuleUse: Sendable, Hashable, Codable {
    /// The rule.
    public var rule: String
    /// The local day.
    public var day: LocalDate

    /// Makes a use.
    public init(rule: String, day: LocalDate) {
        self.rule = rule
        self.day = day
    }
}
