/// One function per section of ``AnalyticsReport``; each returns nil when its data is absent.
extension AnalyticsReport {
    func yesNo(_ value: Bool, _ l: ReportLanguage) -> String { value ? l.t("yes", "是") : l.t("no", "否") }

    /// A model's fit: converged, not converged, a limiting case (a scale-free parameter ran off towards 0 or ∞), or
    /// converged on a flat likelihood (standard errors not finite).
    func fitStatus(_ c: Convergence, _ standardErrors: [Double], scaleFree: [Double], _ l: ReportLanguage) -> String {
        guard c.converged else { return l.t("no", "否") }
        guard scaleFree.allSatisfy(CLVAnalysis.isIdentified) else { return l.t("no: a limiting case", "否：模型的极限情形") }
        return standardErrors.allSatisfy(\.isFinite) ? l.t("yes", "是")
            : l.t("flat: standard errors not finite", "似然平坦：标准误非有限")
    }

    func clvSection(_ l: ReportLanguage) -> String? {
        guard let clv else {
            guard let refused = clvRefused else { return nil }
            return section(l.t("Customer lifetime value (CLV)", "客户终身价值（CLV）"), HTML.element("p", ["class": "problems"],
                HTML.escape(l.t("The models cannot be fitted to this data: \(refused.message).",
                                refused.code == AnalyticsError.insufficientData ? "数据不足，无法拟合模型（例如还没有客户重复购买）。"
                                    : "无法在这些数据上拟合模型。"))))
        }
        let m = clv.models
        func n(_ v: Double) -> String { HTML.number(v, 3) }
        var content = ""
        if !clv.converged {
            // The library's sentences are English; the Chinese page says the same from the flags.
            var items: [String] = []
            if l == .english {
                items = clv.problems
            } else {
                let range = CLVAnalysis.identifiedRange
                let models: [(String, Convergence, [Double], [Double])] = [
                    ("BG/NBD", m.bgnbd.convergence, [m.bgnbd.r, m.bgnbd.alpha, m.bgnbd.a, m.bgnbd.b],
                     [m.bgnbd.standardErrors.r, m.bgnbd.standardErrors.alpha, m.bgnbd.standardErrors.a, m.bgnbd.standardErrors.b]),
                    ("Pareto/NBD", m.paretoNbd.convergence, [m.paretoNbd.r, m.paretoNbd.alpha, m.paretoNbd.s, m.paretoNbd.beta],
                     [m.paretoNbd.standardErrors.r, m.paretoNbd.standardErrors.alpha, m.paretoNbd.standardErrors.s,
                      m.paretoNbd.standardErrors.beta]),
                    ("Gamma-Gamma", m.gammaGamma.convergence, [m.gammaGamma.p, m.gammaGamma.q],
                     [m.gammaGamma.standardErrors.p, m.gammaGamma.standardErrors.q, m.gammaGamma.standardErrors.v]),
                ]
                for (name, c, parameters, errors) in models {
                    if !c.converged { items.append("\(name) 模型未收敛（迭代 \(c.iterations) 次），其参数不可信。") }
                    if errors.contains(where: { !$0.isFinite }) { items.append("\(name)：部分标准误不是有限数（似然函数在该处平坦）。") }
                    if parameters.contains(where: { !range.contains($0) }) {
                        items.append("\(name)：有参数趋于 0 或无穷大，数据符合模型的极限情形（例如没有客户流失），参数无法识别。")
                    }
                }
                if clv.clv.withheld != nil { items.append("客户终身价值未给出：它所依赖的模型未收敛或结果不是有限数。") }
                if items.isEmpty { items.append("部分结果不是有限数，显示为 –。") }
            }
            content += HTML.element("div", ["class": "problems"],
                HTML.element("p", [:], HTML.escape(l.t("Not converged — read these figures with care:", "未收敛——请谨慎解读以下数字：")))
                + HTML.element("ul", [:], items.map { HTML.element("li", [:], HTML.escape($0)) }.joined()))
        }
        content += h3(l.t("Model parameters", "模型参数")) + table(l,
            [l.t("Model", "模型"), l.t("Parameters", "参数"), l.t("Log-likelihood", "对数似然"), l.t("Converged", "是否收敛")],
            [["BG/NBD", "r=\(n(m.bgnbd.r)) α=\(n(m.bgnbd.alpha)) a=\(n(m.bgnbd.a)) b=\(n(m.bgnbd.b))",
              HTML.number(m.bgnbd.logLikelihood, 1),
              fitStatus(m.bgnbd.convergence, [m.bgnbd.standardErrors.r, m.bgnbd.standardErrors.alpha, m.bgnbd.standardErrors.a, m.bgnbd.standardErrors.b],
                        scaleFree: [m.bgnbd.r, m.bgnbd.alpha, m.bgnbd.a, m.bgnbd.b], l)],
             ["Pareto/NBD", "r=\(n(m.paretoNbd.r)) α=\(n(m.paretoNbd.alpha)) s=\(n(m.paretoNbd.s)) β=\(n(m.paretoNbd.beta))",
              HTML.number(m.paretoNbd.logLikelihood, 1),
              fitStatus(m.paretoNbd.convergence, [m.paretoNbd.standardErrors.r, m.paretoNbd.standardErrors.alpha, m.paretoNbd.standardErrors.s, m.paretoNbd.standardErrors.beta],
                        scaleFree: [m.paretoNbd.r, m.paretoNbd.alpha, m.paretoNbd.s, m.paretoNbd.beta], l)],
             ["Gamma-Gamma", "p=\(n(m.gammaGamma.p)) q=\(n(m.gammaGamma.q)) v=\(n(m.gammaGamma.v))",
              HTML.number(m.gammaGamma.logLikelihood, 1),
              fitStatus(m.gammaGamma.convergence, [m.gammaGamma.standardErrors.p, m.gammaGamma.standardErrors.q, m.gammaGamma.standardErrors.v],
                        scaleFree: [m.gammaGamma.p, m.gammaGamma.q], l)]],
            dataColumns: [0, 1])
        content += table(l, [l.t("Customers", "客户数"), l.t("Repeat customers", "重复购买客户"), l.t("Calibration", "校准期")],
                         [[HTML.count(clv.customers), HTML.count(clv.calibration.repeatCustomers),
                           "\(clv.calibration.start) – \(clv.calibration.end)"]])
        if let h = clv.holdout {
            content += h3(l.t("Holdout", "验证期")) + table(l,
                [l.t("End", "结束"), l.t("Actual purchases", "实际购买"), l.t("Predicted (BG/NBD)", "预测（BG/NBD）"),
                 l.t("Predicted (Pareto/NBD)", "预测（Pareto/NBD）")],
                [[h.end, HTML.count(h.actualPurchases), HTML.number(h.predictedPurchases.bgnbd, 1),
                  HTML.number(h.predictedPurchases.paretoNbd, 1)]])
        }
        content += h3(l.t("Customer lifetime value", "客户终身价值"))
        if clv.clv.withheld != nil {
            content += HTML.element("p", ["class": "problems"], HTML.escape(l.t(
                "Withheld: \(clv.clv.withheld ?? "")", "未给出：它所依赖的模型未收敛或结果不是有限数。")))
        } else {
            content += table(l,
                [l.t("Horizon (months)", "期限（月）"), l.t("Monthly discount", "月折现率"), l.t("Mean", "平均"),
                 l.t("Median", "中位数"), l.t("Total", "合计")],
                [[String(clv.clv.horizonMonths), HTML.percent(clv.clv.monthlyDiscountRate), money(major: clv.clv.mean),
                  money(major: clv.clv.median), money(major: clv.clv.total)]])
        }
        if let customers = clv.customerPredictions, !customers.isEmpty, clv.clv.withheld == nil {
            let top = customers.sorted { ($0.clv ?? 0) > ($1.clv ?? 0) }.prefix(maxRows)
            content += h3(l.t("Highest CLV", "终身价值最高的客户")) + table(l,
                [l.t("Customer", "客户"), l.t("P(alive)", "存活概率"), l.t("Expected purchases", "预期购买"),
                 l.t("Lifetime value", "终身价值")],
                top.map { [$0.customer, HTML.number($0.probabilityAlive.bgnbd, 3),
                           HTML.number($0.expectedPurchases.bgnbd), money(major: $0.clv)] }, dataColumns: [0])
        }
        return section(l.t("Customer lifetime value (CLV)", "客户终身价值（CLV）"), content)
    }

