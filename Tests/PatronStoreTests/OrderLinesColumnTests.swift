import Foundation
import GRDB
import PatronCore
@testable import PatronStore
import Testing

@Suite struct OrderLinesColumnTests {
    @Test func linesSurviveTheirStoredFormWhateverTheirText() throws {
        let lines = [
            RecordedLine(lineId: "1", sku: "A;B,C:D-", category: nil, quantity: 3, netAmount: 1_999, base: 1_500, returnedQuantity: 1),
            RecordedLine(lineId: "12:3", sku: "", category: "-", quantity: 1, netAmount: 0, base: 0),
            RecordedLine(lineId: "ligne-é", sku: "🧀 fromage", category: "", quantity: 100, netAmount: -5, base: 9_000_000_000_000, returnedQuantity: 100),
        ]
        #expect(try OrderLinesColumn.decode(OrderLinesColumn.encode(lines)) == lines)
        #expect(try OrderLinesColumn.decode(OrderLinesColumn.encode([])) == [])
        #expect(
            OrderLinesColumn.encode([RecordedLine(lineId: "a;", sku: "é", category: nil, quantity: 10, netAmount: -1_050, base: 0, returnedQuantity: 2)])
                == "2:a;2:é-10,-1050,0,2;")
        // Defaults are left out: a line earning on its whole net amount, not returned, and one returned with base = net.
        let compact = [
            RecordedLine(lineId: "1", sku: "order", category: nil, quantity: 1, netAmount: 1_177, base: 1_177),
            RecordedLine(lineId: "2", sku: "b", category: "c", quantity: 2, netAmount: 500, base: 400),
            RecordedLine(lineId: "3", sku: "d", category: nil, quantity: 3, netAmount: 900, base: 900, returnedQuantity: 1),
        ]
        #expect(OrderLinesColumn.encode(compact) == "1:15:order-1,1177;1:21:b1:c2,500,400;1:31:d-3,900,900,1;")
        #expect(try OrderLinesColumn.decode(OrderLinesColumn.encode(compact)) == compact)
        // Rows written before keep every number, and read the same.
        #expect(try OrderLinesColumn.decode("1:15:order-1,1177,1177,0;") == [compact[0]])
        #expect { try OrderLinesColumn.decode("1:15:order-1,1177") } throws: { ($0 as? PatronError)?.code == .storage }
        #expect { try OrderLinesColumn.decode("1:15:order-1;") } throws: { ($0 as? PatronError)?.code == .storage }
        #expect { try OrderLinesColumn.decode("3:abc") } throws: { ($0 as? PatronError)?.code == .storage }
        #expect { try OrderLinesColumn.decode("9:a1:b-1,2,3,4;") } throws: { ($0 as? PatronError)?.code == .storage }
    }

    @Test func v14MovesExistingOrderLinesIntoTheirOrders() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v13: api keys, audit and erasure")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO members (id, enrolled_at, program_version) VALUES (1, 0, 1)")
            for order in ["o2", "o1", "o3"] {
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, member_id, status, placed_at, amount, points, base, program_version)
                        VALUES (?, 1, 'pending', 0, 3000, 30, 3000, 1)
                        """, arguments: [order])
            }
            try db.execute(
                sql: """
                    INSERT INTO order_lines (order_id, line_id, position, sku, category, quantity, net_amount, base, returned_quantity) VALUES
                        ('o1', 'b', 1, 'SKU-2', NULL, 1, 1000, 1000, 0),
                        ('o1', 'a', 0, 'SKU-1', 'shoes', 2, 2000, 2000, 1),
                        ('o2', 'x', 0, 'SKU-3', NULL, 1, 3000, 3000, 0)
                    """)
        }
        try Schema.migrator.migrate(queue)
        let stored = try queue.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, lines FROM orders").map { ($0[0] as String, try OrderLinesColumn.decode($0[1])) })
        }
        #expect(
            stored["o1"] == [
                RecordedLine(lineId: "a", sku: "SKU-1", category: "shoes", quantity: 2, netAmount: 2000, base: 2000, returnedQuantity: 1),
                RecordedLine(lineId: "b", sku: "SKU-2", category: nil, quantity: 1, netAmount: 1000, base: 1000),
            ])
        #expect(stored["o2"] == [RecordedLine(lineId: "x", sku: "SKU-3", category: nil, quantity: 1, netAmount: 3000, base: 3000)])
        #expect(stored["o3"] == [])
        #expect(try queue.read { db in try db.tableExists("order_lines") } == false)
    }
}
