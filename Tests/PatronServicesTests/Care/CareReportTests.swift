import Foundation
import PatronAnalytics
import PatronCore
import PatronStore
import Testing
@testable import PatronServices

/// The care report's arithmetic on hand-made tickets: SLA compliance, service-time percentiles, complaints per 1,000
/// orders, CSAT.
@Suite struct CareReportTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let settings = CareSettings.standard(timeZone: utc)

    /// 2026-03-02 (a Monday) or the next day, at `hour:minute` UTC.
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        ISO8601DateFormatter().date(from: String(format: "2026-03-%02dT%02d:%02d:00Z", day, hour, minute))!
    }

    static func ticket(
        _ id: Int64, _ category: TicketCategory, opened: Date, answered: Date?, resolved: Date?, status: TicketStatus
    ) -> Ticket {
        Ticket(
            id: id, memberId: id, category: category, priority: .urgent, status: status, source: .agent, channel: nil, subject: "s", body: "b",
            orderId: nil, redemptionId: nil, assignee: nil, openedBy: "agent", openedAt: opened, firstResponseAt: answered, resolvedAt: resolved,
            closedAt: status == .closed ? resolved : nil, reopenCount: 0, due: settings.dueTimes(category, .urgent, openedAt: opened), updatedAt: opened)
    }

    @Test("urgent targets (1 h answer, 4 h resolution in Monday–Friday 09–18 service time) judge four tickets: 1 met, 2 breached, 1 pending")
    func slaAndTimes() {
        let tickets = [
            Self.ticket(1, .productQuality, opened: Self.at(2, 10), answered: Self.at(2, 10, 20), resolved: Self.at(2, 12), status: .resolved),
            Self.ticket(2, .delivery, opened: Self.at(2, 10), answered: Self.at(2, 11, 30), resolved: Self.at(2, 13), status: .resolved),
            // Resolved the next morning: 8 h on Monday + 1 h on Tuesday = 540 service minutes.
            Self.ticket(3, .delivery, opened: Self.at(2, 10), answered: Self.at(2, 10, 40), resolved: Self.at(3, 10), status: .closed),
            Self.ticket(4, .price, opened: Self.at(3, 11, 50), answered: nil, resolved: nil, status: .open),
        ]
        let recovery = WinBackRecovery(offers: [], purchases: [], calendar: ShopCalendar(timeZone: Self.utc), asOfDay: 0)
        let report = CareReport(
            from: Self.at(2, 0), until: Self.at(3, 12), tickets: tickets, orders: 2_000, hours: Self.settings.hours,
            nps: NPSBreakdown(facts: [], calendar: ShopCalendar(timeZone: Self.utc)), csat: [5, 4, 2], recovery: recovery)
        #expect(report.tickets == 4)
        #expect(report.sla.met == 1 && report.sla.breached == 2 && report.sla.pending == 1)
        #expect(report.sla.compliance == 1.0 / 3)
        #expect(report.sla.firstResponseCompliance == 2.0 / 3)
        #expect(report.sla.resolutionCompliance == 2.0 / 3)
        #expect(report.firstResponseMinutes == CareReport.Distribution([20, 90, 40]))
        #expect(report.firstResponseMinutes.median == 40 && report.firstResponseMinutes.p90 == 90)
        #expect(report.resolutionMinutes.median == 180 && report.resolutionMinutes.p90 == 540)
        #expect(report.complaintsPerThousandOrders == 2)
        let rates = Dictionary(uniqueKeysWithValues: report.complaintsByCategory.map { ($0.category, $0.perThousandOrders) })
        #expect(rates[.delivery] == 1 && rates[.productQuality] == 0.5 && rates[.price] == 0.5 && rates[.other] == 0)
        #expect(report.complaintsByCategory.count == TicketCategory.allCases.count)
        #expect(report.csat.ratings == 3 && report.csat.average == 11.0 / 3 && report.csat.satisfiedShare == 2.0 / 3)
        #expect(report.nps.nps == nil)
    }

    @Test("percentiles are nearest-rank: the median of 1…10 is 5 and its p90 is 9; nothing gives none")
    func nearestRank() {
        let d = CareReport.Distribution((1...10).map(Double.init))
        #expect(d.median == 5 && d.p90 == 9 && d.count == 10)
        #expect(CareReport.Distribution([]).median == nil)
    }
}
