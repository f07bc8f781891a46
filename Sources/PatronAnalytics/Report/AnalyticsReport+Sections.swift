/// One function per section of ``AnalyticsReport``; each returns nil when its data is absent.
extension AnalyticsReport {
    func clvSection(_ l: ReportLanguage) -> String? {
        guard let clv else { return nil }
        let m = clv.models
        var content = h3(l.t("Model parameters", "模型参数")) + HTML.table(
            [l.t("Model", "模型"), l.t("Parameters", "参数"), l.t("Log-likelihood", "对数似然"), l.t("Converged", "收敛")],
            [["BG/NBD", "r=\(HTML.number(m.bgnbd.r, 3)) α=\(HTML.number(m.bgnbd.alpha, 3)) a=\(HTML.number(m.bgnbd.a, 3)) b=\(HTML.number(m.bgnbd.b, 3))",
              HTML.number(m.bgnbd.logLikelihood, 1), String(m.bgnbd.convergence.converged)],
             ["Pareto/NBD", "r=\(HTML.number(m.paretoNbd.r, 3)) α=\(HTML.number(m.paretoNbd.alpha, 3)) s=\(HTML.number(m.paretoNbd.s, 3)) β=\(HTML.number(m.paretoNbd.beta, 3))",
              HTML.number(m.paretoNbd.logLikelihood, 1), String(m.paretoNbd.convergence.converged)],
             ["Gamma-Gamma", "p=\(HTML.number(m.gammaGamma.p, 3)) q=\(HTML.number(m.gammaGamma.q, 3)) v=\(HTML.number(m.gammaGamma.v, 3))",
              HTML.number(m.gammaGamma.logLikelihood, 1), String(m.gammaGamma.convergence.converged)]])
        content += HTML.table([l.t("Customers", "客户数"), l.t("Repeat customers", "重复购买客户"),
                               l.t("Calibration", "校准期")],
                              [[String(clv.customers), String(clv.calibration.repeatCustomers),
                                "\(clv.calibration.start) – \(clv.calibration.end)"]])
        if let h = clv.holdout {
            content += h3(l.t("Holdout", "验证期")) + HTML.table(
                [l.t("End", "结束"), l.t("Actual purchases", "实际购买"), "BG/NBD", "Pareto/NBD"],
                [[h.end, String(h.actualPurchases), HTML.number(h.predictedPurchases.bgnbd, 1),
                  HTML.number(h.predictedPurchases.paretoNbd, 1)]])
        }
        content += h3(l.t("Customer lifetime value", "客户终身价值")) + HTML.table(
            [l.t("Horizon (months)", "期限（月）"), l.t("Monthly discount", "月折现率"), l.t("Mean", "平均"),
             l.t("Median", "中位数"), l.t("Total", "合计")],
            [[String(clv.clv.horizonMonths), HTML.percent(clv.clv.monthlyDiscountRate), HTML.number(clv.clv.mean),
              HTML.number(clv.clv.median), HTML.number(clv.clv.total)]])
        if let customers = clv.customerPredictions, !customers.isEmpty {
            let top = customers.sorted { $0.clv > $1.clv }.prefix(maxRows)
            content += h3(l.t("Highest CLV", "终身价值最高的客户")) + HTML.table(
                [l.t("Customer", "客户"), "P(alive)", l.t("Expected purchases", "预期购买"), "CLV"],
                top.map { [$0.customer, HTML.number($0.probabilityAlive.bgnbd, 3),
                           HTML.number($0.expectedPurchases.bgnbd), HTML.number($0.clv)] })
        }
        return section(l.t("Customer lifetime value (CLV)", "客户终身价值（CLV）"), content)
    }

    func rfmSection(_ l: ReportLanguage) -> String? {
        guard let rfm else { return nil }
        let names = rfm.segments.map { l.name($0.segment.rawValue) }
        return section(l.t("RFM segments", "RFM 客户分群"),
            SVGChart.bars(labels: names, values: rfm.segments.map { Double($0.customers) })
            + HTML.table([l.t("Segment", "分群"), l.t("Customers", "客户数"), l.t("Share", "占比"),
                          l.t("Revenue share", "收入占比")],
                         zip(names, rfm.segments).map { [$0, String($1.customers), HTML.percent($1.customerShare),
                                                          HTML.percent($1.revenueShare)] }))
    }

    func retentionSection(_ l: ReportLanguage) -> String? {
        guard repeatPurchases != nil || monthlyRetention != nil || cohorts != nil else { return nil }
        var content = ""
        if let s = repeatPurchases {
            content += HTML.table([l.t("Customers", "客户数"), l.t("Repeat customers", "重复购买客户"),
                                   l.t("Repurchase rate", "复购率"), l.t("Median days between purchases", "购买间隔中位数（天）")],
                                  [[String(s.customers), String(s.repeatCustomers), HTML.percent(s.repurchaseRate),
                                    String(s.medianDays)]])
            content += h3(l.t("Days between purchases", "购买间隔天数分布"))
                + SVGChart.bars(labels: RepeatPurchaseStats.bucketLabels, values: s.histogram.map(Double.init))
        }
        if let rows = monthlyRetention, !rows.isEmpty {
            content += h3(l.t("Monthly retention rate", "月留存率"))
                + SVGChart.line(labels: rows.map(\.month), values: rows.map(\.retentionRate), maxY: 1)
        }
        if let cohorts, !cohorts.cohorts.isEmpty {
            let width = cohorts.cohorts.map(\.retention.count).max() ?? 0
            let rows = cohorts.cohorts.map { c in
                [c.month, String(c.size)] + (0..<width).map { k in k < c.retention.count ? HTML.percent(c.retention[k]) : "" }
            }
            content += h3(l.t("Cohort retention", "同期群留存")) + HTML.table(
                [l.t("Cohort", "同期群"), l.t("Size", "人数")] + (0..<width).map { "M\($0)" }, rows) { i, j in
                    let c = cohorts.cohorts[i]
                    guard j >= 2, j - 2 < c.retention.count else { return nil }
                    let v = c.retention[j - 2]
                    return "background:rgba(78,121,167,\(HTML.number(v.isFinite ? min(max(v, 0), 1) : 0, 2)))"
                }
        }
        return section(l.t("Retention", "留存"), content)
    }

