import Foundation
import Testing

/// A real `patron serve` holds the body limit on bodies that announce no length (chunked), and still reads them whole
/// when they fit: `BodyLimitMiddleware` skips only requests that HTTP/1.1's framing says have no body.
@Suite struct BodyFramingTests {
    @Test func chunkedBodiesAreLimitedAndRead() async throws {
        let shop = try await ServedShop.start(["--max-body", "1000"])
        defer { shop.remove() }
        func post(_ body: String) throws -> String {
            let chunked = "\(String(body.utf8.count, radix: 16))\r\n\(body)\r\n0\r\n\r\n"
            return try RawConnection(
                port: shop.port,
                sending: "POST /v1/orders/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(shop.secret)\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\(chunked)"
            ).readToEnd()
        }
        let event = #"{"id": "e1", "kind": "placed", "orderId": "O1", "order": {"id": "O1", "member": {"kind": "customer", "value": "c1"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1500}]}}"#
        let fits = try post(event)
        #expect(fits.hasPrefix("HTTP/1.1 200"), "\(fits.prefix(300))")
        let padded = event.dropLast() + #", "channel": "\#(String(repeating: "x", count: 2_000))"}"#
        let tooLarge = try post(String(padded))
        #expect(tooLarge.hasPrefix("HTTP/1.1 413") && tooLarge.contains("body_too_large"), "\(tooLarge.prefix(300))")
        let read = try RawConnection(
            port: shop.port, sending: "GET /v1/members/customer:c1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(shop.secret)\r\nConnection: close\r\n\r\n"
        ).readToEnd()
        #expect(read.hasPrefix("HTTP/1.1 200") && read.contains(#""value":"c1""#), "\(read.prefix(300))")
    }
}
