import Foundation

/// Where a marketing campaign is in its life: draft → scheduled → running ⇄ paused → finished, or cancelled before it
/// finishes. Only a running campaign gives anything.
public enum CampaignStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being prepared; can be changed, scheduled, started or cancelled.
    case draft
    /// Approved to run: the campaigns job starts it when its window opens (or `start` by hand or over the API, earlier).
    case scheduled
    /// Members are assigned and treated members get the offer.
    case running
    /// Stopped for a while: orders earn nothing extra and no one new is assigned.
    case paused
    /// Over: the report is final once the attribution window has passed.
    case finished
    /// Stopped for good before it finished.
    case cancelled
}

/// A change of a campaign's status, as the command line and the API name it.
public enum CampaignTransition: String, Sendable, Hashable, Codable, CaseIterable {
    /// draft → scheduled.
    case schedule
    /// draft or scheduled → running.
    case start
    /// running → paused.
    case pause
    /// paused → running.
    case resume
    /// running or paused → finished.
    case finish
    /// draft, scheduled, running or paused → cancelled.
    case cancel

    /// The status the transition leads to from `status`; throws `invalidTransition` saying why when it cannot.
    public func apply(to status: CampaignStatus, campaign: String) throws -> CampaignStatus {
        let allowed: [CampaignStatus]
        let target: CampaignStatus
        switch self {
        case .schedule: (allowed, target) = ([.draft], .scheduled)
        case .start: (allowed, target) = ([.draft, .scheduled], .running)
        case .pause: (allowed, target) = ([.running], .paused)
        case .resume: (allowed, target) = ([.paused], .running)
        case .finish: (allowed, target) = ([.running, .paused], .finished)
        case .cancel: (allowed, target) = ([.draft, .scheduled, .running, .paused], .cancelled)
        }
        guard allowed.contains(status) else {
            let why: String
            switch status {
            case .finished: why = "it has finished"
            case .cancelled: why = "it was cancelled"
            default: why = "it is \(status.rawValue); \(rawValue) needs it \(allowed.map(\.rawValue).joined(separator: " or "))"
            }
            throw PatronError(.invalidTransition, "campaign \(campaign) cannot \(rawValue): \(why)")
        }
        return target
    }
}
