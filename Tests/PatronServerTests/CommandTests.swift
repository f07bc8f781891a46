import Foundation
import Testing

/// The membership, rewards and member commands end to end, as staff would run them.
@Suite struct CommandTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, data) = try runPatron(arguments)
        return (status, String(decoding: data, as: UTF8.self))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func explainPrintsTheLevelsAndTheRulesInOrder() throws {
        let (status, text) = try run(["program", "explain", "examples/programs/textbook.yaml"])
        #expect(status == 0)
        for expected in ["至尊VIP会员", "888.00 CNY", "8 %", "1. 按金额阶梯", "2. 等级加成", "Daily check-in: 5 points", "100 points = 1.00 CNY"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(text.range(of: "1. 按金额阶梯")!.lowerBound < text.range(of: "4. 生日月双倍")!.lowerBound)
    }

    @Test func simulateAndQuotePrintTheirBreakdownsAsJSON() throws {
        let simulated = try json(
            run([
                "simulate", "order", "--program", "examples/programs/textbook.yaml", "--amount", "300.00", "--level", "VIP会员", "--first-order",
                "--birthday", "1990-05-31", "--at", "2026-05-10T12:00:00+08:00", "--json",
            ]).output)
        #expect(simulated["points"] as? Int == 1_090)
        #expect((simulated["breakdown"] as? [[String: Any]])?.count == 4)
        let activity = try json(run(["simulate", "activity", "checkIn", "--streak", "7", "--program", "examples/programs/textbook.yaml", "--json"]).output)
        #expect(activity["streakBonus"] as? Int == 20)
        let quote = try json(
            run([
                "quote", "--program", "examples/programs/textbook.yaml", "--line", "TEA-1:2:275.00", "--line", "TEA-RESERVE-2026:1:150.00",
                "--shipping", "12.00", "--level", "VIP会员", "--points", "5000", "--use-points", "100000", "--at", "2026-03-01T12:00:00+08:00", "--json",
            ]).output)
        #expect(quote["total"] as? Int == 43_250)
        #expect(quote["pointsEarned"] as? Int == 778)
        #expect(quote["refusedSKUs"] as? [String] == ["TEA-RESERVE-2026"])
        let (status, _) = try run(["quote", "--program", "examples/programs/textbook.yaml", "--line", "bad-line"])
        #expect(status == 1)
    }

    @Test func memberShowAndSettleReadWhatTheLedgerHolds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path, "--now", "2026-02-01T00:00:00Z"]
        let events = folder.appendingPathComponent("events.jsonl")
        try """
            {"id":"e1","kind":"placed","orderId":"B1","occurredAt":"2026-01-10T15:00:00Z","order":{"id":"B1","member":{"kind":"customer","value":"C9"},"partner":"corner-bakery","lines":[{"sku":"BREAD","quantity":2,"unitPrice":1500}]}}
            """.write(to: events, atomically: true, encoding: .utf8)
        #expect(try run(["program", "load", "examples/programs/gold-club.yaml"] + database).status == 0)
        #expect(try run(["import", "orders", events.path] + database).status == 0)
        let member = try json(run(["member", "show", "customer:C9", "--json"] + database).output)
        let balances = try #require((member["member"] as? [String: Any])?["balances"] as? [String: Any])
        #expect(balances["pending"] as? Int == 30 + 50)  // 30.00 of bread and the welcome bonus
        let (status, csv) = try run(["settle", "--partner", "corner-bakery", "--from", "2026-01-01", "--to", "2026-01-31", "--csv"] + database)
        #expect(status == 0)
        let rows = csv.split(separator: "\n")
        #expect(rows.first == "partner,from,to,points_issued,points_redeemed,owed_by_partner,owed_to_partner,net,currency")
        #expect(rows.last == "corner-bakery,2026-01-01,2026-01-31,80,0,0.80,0.00,0.80,USD")
    }
}
