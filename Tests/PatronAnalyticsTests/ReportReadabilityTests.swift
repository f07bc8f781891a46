import Foundation
import Testing
@testable import PatronAnalytics

/// What a person reads in the HTML report: whole numbers on the axes, money with its currency and separators,
/// titled axes, empty tables that say so, a date and a data source, and every label in the report's language.
@Suite struct ReportReadabilityTests {
    func economics(outstanding: Int64) throws -> EconomicsReport {
        try ProgramEconomics.compute(EconomicsInput(periods: (1...9).map {
            LedgerPeriod(period: "2026-0\($0)", sales: 123_456_789, issued: 600_000, redeemed: 0, expired: 0)
        }, outstandingPoints: outstanding, pointValue: 1, operationsShare: 0.2))
    }

    @Test func numbersAreGroupedAndMoneyNamesItsCurrency() {
        #expect(HTML.number(5_132_155, 0) == "5,132,155")
        #expect(HTML.number(-1_234.5) == "-1,234.50")
        #expect(HTML.number(999, 0) == "999")
        #expect(HTML.money(major: 1_234_567.891, currency: "CNY") == "CNY 1,234,567.89")
        #expect(HTML.money(major: .nan, currency: "CNY") == "–")
    }

    @Test func anAxisShowsTheWholeOfItsLargestValue() throws {
        let html = AnalyticsReport(currency: "CNY", economics: try economics(outstanding: 5_132_155)).html()
        // the y ticks of the outstanding-points line run past 5,132,155 in whole, grouped numbers
        #expect(html.contains(">6,000,000</text>"))
        #expect(!html.contains("2155.00"))
        // the tick labels' estimated widths fit between the SVG's left edge and the axis
        let svg = try #require(AnalyticsReportTests.svgs(in: html).first)
        let axisX = try #require(Self.firstNumber(after: "<line x1=\"", in: svg))
        #expect(axisX >= TextWidth.of("6,000,000", size: 11) + 6)
        #expect(html.contains("CNY 1,234,567.89"))  // each month's sales
        #expect(html.contains("class=\"axis-title\""))
    }

    @Test func longXLabelsStandUpAndEveryLabelIsInsideTheBox() {
        let labels = (1...36).map { "2024-\($0)" }
        let svg = SVGChart.line(labels: labels, values: labels.indices.map { Double($0) }, xTitle: "Month", yTitle: "Points",
                                format: { HTML.number($0, 0) })
        #expect(svg.contains("rotate(-90"))
        let few = SVGChart.bars(labels: ["a", "b"], values: [1, 2], xTitle: "x", yTitle: "y", format: { HTML.number($0, 0) })
        #expect(!few.contains("class=\"xlabel\" transform"))
    }

    @Test func anEmptyTableSaysSo() {
        let report = AnalyticsReport(winBack: [])
        #expect(report.html().contains("No data."))
        #expect(report.html(language: .chinese).contains("无数据。"))
    }

    @Test func aRefusedCLVSaysWhyInBothLanguages() {
        var report = AnalyticsReport()
        report.clvRefused = AnalyticsError(code: AnalyticsError.insufficientData, message: "no customer has a repeat purchase day")
        #expect(report.html().contains("The models cannot be fitted to this data: no customer has a repeat purchase day."))
        #expect(report.html(language: .chinese).contains("数据不足"))
    }

    @Test func theHeaderNamesTheDataSourceTheDateAndTheCurrency() {
        let report = AnalyticsReport(source: "database shop.sqlite", generatedAt: "2026-12-05 10:00 UTC", currency: "CNY", winBack: [])
        let en = report.html(), zh = report.html(language: .chinese)
        #expect(en.contains("shop.sqlite") && en.contains("2026-12-05 10:00 UTC") && en.contains("Amounts in"))
        #expect(zh.contains("数据来源") && zh.contains("生成时间") && zh.contains("<title>Patron 客户分析报告</title>"))
    }

    @Test func theChinesePageHasNoEnglishWordsOutsideData() throws {
        let report = try AnalyticsReportTests().fullReport()
        let zh = report.html(language: .chinese)
        #expect(!zh.contains(">true<") && !zh.contains(">false<") && !zh.contains(">yes<"))
        // Visible text outside data cells (translate="no"), tags, and the model names, which are names.
        var text = zh.replacingOccurrences(of: #"<style>.*?</style>"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<([a-z]+)[^>]*translate="no"[^>]*>.*?</\1>"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
        let allowed: Set<String> = ["Patron", "CLV", "RFM", "BG", "NBD", "Pareto", "Gamma", "CNY"]
        let words = text.matches(of: /[A-Za-z]{2,}/).map { String($0.output) }.filter { !allowed.contains($0) }
        #expect(words.isEmpty, "untranslated: \(Set(words).sorted())")
    }

    static func firstNumber(after prefix: String, in text: String) -> Double? {
        guard let r = text.range(of: prefix) else { return nil }
        return Double(text[r.upperBound...].prefix { $0.isNumber || $0 == "." })
    }
}
