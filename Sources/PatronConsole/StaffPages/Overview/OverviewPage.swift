import Foundation
import Hummingbird
import Mustache
import PatronAnalytics
import PatronCore
import PatronServices

/// `/console/`: the programme at a glance for a chosen period (`OverviewService`, from the kept aggregates) and the
/// newest snapshot of the model-based parts (`OverviewSnapshots`).
enum OverviewPage {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/", .viewAnalytics, show)
        routes.staff(.get, "/console", .viewAnalytics, show)
    }

    struct Model: Sendable {
        let selector: Selector
        let periodLabel: String
        let error: String?
        let cards: [Card]
        /// Whether there are figures to show (mustache cannot test an array's first element).
        var hasFigures: Bool
        let levels: [Row]
        let revenueByLevel: [Row]
        let hasSnapshot: Bool
        let snapshotNote: String
        let rfm: [RFMRow]
        let rfmFHeaders: [String]
        let clvChart: String?
        let clvNote: String?
        let retentionChart: String?
        let redemptionNote: String?
    }

    struct Selector: Sendable {
        let options: [Option]
        let month: String
        let from: String
        let to: String
    }

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Card: Sendable {
        let id: String
        let label: String
        let value: String
        let note: String?
    }

    struct Row: Sendable {
        let name: String
        let value: String
        let share: String
    }

    struct RFMRow: Sendable {
        let r: String
        let cells: [Cell]
    }

    struct Cell: Sendable {
        let count: String
        let heat: String
    }

    static func show(_ request: Request, _ page: StaffPage) async throws -> Response {
        let title = page.text("overview.title")
        let query = request.uri.queryParameters
        let program = try await page.context.store.currentProgram()?.program
        guard let program else {
            return page.render("staff/overview/overview", title: title, empty(page, error: page.text("overview.noProgram")))
        }
        let today = program.calendar.localDate(of: page.context.clock.now())
        let period: OverviewPeriod
        do {
            period = try OverviewPeriod.parse(
                period: query.get("period"), month: query.get("month"), from: query.get("from"), to: query.get("to"), today: today)
        } catch let error as PatronError where error.code == .invalidInput {
            var model = empty(page, error: page.text("overview.badPeriod") + " " + error.message)
            model = Model(
                selector: selector(page, choice: query.get("period") ?? "", month: query.get("month"), from: query.get("from"), to: query.get("to")),
                periodLabel: "", error: model.error, cards: [], hasFigures: false, levels: [], revenueByLevel: [], hasSnapshot: false, snapshotNote: "", rfm: [],
                rfmFHeaders: [], clvChart: nil, clvNote: nil, retentionChart: nil, redemptionNote: nil)
            return page.render("staff/overview/overview", title: title, model, status: .badRequest)
        }
        let overview = try await OverviewService.overview(page.context, period: period)
        return page.render("staff/overview/overview", title: title, model(overview, page))
    }

    static func empty(_ page: StaffPage, error: String?) -> Model {
        Model(
            selector: selector(page, choice: "30", month: nil, from: nil, to: nil), periodLabel: "", error: error, cards: [], hasFigures: false, levels: [],
            revenueByLevel: [], hasSnapshot: false, snapshotNote: "", rfm: [], rfmFHeaders: [], clvChart: nil, clvNote: nil, retentionChart: nil,
            redemptionNote: nil)
    }

    static func selector(_ page: StaffPage, choice: String, month: String?, from: String?, to: String?) -> Selector {
        let values = OverviewPeriod.lastDays.map(String.init) + ["month", "custom"]
        return Selector(
            options: values.map { value in
                let label = Int(value).map { page.text("overview.period.last").replacingOccurrences(of: "{n}", with: String($0)) }
                    ?? page.text("overview.period.\(value)")
                return Option(value: value, label: label, selected: value == choice)
            }, month: month ?? "", from: from ?? "", to: to ?? "")
    }

    static func model(_ o: Overview, _ page: StaffPage) -> Model {
        let f = page.formats
        let choice: String
        var month: String?
        switch o.period.choice {
        case .last(let days): choice = String(days)
        case .month(let year, let number):
            choice = "month"
            month = String(format: "%04d-%02d", year, number)
        case .custom: choice = "custom"
        }
        let money = { (minor: Double) in f.money(Int64(minor.rounded())) }
        let percent = { (ratio: Double?) in ratio.map { f.percent($0) } ?? "—" }
        let snapshot = o.snapshot
        var cards = [
            Card(id: "members", label: page.text("overview.members"), value: f.number(o.members),
                 note: page.text("overview.newMembers").replacingOccurrences(of: "{n}", with: f.number(o.newMembers))),
            Card(id: "active90", label: page.text("overview.active90"), value: snapshot.map { f.number($0.activeIn90Days) } ?? "—",
                 note: snapshot.map { page.text("overview.ofCustomers").replacingOccurrences(of: "{n}", with: f.number($0.customers)) }),
            Card(id: "repeat", label: page.text("overview.repeatRate"), value: percent(snapshot?.repeatPurchaseRate), note: nil),
            Card(id: "sales", label: page.text("overview.sales"), value: f.money(o.sales),
                 note: page.text("overview.orders").replacingOccurrences(of: "{n}", with: f.number(o.orders))),
            Card(id: "liability", label: page.text("overview.liability"), value: money(o.liabilityMinor),
                 note: page.text("overview.liabilityPoints").replacingOccurrences(of: "{n}", with: f.points(o.liabilityPoints))),
            Card(id: "redemption", label: page.text("overview.redemptionRate"), value: percent(o.redemptionRate), note: nil),
            Card(id: "breakage", label: page.text("overview.breakageRate"), value: percent(o.breakageRate), note: nil),
            Card(id: "cost", label: page.text("overview.costShare"), value: percent(o.costShareOfSales), note: page.text("overview.costNote")),
        ]
        cards.append(
            Card(id: "points", label: page.text("overview.pointsMoved"), value: f.points(o.issued),
                 note: page.text("overview.pointsNote").replacingOccurrences(of: "{redeemed}", with: f.points(o.redeemed))
                    .replacingOccurrences(of: "{expired}", with: f.points(o.expired))))
        let members = max(o.members, 1)
        let levels = o.levels.map { row in
            Row(name: row.level ?? page.text("overview.noLevel"), value: f.number(row.members), share: f.percent(Double(row.members) / Double(members)))
        }
        var revenue: [Row] = []
        if let snapshot {
            let total = max(snapshot.revenueByLevel.values.reduce(0, +), 1)
            let order = o.levels.compactMap(\.level) + snapshot.revenueByLevel.keys.filter { key in !o.levels.contains { $0.level == key } && !key.isEmpty }.sorted()
                + [""]
            revenue = order.compactMap { level in
                guard let amount = snapshot.revenueByLevel[level] else { return nil }
                return Row(name: level.isEmpty ? page.text("overview.noLevel") : level, value: f.money(amount), share: f.percent(Double(amount) / Double(total)))
            }
        }
        var rfm: [RFMRow] = []
        var clvChart: String?, retentionChart: String?
        if let snapshot {
            let peak = max(snapshot.rfmGrid.flatMap { $0 }.max() ?? 0, 1)
            rfm = (1...5).reversed().map { r in
                RFMRow(r: String(r), cells: (1...5).map { f in
                    let count = snapshot.rfmGrid[r - 1][f - 1]
                    return Cell(count: page.formats.number(count), heat: "heat\(Int((Double(count) / Double(peak) * 4).rounded()))")
                })
            }
            if !snapshot.clvBuckets.isEmpty {
                let labels = snapshot.clvBuckets.map { bucket in
                    bucket.upper.map { "\(compactMoney(bucket.lower, f))–\(compactMoney($0, f))" } ?? "≥ \(compactMoney(bucket.lower, f))"
                }
                clvChart = SVGChart.bars(
                    labels: labels, values: snapshot.clvBuckets.map { Double($0.customers) }, xTitle: page.text("overview.clv.x"),
                    yTitle: page.text("overview.customers"), format: { f.number(Int64($0.rounded())) })
            }
            let months = snapshot.retention.suffix(24)
            if months.count >= 2 {
                retentionChart = SVGChart.line(
                    labels: months.map(\.month), values: months.map(\.retentionRate), maxY: 1, xTitle: page.text("overview.retention.x"),
                    yTitle: page.text("overview.retention.y"), format: { f.percent($0, digits: 0) })
            }
        }
        let snapshotNote = snapshot.map { page.text("overview.snapshotAt").replacingOccurrences(of: "{at}", with: f.instant($0.takenAt)) }
            ?? page.text("overview.noSnapshot")
        let clvNote = snapshot.flatMap { s in
            s.clvWithheld.map { page.text("overview.clv.withheld") + " " + $0 }
                ?? s.clvMean.map { page.text("overview.clv.mean").replacingOccurrences(of: "{amount}", with: money($0)) }
        }
        let redemptionNote = o.economics.map { economics in
            switch economics.redemption.source {
            case .history: page.text("overview.rate.history")
            case .given: page.text("overview.rate.given")
            default: page.text("overview.rate.typical").replacingOccurrences(of: "{months}", with: String(economics.redemption.programAgeMonths))
            }
        }
        return Model(
            selector: selector(page, choice: choice, month: month, from: o.period.from.description, to: o.period.to.description),
            periodLabel: "\(f.date(o.period.from)) – \(f.date(o.period.to))", error: nil, cards: cards, hasFigures: true, levels: levels, revenueByLevel: revenue,
            hasSnapshot: snapshot != nil, snapshotNote: snapshotNote, rfm: rfm, rfmFHeaders: (1...5).map(String.init), clvChart: clvChart,
            clvNote: clvNote, retentionChart: retentionChart, redemptionNote: redemptionNote)
    }

    /// An amount for a chart label: whole major units, thousands grouped.
    static func compactMoney(_ minor: Double, _ f: Formats) -> String {
        let perMajor = Double(f.currency?.minorPerMajor ?? 100)
        return f.money(Int64((minor / perMajor).rounded()) * Int64(perMajor)).replacingOccurrences(of: ".00", with: "")
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (`Mirror`, every field compared on every look-up at
// every level of the context stack); `TemplateLookupTests` checks that each answers every field as reflection would.
extension OverviewPage.Model: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "selector": return self.selector
        case "periodLabel": return self.periodLabel
        case "error": return self.error
        case "cards": return self.cards
        case "hasFigures": return self.hasFigures
        case "levels": return self.levels
        case "revenueByLevel": return self.revenueByLevel
        case "hasSnapshot": return self.hasSnapshot
        case "snapshotNote": return self.snapshotNote
        case "rfm": return self.rfm
        case "rfmFHeaders": return self.rfmFHeaders
        case "clvChart": return self.clvChart
        case "clvNote": return self.clvNote
        case "retentionChart": return self.retentionChart
        case "redemptionNote": return self.redemptionNote
        default: return nil
        }
    }
}

extension OverviewPage.Selector: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "options": return self.options
        case "month": return self.month
        case "from": return self.from
        case "to": return self.to
        default: return nil
        }
    }
}

extension OverviewPage.Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": return self.value
        case "label": return self.label
        case "selected": return self.selected
        default: return nil
        }
    }
}

extension OverviewPage.Card: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "label": return self.label
        case "value": return self.value
        case "note": return self.note
        default: return nil
        }
    }
}

extension OverviewPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "value": return self.value
        case "share": return self.share
        default: return nil
        }
    }
}

extension OverviewPage.RFMRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "r": return self.r
        case "cells": return self.cells
        default: return nil
        }
    }
}

extension OverviewPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "count": return self.count
        case "heat": return self.heat
        default: return nil
        }
    }
}
