import PatronCore

/// The domain's enum values written into SQL text, from their raw values in one place, so a status or an entry kind
/// is spelled by PatronCore and never retyped in a statement.
enum SQLLiteral {
    /// `value` as a quoted SQL string literal. Raw values are plain identifiers; anything else is a programming error.
    static func text<Value: RawRepresentable>(_ value: Value) -> String where Value.RawValue == String {
        precondition(value.rawValue.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }, "not a plain raw value")
        return "'\(value.rawValue)'"
    }

    /// `values` as a parenthesised SQL list for `IN`: `('activate', 'earn')`.
    static func list<Value: RawRepresentable>(_ values: some Sequence<Value>) -> String where Value.RawValue == String {
        "(" + values.map { text($0) }.joined(separator: ", ") + ")"
    }
}

extension LedgerEntry.Kind {
    /// The kinds whose active points count toward lifetime earned, as an SQL list.
    static var earnedSQL: String { SQLLiteral.list(allCases.filter(\.countsAsEarned)) }
    /// The kinds whose active points count as issued, as an SQL list.
    static var issuedSQL: String { SQLLiteral.list(allCases.filter(\.countsAsIssued)) }
}
