import Foundation
import PatronCore
import PatronServices
import PatronStore

/// What the care templates show: every value already formatted in the page's language and the shop's time zone.
enum CarePageModels {
    /// One tab of the care pages: the queue, satisfaction, win-back.
    struct Tab: Sendable {
        let href: String
        let label: String
        let current: Bool
    }

    /// The care pages' tabs, `current` (`queue`, `satisfaction`, `winback`) marked.
    static func tabs(_ page: StaffPage, current: String) -> [Tab] {
        [("queue", "/console/care"), ("satisfaction", "/console/care/satisfaction"), ("winback", "/console/care/winback")].map { key, href in
            Tab(href: href, label: page.text("care.tab.\(key)"), current: key == current)
        }
    }

    /// One choice of a filter or a form's select.
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// A due time and whether it is late (or near) now.
    struct Due: Sendable {
        let text: String
        let late: Bool
        let near: Bool
        /// Met: answered or resolved in time.
        let met: Bool
    }

    /// One ticket of the queue (and of a member's other tickets).
    struct Row: Sendable {
        let id: Int64
        let href: String
        let subject: String
        let memberId: Int64
        let memberHref: String
        let category: String
        let priority: String
        let priorityKey: String
        let status: String
        let statusKey: String
        let assignee: String
        let opened: String
        let firstResponse: Due
        let resolution: Due
        let paused: Bool
    }

    /// One figure of the care summary.
    struct Figure: Sendable {
        let label: String
        let value: String
        let hint: String
    }

    /// Open tickets of one category.
    struct CategoryCount: Sendable {
        let category: String
        let count: String
    }

    /// The care summary above the queue (the care report's last 90 days, and what is open now).
    struct Summary: Sendable {
        let figures: [Figure]
        let openByCategory: [CategoryCount]
        let period: String
    }

    /// `/console/care`.
    struct Queue: Sendable {
        let tabs: [Tab]
        let rows: [Row]
        let hasRows: Bool
        let truncated: Bool
        let summary: Summary
        let statuses: [Option]
        let categories: [Option]
        let priorities: [Option]
        let dues: [Option]
        let assignee: String
        let timeZone: String
    }

    /// One entry of a ticket's thread: a note (internal or to the member) or a change.
    struct Entry: Sendable {
        let at: String
        let actor: String
        let text: String
        let isNote: Bool
        let toMember: Bool
        let kind: String
    }

    /// A compensation on the ticket.
    struct CompensationRow: Sendable {
        let id: Int64
        let what: String
        let status: String
        let statusKey: String
        let note: String
        let requestedBy: String
        let requestedAt: String
        let overCap: String?
        let decidedBy: String?
        let pending: Bool
    }

    /// `/console/care/tickets/{id}`.
    struct TicketPage: Sendable {
        let id: Int64
        let href: String
        let subject: String
        let body: String
        let row: Row
        let member: String
        let source: String
        let channel: String?
        let orderId: String?
        let reopened: String?
        let firstResponseAt: String?
        let resolvedAt: String?
        let waitingSince: String?
        let thread: [Entry]
        let compensations: [CompensationRow]
        let others: [Row]
        let problem: String?
        let canAct: Bool
        let canSupervise: Bool
        let moves: [Option]
        let agents: [Option]
        let coupons: [Option]
        let key: String
        let draft: String
        let caps: String
        let timeZone: String
    }

    static func due(_ date: Date, done: Date?, late: Bool, near: Bool, page: StaffPage) -> Due {
        Due(text: page.formats.instant(date), late: late, near: near && !late, met: done != nil && !late)
    }

