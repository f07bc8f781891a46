import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronServer
import PatronServices
import PatronStore

/// `patron import …`: bring a shop's history in.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import data from files.", subcommands: [Orders.self])

    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import orders from CSV (any delimiter, columns by header or position) or JSON Lines of order events.",
            discussion: """
                CSV rows become delivered orders on their date; unknown customers are enrolled on the fly. Fields may be
                quoted as RFC 4180 says ("Smith, J", "1,000.00", doubled quotes, line breaks). A file whose header lacks
                the mapped columns, or whose delimiter yields one column, is refused before anything is written; an
                import in which every row is refused exits non-zero. JSON Lines events are read with the API's rules:
                an unknown field is refused.
                CDNOW's export imports as it is:
                  patron import orders CDNOW_master.txt --delimiter whitespace --customer 1 --date 2 --date-format yyyyMMdd --amount 4
                """)

        @Argument(help: "The file.") var file: String
        @Option(help: "csv or jsonl (default: from the file's extension).") var format: String?
        @OptionGroup var columns: OrderFileOptions
        @Flag(help: "Stop at the first bad row instead of reporting it and going on.") var strict = false
        @Option(help: "Load this program file first (a new version if it changed).") var program: String?
        @Flag(help: "Do not run activation and expiry after the import.") var skipJobs = false
        @Flag(help: ArgumentHelp("Print 'ack N' after each durable batch (for crash tests).", visibility: .hidden)) var ackLog = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open(create: true)
                if let program {
                    let (parsed, source) = try ProgramFile.load(path: program)
                    _ = try await opened.loadProgram(parsed, source: source)
                }
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw PatronError(.invalidInput, "cannot read \(file) as UTF-8 text")
                }
                let source = try self.source()
                let started = Date()
                let lineCount = text.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
                let progress = Progress("importing \(file)", total: lineCount)
                let ackLog = self.ackLog
                let summary = try await OrderImporter(store: opened).run(text, source: source, strict: strict) { rows in
                    progress.update(rows)
                    if ackLog {
                        FileHandle.standardOutput.write(Data("ack \(rows)\n".utf8))
                    }
                }
                progress.finish()
                let seconds = Date().timeIntervalSince(started)
                print("read \(grouped(summary.rows)) rows in \(String(format: "%.2f", seconds)) s: \(grouped(summary.imported)) orders imported, \(grouped(summary.alreadyPresent)) already present, \(grouped(summary.enrolled)) members enrolled on the fly, \(grouped(summary.problems.count)) rows refused")
                for problem in summary.problems.prefix(20) { print("  \(problem)") }
                if summary.problems.count > 20 { print("  … and \(summary.problems.count - 20) more") }
                if summary.everyRowRefused {
                    print("nothing was imported: every row was refused; check --delimiter and the column options against the file")
                    throw ExitCode.failure
                }
                if !skipJobs, !summary.stoppedEarly {
                    let report = try await JobRunner(store: opened, clock: try store.clock()).runOnce()
                    print("jobs: \(grouped(report.activated.items)) orders activated (\(grouped(report.activated.points)) points), \(grouped(report.expired.points)) points expired")
                }
                if summary.stoppedEarly {
                    print("nothing was imported: --strict refuses a file with any bad row")
                    throw ExitCode.failure
                }
            }
        }

        private func source() throws -> OrderImporter.Source {
            let kind = format ?? (file.hasSuffix(".jsonl") || file.hasSuffix(".ndjson") ? "jsonl" : "csv")
            switch kind {
            case "jsonl": return .jsonLines
            case "csv": return .delimited(try columns.format())
            default: throw PatronError(.invalidInput, "--format must be csv or jsonl, not '\(kind)'")
            }
        }
    }
}
