/// The request's JSON body as `ValidationMiddleware` read it and found it to match openapi.yaml, for the handlers that
/// build their domain values from it rather than decode the text a second time (`DirectRoutes`).
enum ValidatedBody {
    @TaskLocal static var current: JSONValue?
}
