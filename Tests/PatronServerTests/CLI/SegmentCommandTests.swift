import Foundation
import Testing

/// `patron segments`: load (a bad file refused with path and line, exit 1, nothing stored), list, show, preview,
/// import, export, refresh, score.
@Suite struct SegmentCommandTests {
    func patron(_ arguments: [String]) throws -> PatronRun { try runPatronCapturing(arguments) }

    @Test("load, list, show, preview, import, export, refresh and score segments from the command line")
    func segmentsFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-segments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("shop.sqlite").path
        let root = repositoryRoot
        #expect(try patron(["program", "load", root.appendingPathComponent("examples/programs/starter.yaml").path, "--database", db]).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "ann", "--city", "Hangzhou", "--tag", "fair", "--database", db]).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "bob", "--city", "Shanghai", "--database", db]).status == 0)

        let bad = folder.appendingPathComponent("bad.yaml")
        try "segments:\n  - name: a\n    where:\n      all:\n        - city: Hangzhou\n        - ordrs: { min: 1 }\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try patron(["segments", "load", bad.path, "--database", db, "--actor", "ana"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("segments[0].where.all[1].ordrs (line 6): unknown condition 'ordrs'"))
        #expect(try patron(["segments", "list", "--database", db]).output.contains("No segments"))

        let file = folder.appendingPathComponent("segments.yaml")
        try """
            segments:
              - name: hangzhou
                description: Members in Hangzhou
                where: { city: Hangzhou }
              - name: invited
                type: static
            """.write(to: file, atomically: true, encoding: .utf8)
        let loaded = try patron(["segments", "load", file.path, "--database", db, "--actor", "ana"])
        #expect(loaded.status == 0, "\(loaded.error)")
        #expect(loaded.output.contains("hangzhou"))
        let list = try patron(["segments", "list", "--database", db])
        #expect(list.output.contains("hangzhou") && list.output.contains("invited"))
        let shown = try patron(["segments", "show", "hangzhou", "--sql", "--database", db])
        #expect(shown.output.contains("where: { city: Hangzhou }"))
        #expect(shown.output.contains("SELECT m.id FROM members m"))
        let preview = try patron(["segments", "preview", "hangzhou", "--sample", "5", "--database", db])
        #expect(preview.output.contains("1 of 2 members (50.0 %)"), "\(preview.output)")
        #expect(preview.output.contains("customer:ann"))

        let csv = folder.appendingPathComponent("invited.csv")
        try "customer\nann\nbob\n".write(to: csv, atomically: true, encoding: .utf8)
        let imported = try patron(["segments", "import", "invited", csv.path, "--database", db, "--actor", "ana"])
        #expect(imported.output.contains("invited: 2 members (2 entered, 0 left)"), "\(imported.error)")
        let exported = try patron(["segments", "export", "invited", "--csv", "--database", db])
        #expect(exported.output.split(separator: "\n").count == 3)
        #expect(exported.output.hasPrefix("member_id,entered_at,identities"))

        #expect(try patron(["member", "update", "customer:bob", "--city", "Hangzhou", "--database", db]).status == 0)
        let refreshed = try patron(["segments", "refresh", "hangzhou", "--database", db])
        #expect(refreshed.status == 0, "\(refreshed.error)")
        #expect(try patron(["segments", "list", "--database", db, "--json"]).output.contains("\"memberCount\" : 2"))
        let scored = try patron(["segments", "score", "--database", db])
        #expect(scored.status == 0, "\(scored.error)")
        #expect(scored.output.contains("scored 2 members"))
        let audit = try patron(["audit", "--database", db])
        #expect(audit.output.contains("segment.save") && audit.output.contains("segment.import"))
    }
}
