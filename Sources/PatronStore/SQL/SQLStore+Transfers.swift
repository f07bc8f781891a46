import Foundation
import PatronCore

extension SQLStore {
    public func transfer(_ request: TransferRequest) async throws -> TransferOutcome {
        var f = Fingerprint()
        f.mix(request.from); f.mix(request.to); f.mix(request.points)
        let fingerprint = f.value
        return try await writer.submit { db -> TransferOutcome in
            let result: (value: TransferOutcome, replayed: Bool) = try self.idempotent(db, key: "transfer:\(request.key)", fingerprint: fingerprint, at: request.at) {
                let version = try self.requireProgram(db)
                let program = version.program
                guard let policy = program.transfers else { throw PatronError(.notEligible, "\(program.name) does not allow transfers") }
                try policy.check(points: request.points, from: request.from, to: request.to)
                try self.lockChangeable(db, request.from, request.to)
                guard try self.fetchMember(db, id: request.to) != nil else { throw PatronError(.notFound, "no member \(request.to)") }
                let day = program.calendar.localDate(of: request.at)
                if policy.limit.isLimited, !policy.limit.allows(try self.usage(db, member: request.from, rule: "transfer", day: day)) {
                    throw PatronError(.limitReached, "member \(request.from) has reached the transfer limit")
                }
                let fee = policy.fee(for: request.points)
                var sender = try self.loadAccount(db, member: request.from, lots: true)
                let lotsBefore = Dictionary(uniqueKeysWithValues: sender.lots.map { ($0.id, $0) })
                let sent = try sender.take(.transfer, points: request.points, allowNegative: false, at: request.at, reason: "to member \(request.to)")
                let out = sent.last!
                let feeEntries = fee > 0 ? try sender.take(.transfer, points: fee, allowNegative: false, at: request.at, reason: "transfer fee") : []
                try self.post(db, sent + feeEntries, account: sender, version: version.version, at: request.at)
                // The receiver gets lots with the same expiry dates as the points sent.
                var receiver = try self.loadAccount(db, member: request.to, lots: false)
                var byExpiry: [Date?: Int64] = [:]
                for allocation in out.allocations { byExpiry[lotsBefore[allocation.lotId]?.expiresAt, default: 0] -= allocation.points }
                let credits = byExpiry.sorted { ($0.key ?? .distantFuture) < ($1.key ?? .distantFuture) }.map { expiry, points in
                    receiver.credit(.transfer, points: points, expiresAt: expiry, reason: "from member \(request.from)")
                }
                try self.post(db, credits, account: receiver, version: version.version, at: request.at)
                try db.writeRuleUse(member: request.from, rule: "transfer", day: day.dayNumber)
                return TransferOutcome(points: request.points, fee: fee, sender: sender.balances, replayed: false)
            }
            var outcome = result.value
            outcome.replayed = result.replayed
            return outcome
        }
    }
}
