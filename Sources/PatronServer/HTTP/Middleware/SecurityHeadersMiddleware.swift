import HTTPTypes
import Hummingbird

/// Headers that keep browsers from sniffing, framing or caching API answers that hold members' personal data.
/// `Content-Security-Policy` is `default-src 'none'`, but for the message links' pages (`LinkPage.contentSecurityPolicy`).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // The message links' pages allow their one style by its hash and their form posting back; set here because the
        // OpenAPI runtime percent-encodes header values a handler returns.
        let page = request.uri.path == "/unsubscribe" || request.uri.path == "/consent/confirm"
        for field in page ? SecurityHeaderFields.page : SecurityHeaderFields.api {
            // An answer that set one of them (the tracking pixel's Cache-Control) gets ours instead, never both.
            if response.headers.contains(field.name) { response.headers[field.name] = field.value } else { response.headers.append(field) }
        }
        return response
    }
}

/// The header names HTTPTypes does not predefine, checked once rather than on every answer.
enum SecurityHeaderNames {
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

/// The fields themselves, validated once: setting six headers by name and value on every answer cost more than any
/// other middleware (26,000 instructions a request, docs/benchmarks.md).
enum SecurityHeaderFields {
    static let api = fields(contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'")
    static let page = fields(contentSecurityPolicy: LinkPage.contentSecurityPolicy)

    private static func fields(contentSecurityPolicy: String) -> [HTTPField] {
        [
            HTTPField(name: .xContentTypeOptions, value: "nosniff"),
            HTTPField(name: SecurityHeaderNames.frameOptions, value: "DENY"),
            HTTPField(name: .contentSecurityPolicy, value: contentSecurityPolicy),
            HTTPField(name: .cacheControl, value: "no-store"),
            HTTPField(name: SecurityHeaderNames.referrerPolicy, value: "no-referrer"),
            HTTPField(name: .strictTransportSecurity, value: "max-age=31536000"),
        ]
    }
}
