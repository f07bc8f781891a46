import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PatronAnalytics

@Suite struct AnalyticsReportTests {
    static let hostile = "<script>alert('x')</script>&\"id\""

    /// Every section, from the CDNOW sample with one customer renamed to a hostile id.
    func fullReport() throws -> AnalyticsReport {
        var purchases = try CDNOWFixture.samplePurchases()
        let victim = purchases[0].customer
        for i in purchases.indices where purchases[i].customer == victim { purchases[i].customer = Self.hostile }
        let clv = try CLVAnalysis.run(purchases: purchases, options: CLVAnalysisOptions(
            period: .week, calibrationEnd: CDNOWFixture.calibrationEnd, includeCustomers: true))
        let orders = purchases.enumerated().map { i, p in
            OrderFact(customer: p.customer, day: p.day, amount: p.amount, discount: i % 3 == 0 ? 100 : 0,
                      inCampaign: i % 5 == 0)
        }
        let winBack = [WinBackCandidate(customer: Self.hostile, pastValue: 12_345, probabilityAlive: 0.1,
                                        daysSinceLastPurchase: 300, purchaseDays: 4)]
        let economics = try ProgramEconomics.compute(EconomicsInput(periods: [
            LedgerPeriod(period: "2026-01", sales: 1_000_000, issued: 10_000, redeemed: 2_000, expired: 0),
            LedgerPeriod(period: "2026-02", sales: 1_000_000, issued: 10_000, redeemed: 3_000, expired: 0),
        ], outstandingPoints: 15_000, pointValue: 1, operationsShare: 0.2))
        let totals = Dictionary(grouping: purchases, by: \.customer).values.map { $0.reduce(Int64(0)) { $0 + $1.amount } }
        return AnalyticsReport(
            title: .all, source: "Report <b>test</b>", generatedAt: "2026-12-05 10:00 UTC", currency: "CNY", clv: clv, rfm: try RFMAnalysis.run(purchases: purchases),
            repeatPurchases: try RepeatPurchaseStats.compute(purchases: purchases),
            monthlyRetention: try MonthlyRetention.compute(purchases: purchases),
            cohorts: try CohortMatrix.compute(purchases: purchases),
            concentration: try RevenueConcentration.compute(purchases: purchases), winBack: winBack,
            calibration: try LevelCalibration.calibrate(values: totals, thresholds: [0, 5_000, 20_000, 50_000],
                                                        targetShares: [0.8, 0.15, 0.04, 0.01], roundingUnit: 100),
            economics: economics,
            loyalty: try LoyaltyAnalysis.run(orders: orders, members: ["never-bought"], nps: [Self.hostile: 10]),
            maxRows: 5_000)
    }

    @Test func hostileCustomerIdsAreEscaped() throws {
        let report = try fullReport()
        for language in ReportLanguage.allCases {
            let html = report.html(language: language)
            #expect(!html.contains("<script"))
            #expect(!html.contains("<b>"))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;id&quot;"))
            #expect(html.contains("Report &lt;b&gt;test&lt;/b&gt;"))
        }
    }

    @Test func everySectionRendersInBothLanguages() throws {
        let report = try fullReport()
        let en = report.html(language: .english), zh = report.html(language: .chinese)
        for heading in ["Customer lifetime value (CLV)", "RFM segments", "Retention", "Revenue concentration",
                        "Win-back candidates", "Level calibration", "Programme economics", "Loyalty"] {
            #expect(en.contains("<h2>\(heading)</h2>"))
        }
        for heading in ["客户终身价值（CLV）", "RFM 客户分群", "留存", "收入集中度", "待挽回客户", "会员等级校准",
                        "积分计划经济性", "顾客忠诚"] {
            #expect(zh.contains("<h2>\(heading)</h2>"))
        }
        #expect(en.hasPrefix("<!DOCTYPE html>") && en.contains("<html lang=\"en\">"))
        #expect(zh.contains("<html lang=\"zh-Hans\">") && zh.contains("冠军客户"))
        #expect(!en.contains("http://") || en.components(separatedBy: "http://").count - 1
                == en.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)  // no external assets
        #expect(!en.contains("<link") && !en.contains("src="))
        #expect(AnalyticsReport().html().contains("No analyses."))
    }

    @Test func svgChartsAreWellFormedWithFiniteNumbers() throws {
        let html = try fullReport().html()
        let svgs = Self.svgs(in: html)
        #expect(svgs.count == 6)  // RFM bars, gap histogram, retention line, Lorenz, outstanding line, stages bars
        for svg in svgs {
            let checker = SVGChecker()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = checker
            #expect(parser.parse(), "SVG does not parse: \(svg.prefix(200))")
            #expect(checker.depth == 0)
            #expect(checker.badNumbers.isEmpty, "non-finite numbers: \(checker.badNumbers)")
            #expect(checker.elements.contains("line"))
        }
        let lorenz = try #require(svgs.first { $0.contains("class=\"diagonal\"") })
        #expect(lorenz.contains("polyline"))
        // balanced tags in the whole page
        for tag in ["section", "table", "tr", "td", "svg", "text", "h2"] {
            #expect(html.components(separatedBy: "<\(tag)>").count + html.components(separatedBy: "<\(tag) ").count - 2
                    == html.components(separatedBy: "</\(tag)>").count - 1, "unbalanced <\(tag)>")
        }
    }

    @Test func nonFiniteValuesAreDrawnAsZero() {
        let svg = SVGChart.bars(labels: ["a", "b"], values: [.nan, .infinity], xTitle: "x", yTitle: "y", format: { HTML.number($0) })
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        let line = SVGChart.line(labels: ["a", "b", "c"], values: [nil, .nan, 0.5], maxY: 1, xTitle: "x", yTitle: "y",
                                 format: { HTML.percent($0) })
        #expect(!line.lowercased().contains("nan"))
        #expect(HTML.escape("a<b>&'\"") == "a&lt;b&gt;&amp;&#39;&quot;")
    }

    static func svgs(in html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    final class SVGChecker: NSObject, XMLParserDelegate {
        var depth = 0
        var elements = Set<String>()
        var badNumbers: [String] = []
        static let numeric: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "width", "height"]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            depth += 1
            elements.insert(name)
            for (key, value) in attributes {
                let numbers: [Substring]
                if Self.numeric.contains(key) { numbers = [value[...]] }
                else if key == "points" || key == "viewBox" {
                    numbers = value.split { $0 == " " || $0 == "," }
                } else { continue }
                for n in numbers where !(Double(n)?.isFinite ?? false) { badNumbers.append("\(key)=\(value)") }
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
        }
    }
}
