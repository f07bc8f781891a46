import Foundation
import PatronCore
import PatronStore

/// Redeeming with the program's `care.automatic.refusedRedemption`: a redemption refused for stock, a limit or
/// eligibility opens a `pointsAndBenefits` ticket for the member (one per member, reward and local day), then the
/// refusal is answered as before. The refusal rolls its own transaction back, so the ticket is opened here, after it.
/// A refusal for the balance or bad input opens none.
public struct RefusedRedemptionTickets: Sendable {
    let context: ServiceContext

    /// Redemptions over the context's store.
    public init(context: ServiceContext) { self.context = context }

    /// The refusals that open a ticket.
    public static let ticketed: Set<PatronError.Code> = [.outOfStock, .limitReached, .notEligible]

    /// Redeems; on a ticketed refusal with the program's setting on, opens the ticket and rethrows the refusal.
    public func redeem(_ request: RedeemRequest) async throws -> Redemption {
        do {
            return try await context.store.redeem(request)
        } catch let refusal as PatronError where Self.ticketed.contains(refusal.code) {
            let program = try await context.currentProgram().program
            guard program.care.ticketOnRefusedRedemption else { throw refusal }
            let day = program.calendar.localDate(of: request.at)
            _ = try await TicketService(context: context).open(
                memberId: request.memberId, category: .pointsAndBenefits, priority: .normal, source: .automatic,
                subject: "Redemption of \(request.rewardId) refused", body: refusal.message, actor: "job:redemptions",
                originKey: "redemption-refused:\(request.memberId):\(request.rewardId):\(day)")
            throw refusal
        }
    }
}
