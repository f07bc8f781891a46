import Foundation
import Testing

/// `patron program validate` and `load` check the segments a `messages:` trigger names against the database: a missing
/// one is refused with its path and line (exit 1, nothing loaded); without a database validate says it did not check.
@Suite struct ProgramSegmentCheckCommandTests {
    func patron(_ arguments: [String]) throws -> PatronRun { try runPatronCapturing(arguments) }

    static let program = """
        name: Tea
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        messages:
          triggers:
            - { id: welcome, on: enrolled, channels: [inbox] }
            - { id: vip-thanks, on: thankYou, segment: vip, every: year, channels: [inbox] }

        """

    @Test func validateAndLoadRefuseATriggersMissingSegmentWithItsLineAndAcceptItOnceItExists() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-program-segments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("shop.sqlite").path
        let file = folder.appendingPathComponent("tea.yaml")
        try Self.program.write(to: file, atomically: true, encoding: .utf8)

        // No database: valid, with a note that the segment was not checked.
        let offline = try patron(["program", "validate", file.path, "--database", folder.appendingPathComponent("none.sqlite").path])
        #expect(offline.status == 0, "\(offline.error)")
        #expect(offline.output.contains("note: messages.triggers[1].segment (line 8): segment 'vip' not checked: no database at"))

        #expect(try patron(["program", "load", repositoryRoot.appendingPathComponent("examples/programs/starter.yaml").path, "--database", db]).status == 0)
        let expected = "messages.triggers[1].segment (line 8): segment 'vip' does not exist; there are no segments yet"
        let validated = try patron(["program", "validate", file.path, "--database", db])
        #expect(validated.status == 1 && validated.error.contains(expected), "\(validated.error)")
        #expect(validated.error.contains("\(file.path): the program has 1 problem"))
        let loaded = try patron(["program", "load", file.path, "--database", db])
        #expect(loaded.status == 1 && loaded.error.contains(expected), "\(loaded.error)")
        #expect(try patron(["program", "show", "--database", db]).output.hasPrefix("# version 1,"), "nothing was loaded")

        let segments = folder.appendingPathComponent("segments.yaml")
        try "segments:\n  - { name: vip, type: static }\n".write(to: segments, atomically: true, encoding: .utf8)
        #expect(try patron(["segments", "load", segments.path, "--database", db, "--actor", "ana"]).status == 0)
        #expect(try patron(["program", "validate", file.path, "--database", db]).status == 0)
        let accepted = try patron(["program", "load", file.path, "--database", db])
        #expect(accepted.status == 0 && accepted.output.contains("as version 2"), "\(accepted.error)")

        // A segment the file defines itself loads, with a reminder to load the file's segments.
        let own = folder.appendingPathComponent("own.yaml")
        try (Self.program.replacingOccurrences(of: "segment: vip", with: "segment: gold") + "segments:\n  - { name: gold, type: static }\n")
            .write(to: own, atomically: true, encoding: .utf8)
        let reminded = try patron(["program", "load", own.path, "--database", db])
        #expect(reminded.status == 0, "\(reminded.error)")
        #expect(reminded.output.contains("note: messages.triggers[1].segment (line 8): segment 'gold' is defined in this file but not stored yet"))
    }
}
