import ArgumentParser
import Foundation
import PatronConsole
import PatronCore
import PatronStore

extension MemberCommand {
    /// `patron member link IDENTITY`: prints a signed member-zone sign-in link, for the demo and for support.
    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a short-lived signed link that signs a member in to the member zone (the secret is PATRON_MEMBER_LINK_SECRET).")
        @Argument(help: "The member's identity as KIND:VALUE (customer:C1, email:ann@example.com); the link names it.") var identity: String
        @Option(help: "Minutes the link works (1 to 15); it works once.") var minutes: Int = 15
        @Option(help: "The shop's address in front of /member/sign-in (https://shop.example); without it the path alone is printed.")
        var baseURL: String = ""
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard (1...15).contains(minutes) else { throw PatronError(.invalidInput, "--minutes: a link works 1 to 15 minutes, not \(minutes)") }
                if !baseURL.isEmpty, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
                    throw PatronError(.invalidInput, "--base-url: '\(baseURL)' is not an http(s) address")
                }
                let secret = try MemberLink.secret(environment: ProcessInfo.processInfo.environment)
                let member = try Identity(reference: identity)
                let opened = try await store.open()
                guard let found = try await opened.member(identity: member), !found.isErased else {
                    throw PatronError(.notFound, "no member has the identity \(member)")
                }
                let link = try MemberLink.mint(identity: member, lifetime: .seconds(minutes * 60), now: try store.clock().now(), secret: secret)
                print(link.url(baseURL: baseURL))
            }
        }
    }
}