    func concentrationSection(_ l: ReportLanguage) -> String? {
        guard let c = concentration else { return nil }
        return section(l.t("Revenue concentration", "收入集中度"),
            HTML.table([l.t("Customers", "客户数"), l.t("Top 20 % revenue share", "前 20% 客户收入占比"), "Gini"],
                       [[String(c.customers), HTML.percent(c.top20RevenueShare), HTML.number(c.gini, 3)]])
            + SVGChart.lorenz(c.lorenz, customersLabel: l.t("share of customers", "客户占比"),
                              revenueLabel: l.t("share of revenue", "收入占比")))
    }

    func winBackSection(_ l: ReportLanguage) -> String? {
        guard let winBack else { return nil }
        return section(l.t("Win-back candidates", "待挽回客户"), HTML.table(
            [l.t("Customer", "客户"), l.t("Past value", "历史消费"), "P(alive)", l.t("Days since last purchase", "距上次购买天数")],
            winBack.prefix(maxRows).map { [$0.customer, money(Double($0.pastValue)), HTML.number($0.probabilityAlive, 3),
                                           String($0.daysSinceLastPurchase)] }))
    }

    func calibrationSection(_ l: ReportLanguage) -> String? {
        guard let c = calibration else { return nil }
        return section(l.t("Level calibration", "会员等级校准"),
            HTML.element("p", [:], HTML.escape(l.t("Qualifying members: \(c.members); below the entry threshold: \(c.belowEntry).",
                                                   "达标会员：\(c.members)；未达入会门槛：\(c.belowEntry)。")))
            + HTML.table([l.t("Level", "等级"), l.t("Threshold", "门槛"), l.t("Share now", "当前占比"),
                          l.t("Target share", "目标占比"), l.t("Value at target boundary", "目标占比分界值"),
                          l.t("Suggested threshold", "建议门槛"), l.t("Share at suggestion", "建议门槛下占比")],
                         c.levels.map { v in
                             [String(v.level), money(Double(v.threshold)), HTML.percent(v.share), HTML.percent(v.targetShare),
                              v.boundaryValue.map { money(Double($0)) } ?? "–", money(Double(v.suggestedThreshold)),
                              HTML.percent(v.suggestedShare)]
                         }))
    }

    func economicsSection(_ l: ReportLanguage) -> String? {
        guard let e = economics else { return nil }
        let summary = HTML.table(
            [l.t("Outstanding points", "未兑换积分"), l.t("Expected redemption", "预期兑换率"), l.t("Source", "来源"),
             l.t("Breakage", "沉淀率"), l.t("Liability", "积分负债"), l.t("Programme cost", "计划成本"),
             l.t("Share of sales", "占销售额"), l.t("Benchmark 1–2 %", "基准 1–2%")],
            [[String(e.outstandingPoints), HTML.percent(e.redemption.expectedRate), l.name(e.redemption.source.rawValue),
              HTML.percent(e.breakage), money(e.liability), money(e.cost.total), HTML.percent(e.cost.shareOfSales),
              e.cost.verdict.map { l.name($0.rawValue) } ?? "–"]])
        let periods = HTML.table(
            [l.t("Month", "月份"), l.t("Sales", "销售额"), l.t("Issued", "发放"), l.t("Redeemed", "兑换"),
             l.t("Expired", "过期"), l.t("Outstanding", "未兑换"), l.t("Cost share", "成本占比")],
            e.periods.map { [$0.period, money(Double($0.sales)), String($0.issued), String($0.redeemed), String($0.expired),
                             String($0.closingOutstanding), HTML.percent($0.costShareOfSales)] })
        let chart = h3(l.t("Outstanding points", "未兑换积分"))
            + SVGChart.line(labels: e.periods.map(\.period), values: e.periods.map { Double($0.closingOutstanding) })
        return section(l.t("Programme economics", "积分计划经济性"), summary + chart + periods)
    }

    func loyaltySection(_ l: ReportLanguage) -> String? {
        guard let y = loyalty else { return nil }
        func rows<K: RawRepresentable<String>>(_ counts: [LoyaltyReport.Count<K>]) -> [[String]] {
            counts.map { [l.name($0.key.rawValue), String($0.customers), HTML.percent($0.share)] }
        }
        let head = [l.t("Type", "类型"), l.t("Members", "会员数"), l.t("Share", "占比")]
        var content = h3(l.t("Stages", "忠诚阶段"))
            + SVGChart.bars(labels: y.stages.map { l.name($0.key.rawValue) }, values: y.stages.map { Double($0.customers) })
            + HTML.table(head, rows(y.stages))
        if let q = y.quadrants {
            content += h3(l.t("Attitude × behaviour (\(y.surveyed) surveyed)", "态度 × 行为（\(y.surveyed) 人参与调查）"))
                + HTML.table(head, rows(q))
        }
        content += h3(l.t("Causes of repeat buying (\(y.repeatBuyers) repeat buyers)",
                          "重复购买原因（\(y.repeatBuyers) 位重复购买者）")) + HTML.table(head, rows(y.causes))
        return section(l.t("Loyalty", "顾客忠诚"), content)
    }
}
