import Foundation
import Hummingbird

/// The console's languages.
public enum ConsoleLanguage: String, Sendable, CaseIterable, Hashable {
    /// English.
    case english = "en"
    /// Simplified Chinese.
    case simplifiedChinese = "zh-Hans"

    /// The name in the language itself, for the switch.
    var nativeName: String {
        switch self {
        case .english: "English"
        case .simplifiedChinese: "简体中文"
        }
    }

    /// The cookie that remembers a choice made with `?lang=`.
    static let cookieName = "patron_lang"

    /// A language and whether `?lang=` chose it (then the response sets the cookie).
    struct Choice: Sendable {
        let language: ConsoleLanguage
        let fromQuery: Bool
    }

    /// `?lang=`, then the cookie, then Accept-Language, then English.
    static func choose(for request: Request) -> Choice {
        if let asked = request.uri.queryParameters.get("lang"), let language = parse(asked) { return Choice(language: language, fromQuery: true) }
        if let remembered = request.cookies[cookieName]?.value, let language = ConsoleLanguage(rawValue: remembered) {
            return Choice(language: language, fromQuery: false)
        }
        return Choice(language: fromAcceptLanguage(request.headers[.acceptLanguage]), fromQuery: false)
    }

    /// A language tag as people write it: `en`, `en-GB`, `zh`, `zh-CN`, `zh-Hans`, `zh-Hans-CN` (not `zh-Hant`, `zh-TW`).
    static func parse(_ tag: String) -> ConsoleLanguage? {
        let parts = tag.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "-").map(String.init)
        guard let primary = parts.first else { return nil }
        switch primary {
        case "en": return .english
        case "zh":
            let rest = Set(parts.dropFirst())
            if rest.contains("hant") || rest.contains("tw") || rest.contains("hk") || rest.contains("mo") { return nil }
            return .simplifiedChinese
        default: return nil
        }
    }

    /// The best of Accept-Language's tags by their q weights; English when none is ours.
    static func fromAcceptLanguage(_ header: String?) -> ConsoleLanguage {
        guard let header else { return .english }
        var best: (ConsoleLanguage, Double)?
        for item in header.split(separator: ",") {
            let pieces = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, let language = parse(tag) else { continue }
            var weight = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") { weight = Double(piece.dropFirst(2)) ?? 0 }
            if weight > 0, weight > (best?.1 ?? -1) { best = (language, weight) }
        }
        return best?.0 ?? .english
    }
}
