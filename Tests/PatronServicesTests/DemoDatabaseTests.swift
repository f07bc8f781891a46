import Foundation
import PatronCore
import Testing

@testable import PatronServices

@Suite struct DemoDatabaseTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).sqlite").path
    }

    @Test func anExistingDatabaseIsRefusedWithoutReplaceAndLeftUntouched() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("a shop's data".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try DemoDatabase.prepare(path: path, replace: false) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("--replace") == true
        }
        #expect(FileManager.default.contents(atPath: path) == Data("a shop's data".utf8))
    }

    @Test func aLeftoverWriteAheadLogCountsAsAnExistingDatabase() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path + "-wal") }
        try Data("log".utf8).write(to: URL(fileURLWithPath: path + "-wal"))
        #expect { try DemoDatabase.prepare(path: path, replace: false) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func replaceRemovesTheDatabaseAndItsCompanions() throws {
        let path = Self.temporaryPath()
        for suffix in ["", "-wal", "-shm"] { try Data("x".utf8).write(to: URL(fileURLWithPath: path + suffix)) }
        try DemoDatabase.prepare(path: path, replace: true)
        for suffix in ["", "-wal", "-shm"] { #expect(!FileManager.default.fileExists(atPath: path + suffix)) }
    }

    @Test func aNewPathIsReadyWithoutReplace() throws {
        try DemoDatabase.prepare(path: Self.temporaryPath(), replace: false)
    }
}
