import Foundation

/// Inline SVG charts for ``AnalyticsReport``: bar chart, line chart and Lorenz curve. Coordinates are printed with
/// one decimal and non-finite values are drawn as 0, so every number in the markup is finite.
enum SVGChart {
    static let width = 640.0, height = 240.0, left = 48.0, right = 12.0, top = 12.0, bottom = 40.0

    static func f(_ v: Double) -> String { String(format: "%.1f", v.isFinite ? v : 0) }

    static func svg(_ content: String, width: Double = width, height: Double = height) -> String {
        HTML.element("svg", ["xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(f(width)) \(f(height))",
                             "width": f(width), "height": f(height), "role": "img"], content)
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "middle") -> String {
        HTML.element("text", ["x": f(x), "y": f(y), "text-anchor": anchor, "font-size": "11"], HTML.escape(s))
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ css: String = "axis") -> String {
        HTML.element("line", ["x1": f(x1), "y1": f(y1), "x2": f(x2), "y2": f(y2), "class": css])
    }

    /// Axes with the y axis labelled at 0 and `maxLabel`.
    static func axes(maxLabel: String) -> String {
        let x0 = left, y0 = height - bottom
        return line(x0, top, x0, y0) + line(x0, y0, width - right, y0)
            + text("0", x: x0 - 4, y: y0 + 4, anchor: "end") + text(maxLabel, x: x0 - 4, y: top + 8, anchor: "end")
    }

    /// Vertical bars, one per label.
    static func bars(labels: [String], values: [Double]) -> String {
        let peak = max(values.filter(\.isFinite).max() ?? 0, 1e-12)
        let plotW = width - left - right, plotH = height - top - bottom
        let slot = plotW / Double(max(values.count, 1))
        var body = axes(maxLabel: HTML.number(peak, peak >= 100 ? 0 : 2))
        for (i, (label, v)) in zip(labels, values).enumerated() {
            let h = plotH * max(0, v.isFinite ? v : 0) / peak
            let x = left + Double(i) * slot
            body += HTML.element("rect", ["x": f(x + slot * 0.15), "y": f(height - bottom - h), "width": f(slot * 0.7),
                                          "height": f(h), "class": "bar"], HTML.element("title", [:], HTML.escape("\(label): \(HTML.number(v, v == v.rounded() ? 0 : 2))")))
            body += text(label, x: x + slot / 2, y: height - bottom + 14)
        }
        return svg(body)
    }

    /// A line through the non-nil values, y from 0 to `maxY` (the largest value when nil).
    static func line(labels: [String], values: [Double?], maxY: Double? = nil) -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        let peak = max(maxY ?? finite.max() ?? 1, 1e-12)
        let plotW = width - left - right, plotH = height - top - bottom
        let step = plotW / Double(max(values.count - 1, 1))
        var body = axes(maxLabel: HTML.number(peak))
        let points = values.enumerated().compactMap { i, v -> String? in
            guard let v, v.isFinite else { return nil }
            return "\(f(left + Double(i) * step)),\(f(height - bottom - plotH * v / peak))"
        }
        body += HTML.element("polyline", ["points": points.joined(separator: " "), "class": "series"])
        let every = max(1, labels.count / 8)
        for (i, label) in labels.enumerated() where i % every == 0 {
            body += text(label, x: left + Double(i) * step, y: height - bottom + 14)
        }
        return svg(body)
    }

    /// The Lorenz curve with the line of equality, in a square plot.
    static func lorenz(_ points: [RevenueConcentration.Point], customersLabel: String, revenueLabel: String) -> String {
        let size = 260.0, pad = 36.0, plot = size - 2 * pad
        func x(_ v: Double) -> String { f(pad + plot * v) }
        func y(_ v: Double) -> String { f(size - pad - plot * v) }
        var body = HTML.element("line", ["x1": x(0), "y1": y(0), "x2": x(1), "y2": y(0), "class": "axis"])
            + HTML.element("line", ["x1": x(0), "y1": y(0), "x2": x(0), "y2": y(1), "class": "axis"])
            + HTML.element("line", ["x1": x(0), "y1": y(0), "x2": x(1), "y2": y(1), "class": "diagonal"])
        body += HTML.element("polyline", ["points": points.map { "\(x($0.customerShare)),\(y($0.revenueShare))" }
            .joined(separator: " "), "class": "series"])
        body += HTML.element("text", ["x": f(size / 2), "y": f(size - 8), "text-anchor": "middle", "font-size": "11"],
                             HTML.escape(customersLabel))
        body += HTML.element("text", ["x": "12", "y": f(size / 2), "text-anchor": "middle", "font-size": "11",
                                      "transform": "rotate(-90 12 \(f(size / 2)))"], HTML.escape(revenueLabel))
        return svg(body, width: size, height: size)
    }
}
