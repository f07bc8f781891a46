import Dispatch

/// Splits work over a few threads for the likelihood sums (the machine this runs on has few cores).
enum Parallel {
    /// Evaluates `body` on `parts` disjoint index ranges covering 0..<count, on up to `threads` threads, and returns
    /// the partial results in range order (so floating-point sums are reproducible for a given `parts`).
    static func map<T>(count: Int, parts: Int, threads: Int, _ body: (Range<Int>) -> T) -> [T] {
        let parts = max(1, min(parts, count))
        let ranges = (0..<parts).map { p in (count * p / parts)..<(count * (p + 1) / parts) }
        if threads <= 1 || parts == 1 || count < 20_000 {
            return ranges.map(body)
        }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: parts)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        withoutActuallyEscaping(body) { body in
            // Each iteration writes only its own slot of `results`, so there is no shared mutable state.
            let box = UnsafeSendable(body: body, results: results)
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                box.results[p] = box.body(ranges[p])
            }
        }
        return results.map { $0! }
    }
}

/// Carries a closure and an output buffer into `concurrentPerform`.
/// Safe because each concurrent iteration reads the closure (which only reads shared, immutable state) and writes a
/// distinct slot of the buffer; the buffer outlives the call.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let body: (Range<Int>) -> T
    let results: UnsafeMutableBufferPointer<T?>
}
