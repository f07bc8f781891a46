import Foundation

/// How long the store remembers a request's idempotency key and outcome (the program's `idempotency` section).
///
/// A key is kept for `retentionDays` after its request's own time (or after it arrived, if later); a nightly job purges
/// older ones. A request whose own time is before the window is refused (`eventTooOld`) rather than applied: its key
/// may have been purged, so nothing could tell a resend from a new request. History goes through `patron import`,
/// which needs no keys.
public struct IdempotencySettings: Sendable, Hashable {
    /// Days a key is kept; the default, 30, covers a storefront's retries and a return window's late events.
    public var retentionDays: Int

    /// The default window.
    public static let defaultRetentionDays = 30

    /// Makes settings.
    public init(retentionDays: Int = IdempotencySettings.defaultRetentionDays) { self.retentionDays = retentionDays }

    /// The window's first instant as of `now`: requests whose own time is earlier are refused, keys kept from
    /// earlier are purged.
    public func windowStart(asOf now: Date) -> Date { now.addingTimeInterval(-Double(retentionDays) * 86_400) }
}

extension ProgramReader {
    /// `idempotency: { retentionDays: N }`.
    static func readIdempotency(_ node: ConfigNode, _ reader: ConfigReader) -> IdempotencySettings? {
        guard let map = reader.mapping(node, at: "idempotency", allowed: ["retentionDays"]) else { return nil }
        return reader.integer(map, "retentionDays", at: "idempotency", in: 1...3_650).map(IdempotencySettings.init(retentionDays:))
    }
}
