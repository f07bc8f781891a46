import Foundation
import Hummingbird
import PatronAnalytics
import PatronCore
import PatronServices
import PatronStore

/// `/console/care/satisfaction`: NPS of a chosen period (promoters, passives, detractors; by level, segment, cohort and
/// channel — `SurveyService.breakdown`, as `patron care surveys nps`), the monthly trend over the 12 months to the
/// period's end as a server-drawn SVG (PatronAnalytics' `SVGChart`), CSAT (mean and share of 4–5) and the latest
/// answers and ratings with their comments. Days are the shop's; the default period is the last 90 days, as the care
/// summary's. Reading needs `viewCare`.
enum SatisfactionPage {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/care/satisfaction", .viewCare) { request, page in try await show(request, page) }
    }

    /// How many answers and ratings the "latest" tables show.
    static let latestCount = 20

    /// The period of the page: the first and last day shown, in the shop's calendar.
    struct Period: Sendable, Equatable {
        let from: LocalDate
        let to: LocalDate

        /// The period of `from` and `to` (`yyyy-MM-dd`; empty or missing: the last 90 days to `today`). Throws
        /// `invalidInput` naming the field that is wrong.
        static func parse(from: String?, to: String?, today: LocalDate) throws -> Period {
            func day(_ text: String?, _ field: String) throws -> LocalDate? {
                guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
                guard let day = LocalDate(iso: text) else { throw PatronError(.invalidInput, "\(field): '\(text)' is not a day such as 2026-01-31") }
                return day
            }
            let end = try day(to, "to") ?? today
            let start = try day(from, "from") ?? end.adding(days: -90)
            guard start <= end else { throw PatronError(.invalidInput, "from: \(start) is after to (\(end))") }
            return Period(from: start, to: end)
        }
    }

    static func show(_ request: Request, _ page: StaffPage) async throws -> Response {
        let query = request.uri.queryParameters
        let title = page.text("care.sat.title")
        guard let program = try await page.context.store.currentProgram()?.program else {
            return page.error(.notFound, page.text("care.noProgram"))
        }
        let calendar = program.calendar
        let today = calendar.localDate(of: page.context.clock.now())
        let period: Period
        do {
            period = try Period.parse(from: query.get("from"), to: query.get("to"), today: today)
        } catch let error as PatronError where error.code == .invalidInput {
            let model = SatisfactionModel.refused(page, from: query.get("from") ?? "", to: query.get("to") ?? "", error: error.message)
            return page.render("staff/care/satisfaction", title: title, model, status: .badRequest)
        }
        let start = calendar.startOfDay(period.from), until = calendar.startOfDay(period.to.adding(days: 1))
        let surveys = SurveyService(context: page.context, followUp: nil)
        let firstMonth = LocalDate(year: period.to.year, month: period.to.month, day: 1)!.adding(months: -11)
        let (breakdown, trend) = try await surveys.breakdown(from: start, until: until, trendFrom: calendar.startOfDay(firstMonth))
        let ratings = try await CareReportService(context: page.context, tickets: CareServices.ticketReader(page.context)).ratings(from: start)
            .filter { $0.ratedAt < until }
        let latest = try await surveys.answers(from: start, until: until, limit: latestCount)
        let latestRatings = Array(ratings.sorted { ($0.ratedAt, $0.ticketId) > ($1.ratedAt, $1.ticketId) }.prefix(latestCount))
        let names = try await page.context.store.memberNames(ids: Set(latest.map(\.memberId) + latestRatings.compactMap(\.memberId)))
        let model = SatisfactionModel(
            page: page, period: period, surveysOn: program.care.surveys != nil, breakdown: breakdown, trend: trend, firstMonth: firstMonth,
            ratings: ratings, latest: latest, latestRatings: latestRatings, names: names)
        return page.render("staff/care/satisfaction", title: title, model)
    }
}

/// What `staff/care/satisfaction` shows, every value formatted in the page's language.
struct SatisfactionModel: Sendable {
    /// One NPS group as a table row.
    struct Group: Sendable {
        let key: String
        let answers: String
        let promoters: String
        let passives: String
        let detractors: String
        let nps: String
    }

    /// One breakdown table (by level, segment, cohort or channel).
    struct Breakdown: Sendable {
        let id: String
        let title: String
        let rows: [Group]
        let hasRows: Bool
    }

    /// One answered invitation.
    struct Answer: Sendable {
        let at: String
        let memberHref: String
        let member: String
        let orderId: String
        let score: Int
        let category: String
        let categoryKey: String
        let comment: String?
        let ticketHref: String?
        let ticketId: Int64?
    }

