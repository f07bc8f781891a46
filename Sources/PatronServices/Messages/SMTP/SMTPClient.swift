import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client on SwiftNIO: EHLO, STARTTLS when offered (NIOSSL), AUTH PLAIN or LOGIN, one connection reused
/// for message after message (RSET after a refused one), reconnecting when the server closed it.
///
/// No maintained Swift SMTP package is in the package mirror this project builds from, so Patron has its own; it does
/// what sending notifications needs and no more (no pipelining, no 8BITMIME: bodies go as base64).
public actor SMTPClient {
    private let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private var connection: Connection?

    /// An open connection: the channel and the replies it has received.
    private struct Connection {
        let channel: any Channel
        var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
        var extensions: [String]
        var secured: Bool
    }

    /// A client for `configuration` on `group` (NIO's shared one by default).
    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// What the server said when it accepted a message.
    public struct Receipt: Sendable, Hashable {
        /// The reply to the end of DATA (servers often put their queue id in it).
        public var reply: String
    }

    /// Sends one message over the open connection, opening (or re-opening) it first when needed.
    public func send(_ message: EmailMessage) async throws -> Receipt {
        try EmailMessage.checkAddress(message.from, field: "from")
        try EmailMessage.checkAddress(message.to, field: "to")
        if connection == nil || !(connection!.channel.isActive) { try await connect() }
        do {
            return try await transact(message)
        } catch let error as SMTPError where error.code == nil {
            // The server may have closed an idle connection: once more on a new one.
            await close()
            try await connect()
            return try await transact(message)
        }
    }

    /// Says QUIT and closes the connection (a no-op without one).
    public func close() async {
        guard let open = connection else { return }
        connection = nil
        if open.channel.isActive {
            _ = try? await open.channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n")).get()
        }
        try? await open.channel.close().get()
    }

    private func transact(_ message: EmailMessage) async throws -> Receipt {
        do {
            try await command("MAIL FROM:<\(message.from)>", expect: 250)
            try await command("RCPT TO:<\(message.to)>", expect: 250, 251)
            try await command("DATA", expect: 354)
            let data = message.rendered() + ".\r\n"
            let reply = try await command(data, expect: 250, echo: "message data")
            return Receipt(reply: reply.text)
        } catch let error as SMTPError where error.code != nil {
            // The connection is fine; the transaction was refused. Reset it so the next message can go.
            _ = try? await command("RSET", expect: 250)
            throw error
        }
    }

    private func connect() async throws {
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let timeout = TimeAmount.milliseconds(Int64(configuration.timeout * 1_000))
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyDecoder(continuation))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError(code: nil, message: "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        connection = Connection(channel: channel, replies: stream.makeAsyncIterator(), extensions: [], secured: false)
        do {
            let greeting = try await reply()
            guard greeting.code == 220 else { throw SMTPError(code: greeting.code, message: "greeting: \(greeting.text)") }
            try await hello()
            if connection!.extensions.contains("STARTTLS"), configuration.security != .none {
                try await command("STARTTLS", expect: 220)
                try await startTLS(channel)
                connection!.secured = true
                try await hello()
            } else if configuration.security == .startTLSRequired {
                throw SMTPError(code: nil, message: "\(configuration.host) does not offer STARTTLS, which the configuration requires")
            }
            try await authenticate()
        } catch {
            connection = nil
            try? await channel.close().get()
            throw error
        }
    }

    private func hello() async throws {
        let reply = try await command("EHLO \(configuration.domain)", expect: 250)
        connection!.extensions = reply.lines.dropFirst().map { $0.uppercased() }
    }

    private func startTLS(_ channel: any Channel) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile {
            tls.trustRoots = .file(file)
        }
        let isAddress = configuration.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        if isAddress { tls.certificateVerification = .noHostnameVerification }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(code: nil, message: "TLS setup failed: \(error)")
        }
        let hostname: String? = isAddress ? nil : configuration.host
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
        }.get()
    }

    private func authenticate() async throws {
        guard let username = configuration.username, let password = configuration.password else { return }
        guard connection!.secured || configuration.allowAuthWithoutTLS else {
            throw SMTPError(code: nil, message: "\(configuration.host) offers no STARTTLS; credentials are not sent in the clear")
        }
        let auth = connection!.extensions.first { $0.hasPrefix("AUTH") }?.split(separator: " ").map(String.init) ?? []
        if auth.contains("PLAIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", expect: 235, echo: "AUTH PLAIN …")
        } else if auth.contains("LOGIN") {
            try await command("AUTH LOGIN", expect: 334)
            try await command(Data(username.utf8).base64EncodedString(), expect: 334, echo: "user name")
            try await command(Data(password.utf8).base64EncodedString(), expect: 235, echo: "password")
        } else {
            throw SMTPError(code: nil, message: "\(configuration.host) offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    /// Sends `line` (CRLF added unless it ends with one) and waits for a reply with one of the `expect`ed codes.
    @discardableResult
    private func command(_ line: String, expect codes: Int..., echo: String? = nil) async throws -> SMTPReply {
        guard let channel = connection?.channel else { throw SMTPError(code: nil, message: "not connected") }
        let text = line.hasSuffix("\r\n") ? line : line + "\r\n"
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text)).get()
        } catch {
            throw SMTPError(code: nil, message: "cannot write to the server: \(error)")
        }
        let reply = try await reply()
        guard codes.contains(reply.code) else {
            throw SMTPError(code: reply.code, message: "\(echo ?? line) → \(reply.text)")
        }
        return reply
    }

    /// The next reply, within the timeout.
    private func reply() async throws -> SMTPReply {
        guard var replies = connection?.replies, let channel = connection?.channel else { throw SMTPError(code: nil, message: "not connected") }
        let timeout = configuration.timeout
        let scheduled = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1_000))) {
            channel.pipeline.fireErrorCaught(SMTPError(code: nil, message: "no reply within \(timeout) s"))
        }
        defer { scheduled.cancel() }
        let next = try await replies.next(isolation: self)
        connection?.replies = replies
        guard let next else { throw SMTPError(code: nil, message: "the server closed the connection") }
        return next
    }
}