    static func row(_ ticket: Ticket, page: StaffPage, now: Date) -> Row {
        let near = ticket.nearBreach(at: now)
        let resolvedAt = ticket.status.isActive ? nil : (ticket.resolvedAt ?? ticket.closedAt)
        return Row(
            id: ticket.id, href: "/console/care/tickets/\(ticket.id)", subject: ticket.subject, memberId: ticket.memberId,
            memberHref: "/console/members/\(ticket.memberId)", category: page.text("care.category.\(ticket.category.rawValue)"),
            priority: page.text("care.priority.\(ticket.priority.rawValue)"), priorityKey: ticket.priority.rawValue,
            status: page.text("care.status.\(ticket.status.rawValue)"), statusKey: ticket.status.rawValue, assignee: ticket.assignee ?? "–",
            opened: page.formats.instant(ticket.openedAt),
            firstResponse: due(
                ticket.due.firstResponse, done: ticket.firstResponseAt, late: ticket.firstResponseBreached(at: now),
                near: near && ticket.firstResponseAt == nil && now >= ticket.due.firstResponseWarning, page: page),
            resolution: due(
                ticket.due.resolution, done: resolvedAt, late: ticket.resolutionBreached(at: now),
                near: near && ticket.status == .open && now >= ticket.due.resolutionWarning, page: page),
            paused: ticket.status == .waiting)
    }

    /// SLA compliance, times and NPS of the last 90 days (`CareReportService`), and the open tickets by category.
    static func summary(page: StaffPage, open: [Ticket]) async throws -> Summary {
        let report = try await CareReportService(context: page.context, tickets: CareServices.ticketReader(page.context)).report()
        let f = page.formats
        func percent(_ value: Double?) -> String { value.map { f.percent($0) } ?? "–" }
        func minutes(_ value: Double?) -> String {
            guard let value else { return "–" }
            let total = Int(value.rounded())
            let text = page.text(total >= 60 ? "care.duration.hoursMinutes" : "care.duration.minutes")
            return text.replacingOccurrences(of: "{h}", with: f.number(total / 60)).replacingOccurrences(of: "{m}", with: String(total % 60))
        }
        let nps = SatisfactionModel.score(report.nps.nps, f)
        let figures = [
            Figure(
                label: page.text("care.summary.sla"), value: percent(report.sla.compliance),
                hint: page.text("care.summary.slaHint").replacingOccurrences(of: "{met}", with: f.number(report.sla.met))
                    .replacingOccurrences(of: "{breached}", with: f.number(report.sla.breached))
                    .replacingOccurrences(of: "{pending}", with: f.number(report.sla.pending))),
            Figure(
                label: page.text("care.summary.firstResponse"), value: minutes(report.firstResponseMinutes.median),
                hint: page.text("care.summary.p90") + " " + minutes(report.firstResponseMinutes.p90) + " · "
                    + page.text("care.summary.onTime") + " " + percent(report.sla.firstResponseCompliance)),
            Figure(
                label: page.text("care.summary.resolution"), value: minutes(report.resolutionMinutes.median),
                hint: page.text("care.summary.p90") + " " + minutes(report.resolutionMinutes.p90) + " · "
                    + page.text("care.summary.onTime") + " " + percent(report.sla.resolutionCompliance)),
            Figure(
                label: page.text("care.summary.nps"), value: nps,
                hint: page.text("care.summary.answers").replacingOccurrences(of: "{count}", with: f.number(report.nps.tally.answers))),
            Figure(
                label: page.text("care.summary.csat"), value: report.csat.average.map { f.decimal($0, digits: 1) } ?? "–",
                hint: page.text("care.summary.ratings").replacingOccurrences(of: "{count}", with: f.number(report.csat.ratings))),
        ]
        var counts: [TicketCategory: Int] = [:]
        for ticket in open { counts[ticket.category, default: 0] += 1 }
        let byCategory = TicketCategory.allCases.map {
            CategoryCount(category: page.text("care.category.\($0.rawValue)"), count: f.number(counts[$0] ?? 0))
        }
        return Summary(
            figures: figures, openByCategory: byCategory, period: "\(f.date(report.from)) – \(f.date(report.until))")
    }

