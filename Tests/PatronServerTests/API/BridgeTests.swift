import Foundation
@testable import PatronCore
@testable import PatronServer
@testable import PatronStore
import Testing

/// Responses built field by field for speed equal what the generic JSON round trip (`Bridge.convert`) builds, so a
/// field added to either side and not to the mapping fails here.
@Suite struct BridgeTests {
    static let outcomes: [OrderOutcome] = [OrderRecord.Status.placed, .completed, .active, .cancelled].enumerated().map { index, status in
        OrderOutcome(
            eventId: "e\(index) \"quoted\" 注文", orderId: "O-\(index)", memberId: Int64(index) * 1_000_000_007, status: status,
            pendingDelta: Int64(index) * -37, activeDelta: Int64(index) * 41, enrolled: index % 2 == 0, replayed: index % 3 == 0)
    }

    @Test(arguments: outcomes)
    func anOrderOutcomeMapsAsTheJSONRoundTripDoes(outcome: OrderOutcome) throws {
        let direct = Components.Schemas.OrderOutcome(outcome)
        let roundTrip: Components.Schemas.OrderOutcome = try Bridge.convert(outcome)
        #expect(direct == roundTrip)
    }

    /// The JSON the API writes for a generated value (sorted keys, instants as `InstantText` writes them).
    static func json(_ value: some Encodable) throws -> String { String(decoding: try Bridge.encoder.encode(value), as: UTF8.self) }

    static let instant = Date(timeIntervalSince1970: 1_764_590_400.123)

    static let members: [Member] = [
        Member(id: 1, enrolledAt: Date(timeIntervalSince1970: 1_700_000_000), identities: [], profile: Profile(), balances: .zero),
        Member(
            id: 42, enrolledAt: instant,
            identities: [try! .customer("C-42"), try! Identity(kind: "email", value: "ann@example.com")],
            profile: Profile(
                name: "Ann \"Q\" 李", birthday: LocalDate(iso: "1990-02-28"), tags: ["vip", "coffee"], consents: ["email": true, "sms": false],
                region: "Zhejiang", city: "Hangzhou", channel: "app", gender: "f"),
            balances: Balances(active: 1_200, pending: -5, lifetimeEarned: 9_000, lifetimeSpent: 7_800),
            level: LevelState(
                level: "Gold", since: instant.addingTimeInterval(-86_400.5), validUntil: instant.addingTimeInterval(86_400 * 365),
                override: LevelOverride(level: "Diamond", until: instant.addingTimeInterval(3_600.25), reason: "goodwill")),
            erasedAt: instant.addingTimeInterval(60)),
    ]

    @Test(arguments: members)
    func aMemberMapsAsTheJSONRoundTripDoes(member: Member) throws {
        let roundTrip: Components.Schemas.Member = try Bridge.convert(member)
        #expect(try Self.json(Components.Schemas.Member(member)) == Self.json(roundTrip))
    }

    @Test func aStatementWithEveryEntryKindMapsAsTheJSONRoundTripDoes() throws {
        let entries = LedgerEntry.Kind.allCases.enumerated().map { index, kind in
            LedgerEntry(
                id: Int64(index + 1), memberId: 42, kind: kind, activeDelta: Int64(index * 10 - 30), pendingDelta: Int64(-index),
                orderId: index % 2 == 0 ? "O-\(index)" : nil, programVersion: 1 + index % 3, occurredAt: Self.instant.addingTimeInterval(Double(index) * 0.0015),
                reason: index % 3 == 0 ? "reason \(index)" : nil, actor: index % 4 == 0 ? "key:web" : nil)
        }
        let lots = [
            Lot(id: 7, memberId: 42, points: 100, remaining: 40, createdAt: Self.instant, expiresAt: Self.instant.addingTimeInterval(86_400 * 540), orderId: "O-1"),
            Lot(id: 8, memberId: 42, points: 25, remaining: 25, createdAt: Self.instant.addingTimeInterval(0.001), expiresAt: nil, orderId: nil),
        ]
        let statement = AccountStatement(member: Self.members[1], lots: lots, entries: entries)
        struct Domain: Encodable { var member: Member; var lots: [Lot]; var entries: [LedgerEntry] }
        let roundTrip: Components.Schemas.Statement = try Bridge.convert(Domain(member: statement.member, lots: lots, entries: entries))
        #expect(try Self.json(try Components.Schemas.Statement(statement)) == Self.json(roundTrip))
    }

