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
}
