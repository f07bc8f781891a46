import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    /// The ticket use cases over the handler's store and time.
    var ticketService: TicketService { TicketService(context: ServiceContext(store: store, clock: HandlerClock(instant: now))) }
    /// The compensation use cases over the handler's store and time.
    var compensationService: CompensationService { CompensationService(context: ServiceContext(store: store, clock: HandlerClock(instant: now))) }

    /// Whether the caller's key acts for the service team (else it is a storefront opening a member's own ticket).
    private var callerIsStaff: Bool { !(Caller.current?.scopes ?? []).isDisjoint(with: ["admin", "service", "supervisor"]) }
    /// Whether the caller's key may grant above the agents' caps.
    private var callerIsSupervisor: Bool { !(Caller.current?.scopes ?? []).isDisjoint(with: ["admin", "supervisor"]) }

    /// A ticket with whether it is late now.
    struct TicketListItem: Encodable {
        var ticket: Ticket
        var firstResponseLate: Bool
        var resolutionLate: Bool
    }

    func listTickets(_ input: Operations.ListTickets.Input) async throws -> Operations.ListTickets.Output {
        let q = input.query
        var statuses: Set<TicketStatus> = []
        for part in (q.status ?? "").split(separator: ",") {
            do { statuses.insert(try TicketStatus.parse(String(part))) } catch let error as PatronError {
                throw APIError.invalid(error.message, fields: [.init(path: "status", message: "not a status")])
            }
        }
        var memberId: Int64?
        if let reference = q.member { memberId = try await member(reference).id }
        let instant = now()
        let list = try await ticketService.list(
            TicketQuery(statuses: statuses, memberId: memberId, assignee: q.assignee, breachedAt: q.breached == true ? instant : nil, before: q.before, limit: q.limit ?? 50))
        let items = list.map { TicketListItem(ticket: $0, firstResponseLate: $0.firstResponseBreached(at: instant), resolutionLate: $0.resolutionBreached(at: instant)) }
        return .ok(.init(body: .json(try Bridge.convert(items))))
    }

    func openTicket(_ input: Operations.OpenTicket.Input) async throws -> Operations.OpenTicket.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the ticket as JSON") }
        let owner = try await member(body.member)
        let staff = callerIsStaff
        let ticket = try await ticketService.open(
            memberId: owner.id, category: try TicketCategory.parse(body.category.rawValue), priority: try TicketPriority.parse(body.priority?.rawValue ?? "normal"),
            source: staff ? .agent : .member, channel: body.channel, subject: body.subject, body: body.body ?? "", orderId: body.orderId,
            redemptionId: body.redemptionId, actor: actor)
        return .created(.init(body: .json(try Bridge.convert(ticket))))
    }

    func getTicket(_ input: Operations.GetTicket.Input) async throws -> Operations.GetTicket.Output {
        .ok(.init(body: .json(try Bridge.convert(try await ticketService.file(id: input.path.ticket)))))
    }

    func addTicketNote(_ input: Operations.AddTicketNote.Input) async throws -> Operations.AddTicketNote.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the note as JSON") }
        let visibility = TicketEvent.Visibility(rawValue: body.visibility?.rawValue ?? "internal") ?? .internal
        let ticket = try await ticketService.note(ticket: input.path.ticket, text: body.text, visibility: visibility, actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(ticket))))
    }

    func assignTicket(_ input: Operations.AssignTicket.Input) async throws -> Operations.AssignTicket.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the assignee as JSON") }
        let ticket = try await ticketService.assign(ticket: input.path.ticket, to: body.assignee, actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(ticket))))
    }

    func moveTicket(_ input: Operations.MoveTicket.Input) async throws -> Operations.MoveTicket.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the status as JSON") }
        let ticket = try await ticketService.move(ticket: input.path.ticket, to: try TicketStatus.parse(body.status.rawValue), actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(ticket))))
    }

    func compensateTicket(_ input: Operations.CompensateTicket.Input) async throws -> Operations.CompensateTicket.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the compensation as JSON") }
        let kind: CompensationKind
        switch (body.points, body.coupon) {
        case (let points?, nil): kind = .points(points)
        case (nil, let coupon?): kind = .coupon(rewardId: coupon)
        default: throw APIError.invalid("points or coupon: give exactly one", fields: [.init(path: "points", message: "give points or coupon")])
        }
        let outcome = try await compensationService.compensate(
            ticket: input.path.ticket, kind: kind, note: body.note, actor: actor, supervisor: callerIsSupervisor, requestKey: body.key)
        return .ok(.init(body: .json(try Bridge.convert(outcome))))
    }

    func listPendingCompensations(_ input: Operations.ListPendingCompensations.Input) async throws -> Operations.ListPendingCompensations.Output {
        .ok(.init(body: .json(try Bridge.convert(try await compensationService.pending()))))
    }

    func decideCompensation(_ input: Operations.DecideCompensation.Input) async throws -> Operations.DecideCompensation.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the decision as JSON") }
        let decided = try await compensationService.decide(compensation: input.path.compensation, approve: body.approve, actor: actor, note: body.note ?? "")
        return .ok(.init(body: .json(try Bridge.convert(decided))))
    }
}
