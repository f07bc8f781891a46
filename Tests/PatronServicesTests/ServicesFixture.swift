import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import PatronTestSupport

/// A store (SQLite, or PostgreSQL when asked) with a small shop's program loaded, and the service context over it.
struct ServicesFixture {
    static let program = """
        name: Test shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        levels:
          tiers:
            - { name: Member, threshold: "0" }
            - { name: VIP, threshold: "1000.00", benefits: { discountPercent: 5, freeShippingFrom: "50.00", exclusiveSkus: [RESERVE] } }
        rewards:
          - { id: coupon-10, name: 10 off, kind: coupon, cost: 100, coupon: { value: "10.00", minimumSpend: "20.00", validDays: 30 } }
          - { id: teapot, name: Teapot, kind: gift, cost: 100, stock: 2 }
        pointsAsPayment: { points: 100, per: "1.00", maxPercent: 20 }
        """

    /// 2026-03-01 12:00 in Shanghai.
    static let now = ISO8601DateFormatter().date(from: "2026-03-01T04:00:00Z")!

    let store: SQLStore
    let context: ServiceContext

    init() async throws {
        store = try SQLStore.open(TestDatabase.fresh(), clock: ManualClock(Self.now))
        try await store.migrate()
        _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        context = ServiceContext(store: store, clock: ManualClock(Self.now))
    }

    /// Enrolls customer `id` holding `points` active points.
    func member(_ id: String, points: Int64) async throws -> Member {
        let member = try await store.enroll(EnrollmentRequest(identities: [try .customer(id)]), key: nil)
        if points > 0 {
            _ = try await store.adjust(Adjustment(memberId: member.id, points: points, reason: "funds", actor: "test", key: "fund-\(id)", at: Self.now))
        }
        return member
    }
}

/// The repository's root, for the example programs.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// An example program by file name.
func exampleProgram(_ name: String) throws -> Program {
    try ProgramFile.load(path: repositoryRoot.appendingPathComponent("examples/programs/\(name)").path).program
}
