import Foundation
import PatronAnalytics
import PatronCore

/// What a member's history says about why they may have left: complaints (tickets), returns, and how much of their
/// buying came with a coupon or discount, or inside a campaign.
public struct WinBackHistory: Sendable, Hashable, Codable {
    /// Tickets the member opened or that were opened about them.
    public var complaints: Int
    /// Orders with a return (whole or part).
    public var returns: Int
    /// Orders.
    public var orders: Int
    /// Orders with a discount or coupon.
    public var discountedOrders: Int
    /// Orders that earned from a campaign.
    public var campaignOrders: Int

    /// A history.
    public init(complaints: Int = 0, returns: Int = 0, orders: Int = 0, discountedOrders: Int = 0, campaignOrders: Int = 0) {
        self.complaints = complaints
        self.returns = returns
        self.orders = orders
        self.discountedOrders = discountedOrders
        self.campaignOrders = campaignOrders
    }
}

/// The likely cause of a lapse, read from the member's history in this order: a complaint (service), a return
/// (product), more than half the orders discounted (price), more than half in campaigns (incentive), else none shown.
public enum WinBackCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// The member complained (a ticket): win back with service — an apology, a call, goodwill.
    case complaint
    /// The member returned goods: the product disappointed — a better match, a quality guarantee.
    case returns
    /// Most orders were discounted: price-driven — a coupon.
    case price
    /// Most orders were in campaigns: incentive-driven — a campaign or points bonus.
    case incentive
    /// Nothing in the history points to a cause.
    case unknown

    /// The cause the history points to.
    public init(_ history: WinBackHistory) {
        if history.complaints > 0 {
            self = .complaint
        } else if history.returns > 0 {
            self = .returns
        } else if history.orders > 0, history.discountedOrders * 2 > history.orders {
            self = .price
        } else if history.orders > 0, history.campaignOrders * 2 > history.orders {
            self = .incentive
        } else {
            self = .unknown
        }
    }
}

/// Who is at risk: the limits of the list.
public struct WinBackOptions: Sendable, Hashable, Codable {
    /// The day the list is made for (days since 1970 in the shop's calendar); purchases after it are ignored.
    public var asOfDay: Int
    /// A member is at risk when BG/NBD's P(alive) is below this …
    public var maxProbabilityAlive: Double
    /// … and their last order is at least this many days old.
    public var minDaysSinceLastOrder: Int
    /// The CLV and expected-purchases horizon, months.
    public var horizonMonths: Int
    /// The most members listed.
    public var limit: Int

    /// Options; by default P(alive) below 0.5, 60 days without an order, a 12-month horizon, 100 members.
    public init(asOfDay: Int, maxProbabilityAlive: Double = 0.5, minDaysSinceLastOrder: Int = 60, horizonMonths: Int = 12, limit: Int = 100) {
        self.asOfDay = asOfDay
        self.maxProbabilityAlive = maxProbabilityAlive
        self.minDaysSinceLastOrder = minDaysSinceLastOrder
        self.horizonMonths = horizonMonths
        self.limit = limit
    }

    func validate() throws {
        guard maxProbabilityAlive.isFinite, (0...1).contains(maxProbabilityAlive) else {
            throw PatronError(.invalidInput, "maxProbabilityAlive: must be from 0 to 1")
        }
        guard (0...3_650).contains(minDaysSinceLastOrder) else { throw PatronError(.invalidInput, "minDaysSinceLastOrder: must be from 0 to 3650") }
        guard (1...120).contains(horizonMonths) else { throw PatronError(.invalidInput, "horizonMonths: must be from 1 to 120") }
        guard (1...100_000).contains(limit) else { throw PatronError(.invalidInput, "limit: must be from 1 to 100000") }
    }
}

/// A member on the at-risk list.
public struct AtRiskMember: Sendable, Hashable, Codable {
    /// The customer (member id as text).
    public var customer: String
    /// BG/NBD's probability that the member is still active.
    public var probabilityAlive: Double
    /// BG/NBD's expected purchases over the horizon.
    public var expectedPurchases: Double
    /// The last order's day (`yyyy-MM-dd`).
    public var lastOrder: String
    /// Days from the last order to the list's day.
    public var daysSinceLastOrder: Int
    /// Orders (purchase days) so far.
    public var orders: Int
    /// Spend so far, minor units.
    public var spend: Int64
    /// CLV over the horizon (BG/NBD × Gamma-Gamma), major units.
    public var clv: Double
    /// The likely cause.
    public var cause: WinBackCause
    /// The history the cause was read from.
    public var history: WinBackHistory
}

