import Foundation

/// A count of NPS answers by category, and the score they give: the percentage of promoters minus the percentage of
/// detractors, from −100 to +100.
public struct NPSTally: Sendable, Hashable, Codable {
    /// Answers of 9 or 10.
    public var promoters = 0
    /// Answers of 7 or 8.
    public var passives = 0
    /// Answers of 0 to 6.
    public var detractors = 0

    /// An empty tally.
    public init() {}

    /// A tally of these scores.
    public init(scores: some Sequence<Int>) {
        for score in scores { add(score) }
    }

    /// Counts one answer.
    public mutating func add(_ score: Int) {
        switch NPSCategory(score: score) {
        case .promoter: promoters += 1
        case .passive: passives += 1
        case .detractor: detractors += 1
        }
    }

    /// Every answer counted.
    public var answers: Int { promoters + passives + detractors }

    /// % promoters − % detractors, or `nil` without answers.
    public var score: Double? {
        guard answers > 0 else { return nil }
        return Double(promoters - detractors) * 100 / Double(answers)
    }
}

/// One answered NPS invitation with what it is broken down by.
public struct NPSFact: Sendable, Hashable, Codable {
    /// The member who answered.
    public var member: Int64
    /// 0–10.
    public var score: Int
    /// When it was answered.
    public var answeredAt: Date
    /// The member's level when they answered, if they had one.
    public var level: String?
    /// When the member enrolled (their cohort is its month).
    public var enrolledAt: Date
    /// The surveyed order's sales channel, if the storefront sent one.
    public var channel: String?
    /// The segments the member is in now.
    public var segments: [String]

    /// A fact.
    public init(member: Int64, score: Int, answeredAt: Date, level: String?, enrolledAt: Date, channel: String?, segments: [String]) {
        self.member = member
        self.score = score
        self.answeredAt = answeredAt
        self.level = level
        self.enrolledAt = enrolledAt
        self.channel = channel
        self.segments = segments
    }
}

/// One group of an NPS breakdown.
public struct NPSGroup: Sendable, Hashable, Codable {
    /// The group's key: a level id, a segment name, a month `YYYY-MM`, a channel; `(none)` for answers without one.
    public var key: String
    /// Its answers.
    public var tally: NPSTally
    /// Its score, `nil` without answers.
    public var nps: Double?

    /// A group.
    public init(key: String, tally: NPSTally) {
        self.key = key
        self.tally = tally
        nps = tally.score
    }
}

/// NPS overall and by level, segment, cohort (enrolment month), channel and answer month, in the program's time zone.
public struct NPSBreakdown: Sendable, Hashable, Codable {
    /// The key used for answers without a level or channel.
    public static let none = "(none)"

    /// Every answer.
    public var overall: NPSGroup
    /// By the member's level when they answered.
    public var byLevel: [NPSGroup]
    /// By the segments the member is in (a member in two segments counts in both).
    public var bySegment: [NPSGroup]
    /// By enrolment month.
    public var byCohort: [NPSGroup]
    /// By the surveyed order's channel.
    public var byChannel: [NPSGroup]
    /// By the month of the answer, oldest first: the trend.
    public var byMonth: [NPSGroup]

    /// The breakdown of `facts`, months in `calendar`'s time zone. Groups are sorted by key (months oldest first).
    public init(facts: [NPSFact], calendar: ShopCalendar) {
        var overall = NPSTally()
        var level: [String: NPSTally] = [:], segment: [String: NPSTally] = [:], cohort: [String: NPSTally] = [:]
        var channel: [String: NPSTally] = [:], month: [String: NPSTally] = [:]
        for fact in facts {
            overall.add(fact.score)
            level[fact.level ?? Self.none, default: NPSTally()].add(fact.score)
            for name in Set(fact.segments) { segment[name, default: NPSTally()].add(fact.score) }
            cohort[Self.month(fact.enrolledAt, calendar), default: NPSTally()].add(fact.score)
            channel[fact.channel ?? Self.none, default: NPSTally()].add(fact.score)
            month[Self.month(fact.answeredAt, calendar), default: NPSTally()].add(fact.score)
        }
        func groups(_ tallies: [String: NPSTally]) -> [NPSGroup] {
            tallies.keys.sorted().map { NPSGroup(key: $0, tally: tallies[$0]!) }
        }
        self.overall = NPSGroup(key: "all", tally: overall)
        byLevel = groups(level)
        bySegment = groups(segment)
        byCohort = groups(cohort)
        byChannel = groups(channel)
        byMonth = groups(month)
    }

    /// `YYYY-MM` of an instant in the shop's time zone.
    public static func month(_ instant: Date, _ calendar: ShopCalendar) -> String {
        let day = calendar.localDate(of: instant)
        return String(format: "%04d-%02d", day.year, day.month)
    }
}
