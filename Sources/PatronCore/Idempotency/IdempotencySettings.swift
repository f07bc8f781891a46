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

    /// Refuses (`eventTooOld`, naming `field` and the window) a keyed request whose own time `at` is before the window
    /// as of `now`.
    public func check(_ at: Date, field: String, now: Date) throws {
        let start = windowStart(asOf: now)
        guard at < start else { return }
        let iso = ISO8601DateFormatter()
        throw PatronError(
            .eventTooOld,
            "\(field) \(iso.string(from: at)) is before the idempotency window of \(retentionDays) days, which starts at \(iso.string(from: start)); a request that old cannot be told from a resend, so it was not applied (import history with `patron import orders`)",
            details: ["field: \(field)", "window: \(retentionDays) days (idempotency.retentionDays in the program), from \(iso.string(from: start))"])
    }
}

extension ProgramReader {
    /// `idempotency: { retentionDays: N }`.
    static func readIdempotency(_ node: ConfigNode, _ reader: ConfigReader) -> IdempotencySettings? {
        guard let map = reader.mapping(node, at: "idempotency", allowed: ["retentionDays"]) else { return nil }
        return reader.integer(map, "retentionDays", at: "idempotency", in: 1...3_650).map(IdempotencySettings.init(retentionDays:))
    }
}
