import Foundation

/// Turns a program document into a validated `Program`, reporting every problem with its path.
public enum ProgramReader {
    /// The top-level keys a program file may have. Rewards and partners join this list as they are built. `segments` is
    /// read by `SegmentReader` (segments are stored apart from the program, with versions of their own).
    static let topLevelKeys: Set<String> = [
        "name", "currency", "timeZone", "enrollment", "levels", "earning", "pointsAsPayment", "activities", "referral", "rewards", "transfers",
        "partners", "pending", "expiry", "segments", "guardRails", "care", "messages", "consent", "idempotency",
    ]

    /// Reads a program, or throws `PatronError.invalidProgram` listing every issue.
    public static func read(_ document: ConfigNode) throws -> Program {
        let reader = ConfigReader()
        let program = read(document, reader)
        guard reader.issues.isEmpty, let program else {
            let count = reader.issues.count
            throw PatronError(
                .invalidProgram, "the program has \(count) problem\(count == 1 ? "" : "s")",
                details: reader.issues.map(\.description))
        }
        return program
    }

    private static func read(_ document: ConfigNode, _ reader: ConfigReader) -> Program? {
        guard let top = reader.mapping(document, at: "", allowed: topLevelKeys) else { return nil }
        let name = reader.text(top, "name", at: "")
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { reader.report("name", top["name"], "must not be empty") }

        var currency: Currency?
        if let code = reader.text(top, "currency", at: "") {
            currency = Currency(code: code)
            if currency == nil { reader.report("currency", top["currency"], "'\(code)' is not an ISO 4217 currency code") }
        }
        var timeZone: TimeZone?
        if let identifier = reader.text(top, "timeZone", at: "") {
            timeZone = TimeZone(identifier: identifier)
            if timeZone == nil { reader.report("timeZone", top["timeZone"], "'\(identifier)' is not an IANA time zone such as Asia/Shanghai") }
        }
        let enrollment = top["enrollment"].map { readEnrollment($0, currency, reader) } ?? .open
        let levels = top["levels"].flatMap { readLevels($0, currency, reader) }
        let earning = top["earning"].map { readEarning($0, currency, levels, reader) } ?? nil
        let pointsAsPayment = top["pointsAsPayment"].flatMap { readPointsAsPayment($0, currency, reader) }
        let activities = top["activities"].map { readActivities($0, reader) } ?? ActivityPolicy(activities: [:])
        let rewards = top["rewards"].map { readRewards($0, currency, levels, reader) } ?? []
        var referral: ReferralReward?
        if let node = top["referral"], let map = reader.mapping(node, at: "referral", allowed: ["referrer", "referee"]) {
            let referrer = reader.integer(map, "referrer", at: "referral", in: 0...10_000_000, default: 0) ?? 0
            let referee = reader.integer(map, "referee", at: "referral", in: 0...10_000_000, default: 0) ?? 0
            if referrer + referee == 0 { reader.report("referral", node, "give referrer and/or referee points") }
            referral = ReferralReward(referrer: Int64(referrer), referee: Int64(referee))
        }
        if top["earning"] == nil { reader.report("earning", nil, "is required") }
        var pendingDays = 0
        if let node = top["pending"], let map = reader.mapping(node, at: "pending", allowed: ["days"]) {
            pendingDays = reader.integer(map, "days", at: "pending", in: 0...365) ?? 0
        }
        let expiry = top["expiry"].map { readExpiry($0, reader) } ?? .never
        let guardRails = top["guardRails"].map { readGuardRails($0, levels, reader) }
        let care = top["care"].map { readCare($0, currency, timeZone, reader) }
        let messages = top["messages"].map { readMessages($0, reader) }
        let consent = top["consent"].map { readConsent($0, reader) }
        let idempotency = top["idempotency"].map { readIdempotency($0, reader) }

        // Every section is read, whatever is wrong elsewhere, so that one run reports every problem.
        var partners: [Partner] = []
        for (path, node) in reader.items(top, "partners", at: "") {
            guard let map = reader.mapping(node, at: path, allowed: ["id", "name", "paysPerPoint", "receivesPerPoint"]) else { continue }
            let id = reader.text(map, "id", at: path)
            let pays = reader.rate(map, "paysPerPoint", at: path)
            let receives = reader.rate(map, "receivesPerPoint", at: path)
            let partnerName = reader.text(map, "name", at: path, required: false)
            guard let id, let pays, let receives else { continue }
            if partners.contains(where: { $0.id == id }) { reader.report("\(path).id", map["id"], "'\(id)' names another partner too") }
            partners.append(Partner(id: id, name: partnerName ?? id, paysPerPoint: pays, receivesPerPoint: receives))
        }
        var transfers: TransferPolicy?
        var transfersOK = true
        if let node = top["transfers"] {
            let path = "transfers"
            if let map = reader.mapping(node, at: path, allowed: ["minimum", "maximum", "limit", "feePercent"]) {
                let minimum = reader.integer(map, "minimum", at: path, in: 1...1_000_000_000, default: 1)
                let maximum = reader.integer(map, "maximum", at: path, in: 1...1_000_000_000, default: 1_000_000_000)
                if let minimum, let maximum, maximum < minimum { reader.report("\(path).maximum", map["maximum"], "must not be below minimum") }
                let limit = map["limit"].map { readLimit($0, at: "\(path).limit", reader) } ?? RuleLimit()
                let fee = reader.integer(map, "feePercent", at: path, in: 0...100, default: 0)
                if let minimum, let maximum, let limit, let fee {
                    transfers = TransferPolicy(minimum: Int64(minimum), maximum: Int64(maximum), limit: limit, feePercent: fee)
                } else {
                    transfersOK = false
                }
            } else {
                transfersOK = false
            }
        }
        for (index, level) in (levels?.levels ?? []).enumerated() {
            for coupon in level.benefits.monthlyCoupons {
                guard let reward = rewards.first(where: { $0.id == coupon }), case .coupon = reward.kind else {
                    reader.report("levels.tiers[\(index)].benefits.monthlyCoupons", top["levels"], "'\(coupon)' is not a coupon in rewards")
                    continue
                }
            }
        }

        guard let name, let currency, let timeZone, let enrollment, let earning, let expiry, transfersOK else { return nil }
        if top["levels"] != nil, levels == nil { return nil }
        if top["pointsAsPayment"] != nil, pointsAsPayment == nil { return nil }
        if top["activities"] != nil, activities == nil { return nil }
        if let guardRails, guardRails == nil { return nil }
        if let care, care == nil { return nil }
        if let messages, messages == nil { return nil }
        if let consent, consent == nil { return nil }
        if let idempotency, idempotency == nil { return nil }
        var program = Program(
            name: name, currency: currency, timeZone: timeZone, enrollment: enrollment, levels: levels, earning: earning,
            pointsAsPayment: pointsAsPayment, activities: activities ?? ActivityPolicy(activities: [:]), pendingDays: pendingDays, expiry: expiry)
        program.referral = referral
        program.rewards = rewards
        program.partners = partners
        if let transfers { program.transfers = transfers }
        program.guardRails = guardRails ?? nil
        if let care = care ?? nil { program.care = care }
        program.messages = messages ?? nil
        if let consent = consent ?? nil { program.consent = consent }
        if let idempotency = idempotency ?? nil { program.idempotency = idempotency }
        return program
    }

