import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct BadInputTests {
    /// Applies an event that must fail with `code`, and proves nothing was written.
    func refuses(_ f: Fixture, _ event: OrderEvent, _ code: PatronError.Code, enroll: Bool = false) async throws {
        let before = try await f.store.totals()
        let result = await f.store.apply([event], options: ApplyOptions(enrollUnknownMembers: enroll))[0]
        guard case .failure(let error) = result else {
            Issue.record("expected \(code), got \(result)")
            return
        }
        #expect(error.code == code, "\(error.message)")
        #expect(try await f.store.totals() == before)
    }

    @Test func eventsThatCannotBeAppliedChangeNothing() async throws {
        let f = try await Fixture()
        _ = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0)))
        try await refuses(f, .placed(f.order("O2", "nobody", [1_000]), at: f.day(0)), .notFound)
        try await refuses(f, .completed("missing", at: f.day(0)), .notFound)
        try await refuses(f, .returned("O1", lines: [ReturnedLine(lineId: "1", quantity: 2)], at: f.day(1), id: "R1"), .returnExceedsOrder)
        try await refuses(f, .returned("O1", lines: [ReturnedLine(lineId: "9", quantity: 1)], at: f.day(1), id: "R2"), .notFound)
        try await refuses(f, .placed(f.order("O1", "ann", [1_000]), at: f.day(0), id: "again"), .orderExists)
        try await refuses(f, .placed(f.order("O3", "ann", [-5]), at: f.day(0)), .invalidInput)
        try await refuses(f, .placed(f.order("O4", "ann", [Order.maximumAmount + 1]), at: f.day(0)), .invalidInput)
        var usd = f.order("O5", "ann", [1_000])
        usd.currency = "USD"
        try await refuses(f, .placed(usd, at: f.day(0)), .currencyMismatch)
        var empty = f.order("O6", "ann", [])
        empty.lines = []
        try await refuses(f, .placed(empty, at: f.day(0)), .invalidInput)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func oneBadEventInABatchDoesNotFailTheOthers() async throws {
        let f = try await Fixture()
        _ = try await f.member("ann")
        let results = await f.store.apply(
            [
                .placed(f.order("A", "ann", [1_000]), at: f.day(0)), .completed("nope", at: f.day(0)),
                .placed(f.order("B", "ann", [2_000]), at: f.day(0)),
            ], options: ApplyOptions())
        #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
        #expect(try await f.store.totals().pending == 30)
    }

    @Test func identitiesAreUniqueAndValidated() async throws {
        let f = try await Fixture()
        let ann = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("ann"), try Identity(kind: "email", value: " Ann@Example.COM ")]), key: nil)
        #expect(ann.identities.contains(try Identity(kind: "email", value: "ann@example.com")))
        #expect(try await f.store.member(identity: try Identity(kind: "email", value: "ANN@example.com"))?.id == ann.id)
        do {
            _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bob"), try Identity(kind: "email", value: "ann@example.com")]), key: nil)
            Issue.record("a duplicate identity must be refused")
        } catch let error as PatronError {
            #expect(error.code == .duplicateIdentity)
        }
        #expect(try await f.store.member(identity: try .customer("bob")) == nil)
        #expect { try Identity(kind: "email", value: "not-an-address") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect { try Identity(kind: "phone", value: "12ab") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect { try Identity(kind: "fax", value: "1") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(try Identity(kind: "social:wechat", value: "o6_bmjrPTlm6").kind == "social:wechat")
        #expect(try Identity(kind: "phone", value: "+86 138-0013-8000").value == "+8613800138000")
    }

    @Test func profilesUpdateAndIdentitiesAreAdded() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let updated = try await f.store.updateMember(
            ann.id, profile: ProfileUpdate(name: "Ann Lee", birthday: LocalDate(year: 1990, month: 2, day: 28), addTags: ["vip"], consents: ["sms": false]),
            addIdentities: [try Identity(kind: "card", value: "8800123")], key: nil)
        #expect(updated.profile.name == "Ann Lee" && updated.profile.tags == ["vip"] && updated.profile.consents == ["sms": false])
        #expect(try await f.store.member(identity: try Identity(kind: "card", value: "8800123"))?.id == ann.id)
    }

    @Test func restrictedProgramsRefuseWithTheUnmetCondition() async throws {
        let restricted = Fixture.shanghaiProgram + "\nenrollment: { type: restricted, minimumSpend: \"99.00\" }"
        let f = try await Fixture(program: restricted)
        do {
            _ = try await f.member("ann")
            Issue.record("enrollment must be refused")
        } catch let error as PatronError {
            #expect(error.code == .enrollmentRefused && error.message.contains("9900"))
        }
        try await refuses(f, .placed(f.order("small", "ann", [5_000]), at: f.day(0)), .enrollmentRefused, enroll: true)
        let outcome = try await f.apply(.placed(f.order("big", "ann", [10_000]), at: f.day(0)), enroll: true)
        #expect(outcome.enrolled)
    }

    @Test func adjustmentsNeedAReasonAnActorAndEnoughPoints() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        await #expect { try await f.store.adjust(Adjustment(memberId: ann.id, points: 5, reason: " ", actor: "a", key: "1", at: f.day(0))) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect { try await f.store.adjust(Adjustment(memberId: ann.id, points: 5, reason: "r", actor: "", key: "2", at: f.day(0))) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect { try await f.store.adjust(Adjustment(memberId: ann.id, points: -5, reason: "r", actor: "a", key: "3", at: f.day(0))) } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
        await #expect { try await f.store.adjust(Adjustment(memberId: 999, points: 5, reason: "r", actor: "a", key: "4", at: f.day(0))) } throws: { ($0 as? PatronError)?.code == .notFound }
        #expect(try await f.store.totals().entries == 0)
    }
}
