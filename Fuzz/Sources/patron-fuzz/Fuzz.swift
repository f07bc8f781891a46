import Foundation
import PatronCore
import PatronFiles

/// The reader a run exercises, named by `PATRON_FUZZ_TARGET` (`scripts/fuzz TARGET` sets it). Each takes the input as
/// untrusted text and may refuse it with a `PatronError`; anything else — a trap, a crash, a hang — is a finding.
enum FuzzTarget: String, CaseIterable {
    /// A program file (YAML or JSON) through `ProgramFile.parse`: Yams, then `ProgramReader`'s checks.
    case program
    /// An orders file as delimited text; the first byte picks the delimiter, the header and the date pattern.
    case csv
    /// An orders file as JSON Lines of order events.
    case jsonl
    /// One order event as JSON through `OrderEventJSON.decode`, the domain's strict decoder and its validation.
    case orderEvent = "order-event"

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["PATRON_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("PATRON_FUZZ_TARGET must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
        }
        return target
    }()

    /// The program the orders files are read under: their currency and time zone.
    static let shop: Program = {
        do {
            return try ProgramFile.parse(
                """
                name: Fuzz
                currency: USD
                timeZone: America/New_York
                levels: { metric: spend, tiers: [{ name: Member, threshold: "0.00" }] }
                earning: { points: 1, per: "1.00" }
                """)
        } catch {
            fatalError("the harness's own program does not load: \(error)")
        }
    }()

    /// The delimited layouts the first byte of a `csv` input chooses among.
    static let formats: [OrderFileFormat] = OrderFileFormat.Delimiter.allCases.flatMap { delimiter in
        [
            OrderFileFormat(delimiter: delimiter, customer: .named("customer"), orderId: .named("order"), date: .named("date"), amount: .named("amount")),
            OrderFileFormat(
                delimiter: delimiter, hasHeader: false, customer: .position(1), date: .position(2), dateFormat: "yyyyMMdd", amount: .position(4)),
            OrderFileFormat(
                delimiter: delimiter, customer: .named("customer"), date: .position(2), dateFormat: "dd/MM/yyyy", amount: .named("amount"),
                amountUnit: .minor),
        ]
    }

    func run(_ data: Data) {
        switch self {
        case .program:
            guard let text = String(data: data, encoding: .utf8) else { return }
            _ = try? ProgramFile.parse(text)
        case .csv:
            guard let selector = data.first, let text = String(data: data.dropFirst(), encoding: .utf8) else { return }
            let format = Self.formats[Int(selector) % Self.formats.count]
            _ = try? OrderFileSource.delimited(format).rows(of: text, program: Self.shop)
        case .jsonl:
            guard let text = String(data: data, encoding: .utf8) else { return }
            _ = try? OrderFileSource.jsonLines.rows(of: text, program: Self.shop)
        case .orderEvent:
            _ = try? OrderEventJSON.decode(data)
        }
    }
}
