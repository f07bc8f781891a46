import Foundation

/// Where a member stands in the levels: the level earned, how long it holds, and any manual override.
public struct LevelState: Sendable, Hashable, Codable {
    /// The level earned, or `nil` before the first one.
    public var level: String?
    /// Since when.
    public var since: Date?
    /// When an upgrade-and-downgrade level is re-evaluated.
    public var validUntil: Date?
    /// A level set by hand, which wins until it ends.
    public var override: LevelOverride?

    /// Makes a state.
    public init(level: String? = nil, since: Date? = nil, validUntil: Date? = nil, override: LevelOverride? = nil) {
        self.level = level
        self.since = since
        self.validUntil = validUntil
        self.override = override
    }

    /// The level in force at `instant`: an unexpired override, else the level earned.
    public func effectiveLevel(at instant: Date) -> String? {
        if let override, override.until > instant { return override.level }
        return level
    }
}

/// A level set by hand, with an end and a reason.
public struct LevelOverride: Sendable, Hashable, Codable {
    /// The level.
    public var level: String
    /// When it ends.
    public var until: Date
    /// Why.
    public var reason: String

    /// Makes an override.
    public init(level: String, until: Date, reason: String) {
        self.level = level
        self.until = until
        self.reason = reason
    }
}

/// A change of level, with why it happened.
public struct LevelChange: Sendable, Hashable {
    /// The level before.
    public var from: String?
    /// The level after.
    public var to: String?
    /// Why: `qualified`, `return`, `validity ended`, `kept` …
    public var reason: String
    /// The state afterwards.
    public var state: LevelState
}
