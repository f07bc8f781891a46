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
            let inputs = try await requireStore("a stored member").checkoutInputs(member: reference, at: request.at)
            return try await quote(request, inputs: inputs)
        case .described(let description, let points, let couponHolder):
            guard points >= 0 else { throw PatronError(.invalidInput, "points: the member's active points must be 0 or more, not \(points)") }
            context = try description.context(under: program, at: request.at)
            activePoints = points
            if let couponHolder { holder = try await requireStore("--holder").member(reference: couponHolder) }
        }
        return try await quote(request.cart, couponCode: request.couponCode, at: request.at, context: context, activePoints: activePoints, holder: holder)
    }

    /// The quote for a stored member whose inputs were read already (`Store.checkoutInputs`, which the API reads in one
    /// go); `request.buyer` is not looked at again.
    public func quote(_ request: QuoteRequest, inputs: CheckoutInputs) async throws -> Quote {
        // The store fills in only what the earning rules read; the level's benefits need the level whatever they read.
        var context = inputs.earning
        context.level = inputs.member.level.effectiveLevel(at: request.at)
        return try await quote(request.cart, couponCode: request.couponCode, at: request.at, context: context, activePoints: inputs.member.balances.active, holder: inputs.member)
    }

    /// Prices the cart for a buyer whose context is known, with the coupon checked against its holder.
    private func quote(_ cart: Cart, couponCode: String?, at: Date, context: EarningContext, activePoints: Int64, holder: Member?) async throws -> Quote {
        var terms: CouponTerms?
        if let code = couponCode {
            guard let holder else { throw PatronError(.invalidInput, "coupon: name the member who holds coupon \(code)") }
            let goods = cart.lines.reduce(0) { $0 + $1.netAmount }
            terms = try await requireStore("a coupon").usableCoupon(code: code, member: holder.id, goods: goods, at: at).1
        }
        return try CheckoutQuoter.quote(cart, context: context, activePoints: activePoints, program: program, coupon: terms)
    }

    private func requireStore(_ what: String) throws -> any Store {
        guard let store else { throw PatronError(.invalidInput, "\(what) needs the database; a program file alone cannot quote it") }
        return store
    }
}
