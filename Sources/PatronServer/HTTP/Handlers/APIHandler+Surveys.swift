import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    /// The handler's store and time as a service context.
    var careContext: ServiceContext { ServiceContext(store: store, clock: HandlerClock(instant: now)) }

    /// The survey use cases; a detractor's answer opens a ticket.
    var surveys: SurveyService { SurveyService(context: careContext, followUp: CareServices.detractorFollowUp(careContext)) }

    func listSurveyInvitations(_ input: Operations.ListSurveyInvitations.Input) async throws -> Operations.ListSurveyInvitations.Output {
        let q = input.query
        let list = try await surveys.invitations(member: q.member, answered: q.answered, before: q.before, limit: q.limit ?? 100)
        return .ok(.init(body: .json(try Bridge.convert(list))))
    }

    func runSurveyInvitations(_ input: Operations.RunSurveyInvitations.Input) async throws -> Operations.RunSurveyInvitations.Output {
        .ok(.init(body: .json(try Bridge.convert(try await surveys.runInvitations()))))
    }

    func getSurveyInvitation(_ input: Operations.GetSurveyInvitation.Input) async throws -> Operations.GetSurveyInvitation.Output {
        .ok(.init(body: .json(try Bridge.convert(try await surveys.invitation(input.path.invitation)))))
    }

    func answerSurvey(_ input: Operations.AnswerSurvey.Input) async throws -> Operations.AnswerSurvey.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the answer as JSON") }
        let answered = try await surveys.answer(invitation: input.path.invitation, score: body.score, comment: body.comment)
        return .ok(.init(body: .json(try Bridge.convert(answered))))
    }

    func getNPS(_ input: Operations.GetNPS.Input) async throws -> Operations.GetNPS.Output {
        var from: Date?
        if let text = input.query.from {
            guard let day = LocalDate(iso: text) else { throw APIError.invalid("from: '\(text)' is not a yyyy-MM-dd date", fields: [.init(path: "from", message: "not a date")]) }
            from = try await careContext.currentProgram().program.calendar.startOfDay(day)
        }
        return .ok(.init(body: .json(try Bridge.convert(try await surveys.breakdown(from: from)))))
    }

    func getTicketRating(_ input: Operations.GetTicketRating.Input) async throws -> Operations.GetTicketRating.Output {
        guard let rating = try await store.ticketRating(ticket: input.path.ticket) else {
            throw PatronError(.notFound, "ticket \(input.path.ticket) has no CSAT rating")
        }
        return .ok(.init(body: .json(try Bridge.convert(rating))))
    }

    func rateTicket(_ input: Operations.RateTicket.Input) async throws -> Operations.RateTicket.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the rating as JSON") }
        let service = CareReportService(context: careContext, tickets: CareServices.ticketReader(careContext))
        let rating = try await service.rate(ticket: input.path.ticket, score: body.score, comment: body.comment)
        return .created(.init(body: .json(try Bridge.convert(rating))))
    }

    func getWinBackList(_ input: Operations.GetWinBackList.Input) async throws -> Operations.GetWinBackList.Output {
        let q = input.query
        let list = try await WinBackService(context: careContext).atRisk(
            maxProbabilityAlive: q.maxAlive ?? 0.5, minDaysSinceLastOrder: q.minDays ?? 60, limit: q.limit ?? 100)
        return .ok(.init(body: .json(try Bridge.convert(list))))
    }

    func getWinBackRecovery(_ input: Operations.GetWinBackRecovery.Input) async throws -> Operations.GetWinBackRecovery.Output {
        .ok(.init(body: .json(try Bridge.convert(try await WinBackService(context: careContext).recovery()))))
    }

    func recordWinBackOffer(_ input: Operations.RecordWinBackOffer.Input) async throws -> Operations.RecordWinBackOffer.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the offer as JSON") }
        let cause = body.cause.flatMap { WinBackCause(rawValue: $0.rawValue) }
        let offer = try await WinBackService(context: careContext).recordOffer(member: body.member, offer: body.offer, cause: cause, actor: actor)
        return .created(.init(body: .json(try Bridge.convert(offer))))
    }

    func getCareReport(_ input: Operations.GetCareReport.Input) async throws -> Operations.GetCareReport.Output {
        var from: LocalDate?
        if let text = input.query.from {
            guard let day = LocalDate(iso: text) else { throw APIError.invalid("from: '\(text)' is not a yyyy-MM-dd date", fields: [.init(path: "from", message: "not a date")]) }
            from = day
        }
        let report = try await CareReportService(context: careContext, tickets: CareServices.ticketReader(careContext)).report(from: from)
        return .ok(.init(body: .json(try Bridge.convert(report))))
    }
}
