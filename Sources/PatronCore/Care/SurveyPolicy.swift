import Foundation

/// The program's satisfaction surveys (`care: surveys:` in the program file): which completed orders get an NPS
/// invitation, and how often a member may be asked.
///
/// ```yaml
/// care:
///   surveys:
///     samplePercent: 20     # share of completed orders sampled, 0–100
///     oncePerDays: 90       # a member is invited at most once in this many days
///     withinDays: 14        # only orders completed this many days before the job runs are considered
/// ```
public struct SurveyPolicy: Sendable, Hashable, Codable {
    /// The share of completed orders that get an invitation, in percent (0–100).
    public var samplePercent: Int
    /// A member is invited at most once within this many days.
    public var oncePerDays: Int
    /// Orders completed longer ago than this when the invitation job runs are not surveyed.
    public var withinDays: Int

    /// A policy; the defaults survey one order in five, a member at most once a quarter, orders of the last two weeks.
    public init(samplePercent: Int = 20, oncePerDays: Int = 90, withinDays: Int = 14) {
        self.samplePercent = samplePercent
        self.oncePerDays = oncePerDays
        self.withinDays = withinDays
    }

    /// The keys `care.surveys` may have.
    public static let keys: Set<String> = ["samplePercent", "oncePerDays", "withinDays"]

    /// Reads `care.surveys` (or whatever `path` names), reporting every problem with its path.
    public static func read(_ node: ConfigNode, at path: String, _ reader: ConfigReader) -> SurveyPolicy? {
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        let defaults = SurveyPolicy()
        let percent = reader.integer(map, "samplePercent", at: path, in: 0...100, default: defaults.samplePercent)
        let once = reader.integer(map, "oncePerDays", at: path, in: 0...3_650, default: defaults.oncePerDays)
        let within = reader.integer(map, "withinDays", at: path, in: 1...365, default: defaults.withinDays)
        guard let percent, let once, let within else { return nil }
        return SurveyPolicy(samplePercent: percent, oncePerDays: once, withinDays: within)
    }

    /// Whether the order is in the sample: a deterministic hash of the order id, so every machine and every run (and a
    /// test) picks the same orders. `SurveySampling.bucket` is below `samplePercent × 100`.
    public func samples(order id: String) -> Bool {
        SurveySampling.bucket(order: id) < samplePercent * 100
    }
}

/// The survey sample's hash: FNV-1a of the order id with a SplitMix64 finaliser, as 0–9,999.
public enum SurveySampling {
    /// The order's bucket from 0 to 9,999; an order is sampled when its bucket is below the rate in basis points.
    public static func bucket(order id: String) -> Int {
        var fingerprint = Fingerprint()
        fingerprint.mix("survey.nps")
        fingerprint.mix(id)
        var z = fingerprint.value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % 10_000)
    }
}
