import Foundation

/// Where and how Patron sends e-mail: the SMTP server, its TLS and authentication, and the sender.
public struct SMTPConfiguration: Sendable, Hashable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// STARTTLS when the server offers it, plain otherwise (credentials are then never sent).
        case startTLSWhenOffered = "starttls"
        /// STARTTLS or fail: a server that does not offer it is refused.
        case startTLSRequired = "starttls-required"
        /// Never TLS (a relay on loopback).
        case none
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port (587 for submission, 25 for a relay).
    public var port: Int
    /// STARTTLS policy.
    public var security: Security
    /// A PEM file of certificates to trust instead of the system's (a private relay's own CA); `nil` for the system's.
    public var trustedCertificatesFile: String?
    /// The user name for AUTH PLAIN or LOGIN; `nil` sends without authenticating.
    public var username: String?
    /// The password for AUTH.
    public var password: String?
    /// Whether AUTH may be sent over a connection without TLS (only for a relay on loopback).
    public var allowAuthWithoutTLS: Bool
    /// The envelope and header sender (`loyalty@shop.example`).
    public var from: String
    /// The sender's display name in the From header.
    public var fromName: String?
    /// The domain after `@` in Message-IDs and the name sent in EHLO.
    public var domain: String
    /// How long to wait for a connection or a reply, in seconds.
    public var timeout: TimeInterval

    /// A configuration with defaults: STARTTLS when offered, 30 s timeouts.
    public init(
        host: String, port: Int = 587, security: Security = .startTLSWhenOffered, trustedCertificatesFile: String? = nil, username: String? = nil,
        password: String? = nil, allowAuthWithoutTLS: Bool = false, from: String, fromName: String? = nil, domain: String? = nil,
        timeout: TimeInterval = 30
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.trustedCertificatesFile = trustedCertificatesFile
        self.username = username
        self.password = password
        self.allowAuthWithoutTLS = allowAuthWithoutTLS
        self.from = from
        self.fromName = fromName
        self.domain = domain ?? (from.split(separator: "@").last.map(String.init) ?? "localhost")
        self.timeout = timeout
    }
}

/// An SMTP failure: the server's reply code when there was one, and whether retrying cannot help.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reply code (e.g. 550), or `nil` for a connection or TLS failure.
    public var code: Int?
    /// What happened, with the server's text.
    public var message: String
    /// A 5xx reply: the same message will be refused again (a bad address bounces).
    public var isPermanent: Bool { (code ?? 0) >= 500 }

    /// An SMTP failure.
    public init(code: Int?, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { code.map { "SMTP \($0): \(message)" } ?? "SMTP: \(message)" }
}
