import ArgumentParser
import Foundation
import Mustache
import PatronCore
import PatronServices
import PatronStore

extension BenchCommand {
    /// `patron bench messages`: rendering messages on one core, beside two peers in the same run.
    struct MessagesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "messages",
            abstract: "Render messages (subject, text and HTML) on one core, beside plain string interpolation and a trivial mustache template.",
            discussion: """
                Every message renders the welcome kind's three parts for one of 1,000 members (names, balances and the next level \
                vary), as the deliverer does after it has read the member. Peers, same fields, same run: Swift string interpolation \
                building the same three texts (HTML-escaped), and swift-mustache rendering a one-field template for each part. \
                Delivery to an SMTP sink is measured by Benchmarks/messages/delivery.py (docs/benchmarks.md).
                """)

        @Option(help: "Messages rendered per measurement.") var renders = 100_000
        @Option(help: "The templates folder.") var templates = "examples/messages"
        @Option(help: "The locale rendered (en or zh-Hans in the examples).") var locale = "en"

        func run() async throws {
            try await reportingErrors {
                let loaded = try MessageTemplates(folder: URL(fileURLWithPath: templates), defaultLocale: "en")
                // swift-mustache itself, one field per part, over the same values as plain dictionaries.
                let trivial = (
                    subject: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT }}{{member.name}}"), text: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT }}{{member.name}}"),
                    html: try MustacheTemplate(string: "{{member.name}}"))
                let tracking = try MessageTracking(secret: Data(repeating: 1, count: 32), base: "https://loyalty.shop.example")
                let members = (0..<1_000).map(Self.fields)
                let plainMembers = members.map { MessageField.group($0).mustacheValue }
                print("patron bench messages: \(renders) welcome messages (\(locale)) per measurement, one task on one core; load average \(Self.loadAverage())")
                var table = Table(["renderer", "messages", "seconds", "messages/s", "bytes/message"], rightAligned: [1, 2, 3, 4])
                func measure(_ name: String, _ render: (Int) throws -> Int) throws -> Double {
                    for index in 0..<min(renders, 2_000) { _ = try render(index) }  // warm up
                    var bytes = 0
                    let clock = ContinuousClock()
                    let elapsed = try clock.measure {
                        for index in 0..<renders { bytes &+= try render(index) }
                    }
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    let perSecond = Double(renders) / seconds
                    table.add([name, String(renders), String(format: "%.3f", seconds), String(format: "%.0f", perSecond), String(bytes / max(renders, 1))])
                    return perSecond
                }
                let patron = try measure("patron (MessageTemplates, 3 parts)") { index in
                    let r = try loaded.render(.welcome, locale: locale, fields: members[index % members.count])
                    return r.subject.utf8.count + r.text.utf8.count + r.html.utf8.count
                }
                _ = try measure("patron + tracking (pixel, links)") { index in
                    let r = tracking.track(try loaded.render(.welcome, locale: locale, fields: members[index % members.count]), message: Int64(index + 1))
                    return r.subject.utf8.count + r.text.utf8.count + r.html.utf8.count
                }
                let interpolation = try measure("peer: string interpolation") { index in
                    let (subject, text, html) = Self.interpolated(members[index % members.count])
                    return subject.utf8.count + text.utf8.count + html.utf8.count
                }
                let mustache = try measure("peer: swift-mustache, one field per part") { index in
                    let fields = plainMembers[index % members.count]
                    return trivial.subject.render(fields).utf8.count + trivial.text.render(fields).utf8.count + trivial.html.render(fields).utf8.count
                }
                print(table.text)
                print(
                    String(
                        format: "patron renders %.0f messages/s on one core (target 50,000): %.2f× string interpolation, %.2f× a one-field mustache template",
                        patron, patron / interpolation, patron / mustache))
            }
        }

        /// The fields of member `index`, shaped as `MessageFieldValues.build` makes them.
        static func fields(_ index: Int) -> [String: MessageField] {
            var fields: [String: MessageField] = [
                "shop": ["name": "Gold Club", "currency": "CNY"],
                "member": [
                    "id": .text(String(index + 1)), "name": .text(index % 7 == 0 ? "Ann <Lee> & Co" : "Member \(index)"), "email": .text("m\(index)@example.com"),
                    "phone": "", "enrolledOn": .text("2026-01-0\(1 + index % 9)"), "birthday": "", "locale": "en",
                ],
                "points": ["active": .text(String(index * 37 % 10_000)), "pending": .text(String(index * 11 % 500)), "expiringTotal": "0"],
                "level": ["name": "Silver", "since": "2026-01-01", "until": ""],
                "links": .group([:]),
            ]
            if index % 2 == 0 { fields["nextLevel"] = ["name": "Gold", "gap": .text("\(index % 900).50"), "metric": "spend"] }
            return fields
        }

        /// The welcome message of examples/messages/en built with string interpolation: the peer.
        static func interpolated(_ fields: [String: MessageField]) -> (String, String, String) {
            func text(_ group: String, _ name: String) -> String {
                guard case .group(let values)? = fields[group], case .text(let text)? = values[name] else { return "" }
                return text
            }
            let shopName = text("shop", "name"), name = text("member", "name"), active = text("points", "active"), pending = text("points", "pending")
            let next = fields["nextLevel"] == nil ? nil : (gap: text("nextLevel", "gap"), name: text("nextLevel", "name"))
            let subject = "Welcome to \(shopName), \(name)"
            var text = "Hello \(name),\n\nwelcome to \(shopName). You have \(active) points (\(pending) pending).\n"
            if let next { text += "You are \(next.gap) away from \(next.name).\n" }
            var html = "<!doctype html>\n<html lang=\"en\"><body>\n<h1>Welcome to \(HTMLText.escape(shopName)), \(HTMLText.escape(name))</h1>\n"
            html += "<p>You have <strong>\(HTMLText.escape(active))</strong> points.</p>\n"
            if let next { html += "<p>You are \(HTMLText.escape(next.gap)) away from <strong>\(HTMLText.escape(next.name))</strong>.</p>" }
            html += "\n</body></html>\n"
            return (subject, text, html)
        }


        /// `/proc/loadavg`'s three load averages, or "unknown".
        static func loadAverage() -> String {
            guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
            return text.split(separator: " ").prefix(3).joined(separator: " ")
        }
    }
}
