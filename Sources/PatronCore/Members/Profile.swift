/// What a member tells the shop about themselves.
public struct Profile: Sendable, Hashable, Codable {
    /// The member's name.
    public var name: String?
    /// The birthday, for birthday benefits (computed in the program's time zone).
    public var birthday: LocalDate?
    /// Free tags for segmentation (`vip-event-2026`).
    public var tags: [String]
    /// Consents by channel or purpose (`email: true`, `sms: false`).
    public var consents: [String: Bool]

    /// Makes a profile.
    public init(name: String? = nil, birthday: LocalDate? = nil, tags: [String] = [], consents: [String: Bool] = [:]) {
        self.name = name
        self.birthday = birthday
        self.tags = tags
        self.consents = consents
    }
}

/// A partial change to a profile: only the fields that are set change.
public struct ProfileUpdate: Sendable, Hashable, Codable {
    /// A new name.
    public var name: String?
    /// A new birthday.
    public var birthday: LocalDate?
    /// Tags to add.
    public var addTags: [String]?
    /// Tags to remove.
    public var removeTags: [String]?
    /// Consents to set.
    public var consents: [String: Bool]?

    /// Makes an update.
    public init(name: String? = nil, birthday: LocalDate? = nil, addTags: [String]? = nil, removeTags: [String]? = nil, consents: [String: Bool]? = nil) {
        self.name = name
        self.birthday = birthday
        self.addTags = addTags
        self.removeTags = removeTags
        self.consents = consents
    }

    /// The profile with this update applied.
    public func applied(to profile: Profile) -> Profile {
        var result = profile
        if let name { result.name = name }
        if let birthday { result.birthday = birthday }
        if let addTags { result.tags += addTags.filter { !result.tags.contains($0) } }
        if let removeTags { result.tags.removeAll { removeTags.contains($0) } }
        if let consents { result.consents.merge(consents) { _, new in new } }
        return result
    }
}
