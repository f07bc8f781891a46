import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// Double opt-in and the consent links end to end, on SQLite or PostgreSQL: a grant of e-mail consent queues a
/// `confirmConsent` e-mail with a signed link (sent to a real SMTP server on loopback); marketing waits for it; following
/// the link grants the consent with source `double-opt-in`; the unsubscribe link and the member zone record theirs;
/// messages are rendered in the profile's locale.
@Suite(.serialized) struct ConsentLinksTests {
    static let program = ServicesFixture.program + "\nconsent:\n  doubleOptIn: true\n"
    let clock = ManualClock(ServicesFixture.now)
    let store: SQLStore
    let context: ServiceContext
    let templates: MessageTemplates
    let links: UnsubscribeLink

    init() async throws {
        store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        context = ServiceContext(store: store, clock: clock)
        templates = try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en")
        var links = try UnsubscribeLink(secret: Data(repeating: 5, count: 32), base: "https://loyalty.shop.example/unsubscribe")
        links.preferences = "https://shop.example/account/preferences"
        self.links = links
    }

    func deliverer(_ senders: [MessageChannel: any MessageSender]) -> MessageDeliverer {
        MessageDeliverer(
            context: context, templates: templates, senders: senders, unsubscribe: links, configuration: MessageDeliveryConfiguration(ratePerSecond: [:]))
    }

