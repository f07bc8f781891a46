import Hummingbird

/// Requires an API key (`Authorization: Bearer …`) whose scopes allow the operation; admin keys may do everything.
///
/// The caller is then available to handlers as `Caller.current`.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let scopes: ScopeTable
    let authenticator: any CallerAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A path no operation has still needs a key; the router then answers 404.
        let allowed = scopes.scopes(method: request.method, path: request.uri.path) ?? ScopeTable.keyScopes
        if allowed.contains(ScopeTable.publicScope) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("an API key is required: send Authorization: Bearer <key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <key>'")
        }
        guard let caller = try await authenticator.caller(presenting: String(parts[1])) else {
            throw APIError.unauthorized("the API key is unknown or revoked")
        }
        guard caller.scopes.contains(ScopeTable.adminScope) || !caller.scopes.isDisjoint(with: allowed) else {
            throw APIError.forbidden(
                "this key's scopes (\(caller.scopes.sorted().joined(separator: ", "))) may not call this route; it needs one of: \(allowed.sorted().joined(separator: ", "))"
            )
        }
        RequestLogRecord.current?.keyId = caller.keyId
        return try await Caller.$current.withValue(caller) { try await next(request, context) }
    }
}
