import Foundation
import Testing

/// `patron campaigns`: create (bad files refused with path and line, exit 1), list, start, a refused step, report
/// (text and JSON), and the audit of each step with its actor.
@Suite struct CampaignCommandTests {
    func patron(_ arguments: [String]) throws -> PatronRun { try runPatronCapturing(arguments) }

    @Test("create, list, start, refuse a wrong step, report and audit a campaign from the command line")
    func campaignFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-campaigns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("shop.sqlite").path
        let root = repositoryRoot
        #expect(try patron(["program", "load", root.appendingPathComponent("examples/programs/starter.yaml").path, "--database", db]).status == 0)
        for customer in ["a", "b", "c", "d", "e"] {
            #expect(try patron(["member", "enroll", "--customer", customer, "--database", db]).status == 0)
        }
        let segments = folder.appendingPathComponent("segments.yaml")
        try "segments:\n  - name: everyone\n    where: { daysSinceEnrolment: { min: 0 } }\n".write(to: segments, atomically: true, encoding: .utf8)
        let loaded = try patron(["segments", "load", segments.path, "--database", db, "--actor", "ana"])
        #expect(loaded.status == 0, "\(loaded.error)")

        let bad = folder.appendingPathComponent("bad.yaml")
        try "name: spring\nsegment: ghosts\nwindow: { starts: 2026-03-31, ends: 2026-03-01 }\nbudget: { points: 0 }\nactions:\n  - grantPoints: 10\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let refused = try patron(["campaigns", "create", bad.path, "--database", db, "--actor", "ana"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("segment (line 2): no segment is named 'ghosts'"))
        #expect(refused.error.contains("window.ends (line 3)"))
        #expect(refused.error.contains("budget.points (line 4)"))
        #expect(try patron(["campaigns", "list", "--database", db]).output.contains("No campaigns"))

        let good = folder.appendingPathComponent("spring.yaml")
        try "name: spring\nsegment: everyone\nwindow: { starts: 2026-03-01, ends: 2026-03-31 }\nholdout: 20\nactions:\n  - grantPoints: 10\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let created = try patron(["campaigns", "create", good.path, "--database", db, "--actor", "ana"])
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output.contains("Created campaign spring (draft)"))
        let started = try patron(["campaigns", "start", "spring", "--database", db, "--actor", "ben"])
        #expect(started.status == 0, "\(started.error)")
        #expect(started.output.contains("Campaign spring is running"))
        #expect(started.output.contains("Assigned"))
        let wrong = try patron(["campaigns", "resume", "spring", "--database", db, "--actor", "ben"])
        #expect(wrong.status == 1)
        #expect(wrong.error.contains("campaign spring cannot resume: it is running; resume needs it paused"))
        #expect(try patron(["campaigns", "list", "--database", db]).output.contains("running"))

        let report = try patron(["campaigns", "report", "spring", "--database", db])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("Buyers, treated − control:"))
        let json = try patron(["campaigns", "report", "spring", "--json", "--database", db])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let uplift = object?["uplift"] as? [String: Any]
        let treated = (uplift?["treated"] as? [String: Any])?["members"] as? Int ?? -1
        let control = (uplift?["control"] as? [String: Any])?["members"] as? Int ?? -1
        #expect(treated + control == 5)

        let audit = try patron(["audit", "--subject", "campaign:spring", "--database", db])
        #expect(audit.output.contains("campaign.create"))
        #expect(audit.output.contains("campaign.start"))
        #expect(audit.output.contains("ben"))
    }
}
