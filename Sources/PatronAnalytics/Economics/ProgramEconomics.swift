/// Points programme economics (docs/loyalty.md, "What the programme may cost"): issued, redeemed and expired points per
/// month, the outstanding liability, breakage and the programme's cost as a share of sales. The rules are in
/// docs/analytics.md.
public enum ProgramEconomics {
    /// Computes the report.
    ///
    /// The expected redemption rate is, in order: ``EconomicsOptions/redemptionRate`` if given; else
    /// redeemed ÷ (redeemed + expired) over the ledger when it spans at least
    /// ``EconomicsOptions/minimumHistoryMonths`` months and some points have expired (before the first expiry the
    /// ratio is 1 by construction); else the default of docs/loyalty.md for the programme's age: 30 % up to 12 months, 50 % up
    /// to 24, 70 % after (the middle of 60–80 %).
    /// - Throws: ``AnalyticsError`` `empty_input` (no periods), `invalid_period` (a label not `yyyy-MM` or months
    ///   not strictly ascending), `negative_amount` (negative redeemed, expired or outstanding points),
    ///   `invalid_option` (point value ≤ 0, operations share < 0, options out of range).
    public static func compute(_ input: EconomicsInput, options: EconomicsOptions = EconomicsOptions()) throws
        -> EconomicsReport {
        let months = try validate(input, options)
        let historyMonths = months.last! - months.first! + 1
        let age = options.programAgeMonths ?? historyMonths
        let issued = input.periods.reduce(Int64(0)) { $0 + $1.issued }
        let redeemed = input.periods.reduce(Int64(0)) { $0 + $1.redeemed }
        let expired = input.periods.reduce(Int64(0)) { $0 + $1.expired }
        let sales = input.periods.reduce(Int64(0)) { $0 + $1.sales }
        let historical: Double? = redeemed + expired > 0 ? Double(redeemed) / Double(redeemed + expired) : nil

        let rate: Double, source: RedemptionRateSource
        if let given = options.redemptionRate {
            (rate, source) = (given, .given)
        } else if let historical, historyMonths >= options.minimumHistoryMonths, expired > 0 {
            (rate, source) = (historical, .history)
        } else if age <= 12 {
            (rate, source) = (0.3, .defaultYearOne)
        } else if age <= 24 {
            (rate, source) = (0.5, .defaultYearTwo)
        } else {
            (rate, source) = (0.7, .defaultMature)
        }

        let factor = input.pointValue * (1 + input.operationsShare)
        func share(_ cost: Double, _ sales: Int64) -> Double? { sales > 0 ? cost / Double(sales) : nil }
        func verdict(_ s: Double?) -> BenchmarkVerdict? {
            s.map { $0 < options.benchmarkLow ? .below : $0 > options.benchmarkHigh ? .above : .within }
        }

        // Running balance, anchored on today's balance and walked backwards.
        var closing = input.outstandingPoints
        var periods: [EconomicsReport.Period] = []
        for p in input.periods.reversed() {
            let opening = closing - p.issued + p.redeemed + p.expired
            let cost = Double(p.redeemed) * factor
            periods.append(EconomicsReport.Period(
                period: p.period, sales: p.sales, issued: p.issued, redeemed: p.redeemed, expired: p.expired,
                openingOutstanding: opening, closingOutstanding: closing, cost: cost,
                costShareOfSales: share(cost, p.sales)))
            closing = opening
        }
        periods.reverse()

        let rewardCost = Double(redeemed) * input.pointValue
        let total = rewardCost * (1 + input.operationsShare)
        let accrued = Double(issued) * factor * rate
        let cost = EconomicsReport.Cost(
            sales: sales, rewardCost: rewardCost, operationsCost: rewardCost * input.operationsShare, total: total,
            shareOfSales: share(total, sales), verdict: verdict(share(total, sales)), accruedTotal: accrued,
            accruedShareOfSales: share(accrued, sales), accruedVerdict: verdict(share(accrued, sales)),
            benchmarkLow: options.benchmarkLow, benchmarkHigh: options.benchmarkHigh)
        return EconomicsReport(
            periods: periods, issued: issued, redeemed: redeemed, expired: expired,
            outstandingPoints: input.outstandingPoints, pointValue: input.pointValue,
            operationsShare: input.operationsShare,
            redemption: EconomicsReport.Redemption(expectedRate: rate, source: source, historicalRate: historical,
                                                   historyMonths: historyMonths, programAgeMonths: age),
            breakage: 1 - rate, liability: Double(input.outstandingPoints) * input.pointValue * rate, cost: cost)
    }

    /// Checks the input; returns each period's month index.
    static func validate(_ input: EconomicsInput, _ options: EconomicsOptions) throws -> [Int] {
        guard !input.periods.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no ledger periods to analyse")
        }
        func invalid(_ message: String, _ context: [String: String] = [:]) -> AnalyticsError {
            AnalyticsError(code: AnalyticsError.invalidOption, message: message, context: context)
        }
        guard input.pointValue.isFinite, input.pointValue > 0 else {
            throw invalid("pointValue must be a positive number, got \(input.pointValue)")
        }
        guard input.operationsShare.isFinite, input.operationsShare >= 0 else {
            throw invalid("operationsShare must be ≥ 0, got \(input.operationsShare)")
        }
        if let r = options.redemptionRate, !(r.isFinite && (0...1).contains(r)) {
            throw invalid("redemptionRate must lie in 0…1, got \(r)")
        }
        guard options.minimumHistoryMonths >= 1, (options.programAgeMonths ?? 1) >= 1,
              options.benchmarkLow.isFinite, options.benchmarkHigh.isFinite,
              0 <= options.benchmarkLow, options.benchmarkLow <= options.benchmarkHigh else {
            throw invalid("minimumHistoryMonths and programAgeMonths must be ≥ 1 and 0 ≤ benchmarkLow ≤ benchmarkHigh")
        }
        guard input.outstandingPoints >= 0 else {
            throw AnalyticsError(code: AnalyticsError.negativeAmount,
                                 message: "outstanding points \(input.outstandingPoints) are negative")
        }
        var months: [Int] = []
        for p in input.periods {
            guard let m = monthIndex(p.period) else {
                throw AnalyticsError(code: AnalyticsError.invalidPeriod,
                                     message: "period \"\(p.period)\" is not a month yyyy-MM",
                                     context: ["period": p.period])
            }
            if let last = months.last, m <= last {
                throw AnalyticsError(code: AnalyticsError.invalidPeriod,
                                     message: "period \(p.period) does not follow the one before it",
                                     context: ["period": p.period])
            }
            guard p.redeemed >= 0, p.expired >= 0 else {
                throw AnalyticsError(code: AnalyticsError.negativeAmount,
                                     message: "period \(p.period) has negative redeemed or expired points",
                                     context: ["period": p.period])
            }
            months.append(m)
        }
        return months
    }

    /// `yyyy-MM` → year · 12 + month − 1, or nil.
    static func monthIndex(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        return y * 12 + m - 1
    }
}