    func smtp(_ sink: LoopbackPeer) -> EmailSender {
        EmailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: "loyalty@shop.example"), clock: clock)
    }

    func enroll(_ customer: String, email: String, consents: [String: Bool] = [:], locale: String? = nil) async throws -> Member {
        try await store.enroll(
            EnrollmentRequest(
                identities: [try .customer(customer), try Identity(kind: Identity.email, value: email)],
                profile: Profile(name: customer.capitalized, consents: consents, locale: locale)), key: nil,
            origin: ConsentOrigin(source: .api, actor: "key:shopfront"))
    }

    func campaign(_ member: Member, _ cause: String) async throws {
        _ = try await store.queueMessage(
            NewMessage(memberId: member.id, kind: .campaign, channel: .email, cause: cause, facts: #"{"campaign":"Spring tea"}"#, at: clock.now()))
    }

    @Test func anEmailGrantIsConfirmedByTheLinkOfItsMessageAndOnlyThenDoesMarketingGoOut() async throws {
        let ann = try await enroll("ann", email: "ann@example.com", consents: ["email": true])
        try await campaign(ann, "before")
        let sink = try LoopbackPeer("smtp_sink.py")
        let email = smtp(sink)
        let first = try await deliverer([.email: email]).deliverAll()
        #expect(first.sent == 1 && first.suppressed == 1, "\(first)")  // the confirmation goes; the campaign waits for consent
        let received = try sink.files(endingWith: ".eml")
        #expect(received.count == 1)
        #expect(header("Subject", in: received[0]) == "Please confirm your subscription to Test shop")
        #expect(header("List-Unsubscribe", in: received[0]) == nil)  // transactional
        let text = try #require(part("text/plain", in: received[0]))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("https://loyalty.shop.example/consent/confirm?token=") })
        let token = String(line.dropFirst("https://loyalty.shop.example/consent/confirm?token=".count))
        #expect(part("text/html", in: received[0])?.contains(String(line)) == true)

        // Neither an unsubscribe token nor a confirmation token altered in one character confirms anything.
        let confirmation = try #require(links.confirmation)
        #expect(throws: PatronError.self) { try confirmation.verify(links.token(member: ann.id, channel: .email)) }
        #expect(throws: PatronError.self) { try confirmation.verify(String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")) }
        #expect(throws: PatronError.self) { try confirmation.verify("999." + token.split(separator: ".", maxSplits: 1)[1]) }

        clock.advance(seconds: 300)
        let (after, channel, changed) = try await confirmation.confirm(token: token, context: context)
        #expect(after.profile.consents["email"] == true && channel == "email" && changed)
        let records = try await store.consentRecords(member: ann.id)
        #expect(records.map(\.state) == [.pending, .granted])
        #expect(records.map(\.source) == [.api, .doubleOptIn])
        #expect(try await store.auditLog(after: 0, limit: 10, subject: "member:\(ann.id)").map(\.action) == ["member.consentConfirmed"])
        #expect(try await confirmation.confirm(token: token, context: context).changed == false)

        try await campaign(ann, "after")
        let second = try await deliverer([.email: email]).deliverAll()
        await email.close()
        #expect(second.sent == 1)
        #expect(try sink.files(endingWith: ".eml").count == 2)
    }

    @Test func aConfirmationWithdrawnBeforeItIsSentIsSuppressedAndItsLinkRefused() async throws {
        let bo = try await enroll("bo", email: "bo@example.com", consents: ["email": true])
        let request = try #require(try await store.consentRecords(member: bo.id).last)
        let token = try #require(links.confirmation).token(member: bo.id, channel: "email", request: request.id)
        // The member unsubscribes (say, from an earlier message's link) before the confirmation went out.
        let (unsubscribed, _) = try await links.unsubscribe(token: links.token(member: bo.id, channel: .email), context: context)
        #expect(unsubscribed.profile.consents["email"] == false)
        let records = try await store.consentRecords(member: bo.id)
        #expect(records.map(\.state) == [.pending, .withdrawn] && records.last?.source == .unsubscribeLink && records.last?.actor == "member:\(bo.id)")

        let report = try await deliverer([.email: RecordingSender()]).deliverAll()
        #expect(report.suppressed == 1 && report.sent == 0)
        let suppressed = try #require(try await store.messages(status: .suppressed, limit: 5).first)
        #expect(suppressed.kind == .confirmConsent && suppressed.lastError?.contains("withdrawn") == true)
        await #expect { _ = try await links.confirmation!.confirm(token: token, context: context) } throws: {
            ($0 as? PatronError)?.code == .invalidTransition
        }
        #expect(try await store.member(id: bo.id)?.profile.consents["email"] == false)
    }

    @Test func theMemberZoneRecordsItsChangesAndSetsOnlyKnownLocales() async throws {
        let cy = try await enroll("cy", email: "cy@example.com")
        let service = MemberSelfService(context: context)
        _ = try await service.setConsents(member: cy.id, granted: ["sms", "email"])
        let records = try await store.consentRecords(member: cy.id)
        #expect(records.map(\.channel) == ["email", "sms"] && records.map(\.state) == [.pending, .granted])
        #expect(records.allSatisfy { $0.source == .memberZone && $0.actor == "member:\(cy.id)" })
        #expect(try await store.messages(status: .queued, limit: 5).map(\.kind) == [.confirmConsent])

        #expect(try await service.setLocale(member: cy.id, locale: "zh-Hans") == "zh-Hans")
        await #expect { _ = try await service.setLocale(member: cy.id, locale: "fr") } throws: { ($0 as? PatronError)?.message.hasPrefix("locale:") == true }
        #expect(try await service.locale(member: cy.id) == "zh-Hans")
        #expect(try await store.auditLog(after: 0, limit: 10, subject: "member:\(cy.id)").map(\.action).contains("member.locale"))
    }

    @Test func messagesUseTheProfilesLocaleBeforeTheShopsAndItsShorterFormsAndTheOldTagStillCounts() async throws {
        let mei = try await enroll("mei", email: "mei@example.com", locale: "zh-Hans-CN")
        let tagged = try await store.enroll(
            EnrollmentRequest(identities: [try .customer("lin")], profile: Profile(name: "Lin", tags: ["locale:zh-Hans"])), key: nil, origin: .unnamedAPI)
        let ann = try await enroll("ann", email: "ann@example.com", locale: "en")
        for member in [mei, tagged, ann] {
            _ = try await store.queueMessage(NewMessage(memberId: member.id, kind: .welcome, channel: .inbox, cause: "enrolled", at: clock.now()))
        }
        _ = try await deliverer([.inbox: InboxSender()]).deliverAll()
        func subject(_ member: Member) async throws -> String? {
            try await store.memberMessages(member: member.id, channel: .inbox, before: nil, limit: 1).first?.subject
        }
        #expect(try await subject(mei) == "Mei，欢迎加入Test shop")
        #expect(try await subject(tagged) == "Lin，欢迎加入Test shop")
        #expect(try await subject(ann) == "Welcome to Test shop, Ann")
        let preview = try await MessagePreview.render(
            kind: .confirmConsent, member: mei.id, locale: nil, facts: #"{"request":"7"}"#, templates: templates, unsubscribe: links, context: context)
        #expect(preview.locale == "zh-Hans")
        #expect(preview.rendered.text.contains("https://loyalty.shop.example/consent/confirm?token=\(mei.id).email.7."))
    }
}

/// A sender that accepts everything and remembers nothing: for tests where delivery itself is not the point.
struct RecordingSender: MessageSender {
    func send(_ delivery: MessageDelivery) async throws -> MessageReceipt { MessageReceipt(providerId: nil, delivered: false) }
}
