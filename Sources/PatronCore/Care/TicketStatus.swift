/// Where a ticket is in its life: open → waiting (for the member) → resolved → closed, and reopenable.
public enum TicketStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being worked on by the shop.
    case open
    /// Waiting for the member's answer.
    case waiting
    /// The shop considers it solved; the member may still object (reopen).
    case resolved
    /// Done for good, unless reopened.
    case closed

    /// Whether the ticket still counts against its resolution target.
    public var isActive: Bool { self == .open || self == .waiting }

    /// Parses a status name, or throws `invalidInput` naming `field` and the statuses.
    public static func parse(_ text: String, field: String = "status") throws -> TicketStatus {
        guard let status = TicketStatus(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): '\(text)' is not a status; use \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }

    /// The status after moving to `target`, or throws `invalidTransition` saying which moves are allowed.
    ///
    /// open ⇄ waiting; open or waiting → resolved; resolved → closed; resolved or closed → open (reopen); open or
    /// waiting → closed (closing without a resolution, a duplicate say).
    public func moving(to target: TicketStatus, ticket id: Int64) throws -> TicketStatus {
        guard allowedTargets.contains(target) else {
            let allowed = allowedTargets.map(\.rawValue).sorted().joined(separator: ", ")
            throw PatronError(.invalidTransition, "ticket \(id) is \(rawValue): it can move to \(allowed), not \(target.rawValue)")
        }
        return target
    }

    /// Where a ticket in this status may go.
    public var allowedTargets: Set<TicketStatus> {
        switch self {
        case .open: [.waiting, .resolved, .closed]
        case .waiting: [.open, .resolved, .closed]
        case .resolved: [.closed, .open]
        case .closed: [.open]
        }
    }

    /// Whether moving from this status to `target` is a reopening.
    public func isReopening(to target: TicketStatus) -> Bool { target == .open && (self == .resolved || self == .closed) }
}
