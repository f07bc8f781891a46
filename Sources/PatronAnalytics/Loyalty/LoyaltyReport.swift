/// The result of ``LoyaltyAnalysis/run(orders:members:referrals:nps:engaged:options:)``.
public struct LoyaltyReport: Sendable, Hashable, Codable {
    /// One member's placement.
    public struct Customer: Sendable, Hashable, Codable {
        /// The customer.
        public var customer: String
        /// Loyalty stage.
        public var stage: LoyaltyStage
        /// Purchase days (same-day orders count once).
        public var purchaseDays: Int
        /// Orders.
        public var orders: Int
        /// Share of orders with a discount (0 without orders).
        public var discountedShare: Double
        /// Share of orders inside a points campaign (0 without orders).
        public var campaignShare: Double
        /// The attitude × behaviour quadrant; nil without an NPS answer.
        public var quadrant: LoyaltyQuadrant?
        /// Causes of repeat buying; empty for members who are not repeat buyers, `[.unclassified]` when none fits.
        public var causes: [RepeatCause]
    }

    /// A count and its share.
    public struct Count<Key: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
        /// What is counted.
        public var key: Key
        /// Members.
        public var customers: Int
        /// customers / the base (all members for stages, surveyed members for quadrants, repeat buyers for causes).
        public var share: Double
    }

    /// Every member, in the order of `members`, then of first appearance in the orders.
    public var customers: [Customer]
    /// Members per stage, every stage listed.
    public var stages: [Count<LoyaltyStage>]
    /// Members with an NPS answer.
    public var surveyed: Int
    /// Surveyed members per quadrant; nil when no NPS answers were given.
    public var quadrants: [Count<LoyaltyQuadrant>]?
    /// The behaviour rule of the quadrants.
    public var behaviour: LoyaltyOptions.Behaviour
    /// Repeat buyers (2+ purchase days): the base of the cause shares.
    public var repeatBuyers: Int
    /// Repeat buyers per cause (a buyer may count under several), every cause listed.
    public var causes: [Count<RepeatCause>]
}
