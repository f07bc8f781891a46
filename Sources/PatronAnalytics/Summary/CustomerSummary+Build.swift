extension CustomerSummary {
    /// Reduces purchases to one summary per customer whose first purchase lies in the calibration period.
    ///
    /// Rules: purchases on the same day count as one purchase day with their amounts summed; frequency counts purchase
    /// days after the first; recency and T are measured from the first purchase day; purchases after the observation
    /// end are ignored; customers whose first purchase is after the calibration end are left out.
    /// Rows come in order of each customer's first appearance in `purchases`.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `invalid_period`, `invalid_option`,
    ///   `no_calibration_data`.
    public static func build(from purchases: [Purchase], options: SummaryOptions) throws -> [CustomerSummary] {
        guard !purchases.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no purchases to summarise")
        }
        guard options.minorUnitsPerMajor > 0 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "minorUnitsPerMajor must be positive, got \(options.minorUnitsPerMajor)")
        }
        var customerIndex: [String: Int32] = [:]
        customerIndex.reserveCapacity(purchases.count / 2)
        var names: [String] = []
        var owner = [Int32](repeating: 0, count: purchases.count)
        var lastDay = Int.min
        for (i, p) in purchases.enumerated() {
            if p.amount < 0 {
                throw AnalyticsError(
                    code: AnalyticsError.negativeAmount,
                    message: "purchase \(i) of customer \(p.customer) on day \(p.day) has a negative amount \(p.amount)",
                    context: ["customer": p.customer, "day": String(p.day), "amount": String(p.amount)])
            }
            lastDay = max(lastDay, p.day)
            if let k = customerIndex[p.customer] {
                owner[i] = k
            } else {
                let k = Int32(names.count)
                customerIndex[p.customer] = k
                names.append(p.customer)
                owner[i] = k
            }
        }
        let calibrationEnd = options.calibrationEnd
        let observationEnd = options.observationEnd ?? max(lastDay, calibrationEnd)
        guard observationEnd >= calibrationEnd else {
            throw AnalyticsError(
                code: AnalyticsError.invalidPeriod,
                message: "observation end (day \(observationEnd)) is before calibration end (day \(calibrationEnd))",
                context: ["calibrationEnd": String(calibrationEnd), "observationEnd": String(observationEnd)])
        }
        // Counting sort of purchase indices by customer, then a per-customer sort by day.
        let customerCount = names.count
        var start = [Int](repeating: 0, count: customerCount + 1)
        for k in owner { start[Int(k) + 1] += 1 }
        for k in 0..<customerCount { start[k + 1] += start[k] }
        var fill = start
        var order = [Int](repeating: 0, count: purchases.count)
        for (i, k) in owner.enumerated() {
            order[fill[Int(k)]] = i
            fill[Int(k)] += 1
        }
        let periodDays = options.period.days
        let unit = Double(options.minorUnitsPerMajor)
        var result: [CustomerSummary] = []
        result.reserveCapacity(customerCount)
        order.withUnsafeMutableBufferPointer { order in
            for k in 0..<customerCount {
                let lo = start[k], hi = start[k + 1]
                // insertion sort by day: customers have few purchases
                if hi - lo > 1 {
                    for i in (lo + 1)..<hi {
                        let v = order[i]
                        let d = purchases[v].day
                        var j = i - 1
                        while j >= lo, purchases[order[j]].day > d {
                            order[j + 1] = order[j]
                            j -= 1
                        }
                        order[j + 1] = v
                    }
                }
                let first = purchases[order[lo]].day
                guard first <= calibrationEnd else { continue }
                var frequency = 0, holdout = 0
                var lastCalibrationDay = first
                var repeatTotal: Int64 = 0, calibrationSpend: Int64 = 0, holdoutSpend: Int64 = 0
                var currentDay = Int.min
                for i in lo..<hi {
                    let p = purchases[order[i]]
                    if p.day > observationEnd { break }
                    if p.day <= calibrationEnd {
                        calibrationSpend += p.amount
                        if p.day != first {
                            repeatTotal += p.amount
                            if p.day != currentDay { frequency += 1 }
                            lastCalibrationDay = p.day
                        }
                    } else {
                        holdoutSpend += p.amount
                        if p.day != currentDay { holdout += 1 }
                    }
                    currentDay = p.day
                }
                result.append(CustomerSummary(
                    customer: names[k], firstPurchaseDay: first, frequency: frequency,
                    recency: Double(lastCalibrationDay - first) / periodDays,
                    T: Double(calibrationEnd - first) / periodDays,
                    monetaryValue: frequency > 0 ? Double(repeatTotal) / unit / Double(frequency) : 0,
                    calibrationSpend: calibrationSpend, holdoutFrequency: holdout, holdoutSpend: holdoutSpend))
            }
        }
        guard !result.isEmpty else {
            throw AnalyticsError(
                code: AnalyticsError.noCalibrationData,
                message: "no customer made a purchase on or before the calibration end (day \(calibrationEnd))",
                context: ["calibrationEnd": String(calibrationEnd)])
        }
        return result
    }
}
