import Crypto
import Foundation
import PatronCore
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// Messages from the change that causes them to the peer that receives them: queued in the change's transaction,
/// rendered, checked for consent and suppression, sent, retried, dead-lettered — on SQLite, or PostgreSQL when asked.
@Suite(.serialized) struct MessageDelivererTests {
    let clock = ManualClock(ServicesFixture.now)
    let fixture: ServicesFixture
    let context: ServiceContext
    let templates: MessageTemplates
    let secret = Data(repeating: 7, count: 32)

    init() async throws {
        fixture = try await ServicesFixture()
        context = ServiceContext(store: fixture.store, clock: clock)
        templates = try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en")
    }

    func enroll(_ customer: String, email: String? = nil, phone: String? = nil, name: String = "Ann", tags: [String] = [], consents: [String: Bool] = [:]) async throws
        -> Member
    {
        var identities = [try Identity.customer(customer)]
        if let email { identities.append(try Identity(kind: "email", value: email)) }
        if let phone { identities.append(try Identity(kind: "phone", value: phone)) }
        return try await fixture.store.enroll(
            EnrollmentRequest(identities: identities, profile: Profile(name: name, tags: tags, consents: consents)), key: "enroll-\(customer)")
    }

    func deliverer(_ senders: [MessageChannel: any MessageSender], maxAttempts: Int = 6) throws -> MessageDeliverer {
        MessageDeliverer(
            context: context, templates: templates, senders: senders,
            unsubscribe: try UnsubscribeLink(secret: secret, base: "https://shop.example/unsubscribe"),
            configuration: MessageDeliveryConfiguration(maxAttempts: maxAttempts, ratePerSecond: [:]))
    }

