import Foundation
import PatronCore

extension SQLStore {
    public func settlement(partner id: String, from: LocalDate, to: LocalDate) async throws -> Settlement {
        guard from <= to else { throw PatronError(.invalidInput, "the period ends (\(to)) before it starts (\(from))") }
        return try await backend.read { db in
            guard let version = try self.currentProgram(db) else { throw PatronError(.noProgram, "no program is loaded") }
            let program = version.program
            guard let partner = program.partners.first(where: { $0.id == id }) else {
                throw PatronError(.notFound, "no partner '\(id)' in \(program.name)")
            }
            let start = program.calendar.startOfDay(from).ms
            let end = program.calendar.startOfDay(to.adding(days: 1)).ms
            // Points the partner's orders earned, net of returns; cancelled orders earned nothing.
            let issued =
                try self.sql(
                    db,
                    """
                    SELECT coalesce(sum(points - reversed_points), 0) FROM orders
                    WHERE partner = ? AND status != 'cancelled' AND placed_at >= ? AND placed_at < ?
                    """
                ).one(id, start, end) { $0.int(0) } ?? 0
            let redeemed =
                try self.sql(
                    db,
                    """
                    SELECT coalesce(sum(points), 0) FROM redemptions
                    WHERE partner = ? AND status != ? AND created_at >= ? AND created_at < ?
                    """
                ).one(id, RedemptionStatus.reversed.rawValue, start, end) { $0.int(0) } ?? 0
            let perMajor = program.currency.minorPerMajor
            func owed(_ points: Int64, _ rate: Rate) -> Int64 {
                Rate.divide(points, times: rate.numerator * perMajor, by: rate.denominator, rounding: .floor) ?? 0
            }
            let byPartner = owed(issued, partner.paysPerPoint)
            let toPartner = owed(redeemed, partner.receivesPerPoint)
            return Settlement(
                partner: id, from: from.description, to: to.description, pointsIssued: issued, pointsRedeemed: redeemed, owedByPartner: byPartner,
                owedToPartner: toPartner, net: byPartner - toPartner)
        }
    }
}
