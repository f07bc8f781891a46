import Foundation
import PatronCore

extension SQLStore {
    public func consentRecords(member: Int64) async throws -> [ConsentRecord] {
        try await backend.read { db in
            guard try self.sql(db, "SELECT 1 FROM members WHERE id = ?").one(member, read: { $0.int(0) }) != nil else {
                throw PatronError(.notFound, "no member \(member)")
            }
            return try self.sql(
                db, "SELECT id, member_id, channel, state, source, actor, recorded_at FROM consent_records WHERE member_id = ? ORDER BY id"
            ).all(member, read: Self.consentRecord)
        }
    }

    public func confirmConsent(member: Int64, channel: String, request: Int64) async throws -> ConsentConfirmation {
        let now = clock.now()
        let confirmed = try await writer.submit { db -> Bool in
            try self.lockChangeable(db, member)
            guard let pending = try self.sql(
                db, "SELECT id, member_id, channel, state, source, actor, recorded_at FROM consent_records WHERE id = ?"
            ).one(request, read: Self.consentRecord), pending.memberId == member, pending.channel == channel, pending.state == .pending
            else { throw PatronError(.notFound, "token: no consent request \(request) of this member on \(channel)") }
            guard let latest = try self.latestConsent(db, member: member, channel: channel) else {
                throw PatronError(.notFound, "token: no consent request \(request) of this member on \(channel)")
            }
            switch latest.state {
            case .pending:
                // The newest request or an older one: following any of the links sent confirms (a member asked twice).
                guard var profile = try self.fetchMember(db, id: member)?.profile else { throw PatronError(.notFound, "no member \(member)") }
                profile.consents[channel] = true
                try self.sql(db, "UPDATE members SET consents = ? WHERE id = ?").run(try Self.json(profile.consents), member)
                try self.insertConsentRecord(
                    db, member: member, channel: channel, state: .granted, origin: ConsentOrigin(source: .doubleOptIn, actor: "member:\(member)"), at: now)
                try self.announce(db, .memberUpdated, member: member, at: now) {
                    OutboxPayload.MemberUpdated(memberId: member, profile: profile, identitiesAdded: [])
                }
                return true
            case .granted where latest.id > request:
                return false
            case .granted, .withdrawn:
                throw PatronError(
                    .invalidTransition,
                    "token: this confirmation link is no longer valid: the consent on \(channel) was \(latest.state.rawValue) after it was sent")
            }
        }
        guard let after = try await self.member(id: member) else { throw PatronError(.notFound, "no member \(member)") }
        return confirmed ? .confirmed(after) : .alreadyConfirmed(after)
    }

    /// The newest record of `member` on `channel`.
    func latestConsent(_ db: SQLSession, member: Int64, channel: String) throws -> ConsentRecord? {
        try sql(
            db,
            "SELECT id, member_id, channel, state, source, actor, recorded_at FROM consent_records WHERE member_id = ? AND channel = ? ORDER BY id DESC LIMIT 1"
        ).one(member, channel, read: Self.consentRecord)
    }

    @discardableResult
    func insertConsentRecord(_ db: SQLSession, member: Int64, channel: String, state: ConsentState, origin: ConsentOrigin, at: Date) throws -> Int64 {
        try sql(db, "INSERT INTO consent_records (member_id, channel, state, source, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?)").insert(
            member, channel, state.rawValue, origin.source.rawValue, origin.actor.map { String($0.prefix(200)) }, at.ms)
    }

    /// Applies the consents an update asks for to `current` (the profile's booleans), writing a record for each one that
    /// changes, in the caller's transaction, and returns the booleans to store. Under double opt-in a grant of e-mail
    /// consent stays pending: the boolean keeps its value, a `pending` record is written and a `confirmConsent` message
    /// is queued on the e-mail channel (its facts name the request, which the confirmation link signs) — unless a request
    /// younger than `confirmationResendInterval` is still pending.
    func applyConsents(
        _ db: SQLSession, member: Int64, current: [String: Bool], requested: [String: Bool], origin: ConsentOrigin, at: Date
    ) throws -> [String: Bool] {
        var result = current
        guard !requested.isEmpty else { return result }
        let settings = try currentProgram(db, writing: true)?.program.consent ?? ConsentSettings()
        for (channel, wanted) in requested.sorted(by: { $0.key < $1.key }) {
            let granted = current[channel] == true
            if wanted {
                if granted { continue }
                if settings.needsConfirmation(channel: channel, source: origin.source) {
                    // A storefront that sends the whole profile on every save must not mail a new confirmation each time:
                    // while a request is pending and younger than a day, asking again changes nothing.
                    if let latest = try latestConsent(db, member: member, channel: channel), latest.state == .pending,
                        at.timeIntervalSince(latest.at) < Self.confirmationResendInterval
                    {
                        continue
                    }
                    let request = try insertConsentRecord(db, member: member, channel: channel, state: .pending, origin: origin, at: at)
                    let facts = try Self.json(["channel": channel, "request": String(request)])
                    try insertMessage(
                        db, key: MessageKey(kind: .confirmConsent, member: member, cause: "request-\(request)", channel: .email), member: member,
                        kind: .confirmConsent, channel: .email, facts: facts, at: at)
                    continue
                }
                try insertConsentRecord(db, member: member, channel: channel, state: .granted, origin: origin, at: at)
                result[channel] = true
            } else {
                // A request still waiting for its confirmation is withdrawn too, so its link stops working.
                let pending = try !granted && latestConsent(db, member: member, channel: channel)?.state == .pending
                if granted || pending {
                    try insertConsentRecord(db, member: member, channel: channel, state: .withdrawn, origin: origin, at: at)
                }
                result[channel] = false
            }
        }
        return result
    }

    /// How long a pending double opt-in request stands before asking again sends a new confirmation.
    static let confirmationResendInterval: TimeInterval = 86_400

    /// Deletes the member's consent history (their erasure).
    func eraseConsentRecords(_ db: SQLSession, member: Int64) throws {
        try sql(db, "DELETE FROM consent_records WHERE member_id = ?").run(member)
    }

    static func consentRecord(_ row: Columns) -> ConsentRecord {
        ConsentRecord(
            id: row.int(0), memberId: row.int(1), channel: row.text(2), state: ConsentState(rawValue: row.text(3)) ?? .withdrawn,
            source: ConsentSource(rawValue: row.text(4)) ?? .api, actor: row.optionalText(5), at: Date(ms: row.int(6)))
    }
}
