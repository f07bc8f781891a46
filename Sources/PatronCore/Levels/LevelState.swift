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

    /// An override set by `actor` at `instant`, checked: the level is one of `policy`'s (of program `programName`), it
    /// ends after it starts, and the reason and actor are not blank (the reason is kept trimmed). Throws
    /// `invalidInput` naming the field.
    public static func validated(
        level: String, until: Date, reason: String, actor: String, at instant: Date, policy: LevelPolicy?, programName: String
    ) throws -> LevelOverride {
        let trimmed = try checkedReason(reason, actor: actor, until: until, at: instant)
        guard let policy, policy.level(named: level) != nil else {
            throw PatronError(.invalidInput, "level: '\(level)' is not a level of \(programName)")
        }
        return LevelOverride(level: level, until: until, reason: trimmed)
    }

    /// The checks that need no program: a reason and an actor that are not blank, an end after `instant`. Returns the
    /// reason trimmed; throws `invalidInput` naming the field.
    public static func checkedReason(_ reason: String, actor: String, until: Date, at instant: Date) throws -> String {
        try FreeText.check(reason, field: "reason", maximumLength: 1_000)
        try FreeText.check(actor, field: "actor", maximumLength: 200)
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PatronError(.invalidInput, "reason: a level override needs a reason") }
        guard !actor.trimmingCharacters(in: .whitespaces).isEmpty else { throw PatronError(.invalidInput, "actor: a level override needs an actor") }
        guard until > instant else { throw PatronError(.invalidInput, "until: a level override must end after it starts") }
        return trimmed
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