    func rfmSection(_ l: ReportLanguage) -> String? {
        guard let rfm else { return nil }
        let names = rfm.segments.map { l.name($0.segment.rawValue) }
        return section(l.t("RFM segments", "RFM 客户分群"),
            SVGChart.bars(labels: names, values: rfm.segments.map { Double($0.customers) },
                          xTitle: l.t("Segment", "分群"), yTitle: l.t("Customers", "客户数"), format: { HTML.number($0, 0) })
            + table(l, [l.t("Segment", "分群"), l.t("Customers", "客户数"), l.t("Share", "占比"), l.t("Revenue", "收入"),
                        l.t("Revenue share", "收入占比")],
                    zip(names, rfm.segments).map { [$0, HTML.count($1.customers), HTML.percent($1.customerShare),
                                                     money(Double($1.revenue)), HTML.percent($1.revenueShare)] }))
    }

    func retentionSection(_ l: ReportLanguage) -> String? {
        guard repeatPurchases != nil || monthlyRetention != nil || cohorts != nil else { return nil }
        var content = ""
        if let s = repeatPurchases {
            content += table(l, [l.t("Customers", "客户数"), l.t("Repeat customers", "重复购买客户"),
                                 l.t("Repurchase rate", "复购率"), l.t("Median days between purchases", "购买间隔中位数（天）")],
                             [[HTML.count(s.customers), HTML.count(s.repeatCustomers), HTML.percent(s.repurchaseRate),
                               HTML.count(s.medianDays)]])
            content += h3(l.t("Days between purchases", "购买间隔天数分布"))
                + SVGChart.bars(labels: RepeatPurchaseStats.bucketLabels.map { $0 == ">365" ? l.t("over 365", "365 以上") : $0 },
                                values: s.histogram.map(Double.init), xTitle: l.t("Days between purchases", "间隔天数"),
                                yTitle: l.t("Gaps", "次数"), format: { HTML.number($0, 0) })
        }
        if let rows = monthlyRetention {
            content += h3(l.t("Monthly retention rate", "月留存率"))
            content += rows.isEmpty ? table(l, [l.t("Month", "月份")], [])
                : SVGChart.line(labels: rows.map(\.month), values: rows.map(\.retentionRate), maxY: 1,
                                xTitle: l.t("Month", "月份"), yTitle: l.t("Retention", "留存率"), format: { HTML.percent($0, 0) })
        }
        if let cohorts {
            let width = cohorts.cohorts.map(\.retention.count).max() ?? 0
            let rows = cohorts.cohorts.map { c in
                [c.month, HTML.count(c.size)] + (0..<width).map { k in k < c.retention.count ? HTML.percent(c.retention[k], 0) : "" }
            }
            content += h3(l.t("Cohort retention (share buying again N months after the first month)",
                              "同期群留存（首购后第 N 个月再次购买的比例）")) + table(l,
                [l.t("Cohort", "同期群"), l.t("Size", "人数")] + (0..<width).map { l.t("+\($0)", "第\($0)月") }, rows,
                dataColumns: [0], compact: true) { i, j in
                    let c = cohorts.cohorts[i]
                    guard j >= 2, j - 2 < c.retention.count else { return nil }
                    let v = c.retention[j - 2]
                    return "background:rgba(78,121,167,\(HTML.number(v.isFinite ? min(max(v, 0), 1) * 0.8 : 0, 2)))"
                }
        }
        return section(l.t("Retention", "留存"), content)
    }

