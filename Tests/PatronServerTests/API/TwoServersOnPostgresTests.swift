import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatronTestSupport
import Testing

/// Two real `patron serve` processes on one PostgreSQL schema take order events, redemptions and transfers for the
/// same 20 customers at once, some requests sent to both with the same id or key; one is killed with SIGKILL midway
/// while the other goes on. Afterwards the ledger checks out, every acknowledged write is in the database once, every
/// applied write has exactly one idempotency record, and no balance is negative.
@Suite struct TwoServersOnPostgresTests {
    static let program = """
        name: Two Servers
        currency: USD
        timeZone: UTC
        enrollment: open
        earning: { points: 1, per: "1.00" }
        rewards:
          - { id: sticker, name: Sticker, kind: gift, cost: 100 }
          - { id: mug, name: Mug, kind: gift, cost: 150, stock: 25 }
        transfers: { minimum: 100, maximum: 300, feePercent: 5 }
        """
    static let customers = 20
    static let mugStock = 25

    @Test(.enabled(if: TestDatabase.isPostgres))
    func twoServersOneKilledApplyEveryAcknowledgedWriteOnce() async throws {
        let database = TestDatabase.fresh()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-two-servers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let programFile = folder.appendingPathComponent("program.yaml")
        try Self.program.write(to: programFile, atomically: true, encoding: .utf8)
        for arguments in [["migrate"], ["program", "load", programFile.path]] {
            let run = try patron(arguments + ["--database", database])
            try #require(run.status == 0, "patron \(arguments.joined(separator: " ")): \(run.output)")
        }
        let keys = try patron(["keys", "create", "--scope", "admin", "--name", "load", "--actor", "test", "--database", database])
        let secret = try #require(keys.output.split(separator: "\n").first { $0.hasPrefix("pk_") }.map(String.init), "\(keys.output)")

        let servers = try ["a", "b"].map { try Server(database: database, log: folder.appendingPathComponent("serve-\($0).log")) }
        defer { for server in servers where server.process.isRunning { server.process.terminate() } }
        let api = API(secret: secret, ports: servers.map(\.port))
        let log = TrafficLog()
        let counter = Counter()
        let start = ContinuousClock.now
        let victim = servers[1].process.processIdentifier

        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    // Six seconds, or longer (up to a minute) on a busy machine until each kind was acknowledged a few times.
                    while await log.needsMore(elapsed: ContinuousClock.now - start) {
                        let n = await counter.next()
                        // Every seventh request goes to both servers at once with the same id or key.
                        let targets = n % 7 == 0 ? [0, 1] : [Int.random(in: 0...1)]
                        switch n % 4 {
                        case 0, 1: await Self.order(n, targets, api, log)
                        case 2: await Self.redeem(n, targets, api, log)
                        default: await Self.transfer(n, targets, api, log)
                        }
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(2_500))
                kill(victim, SIGKILL)
            }
        }
        servers[1].process.waitUntilExit()
        #expect(servers[1].process.terminationReason == .uncaughtSignal)
        servers[0].process.terminate()
        servers[0].process.waitUntilExit()
        #expect(servers[0].process.terminationReason == .exit && servers[0].process.terminationStatus == 0)

        let traffic = await log.snapshot()
        print("TwoServersOnPostgres \(database): \(traffic.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
        print("TwoServersOnPostgres: unanswered, e.g. \(traffic.unreachable)")
        #expect(traffic.unexpected.isEmpty, "unexpected answers (server logs in \(folder.path)):\n\(traffic.unexpected.joined(separator: "\n"))")
        // Beside the other suites on two cores, a run sees a few hundred requests; these floors only catch a run that sent none.
        #expect(traffic.placed.count >= 30 && traffic.redemptions.count >= 5 && traffic.transfers.count >= 5, "too little traffic")
        #expect(traffic.appliedTwice.isEmpty, "requests answered as applied by both servers: \(traffic.appliedTwice.sorted())")

        // Failed requests are logged without the request's headers: the API key never reaches the logs.
        for name in ["a", "b"] {
            let text = (try? String(contentsOf: folder.appendingPathComponent("serve-\(name).log"), encoding: .utf8)) ?? ""
            #expect(!text.contains(secret), "serve-\(name).log holds the API key")
        }

        let check = try patron(["check", "--database", database])
        #expect(check.status == 0, "patron check: \(check.output)")
        try Self.verifyDatabase(database, traffic)
    }

    /// What the database must hold after the traffic the log saw.
    private static func verifyDatabase(_ database: String, _ traffic: TrafficLog.Snapshot) throws {
        let sql = try SQL(database)
        let keys = Set(try sql.rows("SELECT key FROM idempotency").map { $0[0] })
        func keyed(_ prefix: String) -> Set<String> { Set(keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }) }

        // Orders: a row for each applied placement, one pending entry each, one activation per applied completion.
        let orders = Dictionary(uniqueKeysWithValues: try sql.rows("SELECT id, status FROM orders").map { ($0[0], $0[1]) })
        #expect(Set(orders.keys) == keyed("order-event:p-"), "orders and applied placements differ")
        var entries: [String: Int] = [:]
        for row in try sql.rows("SELECT order_id, kind, count(*) FROM entries WHERE order_id IS NOT NULL GROUP BY 1, 2") {
            entries["\(row[1]) \(row[0])"] = Int(row[2])
        }
        let completions = keyed("order-event:c-")
        for order in orders.keys {
            #expect(entries["pending \(order)"] == 1, "order \(order) has \(entries["pending \(order)"] ?? 0) pending entries")
            let activations = completions.contains(order) ? 1 : nil
            #expect(entries["activate \(order)"] == activations, "order \(order) has \(entries["activate \(order)"] ?? 0) activations")
        }
        let missingPlaced = traffic.placed.subtracting(orders.keys)
        #expect(missingPlaced.isEmpty, "acknowledged orders missing: \(missingPlaced.sorted())")
        let notActive = traffic.completed.filter { orders[$0] != "active" }
        #expect(notActive.isEmpty, "acknowledged completions not active: \(notActive.sorted())")

        // Redemptions: one row per applied key, every acknowledged one there, the stock never oversold.
        let redemptions = try sql.rows("SELECT id, reward_id FROM redemptions")
        #expect(redemptions.count == keyed("redeem:").count, "\(redemptions.count) redemptions for \(keyed("redeem:").count) keys")
        let missingRedemptions = Set(traffic.redemptions.values).subtracting(redemptions.map { Int64($0[0])! })
        #expect(missingRedemptions.isEmpty, "acknowledged redemptions missing: \(missingRedemptions.sorted())")
        #expect(Set(traffic.redemptions.keys).isSubset(of: keyed("redeem:")))
        #expect(redemptions.filter { $0[1] == "mug" }.count <= mugStock)

        // Transfers: one outgoing entry per applied key, every acknowledged one applied.
        let sent = try sql.rows("SELECT count(*) FROM entries WHERE kind = 'transfer' AND reason LIKE 'to member %'")[0][0]
        #expect(Int(sent) == keyed("transfer:").count, "\(sent) transfers for \(keyed("transfer:").count) keys")
        #expect(traffic.transfers.isSubset(of: keyed("transfer:")))

        // Members: one per customer identity (no orphan from an enrollment race on both servers), none overdrawn.
        let members = try sql.rows("SELECT count(*) FROM members")[0][0], identities = try sql.rows("SELECT count(*) FROM identities")[0][0]
        #expect(members == identities && Int(identities)! <= customers, "\(members) members with \(identities) identities")
        #expect(try sql.rows("SELECT id, active, pending FROM members WHERE active < 0 OR pending < 0").isEmpty)
    }

    // MARK: Traffic

    /// Places order `n` for a random customer, then completes it if the placement was acknowledged. The events carry
    /// no `occurredAt` (the server's now), like a storefront's; a replay is the same body, byte for byte.
    private static func order(_ n: Int, _ targets: [Int], _ api: API, _ log: TrafficLog) async {
        let order = "O\(n)"
        let placed = """
            {"id": "p-\(order)", "kind": "placed", "orderId": "\(order)", "order": {"id": "\(order)", \
            "member": {"kind": "customer", "value": "c\(Int.random(in: 0..<customers))"}, \
            "lines": [{"sku": "A", "quantity": 1, "unitPrice": \(Int.random(in: 50...250) * 100)}]}}
            """
        guard await log.record("placed \(order)", await api.post("/v1/orders/events", placed, to: targets)) else { return }
        let completed = #"{"id": "c-\#(order)", "kind": "completed", "orderId": "\#(order)"}"#
        await log.record("completed \(order)", await api.post("/v1/orders/events", completed, to: targets))
    }

    private static func redeem(_ n: Int, _ targets: [Int], _ api: API, _ log: TrafficLog) async {
        let body = #"{"member": "customer:c\#(Int.random(in: 0..<customers))", "reward": "\#(n % 3 == 0 ? "mug" : "sticker")"}"#
        await log.record("redeem r-\(n)", await api.post("/v1/redemptions", body, key: "r-\(n)", to: targets))
    }

    private static func transfer(_ n: Int, _ targets: [Int], _ api: API, _ log: TrafficLog) async {
        let from = Int.random(in: 0..<customers)
        let to = (from + Int.random(in: 1..<customers)) % customers
        let body = #"{"from": "customer:c\#(from)", "to": "customer:c\#(to)", "points": \#(Int.random(in: 100...300))}"#
        await log.record("transfer t-\(n)", await api.post("/v1/transfers", body, key: "t-\(n)", to: targets))
    }
}

