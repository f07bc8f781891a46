import Foundation
import PatronCore
import PatronServices

/// The "Results" section of `/console/messages`: for a chosen period (the last 30, 90 or 365 days, a month or a range
/// of the shop's days) and attribution window, per kind and journey step, what became of the messages queued in it —
/// from `MessageStatsService`, the service `patron messages stats`, the API and the HTML report use, so the figures
/// agree. Rates are per message sent; instants are the shop's (the programme's time zone).
enum MessageResultsSection {
    /// The query parameters the section reads (the queue's filter form and pager carry them along).
    static let parameters = ["period", "month", "from", "to", "window"]

    /// The section for the request's `query`, and whether its period or window was refused (the page then answers 400
    /// and says why, beside the form).
    static func build(_ query: Form, _ page: StaffPage) async throws -> (model: MessagesPageModels.Results, refused: Bool) {
        let choice = query["period"].flatMap { $0.isEmpty ? nil : $0 } ?? "30"
        let windowText = query["window"].flatMap { $0.isEmpty ? nil : $0 }
        func form(error: String?) -> MessagesPageModels.ResultsForm {
            MessagesPageModels.ResultsForm(
                options: periodOptions(page, choice: choice), month: query["month"] ?? "", from: query["from"] ?? "", to: query["to"] ?? "",
                window: windowText ?? String(MessageStats.defaultWindowDays), maximumWindow: String(MessageStatsService.maximumWindowDays), error: error,
                hint: page.text("messages.results.hint", ["zone": page.formats.timeZone.identifier]))
        }
        guard let program = page.program?.program else {
            return (MessagesPageModels.Results(form: form(error: nil), table: nil, empty: page.text("messages.results.noProgram")), false)
        }
        var window = MessageStats.defaultWindowDays
        if let windowText {
            guard let value = Int(windowText), (1...MessageStatsService.maximumWindowDays).contains(value) else {
                let error = page.text("messages.results.badWindow", ["value": windowText, "max": String(MessageStatsService.maximumWindowDays)])
                return (MessagesPageModels.Results(form: form(error: error), table: nil, empty: nil), true)
            }
            window = value
        }
        let today = program.calendar.localDate(of: page.context.clock.now())
        let period: OverviewPeriod
        do {
            period = try OverviewPeriod.parse(period: choice, month: query["month"], from: query["from"], to: query["to"], today: today)
        } catch let error as PatronError where error.code == .invalidInput {
            return (MessagesPageModels.Results(form: form(error: page.text("messages.results.badPeriod") + " " + error.message), table: nil, empty: nil), true)
        }
        guard period.from <= today else {
            let error = page.text("messages.results.badPeriod") + " " + page.text("messages.results.future", ["day": page.formats.date(period.from)])
            return (MessagesPageModels.Results(form: form(error: error), table: nil, empty: nil), true)
        }
        let stats = try await MessageStatsService(context: page.context).stats(since: period.from, through: period.to, windowDays: window)
        return (MessagesPageModels.Results(form: form(error: nil), table: table(stats, page), empty: nil), false)
    }

    /// The figures of `stats` as the page shows them.
    static func table(_ stats: MessageStats, _ page: StaffPage) -> MessagesPageModels.ResultsTable {
        let f = page.formats
        let label = page.text(
            "messages.results.period", ["from": f.instant(stats.since), "to": f.instant(stats.until), "zone": f.timeZone.identifier])
        let note = page.text("messages.results.note", ["days": String(stats.windowDays)])
        return MessagesPageModels.ResultsTable(
            periodLabel: label, rows: stats.rows.map { row($0, page) }, total: row(stats.total, page), hasRows: !stats.rows.isEmpty,
            none: page.text("messages.results.none"), note: note)
    }

    /// One kind and step (or the total) with its counts and rates.
    static func row(_ row: MessageStats.Row, _ page: StaffPage) -> MessagesPageModels.ResultRow {
        let f = page.formats
        func rate(_ count: Int) -> String { row.sent == 0 ? "–" : f.percent(Double(count) / Double(row.sent)) }
        return MessagesPageModels.ResultRow(
            kind: row.kind.map { MessagesPages.label(page, "messages.kind.", $0.rawValue) } ?? page.text("messages.results.total"),
            kindKey: row.kind?.rawValue ?? "total", journey: row.journey ?? "", step: row.step.map { page.text("messages.results.step", ["n": String($0)]) } ?? "",
            queued: f.number(row.messages), sent: f.number(row.sent), delivered: f.number(row.delivered), bounced: f.number(row.bounced),
            suppressed: f.number(row.suppressed), opened: f.number(row.opened), openRate: rate(row.opened), clicked: f.number(row.clicked),
            clickRate: rate(row.clicked), unsubscribed: f.number(row.unsubscribed), unsubscribeRate: rate(row.unsubscribed), orders: f.number(row.orders),
            orderRate: rate(row.orders), revenue: f.money(row.revenue))
    }

    /// The period choices, as on the overview: the last 30, 90 or 365 days, a month, a custom range.
    static func periodOptions(_ page: StaffPage, choice: String) -> [MessagesPageModels.Option] {
        (OverviewPeriod.lastDays.map(String.init) + ["month", "custom"]).map { value in
            let label = Int(value).map { page.text("messages.results.last", ["n": String($0)]) } ?? page.text("messages.results.\(value)")
            return MessagesPageModels.Option(value: value, label: label, selected: value == choice)
        }
    }
}
