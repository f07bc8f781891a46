import Foundation
import Testing

/// What `patron analyze` writes for people and spreadsheets: RFM money in one named unit, CSV a spreadsheet cannot
/// run, JSON without NaN, and HTML reports with their source.
@Suite struct AnalyzeOutputTests {
    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("patron-\(UUID().uuidString)-\(name)")
    }

    /// Orders whose customer ids would be formulas in a spreadsheet.
    func hostileOrders() throws -> URL {
        let file = temporary("orders.csv")
        var lines = ["customer,date,amount"]
        for (i, id) in ["=SUM(1+1)", "+41", "-7", "@cmd", "plain"].enumerated() {
            lines.append("\(id),2026-01-0\(i + 1),12.50")
            lines.append("\(id),2026-02-0\(i + 1),7.50")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func rfmJSONAndCSVGiveMoneyInMinorUnitsAndNameTheCurrency() throws {
        let orders = try hostileOrders(), csv = temporary("rfm.csv")
        defer { try? FileManager.default.removeItem(at: orders); try? FileManager.default.removeItem(at: csv) }
        let (status, data) = try runPatron(["analyze", "rfm", "--orders", orders.path, "--currency", "EUR", "--json", "--customers", csv.path])
        #expect(status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["currency"] as? String == "EUR" && json["minorUnitsPerMajor"] as? Int == 100)
        let plain = try #require((json["customers"] as? [[String: Any]])?.first { $0["customer"] as? String == "plain" })
        #expect(plain["monetaryMinor"] as? Int == 2_000 && plain["monetary"] == nil)
        let text = try String(contentsOf: csv, encoding: .utf8)
        let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "customer,recency_days,purchase_days,monetary_minor,currency,r,f,m,segment")
        #expect(rows.contains { $0.hasPrefix("plain,") && $0.contains(",2000,EUR,") })
        // every id that would start a formula is written as text
        for id in ["=SUM(1+1)", "+41", "-7", "@cmd"] {
            #expect(rows.contains { $0.hasPrefix("'\(id),") }, "\(id) is not neutralised")
            #expect(!rows.contains { $0.hasPrefix("\(id),") })
        }
    }

    @Test func clvCustomersCSVIsQuotedAndNamesItsUnits() throws {
        let orders = try hostileOrders(), csv = temporary("clv.csv")
        defer { try? FileManager.default.removeItem(at: orders); try? FileManager.default.removeItem(at: csv) }
        let (status, _) = try runPatron(["analyze", "clv", "--orders", orders.path, "--customers", csv.path, "--json"])
        // Ten orders of five customers may not identify the models: a refusal is fine, a crash or NaN is not.
        if status == 0 {
            let text = try String(contentsOf: csv, encoding: .utf8)
            #expect(text.hasPrefix("customer,frequency,recency,T,monetary_value_major,currency,"))
            #expect(text.contains("\r\n'=SUM(1+1),"))
            #expect(text.range(of: #"(?i)\b(nan|inf)\b"#, options: .regularExpression) == nil)
        } else {
            #expect(status == 1)
        }
    }

    @Test func onlyOneTimeBuyersStillGetRetentionAndAReportWithoutNaN() throws {
        let orders = temporary("once.csv"), html = temporary("once.html")
        defer { try? FileManager.default.removeItem(at: orders); try? FileManager.default.removeItem(at: html) }
        let lines = ["customer,date,amount"] + (1...9).map { "C\($0),2026-01-0\($0),10.00" }
        try (lines.joined(separator: "\n") + "\n").write(to: orders, atomically: true, encoding: .utf8)
        let retention = try runPatron(["analyze", "retention", "--orders", orders.path, "--json"])
        #expect(retention.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: retention.output) as? [String: Any])
        #expect((json["winBack"] as? [Any])?.isEmpty == true)
        let clv = try runPatron(["analyze", "clv", "--orders", orders.path])
        #expect(clv.status == 1)  // insufficient data: a clear refusal
        let report = try runPatron(["analyze", "report", "--orders", orders.path, "--html", html.path])
        #expect(report.status == 0)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("The models cannot be fitted to this data"))
        #expect(page.range(of: #"(?i)\b(nan|inf(inity)?)\b"#, options: .regularExpression) == nil)
    }
}
