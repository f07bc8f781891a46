import Foundation
import PatronCore
import PatronStore

/// One ledger entry told as a member would say it: what happened, how many points, and to which order or reward.
/// The console turns `event` into a sentence in the member's language ("Earned 120 points for order A-17").
public struct MemberHistoryLine: Sendable, Hashable {
    /// What happened, in words a member knows.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// An order's points became pending.
        case pendingForOrder
        /// Pending points were cancelled with their order.
        case cancelledWithOrder
        /// An order's pending points became spendable.
        case activatedFromOrder
        /// Points credited for an order straight away.
        case earnedForOrder
        /// Bonus points (an activity, a birthday gift, a referral, a prize).
        case earnedBonus
        /// Points spent on a reward.
        case spentOnReward
        /// Points paid towards an order.
        case spentOnOrder
        /// Points given back (a reversed redemption, or an order paid with points that was cancelled or returned).
        case givenBack
        /// Points expired.
        case expired
        /// Points taken back because goods were returned.
        case reversedForReturn
        /// Points added by the shop.
        case addedByShop
        /// Points removed by the shop.
        case removedByShop
        /// Points sent to another member (or a transfer fee).
        case sent
        /// Points received from another member.
        case received
    }

    /// The entry's id.
    public var id: Int64
    /// What happened.
    public var event: Event
    /// Points moved (never negative: `event` says which way).
    public var points: Int64
    /// The order, when it is about one.
    public var orderId: String?
    /// The reward's name, for redemptions.
    public var reward: String?
    /// The shop's reason for an adjustment, or what a bonus was for, as recorded.
    public var note: String?
    /// When it happened.
    public var at: Date

    /// The line for `entry` under `program` (for reward names).
    public init(entry: LedgerEntry, program: Program) {
        id = entry.id
        at = entry.occurredAt
        orderId = entry.orderId
        let delta = entry.activeDelta != 0 ? entry.activeDelta : entry.pendingDelta
        points = abs(delta)
        reward = nil
        note = nil
        switch entry.kind {
        case .pending: event = delta >= 0 ? .pendingForOrder : .cancelledWithOrder
        case .void: event = .cancelledWithOrder
        case .activate: event = .activatedFromOrder
        case .earn:
            if entry.orderId != nil {
                event = .earnedForOrder
            } else {
                event = .earnedBonus
                note = entry.reason
            }
        case .redeem:
            if delta > 0 {
                event = .givenBack
            } else if let reason = entry.reason, reason.hasPrefix("redeemed ") {
                event = .spentOnReward
                let id = String(reason.dropFirst("redeemed ".count))
                reward = program.rewards.first { $0.id == id }?.name ?? id
            } else {
                event = .spentOnOrder
            }
        case .expire: event = .expired
        case .reverse: event = .reversedForReturn
        case .adjust:
            event = delta >= 0 ? .addedByShop : .removedByShop
            note = entry.reason
        case .transfer: event = delta >= 0 ? .received : .sent
        }
    }

    /// A member's latest `limit` entries as lines, newest first.
    public static func latest(context: ServiceContext, member id: Int64, limit: Int) async throws -> [MemberHistoryLine] {
        let program = try await context.currentProgram().program
        let statement = try await context.store.statement(member: id, entries: limit)
        return statement.entries.map { MemberHistoryLine(entry: $0, program: program) }
    }
}
