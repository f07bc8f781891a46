import Foundation
import PatronCore
import PatronStore
import Testing

/// Behaviours that a review found missing, each proven here.
@Suite struct ReviewFixTests {
    @Test func pointsBasedLevelsRiseWhenPointsBecomeActive() async throws {
        let program = Fixture.shanghaiProgram + """

            levels:
              metric: points
              tiers: [{ name: Base, threshold: 0 }, { name: Star, threshold: 100 }]
            """
        let f = try await Fixture(program: program)
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [15_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))
        #expect(try await f.store.member(id: ann.id)?.level.level == "Base")  // pending points do not count
        f.clock.set(f.day(9))
        try await f.jobs()
        #expect(try await f.store.member(id: ann.id)?.level.level == "Star")
    }

    @Test func expiredPointsCannotBeTakenBeforeTheExpiryJobRuns() async throws {
        let f = try await Fixture()  // points expire 30 days after they became active
        let bo = try await f.member("bo")
        try await f.apply(.placed(f.order("O1", "bo", [10_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(0)))
        f.clock.set(f.day(8))
        try await f.jobs()
        // Day 60: the lot expired on day 38 but no job has run. A return cannot take from it: it expires first,
        // and the reversal becomes a debt.
        try await f.apply(.returned("O1", at: f.day(60), id: "R1"))
        #expect(try await f.balances(bo.id).active == -100)
        #expect(try await f.store.check().isEmpty)
        await #expect {
            try await f.store.adjust(Adjustment(memberId: bo.id, points: -1, reason: "r", actor: "a", key: "k", at: f.day(60)))
        } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
    }

    @Test func membersCannotReferThemselves() async throws {
        let f = try await Fixture(program: Fixture.shanghaiProgram + "\nreferral: { referrer: 200, referee: 100 }")
        do {
            _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("cy")], referredBy: try .customer("cy")), key: nil)
            Issue.record("a self-referral must be refused")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput)
        }
        #expect(try await f.store.totals().members == 0)
    }

    @Test func absurdQuantitiesAndDatesAreRefused() async throws {
        let f = try await Fixture()
        _ = try await f.member("dee")
        try await f.apply(.placed(f.order("O1", "dee", [1_000]), at: f.day(0)))
        let huge = await f.store.apply([.returned("O1", lines: [ReturnedLine(lineId: "1", quantity: Int.max)], at: f.day(1), id: "R")], options: ApplyOptions())
        #expect((try? huge[0].get()) == nil)
        let future = await f.store.apply([.placed(f.order("O2", "dee", [1_000]), at: Date(timeIntervalSince1970: 1e11))], options: ApplyOptions())
        #expect((try? future[0].get()) == nil)
        #expect(try await f.store.check().isEmpty)
    }
}
