import Crypto
import Foundation
import PatronCore
import PatronStore

/// Issues, rotates, revokes and verifies API keys. A secret exists only in the answer to `create` or `rotate`; the
/// store keeps its SHA-256 hash. Every change is written to the audit log under the given actor, without secrets.
public struct APIKeyIssuer: Sendable {
    /// A key with its secret, shown once.
    public struct IssuedKey: Sendable {
        /// The stored key.
        public var key: APIKey
        /// The secret to hand to the client; it cannot be recovered later.
        public var secret: String
    }

    /// Every secret starts with this, so leaked keys are easy to recognise and scan for.
    public static let secretPrefix = "pk_"
    /// How much of the secret is kept for display: `pk_` and 8 hex digits (32 of the 256 random bits).
    static let displayedCharacters = secretPrefix.count + 8

    let store: any Store

    /// An issuer over `store`.
    public init(store: any Store) { self.store = store }

    /// Creates a key and returns its secret, once.
    public func create(name: String, scopes: Set<APIScope>, actor: String, at: Date) async throws -> IssuedKey {
        let secret = Self.newSecret()
        let key = try await store.createAPIKey(name: name, scopes: scopes, hash: Self.hash(secret), prefix: Self.displayed(secret), at: at)
        _ = try await store.appendAudit(
            actor: actor, action: "key.create", subject: "key:\(key.id)", before: nil, after: try auditState(key), at: at)
        return IssuedKey(key: key, secret: secret)
    }

    /// Replaces a key's secret; the old secret stops working at once.
    public func rotate(id: Int64, actor: String, at: Date) async throws -> IssuedKey {
        let before = try await store.apiKeys().first { $0.id == id }
        let secret = Self.newSecret()
        let key = try await store.rotateAPIKey(id: id, hash: Self.hash(secret), prefix: Self.displayed(secret), at: at)
        _ = try await store.appendAudit(
            actor: actor, action: "key.rotate", subject: "key:\(id)", before: try before.map(auditState), after: try auditState(key), at: at
        )
        return IssuedKey(key: key, secret: secret)
    }

    /// Revokes a key for good.
    public func revoke(id: Int64, actor: String, at: Date) async throws -> APIKey {
        let before = try await store.apiKeys().first { $0.id == id }
        let key = try await store.revokeAPIKey(id: id, at: at)
        _ = try await store.appendAudit(
            actor: actor, action: "key.revoke", subject: "key:\(id)", before: try before.map(auditState), after: try auditState(key), at: at
        )
        return key
    }

    /// The live key a secret belongs to, or `nil` for an unknown, malformed, rotated-out or revoked secret.
    ///
    /// The lookup is by the secret's SHA-256 hash through a unique index, so no secret is ever compared character by
    /// character: timing reveals at most something about the hash, which does not help find a preimage. A constant-time
    /// comparison would add nothing.
    public func verify(_ secret: String) async throws -> APIKey? {
        guard secret.hasPrefix(Self.secretPrefix), secret.utf8.count == Self.secretPrefix.utf8.count + 64 else { return nil }
        return try await store.apiKey(hash: Self.hash(secret))
    }

    /// The SHA-256 of a secret's UTF-8 bytes, as 64 lower-case hex digits.
    public static func hash(_ secret: String) -> String { Hex.encode(SHA256.hash(data: Data(secret.utf8))) }

    /// `pk_` and 32 random bytes as hex (256 bits from the system's cryptographic generator).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return secretPrefix + Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private static func displayed(_ secret: String) -> String { String(secret.prefix(displayedCharacters)) }

    /// A key's audit state: what people manage, never the hash and not even the displayed prefix.
    private func auditState(_ key: APIKey) throws -> String {
        try AuditJSON.text(
            AuditedKey(name: key.name, scopes: key.scopes, createdAt: key.createdAt, rotatedAt: key.rotatedAt, revokedAt: key.revokedAt))
    }

    private struct AuditedKey: Encodable {
        var name: String
        var scopes: [APIScope]
        var createdAt: Date
        var rotatedAt: Date?
        var revokedAt: Date?
    }
}
