import Foundation
import PatronCore

/// The `data` of each outbox event, as JSON with snake_case keys and ISO 8601 instants; absent optionals are left out.
/// docs/webhooks.md documents them: change both together.
enum OutboxPayload {
    struct MemberEnrolled: Encodable {
        var memberId: Int64
        var identities: [String]
        var referredBy: Int64?
        var enrolledAt: Date
    }

    struct MemberUpdated: Encodable {
        var memberId: Int64
        var profile: Profile
        var identitiesAdded: [String]
    }

    /// Only treated members are announced: the holdout must never be offered anything.
    struct CampaignAssigned: Encodable {
        var memberId: Int64
        var campaign: String
        var campaignId: Int64
        var assignedAt: Date
    }

    struct LevelChanged: Encodable {
        var memberId: Int64
        var from: String?
        var to: String?
        var reason: String
        var actor: String?
        var programVersion: Int
        var at: Date
    }

    struct PointsEarned: Encodable {
        var memberId: Int64
        var points: Int64
        /// `pending` for a placed order, `active` for everything credited at once.
        var status: String
        var orderId: String?
        var entryId: Int64?
        var reason: String?
        var expiresAt: Date?
    }

    struct PointsActivated: Encodable {
        var memberId: Int64
        var orderId: String
        var points: Int64
        var expiresAt: Date?
    }

    struct PointsExpiring: Encodable {
        var memberId: Int64
        var lotId: Int64
        var points: Int64
        var expiresAt: Date
        var noticeDays: Int
    }

    struct PointsExpired: Encodable {
        var memberId: Int64
        var points: Int64
        var lotIds: [Int64]
    }

    struct RewardRedeemed: Encodable {
        var memberId: Int64
        var redemptionId: Int64
        var rewardId: String
        var points: Int64
        var couponCode: String?
        var partner: String?
    }

    struct OrderReversed: Encodable {
        var memberId: Int64
        var orderId: String
        /// `cancelled` or `returned`.
        var reason: String
        var orderEventId: String
        var status: String
        /// Change of pending points (≤ 0 for a reversal, unless paid points came back).
        var pendingPoints: Int64
        /// Change of active points.
        var activePoints: Int64
    }

    /// The `PointsEarned` of a placed order, the one payload of the order-ingest path, written by hand: JSONEncoder
    /// cost as much as the rest of the event's work. Same keys as `PointsEarned`.
    static func pendingEarning(member: Int64, orderId: String, points: Int64) -> String {
        #"{"member_id":\#(member),"order_id":\#(quoted(orderId)),"points":\#(points),"status":"pending"}"#
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A payload's JSON text.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