    /// One CSAT rating.
    struct Rating: Sendable {
        let at: String
        let ticketHref: String
        let ticketId: Int64
        let memberHref: String?
        let member: String?
        let score: Int
        let comment: String?
    }

    let tabs: [CarePageModels.Tab]
    let from: String
    let to: String
    let error: String?
    let hasFigures: Bool
    let periodLabel: String
    let surveysOff: Bool
    let nps: String
    let npsHint: String
    let split: String?
    let promoters: String
    let passives: String
    let detractors: String
    let csat: String
    let csatSatisfied: String
    let csatHint: String
    let breakdowns: [Breakdown]
    let trendTitle: String
    let trendChart: String?
    let trendRows: [Group]
    let hasTrendRows: Bool
    let latest: [Answer]
    let hasLatest: Bool
    let ratings: [Rating]
    let hasRatings: Bool
    let timeZone: String

    /// The page with only the period form and its error (the period could not be read).
    static func refused(_ page: StaffPage, from: String, to: String, error: String) -> SatisfactionModel {
        SatisfactionModel(
            tabs: CarePageModels.tabs(page, current: "satisfaction"), from: from, to: to, error: error, hasFigures: false, periodLabel: "",
            surveysOff: false, nps: "", npsHint: "", split: nil, promoters: "", passives: "", detractors: "", csat: "", csatSatisfied: "",
            csatHint: "", breakdowns: [], trendTitle: "", trendChart: nil, trendRows: [], latest: [], hasLatest: false, ratings: [],
            hasRatings: false, timeZone: page.formats.timeZone.identifier)
    }

    init(
        tabs: [CarePageModels.Tab], from: String, to: String, error: String?, hasFigures: Bool, periodLabel: String, surveysOff: Bool,
        nps: String, npsHint: String, split: String?, promoters: String, passives: String, detractors: String, csat: String,
        csatSatisfied: String, csatHint: String, breakdowns: [Breakdown], trendTitle: String, trendChart: String?, trendRows: [Group],
        latest: [Answer], hasLatest: Bool, ratings: [Rating], hasRatings: Bool, timeZone: String
    ) {
        self.tabs = tabs
        self.from = from
        self.to = to
        self.error = error
        self.hasFigures = hasFigures
        self.periodLabel = periodLabel
        self.surveysOff = surveysOff
        self.nps = nps
        self.npsHint = npsHint
        self.split = split
        self.promoters = promoters
        self.passives = passives
        self.detractors = detractors
        self.csat = csat
        self.csatSatisfied = csatSatisfied
        self.csatHint = csatHint
        self.breakdowns = breakdowns
        self.trendTitle = trendTitle
        self.trendChart = trendChart
        self.trendRows = trendRows
        hasTrendRows = !trendRows.isEmpty
        self.latest = latest
        self.hasLatest = hasLatest
        self.ratings = ratings
        self.hasRatings = hasRatings
        self.timeZone = timeZone
    }

    /// NPS as the page writes it: signed, whole (`+33`, `-100`, `0`); `–` without answers.
    static func score(_ value: Double?, _ f: Formats) -> String {
        guard let value else { return "–" }
        let text = f.decimal(value, digits: 0)
        return value.rounded() > 0 ? "+" + text : text
    }

    /// A count with its share of `total`: `3 (37.5%)`.
    static func share(_ count: Int, of total: Int, _ f: Formats) -> String {
        total == 0 ? f.number(count) : "\(f.number(count)) (\(f.percent(Double(count) / Double(total))))"
    }

    static func group(_ g: NPSGroup, key: String, _ f: Formats) -> Group {
        Group(
            key: key, answers: f.number(g.tally.answers), promoters: share(g.tally.promoters, of: g.tally.answers, f),
            passives: share(g.tally.passives, of: g.tally.answers, f), detractors: share(g.tally.detractors, of: g.tally.answers, f),
            nps: score(g.nps, f))
    }

    /// The promoters / passives / detractors split as a bar: an inline SVG (the console's CSP allows no style
    /// attributes), widths in per cent of the answers.
    static func split(_ tally: NPSTally, _ label: String) -> String? {
        guard tally.answers > 0 else { return nil }
        var x = 0.0, rects = ""
        for (count, css) in [(tally.promoters, "promoters"), (tally.passives, "passives"), (tally.detractors, "detractors")] where count > 0 {
            let width = Double(count) * 100 / Double(tally.answers)
            rects += "<rect x=\"\(String(format: "%.2f", x))\" y=\"0\" width=\"\(String(format: "%.2f", width))\" height=\"10\" class=\"\(css)\"></rect>"
            x += width
        }
        return "<svg class=\"nps-split\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\(rects)</svg>"
    }

