import Foundation
import PatronCore

/// Which messages a staff list shows: each field narrows it; `nil` means any.
public struct MessageFilter: Sendable, Hashable {
    /// Only this status.
    public var status: MessageStatus?
    /// Only this kind.
    public var kind: MessageKind?
    /// Only this channel.
    public var channel: MessageChannel?
    /// Only messages older than this id (the next page of a newest-first list).
    public var before: Int64?

    /// A filter; every field defaults to "any".
    public init(status: MessageStatus? = nil, kind: MessageKind? = nil, channel: MessageChannel? = nil, before: Int64? = nil) {
        self.status = status
        self.kind = kind
        self.channel = channel
        self.before = before
    }
}

/// How many messages share a status, kind and channel.
public struct MessageCount: Sendable, Hashable {
    /// The status.
    public var status: MessageStatus
    /// The kind.
    public var kind: MessageKind
    /// The channel.
    public var channel: MessageChannel
    /// How many messages.
    public var count: Int

    /// A count.
    public init(status: MessageStatus, kind: MessageKind, channel: MessageChannel, count: Int) {
        self.status = status
        self.kind = kind
        self.channel = channel
        self.count = count
    }
}

/// The reads the console needs beside the deliverer's: the queue filtered, one member's messages on every channel,
/// a member's unread inbox count, and counts by status, kind and channel.
public protocol MessageQueries: Sendable {
    /// Messages matching `filter`, newest first, at most `limit`.
    func messages(matching filter: MessageFilter, limit: Int) async throws -> [Message]
    /// One member's messages on every channel and in every status, newest first, older than `before` when given.
    func messages(member: Int64, before: Int64?, limit: Int) async throws -> [Message]
    /// How many inbox messages the member has (delivered) and has not read.
    func unreadInboxCount(member: Int64) async throws -> Int
    /// Every message counted by status, kind and channel (combinations with none are absent).
    func messageCounts() async throws -> [MessageCount]
}
