import Foundation
import PatronCore

/// A stored program version.
public struct ProgramVersion: Sendable {
    /// The version number, from 1.
    public var version: Int
    /// The program.
    public var program: Program
    /// The file text it was loaded from.
    public var source: String
    /// When it was loaded.
    public var loadedAt: Date
    /// Whether `loadProgram` created it (false when the same text was loaded again).
    public var isNew: Bool
}

/// One stored program version without its text: for lists of versions.
public struct ProgramVersionSummary: Sendable, Hashable {
    /// The version number, from 1.
    public var version: Int
    /// The program's name in that version.
    public var name: String
    /// When it was loaded.
    public var loadedAt: Date

    /// Makes a value.
    public init(version: Int, name: String, loadedAt: Date) {
        self.version = version
        self.name = name
        self.loadedAt = loadedAt
    }
}
