import Foundation
import PatronCore
import PatronStore

/// The staff's message actions, each audited with its actor: which kinds go out on which channels, and sending a dead
/// or bounced message again.
public struct MessageAdmin: Sendable {
    let context: ServiceContext

    /// Message actions over `context`.
    public init(context: ServiceContext) { self.context = context }

    /// Sets the channels `kind` goes out on (`message.trigger`, before and after). Refused when the program has a
    /// `messages:` section: its triggers decide then, and the table is not read.
    public func setTrigger(kind: MessageKind, channels: Set<MessageChannel>, actor: String) async throws -> [MessageChannel] {
        if try await context.store.currentProgram()?.program.messages != nil {
            throw PatronError(
                .invalidTransition,
                "the program has a messages: section, which sets the triggers; change it there and load the program (the trigger table is read only without that section)")
        }
        let before = try await context.store.messageTriggers()[kind] ?? []
        try await context.store.setMessageTrigger(kind: kind, channels: channels)
        let after = channels.sorted()
        try await AuditTrail(store: context.store).record(
            "message.trigger", subject: "message-kind:\(kind.rawValue)", actor: actor, before: before.map(\.rawValue), after: after.map(\.rawValue),
            at: context.clock.now())
        return after
    }

    /// Queues a dead, failed or bounced message again (`message.requeue`; a bounced address is no longer suppressed).
    public func requeue(id: Int64, actor: String) async throws -> Message {
        let now = context.clock.now()
        let before = try await context.store.message(id: id)
        let after = try await context.store.requeueMessage(id: id, at: now)
        try await AuditTrail(store: context.store).record(
            "message.requeue", subject: "message:\(id)", actor: actor, before: before?.status.rawValue, after: after.status.rawValue, at: now)
        return after
    }
}
