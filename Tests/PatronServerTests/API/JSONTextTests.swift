import Foundation
import Testing

@testable import PatronServer

/// The strict JSON reader's answers, values and failures alike, pinned: where it says a text goes wrong (the path of the
/// value and the byte) is what a caller of the API reads in a 400.
@Suite struct JSONTextTests {
    struct Case {
        let text: [UInt8]
        let path: String
        let message: String
        init(_ text: String, _ path: String, _ message: String) { (self.text, self.path, self.message) = (Array(text.utf8), path, message) }
        init(bytes: [UInt8], _ path: String, _ message: String) { (self.text, self.path, self.message) = (bytes, path, message) }
    }

    static let failures: [Case] = [
        Case(#"{"order": {"lines": [{"sku": "A", "sku": "B"}]}}"#, "order.lines[0].sku", "is given twice (a key may appear once)"),
        Case(#"{"order": {"lines": [1, tru]}}"#, "order.lines[1]", "is not valid JSON (at byte 24)"),
        Case(#"{"order": {"lines": [1, 2}}"#, "order.lines", "expected ',' or ']' (at byte 25)"),
        Case(#"{"order": {"id" 1}}"#, "order.id", "expected ':' after the field name (at byte 16)"),
        Case(#"{"order": {"id": "a\qb"}}"#, "order.id", #"has an invalid escape '\q' (at byte 21)"#),
        Case(#"{"order": {"id": "a"#, "order.id", "has a string that never ends (at byte 19)"),
        Case(#"{"a": [[{"b": 01}]]}"#, "a[0][0].b", "is not a valid number (no leading zeros) (at byte 16)"),
        Case(#"[{"x": 1}, {"y": "\ud800"}]"#, "[1].y", #"has an unpaired surrogate in a \u escape (at byte 24)"#),
        Case(#"{"a": 1} x"#, "", "unexpected text after the JSON value (at byte 9)"),
        Case("{\"a\": {\"b\": \"\u{01}\"}}", "a.b", "has a control character inside a string (escape it) (at byte 13)"),
        Case(#"{"a": 1, "b": }"#, "b", "is not valid JSON (at byte 14)"),
        Case(bytes: Array(#"{"a": ["ok", "x"#.utf8) + [0xFF] + Array(#""]}"#.utf8), "a[1]", "is not valid UTF-8 (at byte 16)"),
        Case(bytes: Array(#"{"k"#.utf8) + [0xC3] + Array(#"": 1}"#.utf8), "", "is not valid UTF-8 (at byte 4)"),
    ]

    @Test func failuresNameThePathAndTheByte() throws {
        for failure in Self.failures {
            #expect(throws: JSONText.Failure(path: failure.path, message: failure.message), "\(String(decoding: failure.text, as: UTF8.self))") {
                try JSONText.parse(failure.text)
            }
        }
    }

    @Test func valuesAreReadWhole() throws {
        let text = #"{"id": "e1", "kind": "placed", "order": {"member": {"kind": "customer", "value": "c\"1\\ é"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1500.50}], "tags": [], "note": null, "gift": false}, "x": {}}"#
        let expected: JSONValue = .object([
            ("id", .string("e1")), ("kind", .string("placed")),
            ("order", .object([
                ("member", .object([("kind", .string("customer")), ("value", .string("c\"1\\ é"))])),
                ("lines", .array([.object([("sku", .string("A")), ("quantity", .number("1")), ("unitPrice", .number("1500.50"))])])),
                ("tags", .array([])), ("note", .null), ("gift", .bool(false)),
            ])),
            ("x", .object([])),
        ])
        #expect(try JSONText.parse(Array(text.utf8)) == expected)
        // Many keys (the duplicate check changes how it looks past a dozen) and one given twice among them.
        let keys = (0..<40).map { "\"k\($0)\": \($0)" }
        #expect(try JSONText.parse(Array("{\(keys.joined(separator: ","))}".utf8)) == .object((0..<40).map { ("k\($0)", .number("\($0)")) }))
        #expect(throws: JSONText.Failure(path: "k3", message: "is given twice (a key may appear once)")) {
            try JSONText.parse(Array("{\((keys + ["\"k3\": 0"]).joined(separator: ","))}".utf8))
        }
    }
}
