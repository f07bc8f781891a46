import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// The data an analysis reads: from the store, or from an orders file.
public struct AnalyticsDataset: Sendable {
    /// One entry per order.
    public var purchases: [Purchase]
    /// The same orders with their discounts, for loyalty types.
    public var facts: [OrderFact]
    /// Every member, buyers or not (store only).
    public var members: [MemberFact]?
    /// The ledger per month of the program's time zone (store only).
    public var ledgerMonths: [LedgerPeriod]?
    /// The currency of the amounts.
    public var currency: Currency
    /// What one point is worth when paying, minor units, from the program's points-as-payment (store only).
    public var pointValueMinor: Double?
    /// The program's level names and thresholds (store only).
    public var levels: LevelPolicy?
    /// Each member's qualifying value for the program's levels — its metric (spend, orders or points) over its
    /// window (e.g. the last 12 months) as of the day after the last order — in the order of ``members`` (store
    /// with levels only). This is what the level review compares with the thresholds, not lifetime spend.
    public var levelValues: [Int64]?
    /// Each member's latest NPS answer (0–10) by member id, the attitude of loyalty types (store with answers only).
    public var nps: [String: Int]?

    /// A dataset of purchases only (an orders file).
    public init(purchases: [Purchase], currency: Currency) {
        self.purchases = purchases
        self.facts = purchases.map { OrderFact(customer: $0.customer, day: $0.day, amount: $0.amount, discount: 0, inCampaign: false) }
        self.members = nil
        self.ledgerMonths = nil
        self.currency = currency
        self.pointValueMinor = nil
        self.levels = nil
        self.levelValues = nil
        self.nps = nil
    }

    /// Everything the store knows: orders, members and the ledger by month of the program's time zone.
    public init(store: any Store) async throws {
        guard let program = try await store.currentProgram()?.program else {
            throw PatronError(.noProgram, "no program is loaded; there is nothing to analyse")
        }
        let records = try await store.purchases()
        let day = { (date: Date) in program.calendar.localDate(of: date).dayNumber }
        purchases = records.map { Purchase(customer: String($0.memberId), day: day($0.placedAt), amount: $0.amount) }
        // A campaign order earned from a rule with a date window (a campaign), by the rules each order recorded.
        let campaigns = Set(program.earning.rules.filter { $0.conditions.from != nil || $0.conditions.to != nil }.map(\.name))
        facts = records.map {
            OrderFact(
                customer: String($0.memberId), day: day($0.placedAt), amount: $0.amount, discount: $0.discount,
                inCampaign: !campaigns.isDisjoint(with: $0.rules))
        }
        let members = try await store.memberFacts()
        self.members = members
        var months: [String: LedgerPeriod] = [:]
        func month(_ date: Date) -> String {
            let local = program.calendar.localDate(of: date)
            return String(format: "%04d-%02d", local.year, local.month)
        }
        for hour in try await store.ledgerQuarterHours() {
            let key = month(hour.start)
            var period = months[key] ?? LedgerPeriod(period: key, sales: 0, issued: 0, redeemed: 0, expired: 0)
            period.issued += hour.issued
            period.redeemed += hour.redeemed
            period.expired += hour.expired
            months[key] = period
        }
        for record in records {
            let key = month(record.placedAt)
            months[key, default: LedgerPeriod(period: key, sales: 0, issued: 0, redeemed: 0, expired: 0)].sales += record.amount
        }
        ledgerMonths = months.values.sorted { $0.period < $1.period }
        currency = program.currency
        pointValueMinor = program.pointsAsPayment.flatMap {
            $0.points > 0 ? Double($0.perMinor) / Double($0.points) : nil
        }
        levels = program.levels
        if let policy = program.levels, let lastOrder = records.map(\.placedAt).max() {
            let asOf = program.calendar.startOfDay(program.calendar.localDate(of: lastOrder).adding(days: 1))
            let from = policy.windowStart(at: asOf, calendar: program.calendar) ?? .distantPast
            var spend: [Int64: Int64] = [:], orders: [Int64: Int64] = [:]
            for record in records where record.placedAt >= from && record.placedAt < asOf {
                spend[record.memberId, default: 0] += record.amount
                orders[record.memberId, default: 0] += 1
            }
            levelValues = members.map { member in
                switch policy.metric {
                case .spend: max(0, spend[member.memberId] ?? 0)
                case .orders: orders[member.memberId] ?? 0
                case .points: member.points
                }
            }
        } else {
            levelValues = nil
        }
        var latest: [String: Int] = [:]
        for fact in try await store.npsFacts(from: nil) { latest[String(fact.member)] = fact.score }  // oldest first: the last answer wins
        nps = latest.isEmpty ? nil : latest
    }
}

extension AnalyticsDataset {
    /// Members per level as the store holds them now (what `patron demo` and `patron member show` print), by level
    /// name; members without a level are not counted.
    public static func membersByLevel(store: any Store, at instant: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for fact in try await store.memberFacts() {
            if let level = try await store.member(id: fact.memberId)?.level.effectiveLevel(at: instant) {
                counts[level, default: 0] += 1
            }
        }
        return counts
    }
}
