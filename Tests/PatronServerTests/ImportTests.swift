import Foundation
import PatronCore
import PatronFiles
import PatronServer
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// Where the shared CDNOW data sits: `shared/` beside the repository.
let cdnowFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/cdnow")

func temporaryStore(_ program: String, clock: ManualClock) async throws -> SQLStore {
    let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
    try await store.migrate()
    _ = try await store.loadProgram(try ProgramFile.parse(program), source: program)
    return store
}

let cdnowProgram = """
    name: CDNOW
    currency: USD
    timeZone: America/New_York
    earning: { points: 1, per: "1.00" }
    pending: { days: 30 }
    expiry: never
    """

let cdnowFormat = OrderFileFormat(delimiter: .whitespace, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(4))

@Suite struct ImportTests {
    // 69,659 orders: on PostgreSQL the write path is far slower (docs/benchmarks.md), so this runs on SQLite only; the
    // other import tests cover PostgreSQL.
    @Test(.disabled(if: TestDatabase.isPostgres, "the full CDNOW import is a SQLite throughput check"))
    func theCDNOWExportImportsAsItIs() async throws {
        let text = try String(contentsOf: cdnowFolder.appendingPathComponent("CDNOW_master.txt"), encoding: .utf8)
        let clock = ManualClock(ISO8601DateFormatter().date(from: "1998-08-01T00:00:00Z")!)
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let summary = try await OrderImporter(store: store).run(text, source: .delimited(cdnowFormat), strict: true)
        #expect(summary.rows == 69_659)
        #expect(summary.imported == 69_659)
        #expect(summary.enrolled == 23_570)
        #expect(summary.problems.isEmpty)
        let report = try await JobRunner(store: store, clock: clock).runOnce()
        #expect(report.activated.items == 69_659)
        let totals = try await store.totals()
        #expect(totals.members == 23_570)
        // 1 point per whole dollar of each order, floored per order.
        let expected = text.split(whereSeparator: \.isNewline).dropFirst().reduce(Int64(0)) { sum, line in
            let dollars = line.split(separator: " ")[3]
            return sum + (DecimalText.scaled(String(dollars), digits: 2)! / 100)
        }
        #expect(totals.active == expected)
        #expect(try await store.check().isEmpty)
        // Importing again is harmless.
        let firstLines = text.split(whereSeparator: \.isNewline).prefix(201).joined(separator: "\n")
        let again = try await OrderImporter(store: store).run(firstLines, source: .delimited(cdnowFormat), strict: true)
        #expect(again.rows == 200)
        #expect(again.imported == 0)
        #expect(again.alreadyPresent == 200)
    }

