import Foundation
import PatronTestSupport

/// One run of the `patron` binary: its exit status, standard output and standard error.
struct PatronRun {
    var status: Int32
    var output: String
    var error: String
}

/// The repository's root folder, where `examples/` and `docs/` are.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs `patron` in the repository's root with the environment changed by `environment` (a nil value removes a
/// variable); PATRON_DATABASE is always removed, so only `--database` chooses the database.
func runPatronCapturing(_ arguments: [String], environment: [String: String?] = [:]) throws -> PatronRun {
    let process = ChildProcess()
    process.executableURL = try patronBinary()
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    var variables = ProcessInfo.processInfo.environment
    variables["PATRON_DATABASE"] = nil
    for (name, value) in environment { variables[name] = value }
    process.environment = variables
    // Standard error goes to a file, not a second pipe: reading one pipe to its end while the other fills would
    // deadlock once a command writes more than a pipe holds.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("patron-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
    return PatronRun(
        status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self))
}
