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

    /// Limits that keep profiles to what a person would write, and an API answer to a sane size.
    public static let maximumNameLength = 200
    public static let maximumTagLength = 64
    public static let maximumTags = 100

    /// Throws `invalidInput` naming the first field outside the limits.
    public func validate() throws {
        if let name, name.count > Self.maximumNameLength {
            throw PatronError(.invalidInput, "profile.name: longer than \(Self.maximumNameLength) characters")
        }
        guard tags.count <= Self.maximumTags else { throw PatronError(.invalidInput, "profile.tags: more than \(Self.maximumTags) tags") }
        for (index, tag) in tags.enumerated() where tag.isEmpty || tag.count > Self.maximumTagLength {
            throw PatronError(.invalidInput, "profile.tags[\(index)]: a tag must be 1 to \(Self.maximumTagLength) characters")
        }
        for key in consents.keys where key.isEmpty || key.count > Self.maximumTagLength {
            throw PatronError(.invalidInput, "profile.consents: a consent's name must be 1 to \(Self.maximumTagLength) characters")
        }
    }

    private enum CodingKeys: String, CodingKey { case name, birthday, tags, consents }

    /// Absent tags and consents are empty, as a client sending only a name means.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        birthday = try container.decodeIfPresent(LocalDate.self, forKey: .birthday)
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        consents = try container.decodeIfPresent([String: Bool].self, forKey: .consents) ?? [:]
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
