import Foundation
import Testing

/// `patron care csat`: a closed ticket rated once from the command line through the API's service; bad scores refused
/// naming the field, writing nothing; `show` and `list` read the ratings back. `patron jobs run` reports the care jobs.
@Suite struct CareCommandTests {
    func patron(_ arguments: [String]) throws -> PatronRun { try runPatronCapturing(arguments) }

    @Test("rate a closed ticket from the command line; bad scores and open tickets are refused with the reason")
    func csatFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-care-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("shop.sqlite").path
        #expect(try patron(["program", "load", repositoryRoot.appendingPathComponent("examples/programs/starter.yaml").path, "--database", db]).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "a", "--database", db]).status == 0)
        let opened = try patron(["care", "tickets", "open", "customer:a", "--category", "delivery", "--subject", "Parcel late", "--actor", "ana", "--database", db])
        #expect(opened.status == 0, "\(opened.error)")

        let notClosed = try patron(["care", "csat", "1", "--score", "5", "--database", db])
        #expect(notClosed.status != 0)
        #expect(notClosed.error.contains("not closed"), "\(notClosed.error)")
        #expect(try patron(["care", "tickets", "move", "1", "closed", "--actor", "ana", "--database", db]).status == 0)

        for bad in ["0", "6"] {
            let refused = try patron(["care", "csat", "1", "--score", bad, "--database", db])
            #expect(refused.status != 0)
            #expect(refused.error.contains("score: must be a whole number from 1 to 5, not \(bad)"), "\(refused.error)")
        }
        #expect(try patron(["care", "csat", "list", "--database", db]).output.contains("No CSAT ratings yet"))

        let rated = try patron(["care", "csat", "1", "--score", "4", "--comment", "quick and kind", "--database", db])
        #expect(rated.status == 0, "\(rated.error)")
        #expect(rated.output.contains("rated ticket 1: 4 of 5"))
        let twice = try patron(["care", "csat", "1", "--score", "5", "--database", db])
        #expect(twice.status != 0, "a ticket is rated once")
        let shown = try patron(["care", "csat", "show", "1", "--database", db])
        #expect(shown.output.contains("ticket 1: 4 of 5") && shown.output.contains("quick and kind"))
        let listed = try patron(["care", "csat", "list", "--database", db])
        #expect(listed.output.contains("1 ratings, mean 4.00, 100.0 % rated 4–5"), "\(listed.output)")

        let jobs = try patron(["jobs", "run", "--database", db])
        #expect(jobs.status == 0, "\(jobs.error)")
        #expect(jobs.output.contains("care: 0 escalations raised; no NPS survey"), "\(jobs.output)")
    }
}
