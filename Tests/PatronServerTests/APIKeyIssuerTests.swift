import Foundation
import PatronCore
import PatronServer
import PatronServices
import PatronStore
import Testing

@Suite struct APIKeyIssuerTests {
    let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)

    /// Every byte of the database, its WAL included: what an attacker with a copy of the files would see.
    func rawBytes(_ path: String) throws -> Data {
        try [path, path + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }.reduce(into: Data()) {
            $0 += try Data(contentsOf: URL(fileURLWithPath: $1))
        }
    }

    @Test func onlyTheHashOfASecretReachesTheDatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patron-keys-\(UUID().uuidString).sqlite").path
        let store = try SQLStore(path: path, clock: clock)
        try await store.migrate()
        let issued = try await APIKeyIssuer(store: store).create(name: "web", scopes: [.storefront], actor: "test", at: clock.now())
        #expect(issued.secret.hasPrefix("pk_") && issued.secret.count == 3 + 64)
        #expect(issued.key.prefix == String(issued.secret.prefix(11)))
        let bytes = try rawBytes(path)
        #expect(bytes.range(of: Data(APIKeyIssuer.hash(issued.secret).utf8)) != nil)  // the search works…
        #expect(bytes.range(of: Data(issued.secret.utf8)) == nil)  // …and finds no secret
        #expect(bytes.range(of: Data(issued.secret.dropFirst(11).utf8)) == nil)
    }

    @Test func aSecretWorksUntilItsKeyIsRotatedOrRevoked() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let issuer = APIKeyIssuer(store: store)
        let web = try await issuer.create(name: "web", scopes: [.storefront, .analytics], actor: "cli:ann", at: clock.now())
        let other = try await issuer.create(name: "web", scopes: [.storefront], actor: "cli:ann", at: clock.now())
        #expect(web.secret != other.secret)
        #expect(try await issuer.verify(web.secret)?.id == web.key.id)
        #expect(try await issuer.verify(web.secret + "0") == nil)
        #expect(try await issuer.verify(String(web.secret.dropLast()) + (web.secret.hasSuffix("0") ? "1" : "0")) == nil)
        #expect(try await issuer.verify("") == nil)

        let rotated = try await issuer.rotate(id: web.key.id, actor: "cli:ann", at: clock.now())
        #expect(try await issuer.verify(web.secret) == nil)
        #expect(try await issuer.verify(rotated.secret)?.id == web.key.id)
        _ = try await issuer.revoke(id: web.key.id, actor: "cli:bo", at: clock.now())
        #expect(try await issuer.verify(rotated.secret) == nil)
        #expect(try await issuer.verify(other.secret)?.id == other.key.id)

        let log = try await store.auditLog(after: 0, limit: 100, subject: "key:\(web.key.id)")
        #expect(log.map(\.action) == ["key.create", "key.rotate", "key.revoke"])
        #expect(log.map(\.actor) == ["cli:ann", "cli:ann", "cli:bo"])
        #expect(log[2].before?.contains("revokedAt") == false && log[2].after?.contains("revokedAt") == true)
        let logged = log.flatMap { [$0.before ?? "", $0.after ?? ""] }.joined()
        for secret in [web.secret, rotated.secret] {
            #expect(!logged.contains(secret) && !logged.contains(APIKeyIssuer.hash(secret)) && !logged.contains(String(secret.prefix(11))))
        }
    }

    @Test func erasureIsAuditedWithoutThePersonalData() async throws {
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let member = try await store.enroll(
            EnrollmentRequest(identities: [try .customer("c1")], profile: Profile(name: "Cy Young")), key: nil)
        let rights = MemberDataRights(store: store)
        #expect(try await rights.export(member: member.id, actor: "cli:ann", at: clock.now()).member.profile.name == "Cy Young")
        _ = try await rights.erase(member: member.id, actor: "cli:ann", at: clock.now())
        let log = try await store.auditLog(after: 0, limit: 100, subject: "member:\(member.id)")
        #expect(log.map(\.action) == ["member.export", "member.erase"])
        #expect(log[1].before?.contains(#""identities":1"#) == true && log[1].after?.contains(#""identities":0"#) == true)
        #expect(!log.contains { ($0.before ?? "").contains("Cy Young") || ($0.after ?? "").contains("c1") })
        await #expect { _ = try await rights.erase(member: 999, actor: "cli:ann", at: clock.now()) } throws: { ($0 as? PatronError)?.code == .notFound }
    }
}
