import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron care report`: SLA compliance, response and resolution times, complaints per 1,000 orders, NPS trend,
/// CSAT and win-back recovery.
struct CareReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The care report: SLA compliance, median and p90 response and resolution times, complaints per 1,000 orders, NPS trend, CSAT, recovery.")
    @Option(help: "The first day counted (yyyy-MM-dd, the program's time zone); default 90 days ago.") var from: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            var day: LocalDate?
            if let from {
                guard let parsed = LocalDate(iso: from) else { throw PatronError(.invalidInput, "--from '\(from)' is not a yyyy-MM-dd date") }
                day = parsed
            }
            let context = ServiceContext(store: try await store.open(), clock: try store.clock())
            let report = try await CareReportService(context: context, tickets: CareServices.ticketReader(context)).report(from: day)
            if json { return try printJSON(report) }
            let time = try await InstantFormat.of(context.store)
            print(CareText.report(report, time: time))
        }
    }
}

extension CareText {
    /// Minutes as `1 h 05 min`, or `–`.
    static func minutes(_ value: Double?) -> String {
        guard let value else { return "–" }
        let total = Int(value.rounded())
        return total >= 60 ? String(format: "%d h %02d min", total / 60, total % 60) : "\(total) min"
    }

    /// The care report as text.
    static func report(_ r: CareReport, time: InstantFormat) -> String {
        var lines = ["Care report \(time.text(r.from)) – \(time.text(r.until))", ""]
        lines.append("Tickets: \(grouped(r.tickets)); SLA met \(r.sla.met), breached \(r.sla.breached), still within target \(r.sla.pending)")
        lines.append("SLA compliance \(share(r.sla.compliance)) (first response \(share(r.sla.firstResponseCompliance)), resolution \(share(r.sla.resolutionCompliance)))")
        lines.append("First response (service time): median \(minutes(r.firstResponseMinutes.median)), p90 \(minutes(r.firstResponseMinutes.p90)) of \(r.firstResponseMinutes.count)")
        lines.append("Resolution (service time): median \(minutes(r.resolutionMinutes.median)), p90 \(minutes(r.resolutionMinutes.p90)) of \(r.resolutionMinutes.count)")
        var table = Table(["category", "tickets", "per 1,000 orders"], rightAligned: [1, 2])
        for c in r.complaintsByCategory { table.add([c.category.rawValue, grouped(c.tickets), c.perThousandOrders.map { String(format: "%.2f", $0) } ?? "–"]) }
        table.add(["all", grouped(r.tickets), r.complaintsPerThousandOrders.map { String(format: "%.2f", $0) } ?? "–"])
        lines.append("\nComplaints per 1,000 orders (\(grouped(r.orders)) orders)\n" + table.text)
        var trend = Table(["month", "answers", "NPS"], rightAligned: [1, 2])
        for g in r.npsTrend { trend.add([g.key, grouped(g.tally.answers), score(g.nps)]) }
        lines.append("\nNPS \(score(r.nps.nps)) from \(grouped(r.nps.tally.answers)) answers" + (r.npsTrend.isEmpty ? "" : "\n" + trend.text))
        lines.append("\nCSAT: \(r.csat.ratings) ratings, average \(r.csat.average.map { String(format: "%.2f", $0) } ?? "–"), satisfied (4–5) \(share(r.csat.satisfiedShare))")
        lines.append("Win-back: \(r.recovery.offers) offers, \(r.recovery.recovered) of \(r.recovery.decided) decided came back within 90 days (\(share(r.recovery.rate)))")
        for row in r.recoveryByCause { lines.append("  \(row.key): \(row.recovered) of \(row.decided) (\(share(row.rate)))") }
        return lines.joined(separator: "\n")
    }
}
