import PatronCore
import PatronStore

// The member, its lots and its ledger entries as the API writes them, field for field: member reads, statements and
// quotes answer them on every request, so they are built directly rather than through `Bridge`'s JSON round trip
// (which wrote and re-read every instant as text). `BridgeTests` hold each to the round trip's JSON.

extension Components.Schemas.Member {
    /// The API's member.
    init(_ member: PatronCore.Member) {
        self.init(
            id: member.id, enrolledAt: member.enrolledAt, identities: member.identities.map { .init(kind: $0.kind, value: $0.value) },
            profile: .init(member.profile),
            balances: .init(
                active: member.balances.active, pending: member.balances.pending, lifetimeEarned: member.balances.lifetimeEarned,
                lifetimeSpent: member.balances.lifetimeSpent),
            level: .init(member.level), erased: member.isErased, erasedAt: member.erasedAt)
    }
}

extension Components.Schemas.Profile {
    /// The API's profile: tags and consents always present, empty or not, as the domain writes them.
    init(_ profile: PatronCore.Profile) {
        self.init(
            name: profile.name, birthday: profile.birthday?.description, tags: profile.tags, consents: .init(additionalProperties: profile.consents),
            region: profile.region, city: profile.city, channel: profile.channel, gender: profile.gender, locale: profile.locale)
    }
}

extension Components.Schemas.LevelState {
    /// The API's level state.
    init(_ state: PatronCore.LevelState) {
        self.init(
            level: state.level, since: state.since, validUntil: state.validUntil,
            override: state.override.map { .init(level: $0.level, until: $0.until, reason: $0.reason) })
    }
}

extension Components.Schemas.Lot {
    /// The API's lot.
    init(_ lot: PatronCore.Lot) {
        self.init(
            id: lot.id, memberId: lot.memberId, points: lot.points, remaining: lot.remaining, createdAt: lot.createdAt, expiresAt: lot.expiresAt,
            orderId: lot.orderId)
    }
}

extension Components.Schemas.LedgerEntry {
    /// The API's ledger entry; a kind openapi.yaml does not list is a bug, answered as one.
    init(_ entry: PatronCore.LedgerEntry) throws {
        guard let kind = KindPayload(rawValue: entry.kind.rawValue) else {
            throw PatronError(.storage, "ledger entry kind '\(entry.kind.rawValue)' is missing from openapi.yaml")
        }
        self.init(
            id: entry.id, memberId: entry.memberId, kind: kind, activeDelta: entry.activeDelta, pendingDelta: entry.pendingDelta,
            orderId: entry.orderId, programVersion: entry.programVersion, occurredAt: entry.occurredAt, reason: entry.reason, actor: entry.actor)
    }
}

extension Components.Schemas.Statement {
    /// The API's statement: the member, their open lots and their latest entries.
    init(_ statement: PatronStore.AccountStatement) throws {
        self.init(member: .init(statement.member), lots: statement.lots.map(Components.Schemas.Lot.init), entries: try statement.entries.map(Components.Schemas.LedgerEntry.init))
    }
}
