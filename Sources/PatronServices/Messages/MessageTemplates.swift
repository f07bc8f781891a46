import Foundation
import Mustache
import PatronCore
import PatronStore

/// The templates of every message kind and locale, loaded from a folder and checked whole: each template parses and
/// names only known fields (`MessageFields`), or loading fails naming the file and line.
///
/// Layout: `FOLDER/LOCALE/KIND.subject.mustache`, `KIND.text.mustache` and `KIND.html.mustache` (all three per kind and
/// locale), e.g. `examples/messages/zh-Hans/welcome.html.mustache`. Subject and text render as plain text; HTML escapes
/// every value unless the template says `{{{…}}}`.
public struct MessageTemplates: Sendable {
    /// One kind's templates in one locale.
    public struct KindTemplates: Sendable {
        let subject: PartTemplate
        let text: PartTemplate
        let html: PartTemplate
    }

    /// One part's template: swift-mustache's parse, and the same compiled for speed when every token is understood.
    struct PartTemplate: Sendable {
        let parsed: MustacheTemplate
        let compiled: CompiledTemplate?

        init(_ parsed: MustacheTemplate) {
            self.parsed = parsed
            compiled = CompiledTemplate(parsed)
        }

        func render(_ fields: [String: MessageField]) -> String {
            compiled?.render(fields) ?? parsed.render(fields.mapValues(\.mustacheValue))
        }
    }

    /// The three parts of a message.
    public enum Part: String, Sendable, CaseIterable {
        case subject, text, html
    }

    /// Templates by locale, then kind.
    let sets: [String: [MessageKind: KindTemplates]]
    /// The locale used when the member's has no template.
    public let defaultLocale: String

    /// The locales with templates, sorted.
    public var locales: [String] { sets.keys.sorted() }

    /// The kinds with templates in `locale`, sorted.
    public func kinds(locale: String) -> [MessageKind] { (sets[locale] ?? [:]).keys.sorted() }

    /// Loads every template under `folder`; `defaultLocale` must be one of its locales.
    public init(folder: URL, defaultLocale: String) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PatronError(.invalidInput, "\(folder.path): no such folder of message templates")
        }
        var files: [String: [String: String]] = [:]
        for locale in try manager.contentsOfDirectory(atPath: folder.path).sorted() where !locale.hasPrefix(".") {
            let localeFolder = folder.appendingPathComponent(locale)
            guard manager.fileExists(atPath: localeFolder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            for name in try manager.contentsOfDirectory(atPath: localeFolder.path).sorted() where name.hasSuffix(".mustache") {
                let path = localeFolder.appendingPathComponent(name).path
                guard let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw PatronError(.invalidInput, "\(path): cannot read it as UTF-8 text")
                }
                files[locale, default: [:]][name] = text
            }
        }
        try self.init(files: files, defaultLocale: defaultLocale, origin: folder.path)
    }

    /// Builds templates from texts by locale and file name (`welcome.subject.mustache` …); `origin` prefixes file names
    /// in errors.
    public init(files: [String: [String: String]], defaultLocale: String, origin: String = "templates") throws {
        var sets: [String: [MessageKind: KindTemplates]] = [:]
        for (locale, localeFiles) in files.sorted(by: { $0.key < $1.key }) {
            var parts: [MessageKind: [Part: PartTemplate]] = [:]
            for (name, text) in localeFiles.sorted(by: { $0.key < $1.key }) {
                let path = "\(origin)/\(locale)/\(name)"
                let pieces = name.split(separator: ".")
                guard pieces.count == 3, pieces[2] == "mustache", let part = Part(rawValue: String(pieces[1])) else {
                    throw PatronError(.invalidInput, "\(path): a template is named KIND.PART.mustache with PART one of subject, text, html")
                }
                let kind = try MessageKind.named(String(pieces[0]), field: path)
                parts[kind, default: [:]][part] = try Self.compile(text, part: part, path: path)
            }
            for (kind, kindParts) in parts {
                let missing = Part.allCases.filter { kindParts[$0] == nil }
                guard missing.isEmpty else {
                    throw PatronError(
                        .invalidInput,
                        "\(origin)/\(locale)/: \(kind.rawValue) has no \(missing.map { "\(kind.rawValue).\($0.rawValue).mustache" }.joined(separator: ", "))")
                }
                sets[locale, default: [:]][kind] = KindTemplates(subject: kindParts[.subject]!, text: kindParts[.text]!, html: kindParts[.html]!)
            }
        }
        guard sets[defaultLocale] != nil else {
            throw PatronError(
                .invalidInput, "\(origin): no templates for the shop's locale \(defaultLocale) (found: \(sets.keys.sorted().joined(separator: ", ")))")
        }
        self.sets = sets
        self.defaultLocale = defaultLocale
    }

    /// Parses one template and checks its fields; subject and text are plain text (nothing escaped), HTML escapes.
    static func compile(_ text: String, part: Part, path: String) throws -> PartTemplate {
        // The pragma goes on the first line, so parser line numbers stay the file's.
        let source = part == .html ? text : "{{% CONTENT_TYPE: TEXT }}" + text
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw PatronError(.invalidInput, "\(path):\(error.context.lineNumber): the template does not parse (\(error.error)): \(error.context.line)")
        }
        if let problem = MessageTemplateCheck.problems(text).first {
            throw PatronError(.invalidInput, "\(path):\(problem.line): \(problem.message)")
        }
        return PartTemplate(template)
    }

    /// The locale to render in: `wanted` if it has templates for `kind`, else its shorter forms (`zh-Hans-CN`, then
    /// `zh-Hans`, then `zh`; letter case ignored), else the default locale.
    public func locale(for kind: MessageKind, wanted: String?) -> String {
        guard let wanted else { return defaultLocale }
        if sets[wanted]?[kind] != nil { return wanted }
        let canonical = LanguageTag.canonical(wanted) ?? wanted
        for candidate in LanguageTag.fallbacks(canonical) {
            if let found = sets.keys.sorted().first(where: { $0.caseInsensitiveCompare(candidate) == .orderedSame }), sets[found]?[kind] != nil {
                return found
            }
        }
        return defaultLocale
    }

    /// Renders `kind` in `locale` (falling back to the default locale) with `fields` (see `MessageFieldValues`).
    public func render(_ kind: MessageKind, locale: String?, fields: [String: MessageField]) throws -> MessageOutcome.Rendered {
        let chosen = self.locale(for: kind, wanted: locale)
        guard let set = sets[chosen]?[kind] else {
            throw PatronError(.notFound, "no \(kind.rawValue) template in \(chosen) (templates exist for: \(kinds(locale: chosen).map(\.rawValue).joined(separator: ", ")))")
        }
        return MessageOutcome.Rendered(subject: Self.oneLine(set.subject.render(fields)), text: set.text.render(fields), html: set.html.render(fields))
    }

    /// A subject as one header line: trimmed, with any line break inside it a space. Checked on the bytes first, since
    /// nearly every subject needs nothing (Foundation's trimming and replacing cost a tenth of a message's rendering).
    static func oneLine(_ subject: String) -> String {
        let scalars = subject.unicodeScalars
        let edgesPlain = [scalars.first, scalars.last].allSatisfy { $0?.properties.isWhitespace != true }
        if edgesPlain && !subject.utf8.contains(where: { $0 == 13 || $0 == 10 }) { return subject }
        return subject.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
