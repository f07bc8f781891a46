import Foundation
import Hummingbird
import PatronAnalytics
import PatronCore
import PatronServices
import PatronStore

/// The marketing pages (permission `marketing`): `/console/marketing` lists segments and campaigns; a segment's
/// preview (count, shares, a sample) comes from `SegmentService.preview`; a campaign's page shows its report from
/// `CampaignService.report` and offers the lifecycle steps its status allows, each confirmed and audited with the
/// signed-in account as actor. A refused step is shown with its reason and changes nothing.
enum MarketingPages {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/marketing", .marketing) { _, page in try await index(page) }
        routes.staff(.get, "/console/marketing/segments/{name}", .marketing) { _, page in try await segment(page) }
        routes.staff(.get, "/console/marketing/campaigns/{name}", .marketing) { _, page in try await campaign(page, refusal: nil) }
        routes.staff(.post, "/console/marketing/campaigns/{name}/{step}", .marketing) { request, page in try await step(request, page) }
    }

    /// The steps offered on the page, in the order they are shown; `schedule` stays with the command line and the API.
    static let steps: [CampaignTransition] = [.start, .pause, .resume, .finish, .cancel]

    static func index(_ page: StaffPage) async throws -> Response {
        let segments = try await SegmentService(context: page.context).list().map { record in
            MarketingPageModels.SegmentRow(
                name: record.name, href: href("segments", record.name), kind: page.text("marketing.kind.\(record.kind.rawValue)"),
                description: record.definition.description, members: page.formats.number(record.memberCount),
                refreshedAt: record.refreshedAt.map(page.formats.instant) ?? page.text("marketing.never"))
        }
        let campaigns = try await CampaignService(context: page.context).list().map { record in
            MarketingPageModels.CampaignRow(
                name: record.campaign.name, href: href("campaigns", record.campaign.name), segment: record.campaign.segment,
                window: window(record.campaign, page), status: page.text("marketing.status.\(record.status.rawValue)"),
                statusKey: record.status.rawValue, budget: budget(record, page))
        }
        return page.render("staff/marketing/index", title: page.text("marketing.title"), MarketingPageModels.Index(segments: segments, campaigns: campaigns))
    }

    static func segment(_ page: StaffPage) async throws -> Response {
        guard let name = page.parameter("name") else { return page.error(.notFound, page.text("marketing.noSuchSegment")) }
        let service = SegmentService(context: page.context)
        let summary: SegmentSummary
        let preview: SegmentPreview
        do {
            summary = try await service.summary(name)
            preview = try await service.preview(name, sample: 20)
        } catch let error as PatronError where error.code == .notFound {
            return page.error(.notFound, page.text("marketing.noSuchSegment"))
        }
        let f = page.formats
        let sample = preview.sample.map { member in
            MarketingPageModels.SampleMember(
                id: member.id, name: member.profile.name ?? "–", identities: member.identities.map(\.description).joined(separator: ", "))
        }
        let model = MarketingPageModels.SegmentPreview(
            name: summary.name, kind: page.text("marketing.kind.\(summary.kind)"), description: summary.description, condition: summary.where,
            count: f.number(preview.count), members: f.number(preview.members), memberShare: f.percent(preview.memberShare),
            revenue: f.money(preview.revenue12Months), totalRevenue: f.money(preview.totalRevenue12Months), revenueShare: f.percent(preview.revenueShare),
            sample: sample)
        return page.render("staff/marketing/segment", title: "\(page.text("marketing.segment")) \(summary.name)", model)
    }

    static func campaign(_ page: StaffPage, refusal: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let name = page.parameter("name") else { return page.error(.notFound, page.text("marketing.noSuchCampaign")) }
        let report: CampaignReport
        do {
            report = try await CampaignService(context: page.context).report(name)
        } catch let error as PatronError where error.code == .notFound {
            return page.error(.notFound, page.text("marketing.noSuchCampaign"))
        }
        let f = page.formats
        let record = report.campaign, c = record.campaign, u = report.uplift
        func money(_ minor: Double) -> String { minor.isFinite ? f.money(Int64(minor.rounded())) : (minor < 0 ? "−∞" : "+∞") }
        func signed(_ text: String, _ value: Double) -> String { value > 0 ? "+" + text : text }
        func interval(_ i: UpliftInterval, _ show: (Double) -> String) -> String { "\(signed(show(i.lower), i.lower)) – \(signed(show(i.upper), i.upper))" }
        let decimal: (Double) -> String = { f.decimal($0, digits: 1) }
        let rows = [
            MarketingPageModels.GroupRow(label: page.text("marketing.report.members"), treated: f.number(u.treated.members), control: f.number(u.control.members)),
            .init(label: page.text("marketing.report.buyers"), treated: f.percent(u.treated.buyerRate), control: f.percent(u.control.buyerRate)),
            .init(label: page.text("marketing.report.orders"), treated: f.number(u.treated.orders), control: f.number(u.control.orders)),
            .init(
                label: page.text("marketing.report.ordersPerMember"), treated: f.decimal(u.treated.ordersPerMember, digits: 3),
                control: f.decimal(u.control.ordersPerMember, digits: 3)),
            .init(label: page.text("marketing.report.revenue"), treated: f.money(u.treated.revenue), control: f.money(u.control.revenue)),
            .init(label: page.text("marketing.report.revenuePerMember"), treated: money(u.treated.revenuePerMember), control: money(u.control.revenuePerMember)),
        ]
        let costPerOrder = u.costPerIncrementalOrder.map(money)
            ?? page.text(u.control.members == 0 ? "marketing.report.noControl" : "marketing.report.noIncrement")
        let allowed = steps.filter { (try? $0.apply(to: record.status, campaign: c.name)) != nil }
        let model = MarketingPageModels.Campaign(
            name: c.name, href: href("campaigns", c.name), description: c.description, segment: c.segment, segmentHref: href("segments", c.segment),
            status: page.text("marketing.status.\(record.status.rawValue)"), statusKey: record.status.rawValue, window: window(c, page),
            attribution: f.date(c.attributionEnds), holdout: f.percent(Double(c.holdoutBasisPoints) / 10_000, digits: 2), budget: budget(record, page),
            counted: report.complete ? page.text("marketing.report.complete") : page.text("marketing.report.until") + " " + f.instant(report.until),
            rows: rows, incrementalOrders: signed(decimal(u.incrementalOrders.estimate), u.incrementalOrders.estimate),
            incrementalOrdersInterval: interval(u.incrementalOrders, decimal),
            incrementalRevenue: signed(money(u.incrementalRevenue.estimate), u.incrementalRevenue.estimate),
            incrementalRevenueInterval: interval(u.incrementalRevenue, money), significant: u.incrementalRevenue.isSignificant,
            costPerOrder: costPerOrder, pointsCost: f.points(u.pointsCost) + (u.pointsCostValue.map { " (\(f.money($0)))" } ?? ""),
            couponCost: f.money(u.couponCost), method: report.method, warnings: u.warnings, messagesWaiting: report.messagesWaiting,
            steps: allowed.map { step in
                MarketingPageModels.Step(
                    step: step.rawValue, label: page.text("marketing.step.\(step.rawValue)"),
                    confirm: page.text("marketing.confirm.\(step.rawValue)").replacingOccurrences(of: "{name}", with: c.name),
                    danger: step == .cancel || step == .finish)
            }, canChange: !allowed.isEmpty, refusal: refusal)
        return page.render("staff/marketing/campaign", title: "\(page.text("marketing.campaign")) \(c.name)", model, status: status)
    }

    static func step(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let name = page.parameter("name") else { return page.error(.notFound, page.text("marketing.noSuchCampaign")) }
        guard let step = page.parameter("step").flatMap(CampaignTransition.init(rawValue:)), steps.contains(step) else {
            return page.error(.notFound, page.text("marketing.noSuchStep"))
        }
        let form = try await page.form(request)
        guard form["confirm"] == "yes" else {
            return try await campaign(page, refusal: page.text("marketing.confirmRequired"), status: .badRequest)
        }
        do {
            _ = try await CampaignService(context: page.context).transition(name, step, actor: page.actor)
        } catch let error as PatronError where error.code == .invalidTransition {
            return try await campaign(page, refusal: error.message, status: .conflict)
        } catch let error as PatronError where error.code == .notFound {
            return page.error(.notFound, page.text("marketing.noSuchCampaign"))
        }
        let notice = page.text("marketing.done.\(step.rawValue)").replacingOccurrences(of: "{name}", with: name)
        return page.redirect(href("campaigns", name), notice: notice)
    }

    /// `/console/marketing/<kind>/<name>`, the name percent-encoded as one path segment.
    static func href(_ kind: String, _ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return "/console/marketing/\(kind)/" + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }

    static func window(_ campaign: MarketingCampaign, _ page: StaffPage) -> String {
        "\(page.formats.date(campaign.starts)) – \(page.formats.date(campaign.ends))"
    }

    /// Points and money spent against the budgets (`–` for a budget the campaign does not set).
    static func budget(_ record: CampaignRecord, _ page: StaffPage) -> String {
        let f = page.formats
        var parts: [String] = []
        if let points = record.campaign.pointsBudget {
            parts.append("\(f.points(record.pointsSpent)) / \(f.points(points))")
        } else if record.pointsSpent > 0 {
            parts.append(f.points(record.pointsSpent))
        }
        if let money = record.campaign.moneyBudget {
            parts.append("\(f.money(record.moneySpent)) / \(f.money(money))")
        } else if record.moneySpent > 0 {
            parts.append(f.money(record.moneySpent))
        }
        return parts.isEmpty ? page.text("marketing.noBudget") : parts.joined(separator: " · ")
    }
}