    init(
        page: StaffPage, period: SatisfactionPage.Period, surveysOn: Bool, breakdown: NPSBreakdown, trend: [NPSGroup], firstMonth: LocalDate,
        ratings: [CSATRating], latest: [SurveyInvitation], latestRatings: [CSATRating], names: [Int64: String]
    ) {
        let f = page.formats
        let none = page.text("care.sat.none")
        let tally = breakdown.overall.tally
        let csatSummary = CareReport.CSATSummary(scores: ratings.map(\.score))
        func named(_ key: String) -> String { key == NPSBreakdown.none ? none : key }
        let breakdowns = [
            ("by-level", "care.sat.by.level", breakdown.byLevel), ("by-segment", "care.sat.by.segment", breakdown.bySegment),
            ("by-cohort", "care.sat.by.cohort", breakdown.byCohort), ("by-channel", "care.sat.by.channel", breakdown.byChannel),
        ].map { id, key, groups in
            Breakdown(id: id, title: page.text(key), rows: groups.map { Self.group($0, key: named($0.key), f) }, hasRows: !groups.isEmpty)
        }
        // The trend: every month of the 12, a gap where nobody answered.
        let months = (0..<12).map { firstMonth.adding(months: $0) }.map { String(format: "%04d-%02d", $0.year, $0.month) }
        let byMonth = Dictionary(uniqueKeysWithValues: trend.map { ($0.key, $0) })
        var chart: String?
        if byMonth.count >= 2 {
            chart = SVGChart.line(
                labels: months, values: months.map { byMonth[$0]?.nps }, minY: -100, maxY: 100, xTitle: page.text("care.sat.trend.x"),
                yTitle: page.text("care.sat.trend.y"), format: { Self.score($0, f) })
        }
        let answersText = page.text("care.sat.answers", ["count": f.number(tally.answers)])
        self.init(
            tabs: CarePageModels.tabs(page, current: "satisfaction"), from: period.from.description, to: period.to.description, error: nil,
            hasFigures: true, periodLabel: "\(f.date(period.from)) – \(f.date(period.to))", surveysOff: !surveysOn,
            nps: Self.score(tally.score, f), npsHint: answersText, split: Self.split(tally, answersText),
            promoters: Self.share(tally.promoters, of: tally.answers, f), passives: Self.share(tally.passives, of: tally.answers, f),
            detractors: Self.share(tally.detractors, of: tally.answers, f),
            csat: csatSummary.average.map { f.decimal($0, digits: 2) } ?? "–", csatSatisfied: csatSummary.satisfiedShare.map { f.percent($0) } ?? "–",
            csatHint: page.text("care.sat.ratings", ["count": f.number(csatSummary.ratings)]), breakdowns: breakdowns,
            trendTitle: page.text("care.sat.trend.hint", ["from": months.first ?? "", "to": months.last ?? ""]), trendChart: chart,
            trendRows: months.compactMap { month in byMonth[month].map { Self.group($0, key: month, f) } },
            latest: latest.map { invitation in
                let score = invitation.score ?? 0
                let category = NPSCategory(score: score)
                return Answer(
                    at: invitation.answeredAt.map(f.instant) ?? "", memberHref: "/console/members/\(invitation.memberId)",
                    member: "#\(invitation.memberId)" + (names[invitation.memberId].map { " " + $0 } ?? ""), orderId: invitation.orderId, score: score,
                    category: page.text("care.sat.category.\(category.rawValue)"), categoryKey: category.rawValue, comment: invitation.comment,
                    ticketHref: invitation.ticketId.map { "/console/care/tickets/\($0)" }, ticketId: invitation.ticketId)
            },
            hasLatest: !latest.isEmpty,
            ratings: latestRatings.map { rating in
                Rating(
                    at: f.instant(rating.ratedAt), ticketHref: "/console/care/tickets/\(rating.ticketId)", ticketId: rating.ticketId,
                    memberHref: rating.memberId.map { "/console/members/\($0)" },
                    member: rating.memberId.map { id in "#\(id)" + (names[id].map { " " + $0 } ?? "") }, score: rating.score, comment: rating.comment)
            },
            hasRatings: !latestRatings.isEmpty, timeZone: f.timeZone.identifier)
    }
}
