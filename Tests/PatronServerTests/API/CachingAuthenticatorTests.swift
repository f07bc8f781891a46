import Foundation
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

@Suite struct CachingAuthenticatorTests {
    @Test func aRevokedKeyStopsWorkingOnceItsCacheEntryLapses() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let issuer = APIKeyIssuer(store: store)
        let issued = try await issuer.create(name: "web", scopes: [.storefront], actor: "test", at: clock.now())
        let longLived = CachingAuthenticator(issuer, lifetime: .seconds(3_600))
        let shortLived = CachingAuthenticator(issuer, lifetime: .milliseconds(1))

        #expect(try await longLived.caller(presenting: issued.secret)?.scopes == ["storefront"])
        #expect(try await shortLived.caller(presenting: issued.secret)?.scopes == ["storefront"])
        #expect(try await longLived.caller(presenting: "pk_" + String(repeating: "0", count: 64)) == nil)
        _ = try await issuer.revoke(id: issued.key.id, actor: "test", at: clock.now())
        #expect(try await issuer.caller(presenting: issued.secret) == nil, "the store refuses it at once")
        #expect(try await longLived.caller(presenting: issued.secret) != nil, "a running server trusts it until its entry lapses")
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await shortLived.caller(presenting: issued.secret) == nil, "a lapsed entry is read again")
    }
}
