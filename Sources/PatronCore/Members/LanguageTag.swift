import Foundation

/// A member's language as a BCP-47 tag (RFC 5646): a language (2–3 letters), optionally a script (4 letters), a region
/// (2 letters or 3 digits) and variants (5–8 letters or digits, or a digit and 3 more) — `en`, `zh-Hans`, `zh-Hans-CN`,
/// `pt-BR`, `de-CH-1996`. Extensions and private-use subtags are not accepted: message templates are chosen by the
/// language, script and region alone.
public enum LanguageTag {
    /// The longest tag accepted (RFC 5646 asks implementations to keep at least 35 characters).
    public static let maximumLength = 35

    /// The tag in its canonical case (`zh-hans-cn` → `zh-Hans-CN`), or `invalidInput` naming `field` when `text` is not
    /// a tag of that shape.
    public static func canonical(_ text: String, field: String) throws -> String {
        guard let tag = canonical(text) else {
            throw PatronError(
                .invalidInput,
                "\(field): '\(text.prefix(60))' is not a BCP-47 language tag such as en, zh-Hans or pt-BR (language, then optional script, region and variants, joined by '-')")
        }
        return tag
    }

    /// The tag in its canonical case, or `nil` when `text` is not a tag of the accepted shape.
    public static func canonical(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= maximumLength, text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy(\.isLetter) else { return nil }
        var result = [language.lowercased()]
        var index = 1
        if index < parts.count, parts[index].count == 4, parts[index].allSatisfy(\.isLetter) {
            result.append(parts[index].prefix(1).uppercased() + parts[index].dropFirst().lowercased())
            index += 1
        }
        if index < parts.count,
            (parts[index].count == 2 && parts[index].allSatisfy(\.isLetter)) || (parts[index].count == 3 && parts[index].allSatisfy(\.isNumber))
        {
            result.append(parts[index].uppercased())
            index += 1
        }
        while index < parts.count {
            let part = parts[index]
            let alphanumeric = part.allSatisfy { $0.isLetter || $0.isNumber }
            guard alphanumeric, (5...8).contains(part.count) || (part.count == 4 && part.first!.isNumber) else { return nil }
            result.append(part.lowercased())
            index += 1
        }
        return result.joined(separator: "-")
    }

    /// The tags to try for `tag`, most specific first: `zh-Hans-CN`, `zh-Hans`, `zh` (RFC 4647 lookup).
    public static func fallbacks(_ tag: String) -> [String] {
        var parts = tag.split(separator: "-").map(String.init)
        var result: [String] = []
        while !parts.isEmpty {
            result.append(parts.joined(separator: "-"))
            parts.removeLast()
        }
        return result
    }
}
