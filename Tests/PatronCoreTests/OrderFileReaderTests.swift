import Testing

@testable import PatronCore

@Suite struct OrderFileReaderTests {
    let usd = Currency(code: "USD")!

    /// The rows of `text`, each an order or a problem.
    func rows(_ text: String, _ format: OrderFileFormat) throws -> [Result<OrderRow, RowProblem>] {
        var reader = try OrderFileReader(format: format, currency: usd)
        return try reader.rows(in: text)
    }

    @Test func readsCDNOWsWhitespaceExportByPosition() throws {
        let format = OrderFileFormat(delimiter: .whitespace, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(4))
        let read = try rows(" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  5   77.00\r\n", format)
        #expect(read.count == 2)
        let row = try read[1].get()
        #expect(row.customer == "00002")
        #expect(row.date.description == "1997-01-12")
        #expect(row.amount == 7_700)
        #expect(row.orderId == "00002-19970112-3")
    }

    @Test func readsColumnsByHeaderName() throws {
        let format = OrderFileFormat(customer: .named("Customer"), orderId: .named("order"), date: .named("day"), dateFormat: "dd/MM/yyyy", amount: .named("cents"), amountUnit: .minor)
        let row = try rows("order,customer,day,cents\nA-1, \"c9\" ,31/12/2025,1999\n", format)[0].get()
        #expect(row.orderId == "A-1" && row.customer == "c9" && row.amount == 1_999 && row.date.description == "2025-12-31")
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        // A delimiter, a thousands separator, doubled quotes and a line break inside quotes; CRLF line ends.
        let text = "customer,name,date,amount\r\n\"Smith, J\",\"Jo \"\"JJ\"\" Smith\",2026-01-05,\"1,000.00\"\r\nc2,\"two\nlines\",2026-01-06,5.00\r\nc3,plain,2026-01-07,\"7.25\"\r\n"
        let read = try rows(text, OrderFileFormat(customer: .named("customer"), date: .named("date"), amount: .named("amount")))
        #expect(read.count == 3)
        let first = try read[0].get()
        #expect(first.customer == "Smith, J" && first.amount == 100_000 && first.line == 2)
        let second = try read[1].get()
        #expect(second.customer == "c2" && second.amount == 500 && second.line == 3)
        // The quoted line break carried record 2 over two lines: the next record starts on line 5.
        let third = try read[2].get()
        #expect(third.customer == "c3" && third.amount == 725 && third.line == 5)
    }

    @Test func aCommaWithoutADecimalPointIsRefusedNotReadAsThousands() throws {
        // `123,456` is 123.456 in a decimal-comma file and in KWD; reading it as 123456 would earn 1,000 times too much.
        let text = "customer;date;amount\nc1;2026-01-05;123,456\nc2;2026-01-05;\"1,234.50\"\n"
        var format = OrderFileFormat(customer: .named("customer"), date: .named("date"), amount: .named("amount"))
        format.delimiter = .semicolon
        let read = try rows(text, format)
        #expect(throws: RowProblem.self) { try read[0].get() }
        #expect(try read[1].get().amount == 123_450)
    }

    @Test func splittingKeepsEveryFieldAsWritten() {
        let records = DelimitedText(delimiter: .comma).records("a,\"b,c\",\"d \"\"e\"\"\",,\"\"\n\n  x , y \n")
        #expect(records.map { try? $0.get().fields } == [["a", "b,c", "d \"e\"", "", ""], ["x", "y"]])
        let semicolons = DelimitedText(delimiter: .semicolon).records("a;\"1;2\";3,50")
        #expect(semicolons.map { try? $0.get().fields } == [["a", "1;2", "3,50"]])
    }

    @Test func anUnclosedQuoteIsAProblemOnItsLine() {
        let records = DelimitedText(delimiter: .comma).records("a,b\nc,\"open\nd,e\n")
        guard case .failure(let problem)? = records.last else {
            Issue.record("expected a problem, got \(records)")
            return
        }
        #expect(problem.line == 2 && problem.message.contains("never closed"))
    }

    @Test func textAfterAClosingQuoteIsAProblemAndTheNextLineIsRead() {
        let records = DelimitedText(delimiter: .comma).records("\"a\"b,c\nd,e\n")
        #expect(records.count == 2)
        if case .failure(let problem) = records[0] { #expect(problem.line == 1) } else { Issue.record("expected a problem") }
        #expect((try? records[1].get().fields) == ["d", "e"])
    }

    @Test(arguments: [
        ("c1,20260230,10.00", "is not a date"),
        ("c1,2026-01-01,10.00", "is not a date"),
        ("c1,20260101,ten", "is not an amount"),
        ("c1,20260101,-4.00", "negative"),
        ("c1,20260101,99999999999999.00", "larger than"),
        ("c1,20260101", "fields"),
        (",20260101,1.00", "customer is empty"),
        ("c1,20260101,\"1,00.00\"", "is not an amount"),
    ])
    func badRowsSayWhatIsWrongWithTheirLine(text: String, problem: String) throws {
        let format = OrderFileFormat(hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(3))
        let read = try rows("c0,20260101,1.00\n" + text, format)
        guard case .failure(let failure)? = read.last else {
            Issue.record("expected a problem for \(text)")
            return
        }
        #expect(failure.line == 2)
        #expect(failure.message.contains(problem), "\(failure.message)")
    }

    @Test func aHeaderWithoutTheMappedColumnsIsRefusedUpFrontNamingEachMissingColumn() throws {
        let format = OrderFileFormat(customer: .named("client"), date: .named("date"), amount: .named("total"))
        do {
            _ = try rows("customer,date,amount\nc1,2026-01-01,1.00\n", format)
            Issue.record("the file must be refused")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("customer: 'client'") && error.message.contains("amount: 'total'") && !error.message.contains("date: 'date'"), "\(error.message)")
            #expect(error.message.contains("comma"), "\(error.message)")
        }
    }

    @Test func aDelimiterThatYieldsOneColumnIsRefusedNamingWhatTheLineUses() throws {
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), amount: .named("amount"))
        do {
            _ = try rows("customer;date;amount\nc1;2026-01-01;1,00\n", format)
            Issue.record("the file must be refused")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("1 column") && error.message.contains("comma") && error.message.contains("semicolons"), "\(error.message)")
        }
        // Without a header, by position, the same.
        #expect {
            try rows("c1;20260101;1.00\n", OrderFileFormat(hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(3)))
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        // And with the right delimiter it reads.
        let semicolons = OrderFileFormat(delimiter: .semicolon, customer: .named("customer"), date: .named("date"), amount: .named("amount"))
        #expect(try rows("customer;date;amount\nc1;2026-01-01;1.00\n", semicolons).count == 1)
    }

    @Test func aPositionBeyondTheFirstLineIsRefusedUpFront() {
        #expect {
            try rows("a,b,c\n", OrderFileFormat(hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(7)))
        } throws: { ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("column 7") == true }
    }

    @Test func datePatternsMustNameYearMonthAndDay() {
        #expect { try DatePattern("yyyy-MM") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect { try DatePattern("yyyy-MM-dd HH") } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }
}
