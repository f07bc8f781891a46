import Testing
@testable import PatronAnalytics

@Suite struct CSVWriterTests {
    @Test func fieldsWithCommasQuotesAndLineBreaksAreQuotedAsRFC4180Says() {
        var csv = CSVWriter(header: ["customer", "value"])
        csv.add([.text("Smith, J"), CSVWriter.number(1.5)])
        csv.add([.text("say \"hi\""), CSVWriter.number(2)])
        csv.add([.text("two\nlines"), CSVWriter.number(nil)])
        #expect(csv.text == "customer,value\r\n\"Smith, J\",1.5\r\n\"say \"\"hi\"\"\",2\r\n\"two\nlines\",\r\n")
    }

    @Test func textThatASpreadsheetWouldRunAsAFormulaIsNeutralised() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let id = start + "HYPERLINK(\"http://x\")"
            let written = CSVWriter.escape(.text(id))
            #expect(written.hasPrefix("\"'" + start) || written.hasPrefix("'" + start), "\(id.debugDescription) → \(written)")
        }
        #expect(CSVWriter.escape(.text("=1+2")) == "'=1+2")
        #expect(CSVWriter.escape(.text("-5")) == "'-5")         // text from data: neutralised
        #expect(CSVWriter.escape(CSVWriter.number(-5.25)) == "-5.25")  // a number stays a number
        #expect(CSVWriter.escape(.text("C1")) == "C1")
        #expect(CSVWriter.number(.nan) == .number("") && CSVWriter.number(.infinity) == .number(""))
    }
}
