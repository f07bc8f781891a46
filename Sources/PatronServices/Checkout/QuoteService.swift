import Foundation
import PatronCore
import PatronStore

/// Quotes a cart: the one place the command line's `patron quote` and the API's `POST /v1/members/{member}/quote`
/// price a cart, look up the buyer and check a coupon. Writes nothing.
public struct QuoteService: Sendable {
    /// The program that prices the cart.
    public let program: Program
    /// The database, for stored members and coupons; `nil` quotes described members against a program file alone.
    public let store: (any Store)?

    /// A service pricing with `program`, looking members and coupons up in `store` when there is one.
    public init(program: Program, store: (any Store)?) {
        self.program = program
        self.store = store
    }

    /// A service pricing with the program in force in `context`'s store.
    public init(context: ServiceContext) async throws {
        self.init(program: try await context.currentProgram().program, store: context.store)
    }

    /// The quote for `request`. A coupon must belong to the buyer and be usable on the cart's goods then; a buyer or a
    /// coupon given without a database is `invalidInput`.
    public func quote(_ request: QuoteRequest) async throws -> Quote {
        let context: EarningContext
        let activePoints: Int64
        var holder: Member?
        switch request.buyer {
        case .member(let reference):
            let store = try requireStore("a stored member")
            let member = try await store.member(reference: reference)
            // The store fills in only what the earning rules read; the level's benefits need the level whatever they read.
            var stored = try await store.earningContext(member: member.id, at: request.at)
            stored.level = member.level.effectiveLevel(at: request.at)
            context = stored
            activePoints = member.balances.active
            holder = member
        case .described(let description, let points, let couponHolder):
            guard points >= 0 else { throw PatronError(.invalidInput, "points: the member's active points must be 0 or more, not \(points)") }
            context = try description.context(under: program, at: request.at)
            activePoints = points
            if let couponHolder { holder = try await requireStore("--holder").member(reference: couponHolder) }
        }
        var terms: CouponTerms?
        if let code = request.couponCode {
            guard let holder else { throw PatronError(.invalidInput, "coupon: name the member who holds coupon \(code)") }
            let goods = request.cart.lines.reduce(0) { $0 + $1.netAmount }
            terms = try await requireStore("a coupon").usableCoupon(code: code, member: holder.id, goods: goods, at: request.at).1
        }
        return try CheckoutQuoter.quote(request.cart, context: context, activePoints: activePoints, program: program, coupon: terms)
    }

    private func requireStore(_ what: String) throws -> any Store {
        guard let store else { throw PatronError(.invalidInput, "\(what) needs the database; a program file alone cannot quote it") }
        return store
    }
}
