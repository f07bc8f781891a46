import Foundation

/// One way to recognise a member: each identity belongs to at most one member, and any of them finds the member.
public struct Identity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of identity. Social ids name their network: `social:wechat`, `social:weibo`.
    public var kind: String
    /// The normalised value (e-mail lower-cased, phone digits with a leading +).
    public var value: String

    /// Validates and normalises an identity, or throws `invalidInput` naming what is wrong.
    public init(kind: String, value: String) throws {
        let trimmed = value.first?.isWhitespace == true || value.last?.isWhitespace == true
            ? value.trimmingCharacters(in: .whitespacesAndNewlines) : value
        guard !trimmed.isEmpty else { throw PatronError(.invalidInput, "identity \(kind): the value is empty") }
        guard FreeText.fits(trimmed, within: 256) else { throw PatronError(.invalidInput, "identity \(kind): longer than 256 characters") }
        try FreeText.check(kind, field: "identity kind")
        try FreeText.check(trimmed, field: "identity \(kind)")
        switch kind {
        case Self.customer, Self.card:
            self.value = trimmed
        case Self.email:
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !trimmed.contains(" ") else {
                throw PatronError(.invalidInput, "identity email: '\(trimmed)' is not an e-mail address")
            }
            self.value = trimmed.lowercased()
        case Self.phone:
            let digits = trimmed.filter { !" -().".contains($0) }
            let body = digits.hasPrefix("+") ? digits.dropFirst() : Substring(digits)
            guard (6...15).contains(body.count), body.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw PatronError(.invalidInput, "identity phone: '\(trimmed)' is not a phone number (6 to 15 digits, optional +)")
            }
            self.value = digits.hasPrefix("+") ? digits : "+" + digits
        default:
            let network = kind.hasPrefix(Self.socialPrefix) ? kind.dropFirst(Self.socialPrefix.count) : ""
            guard !network.isEmpty, kind.count <= 64, network.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw PatronError(
                    .invalidInput,
                    "identity kind '\(kind)' is unknown; use customer, email, phone, card or social:NETWORK (social:wechat)")
            }
            self.value = trimmed
        }
        self.kind = kind
    }

    /// The shop's own customer id.
    public static let customer = "customer"
    /// An e-mail address.
    public static let email = "email"
    /// A phone number.
    public static let phone = "phone"
    /// A membership card number.
    public static let card = "card"
    /// The prefix of social ids (`social:wechat`).
    public static let socialPrefix = "social:"

    /// Parses `KIND:VALUE` (`customer:C1`, `email:ann@example.com`, `social:wechat:o6_bm…`): the value follows the last
    /// colon of the kind.
    public init(reference text: String) throws {
        let kinds = [Self.customer, Self.email, Self.phone, Self.card]
        let kind = kinds.first { text.hasPrefix($0 + ":") } ?? (text.hasPrefix(Self.socialPrefix) ? text.split(separator: ":").prefix(2).joined(separator: ":") : nil)
        guard let kind, text.count > kind.count + 1 else {
            throw PatronError(.invalidInput, "'\(text)' is not KIND:VALUE with a kind of customer, email, phone, card or social:NETWORK")
        }
        try self.init(kind: kind, value: String(text.dropFirst(kind.count + 1)))
    }

    /// The shop's customer id `value`.
    public static func customer(_ value: String) throws -> Identity { try Identity(kind: customer, value: value) }

    /// `kind:value`.
    public var description: String { "\(kind):\(value)" }

    private enum CodingKeys: String, CodingKey, CaseIterable { case kind, value }

    /// Decodes strictly and validates, so identities arriving as JSON obey the same rules.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(kind: container.decode(String.self, forKey: .kind), value: container.decode(String.self, forKey: .value))
        } catch let error as PatronError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }
}
