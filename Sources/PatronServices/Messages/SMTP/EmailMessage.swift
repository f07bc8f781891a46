import Foundation

/// An e-mail as it goes over SMTP: multipart/alternative with a plain-text and an HTML part (each UTF-8, base64),
/// its idempotent `Message-ID`, and RFC 8058 one-click `List-Unsubscribe` headers when it has an unsubscribe link.
public struct EmailMessage: Sendable, Hashable {
    /// The envelope and header sender.
    public var from: String
    /// The sender's display name.
    public var fromName: String?
    /// The recipient's address.
    public var to: String
    /// The subject (encoded as RFC 2047 when not ASCII).
    public var subject: String
    /// The plain-text part.
    public var text: String
    /// The HTML part.
    public var html: String
    /// The Message-ID with its angle brackets: `<key@domain>`.
    public var messageID: String
    /// The Date header's instant.
    public var date: Date
    /// The https one-click unsubscribe link; with it the message carries `List-Unsubscribe` and `List-Unsubscribe-Post`.
    public var unsubscribe: String?

    /// Describes an e-mail.
    public init(
        from: String, fromName: String? = nil, to: String, subject: String, text: String, html: String, messageID: String, date: Date,
        unsubscribe: String? = nil
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.unsubscribe = unsubscribe
    }

    /// Refuses an address that would break the envelope or a header (no `@`, spaces, angle brackets, line breaks).
    static func checkAddress(_ address: String, field: String) throws {
        let bad = address.contains { $0 == "<" || $0 == ">" || $0 == " " || $0.isNewline || $0 == "," }
        guard !bad, address.split(separator: "@").count == 2, address.utf8.count <= 254 else {
            throw SMTPError(code: 553, message: "\(field): '\(address.prefix(100))' is not a usable e-mail address")
        }
    }

    /// The message's bytes for DATA: CRLF lines, dot-stuffed, without the final `.` line.
    public func rendered() -> String {
        let boundary = "=_patron_" + String(messageID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
        var headers = [
            "From: " + (fromName.map { Self.encodedWord($0) + " <\(from)>" } ?? "<\(from)>"),
            "To: <\(to)>",
            "Subject: " + Self.encodedWord(subject),
            "Date: " + Self.rfc5322(date),
            "Message-ID: " + messageID,
            "MIME-Version: 1.0",
        ]
        if let unsubscribe {
            headers.append("List-Unsubscribe: <\(unsubscribe)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        var lines = headers
        lines.append("")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(contentsOf: Self.base64Lines(body))
        }
        lines.append("--\(boundary)--")
        // Dot-stuffing (RFC 5321 §4.5.2): base64 and headers rarely start with a dot, but a subject or name may.
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047 encoded word for non-ASCII (or long) header text; plain ASCII as is.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && clean.utf8.count <= 900 { return clean }
        // Chunks of whole characters, each word at most 75 bytes (45 UTF-8 bytes → 60 base64 characters).
        var words: [String] = []
        var chunk = ""
        for character in clean {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// Base64 of `text` in lines of 76 characters.
    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// `Sun, 06 Dec 2026 05:55:41 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
