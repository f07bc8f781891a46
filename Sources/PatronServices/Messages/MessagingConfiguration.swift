import Foundation
import PatronCore

/// Where templates are, which locale is the shop's, and how each channel goes out: built once by the executable from
/// the environment (`PATRON_MESSAGE_*`, `PATRON_SMTP_*`, `PATRON_SMS_*`, `PATRON_PUSH_*`, `PATRON_UNSUBSCRIBE_*`; see
/// docs/messages.md) and passed down.
public struct MessagingConfiguration: Sendable {
    /// The folder of templates (`LOCALE/KIND.PART.mustache`).
    public var templates: URL
    /// The shop's locale, used when a member has none or their locale has no template.
    public var defaultLocale: String
    /// The SMTP server, when e-mail is sent.
    public var smtp: SMTPConfiguration?
    /// The SMS provider, when SMS is sent.
    public var sms: HTTPProviderSender.Configuration?
    /// The push provider, when push messages are sent.
    public var push: HTTPProviderSender.Configuration?
    /// The unsubscribe links' base URL and secret, when marketing messages carry them.
    public var unsubscribeBase: String?
    /// The secret signing unsubscribe links (at least 32 bytes).
    public var unsubscribeSecret: Data?
    /// Retries and pacing.
    public var delivery: MessageDeliveryConfiguration
    /// Where double opt-in confirmation links point, when not `/consent/confirm` beside the unsubscribe base.
    public var confirmationBase: String?
    /// The shop's preferences page (`links.preferences`).
    public var preferencesURL: String?
    /// Open and click tracking (`PATRON_TRACKING_URL`, `PATRON_TRACKING_SECRET`), when configured.
    public var tracking: MessageTracking?

    /// A configuration with only templates and the inbox.
    public init(templates: URL, defaultLocale: String = "en", delivery: MessageDeliveryConfiguration = MessageDeliveryConfiguration()) {
        self.templates = templates
        self.defaultLocale = defaultLocale
        self.delivery = delivery
    }

    /// Reads the configuration from environment variables; names the variable that is wrong.
    public init(environment: [String: String]) throws {
        self.init(
            templates: URL(fileURLWithPath: environment["PATRON_MESSAGE_TEMPLATES"] ?? "templates/messages"),
            defaultLocale: environment["PATRON_MESSAGE_LOCALE"] ?? "en")
        if let host = environment["PATRON_SMTP_HOST"] {
            guard let from = environment["PATRON_SMTP_FROM"] else {
                throw PatronError(.invalidInput, "PATRON_SMTP_FROM: the sender's address is needed with PATRON_SMTP_HOST")
            }
            var port = 587
            if let text = environment["PATRON_SMTP_PORT"] {
                guard let value = Int(text), (1...65_535).contains(value) else { throw PatronError(.invalidInput, "PATRON_SMTP_PORT: '\(text)' is not a port") }
                port = value
            }
            var security = SMTPConfiguration.Security.startTLSWhenOffered
            if let text = environment["PATRON_SMTP_SECURITY"] {
                guard let value = SMTPConfiguration.Security(rawValue: text) else {
                    throw PatronError(
                        .invalidInput, "PATRON_SMTP_SECURITY: '\(text)'; one of \(SMTPConfiguration.Security.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                security = value
            }
            smtp = SMTPConfiguration(
                host: host, port: port, security: security, trustedCertificatesFile: environment["PATRON_SMTP_CA_FILE"],
                username: environment["PATRON_SMTP_USER"], password: environment["PATRON_SMTP_PASSWORD"],
                allowAuthWithoutTLS: environment["PATRON_SMTP_ALLOW_PLAIN_AUTH"] == "1", from: from, fromName: environment["PATRON_SMTP_FROM_NAME"])
        }
        sms = try Self.provider("SMS", environment)
        push = try Self.provider("PUSH", environment)
        if let base = environment["PATRON_UNSUBSCRIBE_URL"] {
            guard let secret = environment["PATRON_UNSUBSCRIBE_SECRET"], secret.utf8.count >= 32 else {
                throw PatronError(.invalidInput, "PATRON_UNSUBSCRIBE_SECRET: at least 32 characters are needed with PATRON_UNSUBSCRIBE_URL")
            }
            unsubscribeBase = base
            unsubscribeSecret = Data(secret.utf8)
        }
        for name in ["PATRON_CONFIRM_URL", "PATRON_PREFERENCES_URL"] {
            guard let text = environment[name] else { continue }
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw PatronError(.invalidInput, "\(name): '\(text)' is not an http or https URL")
            }
        }
        confirmationBase = environment["PATRON_CONFIRM_URL"]
        preferencesURL = environment["PATRON_PREFERENCES_URL"]
        if let base = environment["PATRON_TRACKING_URL"] {
            guard let secret = environment["PATRON_TRACKING_SECRET"], secret.utf8.count >= 32 else {
                throw PatronError(.invalidInput, "PATRON_TRACKING_SECRET: at least 32 characters are needed with PATRON_TRACKING_URL")
            }
            do {
                tracking = try MessageTracking(secret: Data(secret.utf8), base: base)
            } catch {
                throw PatronError(.invalidInput, "PATRON_TRACKING_URL: '\(base)' is not an http or https URL")
            }
        }
        for channel in [MessageChannel.email, .sms, .push] {
            let name = "PATRON_MESSAGE_RATE_\(channel.rawValue.uppercased())"
            guard let text = environment[name] else { continue }
            guard let rate = Double(text), rate >= 0, rate.isFinite else {
                throw PatronError(.invalidInput, "\(name): '\(text)' is not a number of messages per second (0: no limit)")
            }
            delivery.ratePerSecond[channel] = rate == 0 ? nil : rate
        }
    }

    private static func provider(_ name: String, _ environment: [String: String]) throws -> HTTPProviderSender.Configuration? {
        guard let text = environment["PATRON_\(name)_URL"] else { return nil }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw PatronError(.invalidInput, "PATRON_\(name)_URL: '\(text)' is not an http or https URL")
        }
        guard let secret = environment["PATRON_\(name)_SECRET"], secret.utf8.count >= 16 else {
            throw PatronError(.invalidInput, "PATRON_\(name)_SECRET: at least 16 characters are needed with PATRON_\(name)_URL")
        }
        return HTTPProviderSender.Configuration(url: url, secret: secret)
    }

    /// The unsubscribe links (with the confirmation links and the preferences page beside them), when configured.
    public func unsubscribeLink() throws -> UnsubscribeLink? {
        guard let base = unsubscribeBase, let secret = unsubscribeSecret else { return nil }
        var link = try UnsubscribeLink(secret: secret, base: base)
        if let confirmationBase { link.confirmationBase = confirmationBase }
        link.preferences = preferencesURL
        return link
    }

    /// The senders this configuration enables: the inbox always, e-mail, SMS and push when configured.
    public func senders(clock: any Clock) -> [MessageChannel: any MessageSender] {
        var senders: [MessageChannel: any MessageSender] = [.inbox: InboxSender()]
        if let smtp { senders[.email] = EmailSender(configuration: smtp, clock: clock) }
        if let sms { senders[.sms] = HTTPProviderSender(configuration: sms) }
        if let push { senders[.push] = HTTPProviderSender(configuration: push) }
        return senders
    }
}
