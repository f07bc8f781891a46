import Foundation
import PatronCore

/// A self-contained HTML report (inline CSS, inline SVG, no external assets) of whatever analyses are present.
///
/// Every text that comes from data (customer ids, months, the data source) is escaped and marked
/// `translate="no"`; every other word on the page is in the report's language.
public struct AnalyticsReport: Sendable, Hashable {
    /// What the page is about; its heading in the report's language.
    public var title: ReportTitle
    /// Where the data came from ("database shop.sqlite", "orders file orders.csv"), shown under the title.
    public var source: String
    /// When the report was made, shown under the title (e.g. "2026-12-05 23:59 UTC"); nil shows nothing.
    public var generatedAt: String?
    /// The ISO 4217 code of every amount, shown with each one ("" when unknown).
    public var currency: String
    /// CLV models, holdout and CLV.
    public var clv: CLVReport?
    /// Why there is no CLV section's content (the analysis refused the data, e.g. no repeat buyer); shown when
    /// ``clv`` is nil.
    public var clvRefused: AnalyticsError?
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
    /// Customer care: SLA, response times, complaints, NPS, CSAT and win-back recovery (`CareSummary`).
    public var care: CareSummary?
    /// Messages: what became of them and the orders attributed to them (`patron messages stats`).
    public var messages: MessageStats?
    /// The shop's time zone (the program's), in which the report writes instants such as the messages section's
    /// period; `nil` writes them in UTC.
    public var timeZone: TimeZone?
    /// Minor units per major unit, for money shown in major units (calibration values, economics).
    public var minorUnitsPerMajor: Double
    /// Rows of per-customer tables shown at most (CLV, win-back).
    public var maxRows: Int

    /// Creates a report; pass the sections you have.
    public init(title: ReportTitle = .all, source: String = "", generatedAt: String? = nil, currency: String = "",
                clv: CLVReport? = nil, rfm: RFMReport? = nil,
                repeatPurchases: RepeatPurchaseStats? = nil, monthlyRetention: [MonthlyRetention]? = nil,
                cohorts: CohortMatrix? = nil, concentration: RevenueConcentration? = nil,
                winBack: [WinBackCandidate]? = nil, calibration: LevelCalibrationReport? = nil,
                economics: EconomicsReport? = nil, loyalty: LoyaltyReport? = nil, minorUnitsPerMajor: Double = 100,
                maxRows: Int = 50) {
        self.title = title
        self.source = source
        self.generatedAt = generatedAt
        self.currency = currency
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
        let l = language
        let sections = [clvSection(l), rfmSection(l), retentionSection(l), concentrationSection(l), winBackSection(l),
                        calibrationSection(l), economicsSection(l), loyaltySection(l), careSection(l), messagesSection(l)].compactMap { $0 }
        let heading = title.text(l)
        var facts: [String] = []
        if !source.isEmpty {
            facts.append(HTML.escape(l.t("Data: ", "数据来源：")) + HTML.element("span", ["translate": "no"], HTML.escape(source)))
        }
        if let generatedAt {
            facts.append(HTML.escape(l.t("Generated: ", "生成时间：")) + HTML.element("span", ["translate": "no"], HTML.escape(generatedAt)))
        }
        if !currency.isEmpty {
            facts.append(HTML.escape(l.t("Amounts in ", "金额单位：")) + HTML.element("span", ["translate": "no"], HTML.escape(currency)))
        }
        let body = HTML.element("h1", [:], HTML.escape(heading))
            + (facts.isEmpty ? "" : HTML.element("p", ["class": "meta"], facts.joined(separator: " · ")))
            + (sections.isEmpty ? HTML.element("p", [:], HTML.escape(l.t("No analyses.", "没有分析结果。")))
               : sections.joined())
        return "<!DOCTYPE html>\n" + HTML.element("html", ["lang": language.rawValue],
            HTML.element("head", [:], "<meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + HTML.element("title", [:], HTML.escape(heading))
                + HTML.element("style", [:], Self.css)) + HTML.element("body", [:], body)) + "\n"
    }

    /// The page's style. The font list names Noto Sans CJK SC (Debian/Ubuntu: `fonts-noto-cjk`) and the system's
    /// Chinese fonts, so 简体中文 renders wherever one of them is installed.
    static let css = """
        body{font-family:system-ui,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",\
        "WenQuanYi Micro Hei",sans-serif;margin:2em auto;padding:0 1em;color:#222;max-width:960px}\
        h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}.meta{color:#555}\
        .scroll{overflow-x:auto;max-width:100%;margin:.5em 0}\
        table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right;white-space:nowrap}\
        th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}td.empty{text-align:center;color:#777}\
        table.compact{font-size:.8em}table.compact th,table.compact td{padding:.2em .35em}\
        .problems{color:#a00}\
        svg{display:block;margin:.5em 0;max-width:100%;height:auto;overflow:hidden}\
        .axis{stroke:#555;stroke-width:1}.grid{stroke:#e6e6e6;stroke-width:1}.bar{fill:#4e79a7}\
        .series{fill:none;stroke:#e15759;stroke-width:2}.diagonal{stroke:#aaa;stroke-dasharray:4 3}\
        text{fill:#333;font-family:inherit}.axis-title{fill:#222;font-weight:600}
        """

    func section(_ heading: String, _ content: String) -> String {
        HTML.element("section", [:], HTML.element("h2", [:], HTML.escape(heading)) + content)
    }

    func h3(_ s: String) -> String { HTML.element("h3", [:], HTML.escape(s)) }

    /// Money given in minor units, shown in major units with the currency code and grouped thousands.
    func money(_ minor: Double?) -> String { HTML.money(major: minor.map { $0 / minorUnitsPerMajor }, currency: currency) }

    /// Money already in major units.
    func money(major: Double?) -> String { HTML.money(major: major, currency: currency) }

    /// A table whose empty state says so in the report's language.
    func table(_ l: ReportLanguage, _ headers: [String], _ rows: [[String]], dataColumns: Set<Int> = [],
               compact: Bool = false, style: ((Int, Int) -> String?)? = nil) -> String {
        HTML.table(headers, rows, empty: l.t("No data.", "无数据。"), dataColumns: dataColumns, compact: compact, style: style)
    }
}

/// The heading of an ``AnalyticsReport``, in either language.
public enum ReportTitle: String, Sendable, Hashable, CaseIterable {
    /// Every analysis: `patron analyze report`.
    case all
    /// `patron analyze clv`.
    case clv
    /// `patron analyze rfm`.
    case rfm
    /// `patron analyze retention`.
    case retention
    /// `patron analyze levels`.
    case levels
    /// `patron analyze loyalty`.
    case loyalty
    /// `patron analyze economics`.
    case economics

    /// The heading in `language`.
    public func text(_ language: ReportLanguage) -> String {
        switch self {
        case .all: language.t("Patron analytics", "Patron 客户分析报告")
        case .clv: language.t("Customer lifetime value", "客户终身价值")
        case .rfm: language.t("RFM segments", "RFM 客户分群")
        case .retention: language.t("Retention", "留存分析")
        case .levels: language.t("Level calibration", "会员等级校准")
        case .loyalty: language.t("Loyalty", "顾客忠诚")
        case .economics: language.t("Programme economics", "积分计划经济性")
        }
    }
}
