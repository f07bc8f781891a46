/// Level calibration (会员等级校准): how a membership's levels sit on today's members, and where they should sit.
///
/// A member's level is the highest level whose threshold is ≤ the member's qualifying value (thresholds are
/// inclusive lower bounds, as in the textbook's "399 ≤ spend < 688"). Level 0's threshold is the entry condition;
/// members below it belong to no level and are left out of every share. Quantiles are nearest-rank from the top:
/// the boundary of a top share S among n qualifying members is the value of the ⌈n · S⌉-th highest member, so at
/// least that share of members has a value ≥ the boundary (more when members tie on it). The rules are in
/// docs/analytics.md.
public enum LevelCalibration {
    /// View a: members and share per level with the thresholds fixed.
    /// - Parameters:
    ///   - values: each member's qualifying value (never negative).
    ///   - thresholds: one per level, strictly ascending; `thresholds[0]` is the entry condition.
    /// - Returns: members per level and the number below the entry threshold.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `invalid_option`, `insufficient_data`.
    public static func shares(values: [Int64], thresholds: [Int64]) throws -> (members: [Int], belowEntry: Int) {
        try validate(thresholds: thresholds)
        let ranked = try Ranked(values, entry: thresholds[0])
        return (ranked.levelCounts(thresholds), values.count - ranked.count)
    }

    /// View b: with the shares fixed, the value at each share boundary.
    /// - Parameters:
    ///   - values: each member's qualifying value.
    ///   - entry: the entry threshold; members below it are left out.
    ///   - shares: the share of each level, lowest level first, each in 0…1, summing to 1.
    /// - Returns: per level, the lowest value among the top ⌈n · (share of this level and above)⌉ members; nil
    ///   when that number is 0. Level 0's boundary is the lowest qualifying value.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `invalid_option`, `insufficient_data`.
    public static func boundaries(values: [Int64], entry: Int64, shares: [Double]) throws -> [Int64?] {
        try validate(shares: shares)
        let ranked = try Ranked(values, entry: entry)
        return ranked.targetCounts(shares).map { $0 > 0 ? ranked.descending[$0 - 1] : nil }
    }

    /// View c: thresholds that come closest to target shares.
    ///
    /// For level k ≥ 1 with boundary value b (view b), the candidates are the multiples of `roundingUnit` just at
    /// or below b and just above it; the one whose count of members at level ≥ k is closer to the target count wins
    /// (the lower one on a tie). Each threshold is then raised, if needed, to the first multiple of the unit above
    /// the previous level's threshold, so the thresholds stay strictly ascending. A level whose target count is 0
    /// gets the first multiple of the unit above the highest value. Level 0 keeps `entry`.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `invalid_option`, `insufficient_data`.
    public static func thresholds(values: [Int64], entry: Int64, shares: [Double], roundingUnit: Int64 = 1) throws
        -> [Int64] {
        try validate(shares: shares)
        guard roundingUnit >= 1 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption, message: "roundingUnit must be at least 1",
                                 context: ["roundingUnit": String(roundingUnit)])
        }
        let ranked = try Ranked(values, entry: entry)
        return ranked.suggestedThresholds(shares, entry: entry, unit: roundingUnit)
    }

    /// All three views at once.
    /// - Parameters:
    ///   - values: each member's qualifying value.
    ///   - thresholds: today's thresholds, strictly ascending, `thresholds[0]` the entry condition.
    ///   - targetShares: the intended split, one share per level (e.g. `[0.80, 0.15, 0.04, 0.01]`), summing to 1.
    ///   - roundingUnit: suggested thresholds are multiples of this (e.g. 100 for whole yuan in fen).
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `invalid_option` (thresholds not ascending,
    ///   shares not summing to 100 %, counts differing), `insufficient_data` (no member reaches the entry threshold).
    public static func calibrate(values: [Int64], thresholds: [Int64], targetShares: [Double],
                                 roundingUnit: Int64 = 1) throws -> LevelCalibrationReport {
        try validate(thresholds: thresholds)
        guard targetShares.count == thresholds.count else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "\(targetShares.count) target shares for \(thresholds.count) levels",
                                 context: ["shares": String(targetShares.count), "levels": String(thresholds.count)])
        }
        let suggested = try self.thresholds(values: values, entry: thresholds[0], shares: targetShares,
                                            roundingUnit: roundingUnit)
        let ranked = try Ranked(values, entry: thresholds[0])
        let counts = ranked.levelCounts(thresholds)
        let suggestedCounts = ranked.levelCounts(suggested)
        let bounds = ranked.targetCounts(targetShares).map { $0 > 0 ? ranked.descending[$0 - 1] : nil }
        let n = Double(ranked.count)
        let levels = thresholds.indices.map { k in
            LevelCalibrationReport.Level(
                level: k, threshold: thresholds[k], members: counts[k], share: Double(counts[k]) / n,
                targetShare: targetShares[k], boundaryValue: bounds[k], suggestedThreshold: suggested[k],
                suggestedMembers: suggestedCounts[k], suggestedShare: Double(suggestedCounts[k]) / n)
        }
        return LevelCalibrationReport(members: ranked.count, belowEntry: values.count - ranked.count,
                                      roundingUnit: roundingUnit, levels: levels)
    }

    static func validate(thresholds: [Int64]) throws {
        guard !thresholds.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.invalidOption, message: "at least one level threshold is needed")
        }
        guard thresholds[0] >= 0 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "the entry threshold \(thresholds[0]) is negative")
        }
        for k in 1..<thresholds.count where thresholds[k] <= thresholds[k - 1] {
            throw AnalyticsError(
                code: AnalyticsError.invalidOption,
                message: "thresholds must be strictly ascending: level \(k) has \(thresholds[k]) after \(thresholds[k - 1])",
                context: ["level": String(k), "threshold": String(thresholds[k])])
        }
    }

    static func validate(shares: [Double]) throws {
        guard !shares.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.invalidOption, message: "at least one level share is needed")
        }
        for (k, s) in shares.enumerated() where !(s.isFinite && s >= 0 && s <= 1) {
            throw AnalyticsError(code: AnalyticsError.invalidOption, message: "share \(s) of level \(k) is outside 0…1",
                                 context: ["level": String(k), "share": String(s)])
        }
        let sum = shares.reduce(0, +)
        guard abs(sum - 1) <= 1e-6 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "level shares must sum to 100 %, they sum to \(sum * 100) %",
                                 context: ["sum": String(sum)])
        }
    }
}

