import Foundation

/// A parsed JSON document that keeps what a validator needs and `JSONDecoder` throws away: a number's text (so
/// `5.5`, `1e30` and `10` stay distinguishable) and every member of an object in order (so a duplicate key is seen).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// The members in the order written; `JSONText.parse` refuses an object that names a key twice.
    case object([(key: String, value: JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// What the value is, for messages ("must be an integer, not a string").
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Where a value sits in a JSON document, kept as steps and written out only when a message names it
/// (`order.lines[0].sku`): the reader and the schema check walk every value, and rarely say anything.
struct JSONPath {
    enum Step {
        case key(String)
        case index(Int)
    }

    private(set) var steps: [Step] = []

    mutating func enter(_ step: Step) { steps.append(step) }
    mutating func leave() { steps.removeLast() }
    var depth: Int { steps.count }

    /// The path as messages name it, after `prefix` (a path of its own).
    func text(after prefix: String = "") -> String {
        var text = prefix
        for step in steps {
            switch step {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A strict JSON reader (RFC 8259) that refuses duplicate keys and reports where the text goes wrong.
///
/// It runs on every request body before the generated decoder does, so it is written for speed: the path to the value
/// being read is kept as steps and written out only for a failure, a string without escapes is taken whole, and a
/// small object's keys are checked for duplicates without hashing.
struct JSONText {
    /// Why a text is not JSON, with the path of the value being read (`order.lines[0]`) when there is one.
    struct Failure: Error, Sendable, Equatable {
        var path: String
        var message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var trail = JSONPath()
    /// Deeper nesting than this is refused rather than risking the stack.
    static let maxDepth = 64
    /// Objects with more members than this check duplicates in a set; smaller ones by looking back.
    private static let linearKeyCheck = 12

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one JSON value that fills `data` (whitespace around it allowed); the error is a `Failure`.
    static func parse(_ data: some Collection<UInt8>) throws -> JSONValue {
        var reader = JSONText(Array(data))
        reader.skipWhitespace()
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw reader.failure("unexpected text after the JSON value") }
        return value
    }

    /// The path of the value being read, as messages name it: `order.lines[0].sku`.
    private var path: String { trail.text() }

    private func failure(_ message: String) -> Failure {
        Failure(path: path, message: "\(message) (at byte \(index))")
    }

    private mutating func skipWhitespace() {
        // A switch, not `[0x20, …].contains`: that made an array on every call, and this runs between every two tokens.
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count,
            literal.withUTF8Buffer({ expected in (0..<count).allSatisfy { bytes[index + $0] == expected[$0] } })
        else {
            throw failure("is not valid JSON")
        }
        index += count
        return value
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("the JSON ends too early") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("is not valid JSON")
        }
    }

    /// Refuses a container nested deeper than `maxDepth`: the trail holds one step per level above the one being read.
    private func nest() throws(Failure) {
        guard trail.depth < Self.maxDepth else { throw failure("is nested more than \(Self.maxDepth) levels deep") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try nest()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String>?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a field name in quotes") }
            let key = try string()
            trail.enter(.key(key))
            if members.count < Self.linearKeyCheck {
                if members.contains(where: { $0.key == key }) { throw Failure(path: path, message: "is given twice (a key may appear once)") }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                guard seen!.insert(key).inserted else { throw Failure(path: path, message: "is given twice (a key may appear once)") }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after the field name") }
            index += 1
            skipWhitespace()
            members.append((key, try value()))
            trail.leave()
            skipWhitespace()
            guard index < bytes.count else { throw failure("the JSON ends inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
            index += 1
            return .object(members)
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try nest()
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            trail.enter(.index(items.count))
            items.append(try value())
            trail.leave()
            skipWhitespace()
            guard index < bytes.count else { throw failure("the JSON ends inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
            index += 1
            return .array(items)
        }
    }

    private mutating func number() throws(Failure) -> String {
        let start = index
        func digits(_ reader: inout JSONText) -> Int {
            let from = reader.index
            while reader.index < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.index]) {
                reader.index += 1
            }
            return reader.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let leading = index
        guard digits(&self) > 0 else { throw failure("is not a valid number") }
        if bytes[leading] == UInt8(ascii: "0"), index - leading > 1 { throw failure("is not a valid number (no leading zeros)") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("is not a valid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure("is not a valid number") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("has an incomplete \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("has an invalid \\u escape")
            }
            value = value * 16 + UInt32(digit)
        }
        index += 4
        return value
    }

    /// The UTF-8 text of `bytes[start..<index]`, or a failure at `index`.
    private func text(from start: Int) throws(Failure) -> String {
        guard let text = String(validating: bytes[start..<index], as: UTF8.self) else { throw failure("is not valid UTF-8") }
        return text
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // Most strings have no escape: taken whole, checked as UTF-8 once.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let whole = try text(from: start)
                index += 1
                return whole
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        return try escapedString(from: start)
    }

    /// The rest of a string that has an escape (or a control character, or no end), from `start`, its first byte.
    private mutating func escapedString(from start: Int) throws(Failure) -> String {
        index = start
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ reader: JSONText, _ scalars: inout String.UnicodeScalarView) throws(Failure) {
            guard run < reader.index else { return }
            scalars.append(contentsOf: try reader.text(from: run).unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw failure("has a string that never ends") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try flush(self, &scalars)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("has a control character inside a string (escape it)") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            try flush(self, &scalars)
            index += 1
            guard index < bytes.count else { throw failure("has a string that never ends") }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure("has an unpaired surrogate in a \\u escape")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("has an unpaired surrogate in a \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("has an unpaired surrogate in a \\u escape") }
                scalars.append(scalar)
            default:
                throw failure("has an invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
            }
            run = index
        }
    }
}
