import Foundation

/// A number carrying its gradient with respect to four parameters (forward-mode automatic differentiation).
///
/// Used where a likelihood's derivatives are tedious by hand (Pareto/NBD): every operation applies the exact
/// chain rule, so gradients are analytic, not finite differences.
struct Dual4 {
    var value: Double
    var gradient: SIMD4<Double>

    init(_ value: Double, _ gradient: SIMD4<Double> = .zero) {
        self.value = value
        self.gradient = gradient
    }

    static func + (l: Dual4, r: Dual4) -> Dual4 { Dual4(l.value + r.value, l.gradient + r.gradient) }
    static func - (l: Dual4, r: Dual4) -> Dual4 { Dual4(l.value - r.value, l.gradient - r.gradient) }
    static func + (l: Dual4, r: Double) -> Dual4 { Dual4(l.value + r, l.gradient) }
    static func - (l: Dual4, r: Double) -> Dual4 { Dual4(l.value - r, l.gradient) }
    static func * (l: Dual4, r: Dual4) -> Dual4 {
        Dual4(l.value * r.value, l.gradient * r.value + r.gradient * l.value)
    }
    static func * (l: Dual4, r: Double) -> Dual4 { Dual4(l.value * r, l.gradient * r) }
    static func * (l: Double, r: Dual4) -> Dual4 { Dual4(l * r.value, r.gradient * l) }
    static func / (l: Dual4, r: Dual4) -> Dual4 {
        let inv = 1 / r.value
        let q = l.value * inv
        return Dual4(q, (l.gradient - r.gradient * q) * inv)
    }
    static prefix func - (x: Dual4) -> Dual4 { Dual4(-x.value, -x.gradient) }

    static func log(_ x: Dual4) -> Dual4 { Dual4(Foundation.log(x.value), x.gradient / x.value) }
    static func exp(_ x: Dual4) -> Dual4 {
        let e = Foundation.exp(x.value)
        return Dual4(e, x.gradient * e)
    }
    /// ln(eˣ + eʸ) without overflow.
    static func logAddExp(_ x: Dual4, _ y: Dual4) -> Dual4 {
        if x.value == -.infinity { return y }
        if y.value == -.infinity { return x }
        let (hi, lo) = x.value >= y.value ? (x, y) : (y, x)
        let e = Foundation.exp(lo.value - hi.value)
        let p = e / (1 + e)
        return Dual4(hi.value + Foundation.log1p(e), hi.gradient * (1 - p) + lo.gradient * p)
    }
    /// ln(eˣ − eʸ) for x > y.
    static func logSubExp(_ x: Dual4, _ y: Dual4) -> Dual4 {
        if y.value == -.infinity { return x }
        let e = Foundation.exp(y.value - x.value)
        let denom = 1 - e
        return Dual4(x.value + Foundation.log1p(-e), (x.gradient - y.gradient * e) / denom)
    }
}