    static let events: [Components.Schemas.OrderEvent] = [
        .init(
            id: "e1", kind: .placed, orderId: "O1", occurredAt: Date(timeIntervalSince1970: 1_764_590_400.123_456),
            order: .init(
                id: "O1", member: .init(kind: "email", value: " Ann@Example.com "), currency: "USD",
                lines: [
                    .init(sku: "BEANS", category: "coffee", quantity: 2, unitPrice: 2_000),
                    .init(id: "line-2", sku: "MUG", quantity: 1, unitPrice: 900, discount: 100),
                ],
                shipping: 700, tax: 80, discount: 50, channel: "web", pointsUsed: 300, couponCode: "SAVE5", partner: "salon")),
        .init(
            id: "e2", kind: .placed, orderId: "O2", occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
            order: .init(id: "O2", member: .init(kind: "customer", value: "C-2"), lines: [.init(sku: "A", quantity: 1, unitPrice: 1_500)])),
        .init(id: "e3", kind: .completed, orderId: "O1", occurredAt: Date(timeIntervalSince1970: 1_764_600_000.000_4)),
        .init(id: "e4", kind: .cancelled, orderId: "O2", occurredAt: Date(timeIntervalSince1970: 1_764_600_001)),
        .init(id: "e5", kind: .returned, orderId: "O1", occurredAt: Date(timeIntervalSince1970: 1_764_700_000.999_6), lines: [.init(lineId: "BEANS", quantity: 1)]),
        .init(id: "e6", kind: .returned, orderId: "O1", occurredAt: Date(timeIntervalSince1970: 1_764_700_001)),
    ]

    @Test(arguments: events)
    func anOrderEventMapsAsTheJSONRoundTripDoes(event: Components.Schemas.OrderEvent) throws {
        let roundTrip: OrderEvent = try Bridge.convert(event)
        #expect(try OrderEvent(event, field: "body", occurredAt: { $0! }) == roundTrip)
    }

    @Test func anIdentityTheDomainRefusesIsBadInputNamingTheEventsMember() async throws {
        try await TestAPI.run { api in
            let order = #"{"id": "O9", "member": {"kind": "email", "value": "not-an-address"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}"#
            let single = try await api.call(.post, "/v1/orders/events", as: "storefront", json: #"{"id": "e9", "kind": "placed", "orderId": "O9", "order": \#(order)}"#)
            #expect(single.status == 400 && single.errorCode == "invalid_input", "\(single.text)")
            #expect(single.errorDetails.first?["path"] as? String == "body.order.member", "\(single.text)")
            #expect((single.object["error"] as? [String: Any])?["message"] as? String == "body.order.member: identity email: 'not-an-address' is not an e-mail address")
            let batch = try await api.call(
                .post, "/v1/orders/events/batch", as: "storefront",
                json: #"{"events": [{"id": "e8", "kind": "completed", "orderId": "nothing"}, {"id": "e9", "kind": "placed", "orderId": "O9", "order": \#(order)}]}"#)
            #expect(batch.status == 200, "\(batch.text)")
            let results = try #require(batch.object["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? Int } == [404, 400], "\(batch.text)")
            #expect(((results[1]["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("events[1].order.member: identity email") == true, "\(batch.text)")
        }
    }

    @Test func aQuoteMapsAsTheJSONRoundTripDoes() throws {
        let quote = Quote(
            goods: 4_000, adjustments: [.init(benefit: "level discount", amount: 200), .init(benefit: "free shipping", amount: 700)], shipping: 700,
            total: 3_800, maxPayablePoints: 190_000, pointsUsed: 0, pointsEarned: 57,
            earning: [RuleContribution(rule: "base", micropoints: 38_000_000), RuleContribution(rule: "tier boost", micropoints: 19_000_000, note: "Gold ×1.5")],
            perks: ["priority-support"], refusedSKUs: ["DIAMOND-EDITION"], lines: [.init(label: "BEANS ×2", amount: 4_000), .init(label: "level discount", amount: -200)])
        let roundTrip: Components.Schemas.Quote = try Bridge.convert(quote)
        #expect(try Self.json(Components.Schemas.Quote(quote)) == Self.json(roundTrip))
        #expect(Components.Schemas.Quote(quote) == roundTrip)
    }
}