    func concentrationSection(_ l: ReportLanguage) -> String? {
        guard let c = concentration else { return nil }
        return section(l.t("Revenue concentration", "收入集中度"),
            table(l, [l.t("Customers", "客户数"), l.t("Top 20 % revenue share", "前 20% 客户收入占比"),
                      l.t("Gini coefficient", "基尼系数")],
                  [[HTML.count(c.customers), HTML.percent(c.top20RevenueShare), HTML.number(c.gini, 3)]])
            + SVGChart.lorenz(c.lorenz, customersLabel: l.t("Share of customers", "客户占比"),
                              revenueLabel: l.t("Share of revenue", "收入占比")))
    }

    func winBackSection(_ l: ReportLanguage) -> String? {
        guard let winBack else { return nil }
        return section(l.t("Win-back candidates", "待挽回客户"), table(l,
            [l.t("Customer", "客户"), l.t("Past value", "历史消费"), l.t("P(alive)", "存活概率"),
             l.t("Days since last purchase", "距上次购买天数")],
            winBack.prefix(maxRows).map { [$0.customer, money(Double($0.pastValue)), HTML.number($0.probabilityAlive, 3),
                                           HTML.count($0.daysSinceLastPurchase)] }, dataColumns: [0]))
    }

    func calibrationSection(_ l: ReportLanguage) -> String? {
        guard let c = calibration else { return nil }
        let now = c.levels.contains { $0.membersNow != nil }
        return section(l.t("Level calibration", "会员等级校准"),
            HTML.element("p", [:], HTML.escape(l.t("Qualifying members: \(HTML.count(c.members)); below the entry threshold: \(HTML.count(c.belowEntry)).",
                                                   "达标会员：\(HTML.count(c.members))；未达入会门槛：\(HTML.count(c.belowEntry))。")))
            + table(l, [l.t("Level", "等级")] + (now ? [l.t("Members now", "当前会员数")] : [])
                    + [l.t("Threshold", "门槛"), l.t("Qualify", "达标人数"), l.t("Share", "占比"),
                       l.t("Target share", "目标占比"), l.t("Value at target boundary", "目标占比分界值"),
                       l.t("Suggested threshold", "建议门槛"), l.t("Share at suggestion", "建议门槛下占比")],
                    c.levels.map { v in
                        [v.name ?? String(v.level)] + (now ? [v.membersNow.map(HTML.count) ?? "–"] : [])
                        + [money(Double(v.threshold)), HTML.count(v.members), HTML.percent(v.share), HTML.percent(v.targetShare),
                           v.boundaryValue.map { money(Double($0)) } ?? "–", money(Double(v.suggestedThreshold)),
                           HTML.percent(v.suggestedShare)]
                    }, dataColumns: [0]))
    }

