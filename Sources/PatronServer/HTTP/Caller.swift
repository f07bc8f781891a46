/// Who is calling: the API key that authenticated the request.
struct Caller: Sendable, Hashable {
    /// The key's id, for rate limits.
    var keyId: Int64
    /// The key's name, recorded as the actor of admin actions (`key:web`).
    var name: String
    /// What the key may do.
    var scopes: Set<String>

    /// The actor written to the audit log and to manual ledger entries.
    var actor: String { "key:\(name)" }

    /// The caller of the request being handled (set by `AuthMiddleware`).
    @TaskLocal static var current: Caller?
}

/// Turns a presented secret into a caller, or nil when no live key has it.
protocol CallerAuthenticator: Sendable {
    func caller(presenting secret: String) async throws -> Caller?
}
