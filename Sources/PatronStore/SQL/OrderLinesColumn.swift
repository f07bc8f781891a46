import PatronCore

/// A placed order's lines as kept in its `orders` row (the `lines` column, since v14), instead of a row each in a
/// separate table: one b-tree write per order event fewer on the write path.
///
/// Each line is `id sku category quantity,net,base,returned;` where a text is `length:text` (length in UTF-8 bytes)
/// and a missing category is `-`. Lengths make any text safe, separators included. Trailing numbers equal to their
/// default are left out (issue 19, fewer bytes per order): `returned` when 0, then `base` when equal to `net`, so a
/// line that earns on its whole net amount and has not been returned is `id sku category quantity,net;`.
enum OrderLinesColumn {
    /// The lines as stored.
    static func encode(_ lines: [RecordedLine]) -> String {
        // Bytes first, then one string: appending to a String piece by piece cost 6,600 instructions per line.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.count * 64)
        for line in lines {
            append(line.lineId, to: &bytes)
            append(line.sku, to: &bytes)
            if let category = line.category { append(category, to: &bytes) } else { bytes.append(UInt8(ascii: "-")) }
            append(Int64(line.quantity), to: &bytes)
            bytes.append(UInt8(ascii: ","))
            append(line.netAmount, to: &bytes)
            if line.base != line.netAmount || line.returnedQuantity != 0 {
                bytes.append(UInt8(ascii: ","))
                append(line.base, to: &bytes)
            }
            if line.returnedQuantity != 0 {
                bytes.append(UInt8(ascii: ","))
                append(Int64(line.returnedQuantity), to: &bytes)
            }
            bytes.append(UInt8(ascii: ";"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ value: String, to bytes: inout [UInt8]) {
        append(Int64(value.utf8.count), to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
    }

    /// `value` in decimal.
    private static func append(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// The lines from their stored form.
    static func decode(_ text: String) throws -> [RecordedLine] {
        var reader = Reader(bytes: Array(text.utf8))
        var lines: [RecordedLine] = []
        func damaged() -> PatronError { PatronError(.storage, "an order's stored lines are damaged: \(text)") }
        while !reader.atEnd {
            guard let lineId = reader.text(), let sku = reader.text(), let category = reader.optionalText(),
                let quantity = reader.integer(until: UInt8(ascii: ",")), case let (net, more)? = reader.integer(until: UInt8(ascii: ","), or: UInt8(ascii: ";"))
            else { throw damaged() }
            var base = net
            var returned: Int64 = 0
            if more {
                guard case let (stored, last)? = reader.integer(until: UInt8(ascii: ","), or: UInt8(ascii: ";")) else { throw damaged() }
                base = stored
                if last {
                    guard let value = reader.integer(until: UInt8(ascii: ";")) else { throw damaged() }
                    returned = value
                }
            }
            lines.append(
                RecordedLine(
                    lineId: lineId, sku: sku, category: category, quantity: Int(quantity), netAmount: net, base: base,
                    returnedQuantity: Int(returned)))
        }
        return lines
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position >= bytes.count }

        /// A decimal integer followed by `more` (then `true`) or `end` (then `false`), which is consumed.
        mutating func integer(until more: UInt8, or end: UInt8) -> (Int64, Bool)? {
            let start = position
            if let value = integer(until: more) { return (value, true) }
            position = start
            return integer(until: end).map { ($0, false) }
        }

        /// A decimal integer (optionally negative) followed by `terminator`, which is consumed.
        mutating func integer(until terminator: UInt8) -> Int64? {
            var negative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            var value: Int64 = 0
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[position] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                digits += 1
                position += 1
            }
            guard digits > 0, position < bytes.count, bytes[position] == terminator else { return nil }
            position += 1
            return negative ? -value : value
        }

        /// A `length:text`.
        mutating func text() -> String? {
            guard let length = integer(until: UInt8(ascii: ":")), length >= 0, position + Int(length) <= bytes.count else { return nil }
            let value = String(decoding: bytes[position..<position + Int(length)], as: UTF8.self)
            position += Int(length)
            return value
        }

        /// A `length:text` or `-`.
        mutating func optionalText() -> String?? {
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                position += 1
                return .some(nil)
            }
            return text().map { .some($0) }
        }
    }
}
