import Foundation

/// Inline SVG charts for ``AnalyticsReport``: bar chart, line chart and Lorenz curve.
///
/// Every chart has titled axes and y ticks at round values with their full numbers (thousands grouped). The margins
/// are computed from the estimated widths of the labels they hold (``TextWidth``), so no label is cut by the SVG's
/// box; x labels that do not fit side by side are turned upright, and thinned out when even upright ones would
/// touch. Coordinates are printed with one decimal and non-finite values are drawn as 0, so every number in the
/// markup is finite. The console draws its charts with `bars` and `line` too (their CSS classes: axis, grid, bar,
/// series, tick, xlabel, axis-title).
public enum SVGChart {
    static let width = 640.0, plotHeight = 180.0, top = 12.0, fontSize = 11.0, titleSize = 12.0

    static func f(_ v: Double) -> String { String(format: "%.1f", v.isFinite ? v : 0) }

    static func svg(_ content: String, width: Double, height: Double) -> String {
        HTML.element("svg", ["xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(f(width)) \(f(height))",
                             "width": f(width), "height": f(height), "role": "img"], content)
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "middle", size: Double = fontSize,
                     rotate: Bool = false, css: String = "label") -> String {
        if rotate {
            return HTML.element("text", ["x": f(x), "y": f(y), "text-anchor": anchor, "font-size": f(size),
                                         "class": css, "transform": "rotate(-90 \(f(x)) \(f(y)))"], HTML.escape(s))
        }
        return HTML.element("text", ["x": f(x), "y": f(y), "text-anchor": anchor, "font-size": f(size), "class": css],
                            HTML.escape(s))
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ css: String = "axis") -> String {
        HTML.element("line", ["x1": f(x1), "y1": f(y1), "x2": f(x2), "y2": f(y2), "class": css])
    }

    /// Round tick values from 0 to at least `peak`: steps of 1, 2 or 5 × 10^k, about five of them.
    static func ticks(peak: Double) -> [Double] {
        let top = peak.isFinite && peak > 0 ? peak : 1
        let raw = top / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let count = Int((top / step).rounded(.up))
        return (0...max(1, count)).map { Double($0) * step }
    }

