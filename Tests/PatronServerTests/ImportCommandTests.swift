import Foundation
import Testing

/// `patron import orders` refuses a file that does not fit, and says so with its exit status.
@Suite struct ImportCommandTests {
    func withDatabase(_ body: (_ folder: URL, _ database: [String]) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path, "--skip-jobs"]
        #expect(try runPatron(["program", "load", "examples/programs/cdnow.yaml", database[0], database[1]]).status == 0)
        try body(folder, database)
    }

    @Test func aMismatchedDelimiterExitsNonZeroAndImportsNothing() throws {
        try withDatabase { folder, database in
            let file = folder.appendingPathComponent("orders.csv")
            try "customer;date;amount\nc1;2026-01-01;1.00\n".write(to: file, atomically: true, encoding: .utf8)
            let (status, _) = try runPatron(["import", "orders", file.path] + database)
            #expect(status != 0)
            let again = try runPatron(["import", "orders", file.path, "--delimiter", "semicolon"] + database)
            #expect(again.status == 0, "\(String(decoding: again.output, as: UTF8.self))")
            #expect(String(decoding: again.output, as: UTF8.self).contains("1 orders imported"))
        }
    }

    @Test func anImportWhereEveryRowIsRefusedExitsNonZero() throws {
        try withDatabase { folder, database in
            let file = folder.appendingPathComponent("orders.csv")
            try "customer,date,amount\nc1,20260101,1.00\nc2,20260102,2.00\n".write(to: file, atomically: true, encoding: .utf8)
            let (status, output) = try runPatron(["import", "orders", file.path] + database)
            #expect(status != 0)
            #expect(String(decoding: output, as: UTF8.self).contains("2 rows refused"))
        }
    }
}
