import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct APIKeyAndAuditTests {
    /// A stand-in SHA-256 digest: 64 hex digits built from `seed`.
    func hash(_ seed: Character) -> String { String(repeating: seed, count: 64) }

    func expectError(_ code: PatronError.Code, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)")
        } catch let error as PatronError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aKeyIsFoundByItsHashUntilItIsRotatedOrRevoked() async throws {
        let f = try await Fixture()
        let web = try await f.store.createAPIKey(
            name: " web ", scopes: [.storefront, .analytics], hash: hash("a"), prefix: "pk_aaaa", at: f.day(0))
        #expect(web.name == "web")
        #expect(web.scopes == [.analytics, .storefront])
        #expect(web.allows(.storefront) && !web.allows(.admin))
        #expect(try await f.store.apiKey(hash: hash("a")) == web)
        #expect(try await f.store.apiKey(hash: hash("b")) == nil)

        let rotated = try await f.store.rotateAPIKey(id: web.id, hash: hash("b"), prefix: "pk_bbbb", at: f.day(1))
        #expect(rotated.rotatedAt == f.day(1) && rotated.prefix == "pk_bbbb" && rotated.createdAt == web.createdAt)
        #expect(try await f.store.apiKey(hash: hash("a")) == nil)
        #expect(try await f.store.apiKey(hash: hash("b"))?.id == web.id)

        let revoked = try await f.store.revokeAPIKey(id: web.id, at: f.day(2))
        #expect(revoked.revokedAt == f.day(2) && !revoked.allows(.storefront))
        #expect(try await f.store.apiKey(hash: hash("b")) == nil)
        // Revoking again keeps the first date; a revoked key stays listed but cannot come back through a rotation.
        #expect(try await f.store.revokeAPIKey(id: web.id, at: f.day(3)).revokedAt == f.day(2))
        #expect(try await f.store.apiKeys() == [revoked])
        await expectError(.invalidInput) {
            _ = try await f.store.rotateAPIKey(id: web.id, hash: hash("c"), prefix: "pk_cccc", at: f.day(3))
        }
        #expect(try await f.store.apiKey(hash: hash("c")) == nil)
    }

    @Test func badKeyRequestsAreRefusedWithTheirReason() async throws {
        let f = try await Fixture()
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "  ", scopes: [.admin], hash: hash("a"), prefix: "pk_a", at: f.day(0))
        }
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "web", scopes: [], hash: hash("a"), prefix: "pk_a", at: f.day(0))
        }
        // A secret handed over instead of its hash is refused, so it never reaches the table.
        let secret = "pk_" + String(repeating: "0", count: 64)
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "web", scopes: [.admin], hash: secret, prefix: "pk_0", at: f.day(0))
        }
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "web", scopes: [.admin], hash: hash("A"), prefix: "pk_0", at: f.day(0))
        }
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "web", scopes: [.admin], hash: hash("a"), prefix: "", at: f.day(0))
        }
        await expectError(.notFound) { _ = try await f.store.rotateAPIKey(id: 42, hash: hash("a"), prefix: "pk_a", at: f.day(0)) }
        await expectError(.notFound) { _ = try await f.store.revokeAPIKey(id: 42, at: f.day(0)) }
        #expect(try await f.store.apiKeys().isEmpty)
        // The same hash twice would make a secret open two keys.
        _ = try await f.store.createAPIKey(name: "web", scopes: [.admin], hash: hash("a"), prefix: "pk_a", at: f.day(0))
        let web = try #require(try await f.store.apiKeys().first)
        await expectError(.invalidInput) {
            _ = try await f.store.createAPIKey(name: "app", scopes: [.admin], hash: hash("a"), prefix: "pk_a", at: f.day(0))
        }
        await expectError(.invalidInput) { _ = try await f.store.rotateAPIKey(id: web.id, hash: hash("a"), prefix: "pk_a", at: f.day(1)) }
        #expect(try await f.store.apiKeys() == [web])
    }

    @Test func theAuditLogPagesInOrderAndFiltersBySubject() async throws {
        let f = try await Fixture()
        var written: [AuditRecord] = []
        for (index, subject) in ["member:1", "key:1", "member:1", "member:2", "member:1"].enumerated() {
            written.append(
                try await f.store.appendAudit(
                    actor: "cli:ann", action: "member.adjust", subject: subject, before: #"{"active":\#(index)}"#,
                    after: #"{"active":\#(index + 1)}"#,
                    at: f.day(index)))
        }
        #expect(written.map(\.id) == written.map(\.id).sorted())
        #expect(try await f.store.auditLog(after: 0, limit: 100, subject: nil) == written)
        #expect(try await f.store.auditLog(after: written[1].id, limit: 2, subject: nil) == Array(written[2...3]))
        #expect(try await f.store.auditLog(after: 0, limit: 100, subject: "member:1") == [written[0], written[2], written[4]])
        #expect(try await f.store.auditLog(after: written[2].id, limit: 100, subject: "member:1") == [written[4]])
        #expect(try await f.store.auditLog(after: 0, limit: 100, subject: "member:9").isEmpty)
        #expect(written[3].at == f.day(3) && written[3].before == #"{"active":3}"#)

        await expectError(.invalidInput) { _ = try await f.store.auditLog(after: 0, limit: 0, subject: nil) }
        await expectError(.invalidInput) {
            _ = try await f.store.appendAudit(
                actor: "cli:ann", action: "x", subject: "member:1", before: "not json", after: nil, at: f.day(0))
        }
        await expectError(.invalidInput) {
            _ = try await f.store.appendAudit(actor: "", action: "x", subject: "member:1", before: nil, after: nil, at: f.day(0))
        }
        #expect(try await f.store.auditLog(after: 0, limit: 100, subject: nil).count == 5)
    }
}
