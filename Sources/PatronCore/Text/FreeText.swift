/// The one check every piece of free text passes before Patron keeps it: names, tags, reasons, notes, keys and ids,
/// from the CLI, the API and files alike.
///
/// A NUL character is refused everywhere: SQLite's C strings end at it (everything after it was silently lost) and
/// PostgreSQL's text cannot hold it, so the two databases would disagree.
public enum FreeText {
    /// Throws `invalidInput` naming `field` when `value` contains a NUL character, is longer than `maximumLength`
    /// characters, or is empty (or only whitespace) while `required`.
    public static func check(_ value: String, field: @autoclosure () -> String, maximumLength: Int? = nil, required: Bool = false) throws {
        // On the contiguous bytes where the string has them (a native string always does): stepping through the UTF-8
        // view byte by byte cost an order event about 2,000 instructions.
        if value.utf8.withContiguousStorageIfAvailable({ $0.contains(0) }) ?? value.utf8.contains(0) {
            throw PatronError(.invalidInput, "\(field()): must not contain a NUL character (\\u0000)")
        }
        if required, value.allSatisfy(\.isWhitespace) {
            throw PatronError(.invalidInput, "\(field()): must not be empty")
        }
        if let maximumLength, !fits(value, within: maximumLength) {
            throw PatronError(.invalidInput, "\(field()): longer than \(maximumLength) characters")
        }
    }

    /// Whether `value` has at most `limit` characters. No more bytes than the limit is no more characters, so most
    /// values are settled without counting characters (grapheme clusters), the slow part.
    public static func fits(_ value: String, within limit: Int) -> Bool {
        value.utf8.count <= limit || value.count <= limit
    }

    /// `check` for an optional value: `nil` passes.
    public static func check(_ value: String?, field: @autoclosure () -> String, maximumLength: Int? = nil) throws {
        guard let value else { return }
        try check(value, field: field(), maximumLength: maximumLength)
    }
}
