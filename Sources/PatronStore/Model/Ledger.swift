import Foundation
import PatronCore

/// A manual adjustment.
public struct Adjustment: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Points to add (positive) or remove (negative).
    public var points: Int64
    /// Why; required.
    public var reason: String
    /// Who; required.
    public var actor: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes an adjustment.
    public init(memberId: Int64, points: Int64, reason: String, actor: String, key: String, at: Date) {
        self.memberId = memberId
        self.points = points
        self.reason = reason
        self.actor = actor
        self.key = key
        self.at = at
    }
}

/// What an adjustment did.
public struct AdjustmentOutcome: Sendable, Hashable, Codable {
    /// The entry written.
    public var entryId: Int64
    /// The member's balances afterwards.
    public var balances: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// What a job did.
public struct JobReport: Sendable, Hashable, Codable {
    /// Members or orders touched.
    public var items: Int
    /// Points moved.
    public var points: Int64

    /// Makes a report.
    public init(items: Int, points: Int64) {
        self.items = items
        self.points = points
    }
}

/// A member's account as a statement.
public struct AccountStatement: Sendable {
    /// The member.
    public var member: Member
    /// Open lots, earliest-expiring first.
    public var lots: [Lot]
    /// The latest entries, newest first.
    public var entries: [LedgerEntry]
}

/// One disagreement between the cached state and the ledger.
public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
    /// The member.
    public var memberId: Int64
    /// What disagrees.
    public var field: String
    /// The cached value.
    public var cached: Int64
    /// The value recomputed from the ledger.
    public var ledger: Int64

    public var description: String { "member \(memberId): \(field) is \(cached) but the ledger says \(ledger)" }
}

/// Store-wide counts.
public struct Totals: Sendable, Hashable, Codable {
    /// Members.
    public var members: Int
    /// Orders.
    public var orders: Int
    /// Ledger entries.
    public var entries: Int
    /// Σ active balances.
    public var active: Int64
    /// Σ pending balances.
    public var pending: Int64
    /// Σ lifetime earned.
    public var earned: Int64
    /// Points expired.
    public var expired: Int64
    /// Points reversed by returns.
    public var reversed: Int64
    /// Members with a negative balance.
    public var membersInDebt: Int
}

/// An event written in the same transaction as the change it announces, for webhook delivery.
public struct OutboxEvent: Sendable, Hashable {
    /// The stable event id.
    public var id: Int64
    /// What happened (`level.changed`).
    public var kind: String
    /// The member.
    public var memberId: Int64
    /// The event's JSON body.
    public var payload: String
    /// When.
    public var occurredAt: Date
}
