import Foundation
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// The reads the API's hottest routes make in one go find what the separate reads find, and fail as they fail.
@Suite struct CheckoutInputsTests {
    @Test func checkoutInputsHoldTheProgramTheMemberAndTheirEarningContextByIdOrIdentity() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [2_000]), at: f.day(0)))
        let at = f.day(1)
        for reference in ["\(ann.id)", "customer:ann"] {
            let inputs = try await f.store.checkoutInputs(member: reference, at: at)
            #expect(inputs.member == (try await f.store.member(id: ann.id)))
            #expect(inputs.earning == (try await f.store.earningContext(member: ann.id, at: at)))
            #expect(inputs.program.version == (try await f.store.currentProgram())?.version)
        }
    }

    @Test func aStatementByReferenceIsTheStatementOfTheMemberItNames() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        for index in 0..<3 { try await f.apply(.placed(f.order("O\(index)", "ann", [1_000 * Int64(index + 1)]), at: f.day(index))) }
        let expected = try await f.store.statement(member: ann.id, entries: 2)
        for reference in ["\(ann.id)", "customer:ann"] {
            let statement = try await f.store.statement(reference: reference, entries: 2)
            #expect(statement.member == expected.member && statement.entries == expected.entries && statement.lots == expected.lots)
        }
    }

    @Test func unknownAndMalformedReferencesFailAsAMemberLookupFails() async throws {
        let f = try await Fixture()
        for reference in ["404", "customer:nobody"] {
            await #expect { try await f.store.checkoutInputs(member: reference, at: f.day(0)) } throws: { ($0 as? PatronError)?.code == .notFound }
            await #expect { try await f.store.statement(reference: reference, entries: 5) } throws: { ($0 as? PatronError)?.code == .notFound }
            await #expect { try await f.store.member(reference: reference) } throws: { ($0 as? PatronError)?.code == .notFound }
        }
        await #expect { try await f.store.checkoutInputs(member: "no-kind", at: f.day(0)) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect { try await f.store.statement(reference: "no-kind", entries: 5) } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test func withoutAProgramCheckoutInputsSayNoProgramBeforeLookingForTheMember() async throws {
        let store = try SQLStore.open(TestDatabase.fresh(), clock: ManualClock(Fixture.start))
        try await store.migrate()
        await #expect { try await store.checkoutInputs(member: "customer:nobody", at: Fixture.start) } throws: { ($0 as? PatronError)?.code == .noProgram }
        await store.close()
    }
}
