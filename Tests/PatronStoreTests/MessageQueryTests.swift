import Foundation
import PatronCore
import Testing

@testable import PatronStore

/// The console's reads of messages: the queue filtered by status, kind and channel and paged by id, one member's
/// messages on every channel, a member's unread inbox count, and counts by status, kind and channel — on SQLite, and
/// on PostgreSQL with `PATRON_TEST_BACKEND=postgres`.
@Suite struct MessageQueryTests {
    /// Two members; for each: a welcome in the inbox (delivered), a welcome by e-mail (dead), a campaign by SMS (queued).
    static func shop() async throws -> (Fixture, ann: Int64, bob: Int64) {
        let fixture = try await Fixture()
        let ann = try await fixture.member("ann").id
        let bob = try await fixture.member("bob").id
        let now = fixture.clock.now()
        for member in [ann, bob] {
            _ = try await fixture.store.queueMessage(NewMessage(memberId: member, kind: .welcome, channel: .inbox, cause: "enrolled", at: now))
            _ = try await fixture.store.queueMessage(NewMessage(memberId: member, kind: .welcome, channel: .email, cause: "enrolled", at: now))
            _ = try await fixture.store.queueMessage(NewMessage(memberId: member, kind: .campaign, channel: .sms, cause: "spring", at: now.addingTimeInterval(3_600)))
        }
        for claim in try await fixture.store.claimMessages(at: now, limit: 10, lease: 60) {
            let outcome: MessageOutcome =
                claim.channel == .inbox
                ? .sent(.init(subject: "Hi", text: "Hello", html: "<p>Hello</p>"), recipient: String(claim.memberId), providerId: nil, delivered: true)
                : .dead(error: "no sender is configured for email")
            #expect(try await fixture.store.recordMessageOutcome(claim, outcome, at: now))
        }
        return (fixture, ann, bob)
    }

    @Test func theQueueIsFilteredByStatusKindAndChannelNewestFirst() async throws {
        let (fixture, ann, bob) = try await Self.shop()
        let store = fixture.store
        let all = try await store.messages(matching: MessageFilter(), limit: 50)
        #expect(all.count == 6)
        #expect(all.map(\.id) == all.map(\.id).sorted(by: >))
        let dead = try await store.messages(matching: MessageFilter(status: .dead), limit: 50)
        #expect(dead.count == 2 && dead.allSatisfy { $0.status == .dead && $0.channel == .email })
        #expect(try await store.messages(matching: MessageFilter(kind: .campaign), limit: 50).map(\.channel) == [.sms, .sms])
        #expect(try await store.messages(matching: MessageFilter(channel: .inbox), limit: 50).map(\.memberId) == [bob, ann])
        #expect(try await store.messages(matching: MessageFilter(status: .queued, kind: .welcome), limit: 50).isEmpty)
        #expect(try await store.messages(matching: MessageFilter(status: .delivered, kind: .welcome, channel: .inbox), limit: 50).count == 2)

        // Paging back by id: two pages of three, nothing repeated, nothing left out.
        let first = try await store.messages(matching: MessageFilter(), limit: 3)
        let second = try await store.messages(matching: MessageFilter(before: first.last!.id), limit: 3)
        #expect(Set(first.map(\.id) + second.map(\.id)) == Set(all.map(\.id)))
        #expect(try await store.messages(matching: MessageFilter(before: second.last!.id), limit: 3).isEmpty)
    }

    @Test func aMembersMessagesCoverEveryChannelAndStatusAndNoOneElses() async throws {
        let (fixture, ann, _) = try await Self.shop()
        let mine = try await fixture.store.messages(member: ann, before: nil, limit: 10)
        #expect(mine.count == 3)
        #expect(Set(mine.map(\.channel)) == [.inbox, .email, .sms])
        #expect(Set(mine.map(\.status)) == [.delivered, .dead, .queued])
        #expect(mine.allSatisfy { $0.memberId == ann })
        #expect(try await fixture.store.messages(member: ann, before: mine[0].id, limit: 10).map(\.id) == Array(mine.dropFirst().map(\.id)))
    }

    @Test func theUnreadCountIsTheMembersDeliveredInboxMessagesNotYetRead() async throws {
        let (fixture, ann, bob) = try await Self.shop()
        #expect(try await fixture.store.unreadInboxCount(member: ann) == 1)
        let inbox = try await fixture.store.memberMessages(member: ann, channel: .inbox, before: nil, limit: 10)
        _ = try await fixture.store.markMessageRead(member: ann, id: inbox[0].id, at: fixture.clock.now())
        #expect(try await fixture.store.unreadInboxCount(member: ann) == 0)
        #expect(try await fixture.store.unreadInboxCount(member: bob) == 1, "another member's reading changes nothing")
    }

    @Test func countsAreByStatusKindAndChannel() async throws {
        let (fixture, _, _) = try await Self.shop()
        let counts = try await fixture.store.messageCounts()
        #expect(Set(counts) == [
            MessageCount(status: .delivered, kind: .welcome, channel: .inbox, count: 2),
            MessageCount(status: .dead, kind: .welcome, channel: .email, count: 2),
            MessageCount(status: .queued, kind: .campaign, channel: .sms, count: 2),
        ])
    }
}
