/// Purchases grouped per customer into purchase days (same-day purchases merged, amounts summed), in day order.
/// The shared first step of RFM and retention.
struct PurchaseDays {
    /// One customer's purchase days.
    struct Customer {
        var id: String
        var days: [Int]
        var amounts: [Int64]
        var total: Int64
    }

    var customers: [Customer]

    /// Groups purchases; throws ``AnalyticsError`` `empty_input` or `negative_amount`.
    init(_ purchases: [Purchase], upTo lastDay: Int? = nil) throws {
        guard !purchases.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no purchases to analyse")
        }
        var index: [String: Int] = [:]
        var raw: [[(day: Int, amount: Int64)]] = []
        var ids: [String] = []
        for p in purchases {
            if p.amount < 0 {
                throw AnalyticsError(
                    code: AnalyticsError.negativeAmount,
                    message: "purchase of customer \(p.customer) on day \(p.day) has a negative amount \(p.amount)",
                    context: ["customer": p.customer, "day": String(p.day), "amount": String(p.amount)])
            }
            if let lastDay, p.day > lastDay { continue }
            if let k = index[p.customer] {
                raw[k].append((p.day, p.amount))
            } else {
                index[p.customer] = raw.count
                ids.append(p.customer)
                raw.append([(p.day, p.amount)])
            }
        }
        customers = zip(ids, raw).map { id, list in
            let sorted = list.sorted { $0.day < $1.day }
            var days: [Int] = [], amounts: [Int64] = []
            for (d, a) in sorted {
                if days.last == d { amounts[amounts.count - 1] += a } else {
                    days.append(d)
                    amounts.append(a)
                }
            }
            return Customer(id: id, days: days, amounts: amounts, total: amounts.reduce(0, +))
        }
        guard !customers.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.noCalibrationData,
                                 message: "no purchase on or before day \(lastDay ?? 0)")
        }
    }
}
