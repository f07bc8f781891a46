import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The member's side of satisfaction: `GET /member/care/surveys/{id}` shows one of their NPS invitations (the order it
/// asks about) with a 0–10 form, `POST` records the answer through `SurveyService.answer` (the API's use case: a
/// detractor's answer opens a ticket); `POST /member/care/{id}/rating` rates one of their closed tickets 1–5 through
/// `CareReportService.rate`, once. Only the session's member's invitations and tickets are ever read (another
/// member's id is 404); a refused answer is shown at its field and writes nothing.
enum MemberSurveyPages {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/care/surveys/{id}") { _, page in try await survey(page, form: nil) }
        routes.member(.post, "/member/care/surveys/{id}") { request, page in try await answer(request, page) }
        routes.member(.post, "/member/care/{id}/rating") { request, page in try await rate(request, page) }
    }

    /// The member's own invitation of the route, or `nil` (none, or another member's).
    static func ownInvitation(_ page: MemberPage) async throws -> SurveyInvitation? {
        guard let id = page.parameter("id").flatMap(Int64.init) else { return nil }
        let surveys = SurveyService(context: page.context, followUp: nil)
        guard let invitation = try? await surveys.invitation(id), invitation.memberId == page.memberID else { return nil }
        return invitation
    }

    /// The survey page; `form` is a refused answer to show again with its errors.
    static func survey(_ page: MemberPage, form: SurveyForm?, status: HTTPResponse.Status = .ok) async throws -> Response {
        do {
            _ = try await page.liveMember()
            guard let invitation = try await ownInvitation(page) else { return page.refusal(PatronError(.notFound, "no such survey")) }
            return page.render(
                "member/care/survey", title: page.text("care.member.survey.title"), MemberSurveyModel(invitation, page: page, form: form), status: status)
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }

    static func answer(_ request: Request, _ page: MemberPage) async throws -> Response {
        let submitted = try await page.form(request)
        do {
            _ = try await page.liveMember()
            guard let invitation = try await ownInvitation(page) else { return page.refusal(PatronError(.notFound, "no such survey")) }
            let comment = submitted["comment"] ?? ""
            guard let score = Int((submitted["score"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                let form = SurveyForm(score: nil, comment: comment, scoreError: page.text("care.member.survey.chooseScore", SurveyForm.range(SurveyScore.npsRange)))
                return try await survey(page, form: form, status: .badRequest)
            }
            let surveys = SurveyService(context: page.context, followUp: CareServices.detractorFollowUp(page.context))
            do {
                let answered = try await surveys.answer(invitation: invitation.id, score: score, comment: comment)
                let notice = answered.ticketId.map { page.text("care.member.survey.thanksSorry", ["number": String($0)]) }
                    ?? page.text("care.member.survey.thanks")
                return page.redirect("/member/care", notice: notice)
            } catch let error as PatronError where [.invalidInput, .invalidTransition].contains(error.code) {
                let form = SurveyForm(refused: error, score: score, comment: comment, range: SurveyScore.npsRange, kind: "survey", page: page)
                return try await survey(page, form: form, status: error.code == .invalidInput ? .badRequest : .conflict)
            }
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }

    static func rate(_ request: Request, _ page: MemberPage) async throws -> Response {
        let submitted = try await page.form(request)
        do {
            _ = try await page.liveMember()
            guard let id = page.parameter("id").flatMap(Int64.init),
                let file = try? await TicketService(context: page.context).file(id: id), file.ticket.memberId == page.memberID
            else { return page.refusal(PatronError(.notFound, "no such ticket")) }
            let comment = submitted["comment"] ?? ""
            guard let score = Int((submitted["score"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                let form = SurveyForm(score: nil, comment: comment, scoreError: page.text("care.member.survey.chooseScore", SurveyForm.range(SurveyScore.csatRange)))
                return try await MemberCarePages.ticket(page, rating: form, status: .badRequest)
            }
            let care = CareReportService(context: page.context, tickets: CareServices.ticketReader(page.context))
            do {
                _ = try await care.rate(ticket: id, score: score, comment: comment)
                return page.redirect("/member/care/\(id)", notice: page.text("care.member.rating.thanks"))
            } catch let error as PatronError where [.invalidInput, .invalidTransition].contains(error.code) {
                let form = SurveyForm(
                    refused: error, score: score, comment: comment, range: SurveyScore.csatRange, kind: "rating",
                    ticketClosed: file.ticket.status == .closed, page: page)
                return try await MemberCarePages.ticket(page, rating: form, status: error.code == .invalidInput ? .badRequest : .conflict)
            }
        } catch let error as PatronError {
            return page.refusal(error)
        }
    }
}

/// A refused answer or rating, shown again: what was sent, and each problem at its field (the score, the comment) or
/// above the form (answered already, not closed yet).
struct SurveyForm: Sendable {
    var score: Int?
    var comment: String
    var scoreError: String?
    var commentError: String?
    var problem: String?

    init(score: Int?, comment: String, scoreError: String? = nil, commentError: String? = nil, problem: String? = nil) {
        self.score = score
        self.comment = comment
        self.scoreError = scoreError
        self.commentError = commentError
        self.problem = problem
    }

    /// The service's refusal in the member's words, at the field its message names (`score: …`, `comment: …`). Which
    /// words is told by what was sent and, for a rating, whether the ticket is closed (`ticketClosed`), not by the
    /// message's wording.
    init(
        refused error: PatronError, score: Int, comment: String, range: ClosedRange<Int>, kind: String, ticketClosed: Bool? = nil,
        page: MemberPage
    ) {
        self.init(score: range.contains(score) ? score : nil, comment: comment)
        if error.code == .invalidTransition {
            problem = page.text(ticketClosed == false ? "care.member.rating.notClosed" : "care.member.\(kind).already")
        } else if error.message.hasPrefix("score:") {
            scoreError = page.text("care.member.survey.chooseScore", Self.range(range))
        } else if error.message.hasPrefix("comment:") {
            commentError = comment.trimmingCharacters(in: .whitespacesAndNewlines).count > SurveyScore.commentLimit
                ? page.text("care.member.survey.commentTooLong", ["limit": page.formats.number(SurveyScore.commentLimit)]) : error.message
        } else {
            problem = error.message
        }
    }

    static func range(_ range: ClosedRange<Int>) -> [String: String] { ["low": String(range.lowerBound), "high": String(range.upperBound)] }
}

/// One step of a score scale (0–10 or 1–5).
struct ScoreChoice: Sendable {
    let value: Int
    let id: String
    let selected: Bool
}

/// The score scale and the comment box of the NPS question (`survey`) or the CSAT rating (`rating`), with a refused
/// answer's values and errors: what `member/care/score-fields` renders for both.
struct ScoreFields: Sendable {
    /// `nps` or `csat`: keeps the ids of the two forms apart.
    let prefix: String
    /// `eleven` or `five`: the scale's layout.
    let scale: String
    let question: String
    let low: String
    let high: String
    let commentLabel: String
    let scores: [ScoreChoice]
    let comment: String
    let commentLimit: Int
    let scoreError: String?
    let commentError: String?

    init(_ kind: String, range: ClosedRange<Int>, prefix: String, page: MemberPage, form: SurveyForm?) {
        self.prefix = prefix
        scale = range.count > 5 ? "eleven" : "five"
        question = page.text("care.member.\(kind).question")
        low = page.text("care.member.\(kind).low")
        high = page.text("care.member.\(kind).high")
        commentLabel = page.text("care.member.\(kind).comment")
        scores = range.map { ScoreChoice(value: $0, id: "\(prefix)-\($0)", selected: $0 == form?.score) }
        comment = form?.comment ?? ""
        commentLimit = SurveyScore.commentLimit
        scoreError = form?.scoreError
        commentError = form?.commentError
    }
}

/// `/member/care/surveys/{id}`: the question about one order, or the answer already given.
struct MemberSurveyModel: Sendable {
    let nav: MemberNav
    let action: String
    let orderId: String
    let invited: String
    let answered: String?
    let answeredComment: String?
    let fields: ScoreFields
    let problem: String?

    init(_ invitation: SurveyInvitation, page: MemberPage, form: SurveyForm?) {
        nav = MemberNav(page, current: "/member/care")
        action = "/member/care/surveys/\(invitation.id)"
        orderId = invitation.orderId
        invited = page.formats.date(invitation.invitedAt)
        if let score = invitation.score, let at = invitation.answeredAt {
            answered = page.text("care.member.survey.answered", ["score": String(score), "date": page.formats.date(at)])
        } else {
            answered = nil
        }
        answeredComment = invitation.answeredAt == nil ? nil : invitation.comment
        fields = ScoreFields("survey", range: SurveyScore.npsRange, prefix: "nps", page: page, form: form)
        problem = form?.problem
    }
}

/// The CSAT part of a closed ticket's page: the rating given, or the form to give it.
struct MemberRatingModel: Sendable {
    let action: String
    let rated: String?
    let ratedComment: String?
    let fields: ScoreFields
    let problem: String?

    init(ticket: Int64, rating: CSATRating?, page: MemberPage, form: SurveyForm?) {
        action = "/member/care/\(ticket)/rating"
        rated = rating.map { page.text("care.member.rating.rated", ["score": String($0.score)]) }
        ratedComment = rating?.comment
        fields = ScoreFields("rating", range: SurveyScore.csatRange, prefix: "csat", page: page, form: form)
        problem = form?.problem
    }
}

/// An open invitation on the member's Help page.
struct MemberSurveyCard: Sendable {
    let id: Int64
    let href: String
    let about: String

    init(_ invitation: SurveyInvitation, page: MemberPage) {
        id = invitation.id
        href = "/member/care/surveys/\(invitation.id)"
        about = page.text("care.member.surveys.about", ["order": invitation.orderId, "date": page.formats.date(invitation.invitedAt)])
    }
}
