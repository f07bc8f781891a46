import Foundation

/// What Patron remembers about an order: its state and the amounts recorded when it earned, so that returns reverse
/// points from those amounts and never from today's rules.
public struct OrderRecord: Sendable, Hashable {
    /// Where an order's points are.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Placed: points pending.
        case placed
        /// Completed: points pending until `activatesAt`.
        case completed
        /// Points active.
        case active
        /// Cancelled: pending points voided.
        case cancelled
    }

    /// The order id.
    public var orderId: String
    /// The member.
    public var memberId: Int64
    /// The state.
    public var status: Status
    /// When placed.
    public var placedAt: Date
    /// When completed.
    public var completedAt: Date?
    /// When the pending period ends.
    public var activatesAt: Date?
    /// Goods' value after discounts (what the member spent), minor units.
    public var amount: Int64
    /// Line and order discounts given, minor units.
    public var discount: Int64
    /// Points earned when placed.
    public var points: Int64
    /// The earning base when placed.
    public var base: Int64
    /// Points reversed by returns so far.
    public var reversedPoints: Int64
    /// Points the member paid with.
    public var pointsUsed: Int64 = 0
    /// Points paid with that returns and cancellation gave back so far.
    public var pointsRestored: Int64 = 0
    /// The program version that priced the order.
    public var programVersion: Int
    /// The lines as bought, with their recorded bases and returned quantities.
    public var lines: [RecordedLine]

    /// Makes a record.
    public init(
        orderId: String, memberId: Int64, status: Status, placedAt: Date, completedAt: Date? = nil, activatesAt: Date? = nil,
        amount: Int64, discount: Int64 = 0, points: Int64, base: Int64, reversedPoints: Int64 = 0, programVersion: Int, lines: [RecordedLine]
    ) {
        self.orderId = orderId
        self.memberId = memberId
        self.status = status
        self.placedAt = placedAt
        self.completedAt = completedAt
        self.activatesAt = activatesAt
        self.amount = amount
        self.discount = discount
        self.points = points
        self.base = base
        self.reversedPoints = reversedPoints
        self.programVersion = programVersion
        self.lines = lines
    }

    /// Points still to become active, or already active, after returns.
    public var netPoints: Int64 { points - reversedPoints }

    /// Goods' value kept after returns: returns take back their share of the value paid, order discount included.
    /// Needs the lines.
    public var keptAmount: Int64 {
        let net = lines.reduce(Int64(0)) { $0 + $1.netAmount }
        let returned = lines.reduce(Int64(0)) {
            $0 + Rate.divide($1.netAmount, times: Int64($1.returnedQuantity), by: Int64($1.quantity), rounding: .floor)!
        }
        guard net > 0 else { return amount }
        return amount - Rate.divide(amount, times: returned, by: net, rounding: .floor)!
    }

}

/// One line of a recorded order.
public struct RecordedLine: Sendable, Hashable {
    /// The line id.
    public var lineId: String
    /// The product.
    public var sku: String
    /// The category.
    public var category: String?
    /// Units bought.
    public var quantity: Int
    /// The line's value after its discount.
    public var netAmount: Int64
    /// The line's share of the earning base.
    public var base: Int64
    /// Units returned so far.
    public var returnedQuantity: Int

    /// Makes a recorded line.
    public init(lineId: String, sku: String, category: String?, quantity: Int, netAmount: Int64, base: Int64, returnedQuantity: Int = 0) {
        self.lineId = lineId
        self.sku = sku
        self.category = category
        self.quantity = quantity
        self.netAmount = netAmount
        self.base = base
        self.returnedQuantity = returnedQuantity
    }
}
