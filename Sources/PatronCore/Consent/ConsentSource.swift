import Foundation

/// Where a change of a member's consent came from, as the consent history records it.
public enum ConsentSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The HTTP API (`PATCH /v1/members/{member}`, enrolment with a profile).
    case api
    /// The staff console.
    case console
    /// The command line (`patron member update --consent …`).
    case cli
    /// The member themselves, on the member zone's preferences page.
    case memberZone = "member-zone"
    /// The signed one-click unsubscribe link of a message.
    case unsubscribeLink = "unsubscribe-link"
    /// An import of members or sample data (`patron demo`).
    case `import`
    /// The member confirmed an e-mail consent by the link of a `confirmConsent` message (double opt-in).
    case doubleOptIn = "double-opt-in"

    /// The source named `text`, or `invalidInput` listing the sources.
    public static func named(_ text: String, field: String = "source") throws -> ConsentSource {
        guard let source = ConsentSource(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): unknown consent source '\(text)'; one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return source
    }
}

/// Who changed a consent and through what: written with every consent record of the change.
public struct ConsentOrigin: Sendable, Hashable, Codable {
    /// Through what.
    public var source: ConsentSource
    /// Who: an API key's name, a staff account, `member:ID`; `nil` when unknown.
    public var actor: String?

    /// An origin.
    public init(source: ConsentSource, actor: String?) {
        self.source = source
        self.actor = actor
    }

    /// The origin of changes that name no other: the API, actor unknown.
    public static let unnamedAPI = ConsentOrigin(source: .api, actor: nil)
}
