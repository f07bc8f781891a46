import Foundation

/// A tiny HTML builder: every piece of text from data goes through ``escape(_:)``; markup is built only by
/// ``element(_:_:_:)`` from literal tag and attribute names.
enum HTML {
    /// Escapes `& < > " '` so text is safe in element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `<name a="v" …>content</name>`; attribute values are escaped, `content` must already be markup.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: String = "")
        -> String {
        let attrs = attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
        return "<\(name)\(attrs)>\(content)</\(name)>"
    }

    /// A table of plain-text cells (escaped); `style` may colour a body cell (row, column) → CSS.
    static func table(_ headers: [String], _ rows: [[String]], style: ((Int, Int) -> String?)? = nil) -> String {
        let head = element("tr", [:], headers.map { element("th", [:], escape($0)) }.joined())
        let body = rows.enumerated().map { i, row in
            element("tr", [:], row.enumerated().map { j, cell in
                if let css = style?(i, j) { return element("td", ["style": css], escape(cell)) }
                return element("td", [:], escape(cell))
            }.joined())
        }.joined()
        return element("table", [:], element("thead", [:], head) + element("tbody", [:], body))
    }

    /// A finite number with `digits` decimals ("–" for nil or non-finite).
    static func number(_ value: Double?, _ digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// A share as a percentage with one decimal.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.1f %%", value * 100)
    }
}
