/// The request's `Content-Type` and `Accept` against the media types openapi.yaml names, as the OpenAPI runtime
/// matches them: type and subtype without case, parameters (`charset`, `q`) aside, `*/*` and `type/*` as wildcards.
enum MediaTypes {
    /// Whether a `Content-Type` is JSON (`application/json; charset=utf-8` is).
    static func isJSON(_ contentType: String) -> Bool {
        contentType == "application/json" || mediaRange(contentType) == "application/json"
    }

    /// Why an `Accept` allows none of `answers`, or nil when it allows one (or the operation answers no body).
    static func acceptProblem(_ accept: String, answers: [String]) -> String? {
        guard !answers.isEmpty else { return nil }
        let ranges = accept.split(separator: ",").map(mediaRange)
        guard !ranges.isEmpty else { return nil }
        for range in ranges {
            let parts = range.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return "'\(range.prefix(80))' is not a media range such as application/json" }
            if answers.contains(where: { answer in
                range == "*/*" || range == answer || (parts[1] == "*" && answer.hasPrefix(parts[0] + "/"))
            }) {
                return nil
            }
        }
        return "allows none of \(answers.joined(separator: ", ")), which this operation answers (is '\(accept.prefix(80))')"
    }

    /// `type/subtype` of a media type or range, lowercased, without its parameters or spaces (on the bytes: every
    /// request with a body comes through here).
    private static func mediaRange(_ text: some StringProtocol) -> String {
        let bytes = text.utf8.prefix { $0 != UInt8(ascii: ";") }.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let trimmed = bytes.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.reversed()
        return String(decoding: trimmed.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
