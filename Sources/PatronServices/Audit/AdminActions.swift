import Foundation
import PatronCore
import PatronStore

/// The admin changes that must leave an audit record, each written with its record, so the command line and the API
/// cannot differ: manual adjustments, level overrides, transfers made by staff, redemption reversals and fulfilment,
/// and imported coupon codes. A replay (the same idempotency key) changes nothing and records nothing.
public struct AdminActions: Sendable {
    let store: any Store
    let trail: AuditTrail

    /// Admin actions over `store`.
    public init(store: any Store) {
        self.store = store
        trail = AuditTrail(store: store)
    }

    /// Adds or removes active points by hand (`member.adjust`, balances before and after, the reason).
    public func adjust(_ adjustment: Adjustment) async throws -> AdjustmentOutcome {
        let before = try await existingMember(adjustment.memberId)
        let outcome = try await store.adjust(adjustment)
        if !outcome.replayed {
            try await trail.record(
                "member.adjust", subject: "member:\(before.id)", actor: adjustment.actor, before: before.balances, after: outcome.balances,
                reason: adjustment.reason, at: adjustment.at)
        }
        return outcome
    }

    /// Sets a level by hand until a date (`member.level`, the level state before and after, the reason).
    public func setLevel(_ request: LevelOverrideRequest) async throws -> Member {
        let before = try await existingMember(request.memberId)
        let updated = try await store.setLevel(request)
        if updated.level != before.level {
            try await trail.record(
                "member.level", subject: "member:\(before.id)", actor: request.actor, before: before.level, after: updated.level,
                reason: request.reason, at: request.at)
        }
        return updated
    }

    /// Moves points from one member to another on staff's behalf (`member.transfer`: the sender's balances before and
    /// after, and after it the receiver, points and fee).
    public func transfer(_ request: TransferRequest, actor: String) async throws -> TransferOutcome {
        let before = try await existingMember(request.from)
        let outcome = try await store.transfer(request)
        if !outcome.replayed {
            try await trail.record(
                "member.transfer", subject: "member:\(request.from)", actor: actor, before: TransferState(sender: before.balances),
                after: TransferState(sender: outcome.sender, to: request.to, points: outcome.points, fee: outcome.fee), at: request.at)
        }
        return outcome
    }

    /// Reverses a redemption (`redemption.reverse`, the redemption before and after, the reason).
    public func reverseRedemption(_ request: ReverseRedemptionRequest, actor: String) async throws -> Redemption {
        let before = try await store.redemption(id: request.redemptionId)
        let after = try await store.reverseRedemption(request)
        if before != after {
            try await trail.record(
                "redemption.reverse", subject: "redemption:\(before.id)", actor: actor, before: before, after: after, reason: request.reason,
                at: request.at)
        }
        return after
    }

    /// Marks a gift redemption shipped or delivered (`redemption.fulfil`, the redemption before and after).
    public func fulfil(redemption id: Int64, status: String, actor: String, at: Date) async throws -> Redemption {
        let before = try await store.redemption(id: id)
        let after = try await store.fulfil(redemption: id, status: status, at: at)
        if before != after {
            try await trail.record("redemption.fulfil", subject: "redemption:\(id)", actor: actor, before: before, after: after, at: at)
        }
        return after
    }

    /// Adds codes to a pooled coupon reward (`reward.codes`, how many were added of how many sent).
    public func importCouponCodes(reward: String, codes: [String], actor: String, at: Date) async throws -> Int {
        let added = try await store.importCouponCodes(reward: reward, codes: codes)
        try await trail.record("reward.codes", subject: "reward:\(reward)", actor: actor, before: nil, after: added, reason: "\(codes.count) codes sent", at: at)
        return added
    }

    /// Sends a dead webhook delivery again (`webhook.replay`, the delivery after; only a dead one can be replayed).
    public func replayWebhookDelivery(id: Int64, actor: String, at: Date) async throws -> WebhookDelivery {
        let after = try await store.replayWebhookDelivery(id: id, at: at)
        try await trail.record("webhook.replay", subject: "delivery:\(id)", actor: actor, before: nil, after: after, at: at)
        return after
    }

    private func existingMember(_ id: Int64) async throws -> Member {
        guard let member = try await store.member(id: id) else { throw PatronError(.notFound, "no member \(id)") }
        return member
    }

    /// The sender's balances around a transfer and, after it, the receiver, points and fee.
    private struct TransferState: Encodable {
        var sender: Balances
        var to: Int64?
        var points: Int64?
        var fee: Int64?
    }
}
