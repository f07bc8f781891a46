/// One problem in a program file: where it is and what is wrong.
public struct ProgramIssue: Sendable, Hashable, CustomStringConvertible {
    /// The path in the file, such as `earning.base.excludeSkus[2]`.
    public var path: String
    /// The 1-based line, or 0 when unknown.
    public var line: Int
    /// A plain reason.
    public var message: String

    public var description: String { line > 0 ? "\(path) (line \(line)): \(message)" : "\(path): \(message)" }
}
