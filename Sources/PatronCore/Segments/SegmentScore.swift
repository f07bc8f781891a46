/// A per-member analytics score that a scheduled job computes and keeps (`member_scores`) with the time of its fit.
public enum SegmentScore: String, Sendable, Hashable, Codable, CaseIterable {
    /// The BG/NBD probability that the member is still a customer, 0…1.
    case pAlive
    /// Purchases the BG/NBD model expects from the member in the next 90 days.
    case expectedPurchases90
    /// The 12-month customer lifetime value, in minor units of the currency.
    case clv12
    /// The member's percentile of 12-month CLV among scored members, 0…100.
    case clvPercentile

    /// The column that holds it.
    public var column: String {
        switch self {
        case .pAlive: "p_alive"
        case .expectedPurchases90: "expected_purchases_90"
        case .clv12: "clv_12"
        case .clvPercentile: "clv_percentile"
        }
    }
}

/// A per-member analytics label that the scoring job keeps: the RFM cell and segment, the loyalty stage and type.
public enum SegmentLabel: String, Sendable, Hashable, Codable, CaseIterable {
    /// The RFM cell, three digits R, F and M from 1 to 5 (`"545"`).
    case rfmCell
    /// The named RFM segment (`champions`, `at_risk` …).
    case rfmSegment
    /// The loyalty stage (`first_time_buyer`, `repeat_buyer`, `advocate` …).
    case loyaltyStage
    /// The attitude × behaviour type (`non_loyal`, `inertial`, `latent`, `absolute`).
    case loyaltyType

    /// The column that holds it.
    public var column: String {
        switch self {
        case .rfmCell: "rfm_cell"
        case .rfmSegment: "rfm_segment"
        case .loyaltyStage: "loyalty_stage"
        case .loyaltyType: "loyalty_type"
        }
    }
}
