import Foundation
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// A member's stored tags and consents read back as written, the empty ones without a JSON decoder.
@Suite struct StoredProfileTextTests {
    @Test func emptyAndFilledTagsAndConsentsReadBackAsWritten() throws {
        #expect(try SQLStore.storedTags("[]") == [])
        #expect(try SQLStore.storedConsents("{}") == [:])
        #expect(try SQLStore.storedTags(try SQLStore.json(["vip", "[]"])) == ["vip", "[]"])
        #expect(try SQLStore.storedConsents(try SQLStore.json(["email": true, "sms": false])) == ["email": true, "sms": false])
        #expect(throws: DecodingError.self) { try SQLStore.storedTags("[1") }
    }

    @Test func aMemberWithAndWithoutProfileDataReadsBackTheSame() async throws {
        let f = try await Fixture()
        let plain = try await f.member("plain")
        #expect(plain.profile.tags.isEmpty && plain.profile.consents.isEmpty)
        let tagged = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("tagged")], profile: Profile(tags: ["vip", "coffee"], consents: ["email": true])), key: nil)
        let read = try #require(try await f.store.member(id: tagged.id))
        #expect(Set(read.profile.tags) == ["vip", "coffee"] && read.profile.consents == ["email": true])
        #expect(try await f.store.member(id: plain.id)?.profile.tags == [])
    }
}
