import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// The program's message triggers end to end, with a fixed clock: each cause queues its message once (in the change's
/// transaction, or by the journeys job however often it runs), and the deliverer applies the journey rules — channel
/// fallback, stop conditions, segment conditions, quiet hours, the weekly cap. On SQLite, or PostgreSQL when asked.
@Suite(.serialized) struct MessageJourneyTests {
    static let program = """
        name: Journey shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        expiry: { afterDays: 20 }
        rewards:
          - { id: teapot, name: Teapot, kind: gift, cost: 100, stock: 5 }
        messages:
          quietHours: { from: "21:00", to: "08:00" }
          frequencyCap: { marketingPerWeek: 2 }
          triggers:
            - { id: welcome, on: enrolled, channels: [sms, email, inbox] }
            - { id: first, on: firstOrder, channels: [inbox] }
            - { id: review, on: orderDelivered, delay: 3d, channels: [inbox] }
            - { id: vip-review, on: orderDelivered, segment: vip, channels: [inbox] }
            - { id: shipped, on: rewardFulfilled, channels: [inbox] }
            - { id: expiring, on: pointsExpiring, withinDays: 30, channels: [inbox] }
            - { id: birthday, on: birthday, channels: [inbox] }
            - { id: anniversary, on: anniversary, channels: [inbox] }
            - { id: thanks, on: thankYou, topPercent: 50, every: quarter, channels: [inbox] }
            - { id: vip-thanks, on: thankYou, segment: vip, every: year, channels: [inbox] }
            - { id: winback, on: inactive, days: [30, 60, 90], channels: [email, inbox] }
        """

    /// 2026-03-01 12:00 in Shanghai.
    static let now = ISO8601DateFormatter().date(from: "2026-03-01T04:00:00Z")!

    let clock = ManualClock(Self.now)
    let store: SQLStore
    let context: ServiceContext
    let templates: MessageTemplates

    init() async throws {
        store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        // The triggers name segment 'vip': a program naming a segment that does not exist is refused.
        _ = try await store.saveSegments([SegmentDefinition(name: "vip", kind: .static, condition: nil)], actor: "test", at: Self.now)
        _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        context = ServiceContext(store: store, clock: clock)
        templates = try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en")
    }

    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    func days(_ count: Int) -> Date { Self.now.addingTimeInterval(Double(count) * 86_400) }

    @discardableResult
    func enroll(_ customer: String, email: String? = nil, birthday: String? = nil, consents: [String: Bool] = [:]) async throws -> Member {
        var identities = [try Identity.customer(customer)]
        if let email { identities.append(try Identity(kind: "email", value: email)) }
        let profile = Profile(name: customer.capitalized, birthday: birthday.flatMap { LocalDate(iso: $0) }, consents: consents)
        return try await store.enroll(EnrollmentRequest(identities: identities, profile: profile), key: "enroll-\(customer)")
    }

    func place(_ order: String, for customer: String, amount: Int64 = 10_000, at date: Date) async throws {
        let line = OrderLine(sku: "TEA", quantity: 1, unitPrice: amount)
        _ = try await store.apply([.placed(Order(id: order, member: try .customer(customer), lines: [line]), at: date)], options: ApplyOptions())[0].get()
    }

    func complete(_ order: String, at date: Date) async throws {
        _ = try await store.apply([.completed(order, at: date)], options: ApplyOptions())[0].get()
    }

    func messages(_ kind: MessageKind, member: Int64? = nil) async throws -> [Message] {
        try await store.messages(status: nil, limit: 1_000).filter { $0.kind == kind && (member == nil || $0.memberId == member) }.sorted { $0.id < $1.id }
    }

    func deliver() async throws -> MessageDeliveryReport {
        let accept = AcceptingSender()
        return try await MessageDeliverer(
            context: context, templates: templates, senders: [.email: accept, .sms: accept, .push: accept, .inbox: InboxSender()],
            unsubscribe: try UnsubscribeLink(secret: Data(repeating: 7, count: 32), base: "https://shop.example/unsubscribe"),
            configuration: MessageDeliveryConfiguration(ratePerSecond: [:])
        ).deliverAll()
    }

    func journeys() async throws -> Int { try await store.runMessageJourneys(asOf: clock.now()).items }

