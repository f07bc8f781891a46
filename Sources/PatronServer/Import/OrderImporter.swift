import Foundation
import PatronCore
import PatronStore

/// Imports an orders file into the store in batches: CSV (with a column mapping) or JSON Lines of order events.
/// A CSV row becomes a `placed` and a `completed` event on its date, so historical orders earn as the program says.
/// Re-importing a file is harmless: event ids are derived from the rows, and replays change nothing.
public struct OrderImporter: Sendable {
    /// What an import did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Rows (or lines) read, header excluded.
        public var rows = 0
        /// Orders written.
        public var imported = 0
        /// Rows already imported earlier (replays).
        public var alreadyPresent = 0
        /// Members enrolled on the fly.
        public var enrolled = 0
        /// Rows refused, with their line numbers.
        public var problems: [String] = []
        /// Whether `--strict` stopped the import at the first problem.
        public var stoppedEarly = false
    }

    /// The file's shape.
    public enum Source: Sendable {
        /// Delimited text with a column mapping.
        case delimited(OrderFileFormat)
        /// One `OrderEvent` JSON object per line.
        case jsonLines
    }

    private let store: any Store
    private let batchSize: Int

    /// Makes an importer.
    public init(store: any Store, batchSize: Int = 2_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Imports `text`. With `strict`, every row is read and checked first and nothing is written if any row is bad
    /// (rows the store refuses later, such as an unknown order in JSON Lines, are still reported row by row). `progress` is
    /// called after each committed batch with the number of rows read up to that batch; those rows are durable.
    public func run(
        _ text: String, source: Source, strict: Bool, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        guard let version = try await store.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded; load one with `patron program load FILE` or pass --program")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var summary = Summary()
        if strict {
            var rows = try RowParser(source: source, program: version.program)
            for (index, line) in lines.enumerated() {
                switch rows.parse(line, line: index + 1) {
                case .failure(let problem)?:
                    summary.rows += 1
                    summary.problems.append(problem.description)
                case .success(let events)?:
                    for event in events {
                        do { try event.validate() } catch let error as PatronError {
                            summary.rows += 1
                            summary.problems.append("line \(index + 1): \(error.message)")
                        }
                    }
                case nil: break
                }
            }
            if !summary.problems.isEmpty {
                summary.stoppedEarly = true
                return summary
            }
            summary.rows = 0
        }

        // Parsing the next batch overlaps with writing the previous one.
        var rows = try RowParser(source: source, program: version.program)
        var batch: [(line: Int, event: OrderEvent)] = []
        var inFlight: (task: Task<[Result<OrderOutcome, PatronError>], Never>, batch: [(line: Int, event: OrderEvent)], rows: Int)?
        let store = self.store

        func settle() async throws {
            guard let (task, batch, rowsRead) = inFlight else { return }
            inFlight = nil
            for ((line, event), result) in zip(batch, await task.value) {
                switch result {
                case .success(let outcome):
                    if outcome.enrolled { summary.enrolled += 1 }
                    if event.kind == .placed || source.isJSON { outcome.replayed ? (summary.alreadyPresent += 1) : (summary.imported += 1) }
                case .failure(let error):
                    if error.code == .storage { throw error }
                    summary.problems.append("line \(line): \(error.message)")
                }
            }
            progress(rowsRead)
        }

        func send() async throws {
            try await settle()
            guard !batch.isEmpty else { return }
            let events = batch.map(\.event)
            inFlight = (Task { await store.apply(events, options: ApplyOptions(enrollUnknownMembers: true)) }, batch, summary.rows)
            batch.removeAll(keepingCapacity: true)
        }

        for (index, line) in lines.enumerated() {
            switch rows.parse(line, line: index + 1) {
            case nil: continue
            case .failure(let problem)?:
                summary.rows += 1
                summary.problems.append(problem.description)
            case .success(let events)?:
                summary.rows += 1
                batch += events.map { (index + 1, $0) }
                if batch.count >= batchSize { try await send() }
            }
        }
        try await send()
        try await settle()
        return summary
    }

    /// A file row as the events of a delivered order: placed and completed at the start of its day.
    static func events(for row: OrderRow, in program: Program) throws -> [OrderEvent] {
        let at = program.calendar.startOfDay(row.date)
        let order = Order(
            id: row.orderId, member: try Identity.customer(row.customer), lines: [OrderLine(id: "1", sku: "order", quantity: 1, unitPrice: row.amount)])
        return [.placed(order, at: at), .completed(row.orderId, at: at)]
    }

}

/// Turns the lines of an orders file into order events, or a problem naming the line.
private struct RowParser {
    private var reader: OrderFileReader?
    private let program: Program
    private let decoder = JSONDecoder()

    init(source: OrderImporter.Source, program: Program) throws {
        self.program = program
        decoder.dateDecodingStrategy = .iso8601
        if case .delimited(let format) = source { reader = try OrderFileReader(format: format, currency: program.currency) }
    }

    /// The events of one line; `nil` for a header or blank line.
    mutating func parse(_ text: Substring, line: Int) -> Result<[OrderEvent], RowProblem>? {
        guard var current = reader else {
            if text.allSatisfy(\.isWhitespace) { return nil }
            do {
                return .success([try decoder.decode(OrderEvent.self, from: Data(text.utf8))])
            } catch {
                return .failure(RowProblem(line: line, message: "not an order event: \(Self.describe(error))"))
            }
        }
        defer { reader = current }
        switch current.read(text, line: line) {
        case nil: return nil
        case .failure(let problem)?: return .failure(problem)
        case .success(let row)?:
            do {
                return .success(try OrderImporter.events(for: row, in: program))
            } catch {
                return .failure(RowProblem(line: line, message: "\(error)"))
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

extension OrderImporter.Source {
    fileprivate var isJSON: Bool { if case .jsonLines = self { true } else { false } }
}
