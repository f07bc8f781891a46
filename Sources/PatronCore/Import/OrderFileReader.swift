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

/// Reads orders out of delimited text line by line. Pure: the caller reads the file and decides what to do with
/// rows and problems.
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
        if !format.hasHeader {
            indexes = try Self.resolve(format, header: nil)
        }
    }

    /// Reads one line (without its newline). Returns `nil` for the header and blank lines.
    public mutating func read(_ text: Substring, line: Int) -> Result<OrderRow, RowProblem>? {
        if text.allSatisfy(\.isWhitespace) { return nil }
        let fields = split(text)
        guard let indexes else {
            do {
                indexes = try Self.resolve(format, header: fields)
                return nil
            } catch {
                return .failure(RowProblem(line: line, message: "\(error)"))
            }
        }
        let needed = max(indexes.customer, indexes.orderId ?? 0, indexes.date, indexes.amount)
        guard fields.count > needed else {
            return .failure(RowProblem(line: line, message: "has \(fields.count) fields; \(needed + 1) are needed"))
        }
        let customer = String(fields[indexes.customer])
        guard !customer.isEmpty else { return .failure(RowProblem(line: line, message: "the customer is empty")) }
        guard let date = pattern.parse(fields[indexes.date]) else {
            return .failure(RowProblem(line: line, message: "'\(fields[indexes.date])' is not a date of the form \(format.dateFormat)"))
        }
        let amountText = String(fields[indexes.amount])
        let amount: Int64? =
            switch format.amountUnit {
            case .major: DecimalText.scaled(amountText, digits: currency.minorDigits)
            case .minor: Int64(amountText)
            }
        guard let amount else {
            return .failure(RowProblem(line: line, message: "'\(amountText)' is not an amount in \(format.amountUnit.rawValue) units of \(currency.code)"))
        }
        guard (0...Order.maximumAmount).contains(amount) else {
            return .failure(RowProblem(line: line, message: "the amount \(amountText) is negative or larger than \(Order.maximumAmount) minor units"))
        }
        let orderId = indexes.orderId.map { String(fields[$0]) } ?? "\(customer)-\(date.year * 10_000 + date.month * 100 + date.day)-\(line)"
        guard !orderId.isEmpty else { return .failure(RowProblem(line: line, message: "the order id is empty")) }
        return .success(OrderRow(line: line, customer: customer, orderId: orderId, date: date, amount: amount))
    }

    private func split(_ text: Substring) -> [Substring] {
        switch format.delimiter {
        case .comma: text.split(separator: ",", omittingEmptySubsequences: false).map(Self.trim)
        case .tab: text.split(separator: "\t", omittingEmptySubsequences: false).map(Self.trim)
        case .whitespace: text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        }
    }

    private static func trim(_ field: Substring) -> Substring {
        var field = field
        while field.last?.isWhitespace == true { field = field.dropLast() }
        while field.first?.isWhitespace == true { field = field.dropFirst() }
        if field.count >= 2, field.first == "\"", field.last == "\"" { field = field.dropFirst().dropLast() }
        return field
    }

    private static func resolve(_ format: OrderFileFormat, header: [Substring]?) throws -> (Int, Int?, Int, Int) {
        func index(_ column: OrderFileFormat.Column, _ role: String) throws -> Int {
            switch column {
            case .position(let position): return position - 1
            case .named(let name):
                guard let header else { throw PatronError(.invalidInput, "\(role): \(column) needs a header line; give a 1-based position instead") }
                guard let found = header.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw PatronError(.invalidInput, "\(role): no \(column) in the header (\(header.joined(separator: ", ")))")
                }
                return found
            }
        }
        return (
            try index(format.customer, "customer"), try format.orderId.map { try index($0, "order id") }, try index(format.date, "date"),
            try index(format.amount, "amount")
        )
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
