import Foundation
import PatronCore
import PatronStore
import Testing

/// Free text with a NUL character is refused everywhere, naming the field, and nothing is written; birthdays must be
/// real. On SQLite the text after a NUL used to vanish silently; PostgreSQL cannot store it at all.
@Suite struct FreeTextInputTests {
    static let nul = "before\u{0}after"

    func refused(_ field: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(field): a NUL character must be refused")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput, "\(error)")
            #expect(error.message.contains(field) && error.message.contains("NUL"), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyStoreWriteOfFreeTextRefusesANulCharacterNamingTheField() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let before = try await f.store.totals()
        let nul = Self.nul
        await refused("profile.name") {
            _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bob")], profile: Profile(name: nul)), key: nil)
        }
        await refused("profile.tags[1]") {
            _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bob")], profile: Profile(tags: ["ok", nul])), key: nil)
        }
        await refused("name") { _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: nul), addIdentities: [], key: nil) }
        await refused("addTags[0]") { _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(addTags: [nul]), addIdentities: [], key: nil) }
        await refused("reason") {
            _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 10, reason: nul, actor: "ops", key: "k1", at: f.day(0)))
        }
        await refused("actor") {
            _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 10, reason: "late", actor: nul, key: "k2", at: f.day(0)))
        }
        await refused("idempotency key") {
            _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 10, reason: "late", actor: "ops", key: nul, at: f.day(0)))
        }
        await refused("audit actor") {
            _ = try await f.store.appendAudit(actor: nul, action: "x", subject: "y", before: nil, after: nil, at: f.day(0))
        }
        await refused("identity customer") { _ = try Identity.customer(nul) }
        var order = f.order("O1", "ann", [1_000])
        order.channel = nul
        await refused("channel") { _ = try await f.apply(.placed(order, at: f.day(0))) }
        var line = f.order("O2", "ann", [1_000])
        line.lines[0].sku = nul
        await refused("lines[0].sku") { _ = try await f.apply(.placed(line, at: f.day(0))) }
        #expect(try await f.store.totals() == before)
        #expect(try await f.store.member(id: ann.id)?.profile == ann.profile)
    }

    @Test(arguments: ["2999-01-01", "1899-12-31"])
    func anImplausibleBirthdayIsRefusedNamingTheField(text: String) async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let birthday = try #require(LocalDate(iso: text))
        await #expect {
            _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bob")], profile: Profile(birthday: birthday)), key: nil)
        } throws: { ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("profile.birthday") == true }
        await #expect {
            _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(birthday: birthday), addIdentities: [], key: nil)
        } throws: { ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("birthday") == true }
        #expect(try await f.store.member(id: ann.id)?.profile.birthday == nil)
    }

    @Test func aRealBirthdayIsKept() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let updated = try await f.store.updateMember(ann.id, profile: ProfileUpdate(birthday: LocalDate(iso: "1990-05-31")), addIdentities: [], key: nil)
        #expect(updated.profile.birthday?.description == "1990-05-31")
    }

    @Test func theFutureStartsAfterTodayAnywhereOnEarth() throws {
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z: already 14:00 on 2026-01-01 in Kiribati
        try Profile.checkBirthday(LocalDate(iso: "2026-01-01"), field: "birthday", now: now)
        #expect {
            try Profile.checkBirthday(LocalDate(iso: "2026-01-02"), field: "birthday", now: now)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }
}
