import Foundation
import PatronCore
import PatronStore

/// Writes audit records the same way for every caller: the subject's state before and after as compact JSON, and the
/// reason given, if any, beside the state after.
public struct AuditTrail: Sendable {
    let store: any Store

    /// An audit trail over `store`.
    public init(store: any Store) { self.store = store }

    /// Records `action` on `subject` by `actor` at `at`.
    ///
    /// Written right after the change succeeds: a crash between the two loses the record, not the change; the ledger's
    /// own entries still carry the actor and reason of every point movement.
    @discardableResult
    public func record(
        _ action: String, subject: String, actor: String, before: (any Encodable)?, after: (any Encodable)?, reason: String? = nil, at: Date
    ) async throws -> AuditRecord {
        var afterText = try after.map(Self.json)
        if let reason { afterText = try Self.json(AuditedChange(state: afterText, reason: reason)) }
        return try await store.appendAudit(actor: actor, action: action, subject: subject, before: try before.map(Self.json), after: afterText, at: at)
    }

    /// `value` as compact, key-sorted JSON text with ISO 8601 instants.
    public static func json(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The state after an admin action (as JSON text) with the reason given for it.
public struct AuditedChange: Codable, Sendable, Hashable {
    /// The subject's state after the action, as JSON text.
    public var state: String?
    /// Why the action was taken.
    public var reason: String

    /// Makes a value.
    public init(state: String?, reason: String) {
        self.state = state
        self.reason = reason
    }
}
