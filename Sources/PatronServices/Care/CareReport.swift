import Foundation
import PatronAnalytics
import PatronCore

/// The care report: how fast and how well the service team answers, what members complain about, how satisfied they
/// are and how many lapsing members came back. `patron care report`, `GET /v1/care/report` and the HTML report's care
/// section show it.
public struct CareReport: Sendable, Hashable, Codable {
    /// The first instant counted.
    public var from: Date
    /// The instant the report is made (tickets still open are judged at it).
    public var until: Date
    /// Tickets opened in the period.
    public var tickets: Int
    /// Response-time targets met.
    public var sla: SLACompliance
    /// Service minutes (business hours) from opening to the first answer, of tickets answered.
    public var firstResponseMinutes: Distribution
    /// Service minutes from opening to resolution, of tickets resolved.
    public var resolutionMinutes: Distribution
    /// Orders placed in the period (not cancelled).
    public var orders: Int
    /// Tickets per 1,000 orders, every category.
    public var complaintsPerThousandOrders: Double?
    /// Tickets per 1,000 orders by category (every category listed).
    public var complaintsByCategory: [CategoryRate]
    /// NPS of the period's answers.
    public var nps: NPSGroup
    /// NPS per month of the period, oldest first.
    public var npsTrend: [NPSGroup]
    /// CSAT ratings of closed tickets rated in the period.
    public var csat: CSATSummary
    /// Win-back offers made in the period and whether the members came back within the window.
    public var recovery: WinBackRecoveryRow
    /// Recovery per cause.
    public var recoveryByCause: [WinBackRecoveryRow]

    /// Targets met, of the tickets whose targets are decided (answered or resolved, or already past due).
    public struct SLACompliance: Sendable, Hashable, Codable {
        /// Tickets whose first answer and resolution are both decided and on time.
        public var met: Int
        /// Tickets with a first answer or resolution late (or missing past its due time).
        public var breached: Int
        /// Tickets not decided yet (still within their targets).
        public var pending: Int
        /// `met / (met + breached)`, `nil` when nothing is decided.
        public var compliance: Double?
        /// Of tickets whose first answer is decided, the share on time.
        public var firstResponseCompliance: Double?
        /// Of tickets whose resolution is decided, the share on time.
        public var resolutionCompliance: Double?
    }

    /// The median and 90th percentile (nearest rank) of some durations.
    public struct Distribution: Sendable, Hashable, Codable {
        /// How many.
        public var count: Int
        /// The median, `nil` when there are none.
        public var median: Double?
        /// The 90th percentile, `nil` when there are none.
        public var p90: Double?

        /// The distribution of `values`.
        public init(_ values: [Double]) {
            let sorted = values.sorted()
            count = sorted.count
            median = Self.percentile(sorted, 0.5)
            p90 = Self.percentile(sorted, 0.9)
        }

        /// The nearest-rank percentile: the smallest value with at least `p` of the values at or below it.
        static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
            return sorted[min(rank, sorted.count) - 1]
        }
    }

    /// Tickets of one category per 1,000 orders.
    public struct CategoryRate: Sendable, Hashable, Codable {
        /// The category.
        public var category: TicketCategory
        /// Tickets opened.
        public var tickets: Int
        /// Per 1,000 orders, `nil` without orders.
        public var perThousandOrders: Double?
    }

    /// CSAT (1–5) ratings.
    public struct CSATSummary: Sendable, Hashable, Codable {
        /// Ratings.
        public var ratings: Int
        /// Their mean, `nil` without ratings.
        public var average: Double?
        /// The share rated 4 or 5, `nil` without ratings.
        public var satisfiedShare: Double?

        /// The summary of these scores.
        public init(scores: [Int]) {
            ratings = scores.count
            average = scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)
            satisfiedShare = scores.isEmpty ? nil : Double(scores.filter { $0 >= 4 }.count) / Double(scores.count)
        }
    }

    /// Builds the report from the period's tickets (opened at or after `from`), orders placed in it, NPS answers, CSAT
    /// scores and win-back recovery. Service minutes are counted in `hours`.
    public init(
        from: Date, until: Date, tickets: [Ticket], orders: Int, hours: BusinessHours, nps: NPSBreakdown, csat: [Int], recovery: WinBackRecovery
    ) {
        self.from = from
        self.until = until
        self.tickets = tickets.count
        var met = 0, breached = 0, pending = 0
        var firstDecided = 0, firstOnTime = 0, resolutionDecided = 0, resolutionOnTime = 0
        var firstMinutes: [Double] = [], resolutionMinutes: [Double] = []
        for ticket in tickets {
            let firstLate = ticket.firstResponseBreached(at: until)
            let firstKnown = ticket.firstResponseAt != nil || firstLate
            let resolved = ticket.status.isActive ? nil : (ticket.resolvedAt ?? ticket.closedAt)
            let resolutionLate = ticket.resolutionBreached(at: until)
            let resolutionKnown = resolved != nil || resolutionLate
            if firstKnown { firstDecided += 1; if !firstLate { firstOnTime += 1 } }
            if resolutionKnown { resolutionDecided += 1; if !resolutionLate { resolutionOnTime += 1 } }
            if firstLate || resolutionLate { breached += 1 } else if firstKnown && resolutionKnown { met += 1 } else { pending += 1 }
            if let answered = ticket.firstResponseAt { firstMinutes.append(hours.serviceSeconds(from: ticket.openedAt, to: answered) / 60) }
            if let resolved { resolutionMinutes.append(hours.serviceSeconds(from: ticket.openedAt, to: resolved) / 60) }
        }
        func share(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
        sla = SLACompliance(
            met: met, breached: breached, pending: pending, compliance: share(met, met + breached),
            firstResponseCompliance: share(firstOnTime, firstDecided), resolutionCompliance: share(resolutionOnTime, resolutionDecided))
        firstResponseMinutes = Distribution(firstMinutes)
        self.resolutionMinutes = Distribution(resolutionMinutes)
        self.orders = orders
        func perThousand(_ count: Int) -> Double? { orders == 0 ? nil : Double(count) * 1_000 / Double(orders) }
        complaintsPerThousandOrders = perThousand(tickets.count)
        complaintsByCategory = TicketCategory.allCases.map { category in
            let count = tickets.filter { $0.category == category }.count
            return CategoryRate(category: category, tickets: count, perThousandOrders: perThousand(count))
        }
        self.nps = nps.overall
        npsTrend = nps.byMonth
        self.csat = CSATSummary(scores: csat)
        self.recovery = recovery.overall
        recoveryByCause = recovery.byCause
    }
}

extension CareReport {
    /// The figures the HTML report's care section shows, days in `calendar`.
    public func summary(calendar: ShopCalendar) -> CareSummary {
        CareSummary(
            period: "\(calendar.localDate(of: from)) – \(calendar.localDate(of: until))", tickets: tickets, slaCompliance: sla.compliance,
            firstResponseMedian: firstResponseMinutes.median, firstResponseP90: firstResponseMinutes.p90, resolutionMedian: resolutionMinutes.median,
            resolutionP90: resolutionMinutes.p90, orders: orders,
            categories: complaintsByCategory.map { CareSummary.Category(name: $0.category.rawValue, tickets: $0.tickets, perThousandOrders: $0.perThousandOrders) },
            nps: nps.nps, npsAnswers: nps.tally.answers, trend: npsTrend.map { CareSummary.Month(month: $0.key, answers: $0.tally.answers, nps: $0.nps) },
            csatAverage: csat.average, csatRatings: csat.ratings, offersDecided: recovery.decided, offersRecovered: recovery.recovered,
            recoveryRate: recovery.rate)
    }
}
