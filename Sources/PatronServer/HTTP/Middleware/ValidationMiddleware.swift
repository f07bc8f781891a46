import Foundation
import HTTPTypes
import Hummingbird

/// Holds every request to what openapi.yaml states before a handler sees it: 405 with `Allow` for a method the path
/// does not have; each path, query and header parameter and each JSON body field against its type and limits; a body
/// that is not JSON, names a key twice, or gives `5.5` where a whole number belongs; a `Content-Type` other than JSON
/// or an `Accept` that allows none of the answer's types — each a 400 naming the field and where it was sent, before
/// anything is done.
///
/// Runs after authentication (a caller without a key learns nothing about the routes) and after the body limit (the
/// body is already collected).
struct ValidationMiddleware<Context: RequestContext>: RouterMiddleware {
    let rules: RequestRules
    /// The path templates whose handlers take the body as read (`ValidatedBody`) instead of reading it again.
    var handingBodyTo: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let match = rules.match(method: request.method, path: path)
        guard match.template != nil else { return try await next(request, context) }
        guard let operation = match.operation else {
            var error = APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message:
                    "\(request.method.rawValue) is not allowed on \(match.template ?? path); allowed: \(match.allowed.map(\.rawValue).joined(separator: ", "))"
            )
            error.headers[.allow] = match.allowed.map(\.rawValue).joined(separator: ", ")
            throw error
        }
        var request = request
        let body = try await check(&request, operation: operation)
        guard let body, handingBodyTo.contains(operation.template) else { return try await next(request, context) }
        return try await ValidatedBody.$current.withValue(body) { try await next(request, context) }
    }

    /// Checks the request; its JSON body as read, when it has one.
    private func check(_ request: inout Request, operation: RequestRules.Operation) async throws -> JSONValue? {
        var problems: [APIError.FieldProblem] = []
        // Read only for operations that have such parameters (most have no query; /health has nothing).
        let pathValues = operation.parameters.contains { $0.location == .path }
            ? RequestRules.pathValues(of: operation, path: request.uri.path) : [:]
        let query = operation.parameters.contains { $0.location == .query } ? request.uri.queryParameters : nil
        for parameter in operation.parameters {
            let value: String?
            switch parameter.location {
            case .path:
                switch pathValues[parameter.name] {
                case .none: value = nil
                case .some(.some(let decoded)): value = decoded
                case .some(.none):
                    // Left undecoded, `%zz` would be looked up as written by one route and as nothing by another.
                    problems.append(.init(path: parameter.name, message: "is not valid percent-encoding (a % must be followed by two hex digits)", location: "path"))
                    continue
                }
            case .query:
                let values = query?[values: parameter.name[...]] ?? []
                // Like a JSON key given twice: which one was meant is a guess, so neither is taken.
                if values.count > 1 {
                    problems.append(.init(path: parameter.name, message: "is given \(values.count) times (give it once)", location: "query"))
                    continue
                }
                value = values.first.map(String.init)
            case .header:
                let values = HTTPField.Name(parameter.name).map { request.headers[values: $0] } ?? []
                if values.count > 1 {
                    problems.append(.init(path: parameter.name, message: "is given \(values.count) times (give it once)", location: "header"))
                    continue
                }
                value = values.first
            }
            guard let value else {
                if parameter.required {
                    problems.append(.init(path: parameter.name, message: "is required", location: parameter.location.rawValue))
                }
                continue
            }
            if let problem = parameter.rule.parameterProblem(value) {
                problems.append(.init(path: parameter.name, message: problem, location: parameter.location.rawValue))
            }
        }
        // Checked before the handler runs: the generated code checked `Accept` only when answering, after the work.
        if let accept = request.headers[.accept], let problem = MediaTypes.acceptProblem(accept, answers: operation.answerTypes) {
            problems.append(.init(path: "Accept", message: problem, location: "header"))
        }
        var parsed: JSONValue?
        if operation.body != nil, let type = request.headers[.contentType], !MediaTypes.isJSON(type) {
            problems.append(.init(path: "Content-Type", message: "must be application/json (is '\(type.prefix(80))')", location: "header"))
        } else if let body = operation.body {
            let bytes = try await request.collectBody(upTo: .max)
            if bytes.readableBytes == 0 {
                if operation.bodyRequired { problems.append(.init(path: "", message: "a JSON body is required", location: "body")) }
            } else {
                do {
                    let value = try JSONText.parse(bytes.readableBytesView)
                    problems += body.problems(of: value, at: "").map { .init(path: $0.path, message: $0.message, location: "body") }
                    parsed = value
                } catch let error as JSONText.Failure {
                    throw APIError.invalid(
                        "the request body is not valid JSON: \(error.path.isEmpty ? "" : error.path + " ")\(error.message)",
                        fields: [.init(path: error.path, message: error.message, location: "body")])
                }
            }
        }
        guard let first = problems.first else { return parsed }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s"))" : ""
        throw APIError.invalid("\(first.sentence)\(more)", fields: problems)
    }
}

extension APIError.FieldProblem {
    /// The problem as a sentence that names the field and where it was sent: `query parameter limit: must be at most
    /// 1000`, `reason: must be at most 500 characters long`.
    var sentence: String {
        switch location {
        case "body", nil: path.isEmpty ? "the request body: \(message)" : "\(path): \(message)"
        case let location?: "\(location) parameter \(path): \(message)"
        }
    }
}
