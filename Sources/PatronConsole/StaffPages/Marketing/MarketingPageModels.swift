import Foundation

/// What the marketing templates show: every value already formatted in the page's language.
enum MarketingPageModels {
    /// One segment of the list.
    struct SegmentRow: Sendable {
        let name: String
        let href: String
        let kind: String
        let description: String?
        let members: String
        let refreshedAt: String
    }

    /// One campaign of the list.
    struct CampaignRow: Sendable {
        let name: String
        let href: String
        let segment: String
        let window: String
        let status: String
        let statusKey: String
        let budget: String
    }

    /// `/console/marketing`.
    struct Index: Sendable {
        let segments: [SegmentRow]
        let campaigns: [CampaignRow]
    }

    /// One sampled member of a segment preview.
    struct SampleMember: Sendable {
        let id: Int64
        let name: String
        let identities: String
    }

    /// `/console/marketing/segments/{name}`.
    struct SegmentPreview: Sendable {
        let name: String
        let kind: String
        let description: String?
        let condition: String?
        let count: String
        let members: String
        let memberShare: String
        let revenue: String
        let totalRevenue: String
        let revenueShare: String
        let sample: [SampleMember]
    }

    /// One line of the treated-against-control table.
    struct GroupRow: Sendable {
        let label: String
        let treated: String
        let control: String
    }

    /// One lifecycle step offered on the campaign page.
    struct Step: Sendable {
        let step: String
        let label: String
        let confirm: String
        let danger: Bool
    }

    /// `/console/marketing/campaigns/{name}`.
    struct Campaign: Sendable {
        let name: String
        let href: String
        let description: String?
        let segment: String
        let segmentHref: String
        let status: String
        let statusKey: String
        let window: String
        let attribution: String
        let holdout: String
        let budget: String
        let counted: String
        let rows: [GroupRow]
        let incrementalOrders: String
        let incrementalOrdersInterval: String
        let incrementalRevenue: String
        let incrementalRevenueInterval: String
        let significant: Bool
        let costPerOrder: String
        let pointsCost: String
        let couponCost: String
        let method: String
        let warnings: [String]
        let messagesWaiting: Bool
        let steps: [Step]
        let canChange: Bool
        let refusal: String?
    }
}
