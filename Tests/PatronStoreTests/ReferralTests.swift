import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct ReferralAndBirthdayTests {
    @Test func aReferralIsRewardedOnceOnTheNewMembersFirstCompletedOrder() async throws {
        let f = try await Fixture(program: Fixture.shanghaiProgram + "\nreferral: { referrer: 200, referee: 100 }")
        let ann = try await f.member("ann")
        let bo = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bo")], referredBy: try .customer("ann")), key: nil)
        try await f.apply(.placed(f.order("O1", "bo", [1_000]), at: f.day(0)))
        #expect(try await f.balances(ann.id).active == 0)  // placing is not enough
        try await f.apply(.completed("O1", at: f.day(1)))
        try await f.apply(.placed(f.order("O2", "bo", [1_000]), at: f.day(2)))
        try await f.apply(.completed("O2", at: f.day(3)))
        #expect(try await f.balances(ann.id).active == 200)
        #expect(try await f.balances(bo.id).active == 100)
        #expect(try await f.store.check().isEmpty)
        await #expect {
            try await f.store.enroll(EnrollmentRequest(identities: [try .customer("cy")], referredBy: try .customer("nobody")), key: nil)
        } throws: { ($0 as? PatronError)?.code == .notFound }
    }

    @Test func birthdayGiftsComeOnceAYearInTheBirthdayMonth() async throws {
        let f = try await Fixture(program: LevelTests.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open"))
        let dee = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("dee")], profile: Profile(birthday: LocalDate(year: 1991, month: 2, day: 14))), key: nil)
        try await f.apply(.placed(f.order("O1", "dee", [70_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))  // VIP会员: 200 birthday points
        let january = try await f.store.runBirthdayGifts(asOf: f.day(20))
        #expect(january.items == 0)
        let february = try await f.store.runBirthdayGifts(asOf: f.day(40))
        #expect(february == JobReport(items: 1, points: 200))
        #expect(try await f.store.runBirthdayGifts(asOf: f.day(45)).items == 0)
        #expect(try await f.store.runBirthdayGifts(asOf: f.day(40 + 365)).items == 1)
        #expect(try await f.balances(dee.id).active == 400)  // two gifts; the order's points are still pending
        #expect(try await f.store.check().isEmpty)
    }
}
