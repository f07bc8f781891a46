import Foundation

/// Chooses a campaign's control group: a deterministic hash of the member id and the campaign name, so the same member
/// lands in the same group on every machine and every run, and different campaigns hold out different members.
public enum CampaignHoldout {
    /// The member's bucket from 0 to 9,999: FNV-1a of (campaign, member), then a SplitMix64 finaliser so the low digits
    /// are as well mixed as the high ones.
    public static func bucket(member: Int64, campaign: String) -> Int {
        var fingerprint = Fingerprint()
        fingerprint.mix(campaign)
        fingerprint.mix(member)
        var z = fingerprint.value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % 10_000)
    }

    /// `control` for members whose bucket is below the holdout share (in basis points), `treated` for the rest.
    public static func group(member: Int64, campaign: String, holdoutBasisPoints: Int) -> CampaignGroup {
        bucket(member: member, campaign: campaign) < holdoutBasisPoints ? .control : .treated
    }
}
