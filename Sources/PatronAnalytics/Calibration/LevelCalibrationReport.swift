/// The two views of the textbook's level check (docs/loyalty.md, "Levels") and suggested
/// thresholds, from ``LevelCalibration/calibrate(values:thresholds:targetShares:roundingUnit:)``.
///
/// Values and thresholds are the qualifying measure in its own unit (cumulative spend in minor units, order count …).
public struct LevelCalibrationReport: Sendable, Hashable, Codable {
    /// One level's numbers under the three views.
    public struct Level: Sendable, Hashable, Codable {
        /// Level index, 0 = the entry level.
        public var level: Int
        /// Today's threshold: a member with value ≥ threshold (and below the next one) is at this level.
        public var threshold: Int64
        /// Members at this level under today's thresholds (view a).
        public var members: Int
        /// members / qualifying members (view a).
        public var share: Double
        /// The share this level should have.
        public var targetShare: Double
        /// View b: with the target shares fixed, the value at this level's lower boundary (the lowest value among
        /// the top ⌈n · Σ target shares of this level and above⌉ members); nil when that count is 0.
        public var boundaryValue: Int64?
        /// View c: the threshold that comes closest to the target share (level 0 keeps the entry threshold).
        public var suggestedThreshold: Int64
        /// Members at this level under the suggested thresholds.
        public var suggestedMembers: Int
        /// suggestedMembers / qualifying members.
        public var suggestedShare: Double
    }

    /// Members whose value reaches the entry threshold (level 0's); every share is a share of these.
    public var members: Int
    /// Members below the entry threshold (not in any level).
    public var belowEntry: Int
    /// The rounding unit of the suggested thresholds.
    public var roundingUnit: Int64
    /// Every level, lowest first.
    public var levels: [Level]
}