    @Test func aBounceOnTheChannelFallenBackToSuppressesThatChannelsAddress() async throws {
        // Queued for SMS, the welcome falls back to e-mail (no phone), where the address bounces.
        let cy = try await enroll("cy", email: "gone@example.com")
        let welcome = try #require(try await messages(.welcome, member: cy.id).first)
        #expect(welcome.channel == .sms)
        let report = try await MessageDeliverer(
            context: context, templates: templates, senders: [.email: BouncingSender(), .sms: AcceptingSender(), .inbox: InboxSender()],
            unsubscribe: try UnsubscribeLink(secret: Data(repeating: 7, count: 32), base: "https://shop.example/unsubscribe"),
            configuration: MessageDeliveryConfiguration(ratePerSecond: [:])
        ).deliverAll()
        #expect(report.bounced == 1)
        let bounced = try #require(try await store.message(id: welcome.id))
        #expect(bounced.status == .bounced && bounced.channel == .email && bounced.recipient == "gone@example.com")
        #expect(try await store.isSuppressed(channel: .email, address: "gone@example.com"))
        #expect(try await !store.isSuppressed(channel: .sms, address: "gone@example.com"))
    }

    @Test func theWelcomeGoesOnTheFirstChannelTheMemberHasAndWaitsOutQuietHours() async throws {
        let ann = try await enroll("ann", email: "ann@example.com")
        let welcome = try #require(try await messages(.welcome, member: ann.id).first)
        #expect(welcome.channel == .sms && welcome.dueAt == Self.now && welcome.purpose == .transactional)

        // 21:30 in Shanghai: quiet. The message goes back to the queue until 08:00, its attempt given back.
        clock.set(at("2026-03-01T13:30:00Z"))
        let night = try await deliver()
        #expect(night.deferred == 1 && night.sent == 0)
        let waiting = try #require(try await store.message(id: welcome.id))
        #expect(waiting.status == .queued && waiting.dueAt == at("2026-03-02T00:00:00Z") && waiting.attempts == 0)
        #expect(waiting.lastError == "quiet hours until 2026-03-02 08:00")

        // Enrolled at 22:30: queued already due at 08:00.
        clock.set(at("2026-03-01T14:30:00Z"))
        let bo = try await enroll("bo")
        #expect(try await messages(.welcome, member: bo.id).first?.dueAt == at("2026-03-02T00:00:00Z"))
        #expect(try await deliver().claimed == 0)

        // 08:00: Ann has no phone, so the e-mail takes it; Bo has neither, so the inbox does.
        clock.set(at("2026-03-02T00:00:00Z"))
        #expect(try await deliver().sent == 2)
        let sent = try #require(try await store.message(id: welcome.id))
        #expect(sent.status == .sent && sent.channel == .email && sent.recipient == "ann@example.com")
        #expect(try await messages(.welcome, member: bo.id).first?.channel == .inbox)
        #expect(try await messages(.welcome, member: bo.id).first?.status == .delivered)
    }

    @Test func theWinBackStepsAt30And60DaysStopWhenTheMemberOrdersAndStartAgainAfterwards() async throws {
        let cy = try await enroll("cy", email: "cy@example.com", consents: ["email": true, "inbox": true])
        let dee = try await enroll("dee")  // no e-mail, no consent: nothing can carry marketing to her
        try await place("c1", for: "cy", at: Self.now)
        try await place("d1", for: "dee", at: Self.now)

        clock.set(days(29))
        _ = try await journeys()
        #expect(try await messages(.inactive).isEmpty)

        clock.set(days(30))
        _ = try await journeys()
        #expect(try await journeys() == 0)  // twice: nothing new
        let first = try await messages(.inactive, member: cy.id)
        #expect(first.count == 1 && first[0].key.value == "inactive.\(cy.id).winback-1-2026-03-01.email" && first[0].facts.contains(#""step":1"#))
        _ = try await deliver()
        #expect(try await store.message(id: first[0].id)?.status == .sent)
        let nobody = try #require(try await messages(.inactive, member: dee.id).first)
        #expect(try await store.message(id: nobody.id)?.status == .suppressed)
        #expect(
            try await store.message(id: nobody.id)?.lastError
                == "no channel to use: email: no e-mail identity; inbox: no consent for marketing (winback step 1)")

        clock.set(days(45))
        _ = try await journeys()
        #expect(try await messages(.inactive, member: cy.id).count == 1)

        // Day 60: the second step is queued; Cy orders before it goes, so it stops.
        clock.set(days(60))
        _ = try await journeys()
        let second = try await messages(.inactive, member: cy.id)
        #expect(second.count == 2 && second[1].facts.contains(#""step":2"#))
        try await place("c2", for: "cy", at: days(61))
        clock.set(days(61).addingTimeInterval(3_600))
        _ = try await deliver()
        let stopped = try #require(try await store.message(id: second[1].id))
        #expect(stopped.status == .suppressed && stopped.lastError == "stopped: the member ordered on 2026-05-01 (winback step 2)")

