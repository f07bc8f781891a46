import Foundation
import PatronAnalytics
import PatronCore

/// A comparison as terminal text: the ledger line, the two programs side by side, rules, levels, who gains and
/// loses, and the guard-rails' warnings.
struct ProgramComparisonText {
    let comparison: ProgramComparison

    var text: String {
        let c = comparison
        var out: [String] = []
        let check = c.ledgerCheck
        if check.matches {
            out.append("replay of the current program matches the ledger: \(Self.points(check.ledgerPoints)) points (\(Self.points(Int64(check.orders))) orders)")
        } else {
            out.append(
                "replay of the current program differs from the ledger: \(Self.points(check.replayPoints)) replayed, \(Self.points(check.ledgerPoints)) in the ledger; \(check.differingOrders) of \(check.orders) orders differ (e.g. \(check.examples.joined(separator: ", ")))")
        }
        out.append("period: \(c.from) to \(c.to), \(Self.points(Int64(c.orders))) orders, sales \(money(Double(c.sales)))")
        out.append("expected redemption rate: \(Self.percent(c.redemptionRate)) — \(c.redemptionRateSource)")
        out.append("")
        var sides = Table(["", "current", "draft", "change"], rightAligned: [1, 2, 3])
        func row(_ name: String, _ a: Int64, _ b: Int64) { sides.add([name, Self.points(a), Self.points(b), Self.signed(b - a)]) }
        row("order points", c.current.orderPoints, c.draft.orderPoints)
        row("other points", c.current.otherPoints, c.draft.otherPoints)
        row("points issued", c.current.issued, c.draft.issued)
        sides.add(["expected cost", money(c.current.expectedCost), money(c.draft.expectedCost), signedMoney(c.draft.expectedCost - c.current.expectedCost)])
        sides.add(["cost % of sales", Self.percent(c.current.costShareOfSales, 2), Self.percent(c.draft.costShareOfSales, 2), ""])
        row("outstanding at end", c.current.outstandingAtEnd, c.draft.outstandingAtEnd)
        sides.add(["liability at end", money(c.current.liabilityAtEnd), money(c.draft.liabilityAtEnd), signedMoney(c.draft.liabilityAtEnd - c.current.liabilityAtEnd)])
        row("breakage (points)", c.current.breakagePoints, c.draft.breakagePoints)
        out.append("current: \(c.current.label)")
        out.append("draft: \(c.draft.label)")
        out.append(sides.text)
        out.append("")
        var rules = Table(["rule", "current", "draft", "change"], rightAligned: [1, 2, 3])
        for rule in c.rules { rules.add([rule.rule, Self.points(rule.current), Self.points(rule.draft), Self.signed(rule.change)]) }
        out.append("points by rule (largest change first)")
        out.append(rules.text)
        if !c.levels.isEmpty {
            out.append("")
            var levels = Table(["level", "threshold", "draft threshold", "members", "draft members", "intended", "threshold for intended"], rightAligned: [1, 2, 3, 4, 5, 6])
            let total = max(1, c.current.levelCounts.reduce(0, +)), totalDraft = max(1, c.draft.levelCounts.reduce(0, +))
            for level in c.levels {
                levels.add([
                    level.level, threshold(level.currentThreshold), threshold(level.draftThreshold),
                    "\(level.currentMembers) (\(Self.percent(Double(level.currentMembers) / Double(total))))",
                    "\(level.draftMembers) (\(Self.percent(Double(level.draftMembers) / Double(totalDraft))))",
                    level.intendedShare.map { Self.percent($0) } ?? "", threshold(level.thresholdForIntendedShare),
                ])
            }
            out.append("levels at the end: \(c.movedUp) members would move up, \(c.movedDown) down")
            out.append(levels.text)
        }
        for (title, groups) in [("change per member", c.changeBands), ("by level at the end", c.changeByLevel), ("by RFM segment", c.changeBySegment)] {
            out.append("")
            var table = Table(["", "members", "gain", "lose", "total change", "mean"], rightAligned: [1, 2, 3, 4, 5])
            for group in groups {
                table.add([group.group, "\(group.members)", "\(group.gainers)", "\(group.losers)", Self.signed(group.totalChange), (group.meanChange < 0 ? "−" : "+") + String(format: "%.1f", abs(group.meanChange))])
            }
            out.append(title)
            out.append(table.text)
        }
        out.append("")
        if c.warnings.isEmpty {
            out.append("guard-rails: none broken")
        } else {
            for warning in c.warnings { out.append("warning: \(warning.message)") }
        }
        for note in c.notes { out.append("note: \(note)") }
        return out.joined(separator: "\n")
    }

    private func money(_ minor: Double) -> String {
        let major = minor / Double(comparison.minorPerMajor)
        return "\(Self.grouped(String(format: "%.2f", major))) \(comparison.currency)"
    }

    private func signedMoney(_ minor: Double) -> String { (minor > 0 ? "+" : "") + money(minor) }

    private func threshold(_ value: Int64?) -> String {
        guard let value else { return "" }
        guard comparison.levelMetric == "spend" else { return Self.points(value) }
        return Self.grouped(String(format: "%.2f", Double(value) / Double(comparison.minorPerMajor)))
    }

    static func points(_ value: Int64) -> String { grouped(String(value)) }
    static func signed(_ value: Int64) -> String { value > 0 ? "+" + points(value) : value == 0 ? "0" : "−" + points(-value) }
    static func percent(_ value: Double?, _ digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f %%", value * 100)
    }

    /// Thousands grouped by commas in the whole part of a decimal text.
    static func grouped(_ text: String) -> String {
        var body = Substring(text)
        var sign = ""
        if body.first == "-" { sign = "−"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = String(parts.first ?? "0")
        var out = ""
        while whole.count > 3 {
            out = "," + whole.suffix(3) + out
            whole.removeLast(3)
        }
        return sign + whole + out + (parts.count > 1 ? "." + parts[1] : "")
    }
}
