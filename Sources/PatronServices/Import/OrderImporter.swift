import Foundation
import PatronCore
import PatronStore

/// Imports an orders file into the store in batches: CSV (with a column mapping) or JSON Lines of order events.
/// A CSV row becomes a `placed` and a `completed` event on its date, so historical orders earn as the program says.
/// Re-importing a file is harmless: the events go in as history (`ApplyOptions.history`), which writes no idempotency
/// records and knows an event applied before by its order (a row's order id is derived from the row).
public struct OrderImporter: Sendable {
    /// What an import did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Rows (or lines) read, header and blank lines excluded.
        public var rows = 0
        /// Orders written.
        public var imported = 0
        /// Rows already imported earlier (replays).
        public var alreadyPresent = 0
        /// Members this import enrolled (a replay enrolls no one).
        public var enrolled = 0
        /// Rows refused, each once, with its line number and its first problem.
        public var problems: [String] = []
        /// Whether `--strict` stopped the import at the first problem.
        public var stoppedEarly = false

        /// Whether rows were read and every one was refused: the file, not a row, is wrong.
        public var everyRowRefused: Bool { rows > 0 && imported == 0 && alreadyPresent == 0 && !problems.isEmpty }
    }

    /// The file's shape.
    public typealias Source = OrderFileSource

    private let store: any Store
    private let batchSize: Int

    /// Makes an importer.
    public init(store: any Store, batchSize: Int = 2_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Imports `text`. A delimited file that does not fit its mapping (missing columns, a delimiter that yields one
    /// column) is refused with `invalidInput` before anything is written. With `strict`, every row is read and checked
    /// first and nothing is written if any row is bad (rows the store refuses later, such as an unknown order in JSON
    /// Lines, are still reported row by row). `progress` is called after each committed batch with the number of rows
    /// read up to that batch; those rows are durable.
    public func run(
        _ text: String, source: Source, strict: Bool, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        guard let version = try await store.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded; load one with `patron program load FILE` or pass --program")
        }
        let rows = try source.rows(of: text, program: version.program)
        var summary = Summary()
        summary.rows = rows.count
        // Each refused row is listed once, with its first problem: a CSV row is two events, and an order that could
        // not be placed cannot be completed either.
        var refused = Set<Int>()
        func refuse(_ line: Int, _ message: String) {
            if refused.insert(line).inserted { summary.problems.append(RowProblem(line: line, message: message).description) }
        }
        if strict {
            for (line, result) in rows {
                switch result {
                case .failure(let problem): refuse(line, problem.message)
                case .success(let events):
                    for event in events {
                        do { try event.validate() } catch let error as PatronError { refuse(line, error.message) }
                    }
                }
            }
            if !summary.problems.isEmpty {
                summary.stoppedEarly = true
                return summary
            }
        }

        // Reading the next batch overlaps with writing the previous one.
        var batch: [(line: Int, event: OrderEvent)] = []
        var inFlight: (task: Task<[Result<OrderOutcome, PatronError>], Never>, batch: [(line: Int, event: OrderEvent)], rows: Int)?
        let store = self.store

        func settle() async throws {
            guard let (task, batch, rowsRead) = inFlight else { return }
            inFlight = nil
            for ((line, event), result) in zip(batch, await task.value) {
                switch result {
                case .success(let outcome):
                    // A replay answers the first outcome again, enrolled flag and all: it enrolled no one now.
                    if outcome.enrolled, !outcome.replayed { summary.enrolled += 1 }
                    if event.kind == .placed || source.isJSON { outcome.replayed ? (summary.alreadyPresent += 1) : (summary.imported += 1) }
                case .failure(let error):
                    if error.code == .storage { throw error }
                    refuse(line, error.message)
                }
            }
            progress(rowsRead)
        }

        func send(rowsRead: Int) async throws {
            try await settle()
            guard !batch.isEmpty else { return }
            let events = batch.map(\.event)
            // History: older than any idempotency window, and told apart from what is in the store by its orders.
            inFlight = (Task { await store.apply(events, options: ApplyOptions(enrollUnknownMembers: true, history: true)) }, batch, rowsRead)
            batch.removeAll(keepingCapacity: true)
        }

        for (index, (line, result)) in rows.enumerated() {
            switch result {
            case .failure(let problem): refuse(line, problem.message)
            case .success(let events):
                batch += events.map { (line, $0) }
                if batch.count >= batchSize { try await send(rowsRead: index + 1) }
            }
        }
        try await send(rowsRead: rows.count)
        try await settle()
        return summary
    }
}
