import Foundation
import PatronCore
import PatronStore

/// What every use case works with: the store and the clock. The command line, the HTTP API and the console each build
/// one and call the same use cases, so a rule such as how a quote is priced lives in one place.
public struct ServiceContext: Sendable {
    /// The database.
    public let store: any Store
    /// Now; tests and replays pass a fixed clock.
    public let clock: any Clock

    /// A context over `store`, telling time by `clock`.
    public init(store: any Store, clock: any Clock) {
        self.store = store
        self.clock = clock
    }

    /// The program in force; without one nothing can be earned, quoted or simulated.
    public func currentProgram() async throws -> ProgramVersion {
        guard let current = try await store.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`")
        }
        return current
    }
}
