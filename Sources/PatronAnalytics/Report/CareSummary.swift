import Foundation

/// The figures of the care report that the HTML report's "Customer care" section shows (`patron care report` builds
/// them from tickets, surveys and win-back offers).
public struct CareSummary: Sendable, Hashable, Codable {
    /// Tickets of one category per 1,000 orders.
    public struct Category: Sendable, Hashable, Codable {
        /// The category's name (`productQuality`, `delivery` …).
        public var name: String
        /// Tickets opened.
        public var tickets: Int
        /// Per 1,000 orders, `nil` without orders.
        public var perThousandOrders: Double?

        /// A category row.
        public init(name: String, tickets: Int, perThousandOrders: Double?) {
            self.name = name
            self.tickets = tickets
            self.perThousandOrders = perThousandOrders
        }
    }

    /// NPS of one month.
    public struct Month: Sendable, Hashable, Codable {
        /// `yyyy-MM`.
        public var month: String
        /// Answers.
        public var answers: Int
        /// NPS, `nil` without answers.
        public var nps: Double?

        /// A month.
        public init(month: String, answers: Int, nps: Double?) {
            self.month = month
            self.answers = answers
            self.nps = nps
        }
    }

    /// The period, as text (`2026-09-01 – 2026-12-01`).
    public var period: String
    /// Tickets opened.
    public var tickets: Int
    /// Share of decided tickets that met both targets.
    public var slaCompliance: Double?
    /// Median and p90 of first-response service minutes.
    public var firstResponseMedian: Double?, firstResponseP90: Double?
    /// Median and p90 of resolution service minutes.
    public var resolutionMedian: Double?, resolutionP90: Double?
    /// Orders placed in the period.
    public var orders: Int
    /// Complaints per 1,000 orders by category.
    public var categories: [Category]
    /// NPS of the period and its answers.
    public var nps: Double?, npsAnswers: Int
    /// NPS by month.
    public var trend: [Month]
    /// CSAT mean (1–5) and ratings.
    public var csatAverage: Double?, csatRatings: Int
    /// Win-back offers decided, recovered, and the rate.
    public var offersDecided: Int, offersRecovered: Int, recoveryRate: Double?

    /// A summary.
    public init(
        period: String, tickets: Int, slaCompliance: Double?, firstResponseMedian: Double?, firstResponseP90: Double?, resolutionMedian: Double?,
        resolutionP90: Double?, orders: Int, categories: [Category], nps: Double?, npsAnswers: Int, trend: [Month], csatAverage: Double?,
        csatRatings: Int, offersDecided: Int, offersRecovered: Int, recoveryRate: Double?
    ) {
        self.period = period
        self.tickets = tickets
        self.slaCompliance = slaCompliance
        self.firstResponseMedian = firstResponseMedian
        self.firstResponseP90 = firstResponseP90
        self.resolutionMedian = resolutionMedian
        self.resolutionP90 = resolutionP90
        self.orders = orders
        self.categories = categories
        self.nps = nps
        self.npsAnswers = npsAnswers
        self.trend = trend
        self.csatAverage = csatAverage
        self.csatRatings = csatRatings
        self.offersDecided = offersDecided
        self.offersRecovered = offersRecovered
        self.recoveryRate = recoveryRate
    }
}

extension AnalyticsReport {
    /// A ticket category's name for a reader (the data carries its code: `productQuality` …).
    static func categoryLabel(_ code: String, _ l: ReportLanguage) -> String {
        switch code {
        case "productQuality": l.t("Product quality", "产品质量")
        case "delivery": l.t("Delivery", "物流配送")
        case "price": l.t("Price", "价格")
        case "serviceAttitude": l.t("Service attitude", "服务态度")
        case "pointsAndBenefits": l.t("Points and benefits", "积分与权益")
        case "other": l.t("Other", "其他")
        default: code
        }
    }

    /// The "Customer care" section, when the report has care figures.
    func careSection(_ l: ReportLanguage) -> String? {
        guard let c = care else { return nil }
        func minutes(_ value: Double?) -> String { value.map { HTML.number($0 / 60, 1) + l.t(" h", " 小时") } ?? "–" }
        func nps(_ value: Double?) -> String { value.map { ($0 >= 0 ? "+" : "") + HTML.number($0, 1) } ?? "–" }
        let figures = table(l, [l.t("Measure", "指标"), l.t("Value", "数值")], [
            [l.t("Tickets", "工单数"), HTML.count(c.tickets)],
            [l.t("SLA compliance", "时效达标率"), HTML.percent(c.slaCompliance)],
            [l.t("First response, median / p90 (service hours)", "首次响应 中位数 / P90（服务时长）"), minutes(c.firstResponseMedian) + " / " + minutes(c.firstResponseP90)],
            [l.t("Resolution, median / p90 (service hours)", "解决时长 中位数 / P90（服务时长）"), minutes(c.resolutionMedian) + " / " + minutes(c.resolutionP90)],
            [l.t("Complaints per 1,000 orders", "每千单投诉数"), HTML.number(c.orders == 0 ? nil : Double(c.tickets) * 1_000 / Double(c.orders), 2)],
            [l.t("NPS (answers)", "净推荐值（答卷数）"), nps(c.nps) + " (" + HTML.count(c.npsAnswers) + ")"],
            [l.t("CSAT, mean of 1–5 (ratings)", "满意度 1–5 平均（评分数）"), HTML.number(c.csatAverage, 2) + " (" + HTML.count(c.csatRatings) + ")"],
            [l.t("Win-back recovery within 90 days", "90 天内挽回率"),
             HTML.percent(c.recoveryRate) + " (" + HTML.count(c.offersRecovered) + " / " + HTML.count(c.offersDecided) + ")"],
        ])
        let categories = table(l, [l.t("Category", "类别"), l.t("Tickets", "工单数"), l.t("Per 1,000 orders", "每千单")],
            c.categories.map { [Self.categoryLabel($0.name, l), HTML.count($0.tickets), HTML.number($0.perThousandOrders, 2)] })
        let trend = table(l, [l.t("Month", "月份"), l.t("Answers", "答卷数"), l.t("NPS", "净推荐值")],
            c.trend.map { [$0.month, HTML.count($0.answers), nps($0.nps)] }, dataColumns: [0])
        return section(l.t("Customer care", "客户服务"),
            HTML.element("p", ["class": "meta"], HTML.element("span", ["translate": "no"], HTML.escape(c.period)))
            + figures + h3(l.t("Complaints by category", "按类别的投诉")) + categories + h3(l.t("NPS by month", "按月净推荐值")) + trend)
    }
}
