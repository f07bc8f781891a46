import Foundation
import PatronCore
import PatronStore

/// One of the background jobs `patron serve` runs on its own, which staff may also run at once. Each is idempotent:
/// running it again, or while the scheduler runs it, changes nothing twice.
public enum BackgroundJob: String, Sendable, Hashable, CaseIterable, Codable {
    /// Completed orders whose pending period has ended become active points.
    case activation
    /// Lots at or past their expiry date expire.
    case expiry
    /// Members whose level validity has ended are re-evaluated.
    case levelReview
    /// Birthday gifts for members in their birthday month.
    case birthdayGifts
    /// The coupons levels grant every month.
    case monthlyCoupons
    /// `points.expiring` notices for lots expiring within `expiringNoticeDays`.
    case expiringNotices
    /// The messages of the program's time-based triggers: points expiring, birthdays, anniversaries, thank-yous,
    /// inactivity (win-back) steps.
    case messageJourneys
    /// Idempotency records kept past the program's window (`idempotency.retentionDays`) are deleted.
    case idempotencyPurge

    /// How many days ahead `expiringNotices` looks, as `patron serve` does by default.
    public static let expiringNoticeDays = 7

    /// Runs the job as of `instant`.
    public func run(on store: any Store, at instant: Date) async throws -> JobReport {
        switch self {
        case .activation: try await store.runActivation(asOf: instant)
        case .expiry: try await store.runExpiry(asOf: instant)
        case .levelReview: try await store.runLevelReview(asOf: instant)
        case .birthdayGifts: try await store.runBirthdayGifts(asOf: instant)
        case .monthlyCoupons: try await store.runMonthlyCoupons(asOf: instant)
        case .expiringNotices: try await store.runExpiringSoon(asOf: instant, days: Self.expiringNoticeDays)
        case .messageJourneys: try await store.runMessageJourneys(asOf: instant)
        case .idempotencyPurge: try await store.runIdempotencyPurge(asOf: instant)
        }
    }
}
