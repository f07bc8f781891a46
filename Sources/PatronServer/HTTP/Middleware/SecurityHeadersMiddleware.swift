import Hummingbird

/// Headers that keep browsers from sniffing, framing or caching API answers that hold members' personal data.
/// `Content-Security-Policy` is `default-src 'none'` unless the answer set a policy of its own.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        // A page that states its own policy (the message links' pages allow their one style by its hash) keeps it.
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.strictTransportSecurity] = "max-age=31536000"
        return response
    }
}
