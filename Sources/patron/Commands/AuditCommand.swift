import ArgumentParser
import Foundation
import PatronCore
import PatronStore

/// `patron audit`: the log of admin actions, oldest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log of admin actions, oldest first: one row each with what changed (--json for the whole records).")
    @Option(help: "Only records about this subject, such as member:42 or key:3.") var subject: String?
    @Option(help: "Only records after this id (to page on).") var after: Int64 = 0
    @Option(help: "At most this many records (1 to 10000).") var limit: Int = 100
    @Flag(help: "Print the whole records, their states before and after included, as JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let opened = try await store.open()
            let records = try await opened.auditLog(after: after, limit: limit, subject: subject)
            if json { return try printJSON(records) }
            guard !records.isEmpty else { return print("(no audit records)") }
            let time = try await InstantFormat.of(opened)
            var table = Table(["id", "when", "actor", "action", "subject", "change"], rightAligned: [0])
            for record in records {
                table.add([String(record.id), time.text(record.at), record.actor, record.action, record.subject, AuditSummary.text(record, time: time)])
            }
            print(table.text)
        }
    }
}
