import Foundation
import Testing

/// `patron keys`, `patron audit` and a member's export and erasure, end to end.
@Suite struct SecurityCommandTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, data) = try runPatron(arguments)
        return (status, String(decoding: data, as: UTF8.self))
    }

    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func jsonArray(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func keysAreCreatedListedRotatedAndRevokedAndEveryChangeIsAudited() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path]
        let staff = ["--actor", "cli:ops"]
        #expect(try run(["migrate"] + database).status == 0)
        let created = try run(["keys", "create", "--scope", "storefront", "--scope", "analytics", "--name", "web"] + staff + database)
        #expect(created.status == 0)
        let secret = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("pk_") }.map(String.init))
        #expect(created.output.contains("will not be shown again"))
        #expect(try run(["keys", "create", "--scope", "root", "--name", "web"] + staff + database).status == 1)
        #expect(try run(["keys", "create", "--name", "web"] + staff + database).status == 1)

        let keys = try jsonArray(run(["keys", "list", "--json"] + database).output)
        #expect(keys.count == 1)
        #expect(keys.first?["name"] as? String == "web" && keys.first?["scopes"] as? [String] == ["analytics", "storefront"])
        let listed = try run(["keys", "list"] + database).output
        #expect(listed.contains(String(secret.prefix(11))) && !listed.contains(secret))

        let rotated = try run(["keys", "rotate", "1"] + staff + database)
        #expect(rotated.status == 0 && !rotated.output.contains(secret) && rotated.output.contains("pk_"))
        #expect(try run(["keys", "revoke", "1"] + staff + database).status == 0)
        #expect(try run(["keys", "revoke", "7"] + staff + database).status == 1)
        #expect(try jsonArray(run(["keys", "list", "--json"] + database).output).first?["revokedAt"] != nil)

        let audit = try jsonArray(run(["audit", "--subject", "key:1", "--json"] + database).output)
        #expect(audit.map { $0["action"] as? String } == ["key.create", "key.rotate", "key.revoke"])
        #expect(audit.allSatisfy { $0["actor"] as? String == "cli:ops" })
        #expect(try jsonArray(run(["audit", "--limit", "1", "--json"] + database).output).count == 1)
        #expect(!(try run(["audit"] + database).output.contains(secret)))
    }

    @Test func aMemberIsExportedAsJSONThenErasedOnlyWithYes() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path, "--now", "2026-02-01T00:00:00Z"]
        let staff = ["--actor", "staff"]
        #expect(try run(["program", "load", "examples/programs/gold-club.yaml"] + database).status == 0)
        #expect(
            try run(["member", "enroll", "--customer", "C7", "--email", "dee@example.com", "--name", "Dee Park"] + database).status == 0)
        #expect(
            try run(["member", "adjust", "customer:C7", "--points", "300", "--reason", "welcome"] + staff + database).status
                == 0)

        let exported = try #require(
            try JSONSerialization.jsonObject(with: Data(run(["member", "export", "email:dee@example.com"] + staff + database).output.utf8))
                as? [String: Any])
        let member = try #require(exported["member"] as? [String: Any])
        #expect((member["profile"] as? [String: Any])?["name"] as? String == "Dee Park")
        #expect((exported["entries"] as? [Any])?.count == 1)
        #expect(exported["orders"] is [Any] && exported["redemptions"] is [Any] && exported["levelHistory"] is [Any])

        #expect(try run(["member", "erase", "customer:C7"] + staff + database).status == 1)  // no --yes
        #expect(try run(["member", "show", "customer:C7"] + database).status == 0)
        let erased = try run(["member", "erase", "customer:C7", "--yes"] + staff + database)
        #expect(erased.status == 0 && erased.output.contains("2 identities released"))
        #expect(try run(["member", "show", "customer:C7"] + database).status == 1)
        let after = try run(["member", "export", "1"] + staff + database).output
        #expect(!after.contains("Dee Park") && !after.contains("dee@example.com") && after.contains("erasedAt"))
        #expect(try run(["member", "show", "1"] + database).output.contains("ERASED at "))
        #expect(try run(["member", "erase", "1", "--yes"] + staff + database).status == 0)  // twice is harmless
        #expect(try run(["check"] + database).status == 0)
        #expect(try run(["member", "enroll", "--customer", "C7", "--email", "dee@example.com"] + database).status == 0)

        let audit = try jsonArray(run(["audit", "--subject", "member:1", "--json"] + database).output)
        #expect(audit.map { $0["action"] as? String } == ["member.adjust", "member.export", "member.erase", "member.export", "member.erase"])
        #expect(audit.allSatisfy { $0["actor"] as? String == "staff" })
        // The first erasure's record keeps its counts through the second one.
        #expect((audit[2]["before"] as? String)?.contains(#""identities":2"#) == true)
    }
}
