import PatronStore

/// API keys as the HTTP layer's callers: a presented secret is hashed and looked up among the live keys.
extension APIKeyIssuer: CallerAuthenticator {
    func caller(presenting secret: String) async throws -> Caller? {
        guard let key = try await verify(secret) else { return nil }
        return Caller(keyId: key.id, name: key.name, scopes: Set(key.scopes.map(\.rawValue)))
    }
}
