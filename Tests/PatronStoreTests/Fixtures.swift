import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport

/// A fresh store on a manual clock, with a program loaded: a temporary SQLite file, or, when
/// `PATRON_TEST_BACKEND=postgres`, a new schema of the PostgreSQL database at `PATRON_TEST_POSTGRES_URL`.
struct Fixture {
    let store: SQLStore
    let clock: ManualClock
    /// The SQLite file or the PostgreSQL URL.
    let path: String
    let program: Program

    static let shanghaiProgram = """
        name: Test shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        pending: { days: 7 }
        expiry: { afterDays: 30 }
        """

    /// 2026-01-01 00:00 in Shanghai.
    static let start = ISO8601DateFormatter().date(from: "2025-12-31T16:00:00Z")!

    init(program source: String = Fixture.shanghaiProgram, maxBatch: Int = 2_000) async throws {
        path = TestDatabase.fresh()
        clock = ManualClock(Fixture.start)
        store = try SQLStore.open(path, clock: clock, maxBatch: maxBatch)
        try await store.migrate()
        program = try ProgramFile.parse(source)
        _ = try await store.loadProgram(program, source: source)
    }

    /// Enrolls a member with a customer id.
    func member(_ customer: String) async throws -> Member {
        try await store.enroll(EnrollmentRequest(identities: [try .customer(customer)]), key: nil)
    }

    /// Applies one event and returns its outcome or throws its error.
    @discardableResult
    func apply(_ event: OrderEvent, enroll: Bool = false) async throws -> OrderOutcome {
        try await store.apply([event], options: ApplyOptions(enrollUnknownMembers: enroll))[0].get()
    }

    /// An order of one line per amount (minor units), for a customer.
    func order(_ id: String, _ customer: String, _ amounts: [Int64]) -> Order {
        Order(id: id, member: try! .customer(customer), lines: amounts.enumerated().map { OrderLine(id: "\($0.offset + 1)", sku: "S\($0.offset)", quantity: 1, unitPrice: $0.element) })
    }

    /// The instant `days` after the start, plus hours.
    func day(_ days: Int, hours: Double = 12) -> Date { Fixture.start.addingTimeInterval(Double(days) * 86_400 + hours * 3_600) }

    /// Balances of a member.
    func balances(_ id: Int64) async throws -> Balances { try await store.member(id: id)!.balances }

    /// Runs activation and expiry as of the clock.
    func jobs() async throws {
        _ = try await store.runActivation(asOf: clock.now())
        _ = try await store.runExpiry(asOf: clock.now())
    }
}
