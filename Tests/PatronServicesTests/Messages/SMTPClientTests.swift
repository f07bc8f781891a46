import Foundation
import Testing

@testable import PatronServices

/// The SMTP client against a real SMTP server on loopback (smtp_sink.py): what the server received is read back.
@Suite(.serialized) struct SMTPClientTests {
    func email(to: String, key: String, subject: String = "Hello", unsubscribe: String? = nil) -> EmailMessage {
        EmailMessage(
            from: "loyalty@shop.example", fromName: "茶舍 Tea", to: to, subject: subject, text: "Plain text\n.leading dot\n", html: "<p>HTML 你好</p>",
            messageID: "<\(key)@shop.example>", date: Date(timeIntervalSince1970: 1_790_000_000), unsubscribe: unsubscribe)
    }

    @Test func sendsOverSTARTTLSWithAuthReusingOneConnection() async throws {
        let (cert, key) = try selfSignedCertificate()
        let sink = try LoopbackPeer("smtp_sink.py", arguments: ["--cert", cert, "--key", key, "--user", "shop", "--password", "s3cret"])
        let client = SMTPClient(
            configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .startTLSRequired, trustedCertificatesFile: cert, username: "shop", password: "s3cret",
                from: "loyalty@shop.example", timeout: 10))
        for index in 1...3 {
            _ = try await client.send(
                email(to: "ann\(index)@example.com", key: "welcome.\(index).enrolled.email", subject: "欢迎 \(index)",
                    unsubscribe: "https://shop.example/unsubscribe?token=t\(index)"))
        }
        await client.close()
        let received = try sink.files(endingWith: ".eml")
        #expect(received.count == 3)
        #expect(sink.log("connections.log").count == 1)
        #expect(sink.log("auth.log") == ["PLAIN secured=True"])
        let first = try #require(received.first)
        #expect(header("Message-ID", in: first) == "<welcome.1.enrolled.email@shop.example>")
        #expect(header("X-Envelope-To", in: first) == "ann1@example.com")
        #expect(header("List-Unsubscribe", in: first) == "<https://shop.example/unsubscribe?token=t1>")
        #expect(header("List-Unsubscribe-Post", in: first) == "List-Unsubscribe=One-Click")
        #expect(header("Content-Type", in: first)?.hasPrefix("multipart/alternative;") == true)
        #expect(part("text/plain", in: first) == "Plain text\n.leading dot\n")
        #expect(part("text/html", in: first) == "<p>HTML 你好</p>")
        let subject = try #require(header("Subject", in: first))
        #expect(subject.hasPrefix("=?UTF-8?B?"))
        let decoded = subject.split(separator: "?")[3]
        #expect(Data(base64Encoded: String(decoded)).map { String(decoding: $0, as: UTF8.self) } == "欢迎 1")
    }

    @Test func aRefusedRecipientIsPermanentAndTheConnectionGoesOn() async throws {
        let sink = try LoopbackPeer("smtp_sink.py")
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: "loyalty@shop.example"))
        await #expect {
            _ = try await client.send(email(to: "bounce@example.com", key: "k1"))
        } throws: { ($0 as? SMTPError)?.code == 550 && ($0 as? SMTPError)?.isPermanent == true }
        await #expect {
            _ = try await client.send(email(to: "later@example.com", key: "k2"))
        } throws: { ($0 as? SMTPError)?.code == 451 && ($0 as? SMTPError)?.isPermanent == false }
        let receipt = try await client.send(email(to: "bo@example.com", key: "k3"))
        await client.close()
        #expect(receipt.reply.contains("queued as Q1"))
        #expect(try sink.files(endingWith: ".eml").count == 1)
        #expect(sink.log("connections.log").count == 1)
    }

    @Test func credentialsAreNeverSentWithoutTLS() async throws {
        let sink = try LoopbackPeer("smtp_sink.py", arguments: ["--user", "shop", "--password", "s3cret"])
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, username: "shop", password: "s3cret", from: "loyalty@shop.example"))
        await #expect { _ = try await client.send(email(to: "ann@example.com", key: "k1")) } throws: { "\($0)".contains("not sent in the clear") }
        #expect(sink.log("auth.log").isEmpty)
        #expect(try sink.files(endingWith: ".eml").isEmpty)
    }

    @Test func anAddressThatWouldBreakTheEnvelopeIsRefusedBeforeConnecting() async throws {
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 9, security: .none, from: "loyalty@shop.example"))
        await #expect { _ = try await client.send(email(to: "ann@example.com>\r\nRCPT TO:<x@y", key: "k")) } throws: {
            ($0 as? SMTPError)?.message.contains("not a usable e-mail address") == true
        }
    }
}
