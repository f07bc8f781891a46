import HTTPTypes
import Hummingbird

/// Headers that keep browsers from sniffing, framing or caching API answers that hold members' personal data.
/// `Content-Security-Policy` is `default-src 'none'`, but for the message links' pages (`LinkPage.contentSecurityPolicy`).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[SecurityHeaderNames.frameOptions] = "DENY"
        // The message links' pages allow their one style by its hash and their form posting back; set here because the
        // OpenAPI runtime percent-encodes header values a handler returns.
        let page = request.uri.path == "/unsubscribe" || request.uri.path == "/consent/confirm"
        response.headers[.contentSecurityPolicy] = page ? LinkPage.contentSecurityPolicy : "default-src 'none'; frame-ancestors 'none'"
        response.headers[.cacheControl] = "no-store"
        response.headers[SecurityHeaderNames.referrerPolicy] = "no-referrer"
        response.headers[.strictTransportSecurity] = "max-age=31536000"
        return response
    }
}

/// The header names HTTPTypes does not predefine, checked once rather than on every answer.
enum SecurityHeaderNames {
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
