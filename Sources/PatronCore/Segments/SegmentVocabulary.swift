import Foundation

/// What a segment file may name, for its reader to check: the program's levels, currency and activities, the
/// analytics labels, and the segments already stored.
public struct SegmentVocabulary: Sendable {
    /// The program's level names; empty when it has no levels.
    public var levels: [String]
    /// The currency amounts are written in.
    public var currency: Currency
    /// Activity kinds a `lastActivity` condition may name.
    public var activities: Set<String>
    /// Allowed values of each label (RFM segments, loyalty stages and types); the RFM cell is checked by its shape.
    public var labels: [SegmentLabel: [String]]
    /// Segments already stored, by name: a file may refer to them, and cycles through them are found.
    public var stored: [String: SegmentDefinition]

    /// Makes a vocabulary.
    public init(levels: [String], currency: Currency, activities: Set<String>, labels: [SegmentLabel: [String]], stored: [String: SegmentDefinition]) {
        self.levels = levels
        self.currency = currency
        self.activities = activities
        self.labels = labels
        self.stored = stored
    }
}
