import Hummingbird
import PatronStore

// The order-event routes' answers: a batch answers 1,000 results.

extension JSONAnswer {
    /// openapi.yaml's `OrderOutcome`.
    mutating func outcome(_ outcome: OrderOutcome) {
        object {
            $0.field("activeDelta", outcome.activeDelta)
            $0.field("enrolled", outcome.enrolled)
            $0.field("eventId", outcome.eventId)
            $0.field("memberId", outcome.memberId)
            $0.field("orderId", outcome.orderId)
            $0.field("pendingDelta", outcome.pendingDelta)
            $0.field("replayed", outcome.replayed)
            $0.field("status", outcome.status.rawValue)
        }
    }

    /// `{"results":[…]}`, an `OrderEventResult` for each event in the order sent: its outcome, or the error it would
    /// have had sent alone.
    mutating func results(_ results: [(eventId: String, result: Result<OrderOutcome, any Error>)]) {
        object {
            $0.key("results")
            $0.array(results) { answer, item in
                answer.object {
                    switch item.result {
                    case .success(let outcome):
                        $0.field("eventId", item.eventId)
                        $0.key("outcome")
                        $0.outcome(outcome)
                        $0.field("status", 200)
                    case .failure(let error):
                        let refusal = ErrorMiddleware<BasicRequestContext>.apiError(for: error)
                        $0.key("error")
                        $0.object {
                            $0.field("code", refusal.code)
                            $0.field("message", refusal.message)
                        }
                        $0.field("eventId", item.eventId)
                        $0.field("status", refusal.status.code)
                    }
                }
            }
        }
    }
}
