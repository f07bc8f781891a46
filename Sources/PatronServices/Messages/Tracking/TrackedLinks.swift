import Foundation
import PatronCore

/// Rewrites the links of rendered HTML: each `href="…"` or `href='…'` value (an attribute of any element, any case) is
/// read with its HTML entities decoded, handed to a function, and replaced by what it returns (escaped again), or left
/// alone when it returns `nil`.
enum TrackedLinks {
    static func rewrite(_ html: String, _ replace: (String) -> String?) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count + 256)
        var rest = html[...]
        while let found = rest.range(of: "href", options: .caseInsensitive) {
            output += rest[..<found.upperBound]
            rest = rest[found.upperBound...]
            // href, optional spaces, '=', optional spaces, a quote.
            var cursor = rest.startIndex
            func skipSpaces() { while cursor < rest.endIndex, rest[cursor].isWhitespace { cursor = rest.index(after: cursor) } }
            skipSpaces()
            guard cursor < rest.endIndex, rest[cursor] == "=" else { continue }
            cursor = rest.index(after: cursor)
            skipSpaces()
            guard cursor < rest.endIndex, rest[cursor] == "\"" || rest[cursor] == "'" else { continue }
            let quote = rest[cursor]
            let valueStart = rest.index(after: cursor)
            guard let valueEnd = rest[valueStart...].firstIndex(of: quote) else { continue }
            let original = rest[valueStart..<valueEnd]
            output += rest[..<valueStart]
            if let replaced = replace(unescape(String(original))) {
                output += HTMLText.escape(replaced)
            } else {
                output += original
            }
            rest = rest[valueEnd...]
        }
        output += rest
        return output
    }


    /// Decodes the entities an escaped attribute value may hold: the named five and numeric ones.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semicolon = after.firstIndex(of: ";"), after.distance(from: amp, to: semicolon) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = after[after.index(after: amp)..<semicolon]
            var decoded: String?
            switch name {
            case "amp": decoded = "&"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap { Unicode.Scalar($0) }.map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst(), radix: 10).flatMap { Unicode.Scalar($0) }.map { String(Character($0)) }
                }
            }
            if let decoded {
                out += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        out += rest
        return out
    }
}
