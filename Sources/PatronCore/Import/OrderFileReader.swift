/// One order read from a file.
public struct OrderRow: Sendable, Hashable {
    /// The 1-based line in the file.
    public var line: Int
    /// The customer id.
    public var customer: String
    /// The order id, given or derived (`customer-yyyyMMdd-line`).
    public var orderId: String
    /// The order's day in the shop's calendar.
    public var date: LocalDate
    /// The amount in minor units.
    public var amount: Int64
}

/// A row that could not be read, with its line number and why.
public struct RowProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Makes a problem.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// Reads orders out of delimited text (RFC 4180 quoting, see `DelimitedText`). Pure: the caller reads the file and
/// decides what to do with rows and problems.
public struct OrderFileReader: Sendable {
    private let format: OrderFileFormat
    private let currency: Currency
    private let pattern: DatePattern
    private var indexes: (customer: Int, orderId: Int?, date: Int, amount: Int)?

    /// Makes a reader; throws when the date format is not understood.
    public init(format: OrderFileFormat, currency: Currency) throws {
        self.format = format
        self.currency = currency
        pattern = try DatePattern(format.dateFormat)
    }

    /// Every data row of `text`, each an order or the problem with its line.
    ///
    /// A file that does not fit the mapping is refused before any row is read, with `invalidInput`: a header without
    /// the mapped columns (naming each missing one and the delimiter), a delimiter that splits the first line into
    /// fewer columns than the mapping needs (naming the delimiter the line seems to use), or no line at all.
    public mutating func rows(in text: String) throws -> [Result<OrderRow, RowProblem>] {
        var records = DelimitedText(delimiter: format.delimiter).records(text)[...]
        // The first readable record decides whether the file fits.
        guard let first = records.firstIndex(where: { if case .success = $0 { true } else { false } }), case .success(let head) = records[first] else {
            if case .failure(let problem)? = records.first { throw PatronError(.invalidInput, "\(problem)") }
            return []
        }
        indexes = try Self.resolve(format, header: format.hasHeader ? head : nil, firstRow: head)
        if format.hasHeader { records.remove(at: first) }
        return records.map { record in record.flatMap { read($0) } }
    }

    /// Reads one data record.
    public func read(_ record: DelimitedRecord) -> Result<OrderRow, RowProblem> {
        guard let indexes else { return .failure(RowProblem(line: record.line, message: "the columns are not resolved yet")) }
        let fields = record.fields
        let line = record.line
        let needed = max(indexes.customer, indexes.orderId ?? 0, indexes.date, indexes.amount)
        guard fields.count > needed else {
            return .failure(RowProblem(line: line, message: "has \(fields.count) fields; \(needed + 1) are needed"))
        }
        let customer = fields[indexes.customer]
        guard !customer.isEmpty else { return .failure(RowProblem(line: line, message: "the customer is empty")) }
        guard let date = pattern.parse(Substring(fields[indexes.date])) else {
            return .failure(RowProblem(line: line, message: "'\(fields[indexes.date])' is not a date of the form \(format.dateFormat)"))
        }
        let amountText = fields[indexes.amount]
        let amount: Int64? =
            switch format.amountUnit {
            case .major: DecimalText.scaled(Self.withoutGrouping(amountText), digits: currency.minorDigits)
            case .minor: Int64(Self.withoutGrouping(amountText))
            }
        guard let amount else {
            return .failure(RowProblem(line: line, message: "'\(amountText)' is not an amount in \(format.amountUnit.rawValue) units of \(currency.code)"))
        }
        guard (0...Order.maximumAmount).contains(amount) else {
            return .failure(RowProblem(line: line, message: "the amount \(amountText) is negative or larger than \(Order.maximumAmount) minor units"))
        }
        let orderId = indexes.orderId.map { fields[$0] } ?? "\(customer)-\(date.year * 10_000 + date.month * 100 + date.day)-\(line)"
        guard !orderId.isEmpty else { return .failure(RowProblem(line: line, message: "the order id is empty")) }
        return .success(OrderRow(line: line, customer: customer, orderId: orderId, date: date, amount: amount))
    }

