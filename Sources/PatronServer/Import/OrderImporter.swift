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

    /// Imports `text`. `strict` stops at the first bad row, before writing its batch. `progress` is called after each
    /// committed batch with the number of rows read so far; rows up to that count are durable.
    public func run(
        _ text: String, source: Source, strict: Bool, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        guard let version = try await store.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded; load one with `patron program load FILE` or pass --program")
        }
        let program = version.program
        var summary = Summary()
        var batch: [(line: Int, event: OrderEvent)] = []
        var reader: OrderFileReader?
        if case .delimited(let format) = source { reader = try OrderFileReader(format: format, currency: program.currency) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601

        func flush() async throws {
            guard !batch.isEmpty else { return }
            let results = await store.apply(batch.map(\.event), options: ApplyOptions(enrollUnknownMembers: true))
            for ((line, event), result) in zip(batch, results) {
                switch result {
                case .success(let outcome):
                    if outcome.enrolled { summary.enrolled += 1 }
                    if event.kind == .placed || source.isJSON { outcome.replayed ? (summary.alreadyPresent += 1) : (summary.imported += 1) }
                case .failure(let error):
                    if error.code == .storage { throw error }
                    summary.problems.append("line \(line): \(error.message)")
                }
            }
            batch.removeAll(keepingCapacity: true)
            progress(summary.rows)
        }

        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let events: [OrderEvent]
            if var current = reader {
                guard let read = current.read(line, line: lineNumber) else {
                    reader = current
                    continue
                }
                reader = current
                do {
                    events = try Self.events(for: read.get(), in: program)
                } catch {
                    summary.rows += 1
                    summary.problems.append((error as? RowProblem)?.description ?? "line \(lineNumber): \(error)")
                    if strict { summary.stoppedEarly = true; return summary }
                    continue
                }
            } else {
                if line.allSatisfy(\.isWhitespace) { continue }
                do {
                    events = [try decoder.decode(OrderEvent.self, from: Data(line.utf8))]
                } catch {
                    summary.rows += 1
                    summary.problems.append("line \(lineNumber): not an order event: \(Self.describe(error))")
                    if strict { summary.stoppedEarly = true; return summary }
                    continue
                }
            }
            summary.rows += 1
            batch += events.map { (lineNumber, $0) }
            if batch.count >= batchSize { try await flush() }
            if strict, !summary.problems.isEmpty { summary.stoppedEarly = true; return summary }
        }
        try await flush()
        return summary
    }

    /// A file row as the events of a delivered order: placed and completed at the start of its day.
    static func events(for row: OrderRow, in program: Program) throws -> [OrderEvent] {
        let at = program.calendar.startOfDay(row.date)
        let order = Order(
            id: row.orderId, member: try Identity.customer(row.customer), lines: [OrderLine(id: "1", sku: "order", quantity: 1, unitPrice: row.amount)])
        return [.placed(order, at: at), .completed(row.orderId, at: at)]
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
