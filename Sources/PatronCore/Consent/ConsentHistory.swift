import Foundation

/// A member's consents now and how they came to be: the profile's booleans (what marketing reads), the channels whose
/// grant waits for a double opt-in confirmation, and every record, oldest first.
public struct ConsentHistory: Sendable, Hashable, Encodable {
    /// The profile's consents now.
    public var consents: [String: Bool]
    /// Every record, oldest first.
    public var records: [ConsentRecord]

    /// A history.
    public init(consents: [String: Bool], records: [ConsentRecord]) {
        self.consents = consents
        self.records = records
    }

    /// The newest record on `channel`.
    public func latest(channel: String) -> ConsentRecord? {
        records.last { $0.channel == channel }
    }

    /// The channels whose newest record is a pending request (double opt-in), sorted.
    public var pending: [String] {
        Set(records.map(\.channel)).filter { latest(channel: $0)?.state == .pending }.sorted()
    }

    private enum CodingKeys: String, CodingKey { case consents, pending, records }

    /// Writes `consents`, `pending` and `records`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(consents, forKey: .consents)
        try container.encode(pending, forKey: .pending)
        try container.encode(records, forKey: .records)
    }
}
