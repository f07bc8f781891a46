import Hummingbird
import PatronStore

/// The order-event routes' answers written as JSON directly, byte for byte as the generated types' encoder writes them
/// (keys sorted, no spaces, `/` and control characters escaped as Foundation escapes them), without building the
/// generated values first: a batch answers 1,000 results.
struct OrderAnswerJSON {
    private(set) var bytes: [UInt8] = []

    /// `{"activeDelta":…,…,"status":…}`, the `OrderOutcome` of openapi.yaml.
    mutating func outcome(_ outcome: OrderOutcome) {
        raw("{\"activeDelta\":")
        integer(outcome.activeDelta)
        raw(",\"enrolled\":")
        raw(outcome.enrolled ? "true" : "false")
        raw(",\"eventId\":")
        string(outcome.eventId)
        raw(",\"memberId\":")
        integer(outcome.memberId)
        raw(",\"orderId\":")
        string(outcome.orderId)
        raw(",\"pendingDelta\":")
        integer(outcome.pendingDelta)
        raw(",\"replayed\":")
        raw(outcome.replayed ? "true" : "false")
        raw(",\"status\":")
        string(outcome.status.rawValue)
        raw("}")
    }

    /// `{"results":[…]}`, an `OrderEventResult` for each event in the order sent: its outcome, or the error it would
    /// have had sent alone.
    mutating func results(_ results: [(eventId: String, result: Result<OrderOutcome, any Error>)]) {
        bytes.reserveCapacity(results.count * 200 + 16)
        raw("{\"results\":[")
        for (index, (eventId, result)) in results.enumerated() {
            if index > 0 { raw(",") }
            switch result {
            case .success(let outcome):
                raw("{\"eventId\":")
                string(eventId)
                raw(",\"outcome\":")
                self.outcome(outcome)
                raw(",\"status\":200}")
            case .failure(let error):
                let answer = ErrorMiddleware<BasicRequestContext>.apiError(for: error)
                raw("{\"error\":{\"code\":")
                string(answer.code)
                raw(",\"message\":")
                string(answer.message)
                raw("},\"eventId\":")
                string(eventId)
                raw(",\"status\":")
                integer(answer.status.code)
                raw("}")
            }
        }
        raw("]}")
    }

    /// The answer: 200 with the JSON written so far.
    var response: Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Ids and codes rarely hold anything to escape: then they go in whole.
            guard utf8.contains(where: Self.escaped) else { return bytes.append(contentsOf: utf8) }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case UInt8(ascii: "/"): raw("\\/")
                case 0x08: raw("\\b")
                case 0x09: raw("\\t")
                case 0x0A: raw("\\n")
                case 0x0C: raw("\\f")
                case 0x0D: raw("\\r")
                case 0x00..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether Foundation's encoder escapes the byte: a quote, a backslash, a slash or a control character.
    private static func escaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