    @Test func badRowsAreReportedWithTheirLineAndTheRestGoesOn() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let text = "customer,date,amount\nc1,20260101,10.00\nc2,2026-01-01,5.00\nc3,20260102,abc\nc4,20260103,7.50\n"
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), dateFormat: "yyyyMMdd", amount: .named("amount"))
        let summary = try await OrderImporter(store: store).run(text, source: .delimited(format), strict: false)
        #expect(summary.imported == 2)
        #expect(summary.problems.count == 2)
        #expect(summary.problems[0].hasPrefix("line 3:") && summary.problems[1].hasPrefix("line 4:"))

        let strictStore = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let strict = try await OrderImporter(store: strictStore).run(text, source: .delimited(format), strict: true)
        #expect(strict.stoppedEarly && strict.imported == 0 && strict.problems.count == 2)
        #expect(try await strictStore.totals().orders == 0)
    }

    @Test func jsonLinesCarryFullOrderEvents() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let text = """
            {"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"email","value":"Zoe@Example.com"},"lines":[{"sku":"CD","quantity":2,"unitPrice":1250},{"sku":"DVD","quantity":1,"unitPrice":2000}]}}
            {"id":"e2","kind":"completed","orderId":"A1","occurredAt":"2026-01-07T10:00:00Z"}
            {"id":"e3","kind":"returned","orderId":"A1","occurredAt":"2026-01-09T10:00:00Z","lines":[{"lineId":"CD","quantity":1}]}
            {"id":"e4","kind":"placed","orderId":"A2","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A2","member":{"kind":"email","value":"nope"},"lines":[]}}
            not json
            """
        let summary = try await OrderImporter(store: store).run(text, source: .jsonLines, strict: false)
        #expect(summary.imported == 3)
        #expect(summary.problems.count == 2)
        #expect(summary.problems[0].contains("line 4") && summary.problems[0].contains("e-mail"))
        let zoe = try await store.member(identity: try Identity(kind: "email", value: "zoe@example.com"))
        // 45.00 earns 45 points; one of two CDs (12.50 of the 45.00 base) takes back floor(45 × 12.50 / 45.00) = 12.
        let pending: Int64? = zoe?.balances.pending
        #expect(pending == 33)
    }

    @Test func historyFromYearsBeforeTheIdempotencyWindowImportsAndAReimportAppliesItsReturnOnce() async throws {
        // Five years after the events: far outside the 30-day window that binds the API.
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(ISO8601DateFormatter().date(from: "2031-01-01T00:00:00Z")!))
        let text = """
            {"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"email","value":"zoe@example.com"},"lines":[{"sku":"CD","quantity":2,"unitPrice":1250},{"sku":"DVD","quantity":1,"unitPrice":2000}]}}
            {"id":"e2","kind":"completed","orderId":"A1","occurredAt":"2026-01-07T10:00:00Z"}
            {"id":"e3","kind":"returned","orderId":"A1","occurredAt":"2026-01-09T10:00:00Z","lines":[{"lineId":"CD","quantity":1}]}
            """
        let first = try await OrderImporter(store: store).run(text, source: .jsonLines, strict: true)
        #expect(first.imported == 3 && first.problems.isEmpty)
        let again = try await OrderImporter(store: store).run(text, source: .jsonLines, strict: true)
        #expect(again.imported == 0 && again.alreadyPresent == 3 && again.problems.isEmpty)
        let zoe = try await store.member(identity: try Identity(kind: "email", value: "zoe@example.com"))
        // 45 earned, 12 taken back once.
        #expect(zoe?.balances.pending == 33)
        #expect(try await store.check().isEmpty)
    }

    @Test func aReimportEnrollsNoOneAndCountsEveryRowAsAlreadyPresent() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let text = "customer,date,amount\nc1,20260101,10.00\nc2,20260102,5.00\nc1,20260103,7.50\n"
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), dateFormat: "yyyyMMdd", amount: .named("amount"))
        let first = try await OrderImporter(store: store).run(text, source: .delimited(format), strict: false)
        #expect(first.rows == 3 && first.imported == 3 && first.enrolled == 2 && first.alreadyPresent == 0)
        let again = try await OrderImporter(store: store).run(text, source: .delimited(format), strict: false)
        #expect(again.rows == 3 && again.imported == 0 && again.alreadyPresent == 3)
        #expect(again.enrolled == 0)
        #expect(again.problems.isEmpty)
        #expect(try await store.totals().members == 2)
    }

    @Test func aRowWhoseEventsAllFailIsListedOnce() async throws {
        let longId = String(repeating: "x", count: 129)
        let text = "order,customer,date,amount\nA1,c1,20260101,10.00\n\(longId),c2,20260102,5.00\n"
        let format = OrderFileFormat(customer: .named("customer"), orderId: .named("order"), date: .named("date"), dateFormat: "yyyyMMdd", amount: .named("amount"))
        for strict in [false, true] {
            let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
            let summary = try await OrderImporter(store: store).run(text, source: .delimited(format), strict: strict)
            #expect(summary.rows == 2)
            #expect(summary.problems.count == 1, "\(summary.problems)")
            #expect(summary.problems.first?.hasPrefix("line 3:") == true)
            #expect(summary.imported == (strict ? 0 : 1))
        }
    }

    @Test func aFileThatDoesNotFitTheMappingIsRefusedBeforeAnythingIsWritten() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), dateFormat: "yyyyMMdd", amount: .named("amount"))
        // Semicolons read with the comma: one column.
        await #expect {
            try await OrderImporter(store: store).run("customer;date;amount\nc1;20260101;10.00\n", source: .delimited(format), strict: false)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        // A header without the mapped columns: the data lines are not read as headers one after another.
        await #expect {
            try await OrderImporter(store: store).run("client,day,total\nc1,20260101,10.00\nc2,20260102,5.00\n", source: .delimited(format), strict: false)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(try await store.totals().orders == 0)
    }

    @Test func anImportWhereEveryRowIsRefusedSaysSo() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        // The right columns, the wrong date format: every row fails.
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), dateFormat: "dd/MM/yyyy", amount: .named("amount"))
        let summary = try await OrderImporter(store: store).run("customer,date,amount\nc1,20260101,10.00\nc2,20260102,5.00\n", source: .delimited(format), strict: false)
        #expect(summary.everyRowRefused)
        #expect(summary.problems.count == 2)
        let fine = try await OrderImporter(store: store).run("customer,date,amount\nc1,01/01/2026,10.00\nc2,2026,5.00\n", source: .delimited(format), strict: false)
        #expect(!fine.everyRowRefused)
    }

    @Test func quotedCSVFieldsImportAsWritten() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let text = "customer,date,amount\r\n\"Smith, J\",20260101,\"1,000.00\"\r\n"
        let format = OrderFileFormat(customer: .named("customer"), date: .named("date"), dateFormat: "yyyyMMdd", amount: .named("amount"))
        let summary = try await OrderImporter(store: store).run(text, source: .delimited(format), strict: true)
        #expect(summary.imported == 1 && summary.problems.isEmpty)
        let smith = try #require(try await store.member(identity: try .customer("Smith, J")))
        #expect(smith.balances.pending == 1_000)
    }

    @Test(arguments: [
        #"{"id":"e1","kind":"completed","orderId":"A1","occurredAt":"2026-01-07T10:00:00Z","note":"x"}"#,
        #"{"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"customer","value":"c"},"lines":[{"sku":"CD","quantity":1,"unitPrice":100,"colour":"red"}]}}"#,
        #"{"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"customer","value":"c","extra":1},"lines":[{"sku":"CD","quantity":1,"unitPrice":100}]}}"#,
        #"{"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"customer","value":"c"},"lines":[{"sku":"CD","quantity":1,"unitPrice":100}],"giftWrap":true}}"#,
        #"{"id":"e1","kind":"returned","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","lines":[{"lineId":"CD","quantity":1,"reason":"broken"}]}"#,
    ])
    func jsonLinesRefuseUnknownFieldsAsTheAPIDoes(line: String) async throws {
        let store = try await temporaryStore(cdnowProgram, clock: ManualClock(Date(timeIntervalSince1970: 0)))
        let summary = try await OrderImporter(store: store).run(line, source: .jsonLines, strict: false)
        #expect(summary.problems.count == 1)
        #expect(summary.problems.first?.contains("unknown field") == true, "\(summary.problems)")
        #expect(summary.imported == 0)
        // The same rule, decoded directly.
        #expect { try OrderEventJSON.decode(Data(line.utf8)) } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test func jsonLinesReadInstantsAsTheAPIDoes() throws {
        let withFraction = try OrderEventJSON.decode(Data(#"{"id":"e","kind":"completed","orderId":"A","occurredAt":"2026-01-07T18:00:00.250+08:00"}"#.utf8))
        #expect(abs(withFraction.occurredAt.timeIntervalSince1970 - 1_767_780_000.25) < 0.000_1)
    }
}
