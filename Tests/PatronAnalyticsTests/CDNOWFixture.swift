import Foundation
import PatronCore
import Testing
@testable import PatronAnalytics

/// The CDNOW files in `shared/data/cdnow/` beside the package's folder (never copied into the repo).
enum CDNOWFixture {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "CDNOW data not found at \(path): place a copy of shared/ beside the package folder (see docs/analytics.md)"
        }
    }

    /// `<package root>/../shared/data/cdnow`, found from this file's real location (symlinks resolved).
    static var directory: URL {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let packageRoot = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/cdnow")
    }

    static func text(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Rows of a CSV file without its header, split on commas.
    static func csv(_ name: String) throws -> [[Substring]] {
        try text(name).split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",") }
    }

    /// `cdnow_customers_summary.csv` as model input.
    static func summary() throws -> FrequencyRecencyData {
        let rows = try csv("cdnow_customers_summary.csv")
        return try FrequencyRecencyData(frequency: rows.map { Int($0[1])! }, recency: rows.map { Double($0[2])! },
                                        T: rows.map { Double($0[3])! })
    }

    /// The purchases of `CDNOW_sample.txt` (customer id, unused id, yyyyMMdd, CDs, dollars).
    static func samplePurchases() throws -> [Purchase] {
        try text("CDNOW_sample.txt").split(whereSeparator: \.isNewline).map { line in
            let f = line.split(separator: " ")
            let date = try! DatePattern("yyyyMMdd").parse(f[2])!
            let cents = Int64((Double(f[4])! * 100).rounded())
            return Purchase(customer: String(f[0]), day: date.dayNumber, amount: cents)
        }
    }

    static let calibrationEnd = LocalDate(year: 1997, month: 9, day: 30)!.dayNumber
}
