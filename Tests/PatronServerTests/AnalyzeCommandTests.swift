import Foundation
import Testing

/// The `patron analyze` command end to end, as a shop would run it on its export.
@Suite struct AnalyzeCommandTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: Data) { try runPatron(arguments) }

    let sample = [
        "--orders", cdnowFolder.appendingPathComponent("CDNOW_sample.txt").path, "--no-header", "--delimiter", "whitespace",
        "--customer", "1", "--date", "3", "--date-format", "yyyyMMdd", "--amount", "5",
    ]

    @Test func clvPrintsTheDocumentedJSONFields() throws {
        let customers = FileManager.default.temporaryDirectory.appendingPathComponent("patron-clv-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: customers) }
        let (status, data) = try run(
            ["analyze", "clv"] + sample + ["--calibration-end", "1997-09-30", "--observation-end", "1998-06-30", "--json", "--customers", customers.path])
        #expect(status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func value(_ path: String) -> Any? {
            path.split(separator: ".").reduce(json as Any?) { ($0 as? [String: Any])?[String($1)] }
        }
        for path in [
            "customers", "calibration.repeatCustomers", "calibration.repeatPurchases", "models.bgnbd.r", "models.bgnbd.alpha", "models.bgnbd.a",
            "models.bgnbd.b", "models.bgnbd.logLikelihood", "models.paretoNbd.r", "models.paretoNbd.alpha", "models.paretoNbd.s",
            "models.paretoNbd.beta", "models.paretoNbd.logLikelihood", "models.gammaGamma.p", "models.gammaGamma.q", "models.gammaGamma.v",
            "holdout.actualPurchases", "holdout.predictedPurchases.bgnbd", "holdout.predictedPurchases.paretoNbd", "clv.horizonMonths",
            "clv.monthlyDiscountRate", "clv.mean",
        ] {
            #expect(value(path) != nil, "missing \(path)")
        }
        #expect(value("customers") as? Int == 2_357)
        #expect(abs((value("models.bgnbd.r") as? Double ?? 0) - 0.243) < 0.0005)
        let lines = try String(contentsOf: customers, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(lines.count == 2_358)  // a header and one line per customer
    }

    @Test func everyAnalysisRunsOnAFileAndWritesItsReport() throws {
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("patron-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        for command in ["rfm", "retention", "loyalty"] {
            let (status, data) = try run(["analyze", command] + sample + ["--json"])
            #expect(status == 0, "analyze \(command) failed")
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "analyze \(command) --json is not JSON")
        }
        let (status, _) = try run(["analyze", "levels"] + sample + ["--thresholds", "0,50,100,200", "--targets", "80,15,4,1"])
        #expect(status == 0)
        let report = try run(["analyze", "report"] + sample + ["--html", html.path, "--language", "zh-Hans"])
        #expect(report.status == 0)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("lang=\"zh-Hans\""))
    }

    @Test func badInputIsAClearErrorNotACrash() throws {
        let (status, _) = try run(["analyze", "clv"] + sample + ["--period", "fortnight"])
        #expect(status == 1)
        let missing = try run(["analyze", "rfm", "--orders", "/nonexistent/orders.csv"])
        #expect(missing.status == 1)
    }
}
