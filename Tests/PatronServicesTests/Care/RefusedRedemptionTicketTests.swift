import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// `care.automatic.refusedRedemption`: a redemption refused for stock opens one ticket per member, reward and day; a
/// refusal for the balance opens none; without the setting, none.
@Suite struct RefusedRedemptionTicketTests {
    static func fixture(setting: Bool) async throws -> (SQLStore, ServiceContext) {
        let source = ServicesFixture.program + "\ncare:\n  automatic: { refusedRedemption: \(setting) }\n"
        let store = try SQLStore.open(TestDatabase.fresh(), clock: ManualClock(ServicesFixture.now))
        try await store.migrate()
        _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
        return (store, ServiceContext(store: store, clock: ManualClock(ServicesFixture.now)))
    }

    static func member(_ store: SQLStore, _ id: String, points: Int64) async throws -> Member {
        let member = try await store.enroll(EnrollmentRequest(identities: [try .customer(id)]), key: nil)
        if points > 0 {
            _ = try await store.adjust(Adjustment(memberId: member.id, points: points, reason: "funds", actor: "test", key: "fund-\(id)", at: ServicesFixture.now))
        }
        return member
    }

    @Test("an out-of-stock refusal opens one pointsAndBenefits ticket a day and is still answered as a refusal")
    func outOfStockOpensATicket() async throws {
        let (store, context) = try await Self.fixture(setting: true)
        let ann = try await Self.member(store, "ann", points: 1_000)
        let redeem = RefusedRedemptionTickets(context: context)
        for key in ["a", "b"] { _ = try await redeem.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: key, at: ServicesFixture.now)) }
        for key in ["c", "d"] {
            await #expect(throws: PatronError.self) {
                try await redeem.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: key, at: ServicesFixture.now))
            }
        }
        let tickets = try await store.tickets(TicketQuery(memberId: ann.id))
        #expect(tickets.count == 1)
        #expect(tickets.first?.category == .pointsAndBenefits && tickets.first?.source == .automatic)
        #expect(tickets.first?.body.contains("out of stock") == true)

        let poor = try await Self.member(store, "bo", points: 10)
        await #expect(throws: PatronError.self) {
            try await redeem.redeem(RedeemRequest(memberId: poor.id, rewardId: "coupon-10", key: "e", at: ServicesFixture.now))
        }
        #expect(try await store.tickets(TicketQuery(memberId: poor.id)).isEmpty)
    }

    @Test("without the setting a refusal opens no ticket")
    func settingOff() async throws {
        let (store, context) = try await Self.fixture(setting: false)
        let ann = try await Self.member(store, "ann", points: 1_000)
        let redeem = RefusedRedemptionTickets(context: context)
        for key in ["a", "b"] { _ = try await redeem.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: key, at: ServicesFixture.now)) }
        await #expect(throws: PatronError.self) { try await redeem.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "c", at: ServicesFixture.now)) }
        #expect(try await store.tickets(TicketQuery()).isEmpty)
    }
}
