import Foundation
import PatronCore
import PatronStore

/// Compensation from a ticket: goodwill points through the ledger or a coupon, within the agent's caps per ticket and
/// per day (the program's `care.compensation.agent`); above them it waits for a supervisor, who approves or refuses.
/// Each grant, request and decision leaves an audit record (`ticket.compensate`, `ticket.compensation.approve`,
/// `ticket.compensation.refuse`) with its actor; a replay of the same request key records nothing.
public struct CompensationService: Sendable {
    let context: ServiceContext
    let trail: AuditTrail

    /// Compensation over the context's store.
    public init(context: ServiceContext) {
        self.context = context
        trail = AuditTrail(store: context.store)
    }

    /// Compensates the ticket's member; `supervisor` grants without caps.
    public func compensate(
        ticket id: Int64, kind: CompensationKind, note: String, actor: String, supervisor: Bool, requestKey: String
    ) async throws -> CompensationOutcome {
        let now = context.clock.now()
        let outcome = try await context.store.compensate(
            CompensationRequest(ticketId: id, kind: kind, note: note, actor: actor, supervisor: supervisor, requestKey: requestKey, at: now))
        if !outcome.replayed {
            try await trail.record("ticket.compensate", subject: "ticket:\(id)", actor: actor, before: nil, after: outcome.compensation, reason: note, at: now)
        }
        return outcome
    }

    /// A supervisor approves (granting it) or refuses a pending compensation.
    public func decide(compensation id: Int64, approve: Bool, actor: String, note: String) async throws -> Compensation {
        let now = context.clock.now()
        let decided = try await context.store.decideCompensation(id: id, approve: approve, actor: actor, note: note, at: now)
        try await trail.record(
            approve ? "ticket.compensation.approve" : "ticket.compensation.refuse", subject: "ticket:\(decided.ticketId)", actor: actor, before: nil,
            after: decided, reason: note.isEmpty ? nil : note, at: now)
        return decided
    }

    /// Compensations waiting for a supervisor, oldest first.
    public func pending(limit: Int = 100) async throws -> [Compensation] {
        try await context.store.pendingCompensations(limit: limit)
    }
}
