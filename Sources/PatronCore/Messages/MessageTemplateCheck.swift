import Foundation

/// Checks that a mustache template names only known fields (`MessageFields`) and uses no partials, reporting the line
/// of the first problem. The template's syntax itself is checked by the mustache parser; this walks its tags.
public enum MessageTemplateCheck {
    /// A problem in a template: what is wrong and on which line (1-based).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line of the tag.
        public var line: Int
        /// What is wrong.
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The problems of `template` against `fields`, in the order of their lines (empty when it is fine).
    public static func problems(_ template: String, fields: MessageFields = .all) -> [Problem] {
        var problems: [Problem] = []
        var scopes: [MessageFields] = [fields]
        var open: [String] = []
        var line = 1
        var index = template.startIndex
        var delimiters = ("{{", "}}")
        while index < template.endIndex {
            guard let start = template.range(of: delimiters.0, range: index..<template.endIndex) else { break }
            line += template[index..<start.lowerBound].filter(\.isNewline).count
            var close = delimiters.1
            var tagStart = start.upperBound
            if delimiters.0 == "{{", template[tagStart...].hasPrefix("{") {
                close = "}}}"
                tagStart = template.index(after: tagStart)
            }
            guard let end = template.range(of: close, range: tagStart..<template.endIndex) else { break }
            let raw = template[tagStart..<end.lowerBound]
            let tagLine = line
            line += raw.filter(\.isNewline).count
            index = end.upperBound
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let sigil = tag.first else { continue }
            let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!", "%": continue
            case "=":
                // `{{=<% %>=}}` sets new delimiters.
                let parts = tag.dropFirst().dropLast().split(separator: " ")
                if parts.count == 2 { delimiters = (String(parts[0]), String(parts[1])) }
            case ">", "<", "$":
                problems.append(Problem(line: tagLine, message: "'\(tag)': partials, parents and blocks are not used in message templates"))
            case "#", "^":
                let resolved = resolve(name, in: scopes)
                if resolved == nil { problems.append(unknown(name, line: tagLine, scopes: scopes)) }
                open.append(name)
                switch resolved {
                case .object(let children)?, .list(let children)?: scopes.append(.object(children))
                default: scopes.append(.object([:]))
                }
            case "/":
                if open.last == name {
                    open.removeLast()
                    scopes.removeLast()
                } else {
                    problems.append(Problem(line: tagLine, message: "'{{/\(name)}}' closes a section that is not open"))
                }
            case "&":
                if resolve(name, in: scopes) == nil { problems.append(unknown(name, line: tagLine, scopes: scopes)) }
            default:
                if tag == "." { continue }
                if resolve(tag, in: scopes) == nil { problems.append(unknown(tag, line: tagLine, scopes: scopes)) }
            }
        }
        return problems
    }

    /// The field `name` (dotted) names: its first part is looked up from the innermost scope outwards, as mustache does.
    static func resolve(_ name: String, in scopes: [MessageFields]) -> MessageFields? {
        if name == "." { return .value }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        for scope in scopes.reversed() {
            if scope.children?[String(parts[0])] != nil { return scope.field(parts) }
        }
        return nil
    }

    private static func unknown(_ name: String, line: Int, scopes: [MessageFields]) -> Problem {
        let known = scopes.count > 1 ? (scopes.last?.children?.keys.sorted() ?? []) : MessageFields.all.children!.keys.sorted()
        return Problem(line: line, message: "unknown field '\(name)'; known here: \(known.joined(separator: ", ")) (docs/messages.md lists every field)")
    }
}
