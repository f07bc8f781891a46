import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// What became of one win-back offer: whether the member ordered within the window after it, and what they spent.
public struct WinBackOutcome: Sendable, Hashable, Codable {
    /// The offer.
    public var offerId: Int64
    /// The member.
    public var memberId: Int64
    /// What was offered.
    public var offer: String
    /// The cause it addressed.
    public var cause: String
    /// The offer's day (`yyyy-MM-dd`, the shop's time zone).
    public var offeredOn: String
    /// Whether the window (offer day + `windowDays`) has ended by the report's day.
    public var windowEnded: Bool
    /// Whether the member ordered in the window (the day after the offer up to `windowDays` after it).
    public var cameBack: Bool
    /// Orders in the window.
    public var orders: Int
    /// Spend in the window, minor units.
    public var spend: Int64
    /// Days from the offer to the first order in the window.
    public var daysToReturn: Int?
}

/// Recovery of one group of offers (one cause or one offer).
public struct WinBackRecoveryRow: Sendable, Hashable, Codable {
    /// The cause or the offer.
    public var key: String
    /// Offers made.
    public var offers: Int
    /// Offers decided: the member came back, or the window ended without it.
    public var decided: Int
    /// Offers after which the member came back in the window.
    public var recovered: Int
    /// `recovered / decided`, `nil` while none is decided.
    public var rate: Double?
    /// What the recovered members spent in their windows, minor units.
    public var spend: Int64
}

/// The follow-up of win-back offers: each offer's outcome, and recovery rates per cause and per offer.
public struct WinBackRecovery: Sendable, Hashable, Codable {
    /// The window, days (90).
    public var windowDays: Int
    /// The report's day.
    public var asOf: String
    /// Every offer's outcome, oldest first.
    public var outcomes: [WinBackOutcome]
    /// All offers.
    public var overall: WinBackRecoveryRow
    /// Per cause.
    public var byCause: [WinBackRecoveryRow]
    /// Per offer.
    public var byOffer: [WinBackRecoveryRow]

    /// Follows each offer (its day in the shop's calendar) through `purchases` up to `asOfDay`: a member came back when
    /// they ordered on one of the `windowDays` days after the offer's day.
    public init(offers: [WinBackOffer], purchases: [Purchase], calendar: ShopCalendar, asOfDay: Int, windowDays: Int = 90) {
        var byCustomer: [String: [Purchase]] = [:]
        for p in purchases where p.day <= asOfDay { byCustomer[String(p.customer), default: []].append(p) }
        outcomes = offers.map { offer in
            let day = calendar.localDate(of: offer.offeredAt).dayNumber
            let inWindow = (byCustomer[String(offer.memberId)] ?? []).filter { $0.day > day && $0.day <= day + windowDays }
            let first = inWindow.map(\.day).min()
            return WinBackOutcome(
                offerId: offer.id, memberId: offer.memberId, offer: offer.offer, cause: offer.cause, offeredOn: LocalDate(dayNumber: day).description,
                windowEnded: day + windowDays <= asOfDay, cameBack: !inWindow.isEmpty, orders: inWindow.count,
                spend: inWindow.reduce(0) { $0 + $1.amount }, daysToReturn: first.map { $0 - day })
        }
        self.windowDays = windowDays
        asOf = LocalDate(dayNumber: asOfDay).description
        overall = Self.row("all", outcomes)
        byCause = Dictionary(grouping: outcomes, by: \.cause).sorted { $0.key < $1.key }.map { Self.row($0.key, $0.value) }
        byOffer = Dictionary(grouping: outcomes, by: \.offer).sorted { $0.key < $1.key }.map { Self.row($0.key, $0.value) }
    }

    static func row(_ key: String, _ outcomes: [WinBackOutcome]) -> WinBackRecoveryRow {
        let decided = outcomes.filter { $0.cameBack || $0.windowEnded }
        let recovered = outcomes.filter(\.cameBack)
        return WinBackRecoveryRow(
            key: key, offers: outcomes.count, decided: decided.count, recovered: recovered.count,
            rate: decided.isEmpty ? nil : Double(recovered.count) / Double(decided.count), spend: recovered.reduce(0) { $0 + $1.spend })
    }
}
