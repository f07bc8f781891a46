import Hummingbird

/// The generated server writes a `Location` header percent-encoded as a URI component; a tracked link's redirect must
/// carry the signed URL exactly as it was signed, so this decodes it once on `/track/click/` answers.
struct TrackedLinkLocationMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // The status first: it is a number, the path is parsed text.
        if (300..<400).contains(response.status.code), request.uri.path.hasPrefix("/track/click/"), let location = response.headers[.location], let decoded = location.removingPercentEncoding {
            response.headers[.location] = decoded
        }
        return response
    }
}
