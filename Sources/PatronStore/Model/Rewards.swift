import Foundation
import PatronCore

/// A request to redeem a reward.
public struct RedeemRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The reward's id in the program.
    public var rewardId: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date
    /// The partner merchant it is redeemed with, if any.
    public var partner: String?

    /// Makes a request.
    public init(memberId: Int64, rewardId: String, key: String, at: Date, partner: String? = nil) {
        self.memberId = memberId
        self.rewardId = rewardId
        self.key = key
        self.at = at
        self.partner = partner
    }
}

/// A request to reverse a redemption.
public struct ReverseRedemptionRequest: Sendable, Hashable {
    /// The redemption.
    public var redemptionId: Int64
    /// Why.
    public var reason: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(redemptionId: Int64, reason: String, key: String, at: Date) {
        self.redemptionId = redemptionId
        self.reason = reason
        self.key = key
        self.at = at
    }
}

/// A request to move points from one member to another.
public struct TransferRequest: Sendable, Hashable {
    /// Who gives.
    public var from: Int64
    /// Who receives.
    public var to: Int64
    /// Points received.
    public var points: Int64
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(from: Int64, to: Int64, points: Int64, key: String, at: Date) {
        self.from = from
        self.to = to
        self.points = points
        self.key = key
        self.at = at
    }
}

/// What a transfer did.
public struct TransferOutcome: Sendable, Hashable, Codable {
    /// Points received.
    public var points: Int64
    /// The fee the sender paid.
    public var fee: Int64
    /// The sender's balances afterwards.
    public var sender: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// What a partner and the program owe each other for a period.
public struct Settlement: Sendable, Hashable, Codable {
    /// The partner.
    public var partner: String
    /// First local day.
    public var from: String
    /// Last local day.
    public var to: String
    /// Points the partner's orders earned (net of returns and cancellations).
    public var pointsIssued: Int64
    /// Points redeemed with the partner (not reversed).
    public var pointsRedeemed: Int64
    /// What the partner owes for points issued, minor units.
    public var owedByPartner: Int64
    /// What is owed to the partner for points redeemed, minor units.
    public var owedToPartner: Int64
    /// owedByPartner − owedToPartner.
    public var net: Int64
}

/// The codes of one pooled coupon reward: how many were uploaded and how many of them members hold.
public struct CouponPoolCount: Sendable, Hashable {
    /// Codes uploaded, handed out or not.
    public var uploaded: Int
    /// Codes handed out with a redemption.
    public var handedOut: Int
    /// Codes still free to hand out.
    public var left: Int { uploaded - handedOut }

    /// Makes a value.
    public init(uploaded: Int, handedOut: Int) {
        self.uploaded = uploaded
        self.handedOut = handedOut
    }
}
