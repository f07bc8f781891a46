import Foundation

/// A member's consent on one channel after a change.
public enum ConsentState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Marketing on the channel is allowed.
    case granted
    /// Marketing on the channel is not allowed (any more).
    case withdrawn
    /// Asked for, waiting for the member to confirm by the link of a `confirmConsent` message (double opt-in); marketing
    /// is not allowed until then.
    case pending
}

/// One entry of a member's consent history: a channel's consent granted, withdrawn or pending, when, through what and
/// by whom. Written in the transaction of the change; the profile's `consents` booleans stay the fast path.
public struct ConsentRecord: Sendable, Hashable, Codable {
    /// The record's id, increasing with time.
    public var id: Int64
    /// The member.
    public var memberId: Int64
    /// The channel (the profile's consent key: `email`, `sms`, `push` …).
    public var channel: String
    /// The consent after the change.
    public var state: ConsentState
    /// Through what the change came.
    public var source: ConsentSource
    /// Who made it, when known.
    public var actor: String?
    /// When.
    public var at: Date

    /// A record.
    public init(id: Int64, memberId: Int64, channel: String, state: ConsentState, source: ConsentSource, actor: String?, at: Date) {
        self.id = id
        self.memberId = memberId
        self.channel = channel
        self.state = state
        self.source = source
        self.actor = actor
        self.at = at
    }
}
