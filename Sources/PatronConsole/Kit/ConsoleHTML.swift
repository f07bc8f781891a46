import Mustache

/// HTML escaping for the console's templates, over UTF-8 bytes: the same five characters as swift-mustache's own
/// (`<`, `>`, `&`, `"`, `'`), which looks each character up in a dictionary of `Character`s and was a measurable part of
/// a member page. Templates select it with `{{%CONTENT_TYPE: PATRON_HTML}}` on their first line (layouts and partials:
/// a partial starts in swift-mustache's HTML again); a template without the line is escaped by swift-mustache, the same
/// way, only slower.
struct ConsoleHTML: MustacheContentType {
    /// The name templates give it.
    static let name = "PATRON_HTML"

    /// Makes the name known to swift-mustache's parser; before the templates are parsed.
    static func register() { MustacheContentTypes.register(ConsoleHTML(), named: name) }

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: Self.isSpecial) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
