import Foundation
import PatronCore
import PatronFiles

extension SQLStore {
    public func programVersions() async throws -> [ProgramVersionSummary] {
        try await backend.read { db in
            try self.sql(db, "SELECT version, name, loaded_at FROM program_versions ORDER BY version DESC").all {
                ProgramVersionSummary(version: Int($0.int(0)), name: $0.text(1), loadedAt: Date(ms: $0.int(2)))
            }
        }
    }

    public func programVersion(_ number: Int) async throws -> ProgramVersion? {
        // The current version is usually the one asked for (the console's programme pages): parsed once, not per page.
        if let cached = cachedProgram(number) { return cached }
        let row = try await backend.read { db in
            try self.sql(db, "SELECT source, loaded_at FROM program_versions WHERE version = ?").one(Int64(number)) { ($0.text(0), $0.int(1)) }
        }
        guard let (source, loadedAt) = row else { return nil }
        programParses.add(1, ordering: .relaxed)
        return ProgramVersion(version: number, program: try ProgramFile.parse(source), source: source, loadedAt: Date(ms: loadedAt), isNew: false)
    }
}
