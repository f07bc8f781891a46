import Foundation
import PatronCore

/// What the statistics of messages read: the messages queued in a period, the orders placed in it and the consent
/// withdrawals in it (`MessageStats` attributes the last two to the first).
public struct MessageActivity: Sendable, Hashable {
    /// Messages queued in the period, with their status, send instant and whether they were opened and clicked.
    public var messages: [MessageStats.Sent]
    /// Orders placed in the period, cancelled ones left out.
    public var orders: [MessageStats.Order]
    /// Withdrawals of consent on a channel recorded in the period.
    public var withdrawals: [MessageStats.Withdrawal]

    /// Activity.
    public init(messages: [MessageStats.Sent], orders: [MessageStats.Order], withdrawals: [MessageStats.Withdrawal]) {
        self.messages = messages
        self.orders = orders
        self.withdrawals = withdrawals
    }
}

/// Opens and clicks of messages (the open pixel and the signed redirect links) and the activity their statistics read.
public protocol MessageTrackingStore: Sendable {
    /// Counts an open of message `id`, keeping the first instant; `false` when there is no such message.
    func recordMessageOpen(id: Int64, at: Date) async throws -> Bool
    /// Counts a click in message `id`, keeping the first instant; `false` when there is no such message.
    func recordMessageClick(id: Int64, at: Date) async throws -> Bool
    /// Messages queued, orders placed and consents withdrawn from `since` to `until` (both included).
    func messageActivity(since: Date, until: Date) async throws -> MessageActivity
}
