import Foundation
import PatronCore

/// Reads segment definitions from YAML or JSON text: a segments file (`segments:` at the top), or the `segments:`
/// section of a program file.
public enum SegmentFile {
    /// Parses a segments file; throws `invalidInput` listing every problem with its path and line.
    public static func parse(_ text: String, vocabulary: SegmentVocabulary) throws -> [SegmentDefinition] {
        try SegmentReader.readFile(try document(text), vocabulary: vocabulary)
    }

    /// The `segments:` section of a program file's text, if it has one.
    public static func programSection(_ text: String, vocabulary: SegmentVocabulary) throws -> [SegmentDefinition]? {
        guard case .mapping(let pairs, _) = try document(text), let node = pairs.first(where: { $0.key == "segments" })?.value else { return nil }
        return try SegmentReader.read(node, at: "segments", vocabulary: vocabulary)
    }

    /// Parses a segments file, or the `segments:` section of a program file (any file whose top level has other keys
    /// too); a file without `segments:` is refused.
    public static func parseAny(_ text: String, vocabulary: SegmentVocabulary) throws -> [SegmentDefinition] {
        let tree = try document(text)
        if case .mapping(let pairs, _) = tree, pairs.contains(where: { $0.key == "segments" }), pairs.count > 1 {
            return try SegmentReader.read(pairs.first { $0.key == "segments" }!.value, at: "segments", vocabulary: vocabulary)
        }
        return try SegmentReader.readFile(tree, vocabulary: vocabulary)
    }

    private static func document(_ text: String) throws -> ConfigNode {
        do {
            return try ProgramFile.document(text)
        } catch var error as PatronError {
            error.code = .invalidInput
            error.message = error.message.replacingOccurrences(of: "the program file", with: "the segments file")
                .replacingOccurrences(of: "the program", with: "the segments file")
            throw error
        }
    }
}
