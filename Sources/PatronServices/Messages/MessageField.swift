/// One value a message template reads: text, a yes/no, a group of named fields (`member`, `points` …) or a list
/// (`points.expiring`). Typed rather than `Any` so rendering never casts (see `CompiledTemplate`).
public enum MessageField: Sendable, Hashable {
    /// Text, shown as is (escaped in HTML).
    case text(String)
    /// Yes or no: a section shows when true (`{{#change.up}}`).
    case flag(Bool)
    /// Named fields: a section pushes them, a dotted name reads into them.
    case group([String: MessageField])
    /// A list: a section repeats for each item.
    case list([MessageField])

    /// The same value as swift-mustache's own renderer reads it (strings, booleans, dictionaries and arrays).
    public var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .group(let fields): fields.mapValues(\.mustacheValue)
        case .list(let items): items.map(\.mustacheValue)
        }
    }
}

extension MessageField: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    /// A text field.
    public init(stringLiteral value: String) { self = .text(value) }
    /// A flag.
    public init(booleanLiteral value: Bool) { self = .flag(value) }
    /// A group.
    public init(dictionaryLiteral elements: (String, MessageField)...) { self = .group(Dictionary(elements, uniquingKeysWith: { $1 })) }
    /// A list.
    public init(arrayLiteral elements: MessageField...) { self = .list(elements) }
}
