import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// A campaign's report: treated against control over the window and its attribution days, with what it cost.
public struct CampaignReport: Sendable, Codable {
    /// The campaign as stored.
    public var campaign: CampaignRecord
    /// The program's currency code.
    public var currency: String
    /// Minor units per major unit of the currency.
    public var minorPerMajor: Int64
    /// The first instant counted (the window's first day at midnight, shop time).
    public var from: Date
    /// The instant counting stops (the end of the attribution window, or now if earlier).
    public var until: Date
    /// Whether the attribution window is over: the numbers will not change any more.
    public var complete: Bool
    /// What one point is worth, in minor units.
    public var pointValue: Double
    /// Where the point value comes from.
    public var pointValueSource: String
    /// The comparison.
    public var uplift: CampaignUplift
    /// The statistical method, in words.
    public var method: String
    /// Whether the campaign has message actions (queued as `campaign` messages for each treated member on entry).
    public var messagesWaiting: Bool
}

extension CampaignReport {
    /// The report as text for a terminal.
    public var text: String {
        let u = uplift
        let m = Double(minorPerMajor)
        func money(_ minor: Double) -> String { String(format: "%.2f", minor / m) }
        func pct(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
        func pp(_ interval: UpliftInterval) -> String {
            String(format: "%+.1f pp", interval.estimate * 100) + " (95 % CI \(bound(interval.lower, 100, "%+.1f")) to \(bound(interval.upper, 100, "%+.1f")))"
        }
        func row(_ label: String, _ treated: String, _ control: String) -> String {
            func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
            return label.padding(toLength: 18, withPad: " ", startingAt: 0) + pad(treated, 12) + "   " + pad(control, 12)
        }
        func bound(_ value: Double, _ scale: Double, _ format: String) -> String {
            value.isFinite ? String(format: format, value * scale) : (value < 0 ? "−∞" : "+∞")
        }
        func count(_ interval: UpliftInterval) -> String {
            String(format: "%+.1f", interval.estimate) + " (95 % CI \(bound(interval.lower, 1, "%+.1f")) to \(bound(interval.upper, 1, "%+.1f")))"
        }
        func moneyInterval(_ interval: UpliftInterval) -> String {
            "\(interval.estimate >= 0 ? "+" : "")\(money(interval.estimate)) \(currency) (95 % CI \(bound(interval.lower, 1 / m, "%+.2f")) to \(bound(interval.upper, 1 / m, "%+.2f")))"
        }
        let c = campaign.campaign
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        lines.append("Campaign \(c.name) (\(campaign.status.rawValue)) on segment \(c.segment)")
        lines.append(
            "Window \(c.starts) to \(c.ends), attribution days to \(c.attributionEnds) (shop time)"
                + (complete ? "" : "; not over: counted until \(formatter.string(from: until))"))
        lines.append("Holdout \(String(format: "%.2f", Double(c.holdoutBasisPoints) / 100)) %: \(u.treated.members) treated, \(u.control.members) control")
        lines.append("")
        lines.append(row("", "treated", "control"))
        lines.append(row("Buyers", pct(u.treated.buyerRate), pct(u.control.buyerRate)))
        lines.append(row("Orders", String(u.treated.orders), String(u.control.orders)))
        lines.append(row("Orders / member", String(format: "%.3f", u.treated.ordersPerMember), String(format: "%.3f", u.control.ordersPerMember)))
        lines.append(row("Revenue", money(Double(u.treated.revenue)), money(Double(u.control.revenue))))
        lines.append(row("Revenue / member", money(u.treated.revenuePerMember), money(u.control.revenuePerMember)))
        lines.append(row("Avg order value", u.treated.averageOrderValue.map(money) ?? "–", u.control.averageOrderValue.map(money) ?? "–"))
        lines.append("")
        lines.append("Buyers, treated − control:   \(pp(u.buyerRateDifference))\(u.buyerRateDifference.isSignificant ? "  significant" : "  not significant")")
        lines.append("Incremental orders:          \(count(u.incrementalOrders))")
        lines.append("Incremental revenue:         \(moneyInterval(u.incrementalRevenue))\(u.incrementalRevenue.isSignificant ? "  significant" : "  not significant")")
        lines.append("Points given:                \(u.pointsCost) (worth \(money(Double(u.pointsCostValue ?? 0))) \(currency) at \(pointValueSource))")
        lines.append("Coupon cost:                 \(money(Double(u.couponCost))) \(currency)")
        lines.append("Cost per incremental order:  \(u.costPerIncrementalOrder.map { "\(money($0)) \(currency)" } ?? (u.control.members == 0 ? "– (no control group)" : "– (no incremental orders)"))")
        lines.append("Return on cost:              \(u.returnOnCost.map { String(format: "%+.0f %%", $0 * 100) } ?? (u.control.members == 0 ? "– (no control group)" : "– (no cost)"))")
        lines.append("Revenue per point given:     \(u.revenuePerPoint.map { "\(money($0)) \(currency)" } ?? "–")")
        lines.append("")
        lines.append("Method: \(method).")
        if messagesWaiting { lines.append("Note: the campaign's messages are queued for each treated member on entry and delivered like every message (patron messages list).") }
        for warning in u.warnings { lines.append("Warning: \(warning).") }
        return lines.joined(separator: "\n")
    }
}
