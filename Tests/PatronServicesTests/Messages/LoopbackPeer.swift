import Foundation
import PatronTestSupport

/// A Python peer on loopback (the SMTP sink or the HTTP provider beside this file), started for one test and stopped
/// by it: its port is the first line it prints; what it received is in `folder`.
final class LoopbackPeer {
    let process = ChildProcess()
    let input = Pipe()
    let folder: URL
    let port: Int

    /// Starts `script` (a file beside this one) with `arguments` after its output folder.
    init(_ script: String, arguments: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path, folder.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        // The peer exits when its standard input closes: when this test process ends, however it ends.
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(script) printed no port"])
        }
        self.port = port
    }

    /// The files the peer wrote whose names end with `suffix`, sorted by their number.
    func files(endingWith suffix: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(suffix) }
        return try names.sorted { (Int($0.split(separator: ".")[0]) ?? 0) < (Int($1.split(separator: ".")[0]) ?? 0) }.map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
    }

    /// The lines of one of the peer's logs (empty when it wrote none).
    func log(_ name: String) -> [String] {
        ((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit {
        // The peer ends when its standard input closes; terminate it too, and reap it so no zombie is left.
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost made by openssl in a temporary folder: (certificate, key).
func selfSignedCertificate() throws -> (String, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patron-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let cert = folder.appendingPathComponent("cert.pem").path
    let key = folder.appendingPathComponent("key.pem").path
    let process = ChildProcess()
    let input = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    return (cert, key)
}

/// The value of header `name` in a raw e-mail (the first one; folded lines joined).
func header(_ name: String, in email: String) -> String? {
    var lines = email.components(separatedBy: "\r\n")
    if let end = lines.firstIndex(of: "") { lines = Array(lines[..<end]) }
    var value: String?
    for line in lines {
        if value != nil, line.hasPrefix(" ") || line.hasPrefix("\t") {
            value! += line.trimmingCharacters(in: .whitespaces)
            continue
        }
        if value != nil { return value }
        if line.lowercased().hasPrefix(name.lowercased() + ":") { value = String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }
    return value
}

/// The decoded base64 body of the MIME part of `type` in a raw e-mail.
func part(_ type: String, in email: String) -> String? {
    let sections = email.components(separatedBy: "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    guard sections.count > 1 else { return nil }
    let encoded = sections[1].components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
    return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
}
