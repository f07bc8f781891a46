import Foundation
import PatronCore
import PatronServer
import PatronServices
import PatronStore
import Testing
import PatronTestSupport

/// The `patron` executable that `swift test` built beside the test bundle.
func patronBinary() throws -> URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("patron"),
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("patron"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/patron"),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw PatronError(.notFound, "the patron executable is not built; looked in \(candidates.map(\.path))")
    }
    return found
}

/// Runs the `patron` executable in the repository's folder and returns its status and standard output.
func runPatron(_ arguments: [String]) throws -> (status: Int32, output: Data) {
    let run = try runPatronCapturing(arguments)
    return (run.status, Data(run.output.utf8))
}

@Suite struct CrashSafetyTests {
    @Test func anImportKilledMidWriteLosesNothingItAcknowledged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let programFile = folder.appendingPathComponent("program.yaml")
        try cdnowProgram.write(to: programFile, atomically: true, encoding: .utf8)
        let rows = (1...200_000).map { "c\($0 % 7_000),2026\(String(format: "%02d", 1 + $0 % 12))15,\($0 % 500).99" }
        let ordersFile = folder.appendingPathComponent("orders.csv")
        try rows.joined(separator: "\n").write(to: ordersFile, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("crash.sqlite").path

        let process = ChildProcess()
        process.executableURL = try patronBinary()
        process.arguments = [
            "import", "orders", ordersFile.path, "--no-header", "--customer", "1", "--date", "2", "--date-format", "yyyyMMdd", "--amount", "3",
            "--program", programFile.path, "--database", database, "--skip-jobs", "--ack-log",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var acknowledged = 0
        var buffer = ""
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while acknowledged < 6_000 {
            let count = read(output.fileHandleForReading.fileDescriptor, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            buffer += String(decoding: chunk[..<count], as: UTF8.self)
            for line in buffer.split(separator: "\n") where line.hasPrefix("ack ") { acknowledged = max(acknowledged, Int(line.dropFirst(4)) ?? 0) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed")
        #expect(acknowledged >= 6_000)

        let store = try SQLStore(path: database, clock: ManualClock(Date()))
        try await store.migrate()
        #expect(try await store.check().isEmpty)
        // Every acknowledged row is there: importing them again finds each one already present.
        let replay = try await OrderImporter(store: store).run(
            rows.prefix(acknowledged).joined(separator: "\n"),
            source: .delimited(OrderFileFormat(hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(3))),
            strict: true)
        #expect(replay.alreadyPresent == acknowledged)
        #expect(replay.imported == 0)
    }
}
