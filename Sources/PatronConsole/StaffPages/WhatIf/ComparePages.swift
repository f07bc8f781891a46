import Foundation
import Hummingbird
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

/// The what-if page (permission `viewProgram`): a draft programme (or new level thresholds for the current one) is
/// replayed against the last months of orders by `ProgramComparisonService` and shown side by side with the current
/// programme; nothing is written. The full report (`patron program compare --html`) downloads in the page's language.
enum ComparePages {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/program/compare", .viewProgram) { _, page in
            let current = try await page.context.store.currentProgram()
            return render(page, ComparePageModels.Page(source: current?.source ?? "", months: "12", levels: "", problem: nil, details: [], summary: nil))
        }
        routes.staff(.post, "/console/program/compare", .viewProgram) { request, page in try await compare(request, page) }
        routes.staff(.post, "/console/program/compare/report", .viewProgram) { request, page in try await report(request, page) }
    }

    /// What the form asked for, read and checked.
    struct Fields: Sendable {
        let source: String
        let months: String
        let levels: String
    }

    static func fields(_ request: Request, _ page: StaffPage) async throws -> Fields {
        let form = try await page.form(request)
        return Fields(
            source: ProgramPages.normalised(form["source"] ?? ""), months: (form["months"] ?? "12").trimmingCharacters(in: .whitespaces),
            levels: (form["levels"] ?? "").trimmingCharacters(in: .whitespaces))
    }

    /// Runs the comparison the form asks for; a problem with the draft, the months or the thresholds is thrown as a
    /// `PatronError` naming it (a draft's errors carry their lines in `details`).
    static func run(_ asked: Fields, _ page: StaffPage) async throws -> ProgramComparison {
        guard let months = Int(asked.months) else {
            throw PatronError(.invalidInput, page.text("whatif.badMonths").replacingOccurrences(of: "{value}", with: asked.months))
        }
        var draft: Program
        if asked.source.allSatisfy(\.isWhitespace) {
            guard !asked.levels.isEmpty else { throw PatronError(.invalidInput, page.text("whatif.nothing")) }
            draft = try await page.context.currentProgram().program
        } else {
            draft = try ProgramFile.parse(asked.source)
        }
        if !asked.levels.isEmpty { draft = try ProgramComparisonService.withThresholds(draft, asked.levels) }
        return try await ProgramComparisonService(context: page.context).compare(draft: draft, options: .init(months: months))
    }

    static func compare(_ request: Request, _ page: StaffPage) async throws -> Response {
        let asked = try await fields(request, page)
        do {
            let comparison = try await run(asked, page)
            return render(page, .init(source: asked.source, months: asked.months, levels: asked.levels, problem: nil, details: [], summary: summary(comparison, page)))
        } catch let error as PatronError where [.invalidProgram, .invalidInput].contains(error.code) {
            return render(
                page, .init(source: asked.source, months: asked.months, levels: asked.levels, problem: error.message, details: error.details, summary: nil),
                status: .badRequest)
        }
    }

    /// The analytics-style HTML report, as `patron program compare --html` writes it, in the page's language. It is
    /// a download: the report carries its own style, which the console's pages do not allow inline.
    static func report(_ request: Request, _ page: StaffPage) async throws -> Response {
        let asked = try await fields(request, page)
        do {
            let comparison = try await run(asked, page)
            let html = comparison.html(language: page.language == .english ? .english : .chinese)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .contentDisposition: "attachment; filename=\"what-if-\(page.language.rawValue).html\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        } catch let error as PatronError where [.invalidProgram, .invalidInput].contains(error.code) {
            return render(
                page, .init(source: asked.source, months: asked.months, levels: asked.levels, problem: error.message, details: error.details, summary: nil),
                status: .badRequest)
        }
    }

    static func render(_ page: StaffPage, _ model: ComparePageModels.Page, status: HTTPResponse.Status = .ok) -> Response {
        page.render("staff/program/compare", title: page.text("whatif.title"), model, status: status)
    }

    static func summary(_ c: ProgramComparison, _ page: StaffPage) -> ComparePageModels.Summary {
        let f = page.formats
        func money(_ minor: Double) -> String { f.money(Int64(minor.rounded())) }
        func change(_ value: Int64) -> String { (value > 0 ? "+" : "") + f.number(value) }
        func changeMoney(_ value: Double) -> String { (value > 0.5 ? "+" : "") + money(value) }
        let (a, b) = (c.current, c.draft)
        func row(_ key: String, _ current: Int64, _ draft: Int64) -> ComparePageModels.Row {
            .init(label: page.text(key), current: f.points(current), draft: f.points(draft), change: change(draft - current))
        }
        func moneyRow(_ key: String, _ current: Double, _ draft: Double) -> ComparePageModels.Row {
            .init(label: page.text(key), current: money(current), draft: money(draft), change: changeMoney(draft - current))
        }
        let share: (Double?) -> String = { $0.map { f.percent($0, digits: 2) } ?? "–" }
        let sides = [
            row("whatif.orderPoints", a.orderPoints, b.orderPoints),
            row("whatif.otherPoints", a.otherPoints, b.otherPoints),
            row("whatif.issued", a.issued, b.issued),
            moneyRow("whatif.cost", a.expectedCost, b.expectedCost),
            .init(
                label: page.text("whatif.costShare"), current: share(a.costShareOfSales), draft: share(b.costShareOfSales),
                change: a.costShareOfSales.flatMap { x in b.costShareOfSales.map { y in (y >= x ? "+" : "") + f.decimal((y - x) * 100, digits: 2) + " pp" } } ?? "–"),
            row("whatif.outstanding", a.outstandingAtEnd, b.outstandingAtEnd),
            moneyRow("whatif.liability", a.liabilityAtEnd, b.liabilityAtEnd),
            row("whatif.breakage", a.breakagePoints, b.breakagePoints),
        ]
        let rules = c.rules.map { ComparePageModels.Row(label: $0.rule, current: f.points($0.current), draft: f.points($0.draft), change: change($0.change)) }
        let spend = c.levelMetric == "spend"
        let threshold: (Int64?) -> String = { value in value.map { spend ? f.money($0) : f.number($0) } ?? "–" }
        let levels = c.levels.map { level in
            ComparePageModels.LevelRow(
                level: level.level, currentThreshold: threshold(level.currentThreshold), draftThreshold: threshold(level.draftThreshold),
                currentMembers: f.number(level.currentMembers), draftMembers: f.number(level.draftMembers))
        }
        return .init(
            period: "\(c.from) – \(c.to)", orders: f.number(c.orders), sales: f.money(c.sales), redemption: f.percent(c.redemptionRate),
            sides: sides, rules: rules, levelRows: levels, hasLevels: !levels.isEmpty, movedUp: page.text("whatif.movedUp").replacingOccurrences(of: "{n}", with: f.number(c.movedUp)),
            movedDown: page.text("whatif.movedDown").replacingOccurrences(of: "{n}", with: f.number(c.movedDown)),
            warnings: c.warnings.map(\.message), hasWarnings: !c.warnings.isEmpty, notes: c.notes, ledgerMatches: c.ledgerCheck.matches,
            ledgerNumbers: page.text("whatif.ledgerNumbers").replacingOccurrences(of: "{ledger}", with: f.number(c.ledgerCheck.ledgerPoints))
                .replacingOccurrences(of: "{replay}", with: f.number(c.ledgerCheck.replayPoints))
                .replacingOccurrences(of: "{orders}", with: f.number(c.ledgerCheck.differingOrders)))
    }
}
