/// One record of delimited text: its fields and the 1-based line it starts on.
public struct DelimitedRecord: Sendable, Hashable {
    /// The line the record starts on (a quoted field may carry it over several lines).
    public var line: Int
    /// The fields, unquoted.
    public var fields: [String]

    /// Makes a record.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Splits delimited text into records as RFC 4180 says: a field may be quoted with `"`, and a quoted field may hold
/// the delimiter (`"Smith, J"`, `"1,000.00"`), a doubled quote (`"say ""hi"""`) and line breaks. Lines end with LF or
/// CRLF. Unquoted fields are trimmed of surrounding spaces; blank lines are skipped.
///
/// With `.whitespace`, runs of spaces and tabs separate fields (fixed-width exports such as CDNOW's), and leading
/// and trailing blanks are ignored; quoting works the same.
///
/// Reads bytes, not characters: the delimiters are ASCII, so a split never falls inside a multi-byte character.
public struct DelimitedText: Sendable {
    private let delimiter: OrderFileFormat.Delimiter

    /// A reader for this delimiter.
    public init(delimiter: OrderFileFormat.Delimiter) {
        self.delimiter = delimiter
    }

    /// Every record of `text`, in order, or the problem that ends reading (an unterminated quote runs to the end of
    /// the file, so nothing after it can be read).
    public func records(_ text: String) -> [Result<DelimitedRecord, RowProblem>] {
        var text = text
        return text.withUTF8 { records(bytes: $0) }
    }

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    private func records(bytes: UnsafeBufferPointer<UInt8>) -> [Result<DelimitedRecord, RowProblem>] {
        let separator: UInt8? =
            switch delimiter {
            case .comma: UInt8(ascii: ",")
            case .semicolon: UInt8(ascii: ";")
            case .tab: Self.tab
            case .whitespace: nil
            }
        func isSeparator(_ byte: UInt8) -> Bool {
            if let separator { return byte == separator }
            return byte == Self.space || byte == Self.tab
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == Self.space || byte == Self.tab }
        func string(_ start: Int, _ end: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        var results: [Result<DelimitedRecord, RowProblem>] = []
        var index = 0
        var line = 1
        let count = bytes.count
        while index < count {
            let recordLine = line
            var fields: [String] = []
            var blankRecord = true
            // One record: fields until an unquoted line break or the end.
            recordLoop: while true {
                // Leading blanks of a field (and, for whitespace, the separator run before it).
                while index < count, isBlank(bytes[index]), separator != Self.tab || bytes[index] != Self.tab { index += 1 }
                if index < count, bytes[index] == Self.quote {
                    blankRecord = false
                    index += 1
                    var value: [UInt8] = []
                    var closed = false
                    while index < count {
                        let byte = bytes[index]
                        if byte == Self.quote {
                            if index + 1 < count, bytes[index + 1] == Self.quote {
                                value.append(Self.quote)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == Self.newline { line += 1 }
                        value.append(byte)
                        index += 1
                    }
                    guard closed else {
                        results.append(.failure(RowProblem(line: recordLine, message: "a quoted field opened on this line is never closed")))
                        return results
                    }
                    fields.append(String(decoding: value, as: UTF8.self))
                    // After the closing quote: blanks, then a separator, a line break or the end.
                    while index < count, isBlank(bytes[index]), separator != Self.tab || bytes[index] != Self.tab { index += 1 }
                    if index < count, !isSeparator(bytes[index]), bytes[index] != Self.newline, bytes[index] != Self.carriageReturn {
                        results.append(
                            .failure(RowProblem(line: line, message: "field \(fields.count) has text after its closing quote; double a quote inside a quoted field (\"\")")))
                        // Skip the rest of this line and go on with the next record.
                        while index < count, bytes[index] != Self.newline { index += 1 }
                        if index < count { index += 1; line += 1 }
                        fields = []
                        blankRecord = true
                        break recordLoop
                    }
                } else {
                    let start = index
                    while index < count, !isSeparator(bytes[index]), bytes[index] != Self.newline, bytes[index] != Self.carriageReturn {
                        index += 1
                    }
                    var end = index
                    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
                    if end > start { blankRecord = false }
                    // With whitespace, a line's leading or trailing blanks are no field.
                    if separator != nil || end > start { fields.append(string(start, end)) }
                }
                // What ends the field.
                if index >= count { break recordLoop }
                let byte = bytes[index]
                if byte == Self.carriageReturn {
                    index += 1
                    if index < count, bytes[index] == Self.newline { index += 1 }
                    line += 1
                    break recordLoop
                }
                if byte == Self.newline {
                    index += 1
                    line += 1
                    break recordLoop
                }
                // A separator: with whitespace, the run of blanks; a field follows (possibly empty).
                index += 1
                if separator == nil {
                    while index < count, isBlank(bytes[index]) { index += 1 }
                    if index >= count || bytes[index] == Self.newline || bytes[index] == Self.carriageReturn { continue recordLoop }
                }
            }
            if !blankRecord, !fields.isEmpty {
                results.append(.success(DelimitedRecord(line: recordLine, fields: fields)))
            }
        }
        return results
    }
}
