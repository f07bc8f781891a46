import Foundation
import Hummingbird

/// An answer written as JSON directly, byte for byte as the generated types' encoder writes it (keys sorted by their
/// UTF-8 bytes, no spaces, absent optionals left out, `/` and control characters escaped as Foundation escapes them),
/// without building the generated values first: the direct routes' answers (`DirectRoutes`).
///
/// Members are written in the order of their keys, which the writer of each shape keeps; `DirectRoutesTests` hold
/// every shape to the generated encoder's bytes.
struct JSONAnswer {
    private(set) var bytes: [UInt8] = []
    /// Whether the object or array being written has no member yet (no comma before the next).
    private var first = true

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// `{…}`, its members written by `members`.
    mutating func object(_ members: (inout JSONAnswer) -> Void) {
        raw("{")
        first = true
        members(&self)
        raw("}")
        first = false
    }

    /// `[…]`, an element written by `element` for each item.
    mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONAnswer, Items.Element) -> Void) {
        raw("[")
        var none = true
        for item in items {
            if !none { raw(",") }
            none = false
            element(&self, item)
        }
        raw("]")
        first = false
    }

    /// `"name":`, with the comma before it unless it is the object's first member.
    mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A key known only when answering (a consent's purpose), escaped as a string value is.
    mutating func key(text name: String) {
        if !first { raw(",") }
        first = false
        string(name)
        raw(":")
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        raw(value ? "true" : "false")
    }

    /// An instant as the API writes every one (`InstantText`).
    mutating func field(_ name: StaticString, instant: Date?) {
        guard let instant else { return }
        key(name)
        // Digits, dashes, colons and letters: nothing to escape.
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: InstantText.format(instant).utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        array(strings) { $0.string($1) }
    }

    /// An object of booleans keyed by text (a profile's consents), its keys sorted by their bytes as the encoder sorts.
    mutating func flags(_ values: [String: Bool]) {
        object {
            for (key, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                $0.key(text: key)
                $0.raw(value ? "true" : "false")
            }
        }
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A whole number in decimal digits, written in place rather than through a `String`.
    mutating func integer(_ value: some BinaryInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = UInt64(value.magnitude)
        guard rest >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(rest)) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Ids, names and codes rarely hold anything to escape: then they go in whole.
            guard utf8.contains(where: Self.escaped) else { return bytes.append(contentsOf: utf8) }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case UInt8(ascii: "/"): raw("\\/")
                case 0x08: raw("\\b")
                case 0x09: raw("\\t")
                case 0x0A: raw("\\n")
                case 0x0C: raw("\\f")
                case 0x0D: raw("\\r")
                case 0x00..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The answer: `status` with the JSON written so far.
    func response(_ status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Whether Foundation's encoder escapes the byte: a quote, a backslash, a slash or a control character.
    private static func escaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
