import Foundation
import Synchronization

/// What openapi.yaml says a value must be — its type and every limit the document states — read once at start-up.
///
/// The types generated from the document decode but do not check `maxLength`, `maximum`, `pattern` or `maxItems`;
/// checking each value against the rule its schema states is what makes every stated limit hold, for every field,
/// header, path and query parameter, without a check per handler.
final class SchemaRule: Sendable {
    let type: String?
    let format: String?
    let minLength: Int?
    let maxLength: Int?
    let pattern: String?
    /// `pattern`, compiled once (compiling it for every value cost more than the rest of a member read).
    private let compiledPattern: CompiledPattern?
    /// The schema's description, said beside a pattern a value does not match: a regular expression alone tells a
    /// person little.
    private let patternMeaning: String?
    let minimum: Decimal?
    let maximum: Decimal?
    let minItems: Int?
    let maxItems: Int?
    let enumeration: [String]?
    let required: [String]
    let properties: [String: SchemaRule]
    /// `nil`: any other property is allowed; `.some(nil)`: none is; `.some(rule)`: others must follow `rule`.
    let additionalProperties: SchemaRule??
    let items: SchemaRule?
    /// `minimum` and `maximum` as 64-bit integers, when both (those present) are whole: plain integers are then
    /// checked without `Decimal`. `nil` when a bound is fractional or beyond 64 bits.
    private let integerBounds: (minimum: Int64?, maximum: Int64?)?

    /// The largest and smallest integers the generated types hold (`Int` and `Int64` are both 64 bits here).
    static let integerRange = Decimal(Int64.min)...Decimal(Int64.max)

