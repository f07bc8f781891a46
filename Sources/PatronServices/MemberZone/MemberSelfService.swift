import Foundation
import PatronCore
import PatronStore

/// What a signed-in member may do for themselves in the member zone: redeem a reward, change their consents, and
/// download their data. Every call names the member from their session, never from a form.
public struct MemberSelfService: Sendable {
    let context: ServiceContext

    /// The channels a member can always choose about, whether or not they have said anything yet.
    public static let consentChannels = ["email", "sms", "push"]
    /// The audit trail's source for changes members make themselves.
    public static let source = "member zone"

    /// Self-service over `context`.
    public init(context: ServiceContext) { self.context = context }

    /// Redeems `rewardId` for `member`. `requestKey` is the one-time key of the confirmation form: the same form sent
    /// twice redeems once and answers the first redemption again. Stock, limits, eligibility and the balance are the
    /// store's to check, in one transaction.
    public func redeem(member: Int64, rewardId: String, requestKey: String) async throws -> Redemption {
        guard (16...64).contains(requestKey.utf8.count), requestKey.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PatronError(.invalidInput, "key: the confirmation form's key is missing or malformed; open the reward again")
        }
        try FreeText.check(rewardId, field: "reward", maximumLength: 200)
        return try await RefusedRedemptionTickets(context: context).redeem(
            RedeemRequest(memberId: member, rewardId: rewardId, key: "member-zone:\(member):\(requestKey)", at: context.clock.now()))
    }

    /// The member's consents by channel: the standard channels (unset ones `false`) and any others on record.
    public func consents(member: Int64) async throws -> [(channel: String, granted: Bool)] {
        guard let found = try await context.store.member(id: member) else { throw PatronError(.notFound, "no member \(member)") }
        let channels = Self.consentChannels + found.profile.consents.keys.filter { !Self.consentChannels.contains($0) }.sorted()
        return channels.map { ($0, found.profile.consents[$0] ?? false) }
    }

    /// Sets the member's consents: granted for the channels in `granted`, withdrawn for every other channel the page
    /// lists (`consents(member:)`). A channel that is not listed is refused, naming it, and nothing changes. Recorded
    /// in the audit trail (`member.consents`, actor `member:ID`, source "member zone") when something changed.
    /// Returns the consents afterwards.
    public func setConsents(member: Int64, granted: Set<String>) async throws -> [String: Bool] {
        guard let before = try await context.store.member(id: member) else { throw PatronError(.notFound, "no member \(member)") }
        let channels = Self.consentChannels + before.profile.consents.keys.filter { !Self.consentChannels.contains($0) }.sorted()
        guard granted.isSubset(of: Set(channels)) else {
            throw PatronError(.invalidInput, "consents: '\(granted.subtracting(channels).sorted().joined(separator: "', '"))' is not a channel of this page")
        }
        var changes: [String: Bool] = [:]
        for channel in channels where (before.profile.consents[channel] ?? false) != granted.contains(channel) {
            changes[channel] = granted.contains(channel)
        }
        guard !changes.isEmpty else { return before.profile.consents }
        let now = context.clock.now()
        let after = try await context.store.updateMember(
            member, profile: ProfileUpdate(consents: changes), addIdentities: [], key: nil, origin: ConsentOrigin(source: .memberZone, actor: "member:\(member)"))
        try await AuditTrail(store: context.store).record(
            "member.consents", subject: "member:\(member)", actor: "member:\(member)", before: ConsentState(consents: before.profile.consents),
            after: ConsentState(consents: after.profile.consents, source: Self.source), reason: "changed by the member", at: now)
        return after.profile.consents
    }

    /// The locales a member can choose on the preferences page (besides the shop's default).
    public static let locales = ["en", "zh-Hans"]

    /// The member's locale (`nil`: the shop's).
    public func locale(member: Int64) async throws -> String? {
        guard let found = try await context.store.member(id: member) else { throw PatronError(.notFound, "no member \(member)") }
        return found.profile.locale
    }

    /// Sets the member's locale to one of `locales`; anything else is refused naming it, and nothing changes. Audited as
    /// `member.locale` by `member:ID` when it changed. Returns the locale afterwards.
    public func setLocale(member: Int64, locale: String) async throws -> String? {
        guard Self.locales.contains(locale) else {
            throw PatronError(.invalidInput, "locale: '\(locale.prefix(40))' is not one of \(Self.locales.joined(separator: ", "))")
        }
        guard let before = try await context.store.member(id: member) else { throw PatronError(.notFound, "no member \(member)") }
        guard before.profile.locale != locale else { return locale }
        let after = try await context.store.updateMember(
            member, profile: ProfileUpdate(locale: locale), addIdentities: [], key: nil, origin: ConsentOrigin(source: .memberZone, actor: "member:\(member)"))
        try await AuditTrail(store: context.store).record(
            "member.locale", subject: "member:\(member)", actor: "member:\(member)", before: before.profile.locale, after: after.profile.locale,
            reason: "changed by the member", at: context.clock.now())
        return after.profile.locale
    }

    /// Everything held about the member, as indented JSON with ISO 8601 instants: the member zone's download.
    public func export(member: Int64) async throws -> Data {
        let export = try await context.store.exportMember(id: member)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(export)
    }

    /// Consents as the audit trail records them, with where the change came from.
    struct ConsentState: Encodable {
        var consents: [String: Bool]
        var source: String?
    }
}
