import Foundation
import PatronCore
import PatronStore
import Testing

/// The weekly cap's check-and-count in the store (`reserveCappedSend`): a place reserved by a deliverer counts while
/// its lease runs, becomes a send when the message is sent, and is given back by any other outcome or when the lease
/// ends (a crashed deliverer). On SQLite, or PostgreSQL when asked.
@Suite struct CapReservationTests {
    let fixture: Fixture
    let member: Int64

    init() async throws {
        fixture = try await Fixture()
        member = try await fixture.store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil).id
    }

    func queue(_ cause: String) async throws {
        _ = try await fixture.store.queueMessage(
            NewMessage(memberId: member, kind: .campaign, channel: .email, cause: cause, facts: "{}", at: fixture.clock.now()))
    }

    func reserve(_ claim: Message, cap: Int = 1) async throws -> CapReservation {
        let now = fixture.clock.now()
        return try await fixture.store.reserveCappedSend(claim, channel: .email, cap: cap, since: now.addingTimeInterval(-7 * 86_400), at: now)
    }

    static let rendered = MessageOutcome.Rendered(subject: "Hi", text: "Hi", html: "<p>Hi</p>")

    @Test func aReservedPlaceCountsUntilItsOutcomeAndOnlyASendKeepsIt() async throws {
        for cause in ["a", "b", "c"] { try await queue(cause) }
        let claims = try await fixture.store.claimMessages(at: fixture.clock.now(), limit: 10, lease: 300)
        #expect(claims.count == 3)
        #expect(try await reserve(claims[0]) == .reserved)
        #expect(try await fixture.store.message(id: claims[0].id)?.sentAt == fixture.clock.now(), "the reservation")
        // Another deliverer's message for the same member finds the place taken while the first is being sent.
        #expect(try await reserve(claims[1]) == .full(sent: 1))
        #expect(try await reserve(claims[1], cap: 2) == .reserved)

        // A failed attempt gives its place back; a send keeps it.
        #expect(try await fixture.store.recordMessageOutcome(claims[1], .retry(error: "451", at: fixture.clock.now().addingTimeInterval(60)), at: fixture.clock.now()))
        #expect(try await fixture.store.message(id: claims[1].id)?.sentAt == nil)
        #expect(try await reserve(claims[2], cap: 2) == .reserved)
        #expect(try await fixture.store.recordMessageOutcome(claims[2], .suppressed(reason: "no consent"), at: fixture.clock.now()))
        #expect(try await fixture.store.message(id: claims[2].id)?.sentAt == nil)
        fixture.clock.advance(seconds: 5)
        #expect(try await fixture.store.recordMessageOutcome(claims[0], .sent(Self.rendered, recipient: "a@x.example", providerId: nil, delivered: false), at: fixture.clock.now()))
        try await queue("d")
        let next = try #require(try await fixture.store.claimMessages(at: fixture.clock.now(), limit: 10, lease: 300).first)
        #expect(try await reserve(next) == .full(sent: 1), "the sent one counts")
        #expect(try await reserve(next, cap: 2) == .reserved)

        // A claim whose lease was lost is not reserved.
        var stale = next
        stale.attempts += 1
        #expect(try await reserve(stale, cap: 5) == .lost)
    }

    @Test func aCrashedDeliverersReservationStopsCountingWhenItsLeaseEnds() async throws {
        try await queue("a")
        try await queue("b")
        let claims = try await fixture.store.claimMessages(at: fixture.clock.now(), limit: 1, lease: 300)
        #expect(try await reserve(claims[0]) == .reserved)
        // The deliverer dies here. Five minutes later its lease has ended: the place is free again, and its message is
        // claimed anew (and reserves again before it is sent).
        fixture.clock.advance(seconds: 301)
        let later = try await fixture.store.claimMessages(at: fixture.clock.now(), limit: 10, lease: 300)
        #expect(Set(later.map(\.id)).count == 2)
        let other = try #require(later.first { $0.id != claims[0].id })
        #expect(try await reserve(other) == .reserved)
        let again = try #require(later.first { $0.id == claims[0].id })
        #expect(try await reserve(again) == .full(sent: 1))
    }
}
