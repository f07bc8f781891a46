/// A plain text table with aligned columns, for terminals.
struct Table {
    private let headers: [String]
    private var rows: [[String]] = []
    private let rightAligned: Set<Int>

    /// Makes a table; columns listed in `rightAligned` (numbers) align right.
    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Adds a row.
    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as text.
    var text: String {
        let widths = headers.indices.map { column in
            ([headers] + rows).map { $0.indices.contains(column) ? $0[column].displayWidth : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.displayWidth)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacing(/\ +$/, with: "")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// Columns on a terminal: East Asian Wide and Fullwidth characters (Chinese, Japanese, Korean, fullwidth forms)
    /// and emoji take two; combining marks, variation selectors and zero-width or control characters take none.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }
}

extension Unicode.Scalar {
    /// Terminal columns of this scalar: 0, 1 or 2.
    var displayWidth: Int {
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul medial vowels and final consonants join the syllable
        if properties.isEmojiPresentation { return 2 }
        return Self.wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian Width W and F (Unicode 15, UAX #11) outside the emoji, which `isEmojiPresentation` covers.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// `text` cut to at most `width` columns, ending in `…` when cut.
func truncated(_ text: String, toWidth width: Int) -> String {
    guard text.displayWidth > width else { return text }
    var out = ""
    var used = 0
    for character in text {
        let columns = String(character).displayWidth
        if used + columns > width - 1 { break }
        out.append(character)
        used += columns
    }
    return out + "…"
}

/// Groups thousands: 1234567 → "1,234,567".
func grouped(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return value < 0 ? "-" + out : out
}

/// Groups thousands of an `Int`.
func grouped(_ value: Int) -> String { grouped(Int64(value)) }
