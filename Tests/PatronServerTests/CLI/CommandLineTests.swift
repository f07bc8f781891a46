import Foundation
import PatronServices
import Testing

/// What a person running `patron` reads and operates: the version, times, tables, help texts, missing databases, the
/// audit of every admin change and who made it.
@Suite struct CommandLineTests {
    /// Runs `patron` in the repository with the environment changed by `environment` (nil values remove a variable).
    func patron(_ arguments: [String], environment: [String: String?] = [:]) throws -> PatronRun {
        try runPatronCapturing(arguments, environment: environment)
    }

    /// A folder of its own, removed by the caller.
    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Terminal columns as the test counts them, independently of the code under test: CJK ideographs and fullwidth
    /// forms take two.
    func columns(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let wide = (0x4E00...0x9FFF).contains(scalar.value) || (0x3000...0x303F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
            return width + (wide ? 2 : 1)
        }
    }

    /// The display column where `header` starts in a table's header line.
    func column(of header: String, in headerLine: Substring) throws -> Int {
        columns(headerLine[..<(try #require(headerLine.range(of: header))).lowerBound])
    }

    /// What a line shows from display column `column` on, and the character just before it; nil when a wide
    /// character straddles the column (which a well-aligned table never does).
    func cell(_ line: Substring, at column: Int) -> (before: Character?, rest: Substring)? {
        var width = 0
        var previous: Character?
        var index = line.startIndex
        while index < line.endIndex, width < column {
            width += columns(line[index...index])
            previous = line[index]
            index = line.index(after: index)
        }
        return width == column ? (previous, line[index...]) : nil
    }

    @Test func versionPrintsTheReleaseFromOnePlace() throws {
        let run = try patron(["--version"])
        #expect(run.status == 0)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == PatronVersion.current)
    }

    @Test func commandsThatOnlyReadOrChangeRefuseAMissingDatabaseAndCreateNothing() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let typo = folder.appendingPathComponent("typo.sqlite").path
        for command in [
            ["check"], ["audit"], ["keys", "list"], ["jobs", "run"], ["member", "show", "customer:C1"], ["program", "show"],
            ["member", "adjust", "customer:C1", "--points", "5", "--reason", "r", "--actor", "ops"],
        ] {
            let run = try patron(command + ["--database", typo])
            #expect(run.status == 1, "\(command)")
            #expect(run.error.contains("no database at '\(typo)'"), "\(command): \(run.error)")
            #expect(!FileManager.default.fileExists(atPath: typo), "\(command) created \(typo)")
        }
        let migrated = try patron(["migrate", "--database", typo])
        #expect(migrated.status == 0)
        #expect(FileManager.default.fileExists(atPath: typo))
        #expect(try patron(["check", "--database", typo]).status == 0)
        let loaded = folder.appendingPathComponent("loaded.sqlite").path
        #expect(try patron(["program", "load", "examples/programs/starter.yaml", "--database", loaded]).status == 0)
        #expect(FileManager.default.fileExists(atPath: loaded))
    }

    @Test func everyInstantPrintsInTheShopsZoneWithItsOffset() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 01:30 UTC is 09:30 in Shanghai, the starter program's zone.
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path, "--now", "2026-03-01T01:30:00Z"]
        #expect(try patron(["program", "load", "examples/programs/starter.yaml"] + database).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "C1"] + database).status == 0)
        #expect(try patron(["member", "adjust", "customer:C1", "--points", "50", "--reason", "welcome", "--actor", "ops"] + database).status == 0)
        #expect(try patron(["keys", "create", "--name", "web", "--scope", "storefront", "--actor", "ops"] + database).status == 0)
        let expected = "2026-03-01 09:30 +08:00"
        for command in [["member", "show", "customer:C1"], ["audit"], ["keys", "list"], ["member", "level", "customer:C1"]] {
            let run = try patron(command + database)
            #expect(run.status == 0, "\(command): \(run.error)")
            if command != ["member", "level", "customer:C1"] { #expect(run.output.contains(expected), "\(command):\n\(run.output)") }
            for stray in ["+0000", "GMT", "T01:30", "01:30:00 +"] { #expect(!run.output.contains(stray), "\(command) prints \(stray)") }
        }
        #expect(try patron(["program", "show"] + database).output.contains("loaded \(expected)"))
    }

    @Test func tablesAlignChineseTextByDisplayWidth() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rewards = try patron(["rewards", "list", "--program", "examples/programs/textbook.yaml"])
        #expect(rewards.status == 0)
        let rewardLines = rewards.output.split(separator: "\n")
        #expect(rewardLines.contains { $0.contains("茶具套装") })
        let kindColumn = try column(of: "kind", in: rewardLines[0])
        for line in rewardLines.dropFirst(2) {
            let kind = cell(line, at: kindColumn)
            #expect(kind?.before == " ", "misaligned: \(line)")
            #expect(["coupon", "gift", "points + cash", "event", "lottery"].contains { kind?.rest.hasPrefix($0) == true }, "misaligned: \(line)")
        }

        // Level history rows with 至尊VIP会员 line up with rows of narrower names.
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path, "--now", "2026-03-01T01:30:00Z"]
        let events = folder.appendingPathComponent("events.jsonl")
        try """
            {"id":"e1","kind":"placed","orderId":"T1","occurredAt":"2026-02-10T03:00:00Z","order":{"id":"T1","member":{"kind":"customer","value":"C1"},"lines":[{"sku":"TEA-1","quantity":1,"unitPrice":50000}]}}
            """.write(to: events, atomically: true, encoding: .utf8)
        #expect(try patron(["program", "load", "examples/programs/textbook.yaml"] + database).status == 0)
        #expect(try patron(["import", "orders", events.path] + database).status == 0)
        let set = try patron(
            ["member", "level", "customer:C1", "--set", "至尊VIP会员", "--until", "2026-12-31", "--reason", "service recovery", "--actor", "ops"] + database)
        #expect(set.status == 0, "\(set.error)")
        let set2 = try patron(
            ["member", "level", "customer:C1", "--set", "高级会员", "--until", "2026-06-30", "--reason", "fix", "--actor", "ops"] + database)
        #expect(set2.status == 0, "\(set2.error)")
        let lines = set2.output.split(separator: "\n").drop { !$0.hasPrefix("when") }.map { $0 }
        #expect(lines.count >= 4, "\(set2.output)")
        #expect(lines.contains { $0.contains("至尊VIP会员") })
        for header in ["  to ", "  reason ", "  version"] {
            let start = try column(of: header, in: lines[0]) + 2
            for line in lines.dropFirst(2) {
                let shown = cell(line, at: start)
                #expect(shown?.before == " " && shown?.rest.first.map { $0 != " " } == true, "\(header) misaligned: \(line)")
            }
        }
    }

