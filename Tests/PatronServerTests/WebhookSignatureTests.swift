import Foundation
import PatronServer
import Testing

@Suite struct WebhookSignatureTests {
    let body = Data(#"{"id":"evt_1"}"#.utf8)
    let secret = "whsec_0123456789abcdef"
    let sentAt = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func theSignatureIsHMACSHA256OfTimestampDotBody() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_0123456789abcdef', b'1700000000.{\"id\":\"evt_1\"}', hashlib.sha256).hexdigest())"
        #expect(
            WebhookSignature.sign(body: body, secret: secret, timestamp: 1_700_000_000)
                == "t=1700000000,v1=dea1657bd5053cb0f8a75ebf0bd3d22e0cdeb79563b44db6b88864e522fb8bc4")
    }

    @Test func aSignatureVerifiesWithItsSecretOnly() {
        let header = WebhookSignature.sign(body: body, secret: secret, timestamp: 1_700_000_000)
        #expect(WebhookSignature.verify(header: header, body: body, secret: secret, now: sentAt))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_another-secret", now: sentAt))
        #expect(!WebhookSignature.verify(header: header, body: Data(#"{"id":"evt_2"}"#.utf8), secret: secret, now: sentAt))
        #expect(!WebhookSignature.verify(header: header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001"), body: body, secret: secret, now: sentAt))
        #expect(!WebhookSignature.verify(header: "v1=00", body: body, secret: secret, now: sentAt))
    }

    @Test func anOldOrFutureSignatureIsRefusedOutsideTheTolerance() {
        let header = WebhookSignature.sign(body: body, secret: secret, timestamp: 1_700_000_000)
        #expect(WebhookSignature.verify(header: header, body: body, secret: secret, now: sentAt.addingTimeInterval(299), tolerance: 300))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: secret, now: sentAt.addingTimeInterval(301), tolerance: 300))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: secret, now: sentAt.addingTimeInterval(-301), tolerance: 300))
    }

    @Test func anyOfSeveralSignaturesMayMatchWhileASecretRotates() {
        let old = WebhookSignature.sign(body: body, secret: "whsec_the-old-secret-1", timestamp: 1_700_000_000)
        let new = WebhookSignature.sign(body: body, secret: secret, timestamp: 1_700_000_000)
        let both = old + "," + new.split(separator: ",")[1]
        #expect(WebhookSignature.verify(header: both, body: body, secret: secret, now: sentAt))
        #expect(WebhookSignature.verify(header: both, body: body, secret: "whsec_the-old-secret-1", now: sentAt))
    }
}
