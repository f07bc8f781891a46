import Foundation
import PatronCore
@testable import PatronStore
import PatronTestSupport
import Testing

/// A server that only reads (one that has not written since it started, or a second server on PostgreSQL) parses the
/// program once per version, not on every checkout quote, and still sees a version another process loads.
@Suite struct ProgramCacheTests {
    static func program(_ name: String) -> String {
        """
        name: \(name)
        currency: USD
        timeZone: UTC
        enrollment: open
        earning: { points: 1, per: "1.00" }
        """
    }

    @Test func aReaderParsesEachVersionOnceAndSeesAVersionLoadedElsewhere() async throws {
        let database = TestDatabase.fresh()
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let loader = try SQLStore.open(database, clock: clock)
        try await loader.migrate()
        _ = try await loader.loadProgram(try ProgramFile.parse(Self.program("First")), source: Self.program("First"))
        let member = try await loader.enroll(EnrollmentRequest(identities: [try Identity.customer("c1")]), key: nil)

        // Another store on the same database: a second server, or this one before its first write.
        let reader = try SQLStore.open(database, clock: clock)
        for _ in 0..<5 {
            #expect(try await reader.currentProgram()?.program.name == "First")
            _ = try await reader.earningContext(member: member.id, at: clock.now())
        }
        #expect(reader.programParses.load(ordering: .relaxed) == 1, "a quote reads the program twice; five quotes parse it once")

        _ = try await loader.loadProgram(try ProgramFile.parse(Self.program("Second")), source: Self.program("Second"))
        #expect(try await reader.currentProgram()?.program.name == "Second", "the running reader sees the new version")
        for _ in 0..<3 { _ = try await reader.earningContext(member: member.id, at: clock.now()) }
        #expect(reader.programParses.load(ordering: .relaxed) == 2)
        #expect(loader.programParses.load(ordering: .relaxed) == 0, "the loader caches what it loads")
        await reader.close()
        await loader.close()
    }
}
