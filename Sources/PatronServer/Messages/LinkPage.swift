import Crypto
import Foundation
import PatronCore

/// The small pages the public links of messages open — unsubscribe and the double opt-in confirmation — in English or
/// Simplified Chinese: a heading, a sentence, at most one button (a form posting back to the same link), and a line of
/// detail when a link is refused. Self-contained (one inline style allowed by its hash), no script, no outside asset.
struct LinkPage: Sendable {
    /// The page's language.
    enum Language: String, Sendable {
        case en
        case zhHans = "zh-Hans"

        /// The first language of an `Accept-Language` header Patron has pages in (by quality, then order), else
        /// `fallback`'s, else English. Any `zh` tag reads Simplified Chinese (there are no Traditional pages).
        static func preferred(_ header: String?, fallback: String? = nil) -> Language {
            var ranked: [(tag: String, quality: Double, index: Int)] = []
            for (index, item) in (header ?? "").split(separator: ",").prefix(50).enumerated() {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let tag = parts.first, !tag.isEmpty else { continue }
                var quality = 1.0
                for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                    quality = Double(parameter.dropFirst(2)) ?? 0
                }
                if quality > 0 { ranked.append((tag.lowercased(), quality, index)) }
            }
            ranked.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.index < $1.index }
            for (tag, _, _) in ranked {
                if let language = language(of: tag) { return language }
            }
            return fallback.flatMap { language(of: $0.lowercased()) } ?? .en
        }

        private static func language(of tag: String) -> Language? {
            if tag == "zh" || tag.hasPrefix("zh-") { return .zhHans }
            if tag == "en" || tag.hasPrefix("en-") { return .en }
            return nil
        }
    }

    let language: Language
    var title: String
    var lines: [String]
    /// The button's label and the token it posts with, when the page offers one.
    var button: (label: String, token: String)?
    /// The refusal's own words (`token: the signature does not match`), shown small under the explanation.
    var detail: String?

    /// Picks the English or the Chinese text.
    func t(_ en: String, _ zh: String) -> String { language == .en ? en : zh }

    /// The channel as a reader names it.
    static func channelName(_ channel: String, _ language: Language) -> String {
        switch (channel, language) {
        case ("email", .en): "e-mail"
        case ("email", .zhHans): "电子邮件"
        case ("sms", .en): "text messages"
        case ("sms", .zhHans): "短信"
        case ("push", .en): "app notifications"
        case ("push", .zhHans): "App 通知"
        case ("inbox", .en): "inbox messages"
        case ("inbox", .zhHans): "站内消息"
        default: channel
        }
    }

    /// The page's one style; the Content-Security-Policy allows exactly it by its SHA-256.
    static let style = """
        body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f6f7f9;color:#1d2330;margin:0}\
        main{max-width:34rem;margin:4rem auto;background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:2rem 2.25rem}\
        h1{font-size:1.4rem;margin:0 0 1rem}p{line-height:1.55;margin:.6rem 0}\
        button{font:inherit;background:#1f5fbf;color:#fff;border:0;border-radius:6px;padding:.6rem 1.4rem;margin-top:1rem;cursor:pointer}\
        .detail{color:#6a7280;font-size:.85rem;margin-top:1.2rem}
        """

    /// `Content-Security-Policy` for the page: nothing but its own style, and its form posting back to this server.
    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(digest)'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }()

    /// The page as HTML.
    var html: String {
        var body = "<h1>\(HTMLText.escape(title))</h1>\n"
        for line in lines { body += "<p>\(HTMLText.escape(line))</p>\n" }
        if let button {
            body += """
                <form method="post" action="?token=\(HTMLText.escape(Self.queryEscape(button.token)))">\
                <input type="hidden" name="List-Unsubscribe" value="One-Click">\
                <button type="submit">\(HTMLText.escape(button.label))</button></form>\n
                """
        }
        if let detail { body += "<p class=\"detail\">\(HTMLText.escape(detail))</p>\n" }
        return """
            <!doctype html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(HTMLText.escape(title))</title><style>\(Self.style)</style></head>
            <body><main>
            \(body)</main></body></html>

            """
    }


    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
