import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// Computes and keeps the overview's model-based parts. The server's daily job and `patron overview snapshot` call
/// `take`; the console reads `latest`.
public enum OverviewSnapshots {
    /// Every order that analytics counts, as `patron analyze` reads them: one purchase per order, on its local day.
    public static func purchases(_ context: ServiceContext, program: Program) async throws -> [(member: Int64, purchase: Purchase)] {
        try await context.store.purchases().map {
            ($0.memberId, Purchase(customer: String($0.memberId), day: program.calendar.localDate(of: $0.placedAt).dayNumber, amount: $0.amount))
        }
    }

    /// Computes a snapshot as of now from every order, stores it and returns it.
    @discardableResult
    public static func take(_ context: ServiceContext) async throws -> OverviewSnapshot {
        let program = try await context.currentProgram().program
        let now = context.clock.now()
        let today = program.calendar.localDate(of: now).dayNumber
        let rows = try await purchases(context, program: program)
        let purchases = rows.map(\.purchase)

        let recent = Set(purchases.lazy.filter { (today - 89...today).contains($0.day) }.map(\.customer))
        var snapshot = OverviewSnapshot(
            takenAt: now, asOfDay: today, customers: Set(purchases.map(\.customer)).count, activeIn90Days: recent.count,
            repeatPurchaseRate: nil, rfmGrid: Array(repeating: Array(repeating: 0, count: 5), count: 5), rfmSegments: [], clvBuckets: [],
            clvMean: nil, clvWithheld: nil, retention: [], revenueByLevel: [:])
        guard !purchases.isEmpty else {
            snapshot.clvWithheld = "no orders yet"
            try await save(snapshot, context)
            return snapshot
        }
        snapshot.repeatPurchaseRate = try RepeatPurchaseStats.compute(purchases: purchases).repurchaseRate
        let rfm = try RFMAnalysis.run(purchases: purchases)
        for score in rfm.customers { snapshot.rfmGrid[score.r - 1][score.f - 1] += 1 }
        snapshot.rfmSegments = rfm.segments
        snapshot.retention = try MonthlyRetention.compute(purchases: purchases)
        do {
            let clv = try CLVAnalysis.run(
                purchases: purchases, options: CLVAnalysisOptions(minorUnitsPerMajor: program.currency.minorPerMajor, includeCustomers: true))
            let values = (clv.customerPredictions ?? []).compactMap(\.clv).filter(\.isFinite)
            if let withheld = clv.clv.withheld {
                snapshot.clvWithheld = withheld
            } else if values.isEmpty {
                snapshot.clvWithheld = "the model gave no lifetime values"
            } else {
                // Reports state CLV in major units; the snapshot keeps minor units, like every amount.
                let minor = values.map { $0 * Double(program.currency.minorPerMajor) }
                snapshot.clvBuckets = buckets(minor)
                snapshot.clvMean = minor.reduce(0, +) / Double(minor.count)
            }
        } catch let error as AnalyticsError {
            snapshot.clvWithheld = error.message
        }
        let levels = try await context.store.memberLevels(at: now)
        for row in rows where row.purchase.day > today - 365 && row.purchase.day <= today {
            snapshot.revenueByLevel[levels[row.member] ?? "", default: 0] += row.purchase.amount
        }
        try await save(snapshot, context)
        return snapshot
    }

    /// The newest snapshot, or `nil` before the first.
    public static func latest(_ context: ServiceContext) async throws -> OverviewSnapshot? {
        guard let record = try await context.store.latestOverviewSnapshot() else { return nil }
        return try decoder.decode(OverviewSnapshot.self, from: Data(record.body.utf8))
    }

    static func save(_ snapshot: OverviewSnapshot, _ context: ServiceContext) async throws {
        let body = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        try await context.store.saveOverviewSnapshot(OverviewSnapshotRecord(takenAt: snapshot.takenAt, body: body))
    }

    /// Eight ranges of equal, round width up to the 95th percentile, and one open range above.
    static func buckets(_ values: [Double]) -> [OverviewSnapshot.Bucket] {
        let sorted = values.sorted()
        let p95 = max(sorted[Int(Double(sorted.count - 1) * 0.95)], 1)
        let width = roundUp(p95 / 8)
        var buckets = (0..<8).map { OverviewSnapshot.Bucket(lower: Double($0) * width, upper: Double($0 + 1) * width, customers: 0) }
        buckets.append(OverviewSnapshot.Bucket(lower: 8 * width, upper: nil, customers: 0))
        for value in sorted { buckets[min(8, max(0, Int(value / width)))].customers += 1 }
        return buckets
    }

    /// The smallest of 1, 2 or 5 times a power of ten that is at least `value`.
    static func roundUp(_ value: Double) -> Double {
        let power = pow(10, (log10(value)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? 10 * power
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}
