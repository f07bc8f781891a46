import Foundation
import PatronCore
import PatronStore

/// Applies the program's message rules (`messages:`) to a claimed message just before it is sent: the trigger's stop
/// conditions and segment, its channels in preference order (the next when the member has no address, no consent for
/// marketing, or a bounced address on one), quiet hours in the shop's time zone (the message waits until they end) and
/// the weekly cap on marketing per member and channel (over it the message is suppressed, with the reason). Without a
/// `messages:` section every message goes as queued.
struct MessageJourneyGate: Sendable {
    /// What becomes of the message.
    enum Decision: Sendable, Equatable {
        /// Send it (on the channel it now has).
        case send(Message)
        /// Not yet: back in the queue until the instant.
        case deferred(until: Date, reason: String)
        /// Never: suppressed with the reason.
        case suppressed(String)
        /// Another deliverer holds it now.
        case lost
    }

    let context: ServiceContext

    /// The decision for `message`, claimed now.
    func decide(_ message: Message) async throws -> Decision {
        guard let program = try await context.store.currentProgram()?.program, let plan = program.messages else { return .send(message) }
        guard let member = try await context.store.member(id: message.memberId), !member.isErased else { return .send(message) }
        let now = context.clock.now()
        let facts = try await context.store.messageJourneyFacts(message: message.id, member: member.id)
        let trigger = facts.journey.flatMap { plan.trigger(id: $0) }
        let calendar = program.calendar
        let journey = facts.journey.map { name in " (\(name)\(facts.step.map { " step \($0)" } ?? ""))" } ?? ""

        if let trigger {
            if trigger.stopWhen.contains(.ordered), let ordered = facts.lastOrderAt, ordered > message.createdAt {
                return .suppressed("stopped: the member ordered on \(calendar.localDate(of: ordered))\(journey)")
            }
            if trigger.stopWhen.contains(.redeemed), let redeemed = facts.lastRedemptionAt, redeemed > message.createdAt {
                return .suppressed("stopped: the member redeemed a reward on \(calendar.localDate(of: redeemed))\(journey)")
            }
            if let segment = trigger.segment, !facts.segments.contains(segment) {
                return .suppressed("condition: the member is not in segment '\(segment)'\(journey)")
            }
        }

        var chosen = message.channel
        if let channels = trigger?.channels, channels.count > 1 {
            var reasons: [String] = []
            var usable: MessageChannel?
            for channel in channels {
                if let reason = try await unusable(channel, member: member, purpose: message.purpose) {
                    reasons.append("\(channel.rawValue): \(reason)")
                } else {
                    usable = channel
                    break
                }
            }
            guard let usable else { return .suppressed("no channel to use: \(reasons.joined(separator: "; "))\(journey)") }
            chosen = usable
        }

        if let quiet = plan.quietHours, quiet.channels.contains(chosen), let end = quiet.end(ofQuietAt: now, calendar: calendar) {
            return .deferred(until: end, reason: "quiet hours until \(Self.localTime(end, calendar: calendar))")
        }
        if message.purpose == .marketing, let cap = plan.marketingPerWeek {
            // Checked and counted in one store transaction, so two deliverers cannot both take the last place.
            switch try await context.store.reserveCappedSend(message, channel: chosen, cap: cap, since: now.addingTimeInterval(-7 * 86_400), at: now) {
            case .reserved:
                var reserved = message
                reserved.channel = chosen
                return .send(reserved)
            case .full(let sent):
                return .suppressed("frequency cap: \(sent) marketing messages by \(chosen.rawValue) in the last 7 days (at most \(cap) a week)\(journey)")
            case .lost:
                return .lost
            }
        }
        guard chosen != message.channel else { return .send(message) }
        guard try await context.store.rerouteMessage(message, to: chosen) else { return .lost }
        var rerouted = message
        rerouted.channel = chosen
        return .send(rerouted)
    }

    /// Why `channel` cannot carry a message to `member`, or nil when it can.
    func unusable(_ channel: MessageChannel, member: Member, purpose: MessagePurpose) async throws -> String? {
        guard let address = MessageDeliverer.address(of: member, on: channel) else {
            return "no \(channel == .email ? "e-mail" : "phone") identity"
        }
        if purpose == .marketing, member.profile.consents[channel.consentKey] != true { return "no consent for marketing" }
        if try await context.store.isSuppressed(channel: channel, address: address) { return "the address is suppressed after a hard bounce" }
        return nil
    }

    /// `yyyy-MM-dd HH:mm` in the shop's time zone.
    static func localTime(_ instant: Date, calendar: ShopCalendar) -> String {
        let day = calendar.localDate(of: instant)
        let minutes = Int(instant.timeIntervalSince(calendar.startOfDay(day)) / 60)
        return "\(day) " + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
