import Foundation
import PatronCore

/// A message as stored: what caused it, where it stands, and — once rendered — what it said.
public struct Message: Sendable, Hashable, Codable {
    /// The message's id.
    public var id: Int64
    /// The idempotent key, sent as the e-mail's `Message-ID`.
    public var key: MessageKey
    /// The member it is for.
    public var memberId: Int64
    /// What it is about.
    public var kind: MessageKind
    /// Transactional or marketing.
    public var purpose: MessagePurpose
    /// How it goes out.
    public var channel: MessageChannel
    /// Where it stands.
    public var status: MessageStatus
    /// The cause's facts as JSON (the outbox event's payload, or what the caller gave): the template reads them.
    public var facts: String
    /// When it was queued.
    public var createdAt: Date
    /// When its next attempt is due.
    public var dueAt: Date
    /// Attempts made so far.
    public var attempts: Int
    /// The last failure, if any.
    public var lastError: String?
    /// The address it went to (e-mail, phone, member id for push).
    public var recipient: String?
    /// The provider's id for it (an HTTP provider's message id, the SMTP server's queue id when it gives one).
    public var providerId: String?
    /// The rendered subject, text and HTML (kept for the inbox and for what was sent; erased with the member).
    public var subject: String?
    /// The rendered plain text.
    public var text: String?
    /// The rendered HTML.
    public var html: String?
    /// When the channel's peer accepted it.
    public var sentAt: Date?
    /// When it was known to arrive.
    public var deliveredAt: Date?
    /// When the member read it (inbox).
    public var readAt: Date?
    /// When it was first opened: its open pixel fetched (e-mail) or, in the inbox, its first reading.
    public var openedAt: Date?
    /// How many times it was opened (each pixel fetch; an inbox message's first reading counts once).
    public var openCount: Int
    /// When a tracked link in it was first followed.
    public var clickedAt: Date?
    /// How many times its tracked links were followed.
    public var clickCount: Int

    /// Makes a message value.
    public init(
        id: Int64, key: MessageKey, memberId: Int64, kind: MessageKind, purpose: MessagePurpose, channel: MessageChannel, status: MessageStatus,
        facts: String, createdAt: Date, dueAt: Date, attempts: Int = 0, lastError: String? = nil, recipient: String? = nil,
        providerId: String? = nil, subject: String? = nil, text: String? = nil, html: String? = nil, sentAt: Date? = nil,
        deliveredAt: Date? = nil, readAt: Date? = nil, openedAt: Date? = nil, openCount: Int = 0, clickedAt: Date? = nil, clickCount: Int = 0
    ) {
        self.id = id
        self.key = key
        self.memberId = memberId
        self.kind = kind
        self.purpose = purpose
        self.channel = channel
        self.status = status
        self.facts = facts
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.attempts = attempts
        self.lastError = lastError
        self.recipient = recipient
        self.providerId = providerId
        self.subject = subject
        self.text = text
        self.html = html
        self.sentAt = sentAt
        self.deliveredAt = deliveredAt
        self.readAt = readAt
        self.openedAt = openedAt
        self.openCount = openCount
        self.clickedAt = clickedAt
        self.clickCount = clickCount
    }
}

/// A message to queue by hand (a campaign's action, a test, `patron messages send`).
public struct NewMessage: Sendable, Hashable {
    /// The member it is for.
    public var memberId: Int64
    /// What it is about.
    public var kind: MessageKind
    /// How it goes out.
    public var channel: MessageChannel
    /// What makes it unique for this member, kind and channel (a campaign's name, a date …).
    public var cause: String
    /// Facts for the template, as a JSON object.
    public var facts: String
    /// When it is queued and due.
    public var at: Date

    /// Describes a message to queue.
    public init(memberId: Int64, kind: MessageKind, channel: MessageChannel, cause: String, facts: String = "{}", at: Date) {
        self.memberId = memberId
        self.kind = kind
        self.channel = channel
        self.cause = cause
        self.facts = facts
        self.at = at
    }
}

/// What became of one attempt to deliver a claimed message.
public enum MessageOutcome: Sendable, Hashable {
    /// The peer accepted it (`delivered` for the inbox, which is the peer); with the address and the rendered content.
    case sent(Rendered, recipient: String, providerId: String?, delivered: Bool)
    /// The attempt failed; try again at the date.
    case retry(error: String, at: Date)
    /// The attempt failed and no attempt is left: dead-lettered.
    case dead(error: String)
    /// The peer refused the address for good; it is suppressed on this channel from now on.
    case bounced(error: String, recipient: String)
    /// Not sent: no consent, no address or a suppressed address.
    case suppressed(reason: String)

    /// A message's rendered parts.
    public struct Rendered: Sendable, Hashable {
        /// The subject line.
        public var subject: String
        /// The plain text.
        public var text: String
        /// The HTML.
        public var html: String

        /// Rendered parts.
        public init(subject: String, text: String, html: String) {
            self.subject = subject
            self.text = text
            self.html = html
        }
    }
}

/// Messages in the store: which causes queue which kinds on which channels, the queue the deliverer leases from,
/// the member's inbox, and the addresses suppressed after hard bounces.
public protocol MessageStore: MessageJourneyStore, Sendable {
    /// Sets the channels `kind` goes out on when its cause happens (empty: not sent). Only kinds with a cause the store
    /// sees (welcome, levelChanged, rewardRedeemed) are queued by changes; others are queued with `queueMessage`.
    func setMessageTrigger(kind: MessageKind, channels: Set<MessageChannel>) async throws
    /// The channels each kind goes out on, kinds without any left out.
    func messageTriggers() async throws -> [MessageKind: [MessageChannel]]
    /// Queues a message; the same member, kind, cause and channel again returns the first one and `false`.
    func queueMessage(_ message: NewMessage) async throws -> (Message, created: Bool)
    /// Leases up to `limit` queued messages due at `at` for `lease` seconds, earliest due first, counting an attempt
    /// for each: until the lease ends no other deliverer claims them.
    func claimMessages(at: Date, limit: Int, lease: TimeInterval) async throws -> [Message]
    /// Records the outcome of the attempt `claim` made; `false` when its lease was lost (another deliverer took it).
    func recordMessageOutcome(_ claim: Message, _ outcome: MessageOutcome, at: Date) async throws -> Bool
    /// A message by id.
    func message(id: Int64) async throws -> Message?
    /// Messages, newest first, all or with one status.
    func messages(status: MessageStatus?, limit: Int) async throws -> [Message]
    /// A member's messages on `channel`, newest first, after (older than) id `before` when given.
    func memberMessages(member: Int64, channel: MessageChannel, before: Int64?, limit: Int) async throws -> [Message]
    /// Marks a member's message read. The first reading stays, and it is the message's open: `openedAt` (unless an open
    /// was already counted) and one more `openCount`, in the same conditional update, so reading again — or two readers
    /// at once — counts nothing more.
    func markMessageRead(member: Int64, id: Int64, at: Date) async throws -> Message
    /// Sends a dead or bounced message again: queued, due at `at`, attempts reset.
    func requeueMessage(id: Int64, at: Date) async throws -> Message
    /// Whether `address` is suppressed on `channel`.
    func isSuppressed(channel: MessageChannel, address: String) async throws -> Bool
}
