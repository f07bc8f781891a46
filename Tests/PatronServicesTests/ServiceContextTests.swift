import Foundation
import PatronCore
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

@Suite struct ServiceContextTests {
    @Test func aStoreWithoutAProgramRefusesWithNoProgram() async throws {
        let store = try SQLStore.open(TestDatabase.fresh(), clock: SystemClock())
        try await store.migrate()
        let context = ServiceContext(store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_750_000_000)))
        await #expect { try await context.currentProgram() } throws: { ($0 as? PatronError)?.code == .noProgram }
    }
}
