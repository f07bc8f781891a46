import Foundation
import PatronCore
import PatronServices
import PatronStore

extension BenchCommand.ConsoleBench {
    /// The staff member page's server-side reads on the generated shop: a search by customer id (`MemberSearch`) and
    /// the member file (`Store.memberFile`: member, identities, first ledger page, open lots, orders, redemptions,
    /// level history, audit) for random members, and for one member with 10,000 ledger entries (first page and a page
    /// 5,000 entries back). Page rendering is not included (it is measured by the console's tests, not here).
    func measureMemberPage(_ store: SQLStore, _ context: ServiceContext) async throws {
        let heavy = try Identity.customer("bench-heavy")
        if try await store.member(identity: heavy) == nil {
            let began = ContinuousClock.now
            var events: [OrderEvent] = []
            for index in 0..<10_000 {
                let at = Self.end.addingTimeInterval(-Double(10_000 - index) * 600)
                let line = OrderLine(id: "1", sku: "SKU-1", quantity: 1, unitPrice: 1_000)
                events.append(.placed(Order(id: "heavy-\(index)", member: heavy, lines: [line]), at: at))
            }
            for start in stride(from: 0, to: events.count, by: 2_000) {
                for result in await store.apply(Array(events[start..<min(start + 2_000, events.count)]), options: ApplyOptions(enrollUnknownMembers: true, history: true)) {
                    _ = try result.get()
                }
            }
            print("member with 10,000 ledger entries made in \(Self.text(ContinuousClock.now - began))")
        }
        guard let heavyMember = try await store.member(identity: heavy) else { return }
        let count = try await store.totals().members
        var random = SystemRandomNumberGenerator()
        var searches: [Duration] = [], files: [Duration] = [], heavyFirst: [Duration] = [], heavyDeep: [Duration] = []
        var found = 0
        let search = MemberSearch(store: store)
        let middle = try await store.memberFile(MemberFileRequest(memberId: heavyMember.id, entries: 1)).entries.first.map { $0.id - 5_000 }
        for _ in 0..<runs {
            let customer = "C\(Int.random(in: 0..<max(count - 1, 1), using: &random))"
            let a = ContinuousClock.now
            let hits = try await search.find(customer)
            searches.append(ContinuousClock.now - a)
            guard let id = hits.first?.member.id else { continue }
            found += 1
            let b = ContinuousClock.now
            _ = try await store.memberFile(MemberFileRequest(memberId: id))
            files.append(ContinuousClock.now - b)
            let c = ContinuousClock.now
            let file = try await store.memberFile(MemberFileRequest(memberId: heavyMember.id))
            heavyFirst.append(ContinuousClock.now - c)
            precondition(file.entryCount >= 10_000 && file.entries.count == 50)
            let d = ContinuousClock.now
            _ = try await store.memberFile(MemberFileRequest(memberId: heavyMember.id, entriesBefore: middle))
            heavyDeep.append(ContinuousClock.now - d)
        }
        guard !files.isEmpty else { return }
        var table = Table(["member page reads (\(found) of \(runs) random members found)", "median ms", "p95 ms"], rightAligned: [1, 2])
        table.add(["search by customer id (MemberSearch)", Self.ms(searches, 0.5), Self.ms(searches, 0.95)])
        table.add(["member file, random member", Self.ms(files, 0.5), Self.ms(files, 0.95)])
        table.add(["member file, 10,000 entries, first page", Self.ms(heavyFirst, 0.5), Self.ms(heavyFirst, 0.95)])
        table.add(["member file, 10,000 entries, 5,000 back", Self.ms(heavyDeep, 0.5), Self.ms(heavyDeep, 0.95)])
        print(table.text)
    }
}
