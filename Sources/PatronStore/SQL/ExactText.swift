import PatronCore

/// Text compared byte for byte, as both databases compare it: Swift's `String` equates canonically equivalent Unicode
/// ("é" and "e" + U+0301), which SQLite's BINARY and PostgreSQL's "C" collation keep apart. The writers' caches of
/// identities and keys use it, so that they answer exactly what a query would.
struct ExactText: Hashable {
    private let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    init(_ identity: Identity) { self.init(identityKind: identity.kind, value: identity.value) }

    /// An identity as stored: its kind and value.
    init(identityKind kind: String, value: String) {
        var bytes = Array(kind.utf8)
        bytes.append(0)  // no kind contains NUL
        bytes += value.utf8
        self.bytes = bytes
    }
}
