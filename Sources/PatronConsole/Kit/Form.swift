import Foundation

/// A submitted `application/x-www-form-urlencoded` body. The kit reads it (size-limited) and checks its CSRF token
/// before a POST handler runs; a handler reads fields with `form["name"]`.
public struct Form: Sendable {
    /// The fields in the order sent; a name may repeat (checkboxes).
    public let fields: [(name: String, value: String)]

    /// An empty form.
    public init() { fields = [] }

    /// Parses a url-encoded body; a malformed escape is an error naming the field.
    public init(urlEncoded body: String) throws {
        var fields: [(name: String, value: String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], field: nil)
            let value = parts.count > 1 ? try Self.decode(parts[1], field: name) : ""
            fields.append((name, value))
        }
        self.fields = fields
    }

    /// The first value of `name`, or nil when the form has no such field.
    public subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Whether the form's `csrf` field equals `token` (compared in constant time).
    func matches(csrf token: String) -> Bool {
        guard let sent = self["csrf"], !token.isEmpty else { return false }
        return Tokens.constantTimeEqual(sent, token)
    }

    private static func decode(_ text: Substring, field: String?) throws -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw FormError("\(field.map { "the field \($0)" } ?? "a field name") is not correctly url-encoded")
        }
        if decoded.utf8.contains(0) { throw FormError("\(field.map { "the field \($0)" } ?? "a field name") contains a NUL character") }
        return decoded
    }
}

/// A form that cannot be read: too large, or badly encoded. The kit answers 400 with the message.
struct FormError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
