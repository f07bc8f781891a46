import Foundation
import PatronCore
import PatronStore

/// The reward catalogue as members see it: each reward with what is left of its stock. `patron rewards list` and
/// `GET /v1/rewards` both read it here.
public struct RewardCatalogue: Sendable {
    /// One reward and its remaining stock.
    public struct Entry: Sendable, Hashable {
        /// The reward as the program defines it; `stock` is what the catalogue offers in all.
        public var reward: Reward
        /// What is left: stock − redemptions not reversed, never below zero; `nil` when the stock is unlimited, or
        /// unknown (a program file read without its database).
        public var remaining: Int?
    }

    /// The program's rewards, in catalogue order.
    public var entries: [Entry]

    /// The catalogue of `program`; with `store` the remaining stock is counted from its redemptions, without it (a
    /// program file alone) only the configured stock is known.
    public static func load(program: Program, store: (any Store)?) async throws -> RewardCatalogue {
        let taken = try await store?.stockTaken()
        return RewardCatalogue(entries: program.rewards.map { reward in
            Entry(reward: reward, remaining: taken.flatMap { reward.remainingStock(taken: $0[reward.id] ?? 0) })
        })
    }

    /// The catalogue of the program in force in `context`'s store.
    public static func load(context: ServiceContext) async throws -> RewardCatalogue {
        try await load(program: try await context.currentProgram().program, store: context.store)
    }
}
