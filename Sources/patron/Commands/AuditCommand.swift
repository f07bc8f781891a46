import ArgumentParser
import Foundation
import PatronCore
import PatronStore

/// `patron audit`: the log of admin actions, oldest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log of admin actions, oldest first.")
    @Option(help: "Only records about this subject, such as member:42 or key:3.") var subject: String?
    @Option(help: "Only records after this id (to page on).") var after: Int64 = 0
    @Option(help: "At most this many records.") var limit: Int = 100
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let records = try await store.open().auditLog(after: after, limit: limit, subject: subject)
            if json { return try printJSON(records) }
            var table = Table(["id", "when", "actor", "action", "subject", "before", "after"], rightAligned: [0])
            for record in records {
                table.add([
                    String(record.id), record.at.description, record.actor, record.action, record.subject, record.before ?? "",
                    record.after ?? "",
                ])
            }
            print(table.text)
        }
    }
}
