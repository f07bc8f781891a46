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

    /// A dataset of purchases only (an orders file).
    public init(purchases: [Purchase], currency: Currency) {
        self.purchases = purchases
        self.facts = purchases.map { OrderFact(customer: $0.customer, day: $0.day, amount: $0.amount, discount: 0, inCampaign: false) }
        self.members = nil
        self.ledgerMonths = nil
        self.currency = currency
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
        members = try await store.memberFacts()
        ledgerMonths = months.values.sorted { $0.period < $1.period }
        currency = program.currency
    }
}
