import Foundation
import PatronCore
import PatronStore

/// How the deliverer retries and paces.
public struct MessageDeliveryConfiguration: Sendable, Hashable {
    /// Attempts before a message is dead-lettered.
    public var maxAttempts: Int
    /// The wait before the first retry; each further retry waits twice as long, up to `maxBackoff`.
    public var backoff: TimeInterval
    /// The longest wait between attempts.
    public var maxBackoff: TimeInterval
    /// How long a claimed message stays leased to this deliverer.
    public var lease: TimeInterval
    /// Messages claimed per round.
    public var batch: Int
    /// Messages per second allowed on each channel (absent: no limit).
    public var ratePerSecond: [MessageChannel: Double]

    /// Defaults: 6 attempts, 60 s doubling up to 6 h, 5-minute leases, 100 per round, e-mail at 50/s, SMS and push at 10/s.
    public init(
        maxAttempts: Int = 6, backoff: TimeInterval = 60, maxBackoff: TimeInterval = 6 * 3_600, lease: TimeInterval = 300, batch: Int = 100,
        ratePerSecond: [MessageChannel: Double] = [.email: 50, .sms: 10, .push: 10]
    ) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.lease = lease
        self.batch = batch
        self.ratePerSecond = ratePerSecond
    }

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(maxBackoff, backoff * pow(2, Double(max(0, attempt - 1))))
    }
}

/// What one round of delivery did.
public struct MessageDeliveryReport: Sendable, Hashable, Codable {
    /// Messages claimed.
    public var claimed = 0
    /// Accepted by the peer (or stored in the inbox).
    public var sent = 0
    /// Failed and queued again for later.
    public var retried = 0
    /// Dead-lettered after the last attempt.
    public var dead = 0
    /// Refused for good; the address is suppressed.
    public var bounced = 0
    /// Not sent: no consent, no address, a suppressed address, an erased member, a trigger's stop condition or
    /// segment, the weekly marketing cap.
    public var suppressed = 0
    /// Put back in the queue until quiet hours end (the attempt is not counted).
    public var deferred = 0

    /// An empty report.
    public init() {}
}

/// Delivers queued messages: claims them with a lease, renders each from the member's standing now, checks consent and
/// suppression, hands it to its channel's sender and records the outcome. At least once: a crash after the peer accepted
/// a message but before the outcome was recorded sends it again when the lease ends, with the same key (Message-ID).
public struct MessageDeliverer: Sendable {
    let context: ServiceContext
    let templates: MessageTemplates
    let senders: [MessageChannel: any MessageSender]
    let unsubscribe: UnsubscribeLink?
    let configuration: MessageDeliveryConfiguration
    let pacer: ChannelPacer
    /// Open and click tracking of e-mails' HTML, when configured.
    let tracking: MessageTracking?

    /// A deliverer with a sender per channel; a message on a channel without one fails its attempt and is retried
    /// with backoff, so configuring the sender later still sends it (until its attempts run out).
    public init(
        context: ServiceContext, templates: MessageTemplates, senders: [MessageChannel: any MessageSender], unsubscribe: UnsubscribeLink?,
        configuration: MessageDeliveryConfiguration = MessageDeliveryConfiguration(), tracking: MessageTracking? = nil
    ) {
        self.context = context
        self.templates = templates
        self.senders = senders
        self.unsubscribe = unsubscribe
        self.configuration = configuration
        self.pacer = ChannelPacer(ratePerSecond: configuration.ratePerSecond)
        self.tracking = tracking
    }

    /// Claims one batch of due messages and delivers them; returns what happened.
    public func deliverDue() async throws -> MessageDeliveryReport {
        var report = MessageDeliveryReport()
        let claims = try await context.store.claimMessages(at: context.clock.now(), limit: configuration.batch, lease: configuration.lease)
        report.claimed = claims.count
        let gate = MessageJourneyGate(context: context)
        for claim in claims {
            // The program's message rules first (stop conditions, segment, channel fallback, quiet hours, weekly cap).
            let outcome: MessageOutcome
            // The message as held now: on the channel the rules chose (a bounce suppresses that channel's address).
            var held = claim
            do {
                switch try await gate.decide(claim) {
                case .send(let message):
                    held = message
                    outcome = await attempt(message)
                case .suppressed(let reason): outcome = .suppressed(reason: reason)
                case .deferred(let until, let reason):
                    if try await context.store.deferMessage(claim, until: until, reason: reason) { report.deferred += 1 }
                    continue
                case .lost: continue
                }
            } catch {
                outcome = failed(claim, "\(error)")
            }
            switch outcome {
            case .sent: report.sent += 1
            case .retry: report.retried += 1
            case .dead: report.dead += 1
            case .bounced: report.bounced += 1
            case .suppressed: report.suppressed += 1
            }
            _ = try await context.store.recordMessageOutcome(held, outcome, at: context.clock.now())
        }
        return report
    }

    /// Delivers rounds until nothing due is left (or `maxRounds`), adding up the reports.
    public func deliverAll(maxRounds: Int = 1_000) async throws -> MessageDeliveryReport {
        var total = MessageDeliveryReport()
        for _ in 0..<maxRounds {
            let round = try await deliverDue()
            if round.claimed == 0 { break }
            total.claimed += round.claimed
            total.sent += round.sent
            total.retried += round.retried
            total.dead += round.dead
            total.bounced += round.bounced
            total.suppressed += round.suppressed
            total.deferred += round.deferred
        }
        return total
    }

