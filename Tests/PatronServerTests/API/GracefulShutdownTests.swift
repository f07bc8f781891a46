import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatronCore
import PatronServer
import PatronStore
import Testing

/// A real `patron serve` process, stopped with SIGTERM while order events pour in: every event it acknowledged is in
/// the database afterwards and the ledger checks out.
@Suite struct GracefulShutdownTests {
    @Test func sigtermLosesNothingAcknowledged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("serve.sqlite").path
        #expect(try runPatron(["program", "load", "examples/programs/gold-club.yaml", "--database", database]).status == 0)
        let secret = try await {
            let store = try SQLStore(path: database, clock: SystemClock())
            return try await APIKeyIssuer(store: store).create(name: "load", scopes: [.storefront], actor: "test", at: Date()).secret
        }()

        let server = Process()
        server.executableURL = try patronBinary()
        server.arguments = ["serve", "--database", database, "--port", "0", "--no-jobs", "--rate-limit", "100000", "--burst", "100000"]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let port = try #require(Self.port(from: output.fileHandleForReading))

        let acknowledged = Acknowledged()
        let session = URLSession(configuration: .ephemeral)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask {
                    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/orders/events")!)
                    request.httpMethod = "POST"
                    request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    request.httpBody = Data(
                        #"{"id": "e\#(index)", "kind": "placed", "orderId": "O\#(index)", "order": {"id": "O\#(index)", "member": {"kind": "customer", "value": "c\#(index % 40)"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1500}]}}"#
                            .utf8)
                    if let (_, response) = try? await session.data(for: request), (response as? HTTPURLResponse)?.statusCode == 200 {
                        await acknowledged.add("O\(index)")
                    }
                }
            }
            // Stop the server while requests are still arriving.
            group.addTask {
                while await acknowledged.count < 30 { try await Task.sleep(for: .milliseconds(5)) }
                kill(server.processIdentifier, SIGTERM)
            }
            try await group.waitForAll()
        }
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)

        let store = try SQLStore(path: database, clock: SystemClock())
        let orders = await acknowledged.all
        #expect(orders.count >= 30)
        var recorded = Set<String>()
        for customer in 0..<40 {
            guard let member = try await store.member(identity: try Identity.customer("c\(customer)")) else { continue }
            recorded.formUnion(try await store.statement(member: member.id, entries: 1_000).entries.compactMap(\.orderId))
        }
        #expect(Set(orders).subtracting(recorded).isEmpty, "acknowledged orders missing: \(Set(orders).subtracting(recorded).sorted())")
        #expect(try await store.check().isEmpty)
    }

    /// The port `patron serve` prints once it listens.
    static func port(from handle: FileHandle) -> Int? {
        var text = ""
        while let byte = try? handle.read(upToCount: 1), !byte.isEmpty {
            text += String(decoding: byte, as: UTF8.self)
            if text.hasSuffix("\n"), let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                return Int(text[range].split(separator: ":").last!)
            }
        }
        return nil
    }
}

/// The orders the server answered 200 for.
private actor Acknowledged {
    private(set) var all: [String] = []
    var count: Int { all.count }
    func add(_ order: String) { all.append(order) }
}
