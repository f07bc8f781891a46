/// What a level gives its members.
public struct Benefits: Sendable, Hashable {
    /// A discount on eligible goods, in percent (5 = 5 % off).
    public var discountPercent: Rate?
    /// Spend-X-save-Y (满减) steps; the highest step the goods reach applies.
    public var spendAndSave: [SpendAndSave]
    /// Goods' value from which shipping is free, minor units.
    public var freeShippingFrom: Int64?
    /// Points given once a year in the birthday month.
    public var birthdayPoints: Int64?
    /// Coupons issued each month, by reward name.
    public var monthlyCoupons: [String]
    /// Service perks as named flags (priority support, early access …).
    public var perks: [String]
    /// Days within which goods may be returned without questions.
    public var returnDays: Int?
    /// SKUs only members of this level (or higher) may buy.
    public var exclusiveSKUs: Set<String>

    /// Makes benefits; none by default.
    public init(
        discountPercent: Rate? = nil, spendAndSave: [SpendAndSave] = [], freeShippingFrom: Int64? = nil, birthdayPoints: Int64? = nil,
        monthlyCoupons: [String] = [], perks: [String] = [], returnDays: Int? = nil, exclusiveSKUs: Set<String> = []
    ) {
        self.discountPercent = discountPercent
        self.spendAndSave = spendAndSave
        self.freeShippingFrom = freeShippingFrom
        self.birthdayPoints = birthdayPoints
        self.monthlyCoupons = monthlyCoupons
        self.perks = perks
        self.returnDays = returnDays
        self.exclusiveSKUs = exclusiveSKUs
    }
}

/// One spend-X-save-Y step: goods of at least `spend` save `save` (minor units).
public struct SpendAndSave: Sendable, Hashable {
    /// The goods' value needed.
    public var spend: Int64
    /// The saving.
    public var save: Int64

    /// Makes a step.
    public init(spend: Int64, save: Int64) {
        self.spend = spend
        self.save = save
    }
}
