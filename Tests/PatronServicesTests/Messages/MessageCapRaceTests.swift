import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Synchronization
import Testing

@testable import PatronServices

/// The weekly frequency cap holds with two deliverers on one database — two store connections, as two `patron serve`
/// processes have — racing over one member's marketing messages: together they send exactly the cap, and suppress
/// the rest with the reason. On SQLite, or PostgreSQL when asked.
@Suite(.serialized) struct MessageCapRaceTests {
    static let program = """
        name: Cap shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        messages:
          frequencyCap: { marketingPerWeek: 3 }
          triggers:
            - { id: welcome, on: enrolled, channels: [inbox] }
        """

    /// 2026-03-01 12:00 in Shanghai.
    static let now = ISO8601DateFormatter().date(from: "2026-03-01T04:00:00Z")!

    /// An e-mail peer that takes a while over each message (so the deliverers overlap) and keeps what it accepted.
    final class SlowPeer: MessageSender {
        let accepted = Mutex<[String]>([])

        func send(_ delivery: MessageDelivery) async throws -> MessageReceipt {
            try await Task.sleep(for: .milliseconds(15))
            accepted.withLock { $0.append(delivery.message.key.value) }
            return MessageReceipt(providerId: nil, delivered: false)
        }
    }

    @Test(arguments: [1, 2, 3])
    func twoDeliverersTogetherSendAMemberNoMoreThanTheWeeklyCap(round: Int) async throws {
        let clock = ManualClock(Self.now)
        let database = TestDatabase.fresh()
        let first = try SQLStore.open(database, clock: clock)
        try await first.migrate()
        _ = try await first.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        // The second deliverer's own connection to the same database, as another process has.
        let second = try SQLStore.open(database, clock: clock)

        let member = try await first.enroll(
            EnrollmentRequest(
                identities: [try .customer("ann"), try Identity(kind: "email", value: "ann@example.com")], profile: Profile(name: "Ann", consents: ["email": true])),
            key: nil)
        let count = 30
        for index in 0..<count {
            _ = try await first.queueMessage(
                NewMessage(memberId: member.id, kind: .campaign, channel: .email, cause: "spring-\(index)", facts: #"{"campaign":"Spring"}"#, at: Self.now))
        }

        let peer = SlowPeer()
        let templates = try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en")
        func deliverer(_ store: SQLStore) -> MessageDeliverer {
            MessageDeliverer(
                context: ServiceContext(store: store, clock: clock), templates: templates, senders: [.email: peer, .inbox: InboxSender()], unsubscribe: nil,
                configuration: MessageDeliveryConfiguration(batch: 2, ratePerSecond: [:]))
        }
        let (firstDeliverer, secondDeliverer) = (deliverer(first), deliverer(second))
        async let one = firstDeliverer.deliverAll()
        async let two = secondDeliverer.deliverAll()
        let (a, b) = try await (one, two)
        #expect(a.claimed > 0 && b.claimed > 0, "both deliverers took messages (round \(round): \(a.claimed) and \(b.claimed))")

        let campaigns = try await first.messages(status: nil, limit: 1_000).filter { $0.kind == .campaign }
        #expect(campaigns.count == count)
        let sent = campaigns.filter { $0.status == .sent }
        #expect(peer.accepted.withLock { $0.count } == 3, "the peer got \(peer.accepted.withLock { $0 })")
        #expect(sent.count == 3)
        #expect(Set(peer.accepted.withLock { $0 }) == Set(sent.map(\.key.value)))
        let suppressed = campaigns.filter { $0.status == .suppressed }
        #expect(suppressed.count == count - 3)
        #expect(suppressed.allSatisfy { $0.lastError == "frequency cap: 3 marketing messages by email in the last 7 days (at most 3 a week)" })
        #expect(suppressed.allSatisfy { $0.sentAt == nil }, "a suppressed message keeps no reservation")
        #expect(a.sent + b.sent == 4, "three campaigns and the (transactional, uncapped) welcome")
    }
}
