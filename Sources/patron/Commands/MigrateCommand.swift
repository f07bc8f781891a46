import ArgumentParser
import PatronStore

/// `patron migrate`: creates or upgrades the database schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or upgrade the database schema.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            _ = try await store.open(create: true)
            print("\(store.databaseName): schema up to date")
        }
    }
}
