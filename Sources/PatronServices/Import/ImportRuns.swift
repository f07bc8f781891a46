import Foundation
import PatronCore
import PatronStore

/// Order imports started from a page: each runs in the background while the page polls its progress. The runs live in
/// this process's memory (a server restart forgets the progress, not the orders: every committed batch is durable and
/// re-importing the file replays nothing twice); a finished run is also recorded in the audit trail (`orders.import`,
/// the summary after), so its result outlives the process.
public actor ImportRuns {
    /// Where a run is.
    public struct Status: Sendable, Hashable {
        /// The run's id.
        public var id: String
        /// The file name as uploaded.
        public var fileName: String
        /// Who started it.
        public var actor: String
        /// When it started.
        public var startedAt: Date
        /// Data rows in the file, once read (0 before).
        public var rows: Int
        /// Rows written so far (durable).
        public var rowsDone: Int
        /// The summary, once finished.
        public var summary: OrderImporter.Summary?
        /// Why the whole file was refused, if it was.
        public var failure: String?
        /// Whether the run has ended, well or not.
        public var finished: Bool { summary != nil || failure != nil }
        /// Percent of rows done, 0 to 100.
        public var percent: Int {
            if finished { return 100 }
            return rows == 0 ? 0 : min(100, rowsDone * 100 / rows)
        }
    }

    private var runs: [String: Status] = [:]
    private var order: [String] = []
    private let keep: Int

    /// A registry keeping the last `keep` runs.
    public init(keep: Int = 50) { self.keep = keep }

    /// Starts importing `text` in the background and returns the run's id at once.
    public func start(
        _ text: String, fileName: String, source: OrderImporter.Source, context: ServiceContext, actor: String, batchSize: Int = 2_000
    ) -> String {
        let id = UUID().uuidString.lowercased()
        let rows = text.split(whereSeparator: \.isNewline).count
        runs[id] = Status(id: id, fileName: fileName, actor: actor, startedAt: context.clock.now(), rows: rows, rowsDone: 0)
        order.append(id)
        if order.count > keep { runs[order.removeFirst()] = nil }
        Task { await self.perform(id: id, text: text, source: source, context: context, actor: actor, batchSize: batchSize) }
        return id
    }

    /// A run by id; `nil` when unknown (or forgotten).
    public func status(_ id: String) -> Status? { runs[id] }

    /// The runs, newest first.
    public func all() -> [Status] { order.reversed().compactMap { runs[$0] } }

    /// Waits until run `id` has finished (for tests and scripts); returns its last status.
    public func wait(_ id: String) async -> Status? {
        while let status = runs[id], !status.finished { try? await Task.sleep(for: .milliseconds(20)) }
        return runs[id]
    }

    private func progress(_ id: String, rowsDone: Int) { runs[id]?.rowsDone = rowsDone }

    private func perform(id: String, text: String, source: OrderImporter.Source, context: ServiceContext, actor: String, batchSize: Int) async {
        do {
            let summary = try await OrderImporter(store: context.store, batchSize: batchSize).run(text, source: source, strict: false) { done in
                Task { await self.progress(id, rowsDone: done) }
            }
            runs[id]?.rows = summary.rows
            runs[id]?.rowsDone = summary.rows
            runs[id]?.summary = summary
            try await AuditTrail(store: context.store).record(
                "orders.import", subject: "import:\(id)", actor: actor, before: nil, after: summary, reason: runs[id]?.fileName,
                at: context.clock.now())
        } catch let error as PatronError {
            runs[id]?.failure = error.description
        } catch {
            runs[id]?.failure = "\(error)"
        }
    }
}
