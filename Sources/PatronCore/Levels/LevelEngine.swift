import Foundation

/// How levels move: pure rules over the member's level state and qualifying value.
public enum LevelEngine {
    /// Why a level is being evaluated.
    public enum Trigger: Sendable, Hashable {
        /// A completed order (or other qualifying event): upgrades happen at once.
        case qualifyingEvent
        /// A return that may undo qualification.
        case returned
        /// The validity period ended (the re-evaluation job).
        case validityEnded
    }

    /// The change `trigger` causes, or `nil` when the level stays as it is.
    public static func evaluate(
        _ state: LevelState, value: Int64, hasCompletedOrder: Bool, trigger: Trigger, at instant: Date, policy: LevelPolicy,
        calendar: ShopCalendar
    ) -> LevelChange? {
        let levels = policy.levels
        let index = { (name: String?) in name.flatMap { n in levels.firstIndex { $0.name == n } } ?? -1 }
        let current = index(state.level)
        var qualified = levels.lastIndex { value >= $0.threshold } ?? -1
        if policy.entryOnFirstOrder, !hasCompletedOrder { qualified = -1 }

        func change(to target: Int, _ reason: String, renew: Bool) -> LevelChange? {
            var next = state
            next.level = target >= 0 ? levels[target].name : nil
            if target != current { next.since = instant }
            if case .upgradeAndDowngrade(let months, _) = policy.growth, renew || target != current {
                next.validUntil = calendar.adding(months: months, to: instant)
            }
            guard next != state else { return nil }
            return LevelChange(from: state.level, to: next.level, reason: reason, state: next)
        }

        switch trigger {
        case .qualifyingEvent:
            return qualified > current ? change(to: qualified, "qualified", renew: true) : nil
        case .returned:
            if qualified > current { return change(to: qualified, "qualified", renew: true) }
            guard policy.returns == .immediate, qualified < current else { return nil }
            return change(to: qualified, "return undid qualification", renew: false)
        case .validityEnded:
            guard case .upgradeAndDowngrade(_, let downgrade) = policy.growth, let until = state.validUntil, until <= instant else { return nil }
            if qualified >= current { return change(to: max(current, qualified), "kept", renew: true) }
            let target = downgrade == .oneLevel ? current - 1 : qualified
            return change(to: max(target, qualified), "validity ended", renew: true)
        }
    }
}
