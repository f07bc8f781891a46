import Foundation
import Hummingbird
import Synchronization

/// A token bucket per API key: `perSecond` requests a second on average, bursts up to `burst`.
///
/// In memory and per process: with N instances behind a balancer a key gets up to N times the rate, which is the
/// usual trade for not making every request wait on a shared counter.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Double
    let burst: Double
    private let buckets = Mutex<[Int64: Bucket]>([:])

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes one token for `key`; nil when allowed, else the seconds to wait.
    func take(_ key: Int64, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}

/// Answers 429 with `Retry-After` once a key has used its budget. Runs after authentication.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let caller = Caller.current, let wait = limiter.take(caller.keyId) {
            var error = APIError(
                status: .tooManyRequests, code: "rate_limited",
                message: "this key used its budget (\(limiter.perSecond.formatted()) requests a second, bursts of \(limiter.burst.formatted())); retry after \(wait) s")
            error.headers[.retryAfter] = String(wait)
            throw error
        }
        return try await next(request, context)
    }
}
