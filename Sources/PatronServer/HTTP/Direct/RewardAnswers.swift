import PatronCore
import PatronServices

extension JSONAnswer {
    /// openapi.yaml's list of `Reward`s: the catalogue a member's page shows.
    mutating func rewards(_ entries: [RewardCatalogue.Entry]) {
        array(entries) { answer, entry in
            let reward = entry.reward
            answer.object {
                if case .pointsAndCash(let cash) = reward.kind { $0.field("cash", cash) }
                $0.field("cost", reward.cost)
                $0.field("id", reward.id)
                $0.field("kind", Self.kind(reward.kind))
                $0.field("levels", strings: reward.levels.sorted())
                $0.field("name", reward.name)
                $0.field("remaining", entry.remaining)
                $0.field("stock", reward.stock)
                $0.field("tags", strings: reward.tags.sorted())
            }
        }
    }

    private static func kind(_ kind: Reward.Kind) -> String {
        switch kind {
        case .coupon: "coupon"
        case .gift: "gift"
        case .pointsAndCash: "pointsAndCash"
        case .event: "event"
        case .lottery: "lottery"
        }
    }
}
