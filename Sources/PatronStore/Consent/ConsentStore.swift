import Foundation
import PatronCore

/// What confirming a pending consent did.
public enum ConsentConfirmation: Sendable, Hashable {
    /// The consent is granted now (source `double-opt-in`); the member afterwards.
    case confirmed(Member)
    /// It was confirmed before (the link was followed again); nothing changed.
    case alreadyConfirmed(Member)
}

/// Consent with its history: every change of a member's consent writes a `ConsentRecord` (channel, granted, withdrawn
/// or pending, time, source, actor) in the change's own transaction, and double opt-in keeps e-mail consent pending
/// until the member confirms it. The profile's `consents` booleans stay the fast path every reader uses.
public protocol ConsentStore: Sendable {
    /// Enrolls a member; the profile's granted consents are recorded with `origin` (e-mail as pending under double
    /// opt-in, with a `confirmConsent` message queued).
    func enroll(_ request: EnrollmentRequest, key: String?, origin: ConsentOrigin) async throws -> Member
    /// Changes a member's profile or identities; every consent that changes is recorded with `origin`. Under the
    /// program's double opt-in, granting e-mail consent records it as pending and queues a `confirmConsent` message on
    /// the e-mail channel instead of setting the profile's boolean.
    func updateMember(_ id: Int64, profile: ProfileUpdate, addIdentities: [Identity], key: String?, origin: ConsentOrigin) async throws -> Member
    /// The member's consent history, oldest first.
    func consentRecords(member: Int64) async throws -> [ConsentRecord]
    /// Confirms the pending consent `request` (a record id) of `member` on `channel`: the profile's consent becomes
    /// true and a record with source `double-opt-in` and actor `member:ID` is written. Refused (`invalidTransition`)
    /// when the consent was withdrawn after the request; `notFound` when the request is not this member's on this channel.
    func confirmConsent(member: Int64, channel: String, request: Int64) async throws -> ConsentConfirmation
}