    func economicsSection(_ l: ReportLanguage) -> String? {
        guard let e = economics else { return nil }
        let r = e.redemption
        let why: String = switch r.source {
        case .given: l.t(r.explanation, "使用指定的兑换率。")
        case .history: l.t(r.explanation, "按 \(r.historyMonths) 个月的历史数据估计：已兑换 ÷（已兑换 + 已过期）。")
        case .defaultYearOne: l.t(r.explanation, "历史数据不足，采用第一年计划的典型兑换率（约 30%）。")
        case .defaultYearTwo: l.t(r.explanation, "历史数据不足，采用第二年计划的典型兑换率（约 50%）。")
        case .defaultMature: l.t(r.explanation, "历史数据不足，采用成熟计划的典型兑换率（60–80% 的中值）。")
        }
        let summary = table(l, [l.t("Figure", "指标"), l.t("Value", "数值")], [
            [l.t("Outstanding points", "未兑换积分"), HTML.count(e.outstandingPoints)],
            [l.t("Point value", "积分价值"), HTML.money(major: e.pointValue / minorUnitsPerMajor, currency: currency, digits: 4)],
            [l.t("Expected redemption", "预期兑换率"), HTML.percent(r.expectedRate)],
            [l.t("Breakage", "沉淀率"), HTML.percent(e.breakage)],
            [l.t("Liability", "积分负债"), money(e.liability)],
            [l.t("Programme cost (expected redemption of points issued)", "计划成本（已发放积分的预期兑换）"), money(e.cost.total)],
            [l.t("Share of sales", "占销售额"), HTML.percent(e.cost.shareOfSales, 2)],
            [l.t("Against the 1–2 % benchmark", "对比 1–2% 基准"), e.cost.verdict.map { l.name($0.rawValue) } ?? "–"],
            [l.t("Redeemed so far", "已兑换成本"), money(e.cost.redeemedSoFar)],
        ])
        let note = HTML.element("p", [:], HTML.escape(l.t("Expected redemption rate: ", "预期兑换率：") + why + l.t(". ", "")
            + l.t("Cost = points issued × point value × expected redemption rate × (1 + operations share).",
                  "成本 = 发放积分 × 积分价值 × 预期兑换率 ×（1 + 运营成本占比）。")))
        let periods = table(l,
            [l.t("Month", "月份"), l.t("Sales", "销售额"), l.t("Issued", "发放"), l.t("Redeemed", "兑换"),
             l.t("Expired", "过期"), l.t("Outstanding", "未兑换"), l.t("Cost share", "成本占比")],
            e.periods.map { [$0.period, money(Double($0.sales)), HTML.count($0.issued), HTML.count($0.redeemed),
                             HTML.count($0.expired), HTML.count($0.closingOutstanding), HTML.percent($0.costShareOfSales)] },
            dataColumns: [0])
        let chart = h3(l.t("Outstanding points", "未兑换积分")) + (e.periods.isEmpty ? "" :
            SVGChart.line(labels: e.periods.map(\.period), values: e.periods.map { Double($0.closingOutstanding) },
                          xTitle: l.t("Month", "月份"), yTitle: l.t("Points", "积分"), format: { HTML.number($0, 0) }))
        return section(l.t("Programme economics", "积分计划经济性"), summary + note + chart + periods)
    }