    private static func readEnrollment(_ node: ConfigNode, _ currency: Currency?, _ reader: ConfigReader) -> Enrollment? {
        let path = "enrollment"
        if case .scalar(let value, _) = node {
            if value == "open" { return .open }
            reader.report(path, node, "must be 'open' or a mapping with type: restricted and a condition")
            return nil
        }
        guard let map = reader.mapping(node, at: path, allowed: ["type", "condition", "minimumSpend"]) else { return nil }
        switch reader.text(map, "type", at: path) {
        case "open"?: return .open
        case "restricted"?:
            if let minimum = reader.text(map, "minimumSpend", at: path, required: false) {
                guard let minor = DecimalText.scaled(minimum, digits: currency?.minorDigits ?? 3), minor > 0 else {
                    reader.report("\(path).minimumSpend", map["minimumSpend"], "must be a positive amount in \(currency?.code ?? "the currency"), such as 99.00")
                    return nil
                }
                return currency == nil ? nil : .restricted(.minimumSpend(minor))
            }
            switch reader.text(map, "condition", at: path) {
            case "firstOrder"?: return .restricted(.firstOrder)
            case let other?:
                reader.report("\(path).condition", map["condition"], "'\(other)' is not a condition; use firstOrder, or minimumSpend: AMOUNT")
                return nil
            case nil: return nil
            }
        case let other?:
            reader.report("\(path).type", map["type"], "'\(other)' is not an enrollment type; use open or restricted")
            return nil
        case nil: return nil
        }
    }

    private static func readExpiry(_ node: ConfigNode, _ reader: ConfigReader) -> ExpiryPolicy? {
        let path = "expiry"
        if case .scalar("never", _) = node { return .never }
        let keys: Set<String> = ["afterDays", "afterMonths", "endOfMonth", "endOfYear"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        guard map.count == 1, let key = map.keys.first else {
            reader.report(path, node, "must be 'never' or exactly one of afterDays, afterMonths, endOfMonth (plus years), endOfYear (plus years)")
            return nil
        }
        switch key {
        case "afterDays": return reader.integer(map, key, at: path, in: 1...36_500).map(ExpiryPolicy.afterDays)
        case "afterMonths": return reader.integer(map, key, at: path, in: 1...1_200).map(ExpiryPolicy.afterMonths)
        case "endOfMonth": return reader.integer(map, key, at: path, in: 0...100).map { .endOfMonth(plusYears: $0) }
        default: return reader.integer(map, key, at: path, in: 0...100).map { .endOfYear(plusYears: $0) }
        }
    }
}
