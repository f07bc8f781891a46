import Foundation
import HTTPTypes
import PatronCore

/// An error as the API answers it: a status, a stable code, a sentence and optional details.
///
/// Every failure a client can see goes through this one shape: `{"error": {"code", "message", "details"}}`.
struct APIError: Error, Sendable {
    /// One problem with one field of the request, for `invalid_input`.
    struct FieldProblem: Codable, Sendable, Hashable {
        /// The field's JSON path in the body (`order.lines[0].quantity`), or the parameter's name.
        var path: String
        var message: String
        /// Where the field was sent: `body`, `path`, `query` or `header` (absent: the body).
        var location: String? = nil
    }

    var status: HTTPResponse.Status
    var code: String
    var message: String
    var fields: [FieldProblem] = []
    var notes: [String] = []
    var headers: HTTPFields = [:]

    static func unauthorized(_ message: String) -> APIError { APIError(status: .unauthorized, code: "unauthorized", message: message) }
    static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, code: "forbidden", message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not_found", message: message) }
    static func invalid(_ message: String, fields: [FieldProblem] = []) -> APIError {
        APIError(status: .badRequest, code: "invalid_input", message: message, fields: fields)
    }

    /// The domain's error with the status its code means over HTTP.
    init(_ error: PatronError) {
        self.init(status: Self.status(of: error.code), code: error.code.rawValue, message: error.message, notes: error.details)
        if error.code == .busy || error.code == .unavailable { headers[.retryAfter] = "1" }
    }

    init(status: HTTPResponse.Status, code: String, message: String, fields: [FieldProblem] = [], notes: [String] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.notes = notes
    }

    /// 400 for malformed input, 404, 409 for conflicts with what exists, 422 for business rules, 503 when busy or when
    /// the database cannot be reached.
    static func status(of code: PatronError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidInput: .badRequest
        case .notFound: .notFound
        case .duplicateIdentity, .idempotencyConflict, .orderExists: .conflict
        case .invalidProgram, .invalidTransition, .returnExceedsOrder, .insufficientPoints, .limitReached, .notEligible,
            .outOfStock, .enrollmentRefused, .currencyMismatch, .memberErased, .eventTooOld:
            .unprocessableContent
        case .noProgram, .busy, .unavailable: .serviceUnavailable
        case .storage: .internalServerError
        }
    }

    /// The response body.
    var body: Data {
        struct Envelope: Encodable {
            struct Body: Encodable {
                var code: String
                var message: String
                var details: Details?
            }
            var error: Body
        }
        enum Details: Encodable {
            case fields([FieldProblem])
            case notes([String])
            func encode(to encoder: any Encoder) throws {
                switch self {
                case .fields(let fields): try fields.encode(to: encoder)
                case .notes(let notes): try notes.encode(to: encoder)
                }
            }
        }
        let details: Details? = !fields.isEmpty ? .fields(fields) : !notes.isEmpty ? .notes(notes) : nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Envelope(error: .init(code: code, message: message, details: details)))) ?? Data()
    }
}

extension DecodingError {
    /// The JSON path of the bad field (`order.lines[0].quantity`) and what is wrong with it.
    var fieldProblem: APIError.FieldProblem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
        }
        switch self {
        case .keyNotFound(let key, let context):
            return .init(path: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(let type, let context):
            return .init(path: path(context.codingPath), message: "must be \(Self.describe(type)); \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return .init(path: path(context.codingPath), message: "must be \(Self.describe(type)), not null")
        case .dataCorrupted(let context):
            return .init(path: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(path: "", message: "\(self)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
