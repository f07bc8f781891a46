import Foundation

/// The program's `messages:` section: which causes queue which messages, on which channels, when, for whom, and the
/// rules every message obeys (quiet hours, a weekly cap on marketing). Without the section, the shop's trigger table
/// (`patron messages trigger`) decides instead.
public struct MessagePlan: Sendable, Hashable {
    /// The triggers, in file order; each `id` is unique.
    public var triggers: [MessageTrigger]
    /// Hours of the shop's day in which e-mail, SMS and push wait (the inbox does not ring).
    public var quietHours: QuietHours?
    /// The most marketing messages a member receives on one channel in any 7 days; over it a message is suppressed.
    public var marketingPerWeek: Int?

    /// A plan.
    public init(triggers: [MessageTrigger], quietHours: QuietHours? = nil, marketingPerWeek: Int? = nil) {
        self.triggers = triggers
        self.quietHours = quietHours
        self.marketingPerWeek = marketingPerWeek
    }

    /// The triggers a cause fires.
    public func triggers(on name: MessageCause.Name) -> [MessageTrigger] { triggers.filter { $0.cause.name == name } }

    /// The trigger with `id`, if the plan still has it.
    public func trigger(id: String) -> MessageTrigger? { triggers.first { $0.id == id } }

    /// Whether any trigger fires on `name` (the write path asks before it reads anything).
    public func fires(on name: MessageCause.Name) -> Bool { triggers.contains { $0.cause.name == name } }

    /// When a message caused at `instant` by `trigger` is due: after its delay, and out of quiet hours if its first
    /// channel keeps them.
    public func due(_ trigger: MessageTrigger, causedAt instant: Date, calendar: ShopCalendar) -> Date {
        let due = instant.addingTimeInterval(TimeInterval(trigger.delayMinutes * 60))
        guard let quietHours, let channel = trigger.channels.first, quietHours.channels.contains(channel) else { return due }
        return quietHours.end(ofQuietAt: due, calendar: calendar) ?? due
    }
}

/// One trigger: a cause, the message it queues, and how that message travels.
public struct MessageTrigger: Sendable, Hashable {
    /// The trigger's name in the program (`winback`): letters, digits, `-` and `_`; it becomes part of each message's key
    /// and the message's `journey`.
    public var id: String
    /// What queues the message.
    public var cause: MessageCause
    /// The templates it renders (the cause's usual kind unless the file names another).
    public var kind: MessageKind
    /// Transactional (no consent needed) or marketing (consent per channel, the weekly cap).
    public var purpose: MessagePurpose
    /// Minutes between the cause and the message being due.
    public var delayMinutes: Int
    /// A segment the member must be in when the message is sent, by name.
    public var segment: String?
    /// Channels in order of preference: the message goes on the first one the member has an address (and, for
    /// marketing, consent) on.
    public var channels: [MessageChannel]
    /// What stops a queued message before it is sent.
    public var stopWhen: Set<MessageStop>

    /// A trigger.
    public init(
        id: String, cause: MessageCause, kind: MessageKind? = nil, purpose: MessagePurpose? = nil, delayMinutes: Int = 0, segment: String? = nil,
        channels: [MessageChannel], stopWhen: Set<MessageStop> = []
    ) {
        self.id = id
        self.cause = cause
        let kind = kind ?? cause.name.kind
        self.kind = kind
        self.purpose = purpose ?? kind.purpose
        self.delayMinutes = delayMinutes
        self.segment = segment
        self.channels = channels
        self.stopWhen = stopWhen
    }
}

/// What queues a message.
public enum MessageCause: Sendable, Hashable {
    /// The member joined (queued in the enrolment's transaction).
    case enrolled
    /// The member's first order was placed (in the order's transaction).
    case firstOrder
    /// An order was completed — delivered and kept (in the completion's transaction).
    case orderDelivered
    /// The member's level changed (in the change's transaction).
    case levelChanged
    /// The member redeemed a reward (in the redemption's transaction).
    case rewardRedeemed
    /// A redeemed gift was shipped or delivered (in the fulfilment's transaction).
    case rewardFulfilled
    /// An agent wrote a note to the member on a care ticket (in the note's transaction).
    case careReply
    /// Points expire within this many days: one message per member and last day to spend them (the journeys job).
    case pointsExpiring(withinDays: Int)
    /// The member's birthday, on the day in the shop's time zone (the journeys job).
    case birthday
    /// Each anniversary of the member's enrolment (the journeys job).
    case anniversary
    /// Once per period, the members whose spend over the last 12 months is in the top `topPercent` — or, without it,
    /// every member of the trigger's segment (the journeys job).
    case thankYou(topPercent: Int?, every: ThankYouPeriod)
    /// No order for these many days, one step per number (`[30, 60, 90]` is a three-step win-back); a new order
    /// starts the count again (the journeys job).
    case inactive(days: [Int])

