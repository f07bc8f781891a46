import Foundation
import PatronCore
import PatronStore
import Testing

/// NPS invitations, answers, CSAT ratings and win-back offers in the store (SQLite, and PostgreSQL with
/// `PATRON_TEST_BACKEND=postgres`).
@Suite struct SurveyStoreTests {
    static let program = Fixture.shanghaiProgram + """

        levels:
          metric: spend
          tiers: [{ name: Member, threshold: "0" }, { name: VIP, threshold: "500.00" }]
        care:
          surveys: {}
        """

    /// Places and completes an order of `amount` minor units for a customer, on `day`, through `channel`.
    static func buy(_ f: Fixture, _ id: String, _ customer: String, _ amount: Int64, day: Int, channel: String? = nil) async throws -> Int64 {
        var order = f.order(id, customer, [amount])
        order.channel = channel
        let placed = try await f.apply(.placed(order, at: f.day(day, hours: 1)), enroll: true)
        try await f.apply(.completed(id, at: f.day(day, hours: 2)))
        return placed.memberId
    }

    @Test("every completed order is sampled at 100 %, and a member is invited once within oncePerDays")
    func invitesOncePerMemberWithinTheLimit() async throws {
        let f = try await Fixture(program: Self.program)
        for index in 0..<10 {
            _ = try await Self.buy(f, "a-\(index)", "c\(index)", 10_000, day: 1)
            _ = try await Self.buy(f, "b-\(index)", "c\(index)", 10_000, day: 3)
        }
        let policy = SurveyPolicy(samplePercent: 100, oncePerDays: 30, withinDays: 14)
        let first = try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(5))
        #expect(first.considered == 20)
        #expect(first.invited == 10)
        #expect(first.skippedRecentlyInvited == 10)
        // The earlier order of each member is the one surveyed.
        let invitations = try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 100)
        #expect(Set(invitations.map(\.orderId)) == Set((0..<10).map { "a-\($0)" }))

        let again = try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(6))
        #expect(again.invited == 0)
        #expect(again.alreadyInvited == 10)
        #expect(again.skippedRecentlyInvited == 10)

        // After the limit a new order is surveyed again; orders older than withinDays are no longer looked at.
        _ = try await Self.buy(f, "c-0", "c0", 10_000, day: 40)
        let later = try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(41))
        #expect(later.considered == 1)
        #expect(later.invited == 1)
    }

    @Test("imported history is not surveyed, and completions leave the job's queue once past its window")
    func historyIsNotSurveyedAndTheQueueKeepsOnlyTheWindow() async throws {
        let f = try await Fixture(program: Self.program)
        let history = ApplyOptions(enrollUnknownMembers: true, history: true)
        for result in await f.store.apply(
            [.placed(f.order("old-1", "h1", [8_000]), at: f.day(2, hours: 1)), .completed("old-1", at: f.day(2, hours: 2))], options: history)
        {
            _ = try result.get()
        }
        _ = try await Self.buy(f, "live-1", "l1", 8_000, day: 2)
        let policy = SurveyPolicy(samplePercent: 100, oncePerDays: 0, withinDays: 14)
        let run = try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(3))
        #expect(run.considered == 1 && run.invited == 1)
        let invited = try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10)
        #expect(invited.map(\.orderId) == ["live-1"])

        // A run past the window removes the completion from the queue: a later run back inside it finds nothing.
        #expect(try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(30)).considered == 0)
        #expect(try await f.store.runSurveyInvitations(policy: policy, asOf: f.day(3)).considered == 0)
    }

    @Test("a program without care.surveys queues no completions for the survey job")
    func surveysOffQueueNothing() async throws {
        let f = try await Fixture()
        _ = try await Self.buy(f, "o-1", "c1", 8_000, day: 2)
        let run = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100, oncePerDays: 0), asOf: f.day(3))
        #expect(run.considered == 0)
    }

    @Test("a 30 % sample invites exactly the orders whose hash bucket is below 3,000, and 0 % invites none")
    func sampleIsTheHashOfTheOrder() async throws {
        let f = try await Fixture(program: Self.program)
        let ids = (0..<60).map { "order-\($0)" }
        for (index, id) in ids.enumerated() { _ = try await Self.buy(f, id, "s\(index)", 5_000, day: 2) }
        let none = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 0, oncePerDays: 0), asOf: f.day(3))
        #expect(none.sampled == 0 && none.invited == 0 && none.considered == 60)
        let run = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 30, oncePerDays: 0), asOf: f.day(3))
        let expected = Set(ids.filter { SurveySampling.bucket(order: $0) < 3_000 })
        #expect(run.invited == expected.count)
        #expect(expected.count > 5 && expected.count < 30)  // the hash spreads: about 18 of 60
        let invited = try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 100)
        #expect(Set(invited.map(\.orderId)) == expected)
    }

    @Test("an invitation takes one answer with the member's level; an off-scale score writes nothing")
    func answersOnce() async throws {
        let f = try await Fixture(program: Self.program)
        _ = try await Self.buy(f, "big", "vip", 60_000, day: 1, channel: "app")
        _ = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100), asOf: f.day(2))
        let invitation = try #require(try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 1).first)
        #expect(invitation.channel == "app")

        await #expect(throws: PatronError.self) { try await f.store.answerSurvey(invitation: invitation.id, score: 11, comment: nil, at: f.day(3)) }
        #expect(try await f.store.surveyInvitation(id: invitation.id)?.answeredAt == nil)

        let answered = try await f.store.answerSurvey(invitation: invitation.id, score: 4, comment: "late parcel", at: f.day(3))
        #expect(answered.score == 4)
        #expect(answered.category == .detractor)
        #expect(answered.comment == "late parcel")
        #expect(answered.level == "VIP")
        do {
            _ = try await f.store.answerSurvey(invitation: invitation.id, score: 10, comment: nil, at: f.day(4))
            Issue.record("a second answer was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidTransition)
        }
        #expect(try await f.store.surveyInvitation(id: invitation.id)?.score == 4)
        #expect(try await f.store.surveyInvitations(member: nil, answered: false, before: nil, limit: 10).isEmpty)
        #expect(try await f.store.surveyInvitations(member: answered.memberId, answered: true, before: nil, limit: 10).count == 1)
    }

    @Test("the answers of a period come latest answer first, whatever order the invitations were made in")
    func answersOfAPeriodLatestFirst() async throws {
        let f = try await Fixture(program: Self.program)
        for index in 0..<4 { _ = try await Self.buy(f, "o-\(index)", "a\(index)", 10_000, day: 1) }
        _ = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100, oncePerDays: 0), asOf: f.day(2))
        let invited = try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10).sorted { $0.id < $1.id }
        #expect(invited.count == 4)
        // The oldest invitation is answered last, on day 9; day 3's answer falls before the period.
        for (invitation, day) in zip(invited, [9, 5, 3, 7]) {
            _ = try await f.store.answerSurvey(invitation: invitation.id, score: 8, comment: nil, at: f.day(day))
        }
        let answers = try await f.store.surveyAnswers(from: f.day(4), until: f.day(10), limit: 10)
        #expect(answers.map(\.id) == [invited[0].id, invited[3].id, invited[1].id])
        #expect(try await f.store.surveyAnswers(from: f.day(4), until: f.day(10), limit: 2).map(\.id) == [invited[0].id, invited[3].id])
        #expect(try await f.store.surveyAnswers(from: f.day(4), until: f.day(9), limit: 10).map(\.id) == [invited[3].id, invited[1].id])
    }

    @Test("member names for many ids come in one read; members without a name and unknown ids are left out")
    func memberNamesInOneRead() async throws {
        let f = try await Fixture(program: Self.program)
        let named = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("n1")], profile: Profile(name: "Ann Lee")), key: nil)
        let nameless = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("n2")]), key: nil)
        #expect(try await f.store.memberNames(ids: [named.id, nameless.id, 999_999]) == [named.id: "Ann Lee"])
        #expect(try await f.store.memberNames(ids: []).isEmpty)
    }

    @Test("NPS facts carry level, channel, enrolment and segments, and break down to exact scores")
    func factsBreakDown() async throws {
        let f = try await Fixture(program: Self.program)
        // Scores 10, 9, 10, 3, 0: 3 promoters, 2 detractors of 5 → NPS 20.
        let plan: [(String, Int64, String?, Int)] = [("p1", 60_000, "app", 10), ("p2", 10_000, "web", 9), ("p3", 10_000, "web", 10), ("d1", 10_000, nil, 3), ("d2", 70_000, "app", 0)]
        var members: [String: Int64] = [:]
        for (customer, amount, channel, _) in plan { members[customer] = try await Self.buy(f, "o-\(customer)", customer, amount, day: 1, channel: channel) }
        _ = try await f.store.saveSegments([SegmentDefinition(name: "watched", kind: .static, condition: nil)], actor: "test", at: f.day(2))
        _ = try await f.store.replaceStaticSegmentMembers(segment: "watched", members: [members["p1"]!, members["d1"]!], at: f.day(2))
        _ = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100), asOf: f.day(2))
        for invitation in try await f.store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10) {
            let customer = members.first { $0.value == invitation.memberId }!.key
            let score = plan.first { $0.0 == customer }!.3
            // d2 answers in February, the others in January (Shanghai time).
            _ = try await f.store.answerSurvey(invitation: invitation.id, score: score, comment: nil, at: f.day(customer == "d2" ? 40 : 3))
        }
        let facts = try await f.store.npsFacts(from: nil)
        #expect(facts.count == 5)
        let breakdown = NPSBreakdown(facts: facts, calendar: f.program.calendar)
        #expect(breakdown.overall.nps == 20)
        #expect(breakdown.byLevel.map(\.key) == ["Member", "VIP"])
        // Member: 9, 10, 3 → (2 − 1) / 3; VIP: 10, 0 → 0.
        #expect(breakdown.byLevel.map(\.tally) == [NPSTally(scores: [9, 10, 3]), NPSTally(scores: [10, 0])])
        #expect(breakdown.byLevel.map(\.nps) == [100.0 / 3, 0])
        #expect(breakdown.byChannel.map(\.key) == ["(none)", "app", "web"])
        #expect(breakdown.byChannel.map(\.nps) == [-100, 0, 100])
        #expect(breakdown.bySegment.map(\.key) == ["watched"])
        #expect(breakdown.bySegment.first?.tally == NPSTally(scores: [10, 3]))
        #expect(breakdown.byMonth.map(\.key) == ["2026-01", "2026-02"])
        #expect(breakdown.byMonth.map(\.nps) == [50, -100])
        #expect(breakdown.byCohort.map(\.key) == ["2026-01"])
        #expect(try await f.store.npsFacts(from: f.day(30)).count == 1)
    }

    @Test("a ticket takes one CSAT rating from 1 to 5")
    func ratesTicketOnce() async throws {
        let f = try await Fixture(program: Self.program)
        await #expect(throws: PatronError.self) {
            try await f.store.rateTicket(CSATRating(ticketId: 7, memberId: nil, score: 0, comment: nil, ratedAt: f.day(1)))
        }
        #expect(try await f.store.ticketRating(ticket: 7) == nil)
        let rating = CSATRating(ticketId: 7, memberId: nil, score: 5, comment: "quick", ratedAt: f.day(1))
        #expect(try await f.store.rateTicket(rating) == rating)
        do {
            _ = try await f.store.rateTicket(CSATRating(ticketId: 7, memberId: nil, score: 1, comment: nil, ratedAt: f.day(2)))
            Issue.record("a second rating was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidTransition)
        }
        #expect(try await f.store.ticketRatings(from: nil) == [rating])
    }

    @Test("erasing a member anonymises their survey and CSAT comments and keeps the scores")
    func erasureAnonymisesComments() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await Self.buy(f, "e-1", "erase-me", 10_000, day: 1)
        _ = try await f.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100), asOf: f.day(2))
        let invitation = try #require(try await f.store.surveyInvitations(member: member, answered: nil, before: nil, limit: 1).first)
        _ = try await f.store.answerSurvey(invitation: invitation.id, score: 2, comment: "I am Jane Roe, call me on 555-0100", at: f.day(3))
        _ = try await f.store.rateTicket(CSATRating(ticketId: 1, memberId: member, score: 2, comment: "Jane again", ratedAt: f.day(3)))
        _ = try await f.store.eraseMember(id: member, at: f.day(4))
        let after = try #require(try await f.store.surveyInvitation(id: invitation.id))
        #expect(after.comment == "erased")
        #expect(after.score == 2)
        #expect(try await f.store.ticketRating(ticket: 1)?.comment == "erased")
    }

    @Test("win-back offers are kept with their member, cause and actor; an unknown member is refused")
    func recordsOffers() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await Self.buy(f, "w-1", "lapsed", 10_000, day: 1)
        let offer = try await f.store.recordWinBackOffer(NewWinBackOffer(memberId: member, offer: "coupon:welcome", cause: "price", offeredAt: f.day(5), actor: "ana"))
        #expect(try await f.store.winBackOffers() == [offer])
        await #expect(throws: PatronError.self) {
            try await f.store.recordWinBackOffer(NewWinBackOffer(memberId: 999, offer: "call", cause: "unknown", offeredAt: f.day(5), actor: "ana"))
        }
        #expect(try await f.store.winBackOffers().count == 1)
    }
}
