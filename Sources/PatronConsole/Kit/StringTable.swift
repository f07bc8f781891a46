import Foundation

/// The console's strings: every `Strings/<area>.<lang>.json` (flat `{"key": "text"}`) merged into one table per
/// language. Keys are prefixed by their area (`members.search.placeholder`), so areas never collide.
struct StringTable: Sendable {
    let tables: [ConsoleLanguage: [String: String]]

    /// Reads every string file in the bundle; a malformed file or a key defined twice is an error naming the file.
    static func load() throws -> StringTable {
        guard let folder = Bundle.module.url(forResource: "Strings", withExtension: nil) else {
            throw ConsoleError("the console's Strings folder is missing from its bundle")
        }
        return try load(folder: folder)
    }

    /// Reads every `*.<lang>.json` in `folder`.
    static func load(folder: URL) throws -> StringTable {
        var tables: [ConsoleLanguage: [String: String]] = [:]
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
        for file in files where file.pathExtension == "json" {
            let stem = file.deletingPathExtension().lastPathComponent
            guard let dot = stem.lastIndex(of: "."), let language = ConsoleLanguage(rawValue: String(stem[stem.index(after: dot)...])) else {
                throw ConsoleError("Strings/\(file.lastPathComponent): the name must be <area>.en.json or <area>.zh-Hans.json")
            }
            let entries: [String: String]
            do {
                entries = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: file))
            } catch {
                throw ConsoleError("Strings/\(file.lastPathComponent): not a flat JSON object of strings (\(error))")
            }
            for (key, text) in entries {
                if tables[language]?[key] != nil { throw ConsoleError("Strings/\(file.lastPathComponent): the key \(key) is defined twice") }
                tables[language, default: [:]][key] = text
            }
        }
        return StringTable(tables: tables)
    }

    /// The table of `language`.
    func table(_ language: ConsoleLanguage) -> [String: String] { tables[language] ?? [:] }

    /// The string `key` in `language`, or the key itself when it is missing.
    func text(_ key: String, _ language: ConsoleLanguage) -> String { tables[language]?[key] ?? key }
}

/// The module's resource folders, for tests that read templates and strings directly.
enum PatronConsoleResources {
    /// The folder `name` (`Templates`, `Strings`, `Assets`) in the module's bundle.
    static func url(_ name: String) -> URL? { Bundle.module.url(forResource: name, withExtension: nil) }
}
