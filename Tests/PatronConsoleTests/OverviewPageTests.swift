import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The overview page: figures from the kept aggregates for a chosen period, the model snapshot, both languages.
@Suite struct OverviewPageTests {
    /// Ann buys in January, February and March (returning one line in February); Bo buys once in February; an order
    /// of Bo's in March is cancelled. The harness's clock is 2 March 2026, 05:00 in New York.
    static func shop(_ console: ConsoleHarness) async throws {
        func order(_ id: String, _ customer: String, _ amounts: [Int64]) throws -> Order {
            Order(id: id, member: try .customer(customer), lines: amounts.enumerated().map { OrderLine(id: "\($0.offset + 1)", sku: "S\($0.offset)", quantity: 1, unitPrice: $0.element) })
        }
        let now = console.clock.now()
        let day = { (days: Double) in now.addingTimeInterval(-days * 86_400) }
        let events: [OrderEvent] = [
            .placed(try order("A1", "ann", [12_000]), at: day(45)),
            .placed(try order("A2", "ann", [5_000, 3_000]), at: day(20)),
            .placed(try order("B1", "bo", [40_000]), at: day(18)),
            .returned("A2", lines: [ReturnedLine(lineId: "2", quantity: 1)], at: day(15), id: "A2-return"),
            .placed(try order("A3", "ann", [7_000]), at: day(0.1)),
            .placed(try order("B2", "bo", [9_900]), at: day(0.1)),
            .cancelled("B2", at: day(0.05)),
        ]
        for event in events {
            _ = try await console.store.apply([event], options: ApplyOptions(enrollUnknownMembers: true, history: true))[0].get()
        }
    }

    @Test func theOverviewShowsThePeriodsFiguresInEnglishAndChinese() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            try await OverviewSnapshots.take(console.context)
            let analyst = try await console.browser(.analyst)
            let page = try await console.get("/console/?lang=en", as: analyst)
            #expect(page.status == 200)
            #expect(page.text.contains("Last 30 days"))
            // The last 30 days (1 February – 2 March): A2 (50.00 kept after the return), B1 and A3; B2 was cancelled.
            #expect(page.text.contains("3 orders, after returns"))
            #expect(page.text.contains("$520.00"))  // 50.00 + 400.00 + 70.00
            #expect(page.text.contains("id=\"figure-members\""))
            #expect(page.text.contains("id=\"rfm\""))
            #expect(page.text.contains("Computed at"))
            #expect(page.text.contains("<svg"), "the retention curve is drawn (January to March)")
            let chinese = try await console.get("/console/?lang=zh-Hans", as: analyst)
            #expect(chinese.status == 200)
            #expect(chinese.text.contains("概览") && chinese.text.contains("客户群模型") && chinese.text.contains("最近 30 天"))
            #expect(chinese.text.contains("3 笔订单"))
        }
    }

    @Test func aMonthAndACustomRangeCountOnlyTheirDays() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let analyst = try await console.browser(.analyst)
            let january = try await console.get("/console/?lang=en&period=month&month=2026-01", as: analyst)
            #expect(january.status == 200)
            #expect(january.text.contains("1 orders, after returns") && january.text.contains("$120.00"))
            #expect(january.text.contains("1 Jan 2026 – 31 Jan 2026"))
            let range = try await console.get("/console/?lang=en&period=custom&from=2026-02-01&to=2026-02-28", as: analyst)
            #expect(range.text.contains("2 orders, after returns") && range.text.contains("$450.00"))
            let overview = try await OverviewService.overview(
                console.context, period: try OverviewPeriod.parse(period: "custom", month: nil, from: "2026-02-01", to: "2026-02-28", today: LocalDate(year: 2026, month: 3, day: 2)!))
            #expect(overview.orders == 2 && overview.sales == 45_000 && overview.members == 2)
        }
    }

    @Test func aBadPeriodIsRefusedNamingTheParameter() async throws {
        try await ConsoleHarness.run { console in
            let analyst = try await console.browser(.analyst)
            let month = try await console.get("/console/?lang=en&period=month&month=2026-13", as: analyst)
            #expect(month.status == 400)
            #expect(month.text.contains("month: &#39;2026-13&#39; is not a month") || month.text.contains("month: '2026-13' is not a month"))
            let period = try await console.get("/console/?lang=en&period=7", as: analyst)
            #expect(period.status == 400 && period.text.contains("period:"))
            let backwards = try await console.get("/console/?lang=en&period=custom&from=2026-03-01&to=2026-02-01", as: analyst)
            #expect(backwards.status == 400 && backwards.text.contains("is after to"))
        }
    }

    @Test func anEmptyShopRendersWithoutErrors() async throws {
        try await ConsoleHarness.run { console in
            let analyst = try await console.browser(.analyst)
            for language in ["en", "zh-Hans"] {
                let page = try await console.get("/console/?lang=\(language)", as: analyst)
                #expect(page.status == 200)
                #expect(page.text.contains("id=\"figure-members\""))
            }
            try await OverviewSnapshots.take(console.context)
            let page = try await console.get("/console/?lang=en", as: analyst)
            #expect(page.status == 200)
            #expect(page.text.contains("No orders yet."))
        }
    }

    @Test func theSnapshotCountsActiveCustomersAndRepeatBuyers() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let snapshot = try await OverviewSnapshots.take(console.context)
            #expect(snapshot.customers == 2)
            #expect(snapshot.activeIn90Days == 2)
            #expect(snapshot.repeatPurchaseRate == 0.5)  // Ann bought on three days, Bo on one
            #expect(snapshot.rfmGrid.flatMap { $0 }.reduce(0, +) == 2)
            #expect(try await OverviewSnapshots.latest(console.context) == snapshot)
        }
    }
}
