import Foundation
import PatronStore

extension APIHandler {
    /// Records an admin action with the caller, the subject's state before and after (as JSON) and an optional reason.
    ///
    /// Written right after the change succeeds: a crash between the two loses the record, not the change; the ledger's
    /// own entries still carry the actor and reason of every point movement.
    func audit(_ action: String, subject: String, before: (any Encodable)?, after: (any Encodable)?, note: String? = nil) async throws {
        func json(_ value: any Encodable) throws -> String { String(decoding: try Bridge.encoder.encode(value), as: UTF8.self) }
        var afterText = try after.map(json)
        if let note { afterText = try json(AuditedChange(state: afterText, reason: note)) }
        _ = try await store.appendAudit(actor: actor, action: action, subject: subject, before: try before.map(json), after: afterText, at: now())
    }

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let records = try await store.auditLog(after: input.query.after ?? 0, limit: input.query.limit ?? 100, subject: input.query.subject)
        return .ok(.init(body: .json(try Bridge.convert(records))))
    }
}

/// The state after an admin action (as JSON text) with the reason given for it.
private struct AuditedChange: Encodable {
    var state: String?
    var reason: String
}
