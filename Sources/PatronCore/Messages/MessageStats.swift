import Foundation

/// What became of the messages sent in a period, per kind and journey step: how many the peers accepted, how many
/// bounced, were opened (pixel) and clicked (signed redirect), and the unsubscribes and orders that followed them.
///
/// Attribution is **last touch within a window**: an order placed at `t` by a member counts for the member's latest
/// message accepted at or before `t` and less than `window` before it (any channel); a withdrawal of consent on a channel
/// counts for the member's latest such message on that channel. Each order and each withdrawal counts once, or not at
/// all when no message precedes it within the window.
public struct MessageStats: Sendable, Hashable, Codable {
    /// The counts of one kind and journey step (or of everything, in `total`).
    public struct Row: Sendable, Hashable, Codable {
        /// The kind; `nil` in the total.
        public var kind: MessageKind?
        /// The journey (the program trigger that queued the messages); `nil` for messages outside a journey.
        public var journey: String?
        /// The step within the journey (1, 2, 3 …); `nil` outside a journey.
        public var step: Int?
        /// Messages queued in the period.
        public var messages = 0
        /// Accepted by the channel's peer (an SMTP server's 250, a provider's 2xx, the inbox).
        public var sent = 0
        /// Known to have arrived: the inbox stores its own; e-mail, SMS and push have no receipts, so they count as sent only.
        public var delivered = 0
        /// Refused for good by the peer.
        public var bounced = 0
        /// Not sent: no consent, no address, a suppressed address, an erased member.
        public var suppressed = 0
        /// Opened at least once: an HTML e-mail's open pixel was fetched, or the member read an inbox message.
        public var opened = 0
        /// Clicked at least once (a signed tracking link was followed).
        public var clicked = 0
        /// Withdrawals of consent on the message's channel attributed to it.
        public var unsubscribed = 0
        /// Orders attributed to it.
        public var orders = 0
        /// The attributed orders' amounts, in minor units of the program currency.
        public var revenue: Int64 = 0

        /// An empty row.
        public init(kind: MessageKind? = nil, journey: String? = nil, step: Int? = nil) {
            self.kind = kind
            self.journey = journey
            self.step = step
        }

        /// Opens per message sent, `nil` when none was sent.
        public var openRate: Double? { sent == 0 ? nil : Double(opened) / Double(sent) }
        /// Clicks per message sent, `nil` when none was sent.
        public var clickRate: Double? { sent == 0 ? nil : Double(clicked) / Double(sent) }
    }

    /// One message as the statistics read it.
    public struct Sent: Sendable, Hashable {
        /// The message's id (ties on the send instant go to the later id).
        public var id: Int64
        /// Its member.
        public var memberId: Int64
        /// Its kind.
        public var kind: MessageKind
        /// Its channel.
        public var channel: MessageChannel
        /// The journey and step that queued it, if any.
        public var journey: String?, step: Int?
        /// Where it stands.
        public var status: MessageStatus
        /// When the peer accepted it, if it did.
        public var sentAt: Date?
        /// Whether it was opened, and clicked.
        public var opened: Bool, clicked: Bool

        /// A message's facts.
        public init(
            id: Int64, memberId: Int64, kind: MessageKind, channel: MessageChannel, journey: String? = nil, step: Int? = nil, status: MessageStatus,
            sentAt: Date?, opened: Bool = false, clicked: Bool = false
        ) {
            self.id = id
            self.memberId = memberId
            self.kind = kind
            self.channel = channel
            self.journey = journey
            self.step = step
            self.status = status
            self.sentAt = sentAt
            self.opened = opened
            self.clicked = clicked
        }
    }

    /// An order that may be attributed to a message.
    public struct Order: Sendable, Hashable {
        /// The member who placed it.
        public var memberId: Int64
        /// When it was placed.
        public var placedAt: Date
        /// Its amount in minor units.
        public var amount: Int64

        /// An order's facts.
        public init(memberId: Int64, placedAt: Date, amount: Int64) {
            self.memberId = memberId
            self.placedAt = placedAt
            self.amount = amount
        }
    }