    /// Round tick values from at most `low` (below 0) to at least `peak`, through 0: steps of 1, 2 or 5 × 10^k, about
    /// five of them over the whole range.
    static func ticks(low: Double, peak: Double) -> [Double] {
        guard low.isFinite, low < 0 else { return ticks(peak: peak) }
        let top = peak.isFinite && peak > 0 ? peak : 0
        let raw = (top - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let below = Int((-low / step).rounded(.up)), above = max(1, Int((top / step).rounded(.up)))
        return (-below...above).map { Double($0) * step }
    }

    /// Where the x labels go and how: side by side, or upright and every `every`-th.
    struct XLabels {
        var upright: Bool
        var every: Int
        var height: Double
    }

    static func xLabels(_ labels: [String], slot: Double) -> XLabels {
        let widest = labels.map { TextWidth.of($0, size: fontSize) }.max() ?? 0
        if widest + 6 <= slot { return XLabels(upright: false, every: 1, height: fontSize + 4) }
        let every = max(1, Int(((fontSize + 4) / max(slot, 0.1)).rounded(.up)))
        return XLabels(upright: true, every: every, height: widest + 6)
    }

    /// A plot area with its axes, ticks, grid and titles; `body` draws into it given (plotLeft, plotBottom, plotWidth).
    /// `low` below 0 makes the y axis run from a round value at or below it, with a line at 0.
    static func frame(labels: [String], positions: (Double, Double) -> [Double], slot: (Double) -> Double,
                      peak: Double, low: Double = 0, format: (Double) -> String, xTitle: String, yTitle: String,
                      body: (_ left: Double, _ bottom: Double, _ plotWidth: Double, _ top: Double) -> String) -> String {
        let ticks = low < 0 ? ticks(low: low, peak: peak) : ticks(peak: peak)
        let tickTexts = ticks.map(format)
        let tickWidth = tickTexts.map { TextWidth.of($0, size: fontSize) }.max() ?? 0
        var left = 6 + titleSize + 8 + tickWidth + 6
        // x labels: decided on a first guess of the plot width, which depends only on left and right.
        var right = 12.0
        let guessPlot = width - left - right
        let layout = xLabels(labels, slot: slot(guessPlot))
        if !layout.upright, let first = labels.first, let last = labels.last {
            let xs = positions(left, guessPlot)
            if let lastX = xs.last {
                right += max(0, lastX + TextWidth.of(last, size: fontSize) / 2 + 4 - width)
            }
            if let firstX = xs.first {
                left += max(0, TextWidth.of(first, size: fontSize) / 2 + 4 - firstX)
            }
        }
        let plotW = width - left - right
        let plotBottom = top + plotHeight
        let height = plotBottom + 6 + layout.height + titleSize + 10
        let yMax = ticks.last ?? 1
        let yMin = min(ticks.first ?? 0, 0)
        var out = ""
        for (v, t) in zip(ticks, tickTexts) {
            let y = plotBottom - plotHeight * (v - yMin) / (yMax - yMin)
            if v > yMin { out += line(left, y, left + plotW, y, v == 0 ? "axis" : "grid") }
            out += text(t, x: left - 6, y: y + fontSize * 0.35, anchor: "end", css: "tick")
        }
        out += body(left, plotBottom, plotW, yMax)
        out += line(left, top, left, plotBottom) + line(left, plotBottom, left + plotW, plotBottom)
        let xs = positions(left, plotW)
        for (i, (label, x)) in zip(labels, xs).enumerated() where i % layout.every == 0 {
            out += layout.upright
                ? text(label, x: x + fontSize * 0.35, y: plotBottom + 6, anchor: "end", rotate: true, css: "xlabel")
                : text(label, x: x, y: plotBottom + 6 + fontSize, css: "xlabel")
        }
        out += text(xTitle, x: left + plotW / 2, y: height - 6, size: titleSize, css: "axis-title")
        out += text(yTitle, x: 6 + titleSize, y: top + plotHeight / 2, size: titleSize, rotate: true, css: "axis-title")
        return svg(out, width: width, height: height)
    }

    /// Vertical bars, one per label.
    public static func bars(labels: [String], values: [Double], xTitle: String, yTitle: String,
                     format: @escaping (Double) -> String) -> String {
        let peak = values.filter(\.isFinite).max() ?? 0
        let n = Double(max(values.count, 1))
        return frame(labels: labels, positions: { left, w in (0..<values.count).map { left + (Double($0) + 0.5) * w / n } },
                     slot: { $0 / n }, peak: peak, format: format, xTitle: xTitle, yTitle: yTitle) { left, bottom, w, yMax in
            let slot = w / n
            var body = ""
            for (i, (label, v)) in zip(labels, values).enumerated() {
                let h = plotHeight * max(0, v.isFinite ? v : 0) / yMax
                let x = left + Double(i) * slot
                body += HTML.element("rect", ["x": f(x + slot * 0.15), "y": f(bottom - h), "width": f(slot * 0.7),
                                              "height": f(h), "class": "bar"],
                                     HTML.element("title", [:], HTML.escape("\(label): \(format(v))")))
            }
            return body
        }
    }

    /// A line through the non-nil values, y from 0 to `maxY` (the largest value when nil) — or, with `minY` below 0
    /// (NPS runs from −100 to +100), from a round value at or below `minY`, with a line at 0. Each value is also a dot
    /// with its label and value as a tooltip, so a month between two gaps still shows.
    public static func line(labels: [String], values: [Double?], minY: Double = 0, maxY: Double? = nil, xTitle: String, yTitle: String,
                     format: @escaping (Double) -> String) -> String {
        let peak = maxY ?? values.compactMap { $0 }.filter(\.isFinite).max() ?? 0
        let n = Double(max(values.count - 1, 1))
        let low = minY < 0 ? minY : 0
        let yMin = low < 0 ? min(ticks(low: low, peak: peak).first ?? 0, 0) : 0
        return frame(labels: labels, positions: { left, w in (0..<values.count).map { left + Double($0) * w / n } },
                     slot: { $0 / n }, peak: peak, low: low, format: format, xTitle: xTitle, yTitle: yTitle) { left, bottom, w, yMax in
            let points = values.enumerated().compactMap { i, v -> (Double, Double, Int)? in
                guard let v, v.isFinite else { return nil }
                return (left + Double(i) * w / n, bottom - plotHeight * (v - yMin) / (yMax - yMin), i)
            }
            var body = HTML.element("polyline", ["points": points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "), "class": "series"])
            if low < 0 {
                for (x, y, i) in points {
                    body += HTML.element("circle", ["cx": f(x), "cy": f(y), "r": "3", "class": "dot"],
                                         HTML.element("title", [:], HTML.escape("\(i < labels.count ? labels[i] : ""): \(format(values[i] ?? 0))")))
                }
            }
            return body
        }
    }

    /// The Lorenz curve with the line of equality, in a square plot with 0/50/100 % ticks.
    static func lorenz(_ points: [RevenueConcentration.Point], customersLabel: String, revenueLabel: String) -> String {
        let tickWidth = TextWidth.of("100%", size: fontSize)
        let left = 6 + titleSize + 8 + tickWidth + 6, plot = 200.0, top = 12.0, right = 16.0
        let bottom = top + plot
        let size = (width: left + plot + right, height: bottom + 6 + fontSize + 6 + titleSize + 10)
        func x(_ v: Double) -> Double { left + plot * v }
        func y(_ v: Double) -> Double { bottom - plot * v }
        var body = line(x(0), y(0), x(1), y(1), "diagonal")
        body += HTML.element("polyline", ["points": points.map { "\(f(x($0.customerShare))),\(f(y($0.revenueShare)))" }
            .joined(separator: " "), "class": "series"])
        for v in [0.0, 0.5, 1] {
            let label = "\(Int(v * 100))%"
            body += text(label, x: left - 6, y: y(v) + fontSize * 0.35, anchor: "end", css: "tick")
            body += text(label, x: x(v), y: bottom + 6 + fontSize, css: "xlabel")
        }
        body += line(x(0), y(0), x(1), y(0)) + line(x(0), y(0), x(0), y(1))
        body += text(customersLabel, x: left + plot / 2, y: size.height - 6, size: titleSize, css: "axis-title")
        body += text(revenueLabel, x: 6 + titleSize, y: top + plot / 2, size: titleSize, rotate: true, css: "axis-title")
        return svg(body, width: size.width, height: size.height)
    }
}

/// An estimate of how wide a text is drawn, for laying out chart margins without a font engine: East Asian wide
/// characters take a full em, capitals and wide signs 0.8 em, other characters 0.62 em (a little wider than DejaVu's
/// and Noto Sans' digits and lower case, so estimates err on the side of room).
enum TextWidth {
    static func of(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0.0) { sum, u in
            let v = u.value
            let em: Double
            if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v) {
                em = 1.0
            } else if (0x41...0x5A).contains(v) || v == 0x40 || v == 0x25 || v == 0x57 || v == 0x6D || v == 0x77 {
                em = 0.8
            } else {
                em = 0.62
            }
            return sum + em * size
        }
    }
}
