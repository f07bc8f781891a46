import ArgumentParser
import Foundation
import PatronCore
import PatronStore

extension MemberCommand {
    /// `patron member consents ID`: the member's consents now, the channels waiting for a double opt-in confirmation,
    /// and every record of the history with its time, source and actor.
    struct Consents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a member's consents and their history: each grant, withdrawal and pending confirmation with time, source and actor.")
        @OptionGroup var reference: MemberReference
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                let history = ConsentHistory(consents: member.profile.consents, records: try await opened.consentRecords(member: member.id))
                if json { try printJSON(history); return }
                let time = try await InstantFormat.of(opened)
                let now = member.profile.consents.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                print("member \(member.id): \(now.isEmpty ? "no consents" : now.joined(separator: ", "))")
                if !history.pending.isEmpty { print("waiting for confirmation (double opt-in): \(history.pending.joined(separator: ", "))") }
                if history.records.isEmpty { print("no consent changes recorded"); return }
                print("")
                var table = Table(["when", "channel", "consent", "source", "actor"])
                for record in history.records { table.add([time.text(record.at), record.channel, record.state.rawValue, record.source.rawValue, record.actor ?? "-"]) }
                print(table.text)
            }
        }
    }
}

extension ActorOption {
    /// The actor a consent record names: `--actor`, else the login name; `nil` when neither is known (a consent change
    /// is the member's word relayed, so it is not refused for want of a name, unlike an audited change).
    func consentActor() throws -> String? {
        if actor != nil { return try resolve() }
        return try? resolve()
    }
}
