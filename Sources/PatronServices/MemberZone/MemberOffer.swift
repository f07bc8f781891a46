import Foundation
import PatronCore
import PatronStore

/// A reward as one member sees it: whether they may redeem it now and, if not, why.
public struct MemberOffer: Sendable, Hashable {
    /// Why a member cannot redeem a reward now.
    public enum Blocker: Sendable, Hashable {
        /// The member needs this many more active points.
        case needsPoints(Int64)
        /// None is left.
        case outOfStock
    }

    /// The reward.
    public var reward: Reward
    /// What is left of its stock; `nil` when unlimited.
    public var remaining: Int?
    /// Why it cannot be redeemed now; `nil` when it can.
    public var blocker: Blocker?

    /// Whether the member can redeem it now (limits per member are checked when redeeming).
    public var isAvailable: Bool { blocker == nil }

    /// The rewards member `id` may see today (their level, tags and the rewards' windows), those they can redeem
    /// first, each group in catalogue order.
    public static func list(context: ServiceContext, member id: Int64) async throws -> [MemberOffer] {
        let program = try await context.currentProgram().program
        guard let member = try await context.store.member(id: id) else { throw PatronError(.notFound, "no member \(id)") }
        let catalogue = try await RewardCatalogue.load(program: program, store: context.store)
        let now = context.clock.now()
        return offers(catalogue: catalogue, member: member, day: program.calendar.localDate(of: now), at: now)
    }

    /// The offers of `catalogue` to `member` on `day` (pure).
    public static func offers(catalogue: RewardCatalogue, member: Member, day: LocalDate, at instant: Date) -> [MemberOffer] {
        let level = member.level.effectiveLevel(at: instant)
        let tags = Set(member.profile.tags)
        let visible = catalogue.entries.filter { (try? $0.reward.checkEligibility(level: level, tags: tags, on: day)) != nil }
        let offers = visible.map { entry in
            let blocker: Blocker? =
                entry.remaining == 0 ? .outOfStock
                : entry.reward.cost > member.balances.active ? .needsPoints(entry.reward.cost - max(0, member.balances.active)) : nil
            return MemberOffer(reward: entry.reward, remaining: entry.remaining, blocker: blocker)
        }
        return offers.filter(\.isAvailable) + offers.filter { !$0.isAvailable }
    }
}