    static func ticketPage(
        _ file: TicketFile, others: [Ticket], member: Member?, program: Program, agents: [String], page: StaffPage, problem: String?, form: Form?
    ) -> TicketPage {
        let ticket = file.ticket
        let now = page.context.clock.now()
        let f = page.formats
        let thread = file.events.map { event -> Entry in
            let isNote = event.kind == .note
            let text: String
            switch event.kind {
            case .note: text = event.text
            case .status, .reopened:
                let moves = event.text.components(separatedBy: " → ").map { name in
                    TicketStatus(rawValue: name).map { page.text("care.status.\($0.rawValue)") } ?? name
                }
                text = page.text("care.event.\(event.kind.rawValue)") + " " + moves.joined(separator: " → ")
            case .assigned: text = page.text("care.event.assigned") + " " + event.text
            case .opened:
                let parts = event.text.components(separatedBy: ", ")
                let words = parts.count == 2
                    ? [TicketCategory(rawValue: parts[0]).map { page.text("care.category.\($0.rawValue)") } ?? parts[0],
                       TicketPriority(rawValue: parts[1]).map { page.text("care.priority.\($0.rawValue)") } ?? parts[1]]
                    : parts
                text = page.text("care.event.opened") + " " + words.joined(separator: page.language == .simplifiedChinese ? "，" : ", ")
            case .firstResponse: text = page.text("care.event.firstResponse")
            default: text = page.text("care.event.\(event.kind.rawValue)") + (event.text.isEmpty ? "" : " — " + event.text)
            }
            return Entry(
                at: f.instant(event.at), actor: event.actor, text: text, isNote: isNote, toMember: event.visibility == .toMember,
                kind: event.kind.rawValue)
        }
        let compensations = file.compensations.map { c -> CompensationRow in
            let what = c.rewardId.map { id in page.text("care.compensation.coupon") + " " + (program.rewards.first { $0.id == id }?.name ?? id) }
                ?? f.points(c.points)
            return CompensationRow(
                id: c.id, what: what, status: page.text("care.compensation.status.\(c.status.rawValue)"), statusKey: c.status.rawValue, note: c.note,
                requestedBy: c.requestedBy, requestedAt: f.instant(c.requestedAt), overCap: c.overCap, decidedBy: c.decidedBy,
                pending: c.status == .pending)
        }
        let coupons = program.rewards.compactMap { reward -> Option? in
            guard case .coupon = reward.kind else { return nil }
            return Option(value: reward.id, label: reward.name, selected: form?["coupon"] == reward.id)
        }
        let caps = program.care.agentCaps
        let capsText = page.text("care.compensation.caps")
            .replacingOccurrences(of: "{pointsPerTicket}", with: f.points(caps.pointsPerTicket))
            .replacingOccurrences(of: "{pointsPerDay}", with: f.points(caps.pointsPerDay))
            .replacingOccurrences(of: "{couponsPerTicket}", with: f.number(caps.couponsPerTicket))
            .replacingOccurrences(of: "{couponsPerDay}", with: f.number(caps.couponsPerDay))
        let memberText = member.map { m in
            ([m.profile.name].compactMap { $0 } + m.identities.map(\.description)).joined(separator: " · ")
        } ?? "#\(ticket.memberId)"
        let current = ticket.assignee
        var agentOptions = [Option(value: "", label: page.text("care.nobody"), selected: current == nil)]
        agentOptions += (agents + (current.map { agents.contains($0) ? [] : [$0] } ?? [])).map { Option(value: $0, label: $0, selected: $0 == current) }
        return TicketPage(
            id: ticket.id, href: "/console/care/tickets/\(ticket.id)", subject: ticket.subject, body: ticket.body, row: row(ticket, page: page, now: now),
            member: memberText, source: page.text("care.source.\(ticket.source.rawValue)"), channel: ticket.channel, orderId: ticket.orderId,
            reopened: ticket.reopenCount > 0 ? f.number(ticket.reopenCount) : nil, firstResponseAt: ticket.firstResponseAt.map(f.instant), resolvedAt: ticket.resolvedAt.map(f.instant),
            waitingSince: ticket.waitingSince.map(f.instant), thread: thread, compensations: compensations,
            others: others.map { row($0, page: page, now: now) }, problem: problem, canAct: page.may(.care), canSupervise: page.may(.superviseCare),
            moves: TicketStatus.allCases.filter { ticket.status.allowedTargets.contains($0) }.map {
                Option(value: $0.rawValue, label: page.text("care.move.\($0.rawValue)"), selected: form?["status"] == $0.rawValue)
            },
            agents: agentOptions, coupons: coupons, key: Tokens.random(), draft: form?["text"] ?? "", caps: capsText,
            timeZone: f.timeZone.identifier)
    }
}
