import Foundation
import PatronCore
import Testing

/// The ticket status machine: open → waiting → resolved → closed, reopenable.
@Suite struct TicketStatusTests {
    @Test("the allowed moves", arguments: [
        (TicketStatus.open, TicketStatus.waiting), (.waiting, .open), (.open, .resolved), (.waiting, .resolved), (.resolved, .closed),
        (.resolved, .open), (.closed, .open), (.open, .closed),
    ])
    func allowedMoves(from: TicketStatus, to: TicketStatus) throws {
        #expect(try from.moving(to: to, ticket: 1) == to)
    }

    @Test("a closed ticket cannot be resolved or put to waiting; a resolved one cannot wait", arguments: [
        (TicketStatus.closed, TicketStatus.resolved), (.closed, .waiting), (.resolved, .waiting), (.open, .open), (.closed, .closed),
    ])
    func refusedMoves(from: TicketStatus, to: TicketStatus) {
        #expect(throws: PatronError.self) { try from.moving(to: to, ticket: 7) }
        do { _ = try from.moving(to: to, ticket: 7) } catch let error as PatronError {
            #expect(error.code == .invalidTransition)
            #expect(error.message.contains("ticket 7 is \(from.rawValue)"))
        } catch {}
    }

    @Test("reopening is moving a resolved or closed ticket back to open")
    func reopening() {
        #expect(TicketStatus.resolved.isReopening(to: .open))
        #expect(TicketStatus.closed.isReopening(to: .open))
        #expect(!TicketStatus.waiting.isReopening(to: .open))
    }
}
