/// A self-contained HTML report (inline CSS, inline SVG, no external assets) of whatever analyses are present.
///
/// Every text that comes from data (customer ids, months, periods) is escaped.
public struct AnalyticsReport: Sendable, Hashable {
    /// The page title (escaped).
    public var title: String
    /// CLV models, holdout and CLV.
    public var clv: CLVReport?
    /// RFM segments.
    public var rfm: RFMReport?
    /// Repurchase rate and inter-purchase gaps.
    public var repeatPurchases: RepeatPurchaseStats?
    /// Month-to-month retention.
    public var monthlyRetention: [MonthlyRetention]?
    /// Cohort retention matrix.
    public var cohorts: CohortMatrix?
    /// Revenue concentration and the Lorenz curve.
    public var concentration: RevenueConcentration?
    /// Win-back candidates.
    public var winBack: [WinBackCandidate]?
    /// Level calibration.
    public var calibration: LevelCalibrationReport?
    /// Programme economics.
    public var economics: EconomicsReport?
    /// Loyalty stages, quadrants and causes.
    public var loyalty: LoyaltyReport?
    /// Minor units per major unit, for money shown in major units (calibration values, economics).
    public var minorUnitsPerMajor: Double
    /// Rows of per-customer tables shown at most (CLV, win-back).
    public var maxRows: Int

    /// Creates a report; pass the sections you have.
    public init(title: String = "Patron analytics", clv: CLVReport? = nil, rfm: RFMReport? = nil,
                repeatPurchases: RepeatPurchaseStats? = nil, monthlyRetention: [MonthlyRetention]? = nil,
                cohorts: CohortMatrix? = nil, concentration: RevenueConcentration? = nil,
                winBack: [WinBackCandidate]? = nil, calibration: LevelCalibrationReport? = nil,
                economics: EconomicsReport? = nil, loyalty: LoyaltyReport? = nil, minorUnitsPerMajor: Double = 100,
                maxRows: Int = 50) {
        self.title = title
        self.clv = clv
        self.rfm = rfm
        self.repeatPurchases = repeatPurchases
        self.monthlyRetention = monthlyRetention
        self.cohorts = cohorts
        self.concentration = concentration
        self.winBack = winBack
        self.calibration = calibration
        self.economics = economics
        self.loyalty = loyalty
        self.minorUnitsPerMajor = minorUnitsPerMajor
        self.maxRows = maxRows
    }

    /// The whole page.
    public func html(language: ReportLanguage = .english) -> String {
        let sections = [clvSection(language), rfmSection(language), retentionSection(language),
                        concentrationSection(language), winBackSection(language), calibrationSection(language),
                        economicsSection(language), loyaltySection(language)].compactMap { $0 }
        let body = HTML.element("h1", [:], HTML.escape(title))
            + (sections.isEmpty ? HTML.element("p", [:], HTML.escape(language.t("No analyses.", "没有分析结果。")))
               : sections.joined())
        return "<!DOCTYPE html>\n" + HTML.element("html", ["lang": language.rawValue],
            HTML.element("head", [:], "<meta charset=\"utf-8\">" + HTML.element("title", [:], HTML.escape(title))
                + HTML.element("style", [:], Self.css)) + HTML.element("body", [:], body)) + "\n"
    }

    static let css = """
        body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em;color:#222;max-width:960px}\
        h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
        table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}\
        th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}\
        svg{display:block;margin:.5em 0}.axis{stroke:#555;stroke-width:1}.bar{fill:#4e79a7}\
        .series{fill:none;stroke:#e15759;stroke-width:2}.diagonal{stroke:#aaa;stroke-dasharray:4 3}
        """

    func section(_ heading: String, _ content: String) -> String {
        HTML.element("section", [:], HTML.element("h2", [:], HTML.escape(heading)) + content)
    }

    func h3(_ s: String) -> String { HTML.element("h3", [:], HTML.escape(s)) }

    func money(_ minor: Double) -> String { HTML.number(minor / minorUnitsPerMajor) }
}
