import Hummingbird

/// Refuses request bodies over `maxBytes` with 413 before anything reads them, whether or not they announce a length.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        // HTTP/1.1 frames a request body by Content-Length or Transfer-Encoding (RFC 9112 §6.3): without either, or with
        // a length of 0, there is none, and waiting for the end of an empty body stream was most of this middleware's cost.
        let framed = request.headers[.contentLength].map { $0 != "0" } ?? (request.headers[.transferEncoding] != nil)
        guard framed else { return try await next(request, context) }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch {
            throw tooLarge
        }
        return try await next(request, context)
    }

    private var tooLarge: APIError {
        APIError(status: .contentTooLarge, code: "body_too_large", message: "the request body is larger than \(maxBytes) bytes")
    }
}
