/// Points for member activity outside orders: check-ins, profile, favourites, reviews, games, social actions and
/// the shop's own named events.
public struct ActivityPolicy: Sendable, Hashable {
    /// Points per kind of activity (`checkIn`, `profileCompleted`, `review`, `favourite`, `game`, `socialFollow`,
    /// `share`, or a custom name).
    public var activities: [String: Activity]

    /// Makes a policy.
    public init(activities: [String: Activity]) { self.activities = activities }

    /// The built-in kinds; any other name is a custom event.
    public static let builtIn: Set<String> = ["checkIn", "profileCompleted", "favourite", "review", "game", "socialFollow", "share"]
}

/// One kind of activity.
public struct Activity: Sendable, Hashable {
    /// Points each time.
    public var points: Int64
    /// How often it earns. A check-in earns at most once a day and a completed profile once, whatever the limit says.
    public var limit: RuleLimit
    /// Check-in streak bonuses: reaching N consecutive days adds the bonus once per streak.
    public var streak: [StreakBonus]

    /// Makes an activity.
    public init(points: Int64, limit: RuleLimit = RuleLimit(), streak: [StreakBonus] = []) {
        self.points = points
        self.limit = limit
        self.streak = streak
    }
}

/// A bonus for a check-in streak of `days` consecutive days.
public struct StreakBonus: Sendable, Hashable {
    /// The streak length that earns the bonus.
    public var days: Int
    /// The bonus points.
    public var bonus: Int64

    /// Makes a bonus.
    public init(days: Int, bonus: Int64) {
        self.days = days
        self.bonus = bonus
    }
}

extension ActivityPolicy {
    /// The limit that applies to `kind`: a check-in once a day, a completed profile once ever.
    public func effectiveLimit(_ kind: String) -> RuleLimit? {
        guard var limit = activities[kind]?.limit else { return nil }
        if kind == "checkIn" { limit.perDay = min(limit.perDay ?? 1, 1) }
        if kind == "profileCompleted" { limit.lifetime = 1 }
        return limit
    }

    /// Points for an activity of `kind` that fits its limit, with the streak bonus for a check-in whose streak
    /// (counting today) is `streak` days long.
    public func points(for kind: String, streak: Int) -> (points: Int64, bonus: Int64)? {
        guard let activity = activities[kind] else { return nil }
        let bonus = kind == "checkIn" ? activity.streak.filter { $0.days == streak }.reduce(0) { $0 + $1.bonus } : 0
        return (activity.points, bonus)
    }
}