    @Test func theAuditShowsOneReadableRowPerRecordAndJSONKeepsTheWholeRecord() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path]
        #expect(try patron(["program", "load", "examples/programs/gold-club.yaml"] + database).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "C1", "--name", "Ann Lee"] + database).status == 0)
        #expect(try patron(["member", "adjust", "customer:C1", "--points", "250", "--reason", "late delivery", "--actor", "ops@shop"] + database).status == 0)
        let text = try patron(["audit"] + database)
        #expect(text.status == 0)
        let row = try #require(text.output.split(separator: "\n").first { $0.contains("member.adjust") })
        #expect(row.contains("ops@shop") && row.contains("member:1"))
        #expect(row.contains("active 0→250") && row.contains("reason: late delivery"), "\(row)")
        #expect(!row.contains("{") && !row.contains("\""), "raw JSON in \(row)")
        #expect(text.output.split(separator: "\n").allSatisfy { columns($0) <= 160 }, "\(text.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(patron(["audit", "--json"] + database).output.utf8)) as? [[String: Any]])
        let record = try #require(json.first { $0["action"] as? String == "member.adjust" })
        #expect((record["before"] as? String)?.contains(#""active":0"#) == true)
        #expect((record["after"] as? String)?.contains("late delivery") == true)
    }

    @Test func everyAdminChangeFromTheCommandLineIsAuditedWithItsActor() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("shop.sqlite").path
        let database = ["--database", path]
        let events = folder.appendingPathComponent("events.jsonl")
        try """
            {"id":"e1","kind":"placed","orderId":"T1","occurredAt":"2026-02-10T03:00:00Z","order":{"id":"T1","member":{"kind":"customer","value":"C1"},"lines":[{"sku":"TEA-1","quantity":1,"unitPrice":50000}]}}
            {"id":"e2","kind":"placed","orderId":"T2","occurredAt":"2026-02-10T03:00:00Z","order":{"id":"T2","member":{"kind":"customer","value":"C2"},"lines":[{"sku":"TEA-1","quantity":1,"unitPrice":1000}]}}
            """.write(to: events, atomically: true, encoding: .utf8)
        #expect(try patron(["program", "load", "examples/programs/textbook.yaml", "--actor", "owner@shop"] + database).status == 0)
        #expect(try patron(["import", "orders", events.path, "--skip-jobs"] + database).status == 0)
        let named: [String: String?] = ["USER": "ann", "LOGNAME": nil]
        func ok(_ arguments: [String], _ environment: [String: String?] = named) throws -> String {
            let run = try patron(arguments + database, environment: environment)
            #expect(run.status == 0, "\(arguments): \(run.error)")
            return run.output
        }
        _ = try ok(["member", "adjust", "customer:C1", "--points", "20000", "--reason", "goodwill", "--actor", "ops@shop", "--key", "a1"])
        _ = try ok(["member", "adjust", "customer:C1", "--points", "20000", "--reason", "goodwill", "--actor", "ops@shop", "--key", "a1"])  // a replay
        _ = try ok(["member", "adjust", "customer:C1", "--points", "-50", "--reason", "duplicate bonus"])
        _ = try ok(["member", "level", "customer:C1", "--set", "至尊VIP会员", "--until", "2026-12-31", "--reason", "service recovery"])
        let gift = try #require(
            try JSONSerialization.jsonObject(with: Data(ok(["redeem", "customer:C1", "teacup", "--json"]).utf8)) as? [String: Any])
        let giftId = String(try #require(gift["id"] as? Int))
        _ = try ok(["redeem", "--ship", giftId])
        _ = try ok(["redeem", "--deliver", giftId])
        let coupon = try #require(
            try JSONSerialization.jsonObject(with: Data(ok(["redeem", "customer:C1", "coupon-10", "--json"]).utf8)) as? [String: Any])
        _ = try ok(["redeem", "--reverse", String(try #require(coupon["id"] as? Int)), "--reason", "changed mind"])

        let records = try #require(try JSONSerialization.jsonObject(with: Data(ok(["audit", "--json"]).utf8)) as? [[String: Any]])
        #expect(
            records.map { $0["action"] as? String } == [
                "program.load", "member.adjust", "member.adjust", "member.level", "redemption.fulfil", "redemption.fulfil", "redemption.reverse",
            ])
        #expect(records.map { $0["actor"] as? String } == ["owner@shop", "ops@shop", "cli:ann", "cli:ann", "cli:ann", "cli:ann", "cli:ann"])
        #expect(records[2]["after"].flatMap { $0 as? String }?.contains("duplicate bonus") == true)

        // Neither --actor nor a login name: refused, nothing written.
        let before = try ok(["member", "show", "customer:C1", "--json"])
        let anonymous = try patron(
            ["member", "adjust", "customer:C1", "--points", "5", "--reason", "r"] + database, environment: ["USER": nil, "LOGNAME": nil])
        #expect(anonymous.status == 1)
        #expect(anonymous.error.contains("--actor"), "\(anonymous.error)")
        #expect(try ok(["member", "show", "customer:C1", "--json"]) == before)
        #expect(try #require(try JSONSerialization.jsonObject(with: Data(ok(["audit", "--json"]).utf8)) as? [[String: Any]]).count == records.count)
    }

    @Test func negativePointsParseForAdjustments() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path]
        #expect(try patron(["program", "load", "examples/programs/gold-club.yaml"] + database).status == 0)
        #expect(try patron(["member", "enroll", "--customer", "C1"] + database).status == 0)
        #expect(try patron(["member", "adjust", "customer:C1", "--points", "100", "--reason", "r", "--actor", "ops"] + database).status == 0)
        let spaced = try patron(["member", "adjust", "customer:C1", "--points", "-30", "--reason", "r", "--actor", "ops"] + database)
        #expect(spaced.status == 0, "\(spaced.error)")
        #expect(spaced.output.contains("now has 70 active points"))
        let joined = try patron(["member", "adjust", "customer:C1", "--points=-20", "--reason", "r", "--actor", "ops"] + database)
        #expect(joined.output.contains("now has 50 active points"), "\(joined.error)")
        #expect(try patron(["member", "adjust", "--help"]).output.contains("--points -50"))
    }

    @Test func helpTextsShowNoRandomDefaultsAndNoMissingDocuments() throws {
        // Every command the binary has, found from its own help, so a new command is checked too.
        var commands: [[String]] = []
        var pending: [[String]] = [[]]
        while let command = pending.popLast() {
            commands.append(command)
            let help = try patron(command + ["--help"]).output
            guard let listed = help.range(of: "SUBCOMMANDS:\n") else { continue }
            // The list ends at its blank line (then comes "See 'patron help …'").
            for line in help[listed.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty }) {
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first, name != "help" else { continue }
                let subcommand = command + [String(name)]
                if subcommand.count <= 3, !commands.contains(subcommand), !pending.contains(subcommand) { pending.append(subcommand) }
            }
        }
        #expect(commands.count > 40 && commands.contains(["webhooks", "add"]) && commands.contains(["member", "adjust"]), "\(commands)")
        let uuid = try Regex("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
        for command in commands {
            let run = try patron(command + ["--help"])
            #expect(run.status == 0, "\(command)")
            #expect(!run.output.contains(uuid), "\(command) --help shows a random default:\n\(run.output)")
            for missing in ["DOMAIN.md", "DESIGN.md", "../shared"] { #expect(!run.output.contains(missing), "\(command) --help cites \(missing)") }
        }
        #expect(try patron(["member", "adjust", "--help"]).output.contains("a new random key"))
        let jobs = try patron(["jobs", "run", "--help"]).output
        #expect(jobs.contains("--expiring-notice-days") && !jobs.contains("--expiring-days"))
        #expect(try patron(["serve", "--help"]).output.contains("--expiring-notice-days"))
        // PATRON_DATABASE may hold a password: help names the variable, never its value.
        let secretURL = "postgres://patron:s3cret@db.internal:5432/patron"
        #expect(!(try patron(["check", "--help"], environment: ["PATRON_DATABASE": secretURL]).output.contains("s3cret")))
    }

    @Test func jobsRunStillTakesTheOldNameOfTheExpiryNoticeSetting() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("shop.sqlite").path]
        #expect(try patron(["program", "load", "examples/programs/gold-club.yaml"] + database).status == 0)
        #expect(try patron(["jobs", "run", "--expiring-days", "3"] + database).status == 0)
        #expect(try patron(["jobs", "run", "--expiring-notice-days", "3"] + database).status == 0)
    }
}
