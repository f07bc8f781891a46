import Foundation

/// What an API key may do. Each route lists the scopes that may call it (openapi.yaml's `x-scopes`); `admin` may call
/// every route.
public enum APIScope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Staff operations: members, adjustments, programs, keys, the audit log, export and erasure.
    case admin
    /// What a storefront sends and asks: orders, activities, quotes, redemptions.
    case storefront
    /// Read-only reports and analytics.
    case analytics
    /// Marketing: segments and marketing campaigns.
    case marketing
    /// Customer-care agents: tickets, notes, compensation within their caps.
    case service
    /// Customer-care supervisors: everything agents do, compensation without caps, approving pending compensation.
    case supervisor

    /// Orders scopes by name, so stored and listed scopes read the same every time.
    public static func < (lhs: APIScope, rhs: APIScope) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An API key as stored: its secret is never kept, only a SHA-256 hash of it (not part of this value).
public struct APIKey: Sendable, Hashable, Codable {
    /// The key id, stable across rotations.
    public var id: Int64
    /// A name for people (`web`, `warehouse`).
    public var name: String
    /// The scopes, sorted.
    public var scopes: [APIScope]
    /// The first characters of the current secret, so people can tell keys apart.
    public var prefix: String
    /// When the key was created.
    public var createdAt: Date
    /// When the secret was last replaced.
    public var rotatedAt: Date?
    /// When the key was revoked; a revoked key finds nothing.
    public var revokedAt: Date?

    /// Makes a key value.
    public init(
        id: Int64, name: String, scopes: [APIScope], prefix: String, createdAt: Date, rotatedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.prefix = prefix
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key grants `scope` (and is not revoked); an admin key grants every scope.
    public func allows(_ scope: APIScope) -> Bool { revokedAt == nil && (scopes.contains(scope) || scopes.contains(.admin)) }
}

/// One admin action: who did what to which subject, when, and the state before and after as JSON text.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// The record id, increasing: page with `auditLog(after:)`.
    public var id: Int64
    /// When.
    public var at: Date
    /// Who: `cli:ann`, `key:3`.
    public var actor: String
    /// What: `member.adjust`, `key.revoke`.
    public var action: String
    /// To what: `member:42`, `key:3`.
    public var subject: String
    /// The state before, as JSON text; never a secret or a key hash.
    public var before: String?
    /// The state after, as JSON text; never a secret or a key hash.
    public var after: String?

    /// Makes a record value.
    public init(id: Int64, at: Date, actor: String, action: String, subject: String, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.before = before
        self.after = after
    }
}
