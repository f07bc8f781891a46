import Mustache
import PatronCore

/// A message template as swift-mustache parsed it, rendered without swift-mustache's run-time type checks.
///
/// swift-mustache asks every value it looks up whether it is one of four protocols, and splits every dotted name
/// again on each render: two thirds of a message's rendering went there (`patron bench messages`, docs/benchmarks.md).
/// Here the parse — with its standalone-line and whitespace rules — stays swift-mustache's: its tokens are read once
/// by reflection, names are split once, and values are typed `MessageField`s. Lookups follow swift-mustache 2.1's rules
/// (a name is looked for down the context stack, the rest of a dotted name only inside what was found; a leading `.`
/// reads the top only; text, true and non-empty lists open a section). A template whose tokens are not all
/// understood (partials, transforms — which message templates refuse anyway — or a future token layout) yields
/// `nil`, and `MessageTemplates` renders it with swift-mustache. `CompiledTemplateTests` renders every example
/// template both ways.
struct CompiledTemplate: Sendable {
    /// A name as written: `.` (the current value), `.a.b` (read from the current value only) or `a.b` (looked for down
    /// the stack).
    struct Name: Sendable {
        var parts: [String]
        var fromTop: Bool
        var isCurrent: Bool

        init(_ name: String) {
            isCurrent = name == "."
            fromTop = name.first == "."
            parts = name.split(separator: ".").map(String.init)
        }
    }

    indirect enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Node], inverted: Bool)
        case escaping(Bool)
    }

    let nodes: [Node]

    /// Reads `template`'s tokens; `nil` when one is not understood.
    init?(_ template: MustacheTemplate) {
        guard let nodes = Self.nodes(of: template) else { return nil }
        self.nodes = nodes
    }

    /// Renders with `fields` at the bottom of the stack; values are HTML-escaped until a `CONTENT_TYPE: TEXT` pragma
    /// says otherwise, as in swift-mustache.
    func render(_ fields: [String: MessageField]) -> String {
        var output = ""
        var stack: [MessageField] = [.group(fields)]
        Self.render(nodes, stack: &stack, escaped: true, into: &output)
        return output
    }

    private static func render(_ nodes: [Node], stack: inout [MessageField], escaped: Bool, into output: inout String) {
        var escaped = escaped
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .escaping(let on):
                escaped = on
            case .variable(let name, let escapes):
                switch value(name, in: stack) {
                case .text(let text)?: output += escapes && escaped ? HTMLText.escape(text) : text
                case .flag(let flag)?: output += flag ? "true" : "false"
                case .group?, .list?, nil: break  // no text to show (message templates name leaves only)
                }
            case .section(let name, let body, let inverted):
                let found = value(name, in: stack)
                if inverted {
                    let empty: Bool =
                        switch found {
                        case nil: true
                        case .flag(let flag)?: !flag
                        case .list(let items)?: items.isEmpty
                        case .text?, .group?: false
                        }
                    if empty { render(body, stack: &stack, escaped: escaped, into: &output) }
                    continue
                }
                switch found {
                case nil, .flag(false)?: break
                case .flag(true)?: render(body, stack: &stack, escaped: escaped, into: &output)
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(body, stack: &stack, escaped: escaped, into: &output)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    render(body, stack: &stack, escaped: escaped, into: &output)
                    stack.removeLast()
                }
            }
        }
    }

    /// The value `name` reads, by swift-mustache's rules.
    private static func value(_ name: Name, in stack: [MessageField]) -> MessageField? {
        if name.isCurrent { return stack.last }
        guard let first = name.parts.first else { return nil }
        var found: MessageField?
        if name.fromTop {
            found = stack.last.flatMap { child(first, of: $0) }
        } else {
            for object in stack.reversed() {
                if let child = child(first, of: object) {
                    found = child
                    break
                }
            }
        }
        for part in name.parts.dropFirst() {
            guard let current = found else { return nil }
            found = child(part, of: current)
        }
        return found
    }

    private static func child(_ name: String, of value: MessageField) -> MessageField? {
        if case .group(let fields) = value { return fields[name] }
        return nil
    }

    // MARK: Reading swift-mustache's tokens

    private static func nodes(of template: MustacheTemplate) -> [Node]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any] else { return nil }
        var nodes: [Node] = []
        for token in tokens {
            guard let node = node(of: token) else { return nil }
            nodes.append(node)
        }
        return nodes
    }

    private static func node(of token: Any) -> Node? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else { return nil }
        let fields = Dictionary(Mirror(reflecting: payload.value).children.compactMap { child in child.label.map { ($0, child.value) } }, uniquingKeysWith: { a, _ in a })
        func plainName() -> Name? {
            guard let name = fields["name"] as? String, (fields["transforms"] as? [String])?.isEmpty == true else { return nil }
            return Name(name)
        }
        switch kind {
        case "text":
            return (payload.value as? String).map(Node.text)
        case "variable", "unescapedVariable":
            return plainName().map { Node.variable($0, escaped: kind == "variable") }
        case "section", "invertedSection":
            guard let name = plainName(), let body = fields["template"] as? MustacheTemplate, let nodes = nodes(of: body) else { return nil }
            return .section(name, nodes, inverted: kind == "invertedSection")
        case "contentType":
            switch String(describing: type(of: payload.value as Any)) {
            case "TextContentType": return .escaping(false)
            case "HTMLContentType": return .escaping(true)
            default: return nil
            }
        default:
            return nil
        }
    }
}
