import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import PatronCore

/// Answers every failure with the one error shape and the right status; never a stack trace.
///
/// Outermost middleware: it sees the errors of authentication, rate limits, routing, request decoding (wrapped by the
/// OpenAPI runtime in `ServerError`) and the handlers' domain errors.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = Self.apiError(for: error)
            if answer.status.code >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(Self.loggable(error))"])
            }
            return Self.response(answer)
        }
    }

    /// What the log says about an error: the OpenAPI runtime's `ServerError` describes the whole request, headers and
    /// all (the API key among them), so only its operation and its cause are kept.
    static func loggable(_ error: any Error) -> String {
        guard let error = error as? ServerError else { return String(reflecting: error) }
        return "\(error.operationID): \(loggable(error.underlyingError))"
    }

    static func response(_ error: APIError) -> Response {
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as PatronError: return APIError(error)
        case let error as DecodingError:
            let problem = error.fieldProblem
            return .invalid("the request body is not valid: \(problem.path.isEmpty ? "" : problem.path + " ")\(problem.message)", fields: [problem])
        case let error as ServerError:
            if let underlying = error.underlyingError as? ServerError { return apiError(for: underlying) }
            let inner = apiError(for: error.underlyingError)
            if inner.status != .internalServerError { return inner }
            // The runtime's own request errors (a missing header, a query value of the wrong type, a wrong content type).
            if (400..<500).contains(error.httpStatus.code) {
                return .invalid("\(error.operationID): \(error.causeDescription)")
            }
            return inner
        case let error as HTTPError:
            let code = switch error.status.code {
            case 404: "not_found"
            case 405: "method_not_allowed"
            case 413: "body_too_large"
            default: "invalid_input"
            }
            return APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        default:
            return APIError(status: .internalServerError, code: "internal", message: "the request failed inside Patron; it is logged")
        }
    }
}
