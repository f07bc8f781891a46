/// Thresholds of ``LoyaltyAnalysis/run(orders:members:referrals:nps:engaged:options:)``; every rule is in
/// docs/analytics.md.
public struct LoyaltyOptions: Sendable, Hashable, Codable {
    /// How "high behaviour" is decided for the attitude × behaviour quadrants.
    public enum Behaviour: String, Sendable, Hashable, Codable {
        /// Two or more purchase days.
        case repeatBuyer = "repeat_buyer"
        /// RFM segment champions or loyal (``RFMAnalysis`` on the orders as of ``LoyaltyOptions/asOfDay``).
        case rfm
    }

    /// The behaviour rule (default: repeat buyer).
    public var behaviour: Behaviour
    /// Lowest NPS answer counted as high attitude (default 9: promoters).
    public var promoterScore: Int
    /// A cause applies when its orders are more than this share of the customer's orders (default 0.5: most).
    public var majorityShare: Double
    /// Purchase days needed before intervals can be called regular (default 4, i.e. 3 gaps).
    public var habitualMinimumDays: Int
    /// Largest coefficient of variation (standard deviation ÷ mean) of the gaps that counts as regular (default 0.5).
    public var habitualMaxVariation: Double
    /// The analysis day; orders after it are ignored; nil = all orders.
    public var asOfDay: Int?

    /// Creates options.
    public init(behaviour: Behaviour = .repeatBuyer, promoterScore: Int = 9, majorityShare: Double = 0.5,
                habitualMinimumDays: Int = 4, habitualMaxVariation: Double = 0.5, asOfDay: Int? = nil) {
        self.behaviour = behaviour
        self.promoterScore = promoterScore
        self.majorityShare = majorityShare
        self.habitualMinimumDays = habitualMinimumDays
        self.habitualMaxVariation = habitualMaxVariation
        self.asOfDay = asOfDay
    }
}
