import Foundation
import PatronCore
import PatronStore

/// The part of marketing campaigns that runs by itself (`patron serve`'s scheduler and `patron jobs run`): starts a
/// scheduled campaign when its window opens, finishes a running (or paused) one when its window closes, and assigns
/// the members who entered a running campaign's segment since its last pass, running their entry actions. Every step is
/// audited with the actor `job:campaigns`.
///
/// Safe to run twice and from two processes on one database: a lifecycle step that another process took first is
/// refused by the store (`invalidTransition`) and skipped here, and assignment locks the campaign's row (PostgreSQL) or
/// the single writer (SQLite) and skips members already in a group, so an entry grant is given once.
public struct CampaignJob: Sendable {
    /// The actor the audit log names for the job's steps.
    public static let actor = "job:campaigns"

    /// What one pass did.
    public struct Report: Sendable, Hashable, Codable {
        /// Campaigns started because their window opened.
        public var started: [String] = []
        /// Campaigns finished because their window closed.
        public var finished: [String] = []
        /// What assigning new segment members did, over every running campaign (starts included).
        public var assigned = CampaignAssignment()

        /// An empty report.
        public init() {}
    }

    let context: ServiceContext
    let pageSize: Int

    /// A job over the context's store and clock; members are assigned in pages of `pageSize`.
    public init(context: ServiceContext, pageSize: Int = 500) {
        self.context = context
        self.pageSize = pageSize
    }

    /// One pass as of the context's clock.
    public func run() async throws -> Report {
        var report = Report()
        guard let program = try await context.store.currentProgram()?.program else { return report }
        let calendar = program.calendar
        let now = context.clock.now()
        let service = CampaignService(context: context)
        for record in try await context.store.campaigns() {
            let name = record.campaign.name
            let opens = calendar.startOfDay(record.campaign.starts)
            let closes = calendar.startOfDay(record.campaign.ends.adding(days: 1))
            var status = record.status
            if status == .scheduled, now >= opens, now < closes {
                if let change = try await step(service, name, .start) {
                    report.started.append(name)
                    if let assignment = change.assignment { report.assigned.add(assignment) }
                    status = change.campaign.status
                }
            }
            if status == .running || status == .paused, now >= closes {
                if try await step(service, name, .finish) != nil { report.finished.append(name) }
                continue
            }
            if status == .running { report.assigned.add(try await assignNewMembers(name, service: service)) }
        }
        return report
    }

    /// Takes a lifecycle step as the job; `nil` when another process (or a person) moved the campaign first.
    private func step(_ service: CampaignService, _ name: String, _ transition: CampaignTransition) async throws -> CampaignChange? {
        do {
            return try await service.transition(name, transition, actor: Self.actor)
        } catch let error as PatronError where error.code == .invalidTransition {
            return nil
        }
    }

    /// Assigns the segment's members who are in no group of the campaign yet (`campaign.assign`, audited when any was).
    private func assignNewMembers(_ name: String, service: CampaignService) async throws -> CampaignAssignment {
        var total = CampaignAssignment()
        var after: Int64 = 0
        do {
            while true {
                let page = try await context.store.unassignedCampaignMembers(named: name, after: after, limit: pageSize)
                guard let last = page.last else { break }
                after = last
                total.add(try await context.store.assignCampaignMembers(named: name, members: page, at: context.clock.now()))
            }
        } catch let error as PatronError where error.code == .invalidTransition {
            // Paused or finished by someone else mid-pass: what was assigned stays, the rest waits for a resume.
        }
        if total.treated + total.control > 0 {
            try await AuditTrail(store: context.store).record(
                "campaign.assign", subject: "campaign:\(name)", actor: Self.actor, before: nil, after: total, at: context.clock.now())
        }
        return total
    }
}
