import Foundation
import Testing

@testable import PatronCore

/// What the consent history says now: the newest record per channel, and the channels waiting for confirmation.
@Suite struct ConsentHistoryTests {
    func record(_ id: Int64, _ channel: String, _ state: ConsentState, _ source: ConsentSource = .api) -> ConsentRecord {
        ConsentRecord(id: id, memberId: 1, channel: channel, state: state, source: source, actor: nil, at: Date(timeIntervalSince1970: Double(id)))
    }

    @Test func aChannelIsPendingOnlyWhileItsNewestRecordIsAPendingRequest() throws {
        let history = ConsentHistory(
            consents: ["email": false, "sms": true],
            records: [
                record(1, "email", .pending), record(2, "sms", .granted), record(3, "push", .pending), record(4, "push", .withdrawn),
                record(5, "email", .pending),
            ])
        #expect(history.pending == ["email"])
        #expect(history.latest(channel: "push")?.state == .withdrawn)
        #expect(history.latest(channel: "inbox") == nil)
        let confirmed = ConsentHistory(consents: ["email": true], records: history.records + [record(6, "email", .granted, .doubleOptIn)])
        #expect(confirmed.pending.isEmpty)
    }

    @Test func theHistoryIsWrittenWithItsPendingChannels() throws {
        let history = ConsentHistory(consents: ["email": false], records: [record(1, "email", .pending)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        let json = String(decoding: try encoder.encode(history), as: UTF8.self)
        #expect(json.contains(#""pending":["email"]"#))
        #expect(json.contains(#""source":"api""#) && json.contains(#""state":"pending""#))
    }

    @Test func doubleOptInWaitsOnlyForEmailGrantsThatDidNotComeFromTheConfirmation() {
        let settings = ConsentSettings(doubleOptIn: true)
        #expect(settings.needsConfirmation(channel: "email", source: .memberZone))
        #expect(!settings.needsConfirmation(channel: "sms", source: .memberZone))
        #expect(!settings.needsConfirmation(channel: "email", source: .doubleOptIn))
        #expect(!ConsentSettings().needsConfirmation(channel: "email", source: .api))
    }
}