    /// A member withdrawing consent on a channel.
    public struct Withdrawal: Sendable, Hashable {
        /// The member.
        public var memberId: Int64
        /// The channel.
        public var channel: MessageChannel
        /// When.
        public var at: Date

        /// A withdrawal's facts.
        public init(memberId: Int64, channel: MessageChannel, at: Date) {
            self.memberId = memberId
            self.channel = channel
            self.at = at
        }
    }

    /// The first instant counted.
    public var since: Date
    /// The end of the period (orders and withdrawals after it are not counted).
    public var until: Date
    /// The attribution window in days.
    public var windowDays: Int
    /// How orders and withdrawals are attributed: always `last-touch`.
    public var attribution: String
    /// One row per kind, journey and step, in kind order, then journey and step.
    public var rows: [Row]
    /// Every message together.
    public var total: Row

    /// The default attribution window.
    public static let defaultWindowDays = 7

    /// Counts `messages` (those queued in the period) and attributes `orders` and `withdrawals` (those in the period)
    /// to them, last touch within `windowDays`.
    public init(since: Date, until: Date, windowDays: Int = Self.defaultWindowDays, messages: [Sent], orders: [Order], withdrawals: [Withdrawal]) {
        self.since = since
        self.until = until
        self.windowDays = windowDays
        self.attribution = "last-touch"
        struct Group: Hashable { var kind: MessageKind, journey: String?, step: Int? }
        var groups: [Group: Row] = [:]
        var total = Row()
        func add(_ group: Group, _ change: (inout Row) -> Void) {
            change(&groups[group, default: Row(kind: group.kind, journey: group.journey, step: group.step)])
            change(&total)
        }
        // Accepted messages by member, in send order, for attribution.
        var touches: [Int64: [Sent]] = [:]
        for message in messages {
            let group = Group(kind: message.kind, journey: message.journey, step: message.step)
            add(group) { row in
                row.messages += 1
                switch message.status {
                case .sent: row.sent += 1
                case .delivered:
                    row.sent += 1
                    row.delivered += 1
                case .bounced: row.bounced += 1
                case .suppressed: row.suppressed += 1
                case .queued, .failed, .dead: break
                }
                if message.opened { row.opened += 1 }
                if message.clicked { row.clicked += 1 }
            }
            if message.sentAt != nil, message.status == .sent || message.status == .delivered { touches[message.memberId, default: []].append(message) }
        }
        for key in touches.keys { touches[key]!.sort { ($0.sentAt!, $0.id) < ($1.sentAt!, $1.id) } }
        let window = TimeInterval(windowDays) * 86_400
        /// The member's last message accepted at or before `at` and less than the window before it.
        func lastTouch(_ member: Int64, at: Date, channel: MessageChannel?) -> Sent? {
            guard let list = touches[member] else { return nil }
            for message in list.reversed() where message.sentAt! <= at && (channel == nil || message.channel == channel) {
                return at.timeIntervalSince(message.sentAt!) < window ? message : nil
            }
            return nil
        }
        for order in orders where order.placedAt >= since && order.placedAt <= until {
            guard let touch = lastTouch(order.memberId, at: order.placedAt, channel: nil) else { continue }
            add(Group(kind: touch.kind, journey: touch.journey, step: touch.step)) { row in
                row.orders += 1
                row.revenue += order.amount
            }
        }
        for withdrawal in withdrawals where withdrawal.at >= since && withdrawal.at <= until {
            guard let touch = lastTouch(withdrawal.memberId, at: withdrawal.at, channel: withdrawal.channel) else { continue }
            add(Group(kind: touch.kind, journey: touch.journey, step: touch.step)) { $0.unsubscribed += 1 }
        }
        self.rows = groups.values.sorted { ($0.kind!, $0.journey ?? "", $0.step ?? 0) < ($1.kind!, $1.journey ?? "", $1.step ?? 0) }
        self.total = total
    }
}
