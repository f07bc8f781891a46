import Foundation
import PatronCore
import PatronServer
import PatronStore
import PatronTestSupport
import Testing

/// One `patron serve` per SQLite file: a second refuses to start, saying why; once the first is gone, one can start.
@Suite struct ServerLockTests {
    @Test func aSecondClaimOnOneFileIsRefusedUntilTheFirstEnds() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patron-lock-\(UUID().uuidString).sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        var first: ServerLock? = try ServerLock(path: path)
        #expect { try ServerLock(path: path) } throws: { error in
            guard let error = error as? PatronError else { return false }
            return error.code == .busy && error.message.contains("another `patron serve` is already serving")
                && error.message.contains(path)
        }
        // The same file under another name is the same file.
        let link = path + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect { try ServerLock(path: link) } throws: { ($0 as? PatronError)?.code == .busy }
        #expect(first != nil)
        first = nil
        #expect(throws: Never.self) { _ = try ServerLock(path: path) }
    }

    @Test(.disabled(if: TestDatabase.isPostgres, "the claim is SQLite's; PostgreSQL takes several servers (TwoServersOnPostgresTests)"))
    func aSecondServeOnOneSQLiteFileExitsWithTheReason() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("one.sqlite").path
        #expect(try runPatron(["program", "load", "examples/programs/gold-club.yaml", "--database", database]).status == 0)

        func serve() throws -> (ChildProcess, Pipe, Pipe) {
            let server = ChildProcess()
            server.executableURL = try patronBinary()
            server.arguments = ["serve", "--database", database, "--port", "0", "--no-jobs"]
            let output = Pipe(), errors = Pipe()
            server.standardOutput = output
            server.standardError = errors
            try server.run()
            return (server, output, errors)
        }
        let (first, firstOutput, _) = try serve()
        defer { if first.isRunning { first.terminate() } }
        #expect(ServedShop.port(from: firstOutput.fileHandleForReading) != nil)

        let (second, _, secondErrors) = try serve()
        defer { if second.isRunning { second.terminate() } }
        let said = String(decoding: secondErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        second.waitUntilExit()
        #expect(second.terminationStatus != 0)
        #expect(said.contains("another `patron serve` is already serving \(database)"), "\(said)")

        first.terminate()
        first.waitUntilExit()
        let (third, thirdOutput, _) = try serve()
        defer { if third.isRunning { third.terminate() } }
        #expect(ServedShop.port(from: thirdOutput.fileHandleForReading) != nil, "once the first is gone, a server starts")
        third.terminate()
        third.waitUntilExit()
        #expect(third.terminationStatus == 0)
    }

    /// The claim comes before the store opens: a refused second server has not migrated the file another serves.
    @Test(.disabled(if: TestDatabase.isPostgres, "the claim is SQLite's"))
    func aRefusedServeTouchesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-claim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("held.sqlite").path
        FileManager.default.createFile(atPath: database, contents: Data())  // an empty file: a database not yet migrated
        let held = try ServerLock(path: database)
        let refused = try runPatron(["serve", "--database", database, "--port", "0", "--no-jobs"])
        #expect(refused.status != 0)
        #expect(try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int == 0, "the refused server migrated the file")
        #expect(!FileManager.default.fileExists(atPath: database + "-wal"))
        withExtendedLifetime(held) {}
    }
}