// MARK: Helpers

/// A `patron serve` process on the database, on a free port, logging to a file.
private struct Server {
    let process = ChildProcess()
    let port: Int

    init(database: String, log: URL) throws {
        process.executableURL = try patronBinary()
        process.arguments = [
            "serve", "--database", database, "--port", "0", "--rate-limit", "100000", "--burst", "100000", "--job-interval", "1",
        ]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // "patron serving postgres://…@127.0.0.1:55432/… on http://127.0.0.1:PORT": the port after "on http://".
        var line = ""
        while !line.hasSuffix("\n"), let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            line += String(decoding: byte, as: UTF8.self)
        }
        let address = try #require(line.range(of: #"on http://[^ ]+:\d+"#, options: .regularExpression), "patron serve did not start; see \(log.path)")
        port = try #require(Int(line[address].split(separator: ":").last!))
    }
}

/// An answer from server 0 or 1: its status and body, or no status when the server could not be reached.
private struct Answer: Sendable {
    var server: Int
    var status: Int?
    var body: String
}

/// HTTP calls with an admin key.
private struct API: Sendable {
    let secret: String
    let ports: [Int]
    let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 32
        return URLSession(configuration: configuration)
    }()

    /// Posts `body` to every target server at once, with the same idempotency key.
    func post(_ path: String, _ body: String, key: String? = nil, to targets: [Int]) async -> [Answer] {
        await withTaskGroup(of: Answer.self) { group in
            for target in targets {
                group.addTask {
                    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(ports[target])\(path)")!)
                    request.httpMethod = "POST"
                    request.timeoutInterval = 60
                    request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
                    request.httpBody = Data(body.utf8)
                    do {
                        let (data, response) = try await session.data(for: request)
                        return Answer(server: target, status: (response as? HTTPURLResponse)?.statusCode, body: String(decoding: data, as: UTF8.self))
                    } catch {
                        return Answer(server: target, status: nil, body: "\(error)")
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }
}

/// What the servers acknowledged.
private actor TrafficLog {
    struct Snapshot {
        var placed: Set<String>
        var completed: Set<String>
        /// Redemption key → the id the answers gave.
        var redemptions: [String: Int64]
        var transfers: Set<String>
        var appliedTwice: Set<String>
        var unexpected: [String]
        /// A few of the requests no server answered, with their errors.
        var unreachable: [String]
        var statuses: [String: Int]
    }
    private var log = Snapshot(placed: [], completed: [], redemptions: [:], transfers: [], appliedTwice: [], unexpected: [], unreachable: [], statuses: [:])

    /// Whether the traffic should go on: for six seconds, then until the floors the test expects are met.
    func needsMore(elapsed: Duration) -> Bool {
        guard elapsed < .seconds(60) else { return false }
        return elapsed < .seconds(6) || log.placed.count < 30 || log.redemptions.count < 5 || log.transfers.count < 5
    }

    /// Records the answers to one request (`kind id`, sent to one or both servers); true when one was a 2xx.
    @discardableResult
    func record(_ request: String, _ answers: [Answer]) -> Bool {
        let parts = request.split(separator: " ").map(String.init)
        let (kind, id) = (parts[0], parts[1])
        var applied = 0
        var acknowledged = false
        for answer in answers {
            log.statuses["\(kind) \(answer.status.map(String.init) ?? "no answer")", default: 0] += 1
            guard let status = answer.status else {
                if log.unreachable.count < 4 { log.unreachable.append("\(request) → server \(answer.server): \(answer.body)") }
                continue
            }
            guard (200..<300).contains(status) else {
                // 404 (a member not enrolled yet), 422 (too few points, out of stock) are business answers.
                if ![404, 422].contains(status) { log.unexpected.append("\(request) → server \(answer.server): \(status) \(answer.body)") }
                continue
            }
            acknowledged = true
            let json = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any] ?? [:]
            switch kind {
            case "placed": log.placed.insert(id)
            case "completed": log.completed.insert(id)
            case "transfer": log.transfers.insert(id)
            default:
                // A redemption has no replayed flag: both answers must name the same redemption.
                let redemption = (json["id"] as? NSNumber)?.int64Value ?? -1
                if let earlier = log.redemptions[id], earlier != redemption { log.appliedTwice.insert(request) }
                log.redemptions[id] = redemption
            }
            if json["replayed"] as? Bool == false { applied += 1 }
        }
        if applied > 1 { log.appliedTwice.insert(request) }
        return acknowledged
    }

    func snapshot() -> Snapshot { log }
}

private actor Counter {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

/// Runs `patron` in the repository's folder; returns its status and what it printed on both streams.
private func patron(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = ChildProcess()
    process.executableURL = try patronBinary()
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Queries the test's schema with `psql`.
private struct SQL {
    let url: String
    let schema: String

    init(_ database: String) throws {
        let parts = database.split(separator: "?", maxSplits: 1)
        url = String(parts[0])
        schema = try #require(URLComponents(string: database)?.queryItems?.first { $0.name == "schema" }?.value)
    }

    /// The rows of `query`, each as its columns' text.
    func rows(_ query: String) throws -> [[String]] {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query]
        process.environment = ProcessInfo.processInfo.environment.merging(["PGOPTIONS": "-c search_path=\(schema)"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "psql \(query): \(problem)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
