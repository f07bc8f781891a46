import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The care pages. `/console/care` is the agents' queue (filters by status, category, priority, assignee and breached
/// or near breach; sorted by the next due time) above a care summary from `CareReportService`; a ticket's page shows
/// its thread (internal notes and notes to the member apart), the member's other tickets, and — for roles with
/// `care` — the actions: add a note, assign, move the status, compensate within the agent's caps, and, for roles with
/// `superviseCare`, approve or refuse what waits above them. Every action is a confirmed POST through
/// `TicketService` / `CompensationService` (the same use cases as the command line and the API), audited with the
/// signed-in account as actor; a refused action is shown in the page and changes nothing. Viewing needs `viewCare`.
enum CarePages {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/care", .viewCare) { request, page in try await queue(request, page) }
        routes.staff(.get, "/console/care/tickets/{id}", .viewCare) { _, page in try await ticket(page, problem: nil) }
        routes.staff(.post, "/console/care/tickets/{id}/notes", .care) { request, page in try await note(request, page) }
        routes.staff(.post, "/console/care/tickets/{id}/assignee", .care) { request, page in try await assign(request, page) }
        routes.staff(.post, "/console/care/tickets/{id}/status", .care) { request, page in try await move(request, page) }
        routes.staff(.post, "/console/care/tickets/{id}/compensations", .care) { request, page in try await compensate(request, page) }
        routes.staff(.post, "/console/care/tickets/{id}/compensations/{compensation}/decision", .superviseCare) { request, page in
            try await decide(request, page)
        }
    }

    typealias Option = CarePageModels.Option

    /// The statuses the queue's status filter offers: `active` is open and waiting (the default).
    static let statusFilters = ["active", "open", "waiting", "resolved", "closed", "all"]

    // MARK: Queue

    static func queue(_ request: Request, _ page: StaffPage) async throws -> Response {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String { query.get(name).map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        let status = statusFilters.contains(value("status")) ? value("status") : "active"
        let category = TicketCategory(rawValue: value("category"))
        let priority = TicketPriority(rawValue: value("priority"))
        let assignee = value("assignee")
        let due = ["breached", "near"].contains(value("due")) ? value("due") : ""
        let now = page.context.clock.now()

        var filter = TicketQuery(statuses: statuses(status), assignee: assignee.isEmpty ? nil : assignee, limit: 500)
        filter.categories = category.map { [$0] } ?? []
        filter.priorities = priority.map { [$0] } ?? []
        if due == "breached" { filter.breachedAt = now }
        let service = TicketService(context: page.context)
        var tickets = try await service.list(filter)
        let truncated = tickets.count == 500
        if due == "near" { tickets = tickets.filter { $0.nearBreach(at: now) } }
        tickets.sort { (($0.nextDue ?? .distantFuture), $0.id) < (($1.nextDue ?? .distantFuture), $1.id) }

        let open = try await service.list(TicketQuery(statuses: [.open, .waiting], limit: 500))
        let summary = try await CarePageModels.summary(page: page, open: open)
        let model = CarePageModels.Queue(
            tabs: CarePageModels.tabs(page, current: "queue"), rows: tickets.map { CarePageModels.row($0, page: page, now: now) }, hasRows: !tickets.isEmpty, truncated: truncated, summary: summary,
            statuses: statusFilters.map { Option(value: $0, label: page.text("care.filter.status.\($0)"), selected: $0 == status) },
            categories: [Option(value: "", label: page.text("care.filter.any"), selected: category == nil)]
                + TicketCategory.allCases.map { Option(value: $0.rawValue, label: page.text("care.category.\($0.rawValue)"), selected: $0 == category) },
            priorities: [Option(value: "", label: page.text("care.filter.any"), selected: priority == nil)]
                + TicketPriority.allCases.map { Option(value: $0.rawValue, label: page.text("care.priority.\($0.rawValue)"), selected: $0 == priority) },
            dues: ["", "breached", "near"].map { Option(value: $0, label: page.text("care.filter.due.\($0.isEmpty ? "any" : $0)"), selected: $0 == due) },
            assignee: assignee, timeZone: page.formats.timeZone.identifier)
        return page.render("staff/care/queue", title: page.text("care.title"), model)
    }

    static func statuses(_ filter: String) -> Set<TicketStatus> {
        switch filter {
        case "all": []
        case "active": [.open, .waiting]
        default: TicketStatus(rawValue: filter).map { [$0] } ?? [.open, .waiting]
        }
    }

    // MARK: Ticket

    /// The ticket's page; `problem` is a refused action's message, shown above the forms with `status`.
    static func ticket(_ page: StaffPage, problem: String?, status: HTTPResponse.Status = .ok, form: Form? = nil) async throws -> Response {
        guard let id = page.parameter("id").flatMap(Int64.init) else { return page.error(.notFound, page.text("care.noSuchTicket")) }
        let file: TicketFile
        do {
            file = try await TicketService(context: page.context).file(id: id)
        } catch let error as PatronError where error.code == .notFound {
            return page.error(.notFound, page.text("care.noSuchTicket"))
        }
        let others = try await TicketService(context: page.context).list(TicketQuery(memberId: file.ticket.memberId, limit: 20)).filter { $0.id != id }
        let member = try await page.context.store.member(id: file.ticket.memberId)
        let program = try await page.context.currentProgram().program
        let agents = try await StaffAccounts(context: page.context).list().filter { $0.disabledAt == nil && $0.role.may(.care) }.map(\.username)
        let model = CarePageModels.ticketPage(
            file, others: others, member: member, program: program, agents: agents, page: page, problem: problem, form: form)
        return page.render("staff/care/ticket", title: "\(page.text("care.ticket")) \(id)", model, status: status)
    }

    /// Runs `action` on the ticket of the route after checking the form's confirmation; a refusal re-draws the page
    /// with its reason (400 bad input, 409 a refused move or cap, 404 no ticket) and nothing changed.
    static func act(
        _ request: Request, _ page: StaffPage, _ action: (Int64, Form) async throws -> String
    ) async throws -> Response {
        guard let id = page.parameter("id").flatMap(Int64.init) else { return page.error(.notFound, page.text("care.noSuchTicket")) }
        let form = try await page.form(request)
        guard form["confirm"] == "yes" else { return try await ticket(page, problem: page.text("care.confirmRequired"), status: .badRequest, form: form) }
        do {
            let notice = try await action(id, form)
            return page.redirect("/console/care/tickets/\(id)", notice: notice)
        } catch let error as PatronError {
            switch error.code {
            case .notFound where error.message.hasPrefix("no ticket"): return page.error(.notFound, page.text("care.noSuchTicket"))
            case .invalidInput: return try await ticket(page, problem: error.message, status: .badRequest, form: form)
            case .invalidTransition, .idempotencyConflict, .memberErased, .outOfStock, .limitReached, .notEligible:
                return try await ticket(page, problem: error.message, status: .conflict, form: form)
            default: return try await ticket(page, problem: error.message, status: .unprocessableContent, form: form)
            }
        }
    }

    static func note(_ request: Request, _ page: StaffPage) async throws -> Response {
        try await act(request, page) { id, form in
            guard let visibility = TicketEvent.Visibility(rawValue: form["visibility"] ?? "") else {
                throw PatronError(.invalidInput, "visibility: choose internal or toMember")
            }
            _ = try await TicketService(context: page.context).note(ticket: id, text: form["text"] ?? "", visibility: visibility, actor: page.actor)
            return page.text(visibility == .toMember ? "care.done.noteToMember" : "care.done.note")
        }
    }

    static func assign(_ request: Request, _ page: StaffPage) async throws -> Response {
        try await act(request, page) { id, form in
            let assignee = (form["assignee"] ?? "").trimmingCharacters(in: .whitespaces)
            let after = try await TicketService(context: page.context).assign(ticket: id, to: assignee.isEmpty ? nil : assignee, actor: page.actor)
            return after.assignee.map { page.text("care.done.assigned").replacingOccurrences(of: "{name}", with: $0) } ?? page.text("care.done.unassigned")
        }
    }

    static func move(_ request: Request, _ page: StaffPage) async throws -> Response {
        try await act(request, page) { id, form in
            let status = try TicketStatus.parse(form["status"] ?? "")
            _ = try await TicketService(context: page.context).move(ticket: id, to: status, actor: page.actor)
            return page.text("care.done.moved").replacingOccurrences(of: "{status}", with: page.text("care.status.\(status.rawValue)"))
        }
    }

    static func compensate(_ request: Request, _ page: StaffPage) async throws -> Response {
        try await act(request, page) { id, form in
            let kind: CompensationKind
            switch form["kind"] {
            case "points":
                guard let points = Int64((form["points"] ?? "").trimmingCharacters(in: .whitespaces)), points > 0 else {
                    throw PatronError(.invalidInput, "points: a whole number of points above 0, not '\(form["points"] ?? "")'")
                }
                kind = .points(points)
            case "coupon":
                guard let coupon = form["coupon"], !coupon.isEmpty else { throw PatronError(.invalidInput, "coupon: choose a coupon reward") }
                kind = .coupon(rewardId: coupon)
            default: throw PatronError(.invalidInput, "kind: choose points or a coupon")
            }
            let outcome = try await CompensationService(context: page.context).compensate(
                ticket: id, kind: kind, note: form["note"] ?? "", actor: page.actor, supervisor: page.may(.superviseCare),
                requestKey: form["key"] ?? "")
            switch outcome.compensation.status {
            case .granted: return page.text("care.done.granted")
            case .pending: return page.text("care.done.pending")
            case .refused: return page.text("care.done.refused")
            }
        }
    }

    static func decide(_ request: Request, _ page: StaffPage) async throws -> Response {
        try await act(request, page) { id, form in
            guard let compensation = page.parameter("compensation").flatMap(Int64.init) else { throw PatronError(.notFound, "no compensation") }
            let service = CompensationService(context: page.context)
            guard try await service.pending(limit: 500).contains(where: { $0.id == compensation && $0.ticketId == id }) else {
                throw PatronError(.invalidTransition, "compensation \(compensation) of ticket \(id) is not waiting for a decision")
            }
            let approve = form["decision"] == "approve"
            guard approve || form["decision"] == "refuse" else { throw PatronError(.invalidInput, "decision: approve or refuse") }
            _ = try await service.decide(compensation: compensation, approve: approve, actor: page.actor, note: form["note"] ?? "")
            return page.text(approve ? "care.done.approved" : "care.done.refusedByYou")
        }
    }
}
