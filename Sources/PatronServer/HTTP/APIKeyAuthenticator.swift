import Foundation
import PatronStore
import Synchronization

/// API keys as the HTTP layer's callers: a presented secret is hashed and looked up among the live keys.
extension APIKeyIssuer: CallerAuthenticator {
    func caller(presenting secret: String) async throws -> Caller? {
        guard let key = try await verify(secret) else { return nil }
        return Caller(keyId: key.id, name: key.name, scopes: Set(key.scopes.map(\.rawValue)))
    }
}

/// Remembers each key's answer for `lifetime`, so that a busy storefront's requests do not each read the key from
/// the database. A revoked or rotated key therefore keeps working for at most `lifetime` in a running server.
/// Entries are kept by the secret's hash, never by the secret.
final class CachingAuthenticator<Base: CallerAuthenticator>: CallerAuthenticator {
    private struct Entry {
        var caller: Caller?
        var expires: ContinuousClock.Instant
    }

    private let base: Base
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(_ base: Base, lifetime: Duration) {
        self.base = base
        self.lifetime = lifetime
    }

    func caller(presenting secret: String) async throws -> Caller? {
        let hash = APIKeyIssuer.hash(secret)
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[hash] }), entry.expires > now { return entry.caller }
        let caller = try await base.caller(presenting: secret)
        entries.withLock { entries in
            // Unknown secrets are remembered too (a client retrying a bad key), but the table stays small.
            if entries.count > 10_000 { entries.removeAll() }
            entries[hash] = Entry(caller: caller, expires: now + lifetime)
        }
        return caller
    }
}
