import Foundation
import PatronCore

extension SQLStore {
    public func enroll(_ request: EnrollmentRequest, key: String?) async throws -> Member {
        try await enroll(request, key: key, origin: .unnamedAPI)
    }

    public func enroll(_ request: EnrollmentRequest, key: String?, origin: ConsentOrigin) async throws -> Member {
        let now = clock.now()
        let id = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: key.map { "enroll:\($0)" }, fingerprint: Self.fingerprint(request)) { () -> Int64 in
                let version = try self.requireProgram(db)
                if case .restricted(let condition) = version.program.enrollment {
                    throw PatronError(.enrollmentRefused, "enrollment in \(version.program.name) requires \(condition)")
                }
                let id = try self.insertMember(db, request, at: now, version: version.version, origin: origin)
                try self.reviewLevel(db, member: id, trigger: .qualifyingEvent, at: now, version: version)
                return id
            }
        }
        return try await member(id: id)!
    }

    public func updateMember(_ id: Int64, profile update: ProfileUpdate, addIdentities: [Identity], key: String?) async throws -> Member {
        try await updateMember(id, profile: update, addIdentities: addIdentities, key: key, origin: .unnamedAPI)
    }

    public func updateMember(
        _ id: Int64, profile update: ProfileUpdate, addIdentities: [Identity], key: String?, origin: ConsentOrigin
    ) async throws -> Member {
        try update.validate()
        var f = Fingerprint()
        f.mix(id)
        f.mix(String(describing: update))
        for identity in addIdentities { f.mix(identity.description) }
        let fingerprint = f.value
        let now = clock.now()
        _ = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: key.map { "update:\($0)" }, fingerprint: fingerprint) { () -> Int64 in
                // An erased member stays anonymous: new personal data would undo the erasure (enroll them anew instead).
                try self.lockChangeable(db, id)
                guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
                var profile = update.applied(to: member.profile)
                try profile.validate()
                // Each consent that changes is recorded with its origin; under double opt-in an e-mail grant stays pending.
                profile.consents = try self.applyConsents(
                    db, member: id, current: member.profile.consents, requested: update.consents ?? [:], origin: origin, at: now)
                try self.sql(
                    db, "UPDATE members SET name = ?, birthday = ?, tags = ?, consents = ?, region = ?, city = ?, channel = ?, gender = ?, locale = ? WHERE id = ?"
                ).run(
                    profile.name, profile.birthday?.description, try Self.json(profile.tags), try Self.json(profile.consents), profile.region, profile.city,
                    profile.channel, profile.gender, profile.locale, id)
                for identity in addIdentities { try self.insertIdentity(db, identity, member: id) }
                try self.announce(db, .memberUpdated, member: id, at: now) {
                    OutboxPayload.MemberUpdated(memberId: id, profile: profile, identitiesAdded: addIdentities.map(\.description))
                }
                return id
            }
        }
        return try await member(id: id)!
    }

    public func member(id: Int64) async throws -> Member? {
        try await backend.lookup { db in try self.fetchMember(db, id: id) }
    }

    public func member(identity: Identity) async throws -> Member? {
        try await backend.lookup { db in
            guard let id = try self.memberId(db, identity) else { return nil }
            return try self.fetchMember(db, id: id)
        }
    }

    public func memberNames(ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try await backend.read { db in
            Dictionary(
                try db.prepare(dynamic: "SELECT id, name FROM members WHERE name IS NOT NULL AND id IN (\(ids.sorted().map(String.init).joined(separator: ", ")))")
                    .all { ($0.int(0), $0.text(1)) },
                uniquingKeysWith: { first, _ in first })
        }
    }

    /// The member an identity belongs to.
    func memberId(_ db: SQLSession, _ identity: Identity) throws -> Int64? {
        if let known = db.knownMember(identity) { return known }
        let member = try sql(db, "SELECT member_id FROM identities WHERE kind = ? AND value = ?").one(identity.kind, identity.value) { $0.int(0) }
        if let member { db.remember(identity, member: member) }
        return member
    }

    func insertMember(_ db: SQLSession, _ request: EnrollmentRequest, at date: Date, version: Int, origin: ConsentOrigin = .unnamedAPI) throws -> Int64 {
        guard !request.identities.isEmpty else { throw PatronError(.invalidInput, "a member needs at least one identity") }
        let profile = request.profile
        try profile.validate()
        // Consents are written after the row, through `applyConsents`, so that each is recorded (and e-mail may wait for
        // its confirmation).
        let tags = profile.tags.isEmpty ? "[]" : try Self.json(profile.tags)
        let locale = profile.locale.map { LanguageTag.canonical($0) ?? $0 }
        let id = try sql(
            db,
            "INSERT INTO members (enrolled_at, program_version, name, birthday, tags, consents, region, city, channel, gender, locale) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?)"
        ).insert(date.ms, version, profile.name, profile.birthday?.description, tags, profile.region, profile.city, profile.channel, profile.gender, locale)
        db.batch?.locked.insert(id)
        if let calendar = try currentProgram(db, writing: true)?.program.calendar {
            db.tallies.add(DailyTotal.Metric.members, 1, at: date, calendar: calendar)
        }
        for identity in request.identities { try insertIdentity(db, identity, member: id) }
        if !profile.consents.isEmpty {
            let consents = try applyConsents(db, member: id, current: [:], requested: profile.consents, origin: origin, at: date)
            try sql(db, "UPDATE members SET consents = ? WHERE id = ?").run(try Self.json(consents), id)
        }
        if let referrer = request.referredBy {
            guard let referrerId = try memberId(db, referrer) else { throw PatronError(.notFound, "no member with identity \(referrer) to refer") }
            guard referrerId != id else { throw PatronError(.invalidInput, "a member cannot refer themselves (\(referrer))") }
            try sql(db, "UPDATE members SET referred_by = ? WHERE id = ?").run(referrerId, id)
        }
        try announce(db, .memberEnrolled, member: id, at: date) {
            OutboxPayload.MemberEnrolled(
                memberId: id, identities: request.identities.map(\.description),
                referredBy: try request.referredBy.flatMap { try memberId(db, $0) }, enrolledAt: date)
        }
        return id
    }

    func insertIdentity(_ db: SQLSession, _ identity: Identity, member: Int64) throws {
        if let owner = try memberId(db, identity) {
            if owner == member { return }
            throw PatronError(.duplicateIdentity, "identity \(identity) already belongs to member \(owner)")
        }
        try sql(db, "INSERT INTO identities (kind, value, member_id) VALUES (?, ?, ?)").run(identity.kind, identity.value, member)
        db.remember(identity, member: member)
    }

    func fetchMember(_ db: SQLSession, id: Int64) throws -> Member? {
        let member = try sql(
            db,
            """
            SELECT enrolled_at, name, birthday, tags, consents, level, level_since, level_until, override_level, override_until,
                override_reason, erased_at, active, pending, lifetime_earned, lifetime_spent, region, city, channel, gender, locale
            FROM members WHERE id = ?
            """
        ).one(id) { row in
            let profile = Profile(
                name: row.optionalText(1), birthday: row.optionalText(2).flatMap(LocalDate.init(iso:)),
                tags: try Self.storedTags(row.text(3)), consents: try Self.storedConsents(row.text(4)), region: row.optionalText(16),
                city: row.optionalText(17), channel: row.optionalText(18), gender: row.optionalText(19), locale: row.optionalText(20))
            let level = LevelState(
                level: row.optionalText(5), since: row.optionalInt(6).map(Date.init(ms:)), validUntil: row.optionalInt(7).map(Date.init(ms:)),
                override: row.optionalText(8).map { LevelOverride(level: $0, until: Date(ms: row.int(9)), reason: row.optionalText(10) ?? "") })
            return Member(
                id: id, enrolledAt: Date(ms: row.int(0)), identities: [], profile: profile,
                balances: Balances(active: row.int(12), pending: row.int(13), lifetimeEarned: row.int(14), lifetimeSpent: row.int(15)),
                level: level, erasedAt: row.optionalInt(11).map(Date.init(ms:)))
        }
        guard var member else { return nil }
        member.identities = try sql(db, "SELECT kind, value FROM identities WHERE member_id = ? ORDER BY kind, value").all(id) {
            try Identity(kind: $0.text(0), value: $0.text(1))
        }
        return member
    }

    /// A member's stored tags (a JSON array). Most members have none: `[]` is read without a JSON decoder, which
    /// costs more to make than the rest of a member read.
    static func storedTags(_ text: String) throws -> [String] {
        text == "[]" ? [] : try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// A member's stored consents (a JSON object); `{}` without a decoder, as `storedTags`.
    static func storedConsents(_ text: String) throws -> [String: Bool] {
        text == "{}" ? [:] : try JSONDecoder().decode([String: Bool].self, from: Data(text.utf8))
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func fingerprint(_ request: EnrollmentRequest) -> UInt64 {
        var f = Fingerprint()
        for identity in request.identities { f.mix(identity.description) }
        f.mix((try? json(request.profile)) ?? "")
        f.mix(request.referredBy?.description ?? "")
        return f.value
    }
}