    /// One attempt at one claimed message.
    func attempt(_ message: Message) async -> MessageOutcome {
        do {
            guard let member = try await context.store.member(id: message.memberId), !member.isErased else {
                return .suppressed(reason: "the member was erased")
            }
            if message.purpose == .marketing, member.profile.consents[message.channel.consentKey] != true {
                return .suppressed(reason: "no consent for marketing by \(message.channel.rawValue)")
            }
            guard let recipient = Self.address(of: member, on: message.channel) else {
                return .suppressed(reason: "the member has no \(message.channel == .email ? "e-mail" : "phone") identity")
            }
            if try await context.store.isSuppressed(channel: message.channel, address: recipient) {
                return .suppressed(reason: "\(recipient) is suppressed after a hard bounce")
            }
            var links = MessageFieldValues.Links(preferences: unsubscribe?.preferences)
            if message.kind == .confirmConsent {
                switch try await confirmationLink(message, member: member) {
                case .success(let url): links.confirm = url
                case .failure(let problem): return problem.outcome
                }
            }
            guard let sender = senders[message.channel] else {
                return failed(message, "no sender is configured for \(message.channel.rawValue)")
            }
            let home = try await MemberHome.load(context: context, member: member.id)
            let locale = templates.locale(for: message.kind, wanted: MessageFieldValues.locale(of: member))
            let link = message.purpose == .marketing ? unsubscribe?.url(member: member.id, channel: message.channel) : nil
            links.unsubscribe = link
            let fields = MessageFieldValues.build(home: home, locale: locale, facts: message.facts, links: links)
            var rendered = try templates.render(message.kind, locale: locale, fields: fields)
            if let tracking, message.channel == .email {
                rendered = tracking.track(rendered, message: message.id, keep: Set([link].compactMap { $0 }))
            }
            try await pacer.wait(for: message.channel)
            do {
                let receipt = try await sender.send(MessageDelivery(message: message, recipient: recipient, rendered: rendered, unsubscribe: link))
                return .sent(rendered, recipient: recipient, providerId: receipt.providerId, delivered: receipt.delivered)
            } catch let error as MessageSendError where error.permanent {
                return .bounced(error: error.message, recipient: recipient)
            }
        } catch {
            return failed(message, "\(error)")
        }
    }

    /// What a `confirmConsent` message needs: the signed link of the consent request its facts name (`request`,
    /// `channel`), or the outcome instead — suppressed when the request was confirmed or withdrawn before it was sent
    /// (or its facts are gone), failed (retried) when no confirmation links are configured.
    func confirmationLink(_ message: Message, member: Member) async throws -> Result<String, ConfirmationProblem> {
        let facts = (message.facts.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        guard let channel = facts["channel"] as? String, let request = (facts["request"] as? String).flatMap(Int64.init) else {
            return .failure(ConfirmationProblem(outcome: .suppressed(reason: "the message names no consent request")))
        }
        let latest = try await context.store.consentRecords(member: member.id).last { $0.channel == channel }
        guard let latest, latest.state == .pending, latest.id >= request else {
            return .failure(ConfirmationProblem(outcome: .suppressed(reason: "the \(channel) consent was confirmed or withdrawn before the message was sent")))
        }
        guard let confirmation = unsubscribe?.confirmation else {
            return .failure(
                ConfirmationProblem(outcome: failed(message, "no confirmation link is configured (PATRON_UNSUBSCRIBE_URL and PATRON_UNSUBSCRIBE_SECRET)")))
        }
        return .success(confirmation.url(member: member.id, channel: channel, request: request))
    }

    /// The outcome a `confirmConsent` message gets instead of its link.
    struct ConfirmationProblem: Error {
        var outcome: MessageOutcome
    }

    /// A retry after the backoff, or dead when the attempts are used up.
    func failed(_ message: Message, _ error: String) -> MessageOutcome {
        if message.attempts >= configuration.maxAttempts { return .dead(error: error) }
        return .retry(error: error, at: context.clock.now().addingTimeInterval(configuration.delay(afterAttempt: message.attempts)))
    }

    /// The member's address on a channel: e-mail and phone identities; push and the inbox go by member id.
    public static func address(of member: Member, on channel: MessageChannel) -> String? {
        switch channel {
        case .email: member.identities.first { $0.kind == "email" }?.value
        case .sms: member.identities.first { $0.kind == "phone" }?.value
        case .push, .inbox, .webhook: String(member.id)
        }
    }
}

/// Paces sends per channel: at most the configured messages per second, by spacing them (a steady rate, no bursts).
/// It measures intervals on the monotonic clock: pacing is not a business date, so the `Clock` of the context is not
/// the right tool here.
actor ChannelPacer {
    let interval: [MessageChannel: Duration]
    var next: [MessageChannel: ContinuousClock.Instant] = [:]

    init(ratePerSecond: [MessageChannel: Double]) {
        interval = ratePerSecond.compactMapValues { $0 > 0 ? .nanoseconds(Int64(1_000_000_000 / $0)) : nil }
    }

    /// Waits until the channel may send again, and books the next slot.
    func wait(for channel: MessageChannel) async throws {
        guard let step = interval[channel] else { return }
        let clock = ContinuousClock()
        let now = clock.now
        let slot = max(now, next[channel] ?? now)
        next[channel] = slot + step
        if slot > now { try await clock.sleep(until: slot) }
    }
}
