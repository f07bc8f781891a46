import Foundation

/// An orders file's shape, and its rows read into order events before anything is written: what `patron import` and
/// the console's import do first, and what `Fuzz/` exercises.
public enum OrderFileSource: Sendable {
    /// Delimited text with a column mapping; a row becomes a `placed` and a `completed` event at the start of its day.
    case delimited(OrderFileFormat)
    /// One `OrderEvent` JSON object per line.
    case jsonLines

    /// A data row's line and its order events, or its problem.
    public typealias Row = (line: Int, result: Result<[OrderEvent], RowProblem>)

    /// Whether each line is one event (JSON Lines) rather than a whole delivered order.
    public var isJSON: Bool { if case .jsonLines = self { true } else { false } }

    /// The file's data rows with their lines, each as its order events or its problem; throws when a delimited file
    /// does not fit its mapping at all (missing columns, a delimiter that yields one column).
    public func rows(of text: String, program: Program) throws -> [Row] {
        switch self {
        case .delimited(let format):
            var reader = try OrderFileReader(format: format, currency: program.currency)
            return try reader.rows(in: text).map { row -> Row in
                switch row {
                case .failure(let problem): return (problem.line, .failure(problem))
                case .success(let row):
                    do {
                        return (row.line, .success(try Self.events(for: row, in: program)))
                    } catch let error as PatronError {
                        return (row.line, .failure(RowProblem(line: row.line, message: error.message)))
                    } catch {
                        return (row.line, .failure(RowProblem(line: row.line, message: "\(error)")))
                    }
                }
            }
        case .jsonLines:
            var rows: [Row] = []
            for (index, text) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            where !text.allSatisfy(\.isWhitespace) {
                do {
                    rows.append((index + 1, .success([try OrderEventJSON.decode(Data(text.utf8))])))
                } catch let error as PatronError {
                    rows.append((index + 1, .failure(RowProblem(line: index + 1, message: error.message))))
                } catch {
                    rows.append((index + 1, .failure(RowProblem(line: index + 1, message: "not an order event: \(error)"))))
                }
            }
            return rows
        }
    }

    /// A file row as the events of a delivered order: placed and completed at the start of its day.
    static func events(for row: OrderRow, in program: Program) throws -> [OrderEvent] {
        let at = program.calendar.startOfDay(row.date)
        let order = Order(
            id: row.orderId, member: try Identity.customer(row.customer), lines: [OrderLine(id: "1", sku: "order", quantity: 1, unitPrice: row.amount)])
        return [.placed(order, at: at), .completed(row.orderId, at: at)]
    }
}
