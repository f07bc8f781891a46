import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// Builds the console's overview from the kept aggregates (`Store.dailyTotals`), never scanning members, orders or
/// the ledger: its cost grows with the number of days of history, not with the number of members.
public enum OverviewService {
    /// The raw values of the ledger entry kinds whose active points count as issued (`countsAsIssued`).
    static let issuingKinds = Set(LedgerEntry.Kind.allCases.filter(\.countsAsIssued).map(\.rawValue))
    /// The share added for operations (team, systems), as `patron analyze economics` assumes by default.
    public static let operationsShare = 0.2

    /// The overview of `period`.
    public static func overview(_ context: ServiceContext, period: OverviewPeriod) async throws -> Overview {
        let program = try await context.currentProgram().program
        let totals = try await context.store.dailyTotals(through: period.to.dayNumber)
        let pointValue = program.pointsAsPayment.flatMap { $0.points > 0 ? Double($0.perMinor) / Double($0.points) : nil }
            ?? Double(program.currency.minorPerMajor) / 100

        var overview = Overview(
            period: period, currency: program.currency, members: 0, newMembers: 0, orders: 0, sales: 0, issued: 0, redeemed: 0, expired: 0,
            liabilityPoints: 0, pointValueMinor: pointValue, economics: nil, costShareOfSales: nil, levels: [],
            snapshot: try await OverviewSnapshots.latest(context))
        var levels: [String: Int64] = [:]
        // The ledger by month, from the first day with entries up to the period's end, and the period's own days by month.
        var history: [String: LedgerPeriod] = [:], within: [String: LedgerPeriod] = [:]
        let from = period.from.dayNumber
        // The rows come ordered by day, a dozen or so per day: the month's name is made once per day, not per row.
        var monthOf = (day: Int.min, name: "")
        for total in totals {
            let inPeriod = total.day >= from
            if total.day != monthOf.day { monthOf = (total.day, Self.month(total.day)) }
            let month = monthOf.name
            func add(_ change: (inout LedgerPeriod) -> Void) {
                change(&history[month, default: LedgerPeriod(period: month, sales: 0, issued: 0, redeemed: 0, expired: 0)])
                if inPeriod { change(&within[month, default: LedgerPeriod(period: month, sales: 0, issued: 0, redeemed: 0, expired: 0)]) }
            }
            switch total.metric {
            case DailyTotal.Metric.members:
                overview.members += total.value
                if inPeriod { overview.newMembers += total.value }
            case DailyTotal.Metric.orders:
                if inPeriod { overview.orders += total.value }
            case DailyTotal.Metric.sales:
                if inPeriod { overview.sales += total.value }
                add { $0.sales += total.value }
            case DailyTotal.Metric.points:
                overview.liabilityPoints += total.value
                if issuingKinds.contains(total.key) {
                    add { $0.issued += total.value }
                    if inPeriod { overview.issued += total.value }
                } else if total.key == LedgerEntry.Kind.redeem.rawValue {
                    add { $0.redeemed -= total.value }
                    if inPeriod { overview.redeemed -= total.value }
                } else if total.key == LedgerEntry.Kind.expire.rawValue {
                    add { $0.expired -= total.value }
                    if inPeriod { overview.expired -= total.value }
                }
            case DailyTotal.Metric.level:
                levels[total.key, default: 0] += total.value
            default:
                break
            }
        }
        let periods = history.values.sorted { $0.period < $1.period }
        if !periods.isEmpty {
            let economics = try ProgramEconomics.compute(
                EconomicsInput(periods: periods, outstandingPoints: max(0, overview.liabilityPoints), pointValue: pointValue, operationsShare: operationsShare))
            overview.economics = economics
            let own = within.values.sorted { $0.period < $1.period }
            if !own.isEmpty {
                overview.costShareOfSales = try ProgramEconomics.compute(
                    EconomicsInput(periods: own, outstandingPoints: 0, pointValue: pointValue, operationsShare: operationsShare),
                    options: EconomicsOptions(redemptionRate: economics.redemption.expectedRate)
                ).cost.shareOfSales
            }
        }
        let named = program.levels?.levels.map(\.name) ?? []
        overview.levels = named.map { (level: $0, members: levels[$0] ?? 0) }
        // Levels the program no longer names still hold members until their next review.
        for (level, count) in levels.sorted(by: { $0.key < $1.key }) where !named.contains(level) && count != 0 {
            overview.levels.append((level: level, members: count))
        }
        let leveled = overview.levels.reduce(Int64(0)) { $0 + $1.members }
        overview.levels.append((level: nil, members: max(0, overview.members - leveled)))
        return overview
    }

    /// `yyyy-MM` of a local day.
    static func month(_ day: Int) -> String {
        let date = LocalDate(dayNumber: day)
        let year = String(date.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + (date.month < 10 ? "-0" : "-") + String(date.month)
    }
}