    func loyaltySection(_ l: ReportLanguage) -> String? {
        guard let y = loyalty else { return nil }
        func rows<K: RawRepresentable<String>>(_ counts: [LoyaltyReport.Count<K>]) -> [[String]] {
            counts.map { [l.name($0.key.rawValue), HTML.count($0.customers), HTML.percent($0.share)] }
        }
        let head = [l.t("Type", "类型"), l.t("Members", "会员数"), l.t("Share", "占比")]
        var content = h3(l.t("Stages", "忠诚阶段"))
            + SVGChart.bars(labels: y.stages.map { l.name($0.key.rawValue) }, values: y.stages.map { Double($0.customers) },
                            xTitle: l.t("Stage", "阶段"), yTitle: l.t("Members", "会员数"), format: { HTML.number($0, 0) })
            + table(l, head, rows(y.stages))
        if let q = y.quadrants {
            content += h3(l.t("Attitude × behaviour (\(HTML.count(y.surveyed)) surveyed)", "态度 × 行为（\(HTML.count(y.surveyed)) 人参与调查）"))
                + table(l, head, rows(q))
        }
        content += h3(l.t("Causes of repeat buying (\(HTML.count(y.repeatBuyers)) repeat buyers)",
                          "重复购买原因（\(HTML.count(y.repeatBuyers)) 位重复购买者）")) + table(l, head, rows(y.causes))
        return section(l.t("Loyalty", "顾客忠诚"), content)
    }
}
