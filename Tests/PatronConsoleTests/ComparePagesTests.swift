import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The what-if page: a draft replayed against the orders, shown side by side; a bad draft's errors with their lines;
/// the full report in the page's language. Nothing is written.
@Suite struct ComparePagesTests {
    static let goldClub = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)

    /// Five members with orders of 100.00 to 500.00 USD two months ago, completed the next day.
    static func shop(_ console: ConsoleHarness) async throws {
        for index in 0..<5 {
            let order = Order(
                id: "o\(index)", member: try .customer("c\(index)"),
                lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: Int64(index + 1) * 10_000)])
            let at = console.clock.now().addingTimeInterval(-86_400 * Double(60 + index))
            _ = try await console.store.apply([.placed(order, at: at)], options: ApplyOptions(enrollUnknownMembers: true, history: true))[0].get()
            _ = try await console.store.apply([.completed("o\(index)", at: at.addingTimeInterval(86_400))], options: ApplyOptions(history: true))[0].get()
        }
    }

    @Test func aDraftIsComparedSideBySideInBothLanguagesAndNothingIsWritten() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let viewer = try await console.browser(.readOnly)
            let form = try await console.get("/console/program/compare?lang=en", as: viewer)
            #expect(form.status == 200)
            #expect(form.text.contains("Northwind Gold Club"), "the form starts from the programme in force")
            let audit = try await console.store.auditLog(after: 0, limit: 1_000, subject: nil).count
            // Gold from 300.00 instead of 750.00: the members with 300.00, 400.00 and 500.00 would move up.
            let draft = Self.goldClub.replacingOccurrences(of: "      threshold: \"750.00\"", with: "      threshold: \"300.00\"")
            let english = try await console.post("/console/program/compare?lang=en", [("source", draft), ("months", "6")], as: viewer)
            #expect(english.status == 200)
            for expected in ["Side by side", "Points from orders", "Expected cost", "Cost as % of sales", "Liability at the end", "Gold", "300.00", "750.00",
                "Members who would move up: 3", "Members who would move down: 0", "/console/program/compare/report"] {
                #expect(english.text.contains(expected), "missing \(expected)")
            }
            let chinese = try await console.post("/console/program/compare?lang=zh-Hans", [("source", draft), ("months", "6")], as: viewer)
            for expected in ["并列比较", "订单积分", "期末负债", "将升级的会员：3"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }
            #expect(try await console.store.programVersions().count == 1, "comparing loads nothing")
            #expect(try await console.store.auditLog(after: 0, limit: 1_000, subject: nil).count == audit, "comparing records nothing")
        }
    }

    @Test func thresholdsAloneAreTriedOnTheCurrentProgramme() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let viewer = try await console.browser(.readOnly)
            let answer = try await console.post("/console/program/compare?lang=en", [("source", ""), ("levels", "100, 200, 300"), ("months", "12")], as: viewer)
            #expect(answer.status == 200)
            #expect(answer.text.contains("Members who would move up: 5"), "every member clears a lower Silver threshold")
            let bad = try await console.post("/console/program/compare?lang=en", [("source", ""), ("levels", "300, 200, 100")], as: viewer)
            #expect(bad.status == 400)
            #expect(bad.text.contains("threshold 2 (200) must be greater than the one before it"))
        }
    }

    @Test func aBadDraftShowsEveryErrorWithItsLine() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let viewer = try await console.browser(.readOnly)
            let broken = Self.goldClub.replacingOccurrences(of: "currency: USD", with: "currency: XYZ")
                .replacingOccurrences(of: "  days: 30", with: "  days: -4")
            let answer = try await console.post("/console/program/compare?lang=en", [("source", broken), ("months", "12")], as: viewer)
            #expect(answer.status == 400)
            #expect(answer.text.contains("currency (line 3)"))
            #expect(answer.text.contains("pending.days (line"), "every problem is shown, not only the first")
            #expect(!answer.text.contains("id=\"comparison\""))
            let months = try await console.post("/console/program/compare?lang=en", [("source", Self.goldClub), ("months", "many")], as: viewer)
            #expect(months.status == 400)
            #expect(months.text.contains("not &#39;many&#39;") || months.text.contains("not 'many'") || months.text.contains("not &apos;many&apos;"))
        }
    }

    @Test func aStoreWithoutOrdersIsRefusedWithTheReason() async throws {
        try await ConsoleHarness.run { console in
            let viewer = try await console.browser(.readOnly)
            let answer = try await console.post("/console/program/compare?lang=en", [("source", Self.goldClub)], as: viewer)
            #expect(answer.status == 400)
            #expect(answer.text.contains("no orders to replay"))
        }
    }

    @Test func theFullReportDownloadsInThePagesLanguage() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let viewer = try await console.browser(.readOnly)
            let draft = Self.goldClub.replacingOccurrences(of: "      threshold: \"750.00\"", with: "      threshold: \"300.00\"")
            let chinese = try await console.post("/console/program/compare/report?lang=zh-Hans", [("source", draft), ("months", "12")], as: viewer)
            #expect(chinese.status == 200)
            #expect(chinese.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(chinese.text.contains("<html lang=\"zh-Hans\""))
            let english = try await console.post("/console/program/compare/report?lang=en", [("source", draft), ("months", "12")], as: viewer)
            #expect(english.text.contains("<html lang=\"en\""))
        }
    }
}
