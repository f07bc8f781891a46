import Foundation
import PatronCore
import PatronStore

/// Background jobs run by hand: each run is recorded in the audit trail (`job.run`, subject `job:NAME`, the report
/// after), which is where the list of last runs comes from. The scheduler's own minute-by-minute runs are not recorded
/// (they would flood the trail); they only log.
public struct JobRuns: Sendable {
    /// One recorded run.
    public struct Run: Sendable, Hashable {
        /// The job.
        public var job: BackgroundJob
        /// When it ran.
        public var at: Date
        /// Who ran it.
        public var actor: String
        /// What it did; `nil` when the record cannot be read back.
        public var report: JobReport?
    }

    let context: ServiceContext

    /// The use case over `context`.
    public init(context: ServiceContext) { self.context = context }

    /// Runs `job` now, as `actor`, and records the run.
    public func run(_ job: BackgroundJob, actor: String) async throws -> JobReport {
        let now = context.clock.now()
        _ = try await context.currentProgram()
        let report = try await job.run(on: context.store, at: now)
        try await AuditTrail(store: context.store).record("job.run", subject: Self.subject(job), actor: actor, before: nil, after: report, at: now)
        return report
    }

    /// The last `limit` recorded runs of `job`, newest first.
    public func recent(_ job: BackgroundJob, limit: Int = 5) async throws -> [Run] {
        var records: [AuditRecord] = []
        var after: Int64 = 0
        while true {
            let page = try await context.store.auditLog(after: after, limit: 500, subject: Self.subject(job))
            records += page
            records = Array(records.suffix(limit))
            guard page.count == 500, let last = page.last else { break }
            after = last.id
        }
        return records.reversed().map { record in
            Run(job: job, at: record.at, actor: record.actor,
                report: record.after.flatMap { try? JSONDecoder().decode(JobReport.self, from: Data($0.utf8)) })
        }
    }

    static func subject(_ job: BackgroundJob) -> String { "job:\(job.rawValue)" }
}
