import Foundation

/// The fields a message template may name, as a tree: values, objects (a section on one opens its fields) and lists
/// (a section repeats for each item, whose fields are then in scope). A template naming anything else is refused.
public indirect enum MessageFields: Sendable, Hashable {
    /// A value printed as text.
    case value
    /// An object: `{{coupon.code}}`, or `{{#coupon}}{{code}}{{/coupon}}`.
    case object([String: MessageFields])
    /// A list: `{{#points.expiring}}{{points}} on {{date}}{{/points.expiring}}`.
    case list([String: MessageFields])

    /// Every field of every message kind (a field a kind does not have renders empty; `{{#coupon}}…{{/coupon}}` shows
    /// only where there is one).
    public static let all: MessageFields = .object([
        "shop": .object(["name": .value, "currency": .value]),
        "member": .object([
            "id": .value, "name": .value, "email": .value, "phone": .value, "enrolledOn": .value, "birthday": .value, "locale": .value,
        ]),
        "level": .object(["name": .value, "since": .value, "until": .value]),
        "change": .object(["from": .value, "to": .value, "up": .value, "down": .value]),
        "nextLevel": .object(["name": .value, "gap": .value, "metric": .value]),
        "points": .object([
            "active": .value, "pending": .value, "expiringTotal": .value, "nextExpiry": .value,
            "expiring": .list(["points": .value, "date": .value]),
        ]),
        "coupon": .object(["code": .value, "validUntil": .value]),
        "reward": .object(["id": .value, "name": .value, "points": .value, "status": .value]),
        "order": .object(["id": .value, "amount": .value, "points": .value]),
        "campaign": .object(["name": .value]),
        "signIn": .object(["code": .value, "minutes": .value]),
        "ticket": .object(["number": .value, "subject": .value, "reply": .value]),
        "links": .object(["unsubscribe": .value, "preferences": .value, "confirm": .value]),
    ])

    /// The children of an object or a list item, or nil for a value.
    var children: [String: MessageFields]? {
        switch self {
        case .value: nil
        case .object(let fields), .list(let fields): fields
        }
    }

    /// The field at a dotted `path` below this one, or nil.
    func field(_ path: [Substring]) -> MessageFields? {
        var current = self
        for part in path {
            guard let next = current.children?[String(part)] else { return nil }
            current = next
        }
        return current
    }

    /// Every dotted path a template may name at the top level, sorted (for error messages and the docs).
    public var paths: [String] {
        guard let children else { return [] }
        return children.keys.sorted().flatMap { key -> [String] in
            let child = children[key]!
            switch child {
            case .value: return [key]
            case .object, .list: return [key] + child.paths.map { "\(key).\($0)" }
            }
        }
    }
}
