import PatronCore
import Testing

/// An order names each line once: a repeated line id is refused, naming the line, in a short order (compared with the
/// lines before it) and in a long one (kept in a set).
@Suite struct OrderValidationTests {
    static func order(lineIds: [String]) -> Order {
        Order(id: "O1", member: try! .customer("c1"), lines: lineIds.map { OrderLine(id: $0, sku: "S-\($0)", quantity: 1, unitPrice: 100) })
    }

    @Test(arguments: [2, 12, 13, 40])
    func aRepeatedLineIdIsRefusedNamingTheLine(count: Int) throws {
        let ids = (0..<count).map { "L\($0)" }
        try Self.order(lineIds: ids).validate()
        do {
            try Self.order(lineIds: ids + ["L1"]).validate()
            Issue.record("a repeated line id passed")
        } catch let error as PatronError {
            #expect(error.message == "order O1: lines[\(count)].id: 'L1' appears twice")
        }
        // The SKU is the id when none is given: two lines of one SKU need ids.
        #expect(throws: PatronError.self) {
            try Order(id: "O2", member: .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 1), OrderLine(sku: "A", quantity: 2, unitPrice: 1)]).validate()
        }
    }
}
