import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The member's own care requests: `GET /member/care` lists their open NPS invitations (answered on
/// `MemberSurveyPages`) and their tickets, and offers a form to open one (`POST`, confirmed, through
/// `TicketService.open` with the source `member`); `GET /member/care/{id}` shows one of their tickets with the replies
/// sent to them — never internal notes, and never another member's ticket (404) — and, once it is closed, its CSAT
/// rating or the form to give it.
enum MemberCarePages {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/care") { _, page in try await list(page, problem: nil, form: nil) }
        routes.member(.post, "/member/care") { request, page in try await open(request, page) }
        routes.member(.get, "/member/care/{id}") { _, page in try await ticket(page, rating: nil) }
    }

    static func list(_ page: MemberPage, problem: String?, form: Form?, status: HTTPResponse.Status = .ok) async throws -> Response {
        do {
            _ = try await page.liveMember()
            let tickets = try await TicketService(context: page.context).list(TicketQuery(memberId: page.memberID, limit: 100))
            let surveys = try await SurveyService(context: page.context, followUp: nil).invitations(member: page.memberID, answered: false, limit: 10)
            let model = MemberCareListModel(tickets: tickets, surveys: surveys, page: page, problem: problem, form: form)
            return page.render("member/care/list", title: page.text("care.member.title"), model, status: status)
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }

    static func open(_ request: Request, _ page: MemberPage) async throws -> Response {
        let form = try await page.form(request)
        guard form["confirm"] == "yes" else { return try await list(page, problem: page.text("care.member.confirmRequired"), form: form, status: .badRequest) }
        do {
            _ = try await page.liveMember()
            guard let category = TicketCategory(rawValue: form["category"] ?? "") else {
                throw PatronError(.invalidInput, page.text("care.member.chooseCategory"))
            }
            let ticket = try await TicketService(context: page.context).open(
                memberId: page.memberID, category: category, source: .member, channel: "member zone", subject: (form["subject"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                body: form["body"] ?? "", actor: page.actor)
            return page.redirect("/member/care/\(ticket.id)", notice: page.text("care.member.opened", ["number": String(ticket.id)]))
        } catch let error as PatronError where error.code == .invalidInput {
            return try await list(page, problem: error.message, form: form, status: .badRequest)
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }

    /// One of the member's tickets; `rating` is a refused CSAT rating to show again with its errors.
    static func ticket(_ page: MemberPage, rating: SurveyForm?, status: HTTPResponse.Status = .ok) async throws -> Response {
        do {
            _ = try await page.liveMember()
            guard let id = page.parameter("id").flatMap(Int64.init),
                let file = try? await TicketService(context: page.context).file(id: id), file.ticket.memberId == page.memberID
            else { return page.refusal(PatronError(.notFound, "no such ticket")) }
            var csat: MemberRatingModel?
            if let problem = rating?.problem, file.ticket.status != .closed {
                return page.error(.conflict, problem)  // rated before it closed: nothing to show the form on
            }
            if file.ticket.status == .closed {
                let given = try await page.context.store.ticketRating(ticket: id)
                csat = MemberRatingModel(ticket: id, rating: given, page: page, form: rating)
            }
            return page.render(
                "member/care/ticket", title: "\(page.text("care.member.ticket")) \(id)", MemberCareTicketModel(file: file, page: page, rating: csat),
                status: status)
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }
}

/// One of the member's tickets in their list.
struct MemberCareRow: Sendable {
    let id: Int64
    let href: String
    let subject: String
    let category: String
    let status: String
    let statusKey: String
    let opened: String
    let replies: String

    init(_ ticket: Ticket, page: MemberPage) {
        id = ticket.id
        href = "/member/care/\(ticket.id)"
        subject = ticket.subject
        category = page.text("care.category.\(ticket.category.rawValue)")
        status = page.text("care.member.status.\(ticket.status.rawValue)")
        statusKey = ticket.status.rawValue
        opened = page.formats.instant(ticket.openedAt)
        replies = ticket.firstResponseAt == nil ? page.text("care.member.noReplyYet") : page.text("care.member.answered")
    }
}

/// `/member/care`: the member's tickets and the form to open one.
struct MemberCareListModel: Sendable {
    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    let nav: MemberNav
    let surveys: [MemberSurveyCard]
    let hasSurveys: Bool
    let tickets: [MemberCareRow]
    let hasTickets: Bool
    let categories: [Choice]
    let subject: String
    let body: String
    let problem: String?

    init(tickets: [Ticket], surveys: [SurveyInvitation], page: MemberPage, problem: String?, form: Form?) {
        nav = MemberNav(page, current: "/member/care")
        self.surveys = surveys.map { MemberSurveyCard($0, page: page) }
        hasSurveys = !surveys.isEmpty
        self.tickets = tickets.map { MemberCareRow($0, page: page) }
        hasTickets = !tickets.isEmpty
        categories = TicketCategory.allCases.map {
            Choice(value: $0.rawValue, label: page.text("care.category.\($0.rawValue)"), selected: form?["category"] == $0.rawValue)
        }
        subject = form?["subject"] ?? ""
        body = form?["body"] ?? ""
        self.problem = problem
    }
}

/// `/member/care/{id}`: the member's ticket and the replies sent to them, oldest first.
struct MemberCareTicketModel: Sendable {
    struct Reply: Sendable {
        let at: String
        let text: String
    }

    let nav: MemberNav
    let ticket: MemberCareRow
    let body: String
    let replies: [Reply]
    let hasReplies: Bool
    /// The CSAT rating of a closed ticket (given, or its form); `nil` while the ticket is not closed.
    let rating: MemberRatingModel?

    init(file: TicketFile, page: MemberPage, rating: MemberRatingModel?) {
        self.rating = rating
        nav = MemberNav(page, current: "/member/care")
        ticket = MemberCareRow(file.ticket, page: page)
        body = file.ticket.body
        replies = file.events.filter { $0.kind == .note && $0.visibility == .toMember }.map { Reply(at: page.formats.instant($0.at), text: $0.text) }
        hasReplies = !replies.isEmpty
    }
}
