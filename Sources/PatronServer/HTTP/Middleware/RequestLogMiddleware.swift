import Foundation
import Hummingbird
import Logging
import Synchronization

/// What one request's log line says about its caller, filled in by the middleware that learns it.
final class RequestLogRecord: Sendable {
    private let key = Mutex<Int64?>(nil)

    /// The id of the API key that authenticated the request, once `AuthMiddleware` has checked it.
    var keyId: Int64? {
        get { key.withLock { $0 } }
        set { key.withLock { $0 = newValue } }
    }

    /// The record of the request being handled (set by `RequestLogMiddleware`).
    @TaskLocal static var current: RequestLogRecord?
}

/// Logs one line per request once it is answered: method, the route (the path's template, so no member identity or
/// other value from the path reaches the log), status, duration and the caller's key id.
///
/// Sits outside `ErrorMiddleware`, so the status logged is the one the client receives, errors included.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let rules: RequestRules
    /// Where the lines go; nil: the request context's logger.
    let logger: Logger?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Below info (`--log-level warning`) no line is written: no clock, record or task-local either.
        guard (logger ?? context.logger).logLevel <= .info else { return try await next(request, context) }
        let started = ContinuousClock.now
        let record = RequestLogRecord()
        do {
            let response = try await RequestLogRecord.$current.withValue(record) { try await next(request, context) }
            log(request, status: Int(response.status.code), started: started, record: record, context: context)
            return response
        } catch {
            log(request, status: (error as? any HTTPResponseError)?.status.code ?? 500, started: started, record: record, context: context)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, record: RequestLogRecord, context: Context) {
        let logger = self.logger ?? context.logger
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = rules.match(method: request.method, path: request.uri.path).template ?? "(no such route)"
        logger.info(
            "\(request.method.rawValue) \(route) \(status)",
            metadata: [
                "method": "\(request.method.rawValue)",
                "path": "\(route)",
                "status": "\(status)",
                "ms": "\(String(format: "%.1f", milliseconds))",
                "key": "\(record.keyId.map(String.init) ?? "-")",
            ])
    }
}
