import Foundation

/// A redeemed reward.
public struct Redemption: Sendable, Hashable, Codable {
    /// The redemption id.
    public var id: Int64
    /// The member.
    public var memberId: Int64
    /// The reward.
    public var rewardId: String
    /// Points paid.
    public var points: Int64
    /// Where it stands: `issued`; for coupons then `used` (by an order); for gifts `shipped`, `delivered`; or `reversed`.
    public var status: RedemptionStatus
    /// The coupon's code, for coupons.
    public var couponCode: String?
    /// When the coupon stops being valid.
    public var validUntil: Date?
    /// When it was redeemed.
    public var at: Date
    /// For a lottery: the random value (0 ..< 2^53) that decided the draw.
    public var drawValue: Int64?
    /// For a lottery: what it won (`500 points`, a reward id, or `no prize`).
    public var prize: String?

    /// Makes a redemption value.
    public init(
        id: Int64, memberId: Int64, rewardId: String, points: Int64, status: RedemptionStatus, couponCode: String?, validUntil: Date?, at: Date,
        drawValue: Int64? = nil, prize: String? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.rewardId = rewardId
        self.points = points
        self.status = status
        self.couponCode = couponCode
        self.validUntil = validUntil
        self.at = at
        self.drawValue = drawValue
        self.prize = prize
    }

    /// Checks that this coupon can be used now by `member` on goods worth `goods` (minor units): it is theirs, not used
    /// or reversed, not expired, and the goods reach its minimum. Throws `notEligible` saying why.
    public func checkUsableAsCoupon(by member: Int64, goods: Int64, terms: CouponTerms, at instant: Date) throws {
        let code = couponCode ?? String(id)
        guard memberId == member else { throw PatronError(.notEligible, "coupon \(code) belongs to another member") }
        guard status == .issued else { throw PatronError(.notEligible, "coupon \(code) is \(status)") }
        if let validUntil, validUntil <= instant { throw PatronError(.notEligible, "coupon \(code) expired at \(validUntil)") }
        guard terms.discount(on: goods) != nil else {
            throw PatronError(.notEligible, "coupon \(code) needs goods of at least \(terms.minimumSpend) minor units")
        }
    }
}
