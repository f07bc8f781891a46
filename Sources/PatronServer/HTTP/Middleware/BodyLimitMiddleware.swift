import Hummingbird

/// Refuses request bodies over `maxBytes` with 413 before anything reads them, whether or not they announce a length.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tooLarge = APIError(status: .contentTooLarge, code: "body_too_large", message: "the request body is larger than \(maxBytes) bytes")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch {
            throw tooLarge
        }
        return try await next(request, context)
    }
}