    func smtp(_ sink: LoopbackPeer) -> EmailSender {
        EmailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: "loyalty@shop.example"), clock: clock)
    }

    @Test func anEnrolmentQueuesItsWelcomeOnceAndItGoesToTheInboxAndByEmail() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.email, .inbox], actor: "ops@shop")
        let ann = try await enroll("ann", email: "ann@example.com", name: "Ann <Lee>")
        _ = try await enroll("ann", email: "ann@example.com", name: "Ann <Lee>")  // the same enrolment replayed
        let queued = try await fixture.store.messages(status: .queued, limit: 10)
        #expect(queued.map(\.channel).sorted() == [.email, .inbox])
        #expect(queued.allSatisfy { $0.memberId == ann.id && $0.kind == .welcome && $0.purpose == .transactional })

        let sink = try LoopbackPeer("smtp_sink.py")
        let email = smtp(sink)
        let report = try await deliverer([.email: email, .inbox: InboxSender()]).deliverAll()
        await email.close()
        #expect(report.claimed == 2 && report.sent == 2)

        let received = try sink.files(endingWith: ".eml")
        #expect(received.count == 1)
        #expect(header("Message-ID", in: received[0]) == "<welcome.\(ann.id).enrolled.email@shop.example>")
        #expect(header("Subject", in: received[0]) == "Welcome to Test shop, Ann <Lee>")
        #expect(header("List-Unsubscribe", in: received[0]) == nil)  // transactional
        #expect(part("text/html", in: received[0])?.contains("Welcome to Test shop, Ann &lt;Lee&gt;") == true)

        let inbox = try await fixture.store.memberMessages(member: ann.id, channel: .inbox, before: nil, limit: 10)
        #expect(inbox.count == 1 && inbox.first?.status == .delivered && inbox.first?.subject == "Welcome to Test shop, Ann <Lee>")
        let read = try await fixture.store.markMessageRead(member: ann.id, id: inbox[0].id, at: clock.now())
        #expect(read.readAt == clock.now())
        let sent = try #require(try await fixture.store.messages(status: .sent, limit: 10).first)
        #expect(sent.channel == .email && sent.recipient == "ann@example.com" && sent.providerId?.contains("Q1") == true)
        #expect(try await fixture.store.auditLog(after: 0, limit: 10, subject: "message-kind:welcome").map(\.actor) == ["ops@shop"])
    }

    @Test func aMemberWithALocaleTagGetsTheChineseTemplate() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.inbox], actor: "ops@shop")
        let mei = try await enroll("mei", name: "美", tags: ["locale:zh-Hans"])
        _ = try await deliverer([.inbox: InboxSender()]).deliverAll()
        let message = try #require(try await fixture.store.memberMessages(member: mei.id, channel: .inbox, before: nil, limit: 1).first)
        #expect(message.subject == "美，欢迎加入Test shop")
    }

    @Test func marketingNeedsConsentAndCarriesAOneClickUnsubscribeThatWorks() async throws {
        let bo = try await enroll("bo", email: "bo@example.com", name: "Bo")
        let cy = try await enroll("cy", email: "cy@example.com", name: "Cy", consents: ["email": true])
        for member in [bo, cy] {
            _ = try await fixture.store.queueMessage(
                NewMessage(memberId: member.id, kind: .campaign, channel: .email, cause: "spring", facts: #"{"campaign":"Spring tea"}"#, at: clock.now()))
        }
        let sink = try LoopbackPeer("smtp_sink.py")
        let email = smtp(sink)
        let report = try await deliverer([.email: email]).deliverAll()
        await email.close()
        #expect(report.sent == 1 && report.suppressed == 1)
        #expect(try await fixture.store.messages(status: .suppressed, limit: 5).map(\.memberId) == [bo.id])
        let received = try #require(try sink.files(endingWith: ".eml").first)
        let link = try #require(header("List-Unsubscribe", in: received)).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        #expect(header("List-Unsubscribe-Post", in: received) == "List-Unsubscribe=One-Click")
        #expect(part("text/plain", in: received)?.contains(link) == true)

        let token = String(try #require(link.split(separator: "=").last))
        let unsubscribe = try UnsubscribeLink(secret: secret, base: "https://shop.example/unsubscribe")
        let (after, channel) = try await unsubscribe.unsubscribe(token: token, context: context)
        #expect(after.id == cy.id && channel == .email && after.profile.consents["email"] == false)
        #expect(try await fixture.store.auditLog(after: 0, limit: 10, subject: "member:\(cy.id)").map(\.action) == ["member.unsubscribe"])
        #expect(throws: PatronError.self) { try unsubscribe.verify(token.dropLast() + "A") }
        #expect(throws: PatronError.self) { try unsubscribe.verify("\(bo.id).email." + token.split(separator: ".")[2]) }

        _ = try await fixture.store.queueMessage(NewMessage(memberId: cy.id, kind: .campaign, channel: .email, cause: "summer", at: clock.now()))
        #expect(try await deliverer([.email: email]).deliverAll().suppressed == 1)
    }

    @Test func aHardBounceSuppressesTheAddressAndATemporaryFailureRetriesThenDies() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.email], actor: "ops@shop")
        let dan = try await enroll("dan", email: "bounce-dan@example.com")
        let eve = try await enroll("eve", email: "later-eve@example.com")
        let sink = try LoopbackPeer("smtp_sink.py")
        let email = smtp(sink)
        let first = try await deliverer([.email: email], maxAttempts: 2).deliverAll()
        #expect(first.bounced == 1 && first.retried == 1)
        #expect(try await fixture.store.isSuppressed(channel: .email, address: "Bounce-Dan@example.com"))
        let waiting = try #require(try await fixture.store.messages(status: .queued, limit: 5).first)
        #expect(waiting.memberId == eve.id && waiting.dueAt == clock.now().addingTimeInterval(60) && waiting.lastError?.contains("451") == true)

        #expect(try await deliverer([.email: email], maxAttempts: 2).deliverAll().claimed == 0)  // not due yet
        clock.advance(seconds: 61)
        #expect(try await deliverer([.email: email], maxAttempts: 2).deliverAll().dead == 1)
        _ = try await fixture.store.queueMessage(NewMessage(memberId: dan.id, kind: .levelChanged, channel: .email, cause: "x", at: clock.now()))
        #expect(try await deliverer([.email: email], maxAttempts: 2).deliverAll().suppressed == 1)
        await email.close()
        #expect(try sink.files(endingWith: ".eml").isEmpty)

        let dead = try #require(try await fixture.store.messages(status: .dead, limit: 1).first)
        #expect(try await MessageAdmin(context: context).requeue(id: dead.id, actor: "ops@shop").status == .queued)
    }

    @Test func aRedemptionQueuesItsMessageWithTheCouponAndTheSMSProviderGetsASignedRequest() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .rewardRedeemed, channels: [.sms], actor: "ops@shop")
        let fay = try await enroll("fay", phone: "+8613800000000", name: "Fay")
        _ = try await fixture.store.adjust(Adjustment(memberId: fay.id, points: 500, reason: "funds", actor: "test", key: "fund-fay", at: clock.now()))
        let redemption = try await fixture.store.redeem(RedeemRequest(memberId: fay.id, rewardId: "coupon-10", key: "r1", at: clock.now()))
        let code = try #require(redemption.couponCode)

        let provider = try LoopbackPeer("provider_sink.py")
        let secretText = "provider-secret-123"
        let sender = HTTPProviderSender(
            configuration: .init(url: URL(string: "http://127.0.0.1:\(provider.port)/send")!, secret: secretText))
        let report = try await deliverer([.sms: sender]).deliverAll()
        #expect(report.sent == 1)
        let request = try #require(provider.log("requests.jsonl").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: String])
        let body = try #require(object["body"])
        #expect(object["signature"] == HTTPProviderSender.signature(Data(body.utf8), secret: secretText))
        #expect(body.contains(code) && body.contains("+8613800000000") && body.contains("10 off"))
        let sent = try #require(try await fixture.store.messages(status: .sent, limit: 1).first)
        #expect(sent.providerId == "P1" && sent.kind == .rewardRedeemed)
    }

    @Test func erasingAMemberRemovesAddressesAndBodiesAndStopsQueuedMessages() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.inbox], actor: "ops@shop")
        let gus = try await enroll("gus", email: "gus@example.com", name: "Gus")
        _ = try await deliverer([.inbox: InboxSender()]).deliverAll()
        _ = try await fixture.store.queueMessage(NewMessage(memberId: gus.id, kind: .levelChanged, channel: .inbox, cause: "later", at: clock.now()))
        _ = try await fixture.store.eraseMember(id: gus.id, at: clock.now())
        let all = try await fixture.store.messages(status: nil, limit: 10).filter { $0.memberId == gus.id }
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0.subject == nil && $0.text == nil && $0.html == nil && $0.recipient == nil && $0.facts == "{}" })
        #expect(all.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.delivered, .suppressed])
    }
}
