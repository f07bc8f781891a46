import Testing

@testable import PatronCore

@Suite struct OrderFileReaderTests {
    let usd = Currency(code: "USD")!

    @Test func readsCDNOWsWhitespaceExportByPosition() throws {
        let format = OrderFileFormat(delimiter: .whitespace, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(4))
        var reader = try OrderFileReader(format: format, currency: usd)
        #expect(reader.read(" customer_id  date number_of_cds  dollar_value", line: 1) == nil)
        let row = try reader.read(" 00002 19970112  5   77.00", line: 3)!.get()
        #expect(row.customer == "00002")
        #expect(row.date.description == "1997-01-12")
        #expect(row.amount == 7_700)
        #expect(row.orderId == "00002-19970112-3")
    }

    @Test func readsColumnsByHeaderName() throws {
        let format = OrderFileFormat(customer: .named("Customer"), orderId: .named("order"), date: .named("day"), dateFormat: "dd/MM/yyyy", amount: .named("cents"), amountUnit: .minor)
        var reader = try OrderFileReader(format: format, currency: usd)
        #expect(reader.read("order,customer,day,cents", line: 1) == nil)
        let row = try reader.read("A-1, \"c9\" ,31/12/2025,1999", line: 2)!.get()
        #expect(row.orderId == "A-1" && row.customer == "c9" && row.amount == 1_999 && row.date.description == "2025-12-31")
    }

    @Test(arguments: [
        ("c1,20260230,10.00", "is not a date"),
        ("c1,2026-01-01,10.00", "is not a date"),
        ("c1,20260101,ten", "is not an amount"),
        ("c1,20260101,-4.00", "negative"),
        ("c1,20260101,99999999999999.00", "larger than"),
        ("c1,20260101", "fields"),
        (",20260101,1.00", "customer is empty"),
    ])
    func badRowsSayWhatIsWrongWithTheirLine(text: String, problem: String) throws {
        var reader = try OrderFileReader(
            format: OrderFileFormat(hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(3)),
            currency: usd)
        guard case .failure(let failure)? = reader.read(Substring(text), line: 7) else {
            Issue.record("expected a problem for \(text)")
            return
        }
        #expect(failure.line == 7)
        #expect(failure.message.contains(problem), "\(failure.message)")
    }

    @Test func anUnknownHeaderNameIsReported() throws {
        var reader = try OrderFileReader(format: OrderFileFormat(customer: .named("client"), date: .named("date"), amount: .named("amount")), currency: usd)
        guard case .failure(let failure)? = reader.read("customer,date,amount", line: 1) else {
            Issue.record("expected a problem")
            return
        }
        #expect(failure.message.contains("client"))
    }

    @Test func datePatternsMustNameYearMonthAndDay() {
        #expect { try DatePattern("yyyy-MM") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect { try DatePattern("yyyy-MM-dd HH") } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }
}
