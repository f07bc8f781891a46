import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The consent history and double opt-in in the store, on SQLite or PostgreSQL (`PATRON_TEST_BACKEND=postgres`): each
/// change of consent is recorded in its own transaction with time, source and actor; e-mail waits for confirmation
/// when the program asks; erasure removes the history.
@Suite struct ConsentStoreTests {
    static let doubleOptIn = Fixture.shanghaiProgram + "\nconsent:\n  doubleOptIn: true\n"

    func enroll(_ f: Fixture, _ customer: String, email: String? = nil, consents: [String: Bool] = [:], origin: ConsentOrigin) async throws -> Member {
        var identities = [try Identity.customer(customer)]
        if let email { identities.append(try Identity(kind: Identity.email, value: email)) }
        return try await f.store.enroll(EnrollmentRequest(identities: identities, profile: Profile(consents: consents)), key: nil, origin: origin)
    }

    @Test func everyChangeOfConsentIsRecordedWithItsTimeSourceAndActorAndNothingElseIs() async throws {
        let f = try await Fixture()
        let ann = try await enroll(f, "ann", consents: ["email": true, "sms": false], origin: ConsentOrigin(source: .api, actor: "key:shopfront"))
        #expect(ann.profile.consents == ["email": true, "sms": false])
        f.clock.advance(seconds: 3_600)
        _ = try await f.store.updateMember(
            ann.id, profile: ProfileUpdate(name: "Ann", consents: ["email": true, "sms": true]), addIdentities: [], key: nil,
            origin: ConsentOrigin(source: .memberZone, actor: "member:\(ann.id)"))
        f.clock.advance(seconds: 3_600)
        _ = try await f.store.updateMember(
            ann.id, profile: ProfileUpdate(consents: ["email": false]), addIdentities: [], key: nil,
            origin: ConsentOrigin(source: .unsubscribeLink, actor: "member:\(ann.id)"))
        _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann Lee"), addIdentities: [], key: nil)

        let records = try await f.store.consentRecords(member: ann.id)
        // The refusal of sms at enrolment and the unchanged e-mail grant write nothing; each real change writes one.
        #expect(records.map(\.channel) == ["email", "sms", "email"])
        #expect(records.map(\.state) == [.granted, .granted, .withdrawn])
        #expect(records.map(\.source) == [.api, .memberZone, .unsubscribeLink])
        #expect(records.map(\.actor) == ["key:shopfront", "member:\(ann.id)", "member:\(ann.id)"])
        #expect(records.map(\.at) == [Fixture.start, Fixture.start.addingTimeInterval(3_600), Fixture.start.addingTimeInterval(7_200)])
        #expect(try await f.store.member(id: ann.id)?.profile.consents == ["email": false, "sms": true])
    }

