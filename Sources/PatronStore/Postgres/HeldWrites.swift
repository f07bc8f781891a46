import PostgresNIO

/// Rows held back in a PostgreSQL batch (`SQLSession.write`), one array per column and kind, sent as one statement per
/// kind before any other statement runs on the connection, or before COMMIT.
final class HeldWrites {
    /// The kinds held, in the order each was first held (no held kind refers to another's rows, but the order is the
    /// requests' own).
    private var kinds: [(write: SetWrite, columns: [PostgresArrayLiteral])] = []

    var isEmpty: Bool { kinds.isEmpty }

    /// Adds a row of `write`, its values in the order of the set form's columns.
    func add<each V: SQLBindable>(_ write: SetWrite, _ values: repeat each V) {
        let index =
            kinds.firstIndex { $0.write == write }
            ?? {
                kinds.append((write, Array(repeating: PostgresArrayLiteral(), count: write.columns)))
                return kinds.count - 1
            }()
        var column = 0
        for value in repeat each values {
            value.append(to: &kinds[index].columns[column])
            column += 1
        }
        precondition(column == write.columns, "\(write) takes \(write.columns) values, not \(column)")
    }

    /// Takes every held row out, leaving nothing held.
    func takeAll() -> [(write: SetWrite, columns: [PostgresArrayLiteral])] {
        defer { kinds = [] }
        return kinds
    }
}

/// A PostgreSQL array in its text form (`{1,NULL,"a \"b\""}`), built element by element and bound as one text
/// parameter that the statement casts (`?::bigint[]`): one parameter per column, whatever the number of rows.
struct PostgresArrayLiteral {
    private var text = "{"
    private var count = 0

    var literal: String { text + "}" }

    mutating func append(_ value: Int64) {
        separate()
        text.append(String(value))
    }

    /// Every string is quoted, with its backslashes and double quotes escaped: no other character is special inside
    /// quotes.
    mutating func append(_ value: String) {
        separate()
        text.append("\"")
        if value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.unicodeScalars.append(character)
            }
        } else {
            text.append(value)
        }
        text.append("\"")
    }

    mutating func appendNull() {
        separate()
        text.append("NULL")
    }

    private mutating func separate() {
        if count > 0 { text.append(",") }
        count += 1
    }
}