    /// The cause's name as the program file writes it.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        /// `on: enrolled`.
        case enrolled
        /// `on: firstOrder`.
        case firstOrder
        /// `on: orderDelivered`.
        case orderDelivered
        /// `on: levelChanged`.
        case levelChanged
        /// `on: rewardRedeemed`.
        case rewardRedeemed
        /// `on: rewardFulfilled`.
        case rewardFulfilled
        /// `on: careReply`.
        case careReply
        /// `on: pointsExpiring` (with `withinDays`).
        case pointsExpiring
        /// `on: birthday`.
        case birthday
        /// `on: anniversary`.
        case anniversary
        /// `on: thankYou` (with `topPercent` or a segment, and `every`).
        case thankYou
        /// `on: inactive` (with `days`).
        case inactive

        /// The message kind a trigger on this cause renders unless it names one.
        public var kind: MessageKind {
            switch self {
            case .enrolled: .welcome
            case .firstOrder: .firstOrder
            case .orderDelivered: .orderDelivered
            case .levelChanged: .levelChanged
            case .rewardRedeemed: .rewardRedeemed
            case .rewardFulfilled: .rewardFulfilled
            case .careReply: .careReply
            case .pointsExpiring: .pointsExpiring
            case .birthday: .birthday
            case .anniversary: .anniversary
            case .thankYou: .thankYou
            case .inactive: .inactive
            }
        }

        /// Whether the journeys job queues it (by the calendar) rather than the change that causes it.
        public var isTimed: Bool {
            switch self {
            case .pointsExpiring, .birthday, .anniversary, .thankYou, .inactive: true
            default: false
            }
        }
    }

    /// The cause's name.
    public var name: Name {
        switch self {
        case .enrolled: .enrolled
        case .firstOrder: .firstOrder
        case .orderDelivered: .orderDelivered
        case .levelChanged: .levelChanged
        case .rewardRedeemed: .rewardRedeemed
        case .rewardFulfilled: .rewardFulfilled
        case .careReply: .careReply
        case .pointsExpiring: .pointsExpiring
        case .birthday: .birthday
        case .anniversary: .anniversary
        case .thankYou: .thankYou
        case .inactive: .inactive
        }
    }
}

/// How often a thank-you goes to the most valuable members.
public enum ThankYouPeriod: String, Sendable, Hashable, CaseIterable {
    /// Once per calendar month.
    case month
    /// Once per calendar quarter.
    case quarter
    /// Once per calendar year.
    case year

    /// The period's label for a local day (`2026-03`, `2026-Q1`, `2026`): one thank-you per member and label.
    public func label(of date: LocalDate) -> String {
        switch self {
        case .month: String(format: "%04d-%02d", date.year, date.month)
        case .quarter: "\(date.year)-Q\((date.month - 1) / 3 + 1)"
        case .year: String(date.year)
        }
    }
}

/// What stops a queued message before it is sent.
public enum MessageStop: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The member placed an order after the message was queued (a win-back's purpose is met).
    case ordered
    /// The member redeemed a reward after the message was queued.
    case redeemed

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Inactivity steps: which step of an `inactive` trigger applies after `days` without an order. Step k (1-based) applies
/// from its day until the next step's, and at most 7 days: a job that missed a day still sends it, a member inactive
/// far longer when the trigger appeared gets none.
public enum InactivitySteps {
    /// Days a step stays open after its day.
    public static let grace = 7

    /// The 1-based step for `days` of inactivity, or nil.
    public static func step(days: Int, steps: [Int]) -> Int? {
        for (index, day) in steps.enumerated() {
            let next = index + 1 < steps.count ? steps[index + 1] : Int.max
            if days >= day, days < min(next, day + grace) { return index + 1 }
        }
        return nil
    }
}

extension MessageTrigger: CustomStringConvertible {
    /// One line for `patron messages triggers`:
    /// `winback: on inactive (days 30, 60, 90) → inactive, marketing, by email > sms > inbox; stops when ordered`.
    public var description: String {
        var cause = "on \(self.cause.name.rawValue)"
        switch self.cause {
        case .pointsExpiring(let days): cause += " (within \(days) days)"
        case .inactive(let days): cause += " (days \(days.map(String.init).joined(separator: ", ")))"
        case .thankYou(let top, let every): cause += " (\(top.map { "top \($0) % by 12-month spend" } ?? "the segment's members"), every \(every.rawValue))"
        default: break
        }
        var text = "\(id): \(cause) → \(kind.rawValue), \(purpose.rawValue), by \(channels.map(\.rawValue).joined(separator: " > "))"
        if delayMinutes > 0 { text += ", after \(delayMinutes) minutes" }
        if let segment { text += ", members of '\(segment)'" }
        if !stopWhen.isEmpty { text += "; stops when \(stopWhen.sorted().map(\.rawValue).joined(separator: " or "))" }
        return text
    }
}