        // Day 90 is 29 days after the new order: no third step; day 91 starts the count again.
        clock.set(days(90))
        _ = try await journeys()
        #expect(try await messages(.inactive, member: cy.id).count == 2)
        clock.set(days(91))
        _ = try await journeys()
        let again = try await messages(.inactive, member: cy.id)
        #expect(again.count == 3 && again[2].key.value == "inactive.\(cy.id).winback-1-2026-05-01.email")
    }

    @Test func theWeeklyCapSuppressesMarketingOverItWithTheReasonAndAWeekLaterAllowsMore() async throws {
        let eve = try await enroll("eve", consents: ["inbox": true])
        for cause in ["a", "b", "c"] {
            _ = try await store.queueMessage(NewMessage(memberId: eve.id, kind: .campaign, channel: .inbox, cause: cause, facts: #"{"campaign":"Spring"}"#, at: Self.now))
        }
        let report = try await deliver()
        #expect(report.sent == 3 && report.suppressed == 1)  // the welcome is transactional: not counted
        let capped = try #require(try await messages(.campaign, member: eve.id).last)
        #expect(capped.status == .suppressed && capped.lastError == "frequency cap: 2 marketing messages by inbox in the last 7 days (at most 2 a week)")

        clock.set(days(7).addingTimeInterval(60))
        _ = try await store.queueMessage(NewMessage(memberId: eve.id, kind: .campaign, channel: .inbox, cause: "d", at: clock.now()))
        #expect(try await deliver().sent == 1)
    }

    @Test func pointsExpiringWarnsOncePerMemberAndLastDayNotPerLot() async throws {
        let fay = try await enroll("fay")
        for (key, points) in [("a", 10), ("b", 20)] {
            _ = try await store.adjust(Adjustment(memberId: fay.id, points: Int64(points), reason: "gift", actor: "test", key: key, at: Self.now))
        }
        clock.set(days(1))
        _ = try await store.adjust(Adjustment(memberId: fay.id, points: 30, reason: "gift", actor: "test", key: "c", at: clock.now()))
        #expect(try await journeys() == 2)
        #expect(try await journeys() == 0)
        let warnings = try await messages(.pointsExpiring, member: fay.id)
        #expect(warnings.count == 2)
        let facts = warnings.map(\.facts)
        #expect(facts[0].contains(#""points":30"#) && facts[1].contains(#""points":30"#))
        #expect(Set(facts).count == 2)  // two last days
    }

    @Test func birthdaysAnniversariesAndThankYousAreQueuedOnceHoweverOftenTheJobRuns() async throws {
        clock.set(at("2025-03-01T04:00:00Z"))
        let gus = try await enroll("gus")
        clock.set(Self.now)
        let hal = try await enroll("hal", birthday: "1990-03-01")
        _ = try await enroll("ida")
        try await place("h1", for: "hal", amount: 90_000, at: Self.now)
        try await place("i1", for: "ida", amount: 10_000, at: Self.now)
        _ = try await store.saveSegments([SegmentDefinition(name: "vip", kind: .static, condition: nil)], actor: "test", at: Self.now)
        _ = try await store.replaceStaticSegmentMembers(segment: "vip", members: [gus.id], at: Self.now)

        #expect(try await journeys() == 4)
        #expect(try await journeys() == 0)
        #expect(try await messages(.birthday).map(\.memberId) == [hal.id])
        let anniversary = try await messages(.anniversary)
        #expect(anniversary.map(\.memberId) == [gus.id] && anniversary[0].facts == #"{"years":1}"#)
        // Top 50 % of two spenders: Hal; the segment's thank-you: Gus.
        let thanks = try await messages(.thankYou)
        #expect(thanks.map(\.key.value).sorted() == ["thankYou.\(gus.id).vip-thanks-2026.inbox", "thankYou.\(hal.id).thanks-2026-Q1.inbox"].sorted())

        // The next quarter thanks again.
        clock.set(at("2026-04-01T04:00:00Z"))
        _ = try await journeys()
        #expect(try await messages(.thankYou, member: hal.id).count == 2)
    }

    @Test func ordersQueueTheFirstOrderAndTheDeliveredMessagesInTheirTransactionAndASegmentConditionHolds() async throws {
        let jo = try await enroll("jo")
        try await place("j1", for: "jo", at: Self.now)
        try await place("j2", for: "jo", at: Self.now.addingTimeInterval(60))
        let first = try await messages(.firstOrder, member: jo.id)
        #expect(first.count == 1 && first[0].facts.contains(#""order_id":"j1""#))

        try await complete("j1", at: Self.now.addingTimeInterval(120))
        let delivered = try await messages(.orderDelivered, member: jo.id)
        #expect(delivered.count == 2)
        let review = try #require(delivered.first { $0.key.value.contains(".review-") })
        #expect(review.dueAt == Self.now.addingTimeInterval(120 + 3 * 86_400))

        clock.set(Self.now.addingTimeInterval(180))
        _ = try await deliver()
        let vip = try #require(delivered.first { $0.key.value.contains(".vip-review-") })
        #expect(try await store.message(id: vip.id)?.lastError == "condition: the member is not in segment 'vip' (vip-review)")
        #expect(try await store.message(id: first[0].id)?.status == .delivered)
        #expect(try await store.message(id: review.id)?.status == .queued)
        clock.set(review.dueAt)
        _ = try await deliver()
        #expect(try await store.message(id: review.id)?.status == .delivered)
    }

    @Test func aShippedAndThenDeliveredGiftQueuesOneMessageEach() async throws {
        let kim = try await enroll("kim")
        _ = try await store.adjust(Adjustment(memberId: kim.id, points: 500, reason: "funds", actor: "test", key: "funds", at: Self.now))
        let redemption = try await store.redeem(RedeemRequest(memberId: kim.id, rewardId: "teapot", key: "teapot", at: Self.now))
        _ = try await store.fulfil(redemption: redemption.id, status: "shipped", at: Self.now)
        _ = try await store.fulfil(redemption: redemption.id, status: "delivered", at: Self.now)
        let fulfilled = try await messages(.rewardFulfilled, member: kim.id)
        #expect(fulfilled.map { $0.facts.contains(#""status":"shipped""#) } == [true, false])
        #expect(fulfilled.map { $0.facts.contains(#""status":"delivered""#) } == [false, true])
    }

    @Test func aCampaignsMessageActionQueuesACampaignMessageForEachTreatedMember() async throws {
        let lu = try await enroll("lu", consents: ["inbox": true])
        _ = try await store.saveSegments([SegmentDefinition(name: "everyone", kind: .static, condition: nil)], actor: "test", at: Self.now)
        _ = try await store.replaceStaticSegmentMembers(segment: "everyone", members: [lu.id], at: Self.now)
        let campaign = MarketingCampaign(
            name: "spring", segment: "everyone", starts: LocalDate(iso: "2026-01-01")!, ends: LocalDate(iso: "2026-12-31")!, holdoutBasisPoints: 0,
            actions: [.message(template: "spring-tea", channel: "inbox")])
        _ = try await store.createCampaign(campaign, at: Self.now)
        _ = try await store.transitionCampaign(named: "spring", .start, at: Self.now)
        let pass = try await store.assignCampaignMembers(named: "spring", members: [lu.id], at: Self.now)
        #expect(pass.messagesWaiting == 1)
        let queued = try await messages(.campaign, member: lu.id)
        #expect(queued.count == 1 && queued[0].purpose == .marketing && queued[0].channel == .inbox)
        #expect(queued[0].facts == #"{"campaign":"spring","template":"spring-tea"}"#)
        _ = try await deliver()
        #expect(try await store.message(id: queued[0].id)?.status == .delivered)
    }

    @Test func checkingAndLoadingAProgramWhoseTriggerNamesAMissingSegmentRefuseItWithItsLine() async throws {
        let changes = ProgramChanges(context: context)
        let misspelt = Self.program.replacingOccurrences(of: "segment: vip, every: year", with: "segment: vips, every: year")
        for attempt in [{ _ = try await changes.check(source: misspelt) }, { _ = try await changes.load(source: misspelt, actor: "ops@shop") }] as [() async throws -> Void] {
            do {
                try await attempt()
                Issue.record("accepted a trigger naming segment 'vips'")
            } catch let error as PatronError {
                #expect(error.code == .invalidProgram)
                #expect(error.details == [
                    "messages.triggers[9].segment (line 21): segment 'vips' does not exist; the segments are vip "
                        + "(create it with `patron segments load`, or define it in this file's segments: section)"
                ])
            }
        }
        #expect(try await store.currentProgram()?.version == 1)
        #expect(try await store.auditLog(after: 0, limit: 10, subject: "program:2").isEmpty)
        // The segments stay: nothing deletes a segment, so a trigger's segment checked at load keeps existing.
        #expect(try await store.segments().map(\.definition.name) == ["vip"])
    }

    @Test func theTriggerTableIsRefusedWhileTheProgramHasAMessagesSection() async throws {
        await #expect(throws: PatronError.self) {
            _ = try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.email], actor: "ops@shop")
        }
    }
}

/// A channel peer that accepts every message.
struct AcceptingSender: MessageSender {
    func send(_ delivery: MessageDelivery) async throws -> MessageReceipt { MessageReceipt(providerId: "accepted", delivered: false) }
}

/// A peer that refuses every address for good (a hard bounce).
struct BouncingSender: MessageSender {
    func send(_ delivery: MessageDelivery) async throws -> MessageReceipt { throw MessageSendError("550 5.1.1 no such user", permanent: true) }
}
