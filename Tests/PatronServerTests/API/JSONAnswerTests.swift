import Foundation
import Testing

@testable import PatronServer

/// `JSONAnswer` writes what Foundation's encoder (keys sorted) writes for the same values, to the byte.
@Suite struct JSONAnswerTests {
    struct Sample: Encodable {
        var a: Int64
        var b: String?
        var list: [Int64]
        var nested: [String: Bool]
    }

    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func written(_ write: (inout JSONAnswer) -> Void) -> String {
        var answer = JSONAnswer()
        write(&answer)
        return String(decoding: answer.bytes, as: UTF8.self)
    }

    @Test func integersAreWrittenAsTheEncoderWritesThem() throws {
        var generator = SystemRandomNumberGenerator()
        let values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 1_000_000, .max, .min, .max - 1, .min + 1]
            + (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...63, using: &generator) }
        for value in values {
            #expect(Self.written { $0.integer(value) } == (try Self.encoded(value)), "\(value)")
        }
        #expect(Self.written { $0.integer(Int32.min) } == "-2147483648")
        #expect(Self.written { $0.integer(UInt64.max) } == "18446744073709551615")
    }

    @Test func stringsAreEscapedAsTheEncoderEscapesThem() throws {
        let texts = ["", "plain", "a/b", #"quote " and \ backslash"#, "tab\tnew\nline\r", "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}", "é 安 🙂", "\u{2028}\u{2029}"]
            + (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        for text in texts {
            #expect(Self.written { $0.string(text) } == (try Self.encoded(text)), "\(text.unicodeScalars.map { $0.value })")
        }
    }

    @Test func objectsLeaveAbsentOptionalsOutAndSeparateMembers() throws {
        let samples = [
            Sample(a: 1, b: nil, list: [], nested: [:]),
            Sample(a: -5, b: "x/y", list: [1, -2, 3], nested: ["b": true, "B": false, "é": true, "a": false, "aa": true]),
        ]
        for sample in samples {
            let text = Self.written { answer in
                answer.object {
                    $0.field("a", sample.a)
                    $0.field("b", sample.b)
                    $0.key("list")
                    $0.array(sample.list) { $0.integer($1) }
                    $0.key("nested")
                    $0.flags(sample.nested)
                }
            }
            #expect(text == (try Self.encoded(sample)))
        }
    }
}
