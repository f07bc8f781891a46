/// A segment named by a trigger of a program's `messages:` section, with where it is written.
public struct SegmentReference: Sendable, Hashable {
    /// The path in the file: `messages.triggers[3].segment`.
    public var path: String
    /// The 1-based line, or 0 when unknown.
    public var line: Int
    /// The segment's name.
    public var name: String
    /// The trigger's id (the journey), as written; empty when it has none.
    public var trigger: String

    /// A reference.
    public init(path: String, line: Int, name: String, trigger: String) {
        self.path = path
        self.line = line
        self.name = name
        self.trigger = trigger
    }
}

/// Segment names in a program's message triggers must name segments that exist: a misspelt name would otherwise hold
/// nobody and suppress every message at send time. Segments live in the database (`patron segments load`), apart from
/// the program; a name the program file's own `segments:` section defines counts too, so a first setup can load the
/// program and then that section (segments need a program to be checked against).
public enum MessageSegmentCheck {
    /// The segments the `messages:` triggers of a program document name (in file order), and the names its own
    /// `segments:` section defines.
    public static func references(in document: ConfigNode) -> (used: [SegmentReference], defined: Set<String>) {
        var used: [SegmentReference] = []
        if case .sequence(let triggers, _)? = value(document, "messages").flatMap({ value($0, "triggers") }) {
            for (index, trigger) in triggers.enumerated() {
                guard let node = value(trigger, "segment"), case .scalar(let name, let line) = node else { continue }
                var id = ""
                if case .scalar(let text, _)? = value(trigger, "id") { id = text }
                used.append(SegmentReference(path: "messages.triggers[\(index)].segment", line: line, name: name, trigger: id))
            }
        }
        var defined: Set<String> = []
        if case .sequence(let segments, _)? = value(document, "segments") {
            for segment in segments {
                if case .scalar(let name, _)? = value(segment, "name") { defined.insert(name) }
            }
        }
        return (used, defined)
    }

    /// One problem for each reference whose segment is not in `known`, at its path and line, naming the known ones.
    public static func issues(_ used: [SegmentReference], known: Set<String>) -> [ProgramIssue] {
        let names = known.sorted()
        let listed = names.count > 12 ? names.prefix(12).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
        let hint = names.isEmpty ? "there are no segments yet" : "the segments are \(listed)"
        return used.filter { !known.contains($0.name) }.map { reference in
            ProgramIssue(
                path: reference.path, line: reference.line,
                message: "segment '\(reference.name)' does not exist; \(hint) (create it with `patron segments load`, or define it in this file's segments: section)")
        }
    }

    /// The value of `key` in a mapping node.
    static func value(_ node: ConfigNode, _ key: String) -> ConfigNode? {
        guard case .mapping(let pairs, _) = node else { return nil }
        return pairs.first { $0.key == key }?.value
    }
}
