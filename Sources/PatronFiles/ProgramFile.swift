import Foundation
import PatronCore
import Yams

/// Reads program files: YAML, or JSON (which YAML's parser reads too), into a validated `Program`.
public enum ProgramFile {
    /// Parses and validates program text; throws `invalidProgram` with every problem and its path.
    public static func parse(_ text: String) throws -> Program {
        try ProgramReader.read(try document(text))
    }

    /// The segments the program text's message triggers name, with their paths and lines, and the names the text's
    /// own `segments:` section defines (`MessageSegmentCheck`).
    public static func segmentReferences(_ text: String) throws -> (used: [SegmentReference], defined: Set<String>) {
        MessageSegmentCheck.references(in: try document(text))
    }

    /// Refuses, with `invalidProgram` listing each at its path and line, a message trigger naming a segment that is
    /// neither in `stored` nor defined in the text's own `segments:` section.
    public static func checkSegments(_ text: String, stored: Set<String>) throws {
        let references = try segmentReferences(text)
        let issues = MessageSegmentCheck.issues(references.used, known: stored.union(references.defined))
        guard issues.isEmpty else {
            throw PatronError(
                .invalidProgram, "the program has \(issues.count) problem\(issues.count == 1 ? "" : "s")", details: issues.map(\.description))
        }
    }

    /// Reads and validates a program file.
    public static func load(path: String) throws -> (program: Program, source: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PatronError(.invalidInput, "cannot read the program file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PatronError(.invalidProgram, "\(path) is not UTF-8 text")
        }
        do {
            return (try parse(text), text)
        } catch var error as PatronError {
            error.message = "\(path): \(error.message)"
            throw error
        }
    }

    /// The document tree of YAML or JSON text.
    static func document(_ text: String) throws -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PatronError(.invalidProgram, "the program is not valid YAML or JSON", details: [Self.describe(error)])
        }
        guard let node else { throw PatronError(.invalidProgram, "the program file is empty") }
        return convert(node)
    }

    private static func convert(_ node: Node) -> ConfigNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            return node.null != nil && scalar.style == .plain ? .null(line: line) : .scalar(scalar.string, line: line)
        case .mapping(let mapping):
            return .mapping(mapping.map { (key: $0.key.string ?? "\($0.key)", value: convert($0.value)) }, line: line)
        case .sequence(let sequence):
            return .sequence(sequence.map(convert), line: line)
        case .alias:
            return .null(line: line)
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)\(context.map { " \($0.text)" } ?? "")"
        default:
            return "\(error)"
        }
    }
}
