/// Named customer segments from RFM recency (R) and frequency (F) scores; the rules are in docs/analytics.md.
public enum RFMSegment: String, Sendable, Hashable, Codable, CaseIterable {
    /// R ≥ 4 and F ≥ 4: bought recently and often.
    case champions
    /// R ≥ 3 and F ≥ 3 (not champions): regular buyers.
    case loyal
    /// R ≥ 4 and exactly one purchase day: first-time buyers.
    case new
    /// R ≥ 3, otherwise: recent buyers who have not yet bought often.
    case potential
    /// R ≤ 2 and F ≥ 3: used to buy often, not lately.
    case atRisk = "at_risk"
    /// R = 2 and F ≤ 2: few purchases, a while ago.
    case hibernating
    /// R = 1 and F ≤ 2: few purchases, long ago.
    case lost

    /// The segment of a customer with scores `r`, `f` (1…5) and `purchaseDays` purchase days.
    public static func classify(r: Int, f: Int, purchaseDays: Int) -> RFMSegment {
        if r >= 4 && f >= 4 { return .champions }
        if r >= 3 && f >= 3 { return .loyal }
        if r >= 4 && purchaseDays == 1 { return .new }
        if r >= 3 { return .potential }
        if f >= 3 { return .atRisk }
        return r == 2 ? .hibernating : .lost
    }
}
