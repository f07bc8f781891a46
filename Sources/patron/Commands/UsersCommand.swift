import ArgumentParser
import Foundation
import PatronConsole
import PatronCore
import PatronServices
import PatronStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `patron users …`: the console's staff accounts. Passwords are stored as bcrypt hashes; every change is audited.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Create, list and disable staff accounts for the console.",
        discussion: """
            Roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")) (docs/console.md says what each may do).
            A password has at least 10 characters; it is read from standard input with --password-stdin, else asked for
            twice on the terminal.
            """,
        subcommands: [Create.self, List.self, Disable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account.")
        @Argument(help: "The sign-in name: lower-case letters, digits, '.', '_' or '-'.") var username: String
        @Option(help: "The role: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "The name people see (default: the username).") var name: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard let staffRole = StaffRole(rawValue: role) else {
                    throw PatronError(.invalidInput, "--role '\(role)' is not one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let password = try passwordStdin ? Self.readStandardInput() : Self.prompt()
                try StaffAccounts.checkPassword(password, username: username)
                let opened = try await store.open()
                let context = ServiceContext(store: opened, clock: try store.clock())
                let account = try await StaffAccounts(context: context).create(
                    username: username, displayName: name, role: staffRole, password: password, actor: try actor.resolve())
                print("created staff account \(account.username) (\(account.role.rawValue)), '\(account.displayName)'")
            }
        }

        static func readStandardInput() throws -> String {
            guard let line = readLine(strippingNewline: true) else { throw PatronError(.invalidInput, "--password-stdin: standard input is empty") }
            return line
        }

        static func prompt() throws -> String {
            guard isatty(STDIN_FILENO) != 0 else {
                throw PatronError(.invalidInput, "no terminal to ask for the password on: pass it with --password-stdin")
            }
            guard let first = getpass("Password: ").map({ String(cString: $0) }) else { throw PatronError(.invalidInput, "no password given") }
            guard let second = getpass("Again: ").map({ String(cString: $0) }), second == first else {
                throw PatronError(.invalidInput, "the two passwords differ")
            }
            return first
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts, disabled ones included.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let accounts = try await opened.staffAccounts()
                if json { return try printJSON(accounts) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["username", "name", "role", "created", "disabled"])
                for account in accounts {
                    table.add([account.username, account.displayName, account.role, time.text(account.createdAt), time.text(account.disabledAt, none: "")])
                }
                print(table.text)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a staff account; its sessions end at once.")
        @Argument(help: "The username.") var username: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let context = ServiceContext(store: opened, clock: try store.clock())
                let account = try await StaffAccounts(context: context).disable(username: username, actor: try actor.resolve())
                print("disabled staff account \(account.username); its sessions have ended")
            }
        }
    }
}
