import Foundation

extension ProgramComparison {
    /// The comparison as a self-contained HTML page (inline CSS and SVG, no external assets), in the analytics
    /// reports' style: the ledger check, the warnings, the two programs side by side, rules, levels and their drift,
    /// and who gains and loses. Every text from data (rule, level and program names) is escaped and marked
    /// `translate="no"`.
    public func html(language l: ReportLanguage = .english) -> String {
        let report = AnalyticsReport(currency: currency, minorUnitsPerMajor: Double(minorPerMajor))
        let heading = l.t("What if: the draft program on the shop's own orders", "假设分析：新方案在本店历史订单上的表现")
        var body = HTML.element("h1", [:], HTML.escape(heading))
        body += HTML.element(
            "p", ["class": "meta"],
            HTML.escape(l.t("Period: ", "期间：")) + HTML.element("span", ["translate": "no"], HTML.escape("\(from) – \(to)")) + " · "
                + HTML.escape(l.t("Orders: ", "订单数：")) + HTML.count(orders) + " · " + HTML.escape(l.t("Sales: ", "销售额："))
                + HTML.escape(report.money(Double(sales))))
        let check = ledgerCheck
        let checkText = check.matches
            ? l.t("The replay of the current program matches the ledger: \(HTML.count(check.ledgerPoints)) points.",
                  "按现行方案重放的结果与积分账本一致：\(HTML.count(check.ledgerPoints)) 积分。")
            : l.t("The replay of the current program differs from the ledger: \(HTML.count(check.replayPoints)) replayed, \(HTML.count(check.ledgerPoints)) in the ledger; \(check.differingOrders) of \(check.orders) orders differ.",
                  "按现行方案重放的结果与积分账本不一致：重放 \(HTML.count(check.replayPoints))，账本 \(HTML.count(check.ledgerPoints))；\(check.orders) 笔订单中有 \(check.differingOrders) 笔不同。")
        body += HTML.element("p", ["class": check.matches ? "check" : "problems", "id": "ledger-check"], HTML.escape(checkText))
        if !warnings.isEmpty {
            body += HTML.element("h2", [:], HTML.escape(l.t("Guard-rails broken", "超出预设警戒线")))
            body += HTML.element("ul", ["class": "problems", "id": "warnings"], warnings.map { HTML.element("li", [:], HTML.escape(warning($0, l))) }.joined())
        }

        // Side by side.
        func money(_ v: Double) -> String { report.money(v) }
        func signedMoney(_ v: Double) -> String { (v > 0 ? "+" : "") + report.money(v) }
        func signed(_ v: Int64) -> String { (v > 0 ? "+" : "") + HTML.count(v) }
        let rows: [[String]] = [
            [l.t("Points from orders", "订单积分"), HTML.count(current.orderPoints), HTML.count(draft.orderPoints), signed(draft.orderPoints - current.orderPoints)],
            [l.t("Other points (activities, referrals …)", "其他积分（活动、推荐等）"), HTML.count(current.otherPoints), HTML.count(draft.otherPoints), signed(draft.otherPoints - current.otherPoints)],
            [l.t("Points issued", "发放积分"), HTML.count(current.issued), HTML.count(draft.issued), signed(draft.issued - current.issued)],
            [l.t("Expected cost", "预计成本"), money(current.expectedCost), money(draft.expectedCost), signedMoney(draft.expectedCost - current.expectedCost)],
            [l.t("Cost as % of sales", "成本占销售额"), HTML.percent(current.costShareOfSales, 2), HTML.percent(draft.costShareOfSales, 2), ""],
            [l.t("Points outstanding at the end", "期末未兑换积分"), HTML.count(current.outstandingAtEnd), HTML.count(draft.outstandingAtEnd), signed(draft.outstandingAtEnd - current.outstandingAtEnd)],
            [l.t("Liability at the end", "期末积分负债"), money(current.liabilityAtEnd), money(draft.liabilityAtEnd), signedMoney(draft.liabilityAtEnd - current.liabilityAtEnd)],
            [l.t("Breakage (points never redeemed)", "沉淀积分（预计不兑换）"), HTML.count(current.breakagePoints), HTML.count(draft.breakagePoints), signed(draft.breakagePoints - current.breakagePoints)],
        ]
        let sideHeaders = ["", l.t("Current", "现行方案"), l.t("Draft", "新方案"), l.t("Change", "变化")]
        body += report.section(
            l.t("The two programs side by side", "两个方案对比"),
            HTML.element("p", [:], HTML.escape(l.t("Current: ", "现行：")) + HTML.element("span", ["translate": "no"], HTML.escape(current.label))
                + " · " + HTML.escape(l.t("Draft: ", "新方案：")) + HTML.element("span", ["translate": "no"], HTML.escape(draft.label)))
                + HTML.element("p", [:], HTML.escape(l.t(
                    "Expected redemption rate \(HTML.percent(redemptionRate)): \(redemptionRateSource).",
                    "预计兑换率 \(HTML.percent(redemptionRate))（\(l.name(redemptionRateSourceCode))）。")))
                + report.table(l, sideHeaders, rows))

        // Rules.
        let ruleRows = rules.map { rule -> [String] in
            let name = switch rule.rule {
            case "returns": l.t("returns", "退货冲回")
            case "rounding": l.t("rounding", "取整")
            case RuleRow.campaigns: l.t(RuleRow.campaigns, "营销活动（按实际发放）")
            default: rule.rule
            }
            return [name, HTML.count(rule.current), HTML.count(rule.draft), signed(rule.change)]
        }
        body += report.section(
            l.t("Points by rule, the largest change first", "各规则积分（变化最大者在前）"),
            report.table(l, [l.t("Rule", "规则"), l.t("Current", "现行方案"), l.t("Draft", "新方案"), l.t("Change", "变化")], ruleRows, dataColumns: [0]))

        // Levels.
        if !levels.isEmpty {
            let total = max(1, current.levelCounts.reduce(0, +)), totalDraft = max(1, draft.levelCounts.reduce(0, +))
            func threshold(_ v: Int64?) -> String {
                guard let v else { return "–" }
                return levelMetric == "spend" ? report.money(Double(v)) : HTML.count(v)
            }
            let levelRows = levels.map { row -> [String] in
                [row.level, threshold(row.currentThreshold), threshold(row.draftThreshold),
                 "\(HTML.count(row.currentMembers)) (\(HTML.percent(Double(row.currentMembers) / Double(total))))",
                 "\(HTML.count(row.draftMembers)) (\(HTML.percent(Double(row.draftMembers) / Double(totalDraft))))",
                 HTML.percent(row.intendedShare), threshold(row.thresholdForIntendedShare)]
            }
            var content = HTML.element("p", [:], HTML.escape(l.t(
                "At the end of the period \(movedUp) members would be on a higher level under the draft and \(movedDown) on a lower one.",
                "期末在新方案下有 \(movedUp) 位会员等级更高，\(movedDown) 位更低。")))
            content += report.table(
                l, [l.t("Level", "等级"), l.t("Threshold", "门槛"), l.t("Draft", "新门槛"), l.t("Members", "会员"),
                    l.t("Draft members", "会员（新方案）"), l.t("Intended", "目标占比"), l.t("For the intended share", "达到目标占比的门槛")],
                levelRows, dataColumns: [0])
            let names = levels.map(\.level) + [l.t("no level", "无等级")]
            content += report.h3(l.t("Drift: members per level at each month's end", "等级分布随时间的变化（每月末会员数）"))
            var driftHeaders = [l.t("Month", "月份")]
            for name in names { driftHeaders += [name, name + l.t(" (draft)", "（新）")] }
            let driftRows = drift.map { month -> [String] in
                [month.month] + zip(month.current, month.draft).flatMap { [HTML.count($0), HTML.count($1)] }
            }
            content += report.table(l, driftHeaders, driftRows, dataColumns: [0], compact: true)
            if let top = levels.indices.last, !drift.isEmpty {
                content += SVGChart.line(
                    labels: drift.map(\.month), values: drift.map { Double($0.draft[top]) },
                    xTitle: l.t("Month", "月份"), yTitle: l.t("Members at \(levels[top].level) (draft)", "\(levels[top].level) 会员数（新方案）"),
                    format: { HTML.count(Int($0)) })
            }
            body += report.section(l.t("Levels", "会员等级"), content)
        }

        // Who gains, who loses.
        func band(_ name: String) -> String { l == .english ? name : l.name(Self.bandKey(name) ?? name) }
        func groupRows(_ groups: [ChangeGroup], translate: Bool) -> [[String]] {
            groups.map { g in
                [translate ? band(g.group) : g.group, HTML.count(g.members), HTML.count(g.gainers), HTML.count(g.losers),
                 signed(g.totalChange), HTML.number(g.meanChange, 1)]
            }
        }
        let groupHeaders = ["", l.t("Members", "会员"), l.t("Gain", "增加"), l.t("Lose", "减少"), l.t("Total change", "变化合计"), l.t("Mean", "人均")]
        var gains = SVGChart.bars(
            labels: changeBands.map { band($0.group) }, values: changeBands.map { Double($0.members) },
            xTitle: l.t("Change of a member's points", "会员积分变化"), yTitle: l.t("Members", "会员数"), format: { HTML.count(Int($0)) })
        gains += report.table(l, groupHeaders, groupRows(changeBands, translate: true))
        gains += report.h3(l.t("By level at the end (current program)", "按期末等级（现行方案）"))
        gains += report.table(l, groupHeaders, groupRows(changeByLevel, translate: false), dataColumns: [0])
        gains += report.h3(l.t("By RFM segment", "按 RFM 分群"))
        gains += report.table(l, groupHeaders, changeBySegment.map { g in
            [l.name(g.group == "no purchases" ? "no_purchases" : g.group), HTML.count(g.members), HTML.count(g.gainers), HTML.count(g.losers),
             signed(g.totalChange), HTML.number(g.meanChange, 1)]
        })
        body += report.section(l.t("Who gains, who loses", "谁得益，谁受损"), gains)
        if !notes.isEmpty {
            body += HTML.element("ul", ["class": "meta"], notes.map { HTML.element("li", [:], HTML.escape($0)) }.joined())
        }
        return "<!DOCTYPE html>\n" + HTML.element("html", ["lang": l.rawValue],
            HTML.element("head", [:], "<meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + HTML.element("title", [:], HTML.escape(heading))
                + HTML.element("style", [:], AnalyticsReport.css + ".check{color:#063}")) + HTML.element("body", [:], body)) + "\n"
    }

    /// A warning in the page's language.
    func warning(_ w: Warning, _ l: ReportLanguage) -> String {
        guard l == .chinese else { return w.message }
        switch w.rail {
        case "costShareOfSales": return "新方案的预计成本占销售额 \(HTML.percent(w.actual))，超出预算 \(HTML.percent(w.limit))（guardRails.costShareOfSales）。"
        case "levelShares": return "\(w.level ?? "") 等级将占会员的 \(HTML.percent(w.actual))，超过目标占比 \(HTML.percent(w.limit))（guardRails.levelShares）。"
        case "liabilityGrowth": return "期末积分负债将比现行方案高 \(HTML.percent(w.actual))，超出上限 \(HTML.percent(w.limit))（guardRails.liabilityGrowth）。"
        default: return w.message
        }
    }

    /// The key under which a band's name is translated.
    static func bandKey(_ band: String) -> String? {
        ["loses over 50 %": "loses_over_50", "loses 10–50 %": "loses_10_50", "loses under 10 %": "loses_under_10", "unchanged": "unchanged",
         "gains under 10 %": "gains_under_10", "gains 10–50 %": "gains_10_50", "gains over 50 %": "gains_over_50"][band]
    }
}
