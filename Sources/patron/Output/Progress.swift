import Foundation

/// A one-line progress indicator on standard error, shown only on a terminal so logs and pipes stay clean.
final class Progress: Sendable {
    private let label: String
    private let total: Int?
    private let enabled = isatty(STDERR_FILENO) == 1

    /// Makes an indicator.
    init(_ label: String, total: Int? = nil) {
        self.label = label
        self.total = total
    }

    /// Shows the count done so far.
    func update(_ done: Int) {
        guard enabled else { return }
        let share = total.map { $0 > 0 ? " (\(done * 100 / $0) %)" : "" } ?? ""
        FileHandle.standardError.write(Data("\r\(label): \(grouped(done))\(share)\u{1B}[K".utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
