import Foundation
import PatronCore

/// A member's activity to reward.
public struct ActivityRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The activity's name in the program (`checkIn`, `review`, or a custom name).
    public var kind: String
    /// The idempotency key (a review's id, say).
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(memberId: Int64, kind: String, key: String, at: Date) {
        self.memberId = memberId
        self.kind = kind
        self.key = key
        self.at = at
    }
}

/// What an activity earned.
public struct ActivityOutcome: Sendable, Hashable, Codable {
    /// Points for the activity.
    public var points: Int64
    /// A streak bonus, for check-ins.
    public var bonus: Int64
    /// The check-in streak in days, counting this one (0 for other activities).
    public var streak: Int
    /// The balances afterwards.
    public var balances: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// A manual level, with its end, reason and actor.
public struct LevelOverrideRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The level's name.
    public var level: String
    /// When the override ends.
    public var until: Date
    /// Why.
    public var reason: String
    /// Who.
    public var actor: String
    /// The idempotency key.
    public var key: String
    /// When it is set.
    public var at: Date

    /// Makes a request.
    public init(memberId: Int64, level: String, until: Date, reason: String, actor: String, key: String, at: Date) {
        self.memberId = memberId
        self.level = level
        self.until = until
        self.reason = reason
        self.actor = actor
        self.key = key
        self.at = at
    }
}

/// One recorded change of level.
public struct LevelHistoryEntry: Sendable, Hashable, Codable {
    /// The level before.
    public var from: String?
    /// The level after.
    public var to: String?
    /// Why it changed.
    public var reason: String
    /// Who, for manual changes.
    public var actor: String?
    /// When.
    public var at: Date
    /// The program version in force.
    public var programVersion: Int
}
