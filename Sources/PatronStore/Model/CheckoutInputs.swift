import PatronCore

/// What a checkout quote reads from the store, read together (`Store.checkoutInputs`): the program in force, the
/// buyer, and what the earning rules know about the buyer at the quote's instant.
public struct CheckoutInputs: Sendable {
    /// The program in force.
    public var program: ProgramVersion
    /// The member the quote is for.
    public var member: Member
    /// What the program's earning rules read about the member (level, tags, birthday, first order, rule usage).
    public var earning: EarningContext

    /// Inputs read elsewhere, put together.
    public init(program: ProgramVersion, member: Member, earning: EarningContext) {
        self.program = program
        self.member = member
        self.earning = earning
    }
}
