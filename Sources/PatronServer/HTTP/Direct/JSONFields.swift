import Foundation

/// The members of a JSON object that openapi.yaml's schema check has passed, read by name and type.
///
/// The check has already refused a missing required field, a value of the wrong type and a number out of range, so a
/// mismatch here means the schema and the reader disagree: it is refused as bad input all the same, naming the event
/// and the field (a nested object's full path is not kept: building it for every object cost more than reading it).
struct JSONFields {
    private let members: [(key: String, value: JSONValue)]
    /// The event the object belongs to (`events[3]`), for messages.
    let event: String

    init(_ value: JSONValue, in event: String) throws {
        guard case .object(let members) = value else { throw Self.mismatch(event, "", "must be an object") }
        self.members = members
        self.event = event
    }

    /// A field's value; `nil` when absent or null. Objects here are small, so a look along them beats hashing.
    subscript(key: String) -> JSONValue? {
        for member in members where member.key == key {
            return member.value == .null ? nil : member.value
        }
        return nil
    }

    func string(_ key: String) throws -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let text) = value else { throw Self.mismatch(event, key, "must be a string") }
        return text
    }

    func boolean(_ key: String) throws -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let flag) = value else { throw Self.mismatch(event, key, "must be true or false") }
        return flag
    }

    /// A whole number written in digits within 64 bits, as the schema check admits for `type: integer`.
    func integer(_ key: String) throws -> Int64? {
        guard let value = self[key] else { return nil }
        guard case .number(let text) = value, let number = Int64(text) else { throw Self.mismatch(event, key, "must be a whole number") }
        return number
    }

    /// An ISO 8601 instant, as the schema check admits for `format: date-time`.
    func instant(_ key: String) throws -> Date? {
        try string(key).map { text in
            guard let date = InstantText.parse(text) else {
                throw APIError.invalid("\(event).\(key): is not an ISO 8601 instant", fields: [.init(path: "\(event).\(key)", message: "not an instant")])
            }
            return date
        }
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items) = value else { throw Self.mismatch(event, key, "must be an array") }
        return items
    }

    func strings(_ key: String) throws -> [String]? {
        try array(key)?.map { item in
            guard case .string(let text) = item else { throw Self.mismatch(event, key, "must hold strings") }
            return text
        }
    }

    func object(_ key: String) throws -> JSONFields? {
        try self[key].map { try JSONFields($0, in: event) }
    }

    /// A field the schema requires, read by `read` (`fields.required("id", fields.string)`).
    func required<Value>(_ key: String, _ read: (String) throws -> Value?) throws -> Value {
        guard let value = try read(key) else { throw Self.mismatch(event, key, "is required") }
        return value
    }

    private static func mismatch(_ event: String, _ key: String, _ message: String) -> APIError {
        let path = key.isEmpty ? event : "\(event): \(key)"
        return APIError.invalid("\(path): \(message)", fields: [.init(path: event, message: "\(key.isEmpty ? "" : key + " ")\(message)", location: "body")])
    }
}
