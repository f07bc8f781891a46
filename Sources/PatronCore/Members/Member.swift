import Foundation

/// A member as stored: identities, profile and cached balances.
public struct Member: Sendable, Hashable, Codable {
    /// The member id, the natural shard key.
    public var id: Int64
    /// When the member joined.
    public var enrolledAt: Date
    /// Every identity that finds this member.
    public var identities: [Identity]
    /// The profile.
    public var profile: Profile
    /// The cached balances, equal to the ledger's sums (`patron check` proves it).
    public var balances: Balances
    /// The member's level.
    public var level: LevelState
    /// When the member's personal data was erased; the id lives on, anonymous, for the ledger and analytics.
    public var erasedAt: Date?

    /// Makes a member value.
    public init(
        id: Int64, enrolledAt: Date, identities: [Identity], profile: Profile, balances: Balances, level: LevelState = LevelState(),
        erasedAt: Date? = nil
    ) {
        self.id = id
        self.enrolledAt = enrolledAt
        self.identities = identities
        self.profile = profile
        self.balances = balances
        self.level = level
        self.erasedAt = erasedAt
    }

    /// Whether the member's personal data was erased: such a member accepts no change (`memberErased`).
    public var isErased: Bool { erasedAt != nil }

    private enum CodingKeys: String, CodingKey { case id, enrolledAt, identities, profile, balances, level, erased, erasedAt }

    /// Reads a member; `erased` is derived from `erasedAt`, so it is not read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        enrolledAt = try container.decode(Date.self, forKey: .enrolledAt)
        identities = try container.decode([Identity].self, forKey: .identities)
        profile = try container.decode(Profile.self, forKey: .profile)
        balances = try container.decode(Balances.self, forKey: .balances)
        level = try container.decodeIfPresent(LevelState.self, forKey: .level) ?? LevelState()
        erasedAt = try container.decodeIfPresent(Date.self, forKey: .erasedAt)
    }

    /// Writes a member with `erased` (always) and `erasedAt` (when erased), so every reader sees an erasure.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(enrolledAt, forKey: .enrolledAt)
        try container.encode(identities, forKey: .identities)
        try container.encode(profile, forKey: .profile)
        try container.encode(balances, forKey: .balances)
        try container.encode(level, forKey: .level)
        try container.encode(isErased, forKey: .erased)
        try container.encodeIfPresent(erasedAt, forKey: .erasedAt)
    }
}

/// A request to enroll a member.
public struct EnrollmentRequest: Sendable, Hashable, Codable {
    /// At least one identity.
    public var identities: [Identity]
    /// The profile.
    public var profile: Profile
    /// The member who referred them, by any identity.
    public var referredBy: Identity?

    /// Makes a request.
    public init(identities: [Identity], profile: Profile = Profile(), referredBy: Identity? = nil) {
        self.identities = identities
        self.profile = profile
        self.referredBy = referredBy
    }

    private enum CodingKeys: String, CodingKey { case identities, profile, referredBy }

    /// An absent profile is an empty one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identities = try container.decode([Identity].self, forKey: .identities)
        profile = try container.decodeIfPresent(Profile.self, forKey: .profile) ?? Profile()
        referredBy = try container.decodeIfPresent(Identity.self, forKey: .referredBy)
    }
}
