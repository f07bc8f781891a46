/// Loyalty stages, attitude × behaviour quadrants and causes of repeat buying (docs/loyalty.md, "Loyalty stages").
/// The rules are in docs/analytics.md.
public enum LoyaltyAnalysis {
    /// Places every member.
    /// - Parameters:
    ///   - orders: orders with their discount and campaign facts.
    ///   - members: every member id, including those who never bought (buyers in `orders` are added).
    ///   - referrals: referrals made per customer; nil when the shop records none.
    ///   - nps: NPS answers 0–10 per customer; nil when there is no survey.
    ///   - engaged: members with non-purchase activity (check-ins, profile, favourites); nil = unknown, in which
    ///     case members without a purchase are `suspect_or_prospect`.
    /// - Throws: ``AnalyticsError`` `empty_input` (no orders and no members), `negative_amount` (amount or
    ///   discount), `invalid_option` (an NPS outside 0…10, a negative referral count, options out of range).
    public static func run(orders: [OrderFact], members: [String] = [], referrals: [String: Int]? = nil,
                           nps: [String: Int]? = nil, engaged: Set<String>? = nil,
                           options: LoyaltyOptions = LoyaltyOptions()) throws -> LoyaltyReport {
        try validate(orders: orders, members: members, referrals: referrals, nps: nps, options: options)
        let kept = orders.filter { options.asOfDay == nil || $0.day <= options.asOfDay! }

        var ids: [String] = [], index: [String: Int] = [:]
        for id in members + kept.map(\.customer) where index[id] == nil {
            index[id] = ids.count
            ids.append(id)
        }
        var perCustomer = [[OrderFact]](repeating: [], count: ids.count)
        for o in kept { perCustomer[index[o.customer]!].append(o) }

        let highBehaviour = try behaviourRule(kept, options)
        var rows: [LoyaltyReport.Customer] = []
        rows.reserveCapacity(ids.count)
        for (id, list) in zip(ids, perCustomer) {
            let days = Array(Set(list.map(\.day))).sorted()
            let n = Double(max(list.count, 1))
            let discounted = Double(list.filter { $0.discount > 0 }.count) / n
            let campaign = Double(list.filter(\.inCampaign).count) / n
            let referred = (referrals?[id] ?? 0) > 0
            let score = nps?[id]
            let promoter = score.map { $0 >= options.promoterScore } ?? false

            let stage: LoyaltyStage
            if referred { stage = .advocate }
            else if days.count >= 2 { stage = .repeatBuyer }
            else if days.count == 1 { stage = .firstTimeBuyer }
            else if let engaged { stage = engaged.contains(id) ? .prospect : .suspect }
            else { stage = .suspectOrProspect }

            let quadrant: LoyaltyQuadrant? = score.map { _ in
                switch (promoter, highBehaviour(id, days.count)) {
                case (false, false): .nonLoyal
                case (false, true): .inertial
                case (true, false): .latent
                case (true, true): .absolute
                }
            }

            var causes: [RepeatCause] = []
            if days.count >= 2 {
                let price = discounted > options.majorityShare, incentive = campaign > options.majorityShare
                if price { causes.append(.price) }
                if incentive { causes.append(.incentive) }
                if isRegular(days, options) { causes.append(.habitual) }
                if (referred || promoter) && !price && !incentive { causes.append(.superValue) }
                if causes.isEmpty { causes = [.unclassified] }
            }
            rows.append(LoyaltyReport.Customer(
                customer: id, stage: stage, purchaseDays: days.count, orders: list.count,
                discountedShare: list.isEmpty ? 0 : discounted, campaignShare: list.isEmpty ? 0 : campaign,
                quadrant: quadrant, causes: causes))
        }

        func counts<K>(_ keys: [K], base: Int, _ has: (LoyaltyReport.Customer, K) -> Bool) -> [LoyaltyReport.Count<K>] {
            keys.map { k in
                let c = rows.filter { has($0, k) }.count
                return LoyaltyReport.Count(key: k, customers: c, share: base > 0 ? Double(c) / Double(base) : 0)
            }
        }
        let surveyed = rows.filter { $0.quadrant != nil }.count
        let repeatBuyers = rows.filter { !$0.causes.isEmpty }.count
        return LoyaltyReport(
            customers: rows,
            stages: counts(LoyaltyStage.allCases, base: rows.count) { $0.stage == $1 },
            surveyed: surveyed,
            quadrants: nps == nil ? nil : counts(LoyaltyQuadrant.allCases, base: surveyed) { $0.quadrant == $1 },
            behaviour: options.behaviour, repeatBuyers: repeatBuyers,
            causes: counts(RepeatCause.allCases, base: repeatBuyers) { $0.causes.contains($1) })
    }

    /// Gaps between purchase days are regular: enough days and a coefficient of variation within the limit.
    static func isRegular(_ days: [Int], _ options: LoyaltyOptions) -> Bool {
        guard days.count >= max(3, options.habitualMinimumDays) else { return false }
        let gaps = zip(days.dropFirst(), days).map { Double($0 - $1) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)
        return variance.squareRoot() <= options.habitualMaxVariation * mean
    }

    /// The "high behaviour" test for a customer id with its purchase days.
    static func behaviourRule(_ orders: [OrderFact], _ options: LoyaltyOptions) throws -> (String, Int) -> Bool {
        switch options.behaviour {
        case .repeatBuyer:
            return { _, days in days >= 2 }
        case .rfm:
            guard !orders.isEmpty else { return { _, _ in false } }
            let purchases = orders.map { Purchase(customer: $0.customer, day: $0.day, amount: $0.amount) }
            let report = try RFMAnalysis.run(purchases: purchases, asOfDay: options.asOfDay)
            let high = Set(report.customers.filter { $0.segment == .champions || $0.segment == .loyal }
                .map(\.customer))
            return { id, _ in high.contains(id) }
        }
    }

    static func validate(orders: [OrderFact], members: [String], referrals: [String: Int]?, nps: [String: Int]?,
                         options: LoyaltyOptions) throws {
        guard !orders.isEmpty || !members.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no orders and no members to analyse")
        }
        if let o = orders.first(where: { $0.amount < 0 || $0.discount < 0 }) {
            throw AnalyticsError(code: AnalyticsError.negativeAmount,
                                 message: "order of customer \(o.customer) on day \(o.day) has a negative amount or discount",
                                 context: ["customer": o.customer, "day": String(o.day)])
        }
        if let (id, score) = nps?.first(where: { !(0...10).contains($0.value) }) {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "NPS answer \(score) of customer \(id) is outside 0…10",
                                 context: ["customer": id, "nps": String(score)])
        }
        if let (id, count) = referrals?.first(where: { $0.value < 0 }) {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "referral count \(count) of customer \(id) is negative",
                                 context: ["customer": id, "referrals": String(count)])
        }
        guard (0...10).contains(options.promoterScore), options.majorityShare.isFinite,
              (0..<1).contains(options.majorityShare), options.habitualMinimumDays >= 3,
              options.habitualMaxVariation.isFinite, options.habitualMaxVariation >= 0 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "promoterScore must lie in 0…10, majorityShare in 0…1 (exclusive), habitualMinimumDays ≥ 3, habitualMaxVariation ≥ 0")
        }
    }
}