/// Qualifying values sorted from highest to lowest, with counting by binary search.
struct Ranked {
    /// Values ≥ the entry threshold, highest first.
    var descending: [Int64]
    var count: Int { descending.count }

    init(_ values: [Int64], entry: Int64) throws {
        guard !values.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no member values to calibrate")
        }
        if let bad = values.firstIndex(where: { $0 < 0 }) {
            throw AnalyticsError(code: AnalyticsError.negativeAmount,
                                 message: "member value \(values[bad]) at position \(bad) is negative",
                                 context: ["index": String(bad), "value": String(values[bad])])
        }
        descending = values.filter { $0 >= entry }.sorted(by: >)
        guard !descending.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.insufficientData,
                                 message: "no member reaches the entry threshold \(entry)",
                                 context: ["entry": String(entry)])
        }
    }

    /// Members with value ≥ v.
    func countAtLeast(_ v: Int64) -> Int {
        var lo = 0, hi = descending.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if descending[mid] >= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Members per level under ascending thresholds.
    func levelCounts(_ thresholds: [Int64]) -> [Int] {
        let atLeast = thresholds.map(countAtLeast)
        return atLeast.indices.map { k in atLeast[k] - (k + 1 < atLeast.count ? atLeast[k + 1] : 0) }
    }

    /// Per level k, ⌈n · Σ_{j ≥ k} shares[j]⌉ (with a 1e-6 allowance for rounding in the shares), at most n.
    func targetCounts(_ shares: [Double]) -> [Int] {
        var above = 0.0
        var result = [Int](repeating: 0, count: shares.count)
        for k in shares.indices.reversed() {
            above += shares[k]
            result[k] = k == 0 ? count : min(count, max(0, Int((Double(count) * above - 1e-6).rounded(.up))))
        }
        return result
    }

    func suggestedThresholds(_ shares: [Double], entry: Int64, unit: Int64) -> [Int64] {
        func ceilUnit(_ v: Int64) -> Int64 { (v + unit - 1) / unit * unit }
        let targets = targetCounts(shares)
        var result = [entry]
        for k in 1..<max(1, shares.count) {
            let m = targets[k]
            var t: Int64
            if m == 0 {
                t = ceilUnit(descending[0] + 1)
            } else {
                let lo = descending[m - 1] / unit * unit, hi = lo + unit
                t = countAtLeast(lo) - m <= m - countAtLeast(hi) ? lo : hi
            }
            result.append(max(t, ceilUnit(result[k - 1] + 1)))
        }
        return result
    }
}