    /// The rule `schema` states, following `$ref`s into `components.schemas`.
    init(_ schema: [String: Any], components: [String: Any], depth: Int = 0) throws {
        var schema = schema
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard reference.hasPrefix("#/components/schemas/"), let target = components[name] as? [String: Any], depth < 32 else {
                throw APIError.invalid("openapi.yaml: cannot resolve \(reference)")
            }
            schema = target
        }
        func integer(_ key: String) -> Int? { schema[key] as? Int }
        func decimal(_ key: String) -> Decimal? {
            if let value = schema[key] as? Int { return Decimal(value) }
            if let value = schema[key] as? Double { return Decimal(value) }
            return nil
        }
        type = schema["type"] as? String
        format = schema["format"] as? String
        minLength = integer("minLength")
        maxLength = integer("maxLength")
        pattern = schema["pattern"] as? String
        compiledPattern = try pattern.map(CompiledPattern.init)
        patternMeaning = pattern == nil ? nil : schema["description"] as? String
        minimum = decimal("minimum")
        maximum = decimal("maximum")
        func whole(_ bound: Decimal?) -> Int64?? {
            guard let bound else { return .some(nil) }
            guard SchemaRule.integerRange.contains(bound) else { return nil }
            let value = NSDecimalNumber(decimal: bound).int64Value
            return Decimal(value) == bound ? .some(value) : nil
        }
        if let low = whole(minimum), let high = whole(maximum) { integerBounds = (low, high) } else { integerBounds = nil }
        minItems = integer("minItems")
        maxItems = integer("maxItems")
        enumeration = (schema["enum"] as? [Any])?.map { "\($0)" }
        required = schema["required"] as? [String] ?? []
        var properties: [String: SchemaRule] = [:]
        for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
            guard let property = property as? [String: Any] else { continue }
            properties[name] = try SchemaRule(property, components: components, depth: depth + 1)
        }
        self.properties = properties
        switch schema["additionalProperties"] {
        case let allowed as Bool: additionalProperties = allowed ? nil : .some(nil)
        case let rule as [String: Any]: additionalProperties = .some(try SchemaRule(rule, components: components, depth: depth + 1))
        default: additionalProperties = nil
        }
        items = try (schema["items"] as? [String: Any]).map { try SchemaRule($0, components: components, depth: depth + 1) }
    }

    /// Every problem of `value` against this rule, each with the JSON path of the value (`order.lines[0].quantity`).
    func problems(of value: JSONValue, at path: String) -> [APIError.FieldProblem] {
        var found: [APIError.FieldProblem] = []
        var trail = JSONPath()
        check(value, trail: &trail, into: &found, after: path)
        return found
    }

    /// Checks `value`, found at `prefix` + `trail` (written out only for a problem), and what it holds.
    private func check(_ value: JSONValue, trail: inout JSONPath, into found: inout [APIError.FieldProblem], after prefix: String) {
        guard found.count < 20 else { return }
        func problem(_ message: String) { found.append(.init(path: trail.text(after: prefix), message: message)) }
        switch (type, value) {
        case ("string", .string(let text)):
            if let message = stringProblem(text) { problem(message) }
        case ("integer", .number(let text)), ("number", .number(let text)):
            if let message = numberProblem(text) { problem(message) }
        case ("boolean", .bool):
            break
        case ("array", .array(let elements)):
            if let minItems, elements.count < minItems { problem("must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
            if let maxItems, elements.count > maxItems { problem("must have at most \(maxItems) items (has \(elements.count))") }
            if let items {
                for (index, element) in elements.enumerated() {
                    trail.enter(.index(index))
                    items.check(element, trail: &trail, into: &found, after: prefix)
                    trail.leave()
                }
            }
        case ("object", .object(let members)),
            (nil, .object(let members)) where !properties.isEmpty || additionalProperties != nil:
            for name in required where !members.contains(where: { $0.key == name }) {
                trail.enter(.key(name))
                problem("is required")
                trail.leave()
            }
            for (key, member) in members {
                trail.enter(.key(key))
                if let rule = properties[key] {
                    rule.check(member, trail: &trail, into: &found, after: prefix)
                } else if let additional = additionalProperties {
                    if let rule = additional {
                        rule.check(member, trail: &trail, into: &found, after: prefix)
                    } else {
                        problem("is not a field of this object")
                    }
                }
                trail.leave()
            }
        case (nil, _):
            break
        case (let expected?, _):
            let wanted =
                switch expected {
                case "string": "a string"
                case "integer": "a whole number"
                case "number": "a number"
                case "boolean": "true or false"
                case "array": "an array"
                default: "an object"
                }
            problem("must be \(wanted), not \(value == .null ? "null" : value.kindName)")
        }
    }

    /// What is wrong with a string value, or nil.
    func stringProblem(_ text: String) -> String? {
        // JSON Schema counts characters as Unicode code points; there are never more of them than UTF-8 bytes, so most
        // strings are settled without counting.
        if let minLength, minLength == 1 ? text.isEmpty : text.unicodeScalars.count < minLength {
            return minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters long (is \(text.unicodeScalars.count))"
        }
        if let maxLength, text.utf8.count > maxLength, text.unicodeScalars.count > maxLength {
            return "must be at most \(maxLength) characters long (is \(text.unicodeScalars.count))"
        }
        if let enumeration, !enumeration.contains(text) { return "must be one of: \(enumeration.joined(separator: ", "))" }
        if let pattern, let compiledPattern, !compiledPattern.matches(text) {
            return "must match \(pattern)" + (patternMeaning.map { " (\($0))" } ?? "")
        }
        switch format {
        case "date" where !Self.datePattern.matches(text):
            return "must be a date as yyyy-MM-dd (is '\(text.prefix(40))')"
        case "date-time" where InstantText.parse(text) == nil:
            return "must be an ISO 8601 instant such as 2026-11-25T10:00:00Z (is '\(text.prefix(40))')"
        default: return nil
        }
    }

    /// What is wrong with a number written as `text`, or nil.
    func numberProblem(_ text: String) -> String? {
        // Nearly every number sent is a plain integer: whole, within 64 bits, written in digits; only its bounds remain.
        if let integer = Self.plainInteger(text), let integerBounds {
            if let low = integerBounds.minimum, integer < low, let minimum { return "must be at least \(minimum) (is \(text))" }
            if let high = integerBounds.maximum, integer > high, let maximum { return "must be at most \(maximum) (is \(text))" }
            return nil
        }
        // The text is a JSON number already (the reader or the parameter check saw to it): one Decimal cannot hold is
        // beyond any limit.
        guard let value = Decimal(string: text, locale: Self.posix), !value.isNaN else {
            return type == "integer" ? "out of range (must be between \(Int64.min) and \(Int64.max))" : "out of range"
        }
        if type == "integer" {
            var whole = Decimal()
            var copy = value
            NSDecimalRound(&whole, &copy, 0, .plain)
            guard whole == value else { return "must be a whole number" }
            guard Self.integerRange.contains(value) else { return "out of range (must be between \(Int64.min) and \(Int64.max))" }
            // 1e3 or 10.0 is whole, but the decoders only read integers written as digits.
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
                return "must be a whole number written without a fraction or exponent"
            }
        }
        if let minimum, value < minimum { return "must be at least \(minimum) (is \(text))" }
        if let maximum, value > maximum { return "must be at most \(maximum) (is \(text))" }
        return nil
    }

    /// What is wrong with a parameter's text, read as this rule's type (query, path and header values are text).
    func parameterProblem(_ text: String) -> String? {
        switch type {
        case "integer", "number":
            guard !text.isEmpty, Self.numberPattern.matches(text) else {
                return type == "integer" ? "must be a whole number (is '\(text.prefix(40))')" : "must be a number (is '\(text.prefix(40))')"
            }
            return numberProblem(text)
        case "boolean":
            return ["true", "false"].contains(text) ? nil : "must be true or false"
        default:
            return stringProblem(text)
        }
    }

    private static let posix = Locale(identifier: "en_US_POSIX")
    private static let datePattern = try! CompiledPattern(#"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#)
    private static let numberPattern = try! CompiledPattern(#"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#)

    /// `text`'s value when it is an integer of 1 to 18 digits with an optional minus sign (so within 64 bits), else nil.
    static func plainInteger(_ text: String) -> Int64? {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard (1...18).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(text)
    }
}

/// A regular expression compiled once and matched as `String.range(of:options: .regularExpression)` matches (the same
/// ICU engine, no options, anywhere in the text).
///
/// Matching costs about 6,000 instructions (the text is bridged to UTF-16 for ICU), and the values checked repeat: an
/// identity's kind is one of five words, a busy member is read again and again. So the first values that matched are
/// remembered and answered without the engine; a value that did not match is always matched again (it is rare, and
/// its answer names the pattern).
final class CompiledPattern: Sendable {
    // nonisolated(unsafe): NSRegularExpression is immutable once made and documented as safe to use from several
    // threads at once.
    nonisolated(unsafe) private let expression: NSRegularExpression
    private let matched = Mutex<Set<String>>([])
    /// How many matching values are remembered, and how long each may be: a bound on the memory, not on correctness.
    static let remembered = 4_096
    static let longestRemembered = 64

    init(_ pattern: String) throws {
        expression = try NSRegularExpression(pattern: pattern)
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        let rememberable = text.utf8.count <= Self.longestRemembered
        if rememberable, matched.withLock({ $0.contains(text) }) { return true }
        guard expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { return false }
        if rememberable {
            matched.withLock { values in
                if values.count < Self.remembered { values.insert(text) }
            }
        }
        return true
    }
}
