import Foundation
import PatronCore

/// A tiny HTML builder: every piece of text from data goes through ``escape(_:)``; markup is built only by
/// ``element(_:_:_:)`` from literal tag and attribute names.
enum HTML {
    /// Escapes `& < > " '` so text is safe in element content and quoted attribute values.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// `<name a="v" …>content</name>`; attribute values are escaped, `content` must already be markup.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: String = "")
        -> String {
        let attrs = attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
        return "<\(name)\(attrs)>\(content)</\(name)>"
    }

    /// A table of plain-text cells (escaped) in a box that scrolls sideways when the table is wider than the page.
    /// An empty table shows `empty` in one row. Cells of `dataColumns` are data (ids, months), marked
    /// `translate="no"`; `style` may colour a body cell (row, column) → CSS.
    static func table(_ headers: [String], _ rows: [[String]], empty: String, dataColumns: Set<Int> = [],
                      compact: Bool = false, style: ((Int, Int) -> String?)? = nil) -> String {
        let head = element("tr", [:], headers.map { element("th", [:], escape($0)) }.joined())
        var body = rows.enumerated().map { i, row in
            element("tr", [:], row.enumerated().map { j, cell in
                switch (style?(i, j), dataColumns.contains(j)) {
                case (let css?, true): return element("td", ["style": css, "translate": "no"], escape(cell))
                case (let css?, false): return element("td", ["style": css], escape(cell))
                case (nil, true): return element("td", ["translate": "no"], escape(cell))
                case (nil, false): return element("td", [:], escape(cell))
                }
            }.joined())
        }.joined()
        if rows.isEmpty {
            body = element("tr", [:], element("td", ["colspan": String(max(1, headers.count)), "class": "empty"], escape(empty)))
        }
        let table = element("thead", [:], head) + element("tbody", [:], body)
        return element("div", ["class": "scroll"],
                       compact ? element("table", ["class": "compact"], table) : element("table", [:], table))
    }

    /// A finite number with `digits` decimals and thousands grouped by commas ("–" for nil or non-finite).
    static func number(_ value: Double?, _ digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "–" }
        let text = String(format: "%.\(digits)f", abs(value))
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let negative = value < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// An integer with thousands grouped.
    static func count<I: BinaryInteger>(_ value: I) -> String { number(Double(value), 0) }

    /// Money in major units with its currency code first, e.g. "CNY 1,935.69" ("–" for nil or non-finite).
    static func money(major: Double?, currency: String, digits: Int = 2) -> String {
        guard let major, major.isFinite else { return "–" }
        return currency.isEmpty ? number(major, digits) : "\(currency) \(number(major, digits))"
    }

    /// A share as a percentage with `digits` decimals.
    static func percent(_ value: Double?, _ digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f %%", value * 100)
    }
}
