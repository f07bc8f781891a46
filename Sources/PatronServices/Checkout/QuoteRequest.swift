import Foundation
import PatronCore

/// A cart to quote and for whom: a stored member (their level, profile, balance and coupons), or a member described
/// by hand (what-if quotes from the command line).
public struct QuoteRequest: Sendable, Hashable {
    /// Whom the quote is for.
    public enum Buyer: Sendable, Hashable {
        /// A stored member, as an id or KIND:VALUE: their earning context and active points come from the store.
        case member(reference: String)
        /// A member described by hand, holding `activePoints`; `couponHolder` names the stored member whose coupon
        /// `couponCode` is, when one is given.
        case described(MemberDescription, activePoints: Int64, couponHolder: String?)
    }

    /// The cart, `usePoints` included.
    public var cart: Cart
    /// Whom for.
    public var buyer: Buyer
    /// A coupon code the buyer holds.
    public var couponCode: String?
    /// When the order would be placed.
    public var at: Date

    /// Makes a request.
    public init(cart: Cart, buyer: Buyer, couponCode: String? = nil, at: Date) {
        self.cart = cart
        self.buyer = buyer
        self.couponCode = couponCode
        self.at = at
    }
}