    @Test func aChangeThatFailsRecordsNoConsent() async throws {
        let f = try await Fixture()
        let ann = try await enroll(f, "ann", origin: .unnamedAPI)
        _ = try await enroll(f, "bo", email: "bo@example.com", origin: .unnamedAPI)
        await #expect(throws: PatronError.self) {
            _ = try await f.store.updateMember(
                ann.id, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [try Identity(kind: Identity.email, value: "bo@example.com")],
                key: nil, origin: .unnamedAPI)
        }
        await #expect(throws: PatronError.self) {
            _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(consents: ["sms": true], locale: "zh_CN"), addIdentities: [], key: nil)
        }
        #expect(try await f.store.consentRecords(member: ann.id).isEmpty)
        #expect(try await f.store.member(id: ann.id)?.profile.consents == [:])
        await #expect { _ = try await f.store.consentRecords(member: 999) } throws: { ($0 as? PatronError)?.code == .notFound }
    }

    @Test func theProgramFileAsksForDoubleOptInAndABadValueIsNamedAtItsLine() throws {
        #expect(try ProgramFile.parse(Self.doubleOptIn).consent.doubleOptIn)
        #expect(try !ProgramFile.parse(Fixture.shanghaiProgram).consent.doubleOptIn)
        do {
            _ = try ProgramFile.parse(Fixture.shanghaiProgram + "\nconsent:\n  doubleOptIn: maybe\n  colour: red\n")
            Issue.record("the bad section was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidProgram)
            #expect(error.details.contains { $0.hasPrefix("consent.doubleOptIn (line 8)") && $0.contains("true or false") }, "\(error.details)")
            #expect(error.details.contains { $0.hasPrefix("consent.colour (line 9)") }, "\(error.details)")
        }
    }

    @Test func underDoubleOptInAnEmailGrantWaitsForItsConfirmationWhileOtherChannelsAreGrantedAtOnce() async throws {
        let f = try await Fixture(program: Self.doubleOptIn)
        let ann = try await enroll(
            f, "ann", email: "ann@example.com", consents: ["email": true, "sms": true], origin: ConsentOrigin(source: .api, actor: "key:shopfront"))
        #expect(ann.profile.consents["email"] != true && ann.profile.consents["sms"] == true)
        let records = try await f.store.consentRecords(member: ann.id)
        let request = try #require(records.first { $0.channel == "email" })
        #expect(request.state == .pending && request.source == .api)
        let queued = try await f.store.messages(status: .queued, limit: 10)
        #expect(queued.count == 1)
        #expect(queued[0].kind == .confirmConsent && queued[0].channel == .email && queued[0].purpose == .transactional && queued[0].memberId == ann.id)
        #expect(queued[0].facts.contains(#""request":"\#(request.id)""#))

        f.clock.advance(seconds: 600)
        #expect(try await f.store.confirmConsent(member: ann.id, channel: "email", request: request.id) == .confirmed(try await f.store.member(id: ann.id)!))
        let after = try #require(try await f.store.member(id: ann.id))
        #expect(after.profile.consents["email"] == true)
        let granted = try #require(try await f.store.consentRecords(member: ann.id).last)
        #expect(granted.state == .granted && granted.source == .doubleOptIn && granted.actor == "member:\(ann.id)")
        #expect(granted.at == Fixture.start.addingTimeInterval(600))
        // Following the link again changes nothing.
        #expect(try await f.store.confirmConsent(member: ann.id, channel: "email", request: request.id) == .alreadyConfirmed(after))
        #expect(try await f.store.consentRecords(member: ann.id).count == records.count + 1)
    }

    @Test func askingAgainWhileARequestIsPendingMailsANewConfirmationOnlyAfterADay() async throws {
        let f = try await Fixture(program: Self.doubleOptIn)
        let ann = try await enroll(f, "ann", email: "ann@example.com", consents: ["email": true], origin: .unnamedAPI)
        // A storefront saving the whole profile again an hour later.
        f.clock.advance(seconds: 3_600)
        _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann", consents: ["email": true]), addIdentities: [], key: nil)
        #expect(try await f.store.consentRecords(member: ann.id).count == 1)
        #expect(try await f.store.messages(status: .queued, limit: 10).count == 1)
        f.clock.advance(days: 1)
        _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [], key: nil)
        #expect(try await f.store.consentRecords(member: ann.id).map(\.state) == [.pending, .pending])
        let queued = try await f.store.messages(status: .queued, limit: 10)
        #expect(queued.count == 2 && queued.allSatisfy { $0.kind == .confirmConsent })
        // Either link confirms.
        let first = try #require(try await f.store.consentRecords(member: ann.id).first)
        guard case .confirmed = try await f.store.confirmConsent(member: ann.id, channel: "email", request: first.id) else {
            Issue.record("the older request did not confirm")
            return
        }
    }

    @Test func aRequestWithdrawnBeforeItsConfirmationCannotBeConfirmed() async throws {
        let f = try await Fixture(program: Self.doubleOptIn)
        let ann = try await enroll(f, "ann", email: "ann@example.com", origin: .unnamedAPI)
        _ = try await f.store.updateMember(
            ann.id, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [], key: nil, origin: ConsentOrigin(source: .memberZone, actor: "member:1"))
        let request = try #require(try await f.store.consentRecords(member: ann.id).last)
        _ = try await f.store.updateMember(
            ann.id, profile: ProfileUpdate(consents: ["email": false]), addIdentities: [], key: nil, origin: ConsentOrigin(source: .memberZone, actor: "member:1"))
        #expect(try await f.store.consentRecords(member: ann.id).map(\.state) == [.pending, .withdrawn])
        await #expect { _ = try await f.store.confirmConsent(member: ann.id, channel: "email", request: request.id) } throws: {
            ($0 as? PatronError)?.code == .invalidTransition
        }
        // Another member's request, or a channel it was not for, is not found.
        let bo = try await enroll(f, "bo", origin: .unnamedAPI)
        await #expect { _ = try await f.store.confirmConsent(member: bo.id, channel: "email", request: request.id) } throws: {
            ($0 as? PatronError)?.code == .notFound
        }
        await #expect { _ = try await f.store.confirmConsent(member: ann.id, channel: "sms", request: request.id) } throws: {
            ($0 as? PatronError)?.code == .notFound
        }
        #expect(try await f.store.member(id: ann.id)?.profile.consents["email"] == false)
    }

    @Test func theLocaleIsStoredInItsCanonicalCaseAndErasureRemovesItWithTheConsentHistory() async throws {
        let f = try await Fixture()
        let ann = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("ann")], profile: Profile(consents: ["email": true], locale: "zh-hans")), key: nil,
            origin: .unnamedAPI)
        #expect(ann.profile.locale == "zh-Hans")
        let changed = try await f.store.updateMember(ann.id, profile: ProfileUpdate(locale: "en-gb"), addIdentities: [], key: nil)
        #expect(changed.profile.locale == "en-GB")
        #expect(try await f.store.consentRecords(member: ann.id).count == 1)
        #expect(try await f.store.exportMember(id: ann.id).consents?.map(\.state) == [.granted])  // the member's own copy holds it
        _ = try await f.store.eraseMember(id: ann.id, at: f.clock.now())
        let erased = try #require(try await f.store.member(id: ann.id))
        #expect(erased.profile.locale == nil && erased.profile.consents.isEmpty)
        #expect(try await f.store.consentRecords(member: ann.id).isEmpty)
    }
}
