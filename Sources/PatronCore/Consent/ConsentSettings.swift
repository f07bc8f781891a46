import Foundation

/// The program's `consent` section: how members give their consent to marketing.
///
/// ```yaml
/// consent:
///   doubleOptIn: true   # e-mail consent counts only once the member confirms it by a link
/// ```
public struct ConsentSettings: Sendable, Hashable {
    /// Whether granting e-mail consent records it as pending and sends a `confirmConsent` message whose signed link
    /// makes it effective (double opt-in). Other channels are granted at once.
    public var doubleOptIn: Bool

    /// Settings; without a `consent` section, single opt-in.
    public init(doubleOptIn: Bool = false) {
        self.doubleOptIn = doubleOptIn
    }

    /// The channel double opt-in applies to.
    public static let doubleOptInChannel = "email"

    /// Whether granting consent on `channel` through `source` waits for the member's confirmation.
    public func needsConfirmation(channel: String, source: ConsentSource) -> Bool {
        doubleOptIn && channel == Self.doubleOptInChannel && source != .doubleOptIn
    }
}
