import Foundation
import PatronCore

extension SQLStore {
    /// Runs `body` once per key: a replay with the same payload returns the stored outcome, the same key with a
    /// different payload is `idempotencyConflict`. Without a key, `body` simply runs. `formerly` is the digest an
    /// earlier version stored for the same payload, still accepted.
    ///
    /// Keys are kept for the program's idempotency window (`IdempotencySettings`) after `at`, the request's own time
    /// (`field` names it for the caller), or after now if later. A keyed request whose own time is before the window is
    /// refused with `eventTooOld`, replay or not, and writes nothing: its key may have been purged already.
    func idempotent<T: StoredOutcome>(
        _ db: SQLSession, key: String?, fingerprint: UInt64, at: Date? = nil, field: String = "at",
        formerly: @autoclosure () -> UInt64? = nil, _ body: () throws -> T
    ) throws -> (value: T, replayed: Bool) {
        guard let key else { return (try body(), false) }
        try FreeText.check(key, field: "idempotency key")
        let now = clock.now()
        if let at { try (currentProgram(db, writing: true)?.program.idempotency ?? IdempotencySettings()).check(at, field: field, now: now) }
        let stored =
            try db.batch?.idempotency[ExactText(key)]
            ?? sql(db, "SELECT fingerprint, outcome FROM idempotency WHERE key = ?").one(key) { (fingerprint: $0.int(0), outcome: $0.text(1)) }
        if let stored {
            // The former digest is computed only for a key already stored with another one.
            guard stored.fingerprint == Int64(bitPattern: fingerprint) || stored.fingerprint == formerly().map(Int64.init(bitPattern:)) else {
                throw PatronError(.idempotencyConflict, "the key '\(key)' was already used for a different request")
            }
            return (try T(stored: stored.outcome), true)
        }
        let value = try body()
        let outcome = try value.stored()
        // Kept from the later of its own time and now: a request dated ahead is remembered until its time has passed the window.
        try db.write(.idempotency, key, Int64(bitPattern: fingerprint), outcome, max(now.ms, at?.ms ?? now.ms))
        db.batch?.idempotency[ExactText(key)] = (Int64(bitPattern: fingerprint), outcome)
        return (value, false)
    }

    /// `idempotent` without the replay flag.
    func idempotent<T: StoredOutcome>(
        _ db: SQLSession, key: String?, fingerprint: UInt64, at: Date? = nil, field: String = "at", _ body: () throws -> T
    ) throws -> T {
        let result: (value: T, replayed: Bool) = try idempotent(db, key: key, fingerprint: fingerprint, at: at, field: field, body)
        return result.value
    }

    public func runIdempotencyPurge(asOf instant: Date) async throws -> JobReport {
        try await purgeIdempotency(asOf: instant, scan: Self.jobChunk)
    }

    /// Deletes idempotency records kept past the window as of `instant`, `scan` keys at a time in key order (one
    /// statement per writer transaction), so a large table never holds the writer for long. Returns the records deleted.
    func purgeIdempotency(asOf instant: Date, scan: Int) async throws -> JobReport {
        var report = JobReport(items: 0, points: 0)
        var after = ""
        while true {
            let from = after
            let (deleted, last) = try await writer.submit { db -> (Int, String?) in
                guard try self.leaseJob(db, "idempotency-purge") else { return (0, nil) }
                let settings = try self.currentProgram(db, writing: true)?.program.idempotency ?? IdempotencySettings()
                let cutoff = settings.windowStart(asOf: instant).ms
                // The chunk ends at its last key; the last chunk runs to the end of the table.
                let last = try self.sql(db, "SELECT key FROM idempotency WHERE key > ? ORDER BY key LIMIT 1 OFFSET ?").one(from, scan - 1) { $0.text(0) }
                let deleted =
                    if let last {
                        try self.sql(db, "DELETE FROM idempotency WHERE key > ? AND key <= ? AND created_at < ?").run(from, last, cutoff)
                    } else {
                        try self.sql(db, "DELETE FROM idempotency WHERE key > ? AND created_at < ?").run(from, cutoff)
                    }
                return (deleted, last)
            }
            report.items += deleted
            guard let last else { return report }
            after = last
        }
    }
}

/// An outcome kept for idempotent replays. Codable types store JSON; hot ones store a compact form.
protocol StoredOutcome: Codable {
    /// The outcome as stored.
    func stored() throws -> String
    /// The outcome from its stored form.
    init(stored: String) throws
}

extension StoredOutcome {
    func stored() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
    init(stored: String) throws { self = try JSONDecoder().decode(Self.self, from: Data(stored.utf8)) }
}

extension Int64: StoredOutcome {}
extension AdjustmentOutcome: StoredOutcome {}
extension ActivityOutcome: StoredOutcome {}
extension TransferOutcome: StoredOutcome {}

extension OrderOutcome: StoredOutcome {
    /// `member|status|pending|active|enrolled|eventIdLength|eventId orderId`: JSON costs more than the rest of an
    /// order event's work.
    func stored() -> String {
        // Appended piece by piece: string interpolation of integers cost as much as the outcome's INSERT.
        var text = String(memberId)
        text.reserveCapacity(40 + eventId.utf8.count + orderId.utf8.count)
        text.append("|")
        text.append(status.rawValue)
        text.append("|")
        text.append(String(pendingDelta))
        text.append("|")
        text.append(String(activeDelta))
        text.append(enrolled ? "|1|" : "|0|")
        text.append(String(eventId.utf8.count))
        text.append("|")
        text.append(eventId)
        text.append(orderId)
        return text
    }

    init(stored: String) throws {
        let fields = stored.split(separator: "|", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count == 7, let member = Int64(fields[0]), let status = OrderRecord.Status(rawValue: String(fields[1])),
            let pending = Int64(fields[2]), let active = Int64(fields[3]), let length = Int(fields[5])
        else { throw PatronError(.storage, "a stored outcome is damaged: \(stored)") }
        let ids = fields[6].utf8
        let split = ids.index(ids.startIndex, offsetBy: length)
        self.init(
            eventId: String(Substring(ids[..<split])), orderId: String(Substring(ids[split...])), memberId: member, status: status,
            pendingDelta: pending, activeDelta: active, enrolled: fields[4] == "1", replayed: false)
    }
}
