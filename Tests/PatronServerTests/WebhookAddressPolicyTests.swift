import Foundation
import PatronCore
import PatronServer
import Testing
import PatronTestSupport

/// Webhook URLs may not reach internal networks (SSRF) unless the operator allows a network.
@Suite struct WebhookAddressPolicyTests {
    static let refused = [
        "http://127.0.0.1/", "http://127.8.9.10:8080/x", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[::]/", "http://[fc00::1]/",
        "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/", "http://224.0.0.1/", "http://localhost:8080/hooks",
        "http://[2002:7f00:1::1]/", "http://[2002:a9fe:a9fe::]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    ]

    @Test(arguments: WebhookAddressPolicyTests.refused)
    func internalAddressesAreRefused(url: String) async throws {
        await #expect {
            try await WebhookAddressPolicy.publicOnly.check(url, unresolvable: true)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test(arguments: ["https://93.184.215.14/hooks", "http://8.8.8.8/", "http://172.32.0.1/", "http://[2606:4700::1111]/", "http://[2002:808:808::1]/", "https://shop.example/hooks"])
    func publicAddressesAndNotYetResolvableNamesPass(url: String) async throws {
        try await WebhookAddressPolicy.publicOnly.check(url, unresolvable: true)
    }

    @Test func aNameThatDoesNotResolveIsRefusedAtDelivery() async throws {
        await #expect {
            try await WebhookAddressPolicy.publicOnly.check("https://shop.invalid/hooks", unresolvable: false)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test func theRefusalNamesTheAddressItsRangeAndTheSetting() async throws {
        do {
            try await WebhookAddressPolicy.publicOnly.check("http://169.254.169.254/", unresolvable: true)
            Issue.record("the metadata address must be refused")
        } catch let error as PatronError {
            #expect(error.message.contains("169.254.169.254") && error.message.contains("link-local"), "\(error.message)")
            #expect(error.message.contains("PATRON_WEBHOOK_ALLOW_NETWORKS"))
        }
    }

    @Test func anAllowedNetworkOpensExactlyThatNetwork() async throws {
        let policy = try WebhookAddressPolicy.fromEnvironment(["PATRON_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8, fd00::/8"])
        try await policy.check("http://127.0.0.1:9/hooks", unresolvable: false)
        try await policy.check("http://[fd00::5]/hooks", unresolvable: true)
        await #expect {
            try await policy.check("http://10.0.0.1/", unresolvable: true)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect {
            try await policy.check("http://[fc00::1]/", unresolvable: true)
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test func aMalformedSettingIsRefusedNamingIt() {
        #expect {
            try WebhookAddressPolicy.fromEnvironment(["PATRON_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/33"])
        } throws: { ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("PATRON_WEBHOOK_ALLOW_NETWORKS") == true }
    }

    @Test func networksMatchByPrefix() {
        let network = IPNetwork("172.16.0.0/12")!
        #expect(network.contains(IPAddress("172.31.0.1")!))
        #expect(!network.contains(IPAddress("172.32.0.1")!))
        #expect(IPNetwork("fe80::/10")!.contains(IPAddress("febf::1")!))
        #expect(!IPNetwork("fe80::/10")!.contains(IPAddress("fec0::1")!))
        #expect(IPAddress("::ffff:10.0.0.1") == IPAddress("10.0.0.1"))
    }

    /// `patron serve` refuses a malformed allow-list at start, naming the setting, before it opens anything.
    @Test func serveRefusesAMalformedSettingAtStart() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("patron-allow-\(UUID().uuidString).sqlite").path
        let server = ChildProcess()
        server.executableURL = try patronBinary()
        server.arguments = ["serve", "--database", database, "--create", "--port", "0", "--no-jobs"]
        server.environment = ProcessInfo.processInfo.environment.merging([WebhookAddressPolicy.environmentVariable: "10.0.0.0/33"]) { $1 }
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = Pipe()
        try server.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        server.waitUntilExit()
        #expect(server.terminationStatus == 1)
        #expect(said.contains("PATRON_WEBHOOK_ALLOW_NETWORKS: '10.0.0.0/33'"), "\(said)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
