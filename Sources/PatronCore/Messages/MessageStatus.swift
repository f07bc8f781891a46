import Foundation

/// Where a message stands. `queued` → `sent` (accepted by the channel's peer) → `delivered` (the peer says it
/// arrived, or the inbox stored it); a permanent refusal is `bounced`; a failed attempt leaves it `queued` for a retry
/// until the attempts run out, then `dead`; `suppressed` messages were never sent (no consent, no address, or the
/// address bounced before).
public enum MessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for its first attempt or its next retry.
    case queued
    /// Handed to the channel's peer, which accepted it.
    case sent
    /// Known to have arrived (inbox messages are delivered when stored).
    case delivered
    /// The peer refused the address for good (an SMTP 5xx to the recipient): the address is suppressed from now on.
    case bounced
    /// The last attempt failed and none is left to make (kept for `failed` reports; the deliverer writes `dead`).
    case failed
    /// Every attempt failed; dead-lettered, an admin may send it again.
    case dead
    /// Not sent and never will be: no consent for a marketing message, no address, or a suppressed address.
    case suppressed

    /// Whether the deliverer is done with the message.
    public var isFinal: Bool { self != .queued }
}