    /// `1,000.00` as `1000.00`: a thousands separator is a comma between groups of three digits before a decimal
    /// point. Without the point the comma is ambiguous (`123,456` is a decimal comma in much of the world, and a
    /// three-decimal amount in KWD), so such a value is left as it is and refused, never read 1,000 times too large.
    static func withoutGrouping(_ text: String) -> String {
        guard text.contains(","), text.contains(".") else { return text }
        let whole = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return text }
        return text.replacingOccurrences(of: ",", with: "")
    }

    private static func resolve(_ format: OrderFileFormat, header: DelimitedRecord?, firstRow: DelimitedRecord) throws -> (Int, Int?, Int, Int) {
        let mapped: [(role: String, column: OrderFileFormat.Column)] =
            [("customer", format.customer)] + (format.orderId.map { [("order id", $0)] } ?? []) + [("date", format.date), ("amount", format.amount)]
        let delimiterSeen = "with --delimiter \(format.delimiter.rawValue)"
        // One column where several are mapped: the delimiter does not match the file.
        let distinct = Set(mapped.map(\.column)).count
        if firstRow.fields.count == 1, distinct > 1 {
            let guess = guessDelimiter(firstRow.fields[0]).map { "; the line seems separated by \($0)" } ?? ""
            throw PatronError(
                .invalidInput,
                "line \(firstRow.line) has 1 column \(delimiterSeen) ('\(firstRow.fields[0].prefix(80))')\(guess); \(distinct) columns are mapped")
        }
        var missing: [String] = []
        var found: [Int] = []
        for (role, column) in mapped {
            switch column {
            case .position(let position):
                if position > firstRow.fields.count {
                    missing.append("\(role): column \(position) (line \(firstRow.line) has \(firstRow.fields.count) columns)")
                }
                found.append(position - 1)
            case .named(let name):
                guard let header else {
                    throw PatronError(.invalidInput, "\(role): \(column) needs a header line; give a 1-based position instead")
                }
                if let index = header.fields.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                    found.append(index)
                } else {
                    missing.append("\(role): '\(name)'")
                    found.append(-1)
                }
            }
        }
        guard missing.isEmpty else {
            let seen = header.map { "the header has \($0.fields.map { "'\($0)'" }.joined(separator: ", ")) \(delimiterSeen)" } ?? delimiterSeen
            throw PatronError(.invalidInput, "the file does not have the mapped columns — missing \(missing.joined(separator: ", ")); \(seen)")
        }
        return (found[0], format.orderId == nil ? nil : found[1], found[found.count - 2], found[found.count - 1])
    }

    /// The separator a line seems to use, if it has one of the usual ones.
    static func guessDelimiter(_ line: String) -> String? {
        let candidates: [(Character, String)] = [(",", "commas"), (";", "semicolons"), ("\t", "tabs"), ("|", "'|'"), (" ", "spaces")]
        let counts = candidates.map { candidate in (candidate.1, line.filter { $0 == candidate.0 }.count) }
        guard let best = counts.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return nil }
        return best.0
    }
}

/// A date pattern made of `yyyy`, `MM`, `dd` and literal separators, parsed without Foundation's slow formatters.
public struct DatePattern: Sendable, Hashable {
    private enum Part: Hashable { case year, month, day, literal(Character) }
    private let parts: [Part]

    /// Compiles a pattern such as `yyyyMMdd` or `dd/MM/yyyy`.
    public init(_ pattern: String) throws {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let first = rest.first {
            if rest.hasPrefix("yyyy") { parts.append(.year); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("MM") { parts.append(.month); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("dd") { parts.append(.day); rest = rest.dropFirst(2) }
            else if first.isLetter { throw PatronError(.invalidInput, "date format '\(pattern)': use yyyy, MM and dd with separators, such as yyyyMMdd or dd/MM/yyyy") }
            else { parts.append(.literal(first)); rest = rest.dropFirst() }
        }
        guard parts.contains(.year), parts.contains(.month), parts.contains(.day) else {
            throw PatronError(.invalidInput, "date format '\(pattern)' must contain yyyy, MM and dd")
        }
        self.parts = parts
    }

    /// The date, or `nil` when the text does not match or names no real day.
    public func parse(_ text: Substring) -> LocalDate? {
        var rest = text.utf8[...]
        var year = 0, month = 0, day = 0
        func digits(_ count: Int) -> Int? {
            guard rest.count >= count else { return nil }
            var value = 0
            for byte in rest.prefix(count) {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            rest = rest.dropFirst(count)
            return value
        }
        for part in parts {
            switch part {
            case .year: guard let v = digits(4) else { return nil }; year = v
            case .month: guard let v = digits(2) else { return nil }; month = v
            case .day: guard let v = digits(2) else { return nil }; day = v
            case .literal(let c):
                guard let first = rest.first, Character(Unicode.Scalar(first)) == c else { return nil }
                rest = rest.dropFirst()
            }
        }
        guard rest.isEmpty else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
