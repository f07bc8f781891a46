import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron care tickets …`: customer-care tickets — open, list, show, note, assign, move, compensate, approve or refuse
/// a pending compensation, and run the escalation job. Every change is timed on the ticket and audited with `--actor`.
struct CareTicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets", abstract: "Customer-care tickets with response-time targets in service hours, and compensation within caps.",
        discussion: "Service hours, targets and caps come from the program's care: section; see docs/care.md.",
        subcommands: [Open.self, List.self, Show.self, Note.self, Assign.self, Move.self, Compensate.self, Pending.self, Decide.self, Escalate.self])

    static func context(_ options: StoreOptions) async throws -> ServiceContext {
        ServiceContext(store: try await options.open(), clock: try options.clock())
    }

    static func row(_ ticket: Ticket, _ time: InstantFormat, now: Date) -> [String] {
        let flags = [
            ticket.firstResponseBreached(at: now) ? "response late" : "", ticket.resolutionBreached(at: now) ? "resolution late" : "",
            ticket.waitingSince != nil ? "resolution paused" : "",
        ]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        return [
            String(ticket.id), String(ticket.memberId), ticket.category.rawValue, ticket.priority.rawValue, ticket.status.rawValue, ticket.assignee ?? "",
            time.text(ticket.due.firstResponse), time.text(ticket.due.resolution), flags, ticket.subject,
        ]
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a ticket for a member (an agent on their behalf).")
        @Argument(help: "A member id, or an identity as KIND:VALUE (customer:C1).") var member: String
        @Option(help: "productQuality, delivery, price, serviceAttitude, pointsAndBenefits or other.") var category: String
        @Option(help: "low, normal, high or urgent.") var priority = "normal"
        @Option(help: "A one-line summary.") var subject: String
        @Option(help: "The complaint in the member's words.") var body = ""
        @Option(help: "Where the member reached the shop (phone, chat, email …).") var channel: String?
        @Option(help: "The order it is about.") var order: String?
        @Option(help: "The redemption it is about.") var redemption: Int64?
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await CareTicketsCommand.context(store)
                let resolved = try await context.store.member(reference: member)
                let ticket = try await TicketService(context: context).open(
                    memberId: resolved.id, category: try TicketCategory.parse(category, field: "--category"),
                    priority: try TicketPriority.parse(priority, field: "--priority"), source: .agent, channel: channel, subject: subject, body: body,
                    orderId: order, redemptionId: redemption, actor: try actor.resolve())
                let time = try await InstantFormat.of(context.store)
                print("opened ticket \(ticket.id) for member \(ticket.memberId): first response due \(time.text(ticket.due.firstResponse)), resolution due \(time.text(ticket.due.resolution))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tickets, newest first, with their due times and breach flags.")
        @Option(help: "Only these statuses, comma-separated (open,waiting,resolved,closed).") var status: String?
        @Option(help: "Only this member's (id or KIND:VALUE).") var member: String?
        @Option(help: "Only this agent's.") var assignee: String?
        @Flag(help: "Only tickets whose first response or resolution is late now.") var breached = false
        @Option(help: "At most this many (1–500).") var limit = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await CareTicketsCommand.context(store)
                let statuses = try Set((status ?? "").split(separator: ",").map { try TicketStatus.parse(String($0), field: "--status") })
                var memberId: Int64?
                if let member { memberId = try await context.store.member(reference: member).id }
                let now = context.clock.now()
                let list = try await TicketService(context: context).list(
                    TicketQuery(statuses: statuses, memberId: memberId, assignee: assignee, breachedAt: breached ? now : nil, limit: limit))
                if json { return try printJSON(list) }
                let time = try await InstantFormat.of(context.store)
                var table = Table(["id", "member", "category", "priority", "status", "assignee", "answer due", "resolution due", "late", "subject"], rightAligned: [0, 1])
                for ticket in list { table.add(CareTicketsCommand.row(ticket, time, now: now)) }
                print(table.text)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A ticket with its thread and compensation.")
        @Argument(help: "The ticket's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await CareTicketsCommand.context(store)
                let file = try await TicketService(context: context).file(id: id)
                if json { return try printJSON(file) }
                let time = try await InstantFormat.of(context.store)
                let t = file.ticket
                print("ticket \(t.id) · member \(t.memberId) · \(t.category.rawValue) · \(t.priority.rawValue) · \(t.status.rawValue)\(t.assignee.map { " · \($0)" } ?? "")")
                print("\(t.subject)\(t.body.isEmpty ? "" : "\n\(t.body)")")
                print("opened \(time.text(t.openedAt)) by \(t.openedBy); answer due \(time.text(t.due.firstResponse)); resolution due \(time.text(t.due.resolution))")
                for event in file.events {
                    let visibility = event.visibility.map { " (\($0.rawValue))" } ?? ""
                    print("  \(time.text(event.at))  \(event.actor)  \(event.kind.rawValue)\(visibility)  \(event.text)")
                }
                for c in file.compensations {
                    print("  compensation \(c.id): \(c.rewardId.map { "coupon \($0)" } ?? "\(c.points) points") — \(c.status.rawValue)\(c.overCap.map { " (\($0))" } ?? "")")
                }
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note: internal, or --to-member (the first such note is the first response).")
        @Argument(help: "The ticket's id.") var id: Int64
        @Argument(help: "The note's text.") var text: String
        @Flag(help: "Send it to the member (the careReply message on the channels its trigger names, and care.ticket.message in the outbox).") var toMember = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let ticket = try await TicketService(context: try await CareTicketsCommand.context(store)).note(
                    ticket: id, text: text, visibility: toMember ? .toMember : .internal, actor: try actor.resolve())
                print("noted on ticket \(ticket.id)\(toMember ? " (to the member)" : "")")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a ticket to an agent (no --to: unassign).")
        @Argument(help: "The ticket's id.") var id: Int64
        @Option(help: "The agent.") var to: String?
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let ticket = try await TicketService(context: try await CareTicketsCommand.context(store)).assign(ticket: id, to: to, actor: try actor.resolve())
                print("ticket \(ticket.id) is assigned to \(ticket.assignee ?? "nobody")")
            }
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a ticket: open, waiting, resolved, closed (open again = reopen).")
        @Argument(help: "The ticket's id.") var id: Int64
        @Argument(help: "The new status.") var status: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let ticket = try await TicketService(context: try await CareTicketsCommand.context(store)).move(
                    ticket: id, to: try TicketStatus.parse(status), actor: try actor.resolve())
                print("ticket \(ticket.id) is \(ticket.status.rawValue)\(ticket.reopenCount > 0 ? " (reopened \(ticket.reopenCount)×)" : "")")
            }
        }
    }

    struct Compensate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compensate the ticket's member with goodwill points or a coupon; above the agent's caps it waits for a supervisor.")
        @Argument(help: "The ticket's id.") var id: Int64
        @Option(help: "Goodwill points.") var points: Int64?
        @Option(help: "A coupon reward's id.") var coupon: String?
        @Option(help: "Why (kept with the ledger entry).") var note: String
        @Option(help: "The request's key: the same key compensates once.") var key: String
        @Flag(help: "Grant as a supervisor (no caps).") var supervisor = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let kind: CompensationKind
                switch (points, coupon) {
                case (let p?, nil): kind = .points(p)
                case (nil, let c?): kind = .coupon(rewardId: c)
                default: throw PatronError(.invalidInput, "--points or --coupon: give one of them")
                }
                let outcome = try await CompensationService(context: try await CareTicketsCommand.context(store)).compensate(
                    ticket: id, kind: kind, note: note, actor: try actor.resolve(), supervisor: supervisor, requestKey: key)
                let c = outcome.compensation
                print("compensation \(c.id) on ticket \(c.ticketId): \(c.status.rawValue)\(c.overCap.map { " — \($0); a supervisor approves it with `patron care tickets decide \(c.id) --approve`" } ?? "")\(outcome.replayed ? " (replayed)" : "")")
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compensations waiting for a supervisor.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let list = try await CompensationService(context: try await CareTicketsCommand.context(store)).pending()
                if json { return try printJSON(list) }
                var table = Table(["id", "ticket", "member", "what", "by", "why over", "note"], rightAligned: [0, 1, 2])
                for c in list {
                    table.add([String(c.id), String(c.ticketId), String(c.memberId), c.rewardId.map { "coupon \($0)" } ?? "\(c.points) points", c.requestedBy, c.overCap ?? "", c.note])
                }
                print(table.text)
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve (grant) or refuse a pending compensation, as a supervisor.")
        @Argument(help: "The compensation's id.") var id: Int64
        @Flag(help: "Approve and grant it.") var approve = false
        @Flag(help: "Refuse it.") var refuse = false
        @Option(help: "Why.") var note = ""
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard approve != refuse else { throw PatronError(.invalidInput, "--approve or --refuse: give one of them") }
                let c = try await CompensationService(context: try await CareTicketsCommand.context(store)).decide(
                    compensation: id, approve: approve, actor: try actor.resolve(), note: note)
                print("compensation \(c.id) is \(c.status.rawValue)")
            }
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise care.ticket.escalation for tickets near a due time (the server's job does this every minute).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let report = try await TicketService(context: try await CareTicketsCommand.context(store)).runEscalations()
                print("raised \(report.items) escalation\(report.items == 1 ? "" : "s")")
            }
        }
    }
}
