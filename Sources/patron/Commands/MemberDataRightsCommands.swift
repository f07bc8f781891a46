import ArgumentParser
import Foundation
import PatronCore
import PatronServer
import PatronServices
import PatronStore

extension MemberCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print everything held about a member as JSON (recorded in the audit log).")
        @OptionGroup var reference: MemberReference
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                try printJSON(
                    try await MemberDataRights(store: opened).export(
                        member: member.id, actor: try actor.resolve(), at: try store.clock().now()))
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a member's personal data and release their identities; points, orders and analytics stay under the member id.")
        @OptionGroup var reference: MemberReference
        @Flag(help: "Confirm: erasure cannot be undone.") var yes = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard yes else { throw PatronError(.invalidInput, "erasure cannot be undone; add --yes to confirm") }
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                let erased = try await MemberDataRights(store: opened).erase(
                    member: member.id, actor: try actor.resolve(), at: try store.clock().now())
                let released = member.identities.count == 1 ? "1 identity" : "\(member.identities.count) identities"
                print("erased member \(erased.id): personal data removed and \(released) released; points and orders kept")
            }
        }
    }
}
