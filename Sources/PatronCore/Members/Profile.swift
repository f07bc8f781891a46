import Foundation

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
    /// The member's region (province, state), for segments.
    public var region: String?
    /// The member's city, for segments.
    public var city: String?
    /// The channel the member joined through (`app`, `web`, `wechat`, `store` …), for segments.
    public var channel: String?
    /// The member's gender as the shop records it, for segments.
    public var gender: String?
    /// The member's language as a BCP-47 tag (`zh-Hans`, `en`): messages are rendered in it when templates exist.
    public var locale: String?

    /// Makes a profile.
    public init(
        name: String? = nil, birthday: LocalDate? = nil, tags: [String] = [], consents: [String: Bool] = [:], region: String? = nil,
        city: String? = nil, channel: String? = nil, gender: String? = nil, locale: String? = nil
    ) {
        self.name = name
        self.birthday = birthday
        self.tags = tags
        self.consents = consents
        self.region = region
        self.city = city
        self.channel = channel
        self.gender = gender
        self.locale = locale
    }

    /// The longest region, city, channel or gender.
    public static let maximumFieldLength = 100

    /// Checks the region, city, channel and gender: free text of at most `maximumFieldLength` characters.
    static func checkFields(_ fields: [(String, String?)], prefix: String) throws {
        for (field, value) in fields {
            try FreeText.check(value, field: prefix + field, maximumLength: maximumFieldLength)
        }
    }

    /// Limits that keep profiles to what a person would write, and an API answer to a sane size.
    public static let maximumNameLength = 200
    public static let maximumTagLength = 64
    public static let maximumTags = 100

    /// The earliest birthday Patron accepts.
    public static let earliestBirthday = LocalDate(year: 1900, month: 1, day: 1)!

    /// Throws `invalidInput` naming the first field outside the limits: free text with a NUL character or too long,
    /// a birthday before 1900 or after today (`now`, counted in the earliest time zone, UTC+14).
    public func validate(now: Date = Date()) throws {
        try FreeText.check(name, field: "profile.name", maximumLength: Self.maximumNameLength)
        try Self.checkBirthday(birthday, field: "profile.birthday", now: now)
        guard tags.count <= Self.maximumTags else { throw PatronError(.invalidInput, "profile.tags: more than \(Self.maximumTags) tags") }
        for (index, tag) in tags.enumerated() {
            try Self.checkTag(tag, field: "profile.tags[\(index)]")
        }
        for key in consents.keys.sorted() {
            try Self.checkConsent(key)
        }
        try Self.checkFields([("region", region), ("city", city), ("channel", channel), ("gender", gender)], prefix: "profile.")
        if let locale { _ = try LanguageTag.canonical(locale, field: "profile.locale") }
    }

    /// A tag: 1 to `maximumTagLength` characters of free text.
    static func checkTag(_ tag: String, field: String) throws {
        try FreeText.check(tag, field: field)
        guard !tag.isEmpty, tag.count <= maximumTagLength else {
            throw PatronError(.invalidInput, "\(field): a tag must be 1 to \(maximumTagLength) characters")
        }
    }

    /// A consent's name: 1 to `maximumTagLength` characters of free text.
    static func checkConsent(_ key: String) throws {
        try FreeText.check(key, field: "profile.consents")
        guard !key.isEmpty, key.count <= maximumTagLength else {
            throw PatronError(.invalidInput, "profile.consents: a consent's name must be 1 to \(maximumTagLength) characters")
        }
    }

    /// A birthday from 1900-01-01 to today, wherever on Earth today is.
    public static func checkBirthday(_ birthday: LocalDate?, field: String, now: Date = Date()) throws {
        guard let birthday else { return }
        // The latest calendar day anywhere right now: UTC+14 (Kiribati).
        let latestToday = LocalDate(dayNumber: Int(((now.timeIntervalSince1970 + 14 * 3_600) / 86_400).rounded(.down)))
        guard birthday >= earliestBirthday else {
            throw PatronError(.invalidInput, "\(field): \(birthday) is before \(earliestBirthday); give the real date of birth")
        }
        guard birthday <= latestToday else {
            throw PatronError(.invalidInput, "\(field): \(birthday) is in the future")
        }
    }

    private enum CodingKeys: String, CodingKey { case name, birthday, tags, consents, region, city, channel, gender, locale }

    /// Absent tags and consents are empty, as a client sending only a name means.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        birthday = try container.decodeIfPresent(LocalDate.self, forKey: .birthday)
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        consents = try container.decodeIfPresent([String: Bool].self, forKey: .consents) ?? [:]
        region = try container.decodeIfPresent(String.self, forKey: .region)
        city = try container.decodeIfPresent(String.self, forKey: .city)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        gender = try container.decodeIfPresent(String.self, forKey: .gender)
        locale = try container.decodeIfPresent(String.self, forKey: .locale)
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
    /// A new region.
    public var region: String?
    /// A new city.
    public var city: String?
    /// A new joining channel.
    public var channel: String?
    /// A new gender.
    public var gender: String?
    /// A new locale (a BCP-47 tag; stored in its canonical case).
    public var locale: String?

    /// Makes an update.
    public init(
        name: String? = nil, birthday: LocalDate? = nil, addTags: [String]? = nil, removeTags: [String]? = nil, consents: [String: Bool]? = nil,
        region: String? = nil, city: String? = nil, channel: String? = nil, gender: String? = nil, locale: String? = nil
    ) {
        self.name = name
        self.birthday = birthday
        self.addTags = addTags
        self.removeTags = removeTags
        self.consents = consents
        self.region = region
        self.city = city
        self.channel = channel
        self.gender = gender
        self.locale = locale
    }

    /// Throws `invalidInput` naming the first field that breaks the rules a profile keeps.
    public func validate(now: Date = Date()) throws {
        try FreeText.check(name, field: "name", maximumLength: Profile.maximumNameLength)
        try Profile.checkBirthday(birthday, field: "birthday", now: now)
        for (index, tag) in (addTags ?? []).enumerated() { try Profile.checkTag(tag, field: "addTags[\(index)]") }
        for (index, tag) in (removeTags ?? []).enumerated() { try FreeText.check(tag, field: "removeTags[\(index)]") }
        for key in (consents ?? [:]).keys.sorted() { try Profile.checkConsent(key) }
        try Profile.checkFields([("region", region), ("city", city), ("channel", channel), ("gender", gender)], prefix: "")
        if let locale { _ = try LanguageTag.canonical(locale, field: "locale") }
    }

    /// The profile with this update applied.
    public func applied(to profile: Profile) -> Profile {
        var result = profile
        if let name { result.name = name }
        if let birthday { result.birthday = birthday }
        if let addTags { result.tags += addTags.filter { !result.tags.contains($0) } }
        if let removeTags { result.tags.removeAll { removeTags.contains($0) } }
        if let consents { result.consents.merge(consents) { _, new in new } }
        if let region { result.region = region }
        if let city { result.city = city }
        if let channel { result.channel = channel }
        if let gender { result.gender = gender }
        if let locale { result.locale = LanguageTag.canonical(locale) ?? locale }
        return result
    }
}
