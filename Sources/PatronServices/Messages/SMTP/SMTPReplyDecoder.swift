import NIOCore

/// One SMTP reply: a code and its lines (a multi-line reply's `250-` lines joined).
struct SMTPReply: Sendable, Hashable {
    /// The three-digit code.
    var code: Int
    /// The text of each line, after the code and its separator.
    var lines: [String]
    /// The text of every line, joined by spaces.
    var text: String { lines.joined(separator: " ") }
}

/// Splits the server's bytes into CRLF lines and the lines into replies (`250-…` continues, `250 …` ends), handing
/// each reply to the stream the client reads.
final class SMTPReplyDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var buffer = ByteBuffer()
    private var lines: [String] = []

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex + 1
            guard var line = buffer.readString(length: length) else { break }
            while line.last == "\n" || line.last == "\r" || line.hasSuffix("\r\n") { line.removeLast() }
            take(line)
        }
        if buffer.readableBytes > 64 * 1024 {
            continuation.finish(throwing: SMTPError(code: nil, message: "the server sent a line longer than 64 KiB"))
            context.close(promise: nil)
        }
    }

    private func take(_ line: String) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
            continuation.finish(throwing: SMTPError(code: nil, message: "not an SMTP reply: \(line.prefix(200))"))
            return
        }
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
            continuation.yield(SMTPReply(code: code, lines: lines))
            lines = []
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPError(code: nil, message: "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: SMTPError(code: nil, message: "connection failed: \(error)"))
        context.close(promise: nil)
    }
}
