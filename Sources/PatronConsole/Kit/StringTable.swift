import Foundation
import Mustache

/// The console's strings: every `Strings/<area>.<lang>.json` (flat `{"key": "text"}`) merged into one table per
/// language. Keys are prefixed by their area (`members.search.placeholder`), so areas never collide.
struct StringTable: Sendable {
    let tables: [ConsoleLanguage: [String: String]]
    /// Each language's keys as a tree split at the dots, built once: what `{{t.a.b.c}}` walks in a template.
    let trees: [ConsoleLanguage: StringNode]

    /// The table `tables`, with its trees.
    init(tables: [ConsoleLanguage: [String: String]]) {
        self.tables = tables
        trees = tables.mapValues { StringNode.tree($0) }
    }

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

    /// The key tree of `language` (`t` in templates).
    func tree(_ language: ConsoleLanguage) -> StringNode { trees[language] ?? StringNode(path: "", text: nil, children: [:]) }

    /// The string `key` in `language`, or the key itself when it is missing.
    func text(_ key: String, _ language: ConsoleLanguage) -> String { tables[language]?[key] ?? key }
}

/// One step of a dotted string key: `t.member.home.title` in a template is the root's child `member`, its child
/// `home`, and that one's child `title`, whose text renders. The tree is made once per language when the strings load,
/// so a look-up is a dictionary step per dot, with no key built per request. A key that is missing renders as itself
/// (the kit's test fails on it).
final class StringNode: MustacheParent, MustacheCustomRenderable, Sendable {
    /// The dotted key up to here.
    let path: String
    /// The string of exactly this key, if there is one.
    let text: String?
    /// The next steps.
    let children: [String: StringNode]

    init(path: String, text: String?, children: [String: StringNode]) {
        self.path = path
        self.text = text
        self.children = children
    }

    /// The tree of a flat table of dotted keys.
    static func tree(_ table: [String: String]) -> StringNode {
        var keys: [(parts: [Substring], text: String)] = table.map { ($0.key.split(separator: ".", omittingEmptySubsequences: false), $0.value) }
        keys.sort { $0.parts.lexicographicallyPrecedes($1.parts) }
        return build(path: "", depth: 0, keys[...], table: table)
    }

    private static func build(path: String, depth: Int, _ keys: ArraySlice<(parts: [Substring], text: String)>, table: [String: String]) -> StringNode {
        var children: [String: StringNode] = [:]
        var rest = keys.drop { $0.parts.count == depth }
        while let first = rest.first {
            let name = first.parts[depth]
            let group = rest.prefix { $0.parts[depth] == name }
            let childPath = path.isEmpty ? String(name) : path + "." + name
            children[String(name)] = build(path: childPath, depth: depth + 1, group, table: table)
            rest = rest.dropFirst(group.count)
        }
        return StringNode(path: path, text: path.isEmpty ? nil : table[path], children: children)
    }

    func child(named name: String) -> Any? {
        children[name] ?? StringNode(path: path.isEmpty ? name : path + "." + name, text: nil, children: [:])
    }

    var renderText: String { text ?? path }
    var isNull: Bool { text == nil }
}

/// The module's resource folders, for tests that read templates and strings directly.
enum PatronConsoleResources {
    /// The folder `name` (`Templates`, `Strings`, `Assets`) in the module's bundle.
    static func url(_ name: String) -> URL? { Bundle.module.url(forResource: name, withExtension: nil) }
}
