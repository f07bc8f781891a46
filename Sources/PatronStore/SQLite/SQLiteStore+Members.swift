import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    public func enroll(_ request: EnrollmentRequest, key: String?) async throws -> Member {
        let now = clock.now()
        let id = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: key.map { "enroll:\($0)" }, fingerprint: Self.fingerprint(request)) { () -> Int64 in
                let version = try self.requireProgram(db)
                if case .restricted(let condition) = version.program.enrollment {
                    throw PatronError(.enrollmentRefused, "enrollment in \(version.program.name) requires \(condition)")
                }
                let id = try self.insertMember(db, request, at: now, version: version.version)
                try self.reviewLevel(db, member: id, trigger: .qualifyingEvent, at: now, version: version)
                return id
            }
        }
        return try await member(id: id)!
    }

    public func updateMember(_ id: Int64, profile update: ProfileUpdate, addIdentities: [Identity], key: String?) async throws -> Member {
        var f = Fingerprint()
        f.mix(id)
        f.mix(String(describing: update))
        for identity in addIdentities { f.mix(identity.description) }
        let fingerprint = f.value
        let now = clock.now()
        _ = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: key.map { "update:\($0)" }, fingerprint: fingerprint) { () -> Int64 in
                guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
                // An erased member stays anonymous: new personal data would undo the erasure.
                if member.erasedAt != nil { throw PatronError(.invalidInput, "member \(id) was erased; enroll them anew instead") }
                let profile = update.applied(to: member.profile)
                try profile.validate()
                try self.sql(db, "UPDATE members SET name = ?, birthday = ?, tags = ?, consents = ? WHERE id = ?").run(
                    profile.name, profile.birthday?.description, try Self.json(profile.tags), try Self.json(profile.consents), id)
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
        try await pool.read { db in try self.fetchMember(db, id: id) }
    }

    public func member(identity: Identity) async throws -> Member? {
        try await pool.read { db in
            let id = try Int64.fetchOne(
                db, sql: "SELECT member_id FROM identities WHERE kind = ? AND value = ?", arguments: [identity.kind, identity.value])
            guard let id else { return nil }
            return try self.fetchMember(db, id: id)
        }
    }

    /// The member an identity belongs to, on the writer.
    func memberId(_ db: Database, _ identity: Identity) throws -> Int64? {
        try sql(db, "SELECT member_id FROM identities WHERE kind = ? AND value = ?").one(identity.kind, identity.value) { $0.int(0) }
    }

    func insertMember(_ db: Database, _ request: EnrollmentRequest, at date: Date, version: Int) throws -> Int64 {
        guard !request.identities.isEmpty else { throw PatronError(.invalidInput, "a member needs at least one identity") }
        let profile = request.profile
        try profile.validate()
        let (tags, consents) = profile.tags.isEmpty && profile.consents.isEmpty ? ("[]", "{}") : (try Self.json(profile.tags), try Self.json(profile.consents))
        try sql(db, "INSERT INTO members (enrolled_at, program_version, name, birthday, tags, consents) VALUES (?, ?, ?, ?, ?, ?)").run(
            date.ms, version, profile.name, profile.birthday?.description, tags, consents)
        let id = db.lastInsertedRowID
        for identity in request.identities { try insertIdentity(db, identity, member: id) }
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

    func insertIdentity(_ db: Database, _ identity: Identity, member: Int64) throws {
        if let owner = try memberId(db, identity) {
            if owner == member { return }
            throw PatronError(.duplicateIdentity, "identity \(identity) already belongs to member \(owner)")
        }
        try sql(db, "INSERT INTO identities (kind, value, member_id) VALUES (?, ?, ?)").run(identity.kind, identity.value, member)
    }

    func fetchMember(_ db: Database, id: Int64) throws -> Member? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM members WHERE id = ?"), arguments: [id]) else { return nil }
        let identities = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT kind, value FROM identities WHERE member_id = ? ORDER BY kind, value"), arguments: [id]
        ).map { row in try Identity(kind: row["kind"], value: row["value"]) }
        let birthday: String? = row["birthday"]
        let profile = Profile(
            name: row["name"], birthday: birthday.flatMap(LocalDate.init(iso:)),
            tags: try JSONDecoder().decode([String].self, from: Data((row["tags"] as String).utf8)),
            consents: try JSONDecoder().decode([String: Bool].self, from: Data((row["consents"] as String).utf8)))
        let level = LevelState(
            level: row["level"], since: (row["level_since"] as Int64?).map(Date.init(ms:)), validUntil: (row["level_until"] as Int64?).map(Date.init(ms:)),
            override: (row["override_level"] as String?).map {
                LevelOverride(level: $0, until: Date(ms: row["override_until"]), reason: row["override_reason"] ?? "")
            })
        return Member(
            id: id, enrolledAt: Date(ms: row["enrolled_at"]), identities: identities, profile: profile, balances: Self.balances(row), level: level,
            erasedAt: (row["erased_at"] as Int64?).map(Date.init(ms:)))
    }

    static func balances(_ row: Row) -> Balances {
        Balances(active: row["active"], pending: row["pending"], lifetimeEarned: row["lifetime_earned"], lifetimeSpent: row["lifetime_spent"])
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
