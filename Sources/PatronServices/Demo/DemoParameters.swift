import Foundation
import PatronCore

/// The demo shop's stated behaviour: every number the simulation draws from, in one place. `patron demo --parameters`
/// and docs/demo.md print ``table``; the parameter-recovery test fits the simulated orders and finds the BG/NBD and
/// Gamma-Gamma values again.
public struct DemoParameters: Sendable, Hashable {
    /// How many members enrol over the simulated period.
    public var members = 3_000
    /// The random seed: the same seed gives the same shop.
    public var seed: UInt64 = 42
    /// The first simulated day.
    public var firstDay = LocalDate(year: 2025, month: 1, day: 1)!
    /// How many days are simulated; members enrol on a day drawn uniformly from them.
    public var days = 365

    /// Members who enrol (app sign-up, in the shop) without buying during the period.
    public var prospectShare = 0.15

    /// BG/NBD: the shape r of the gamma distribution of purchase rates.
    public var r = 0.8
    /// BG/NBD: the scale α of the gamma distribution of purchase rates, in days (mean rate r / α a day).
    public var alpha = 50.0
    /// BG/NBD: a of the beta distribution of the chance to drop out after each repeat purchase.
    public var a = 0.7
    /// BG/NBD: b of that beta distribution (mean dropout a / (a + b)).
    public var b = 3.5

    /// Gamma-Gamma: the shape p of each order's spend around the member's mean.
    public var p = 4.0
    /// Gamma-Gamma: the shape q of the distribution of members' spend rates.
    public var q = 5.0
    /// Gamma-Gamma: the scale γ of that distribution, in major units (mean order p γ / (q − 1)).
    public var gamma = 150.0

    /// Buyers who come for price: most of their orders carry a promotion code's discount.
    public var dealSeekerShare = 0.35
    /// The chance that a deal seeker's order carries the promotion discount.
    public var dealChance = 0.85
    /// The promotion's discount, percent of the goods' value.
    public var promotionPercent = 10
    /// Buyers who come for points campaigns: most of their orders go through the app, where double points run.
    public var campaignChaserShare = 0.30
    /// The chance that a campaign chaser orders in the app.
    public var campaignChance = 0.85
    /// The chance that any other buyer orders in the app.
    public var otherAppChance = 0.10
    /// Buyers of habit: they buy at regular intervals (gamma-distributed gaps of the same mean as everyone's).
    public var habitualShare = 0.10
    /// The gamma shape of a habitual buyer's gaps (16: gaps vary by a quarter of their mean).
    public var habitRegularity = 16.0

    /// Buyers who recommend the shop: referred members name one of them.
    public var advocateShare = 0.08
    /// Members who enrol referred by an advocate who joined before them.
    public var referredShare = 0.12

    /// The chance that a member who buys, and whose active points cover a reward, redeems one that day.
    public var redeemChance = 0.8

    /// Orders the member cancels (placed and cancelled the same day) before placing the one they keep.
    public var cancelShare = 0.04
    /// Orders of which one unit of a line is returned within three weeks of delivery.
    public var returnShare = 0.06
    /// Shipping charged per order, minor units.
    public var shipping: Int64 = 1_000

    /// Members who check in nearly every day.
    public var dailyCheckInShare = 0.04
    /// The chance that another member checks in on a day.
    public var casualCheckInChance = 0.01
    /// The chance that a member writes a review on a day.
    public var reviewChance = 0.002

    /// The stated behaviour with the default values.
    public init() {}

    /// Every parameter as (name, value, meaning), in the order of the simulation.
    public var rows: [(name: String, value: String, meaning: String)] {
        func percent(_ x: Double) -> String { String(format: "%g %%", x * 100) }
        func number(_ x: Double) -> String { String(format: "%g", x) }
        return [
            ("members", String(members), "members enrolling, on days drawn uniformly over the period"),
            ("days", String(days), "days simulated from \(firstDay)"),
            ("prospectShare", percent(prospectShare), "members who never buy in the period"),
            ("r", number(r), "BG/NBD: shape of the gamma distribution of purchase rates"),
            ("alpha", number(alpha), "BG/NBD: its scale in days (mean \(number(r / alpha * 365)) purchases a year while active)"),
            ("a", number(a), "BG/NBD: beta distribution of the dropout chance after each repeat purchase"),
            ("b", number(b), "BG/NBD: (mean dropout \(percent((a / (a + b) * 1_000).rounded() / 1_000)))"),
            ("p", number(p), "Gamma-Gamma: shape of each order's spend"),
            ("q", number(q), "Gamma-Gamma: shape of the members' spend rates"),
            ("gamma", number(gamma), "Gamma-Gamma: their scale, yuan (mean order \(number(p * gamma / (q - 1))) yuan)"),
            ("dealSeekerShare", percent(dealSeekerShare), "buyers who come for price"),
            ("dealChance", percent(dealChance), "their orders with the \(promotionPercent) % promotion discount"),
            ("campaignChaserShare", percent(campaignChaserShare), "buyers who come for points campaigns"),
            ("campaignChance", percent(campaignChance), "their orders in the app, where double points run"),
            ("otherAppChance", percent(otherAppChance), "other buyers' orders in the app"),
            ("habitualShare", percent(habitualShare), "buyers of habit: regular gaps (gamma shape \(number(habitRegularity)))"),
            ("advocateShare", percent(advocateShare), "buyers whom new members name as referrer"),
            ("referredShare", percent(referredShare), "members enrolling referred by an advocate"),
            ("redeemChance", percent(redeemChance), "a buyer whose active points cover a reward redeems one that day"),
            ("cancelShare", percent(cancelShare), "purchases preceded by an order cancelled the same day"),
            ("returnShare", percent(returnShare), "orders with one unit returned within three weeks of delivery"),
            ("dailyCheckInShare", percent(dailyCheckInShare), "members who check in nearly every day (others: \(percent(casualCheckInChance)) a day)"),
            ("reviewChance", percent(reviewChance), "chance of a review per member and day"),
        ]
    }

    /// The parameters as a Markdown table, as docs/demo.md shows them.
    public var table: String {
        (["| parameter | value | meaning |", "| --- | --- | --- |"] + rows.map { "| `\($0.name)` | \($0.value) | \($0.meaning) |" })
            .joined(separator: "\n")
    }
}
