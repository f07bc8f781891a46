import Foundation

/// Where a redemption stands, and the moves between states the program allows.
///
/// ```
/// issued ──use──▶ used ──release──▶ issued        (coupons: an order uses it; cancelling the order frees it)
/// issued ──ship──▶ shipped ──deliver──▶ delivered (gifts)
/// issued, shipped ──reverse──▶ reversed           (not a lottery draw: a draw cannot be undone)
/// ```
/// The stores keep the status as its raw value; every change goes through `next(after:kind:redemption:)`.
public enum RedemptionStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Redeemed (or granted): a coupon ready to use, a gift to send, a ticket, a lottery draw.
    case issued
    /// A coupon an order has used.
    case used
    /// A gift sent on its way.
    case shipped
    /// A gift that arrived.
    case delivered
    /// Undone: its points went back to the member, and it no longer counts against the reward's stock.
    case reversed

    /// What happens to a redemption.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// An order uses the coupon.
        case use
        /// The order that used the coupon was cancelled: the coupon can be used again.
        case release
        /// The gift was shipped.
        case ship
        /// The gift was delivered.
        case deliver
        /// The redemption is undone and its points restored.
        case reverse
    }

    /// The status an event leads to from this one, or `nil` when the event is not allowed here (any reward kind).
    public func after(_ event: Event) -> RedemptionStatus? {
        switch (self, event) {
        case (.issued, .use): .used
        case (.used, .release): .issued
        case (.issued, .ship): .shipped
        case (.shipped, .deliver): .delivered
        case (.issued, .reverse), (.shipped, .reverse): .reversed
        default: nil
        }
    }

    /// Whether redemptions in this status take a unit of the reward's stock (every one but a reversed one).
    public var holdsStock: Bool { self != .reversed }

    /// The status redemption `id` of a reward of `kind` moves to on `event`; throws `invalidTransition` naming why not.
    public func next(after event: Event, kind: Reward.Kind, redemption id: Int64) throws -> RedemptionStatus {
        switch (event, kind) {
        case (.use, .coupon), (.release, .coupon), (.ship, .gift), (.deliver, .gift): break
        case (.reverse, .lottery):
            throw PatronError(.invalidTransition, "redemption \(id) is a lottery draw; a draw cannot be undone")
        case (.reverse, _): break
        case (.use, _), (.release, _): throw PatronError(.invalidTransition, "redemption \(id) is not a coupon")
        case (.ship, _), (.deliver, _): throw PatronError(.invalidTransition, "redemption \(id) is not a gift")
        }
        guard let next = after(event) else {
            let from = RedemptionStatus.allCases.filter { $0.after(event) != nil }.map(\.rawValue)
            throw PatronError(
                .invalidTransition,
                "redemption \(id) is \(self); only a redemption that is \(from.joined(separator: " or ")) can be \(event.pastTense)")
        }
        return next
    }

    public var description: String { rawValue }
}

extension RedemptionStatus.Event {
    /// The event in words: `shipped`, `reversed` …
    var pastTense: String {
        switch self {
        case .use: "used"
        case .release: "released"
        case .ship: "shipped"
        case .deliver: "delivered"
        case .reverse: "reversed"
        }
    }

    /// The event a fulfilment status names (`shipped`, `delivered`), for the command line and the API.
    public init(fulfilment status: String) throws {
        switch status {
        case RedemptionStatus.shipped.rawValue: self = .ship
        case RedemptionStatus.delivered.rawValue: self = .deliver
        default: throw PatronError(.invalidInput, "a gift can be marked shipped or delivered, not '\(status)'")
        }
    }
}
