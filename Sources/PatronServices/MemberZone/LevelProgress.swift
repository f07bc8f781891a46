import Foundation
import PatronCore

/// Where a member stands in the levels: the level in force, how far the qualifying value is from the next level, and
/// what keeps the current one.
public struct LevelProgress: Sendable, Hashable {
    /// What keeps the level in force.
    public enum Keeping: Sendable, Hashable {
        /// No level yet.
        case noLevel
        /// The program only moves members up: the level stays for good.
        case forGood
        /// The level is re-evaluated at `reviewAt`; it stays if the metric over the window then reaches `threshold`.
        case review(at: Date, threshold: Int64)
        /// Set by the shop until `until`.
        case override(until: Date)
    }

    /// The level in force (an override wins), or `nil`.
    public var current: String?
    /// What qualifies: spend (minor units), completed orders, or points earned.
    public var metric: LevelPolicy.Metric
    /// The member's qualifying value over the program's window now.
    public var value: Int64
    /// The next level above the current one, if any.
    public var next: Level?
    /// What is still needed to reach `next`; `nil` at the top.
    public var remaining: Int64?
    /// The way from the current level's threshold to the next one's, 0 to 1 (1 at the top).
    public var fraction: Double
    /// What keeps the current level.
    public var keeping: Keeping

    /// The progress of a member with `state` and qualifying `value` under `policy` at `instant`.
    public init(state: LevelState, value: Int64, policy: LevelPolicy, at instant: Date) {
        current = state.effectiveLevel(at: instant)
        metric = policy.metric
        self.value = value
        let index = current.flatMap { name in policy.levels.firstIndex { $0.name == name } }
        let nextIndex = index.map { $0 + 1 } ?? 0
        next = nextIndex < policy.levels.count ? policy.levels[nextIndex] : nil
        if let next {
            remaining = max(0, next.threshold - value)
            let floor = index.map { policy.levels[$0].threshold } ?? 0
            let span = next.threshold - floor
            fraction = span > 0 ? min(1, max(0, Double(value - floor) / Double(span))) : 1
        } else {
            remaining = nil
            fraction = 1
        }
        if let override = state.override, override.until > instant {
            keeping = .override(until: override.until)
        } else if let index {
            switch policy.growth {
            case .upgradeOnly: keeping = .forGood
            case .upgradeAndDowngrade:
                // The lowest level with no threshold cannot be lost: there is nothing to keep up.
                let threshold = policy.levels[index].threshold
                keeping = threshold > 0 ? state.validUntil.map { .review(at: $0, threshold: threshold) } ?? .forGood : .forGood
            }
        } else {
            keeping = .noLevel
        }
    }
}
