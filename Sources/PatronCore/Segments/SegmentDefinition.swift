import Foundation

/// A named set of members: dynamic (a condition, followed as members change) or static (a list imported from a file).
public struct SegmentDefinition: Sendable, Hashable, Codable {
    /// How membership is decided.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Members who satisfy the condition, re-evaluated as they change and by a job.
        case dynamic
        /// Members imported from a CSV of identities (`patron segments import`); no condition.
        case `static`
    }

    /// The name: letters, digits, `-` and `_`, 1–64 characters.
    public var name: String
    /// What it is for, in words.
    public var description: String?
    /// Dynamic or static.
    public var kind: Kind
    /// The condition of a dynamic segment; `nil` for a static one.
    public var condition: SegmentCondition?

    /// Makes a definition.
    public init(name: String, description: String? = nil, kind: Kind, condition: SegmentCondition?) {
        self.name = name
        self.description = description
        self.kind = kind
        self.condition = condition
    }

    /// Whether `name` is a valid segment name.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }
}
