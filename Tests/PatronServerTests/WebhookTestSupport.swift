import Foundation
import PatronCore
import PatronFiles
import PatronServer
import PatronStore
import PatronTestSupport
import Synchronization

/// A sender that answers from a script (a status, or an error for "no answer") and keeps every request.
final class ScriptedSender: WebhookSender {
    private let state: Mutex<(answers: [Int?], requests: [WebhookRequest])>
    private let fallback: Int?

    /// Answers `answers` in turn, then `fallback`; `nil` throws as a timeout would.
    init(_ answers: [Int?] = [], then fallback: Int? = 200) {
        state = Mutex((answers, []))
        self.fallback = fallback
    }

    var requests: [WebhookRequest] { state.withLock { $0.requests } }

    func send(_ request: WebhookRequest) async throws -> Int {
        let answer = state.withLock { state -> Int? in
            state.requests.append(request)
            return state.answers.isEmpty ? fallback : state.answers.removeFirst()
        }
        guard let answer else { throw URLError(.timedOut) }
        return answer
    }
}

/// A store with a program and a member whose enrolment is announced to one subscription.
func webhookStore(
    clock: ManualClock, events: Set<WebhookEventKind> = [.memberEnrolled], url: String = "https://shop.example/hooks",
    path: String = TestDatabase.fresh()
) async throws -> (SQLStore, WebhookSubscription) {
    let store = try SQLStore.open(path, clock: clock)
    try await store.migrate()
    _ = try await store.loadProgram(try ProgramFile.parse(cdnowProgram), source: cdnowProgram)
    let subscription = try await store.createWebhookSubscription(NewWebhookSubscription(url: url, events: events, at: clock.now()))
    return (store, subscription)
}
