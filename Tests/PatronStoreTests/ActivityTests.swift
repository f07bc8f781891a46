import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct ActivityTests {
    func fixture() async throws -> Fixture {
        try await Fixture(program: LevelTests.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open"))
    }

    func activity(_ f: Fixture, _ member: Int64, _ kind: String, day: Int, hours: Double = 12, key: String? = nil) async throws -> ActivityOutcome {
        try await f.store.recordActivity(ActivityRequest(memberId: member, kind: kind, key: key ?? "\(kind)-\(day)-\(hours)", at: f.day(day, hours: hours)))
    }

    @Test func checkInStreaksAreKeptAndBroken() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        var streaks: [Int] = []
        var bonuses: [Int64] = []
        for day in [0, 1, 2, 3, 4, 5, 6, 8, 9] {  // a seven-day streak, a missed day, a new streak
            let outcome = try await activity(f, ann.id, "checkIn", day: day)
            streaks.append(outcome.streak)
            bonuses.append(outcome.bonus)
        }
        #expect(streaks == [1, 2, 3, 4, 5, 6, 7, 1, 2])
        #expect(bonuses == [0, 0, 0, 0, 0, 0, 20, 0, 0])
        #expect(try await f.balances(ann.id).active == 9 * 5 + 20)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func limitsCountInTheProgramsDaysAndTheRestIsRefused() async throws {
        let f = try await fixture()
        let bo = try await f.member("bo")
        _ = try await activity(f, bo.id, "checkIn", day: 0, hours: 1)
        // 23:00 Shanghai time is still the same day: a second check-in is refused and writes nothing.
        do {
            _ = try await activity(f, bo.id, "checkIn", day: 0, hours: 23)
            Issue.record("a second check-in on one day must be refused")
        } catch let error as PatronError {
            #expect(error.code == .limitReached)
        }
        // 00:30 the next day (16:30 UTC) is a new day.
        #expect(try await activity(f, bo.id, "checkIn", day: 1, hours: 0.5).streak == 2)
        for index in 0..<3 { _ = try await activity(f, bo.id, "review", day: 2, key: "review-\(index)") }
        await #expect { try await activity(f, bo.id, "review", day: 2, key: "review-4") } throws: { ($0 as? PatronError)?.code == .limitReached }
        _ = try await activity(f, bo.id, "profileCompleted", day: 2)
        await #expect { try await activity(f, bo.id, "profileCompleted", day: 30) } throws: { ($0 as? PatronError)?.code == .limitReached }
        await #expect { try await activity(f, bo.id, "dance", day: 2) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(try await f.balances(bo.id).active == 5 + 5 + 3 * 10 + 50)
    }

    @Test func theSameActivityKeyIsRewardedOnce() async throws {
        let f = try await fixture()
        let cy = try await f.member("cy")
        let first = try await activity(f, cy.id, "favourite", day: 0, key: "fav-sku-1")
        let again = try await activity(f, cy.id, "favourite", day: 0, key: "fav-sku-1")
        #expect(!first.replayed && again.replayed)
        #expect(try await f.balances(cy.id).active == 2)
    }
}
