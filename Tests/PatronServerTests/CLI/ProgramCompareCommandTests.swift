import Foundation
import Testing

/// `patron program compare` as a person runs it: a bad draft is refused exactly as `program validate` refuses it, and
/// a demo shop's comparison starts with the ledger check and writes its HTML report.
extension CommandLineTests {
    @Test func programCompareRefusesABadDraftExactlyAsValidateDoesAndComparesTheDemoShop() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("demo.sqlite").path
        let demo = try patron(["demo", "--members", "120", "--database", database])
        #expect(demo.status == 0, "\(demo.error)")

        let bad = folder.appendingPathComponent("bad.yaml")
        try "name: x\ncurrency: XYZ\ntimeZone: Asia/Shanghai\nearning: { points: -1, per: \"1.00\" }\nguardRails: { costShareOfSales: 300 }\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let validate = try patron(["program", "validate", bad.path])
        let compare = try patron(["program", "compare", bad.path, "--database", database])
        #expect(compare.status != 0 && validate.status != 0)
        #expect(compare.error == validate.error)
        #expect(compare.error.contains("currency (line 2)") && compare.error.contains("guardRails.costShareOfSales (line 5)"))
        #expect(compare.output.isEmpty)

        let html = folder.appendingPathComponent("compare.html").path
        let run = try patron(["program", "compare", "examples/programs/starter-draft.yaml", "--database", database, "--html", html])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.hasPrefix("replay of the current program matches the ledger: "), "\(run.output.prefix(200))")
        #expect(run.output.contains("app double points"))
        // The demo ends with a win-back campaign: its order bonuses are replayed as they ran, the same on both sides.
        let campaigns = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("marketing campaigns, as they ran") })
        let figures = campaigns.split(separator: " ").suffix(3)
        #expect(figures.count == 3 && figures.first == figures.dropFirst().first && figures.last == "0", "\(campaigns)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("id=\"ledger-check\""))
        let levels = try patron(["program", "compare", "--levels", "1500,abc", "--database", database])
        #expect(levels.status != 0 && levels.error.contains("--levels: threshold 2"))
    }
}
