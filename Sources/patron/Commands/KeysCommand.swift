import ArgumentParser
import Foundation
import PatronCore
import PatronServer
import PatronStore

/// `patron keys …`: API keys with scopes; a secret is shown once and only its hash is stored.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list, rotate and revoke API keys.",
        subcommands: [Create.self, List.self, Rotate.self, Revoke.self])

    static let warning = "Keep this secret now: it is stored only as a hash and will not be shown again."

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print its secret, once.")
        @Option(help: "A scope: admin, storefront or analytics (repeat for more).") var scope: [String] = []
        @Option(help: "A name for people, such as web.") var name: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let scopes = try Set(
                    scope.map { text in
                        guard let scope = APIScope(rawValue: text) else {
                            throw PatronError(
                                .invalidInput,
                                "--scope '\(text)' is not one of \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        return scope
                    })
                let issued = try await APIKeyIssuer(store: store.open()).create(
                    name: name, scopes: scopes, actor: try actor.resolve(), at: try store.clock().now())
                print("created key \(issued.key.id) '\(issued.key.name)' (\(issued.key.scopes.map(\.rawValue).joined(separator: ", ")))")
                print(issued.secret)
                print(KeysCommand.warning)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys, revoked ones included (never their secrets).")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let keys = try await opened.apiKeys()
                if json { return try printJSON(keys) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["id", "name", "scopes", "prefix", "created", "rotated", "revoked"], rightAligned: [0])
                for key in keys {
                    table.add([
                        String(key.id), key.name, key.scopes.map(\.rawValue).joined(separator: ","), key.prefix + "…",
                        time.text(key.createdAt), time.text(key.rotatedAt, none: ""), time.text(key.revokedAt, none: ""),
                    ])
                }
                print(table.text)
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a key a new secret, printed once; the old secret stops working.")
        @Argument(help: "The key id.") var id: Int64
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let issued = try await APIKeyIssuer(store: store.open()).rotate(
                    id: id, actor: try actor.resolve(), at: try store.clock().now())
                print("rotated key \(issued.key.id) '\(issued.key.name)'")
                print(issued.secret)
                print(KeysCommand.warning)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key for good.")
        @Argument(help: "The key id.") var id: Int64
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let key = try await APIKeyIssuer(store: opened).revoke(id: id, actor: try actor.resolve(), at: try store.clock().now())
                print("revoked key \(key.id) '\(key.name)' at \(try await InstantFormat.of(opened).text(key.revokedAt, none: "now"))")
            }
        }
    }
}
