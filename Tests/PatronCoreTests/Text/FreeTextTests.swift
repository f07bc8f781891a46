import Foundation
import PatronCore
import Testing

/// `FreeText.check` counts characters, not bytes, against a limit (it looks at the bytes first only to skip counting),
/// and names the field only in its refusals.
@Suite struct FreeTextTests {
    @Test func theLimitIsInCharacters() throws {
        try FreeText.check("顾客顾客", field: "name", maximumLength: 4)  // 12 bytes, 4 characters
        try FreeText.check("e\u{301}", field: "name", maximumLength: 1)  // é as two scalars: one character
        #expect(throws: PatronError.self) { try FreeText.check("顾客顾客顾", field: "name", maximumLength: 4) }
        do {
            try FreeText.check("abcde", field: "order 7: lines[0].sku", maximumLength: 4)
            Issue.record("five characters passed a limit of four")
        } catch let error as PatronError {
            #expect(error.message == "order 7: lines[0].sku: longer than 4 characters")
        }
    }

    @Test func theFieldIsWrittenOnlyForARefusal() throws {
        var asked = 0
        func field() -> String {
            asked += 1
            return "name"
        }
        try FreeText.check("fine", field: field(), maximumLength: 10, required: true)
        try FreeText.check(nil, field: field())
        #expect(asked == 0)
        #expect(throws: PatronError.self) { try FreeText.check("a\u{0}b", field: field()) }
        #expect(asked == 1)
    }

    /// A NUL is found wherever it is: in a small string kept inline, a long one on the heap, and one bridged from
    /// Foundation whose bytes may not be contiguous.
    @Test(arguments: ["\u{0}", "ab\u{0}", String(repeating: "x", count: 100) + "\u{0}", "顾客\u{0}顾客", "\u{0}" + String(repeating: "顾", count: 50)])
    func aNULIsRefusedWhereverItIs(text: String) {
        #expect(throws: PatronError.self) { try FreeText.check(text, field: "name") }
        #expect(throws: PatronError.self) { try FreeText.check(String(NSString(string: text)), field: "name") }
    }

    /// An event's and an order's ids and an identity's value are limited in characters too: 200 two-byte characters are
    /// within 200.
    @Test func idsAreLimitedInCharacters() throws {
        let placed = { (id: String, orderId: String) in
            OrderEvent(id: id, kind: .placed, orderId: orderId, occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
                order: Order(id: orderId, member: try! .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 100)]))
        }
        try placed(String(repeating: "é", count: 200), String(repeating: "顾", count: 128)).validate()
        #expect(throws: PatronError.self) { try placed(String(repeating: "é", count: 201), "O1").validate() }
        #expect(throws: PatronError.self) { try placed("e1", String(repeating: "顾", count: 129)).validate() }
        let returned = OrderEvent(id: "r1", kind: .returned, orderId: "O1", occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
            lines: [ReturnedLine(lineId: String(repeating: "é", count: 128), quantity: 1)])
        try returned.validate()
        #expect(try Identity(kind: "customer", value: String(repeating: "顾", count: 256)).value.count == 256)
        #expect(throws: PatronError.self) { try Identity(kind: "customer", value: String(repeating: "顾", count: 257)) }
    }
}