/// The at-risk list with the model it came from.
public struct WinBackAtRisk: Sendable, Hashable, Codable {
    /// The list's day.
    public var asOf: String
    /// The fitted BG/NBD parameters (weeks).
    public var model: BGNBD
    /// Customers with at least one purchase.
    public var customers: Int
    /// Customers at risk (before the limit).
    public var atRisk: Int
    /// At-risk customers per likely cause.
    public var causes: [String: Int]
    /// The list, highest CLV first, at most `limit`.
    public var candidates: [AtRiskMember]
}

/// Builds the at-risk list: BG/NBD and Gamma-Gamma fitted to purchases up to the list's day (weekly periods, as
/// `patron analyze clv`), members whose P(alive) is low and whose last order is old, ranked by CLV.
public enum WinBackList {
    /// The at-risk list of `purchases` (amounts in minor units) with each member's cause from `histories` (by customer).
    public static func atRisk(
        purchases: [Purchase], histories: [String: WinBackHistory], options: WinBackOptions, minorUnitsPerMajor: Int64
    ) throws -> WinBackAtRisk {
        try options.validate()
        let kept = purchases.filter { $0.day <= options.asOfDay }
        guard !kept.isEmpty else { throw PatronError(.invalidInput, "no purchases on or before the list's day to fit a model to") }
        let summaries = try CustomerSummary.build(
            from: kept, options: SummaryOptions(period: .week, calibrationEnd: options.asOfDay, observationEnd: options.asOfDay, minorUnitsPerMajor: minorUnitsPerMajor))
        let data = try FrequencyRecencyData(summaries)
        let bg = try BGNBD.fit(data).model
        let gg = try GammaGamma.fit(frequency: data.frequency, monetaryValue: summaries.map(\.monetaryValue)).model
        let spendPerPurchase = summaries.map { gg.expectedAverageSpend(frequency: $0.frequency, monetaryValue: $0.monetaryValue) }
        let clvOptions = CLVOptions(horizonMonths: options.horizonMonths)
        let clv = try CustomerLifetimeValue.values(model: bg, data: data, expectedSpend: spendPerPurchase, period: .week, options: clvOptions)
        let horizon = Double(options.horizonMonths) * clvOptions.daysPerMonth / PeriodUnit.week.days

        var last: [String: Int] = [:], spend: [String: Int64] = [:], days: [String: Set<Int>] = [:]
        for p in kept {
            last[p.customer] = max(last[p.customer] ?? p.day, p.day)
            spend[p.customer, default: 0] += p.amount
            days[p.customer, default: []].insert(p.day)
        }
        var candidates: [AtRiskMember] = []
        var causes: [String: Int] = [:]
        for (index, s) in summaries.enumerated() {
            let alive = bg.probabilityAlive(frequency: s.frequency, recency: s.recency, T: s.T)
            guard alive.isFinite else { continue }
            let lastDay = last[s.customer]!
            let idle = options.asOfDay - lastDay
            guard alive < options.maxProbabilityAlive, idle >= options.minDaysSinceLastOrder else { continue }
            let history = histories[s.customer] ?? WinBackHistory(orders: days[s.customer]?.count ?? 0)
            let cause = WinBackCause(history)
            causes[cause.rawValue, default: 0] += 1
            candidates.append(AtRiskMember(
                customer: s.customer, probabilityAlive: alive,
                expectedPurchases: Self.finite(bg.expectedPurchases(in: horizon, frequency: s.frequency, recency: s.recency, T: s.T)),
                lastOrder: LocalDate(dayNumber: lastDay).description, daysSinceLastOrder: idle, orders: days[s.customer]?.count ?? 0,
                spend: spend[s.customer] ?? 0, clv: Self.finite(clv[index]), cause: cause, history: history))
        }
        let atRisk = candidates.count
        candidates.sort { ($0.clv, $0.spend, $1.customer) > ($1.clv, $1.spend, $0.customer) }
        return WinBackAtRisk(
            asOf: LocalDate(dayNumber: options.asOfDay).description, model: bg, customers: summaries.count, atRisk: atRisk, causes: causes,
            candidates: Array(candidates.prefix(options.limit)))
    }

    static func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }
}
