import Foundation
import PatronCore
@testable import PatronServer
import PatronStore
import PatronTestSupport

/// A gold-club shop in a fresh folder with a storefront API key, and a real `patron serve` process on it (`--no-jobs`,
/// on a free port, rate limits out of the way) — for tests that stop, kill or flood a server.
struct ServedShop {
    let folder: URL
    let database: String
    let secret: String
    let server: ChildProcess
    let port: Int

    /// Makes the shop and starts the server with `arguments` added to its command line; returns once it listens.
    static func start(_ arguments: [String] = []) async throws -> ServedShop {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("serve.sqlite").path
        guard try runPatron(["program", "load", "examples/programs/gold-club.yaml", "--database", database]).status == 0 else {
            throw PatronError(.storage, "patron program load failed")
        }
        let store = try SQLStore(path: database, clock: SystemClock())
        let secret = try await APIKeyIssuer(store: store).create(name: "load", scopes: [.storefront], actor: "test", at: Date()).secret

        let server = ChildProcess()
        server.executableURL = try patronBinary()
        server.arguments =
            ["serve", "--database", database, "--port", "0", "--no-jobs", "--rate-limit", "100000", "--burst", "100000"] + arguments
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        guard let port = port(from: output.fileHandleForReading) else {
            if server.isRunning { server.terminate() }
            throw PatronError(.storage, "patron serve did not print the port it listens on")
        }
        return ServedShop(folder: folder, database: database, secret: secret, server: server, port: port)
    }

    /// Stops the server if it still runs and removes the shop's folder.
    func remove() {
        if server.isRunning { server.terminate() }
        try? FileManager.default.removeItem(at: folder)
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
