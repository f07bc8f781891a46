import Foundation
import PatronCore
import PatronStore

/// Finds members the way staff look for them: by member id, by any identity (exact, whatever its kind — customer
/// id, e-mail, phone, card, social id), and by the start of their name. Every lookup is an index range with a limit;
/// nothing scans the members.
public struct MemberSearch: Sendable {
    let store: any Store

    /// A search over `store`.
    public init(store: any Store) { self.store = store }

    /// At most this many members are returned.
    public static let limit = 25

    /// The members `query` finds, each once: the member with that id first, then identity matches, then names that
    /// start with it. An empty query finds nobody.
    public func find(_ query: String) async throws -> [MemberSearchHit] {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return [] }
        try FreeText.check(text, field: "q", maximumLength: 256)
        var hits: [MemberSearchHit] = []
        var found = Set<Int64>()
        func add(_ member: Member, _ match: MemberSearchHit.Match) {
            if found.insert(member.id).inserted {
                hits.append(MemberSearchHit(member: member, match: match))
            } else if let index = hits.firstIndex(where: { $0.member.id == member.id }), case .identity = match {
                hits[index].also.append(match)
            }
        }
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if let id = Int64(digits), id > 0, let member = try await store.member(id: id) { add(member, .id) }
        // KIND:VALUE names one identity exactly, normalised as the store keeps it.
        if let identity = try? Identity(reference: text), let member = try await store.member(identity: identity) {
            add(member, .identity(identity))
        }
        let matches = try await store.identityMatches(values: Self.identityValues(text), limit: Self.limit)
        for match in matches where hits.count < Self.limit {
            if let member = try await store.member(id: match.memberId) { add(member, .identity(match.identity)) }
        }
        if hits.count < Self.limit {
            for member in try await store.members(namePrefix: text, limit: Self.limit) where hits.count < Self.limit {
                add(member, .name)
            }
        }
        return hits
    }

    /// The values an identity typed as `text` may be stored under: as typed, as an e-mail (lower-cased), and as a
    /// phone number (digits with a leading +).
    static func identityValues(_ text: String) -> [String] {
        var values = [text, text.lowercased()]
        if let phone = try? Identity(kind: Identity.phone, value: text) { values.append(phone.value) }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// A member found by a search, and what matched.
public struct MemberSearchHit: Sendable, Hashable {
    /// What matched the query.
    public enum Match: Sendable, Hashable {
        /// The member id.
        case id
        /// An identity.
        case identity(Identity)
        /// The start of the name.
        case name
    }

    /// The member.
    public var member: Member
    /// The first thing that matched.
    public var match: Match
    /// Other identities of the same member that matched too.
    public var also: [Match] = []

    /// Makes a hit.
    public init(member: Member, match: Match) {
        self.member = member
        self.match = match
    }
}
