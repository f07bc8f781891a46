/// A parsed configuration document (YAML or JSON) as a tree, with the line each node came from.
///
/// The store turns file text into this tree; `ProgramReader` turns the tree into a `Program`, so the domain
/// never depends on a parser.
public indirect enum ConfigNode: Sendable, Hashable {
    /// A scalar as written (`"1.5"`, `"true"`, `"Asia/Shanghai"`); the reader decides what it means.
    case scalar(String, line: Int)
    /// A mapping with its keys in file order.
    case mapping([(key: String, value: ConfigNode)], line: Int)
    /// A sequence.
    case sequence([ConfigNode], line: Int)
    /// An empty value (`~`, `null`, or nothing).
    case null(line: Int)

    /// The 1-based line in the file, or 0 when unknown.
    public var line: Int {
        switch self {
        case .scalar(_, let line), .mapping(_, let line), .sequence(_, let line), .null(let line): line
        }
    }

    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a, _), .scalar(let b, _)): a == b
        case (.sequence(let a, _), .sequence(let b, _)): a == b
        case (.null, .null): true
        case (.mapping(let a, _), .mapping(let b, _)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .scalar(let text, _): hasher.combine(text)
        case .sequence(let items, _): hasher.combine(items)
        case .null: hasher.combine(0)
        case .mapping(let pairs, _):
            for pair in pairs {
                hasher.combine(pair.key)
                hasher.combine(pair.value)
            }
        }
    }
}
