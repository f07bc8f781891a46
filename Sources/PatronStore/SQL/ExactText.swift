import PatronCore

/// Text compared byte for byte, as both databases compare it: Swift's `String` equates canonically equivalent Unicode
/// ("é" and "e" + U+0301), which SQLite's BINARY and PostgreSQL's "C" collation keep apart. The writers' caches of
/// identities and keys use it, so that they answer exactly what a query would.
struct ExactText: Hashable {
    /// An identity's kind, or empty for plain text.
    private let kind: String
    private let value: String

    init(_ text: String) {
        kind = ""
        value = text
    }

    init(_ identity: Identity) { self.init(identityKind: identity.kind, value: identity.value) }

    /// An identity as stored: its kind and value.
    init(identityKind kind: String, value: String) {
        self.kind = kind
        self.value = value
    }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.kind.utf8.elementsEqual(rhs.kind.utf8) && lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }

    func hash(into hasher: inout Hasher) {
        // Native strings hand out their UTF-8 in place: no copy.
        var kind = kind
        var value = value
        kind.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(UInt8(0))  // no kind contains NUL
        value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
