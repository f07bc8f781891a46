/// The loyalty ladder (docs/loyalty.md, "Loyalty stages"), as far as a shop's data can place a member on it.
public enum LoyaltyStage: String, Sendable, Hashable, Codable, CaseIterable {
    /// No purchase and no recorded engagement: knows the shop, has not bought (知道但未买).
    case suspect
    /// No purchase but engaged (check-ins, profile, favourites …): expects to buy.
    case prospect
    /// No purchase, and no engagement data was given, so suspects and prospects cannot be told apart.
    case suspectOrProspect = "suspect_or_prospect"
    /// Exactly one purchase day.
    case firstTimeBuyer = "first_time_buyer"
    /// Two or more purchase days.
    case repeatBuyer = "repeat_buyer"
    /// At least one referral (recommends the shop), whatever the purchases.
    case advocate
}

/// Attitude × behaviour loyalty types (docs/loyalty.md), for members who answered the NPS question.
public enum LoyaltyQuadrant: String, Sendable, Hashable, Codable, CaseIterable {
    /// Low attitude, low behaviour.
    case nonLoyal = "non_loyal"
    /// Low attitude, high behaviour (惰性).
    case inertial
    /// High attitude, low behaviour (潜在).
    case latent
    /// High attitude, high behaviour (绝对).
    case absolute
}

/// Causes of repeat buying that order data can show (docs/loyalty.md's monopoly cannot be seen from one shop's data).
/// A repeat buyer may have several.
public enum RepeatCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// Most orders discounted: buys when it is cheapest.
    case price
    /// Most orders inside points campaigns: buys while rewards run.
    case incentive
    /// Regular intervals between purchase days: docs/loyalty.md's inertia or convenience (the data cannot tell which).
    case habitual
    /// Recommends the shop (a referral or an NPS of 9–10) and buys mostly at full price outside campaigns (超值).
    case superValue = "super_value"
    /// None of the above.
    case unclassified
}
