import Foundation
import PatronCore
import Testing

/// Message statistics count statuses, opens and clicks per kind and journey step, and attribute orders and
/// withdrawals of consent to the member's last message within the window (last touch).
@Suite struct MessageStatsTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    func at(days: Double) -> Date { start.addingTimeInterval(days * 86_400) }

    @Test func statusesOpensAndClicksAreCountedPerKindAndStep() {
        let messages: [MessageStats.Sent] = [
            .init(id: 1, memberId: 1, kind: .welcome, channel: .email, status: .sent, sentAt: at(days: 0), opened: true, clicked: true),
            .init(id: 2, memberId: 2, kind: .welcome, channel: .email, status: .sent, sentAt: at(days: 0), opened: true),
            .init(id: 3, memberId: 3, kind: .welcome, channel: .email, status: .bounced, sentAt: nil),
            .init(id: 4, memberId: 4, kind: .welcome, channel: .inbox, status: .delivered, sentAt: at(days: 0)),
            .init(id: 5, memberId: 1, kind: .inactive, channel: .email, journey: "winback", step: 1, status: .sent, sentAt: at(days: 1)),
            .init(id: 6, memberId: 2, kind: .inactive, channel: .email, journey: "winback", step: 2, status: .suppressed, sentAt: nil),
            .init(id: 7, memberId: 3, kind: .inactive, channel: .email, journey: "winback", step: 2, status: .queued, sentAt: nil),
        ]
        let stats = MessageStats(since: start, until: at(days: 10), messages: messages, orders: [], withdrawals: [])
        #expect(stats.rows.map { row in "\(row.kind!.rawValue) \(row.step.map { String($0) } ?? "-")" } == ["inactive 1", "inactive 2", "welcome -"])
        let welcome = stats.rows[2]
        #expect(welcome.messages == 4 && welcome.sent == 3 && welcome.delivered == 1 && welcome.bounced == 1)
        #expect(welcome.opened == 2 && welcome.clicked == 1 && welcome.openRate == 2.0 / 3.0)
        #expect(stats.rows[1].suppressed == 1 && stats.rows[1].sent == 0 && stats.rows[1].openRate == nil)
        #expect(stats.total.messages == 7 && stats.total.sent == 4 && stats.total.opened == 2 && stats.attribution == "last-touch")
    }

    @Test func anOrderCountsForTheMembersLastMessageWithinTheWindowOnly() {
        let messages: [MessageStats.Sent] = [
            .init(id: 1, memberId: 1, kind: .welcome, channel: .email, status: .sent, sentAt: at(days: 0)),
            .init(id: 2, memberId: 1, kind: .campaign, channel: .sms, status: .sent, sentAt: at(days: 2)),
            .init(id: 3, memberId: 2, kind: .welcome, channel: .email, status: .sent, sentAt: at(days: 0)),
            .init(id: 4, memberId: 3, kind: .welcome, channel: .email, status: .bounced, sentAt: nil),
        ]
        let orders: [MessageStats.Order] = [
            .init(memberId: 1, placedAt: at(days: 1), amount: 1_000),  // after the welcome only: welcome
            .init(memberId: 1, placedAt: at(days: 3), amount: 2_500),  // the campaign is the last touch
            .init(memberId: 1, placedAt: at(days: 8.9), amount: 700),  // 6.9 days after the campaign: still the campaign
            .init(memberId: 1, placedAt: at(days: 9.1), amount: 900),  // 7.1 days after: outside the window
            .init(memberId: 2, placedAt: at(days: -1), amount: 400),  // before any message
            .init(memberId: 3, placedAt: at(days: 1), amount: 300),  // the only message bounced
        ]
        let stats = MessageStats(since: at(days: -5), until: at(days: 20), windowDays: 7, messages: messages, orders: orders, withdrawals: [])
        let campaign = stats.rows.first { $0.kind == .campaign }!, welcome = stats.rows.first { $0.kind == .welcome }!
        #expect(campaign.orders == 2 && campaign.revenue == 3_200)
        #expect(welcome.orders == 1 && welcome.revenue == 1_000)
        #expect(stats.total.orders == 3 && stats.total.revenue == 4_200)

        let narrow = MessageStats(since: at(days: -5), until: at(days: 20), windowDays: 2, messages: messages, orders: orders, withdrawals: [])
        #expect(narrow.total.orders == 2 && narrow.total.revenue == 3_500)
    }

    @Test func aWithdrawalCountsForTheLastMessageOnItsChannel() {
        let messages: [MessageStats.Sent] = [
            .init(id: 1, memberId: 1, kind: .campaign, channel: .email, status: .sent, sentAt: at(days: 0)),
            .init(id: 2, memberId: 1, kind: .birthday, channel: .sms, status: .sent, sentAt: at(days: 1)),
        ]
        let withdrawals: [MessageStats.Withdrawal] = [
            .init(memberId: 1, channel: .email, at: at(days: 2)),  // the SMS is later, but the e-mail is the last on e-mail
            .init(memberId: 1, channel: .push, at: at(days: 2)),  // no push message: not attributed
        ]
        let stats = MessageStats(since: start, until: at(days: 10), messages: messages, orders: [], withdrawals: withdrawals)
        #expect(stats.rows.first { $0.kind == .campaign }?.unsubscribed == 1)
        #expect(stats.rows.first { $0.kind == .birthday }?.unsubscribed == 0)
        #expect(stats.total.unsubscribed == 1)
    }

    @Test func ordersOutsideThePeriodAreNotCounted() {
        let messages: [MessageStats.Sent] = [.init(id: 1, memberId: 1, kind: .welcome, channel: .email, status: .sent, sentAt: at(days: 0))]
        let orders: [MessageStats.Order] = [.init(memberId: 1, placedAt: at(days: 2), amount: 100)]
        #expect(MessageStats(since: start, until: at(days: 1), messages: messages, orders: orders, withdrawals: []).total.orders == 0)
        #expect(MessageStats(since: start, until: at(days: 3), messages: messages, orders: orders, withdrawals: []).total.orders == 1)
    }
}
