import PatronCore
import PatronStore

extension Components.Schemas.OrderOutcome {
    /// The API's order outcome, field for field: every order event answers one (a batch of 1,000 answers 1,000), so it
    /// is built directly rather than through `Bridge`'s JSON round trip. `BridgeTests` hold it to the round trip's result.
    init(_ outcome: PatronStore.OrderOutcome) {
        self.init(
            eventId: outcome.eventId, orderId: outcome.orderId, memberId: outcome.memberId, status: outcome.status.rawValue,
            pendingDelta: outcome.pendingDelta, activeDelta: outcome.activeDelta, enrolled: outcome.enrolled, replayed: outcome.replayed)
    }
}
